"""The built-in templates: a session evaluation and a pilot evaluation, in Dutch and English.

They live in code, not in the `survey_template` table, so that every installation has them and
an update of the wording reaches everyone. Question keys are stable and the same in both
languages: a start and an end measurement (or a Dutch and an English run) can be compared per
key. The structure of each question is the one `SurveyTemplate.questions` stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

SESSION_EVALUATION = "session-evaluation"
PILOT_EVALUATION = "pilot-evaluation"
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class BuiltinTemplate:
    key: str
    language: str
    title: str
    intro: str
    questions: tuple[dict[str, Any], ...]

    @property
    def template_key(self) -> str:
        """What a survey made from it records in `Survey.template_key`."""
        return f"builtin:{self.key}"


def _scale(key: str, prompt: str, low: str, high: str, *, required: bool = True) -> dict[str, Any]:
    return {
        "key": key,
        "kind": "scale",
        "prompt": prompt,
        "help_text": "",
        "required": required,
        "scale_min": 1,
        "scale_max": 5,
        "low_label": low,
        "high_label": high,
        "options": [],
    }


def _choice(
    key: str, kind: str, prompt: str, options: list[str], *, help_text: str = "", required: bool
) -> dict[str, Any]:
    return {
        "key": key,
        "kind": kind,
        "prompt": prompt,
        "help_text": help_text,
        "required": required,
        "scale_min": 1,
        "scale_max": 5,
        "low_label": "",
        "high_label": "",
        "options": options,
    }


def _text(key: str, prompt: str, *, help_text: str = "", required: bool) -> dict[str, Any]:
    return _choice(key, "text", prompt, [], help_text=help_text, required=required)


AGREE_NL = ("Helemaal oneens", "Helemaal eens")
AGREE_EN = ("Strongly disagree", "Strongly agree")

_SESSION_NL = BuiltinTemplate(
    key=SESSION_EVALUATION,
    language="nl",
    title="Evaluatie van een bijeenkomst",
    intro=(
        "Deze vragenlijst kost ongeveer drie minuten. De begeleiders gebruiken je antwoorden "
        "om volgende bijeenkomsten beter te maken."
    ),
    questions=(
        _scale(
            "overall",
            "Hoe waardevol vond je deze bijeenkomst?",
            "Niet waardevol",
            "Zeer waardevol",
        ),
        _scale("relevance", "De inhoud sloot aan bij mijn eigen onderwijspraktijk.", *AGREE_NL),
        _scale(
            "apply", "Ik kan iets uit deze bijeenkomst direct toepassen in mijn lessen.", *AGREE_NL
        ),
        _scale(
            "exchange",
            "Er was genoeg ruimte om ervaringen uit te wisselen met collega's van andere scholen.",
            *AGREE_NL,
        ),
        _scale("facilitation", "De begeleiding van de bijeenkomst was goed.", *AGREE_NL),
        _choice(
            "format",
            "choice",
            "Welke vorm heeft je voorkeur voor een volgende bijeenkomst?",
            ["Op locatie", "Online", "Hybride", "Geen voorkeur"],
            required=True,
        ),
        _choice(
            "valuable",
            "multiple",
            "Wat vond je het meest waardevol?",
            [
                "De inhoudelijke inbreng",
                "Uitwisseling met collega's",
                "Praktijkvoorbeelden",
                "Materiaal om mee te nemen",
                "Contacten buiten mijn eigen school",
            ],
            help_text="Kies alles wat van toepassing is.",
            required=False,
        ),
        _text("takeaway", "Wat neem je mee naar je eigen praktijk?", required=True),
        _text(
            "improve",
            "Wat kan er beter bij een volgende bijeenkomst?",
            help_text="Optioneel.",
            required=False,
        ),
    ),
)

_SESSION_EN = BuiltinTemplate(
    key=SESSION_EVALUATION,
    language="en",
    title="Session evaluation",
    intro=(
        "This survey takes about three minutes. The facilitators use your answers to make the "
        "next sessions better."
    ),
    questions=(
        _scale("overall", "How valuable was this session to you?", "Not valuable", "Very valuable"),
        _scale("relevance", "The content matched my own teaching practice.", *AGREE_EN),
        _scale(
            "apply", "I can apply something from this session in my lessons right away.", *AGREE_EN
        ),
        _scale(
            "exchange",
            "There was enough room to exchange experiences with colleagues from other schools.",
            *AGREE_EN,
        ),
        _scale("facilitation", "The session was facilitated well.", *AGREE_EN),
        _choice(
            "format",
            "choice",
            "Which format do you prefer for a next session?",
            ["On location", "Online", "Hybrid", "No preference"],
            required=True,
        ),
        _choice(
            "valuable",
            "multiple",
            "What did you find most valuable?",
            [
                "The input on the subject",
                "Exchange with colleagues",
                "Examples from practice",
                "Materials to take away",
                "Contacts outside my own school",
            ],
            help_text="Choose all that apply.",
            required=False,
        ),
        _text("takeaway", "What do you take back to your own practice?", required=True),
        _text(
            "improve",
            "What could be better at a next session?",
            help_text="Optional.",
            required=False,
        ),
    ),
)

_PILOT_NL = BuiltinTemplate(
    key=PILOT_EVALUATION,
    language="nl",
    title="Evaluatie van een pilot",
    intro=(
        "Met deze vragenlijst evalueren de deelnemende scholen de pilot samen. Het invullen kost "
        "ongeveer vijf minuten. De uitkomsten komen in het evaluatieverslag, dat alle "
        "Amsterdamse scholen kunnen lezen."
    ),
    questions=(
        _scale("goals", "De pilot heeft bereikt wat hij wilde bereiken.", *AGREE_NL),
        _scale("practice", "Mijn eigen onderwijspraktijk is door de pilot veranderd.", *AGREE_NL),
        _scale("students", "Ik zie effect van de pilot bij mijn leerlingen.", *AGREE_NL),
        _scale(
            "collaboration",
            "De samenwerking tussen de deelnemende scholen verliep goed.",
            *AGREE_NL,
        ),
        _scale(
            "support",
            "Ik kreeg van mijn school voldoende tijd en ruimte om mee te doen.",
            *AGREE_NL,
        ),
        _choice(
            "next_step",
            "choice",
            "Wat moet er na de pilot gebeuren?",
            [
                "Voortzetten zoals nu",
                "Voortzetten met aanpassingen",
                "Uitbreiden naar andere scholen",
                "Stoppen",
                "Weet ik niet",
            ],
            required=True,
        ),
        _choice(
            "gains",
            "multiple",
            "Wat heeft de pilot jou opgeleverd?",
            [
                "Een nieuwe didactische aanpak",
                "Materiaal dat ik blijf gebruiken",
                "Collega's op andere scholen",
                "Meer zicht op wat leerlingen nodig hebben",
                "Een onderzoekende houding",
                "(Nog) niets",
            ],
            help_text="Kies alles wat van toepassing is.",
            required=False,
        ),
        _text(
            "learned", "Wat is het belangrijkste dat je in deze pilot hebt geleerd?", required=True
        ),
        _text(
            "advice",
            "Welk advies geef je andere Amsterdamse scholen die dit ook willen proberen?",
            help_text="Optioneel.",
            required=False,
        ),
        _text("other", "Wil je verder nog iets kwijt?", help_text="Optioneel.", required=False),
    ),
)

_PILOT_EN = BuiltinTemplate(
    key=PILOT_EVALUATION,
    language="en",
    title="Pilot evaluation",
    intro=(
        "With this survey the participating schools evaluate the pilot together. It takes about "
        "five minutes. The results go into the evaluation report that every Amsterdam school "
        "can read."
    ),
    questions=(
        _scale("goals", "The pilot achieved what it set out to achieve.", *AGREE_EN),
        _scale("practice", "My own teaching practice has changed because of the pilot.", *AGREE_EN),
        _scale("students", "I see an effect of the pilot in my students.", *AGREE_EN),
        _scale(
            "collaboration",
            "The collaboration between the participating schools went well.",
            *AGREE_EN,
        ),
        _scale(
            "support",
            "My school gave me enough time and room to take part.",
            *AGREE_EN,
        ),
        _choice(
            "next_step",
            "choice",
            "What should happen after the pilot?",
            [
                "Continue as it is",
                "Continue with changes",
                "Extend it to other schools",
                "Stop",
                "I don't know",
            ],
            required=True,
        ),
        _choice(
            "gains",
            "multiple",
            "What did the pilot bring you?",
            [
                "A new teaching approach",
                "Materials I keep using",
                "Colleagues at other schools",
                "A better view of what students need",
                "An inquiring attitude",
                "Nothing (yet)",
            ],
            help_text="Choose all that apply.",
            required=False,
        ),
        _text(
            "learned", "What is the most important thing you learned in this pilot?", required=True
        ),
        _text(
            "advice",
            "What advice would you give other Amsterdam schools that want to try this?",
            help_text="Optional.",
            required=False,
        ),
        _text(
            "other",
            "Is there anything else you would like to say?",
            help_text="Optional.",
            required=False,
        ),
    ),
)

BUILTIN: dict[tuple[str, str], BuiltinTemplate] = {
    (template.key, template.language): template
    for template in (_SESSION_NL, _SESSION_EN, _PILOT_NL, _PILOT_EN)
}

#: The names the "new survey" form shows (in the reader's language).
BUILTIN_NAMES = {
    SESSION_EVALUATION: _l("Session evaluation (built in)"),
    PILOT_EVALUATION: _l("Pilot evaluation (built in)"),
}


def builtin(key: str, language: str) -> BuiltinTemplate | None:
    """A built-in template in a language, or None for an unknown key or language."""
    return BUILTIN.get((key, language))
