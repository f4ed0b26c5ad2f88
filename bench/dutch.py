"""Dutch-looking text for generated data: names, Amsterdam school names, titles and sentences.

Built from word lists and sentence templates, so that full-text search meets what real posts
have: common words ("de", "het", "leerlingen", "les") in nearly every row, subject words in many,
and rare words in a few. Every function takes the generator's `random.Random`, so the text is
as deterministic as the seed.
"""

from __future__ import annotations

import random

FIRST_NAMES = [
    "Anouk",
    "Bram",
    "Daan",
    "Emma",
    "Fatima",
    "Fleur",
    "Hamza",
    "Iris",
    "Jasper",
    "Julia",
    "Karim",
    "Lotte",
    "Luuk",
    "Mila",
    "Mohamed",
    "Noor",
    "Olivier",
    "Priya",
    "Quinten",
    "Rachid",
    "Roos",
    "Sanne",
    "Sem",
    "Soufiane",
    "Tess",
    "Thijs",
    "Yara",
    "Youssef",
    "Zeynep",
    "Anna",
    "Bas",
    "Chantal",
    "Dewi",
    "Eline",
    "Femke",
    "Gijs",
    "Hanna",
    "Ilse",
    "Jeroen",
    "Kees",
    "Lieke",
    "Marloes",
    "Niels",
    "Oumaima",
    "Pieter",
    "Renske",
    "Sara",
    "Tim",
    "Ufuk",
    "Vera",
    "Wouter",
    "Xander",
    "Yasmina",
    "Zoë",
    "Ayoub",
    "Bilal",
    "Esra",
    "Ingrid",
    "Joost",
    "Kevin",
    "Linda",
    "Maarten",
    "Nadia",
    "Orlando",
    "Petra",
    "Ricardo",
    "Selin",
    "Tamara",
]

LAST_NAMES = [
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "\n    Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "\n    van der Meer",
    "El Amrani",
    "Yilmaz",
    "Kaya",
    "Bouzid",
    "Ramdin",
    "Kartosen",
    "Tahiri",
    "Öztürk",
    "Haddou",
    "Mahabier",
    "\n    Ait Said",
    "van Dijk",
    "Koster",
    "Prins",
    "Blom",
    "Huisman",
    "Postma",
    "Kuipers",
    "van Wijk",
    "Schouten",
    "Kok",
    "\n    Willems",
    "Jacobs",
    "van der Linden",
    "Hoekstra",
    "Boersma",
    "Scholten",
    "Verbeek",
    "Sedney",
    "Graanoogst",
]

#: Parts of Amsterdam school names: "<prefix> <naam>", "<naam> <suffix>" (the real pattern of
#: names such as Barlaeus Gymnasium, Montessori Lyceum, OBS De Kinkerbuurt).
SCHOOL_NAMES = [
    "Kinkerbuurt",
    "Pijp",
    "Jordaan",
    "Watergraafsmeer",
    "Oostelijke Eilanden",
    "Bos en Lommer",
    "\n    Slotermeer",
    "Osdorp",
    "Geuzenveld",
    "Noorderpark",
    "Buikslotermeer",
    "Gaasperdam",
    "Bijlmer",
    "Zeeburg",
    "\n    IJburg",
    "Rivierenbuurt",
    "Spaarndammerbuurt",
    "Dapperbuurt",
    "Indische Buurt",
    "Westerpark",
    "Oud-Zuid",
    "\n    Sloterdijk",
    "Nieuw-West",
    "Holendrecht",
    "Venserpolder",
    "Betondorp",
    "Tuindorp Oostzaan",
    "Vondelpark",
    "\n    Amstel",
    "Zuidas",
    "Hoofddorppleinbuurt",
    "Stadionbuurt",
    "Frankendael",
    "Oostpoort",
    "Oranje Nassau",
    "\n    Mercatorplein",
    "Sarphati",
    "Rembrandt",
    "Spinoza",
    "Vondel",
    "Multatuli",
    "Annie M.G. Schmidt",
    "\n    Anne Frank",
    "Max Havelaar",
    "Zeven Provinciën",
    "Kastanjeboom",
    "Regenboog",
    "Springplank",
    "Zonnewijzer",
    "\n    Waterlelie",
    "Kompas",
    "Vuurtoren",
    "Notenboom",
    "Linde",
    "Wilg",
    "Meander",
    "Horizon",
    "Toermalijn",
]
PRIMARY_PREFIXES = ["OBS", "Basisschool", "Montessorischool", "Daltonschool", "Jenaplanschool"]
SECONDARY_SUFFIXES = ["Lyceum", "College", "Gymnasium", "Scholengemeenschap", "Mavo"]
VOCATIONAL_PREFIXES = ["ROC", "MBO College", "Vakcollege"]
BOARD_NAMES = [
    "Stichting Openbaar Onderwijs aan de Amstel",
    "Stichting Westelijk Tuinbouw Onderwijs",
    "\n    Stichting Amsterdamse Scholen",
    "Stichting Innovatief Onderwijs Noord",
    "Stichting Samen Leren",
    "\n    Stichting Katholiek Onderwijs Amsterdam",
    "Stichting Christelijk Onderwijs Zuidoost",
    "\n    Stichting Montessori Onderwijs",
    "Stichting Voortgezet Onderwijs Oost",
    "Vereniging Dalton\n    Amsterdam",
    "Stichting Kindcentra West",
    "Stichting Lerend Netwerk",
    "Stichting Vrije Scholen\n    Amsterdam",
    "Stichting Bijzonder Neutraal Onderwijs",
    "Stichting Gebundelde Krachten",
]
INSTITUTES = [
    ("Universiteit van Amsterdam", "institute"),
    ("Vrije Universiteit Amsterdam", "institute"),
    ("Hogeschool van Amsterdam", "institute"),
    ("Opleidingsschool Amsterdam Oost", "training_school"),
    ("Opleidingsschool West", "training_school"),
    ("Bètapartners", "network"),
    ("OPeRA Amsterdam", "network"),
    ("Gemeente Amsterdam", "municipality"),
]
STREETS = [
    "Kinkerstraat",
    "Jan Pieter Heijestraat",
    "Linnaeusstraat",
    "Mercatorplein",
    "Javastraat",
    "\n    Van Baerlestraat",
    "Sarphatistraat",
    "Plein '40-'45",
    "Bos en Lommerweg",
    "Meeuwenlaan",
    "Kraaiennest",
    "\n    Ferdinand Bolstraat",
    "Molukkenstraat",
    "Haarlemmerweg",
    "Burgemeester de Vlugtlaan",
]

SUBJECTS = [
    "wiskunde",
    "Nederlands",
    "Engels",
    "geschiedenis",
    "aardrijkskunde",
    "biologie",
    "natuurkunde",
    "\n    scheikunde",
    "economie",
    "lichamelijke opvoeding",
    "tekenen",
    "muziek",
    "groep 3",
    "groep 5",
    "groep 8",
    "\n    NT2",
    "burgerschap",
    "informatica",
]

#: Subject words of the platform: each topic a few nouns that posts and titles reuse.
TOPICS = [
    ("formatief evalueren", ["feedback", "leerdoelen", "exittickets", "succescriteria"]),
    ("differentiëren", ["niveaugroepen", "verlengde instructie", "leerroutes", "tempo"]),
    ("begrijpend lezen", ["leesmotivatie", "teksten", "woordenschat", "leesstrategieën"]),
    ("rekenen", ["breuken", "verhoudingen", "automatiseren", "rekenmuurtjes"]),
    ("burgerschap", ["democratie", "dialoog", "klassenvergadering", "identiteit"]),
    ("passend onderwijs", ["ondersteuningsbehoefte", "zorgteam", "handelingsplan", "dyslexie"]),
    ("digitale geletterdheid", ["programmeren", "mediawijsheid", "chromebooks", "privacy"]),
    ("klassenmanagement", ["routines", "gedragsverwachtingen", "rust", "groepsvorming"]),
    ("AI in het onderwijs", ["chatbots", "schrijfopdrachten", "beoordeling", "prompts"]),
    ("meertaligheid", ["thuistaal", "taalsteun", "nieuwkomers", "translanguaging"]),
    ("onderzoekend leren", ["onderzoeksvragen", "experimenten", "hypothesen", "verslagen"]),
    ("sociale veiligheid", ["pesten", "mentorlessen", "vertrouwen", "herstelgesprekken"]),
    ("begeleiden van starters", ["inductie", "coaching", "lesbezoek", "werkdruk"]),
    ("ouderbetrokkenheid", ["oudergesprekken", "driehoeksgesprekken", "nieuwsbrief", "huisbezoek"]),
    ("duurzaamheid", ["schooltuin", "klimaat", "energie", "afval"]),
]

#: Rare words: each appears in a small share of the texts (the "rare word" queries).
RARE_WORDS = [
    "zelfregulatie",
    "metacognitie",
    "spaced-repetition",
    "lesson-study",
    "taxonomie",
    "\n    executieve-functies",
    "mindset",
    "co-teaching",
    "flipped-classroom",
    "portfolio",
    "rubrics",
    "\n    dalton-uur",
    "kieskeurig",
    "vlootschouw",
    "klankgebaren",
    "tafelsommen",
    "woordweb",
    "denkstappen",
]

_OPENINGS = [
    "Hoe pakken jullie {topic} aan in de les?",
    "Ervaringen met {noun} bij {topic}",
    "Vraag over {noun} in {subject}",
    "Wie heeft tips voor {noun}?",
    "{Topic}: wat werkt bij onze leerlingen?",
    "Lesidee: {noun} in {subject}",
    "Terugblik op de bijeenkomst over {topic}",
    "Onderzoek naar {noun} op de school",
]
_SENTENCES = [
    "In mijn klas werk ik sinds dit jaar met {noun} en de leerlingen reageren er goed op.",
    "De les begint met een korte herhaling, daarna gaan de leerlingen in tweetallen aan de slag.",
    "Het lukt nog niet altijd om {noun} goed in te passen in het rooster van de school.",
    "Bij {subject} merk ik dat {noun} vooral helpt voor leerlingen die extra uitdaging nodig hebben.",
    "We hebben het in de sectie besproken en willen het komend schooljaar breder invoeren.",
    "Wat ik mooi vind is dat de leerlingen zelf zien waar ze staan.",
    "Heeft iemand een voorbeeld van een les waarin {topic} en {noun} samenkomen?",
    "Onze intern begeleider raadt aan om klein te beginnen, met een groep en een vak.",
    "De collega's van de andere school deden het anders: zij gebruiken {noun} bij elke les.",
    "Ik deel hieronder de opzet die we in de werkgroep over {topic} hebben gemaakt.",
    "Het kost in het begin meer tijd, maar het levert veel op voor het gesprek met de leerling.",
    "Na de les vragen we de leerlingen wat ze hebben geleerd en wat nog lastig is.",
    "De ouders waren positief toen we het op de informatieavond lieten zien.",
    "Voor {subject} in de onderbouw werkt het beter met kortere opdrachten.",
    "Het is de vraag hoe je dit volhoudt als de werkdruk in het voorjaar stijgt.",
]
_REPLY_STARTS = [
    "Herkenbaar!",
    "Goede vraag.",
    "Dank voor het delen.",
    "Bij ons op school gaat het net anders.",
    "Interessant, dat ga ik proberen.",
    "Mooi voorbeeld.",
    "Wij lopen tegen hetzelfde aan.",
]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES).strip()}"


def school_name(rng: random.Random, school_type: str, number: int) -> str:
    """An Amsterdam-looking school name; the number keeps names unique across many schools."""
    base = SCHOOL_NAMES[number % len(SCHOOL_NAMES)].strip()
    if school_type == "po":
        name = f"{rng.choice(PRIMARY_PREFIXES)} {base}"
    elif school_type == "vo":
        name = f"{base} {rng.choice(SECONDARY_SUFFIXES)}"
    else:
        name = f"{rng.choice(VOCATIONAL_PREFIXES)} {base}"
    cycle = number // len(SCHOOL_NAMES)
    return f"{name} {cycle + 1}" if cycle else name


def _fill(template: str, rng: random.Random, topic: int) -> str:
    name, nouns = TOPICS[topic]
    return template.format(
        topic=name,
        Topic=name[0].upper() + name[1:],
        noun=rng.choice(nouns),
        subject=rng.choice(SUBJECTS).strip(),
    )


def title(rng: random.Random, topic: int) -> str:
    text = _fill(rng.choice(_OPENINGS), rng, topic)
    return text[0].upper() + text[1:]


def paragraph(rng: random.Random, topic: int, sentences: int, *, reply: bool = False) -> str:
    """A few sentences on a topic; now and then a rare word, so rare-word searches find a few."""
    parts = [rng.choice(_REPLY_STARTS)] if reply else []
    parts += [_fill(rng.choice(_SENTENCES), rng, topic) for _ in range(sentences)]
    if rng.random() < 0.08:
        parts.append(f"Zie ook {rng.choice(RARE_WORDS).strip()}.")
    return " ".join(parts)


def html(text: str) -> str:
    """The rendered form of a plain paragraph (what the Markdown renderer would store)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<p>{escaped}</p>"


def slugify(text: str) -> str:
    keep = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in keep.split("-") if part)[:100]
