"""The default themes for Dutch education, installed by `flask plc install-defaults`."""

DEFAULT_THEMES: list[tuple[str, str, str]] = [
    ("differentieren", "Differentiëren", "Differentiation"),
    ("formatief-evalueren", "Formatief evalueren", "Formative assessment"),
    ("taal-en-lezen", "Taal en lezen", "Language and reading"),
    ("rekenen", "Rekenen en wiskunde", "Numeracy and mathematics"),
    ("burgerschap", "Burgerschap", "Citizenship education"),
    ("passend-onderwijs", "Passend onderwijs", "Inclusive education"),
    ("digitale-geletterdheid", "Digitale geletterdheid", "Digital literacy"),
    ("begeleiden-van-starters", "Begeleiden van starters", "Supporting beginning teachers"),
    ("sociale-veiligheid", "Sociale veiligheid", "Social safety"),
    ("onderzoekend-leren", "Onderzoekend leren", "Inquiry-based learning"),
    ("meertaligheid", "Meertaligheid en NT2", "Multilingualism and Dutch as a second language"),
    ("kansengelijkheid", "Kansengelijkheid", "Equal opportunities"),
    (
        "gedrag-en-klassenmanagement",
        "Gedrag en klassenmanagement",
        "Behaviour and classroom management",
    ),
    ("vakdidactiek", "Vakdidactiek", "Subject teaching"),
    ("onderzoek-in-de-school", "Onderzoek in de school", "Practitioner research"),
    ("ai-in-het-onderwijs", "AI in het onderwijs", "AI in education"),
    ("duurzaamheid", "Duurzaamheid", "Sustainability education"),
    ("ouderbetrokkenheid", "Ouderbetrokkenheid", "Parental involvement"),
]
