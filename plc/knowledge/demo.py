"""Demo knowledge outputs: what the demo communities learned and published for every school.

Some thirty outputs of every type go through the real workflow: a member writes a draft (with
files, checked and stored like any upload), sends it for review, and a facilitator or co-owner
contact who did not write it approves it. Some get new versions with a change note; one has a
new version waiting for review, a few are still drafts or in review, one was sent back with a
comment, and one was withdrawn. Schools say they use some of them, and a few people and one
school follow themes.

The services stamp everything with the current time, and publication cannot be backdated through
them; so, after each step, the demo moves the timestamps of what that step wrote (versions,
reviews, notifications, uses) back to when it "happened", spread over the last two years, so that
the knowledge base has several years to filter on. View and download counts are set directly:
nobody's reading is recorded, only the numbers.

The people are the fictional demo people; the schools, boards and institutes are the demo's real
Amsterdam organisations (plc.organisations.demo). Video and podcast addresses are invented (on the
platform's own demo domain), as are all figures in the evaluations.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from xml.sax.saxutils import escape  # escapes text it writes, parses no XML  # nosec B406

import sqlalchemy as sa

from plc.auth.models import CareerStage, SchoolType, User
from plc.communities import services as communities
from plc.communities.demo import EXPERIENCED, EXPERT, MBO, PO, STARTER, STUDENT, VO
from plc.communities.models import Community, CommunityStatus, Visibility
from plc.core.models import utcnow
from plc.extensions import db
from plc.knowledge import services
from plc.knowledge.models import (
    KnowledgeOutput,
    OutputAttachment,
    OutputReview,
    OutputStatus,
    OutputType,
    OutputUse,
    OutputVersion,
    ThemeSubscription,
    VersionState,
)
from plc.notifications.models import Notification
from plc.organisations import demo as organisations_demo
from plc.organisations.models import Organisation
from plc.resources.demo import csv_file, tiny_pdf
from plc.resources.models import Licence
from plc.themes.models import CompetenceDomain, Theme

CONTENT, DIDACTIC, PEDAGOGY = (
    CompetenceDomain.SUBJECT_MATTER,
    CompetenceDomain.SUBJECT_TEACHING,
    CompetenceDomain.PEDAGOGY,
)
T = OutputType

#: Notifications older than this are shown as read: nobody leaves two years of news unopened.
READ_AFTER = timedelta(days=14)
#: Who speaks for the schools that say they use an output (their leader or admin in the demo).
SCHOOL_SPEAKERS = {
    "mundus": "yusuf",
    "sloterplas": "karim",
    "kolk": "eva",
    "roc_zuidoost": "gerald",
    "amstelbrug": "daan",
}
#: (person, theme, school or None): theme subscriptions, personal or for a school.
FOLLOWS: list[tuple[str, str, str | None]] = [
    ("fatima", "formatief-evalueren", None),
    ("fatima", "ai-in-het-onderwijs", None),
    ("daan", "meertaligheid", None),
    ("sanne", "differentieren", None),
    ("yusuf", "begeleiden-van-starters", "mundus"),
    ("yusuf", "formatief-evalueren", "mundus"),
]


def tiny_docx(title: str, paragraphs: list[str]) -> bytes:
    """A valid Word document (the three parts Word needs), with a bold title and paragraphs.
    The archive's dates are fixed, so the same text always gives the same file."""

    def paragraph(text: str, *, bold: bool = False) -> str:
        style = '<w:rPr><w:b/><w:sz w:val="32"/></w:rPr>' if bold else ""
        return f'<w:p><w:r>{style}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    body = paragraph(title, bold=True) + "".join(paragraph(p) for p in paragraphs)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 9, 1, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode())
    return buffer.getvalue()


@dataclass(frozen=True)
class DemoFile:
    filename: str
    content: bytes


class Stage(StrEnum):
    """Where a demo output ends up."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    RETURNED = "returned"  #: sent for review and sent back with a comment
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Revision:
    """A new version of a published output."""

    days_ago: int  #: when it was published (or, when `in_review`, sent for review)
    by: str  #: who wrote it (an author)
    change_note: str
    append: str = ""  #: Markdown added at the end
    replace: tuple[tuple[str, str], ...] = ()  #: (old, new) changes in the text
    summary: str | None = None
    files: tuple[DemoFile, ...] = ()
    reviewer: str = ""
    in_review: bool = False  #: sent for review; the reviewers have not decided yet


@dataclass(frozen=True)
class DemoOutput:
    community: str  #: slug
    output_type: OutputType
    title: str
    summary: str
    body: str
    themes: tuple[str, ...]
    school_types: tuple[SchoolType, ...]
    career_stages: tuple[CareerStage, ...]
    domains: tuple[CompetenceDomain, ...]
    #: Person keys (first name, see `_person_keys`); the first writes the draft.
    authors: tuple[str, ...]
    #: Organisation keys of plc.organisations.demo.
    organisations: tuple[str, ...]
    #: Published this many days ago (in review, returned: sent; draft: last edited).
    days_ago: int
    reviewer: str = ""  #: who approves (or sends it back); another reviewer if not possible
    stage: Stage = Stage.PUBLISHED
    licence: Licence = Licence.CC_BY
    media_url: str = ""
    files: tuple[DemoFile, ...] = ()
    revisions: tuple[Revision, ...] = ()
    #: (school key, note): schools that say they use it.
    uses: tuple[tuple[str, str], ...] = ()
    #: The reviewer's comment: with the approval, or (returned) what to change.
    review_comment: str = ""
    #: (days ago, facilitator, reason).
    withdrawal: tuple[int, str, str] | None = None


# -- the files ---------------------------------------------------------------------------------

EXIT_TICKETS_PDF = DemoFile(
    "exit-tickets-tien-voorbeeldvragen.pdf",
    tiny_pdf(
        "Exit tickets: tien voorbeeldvragen voor klas 1 en 2",
        [
            "Gebruik er één (hooguit twee) in de laatste vijf minuten van de les.",
            "",
            "1. Welke fout zit er in deze uitwerking? Verbeter hem.",
            "2. Leg in één zin uit wat een lineair verband is.",
            "3. Schrijf een kernzin bij deze alinea.",
            "4. Welke van deze drie antwoorden klopt niet, en waarom?",
            "5. Teken het begrip van vandaag in een schema.",
            "6. Geef een voorbeeld uit je eigen leven van het begrip van vandaag.",
            "7. Wat was het lastigste van deze les?",
            "8. Los deze ene opgave op en schrijf op hoe je het deed.",
            "9. Kleur je zekerheid: groen, oranje of rood, en zeg waarom.",
            "10. Welke vraag zou je nu nog aan de docent willen stellen?",
            "",
            "Na de les: sorteer in drie stapels (snapt het, bijna, nog niet).",
            "Begin de volgende les met een instructie aan tafel voor 'nog niet'.",
        ],
    ),
)
FEEDBACK_DOCX = DemoFile(
    "feedbackformulier-schrijfopdracht-klas-2.docx",
    tiny_docx(
        "Feedbackformulier schrijfopdracht",
        [
            "Naam schrijver: ____________   Naam lezer: ____________",
            "1. Wat is het sterkste punt van deze tekst? Citeer een zin.",
            "2. Waar raakte je als lezer de draad kwijt?",
            "3. Welke ene verandering zou de tekst het meest verbeteren?",
            "Voor de schrijver: wat ga ik met deze feedback doen?",
        ],
    ),
)
READING_SERIES_PDF = DemoFile(
    "leesreeks-water-in-de-stad-groep-6.pdf",
    tiny_pdf(
        "Leesreeks Water in de stad (groep 6)",
        [
            "Tekst 1 - Waarom Amsterdam niet onderloopt",
            "Woorden vooraf: dijk, sluis, peil, gemaal, polder",
            "Gesprek: Wat zou er gebeuren als de sluizen een week openstonden?",
            "",
            "Tekst 2 - Het IJ: van haven naar woonwijk",
            "Woorden vooraf: haven, werf, veerpont, kade, woonwijk",
            "Gesprek: Waarom wonen er nu mensen waar vroeger schepen werden gebouwd?",
            "",
            "Tekst 3 - Wie maakt de grachten schoon?",
            "Woorden vooraf: afval, rioolwater, boot, zuiveren, vervuiling",
            "Gesprek: Wat kunnen wij zelf doen om de grachten schoon te houden?",
            "",
            "Schrijfopdracht: leg een kind uit groep 4 uit hoe het water",
            "in de stad op peil blijft. Gebruik minstens drie woorden uit de reeks.",
        ],
    ),
)
READING_SOURCES_CSV = DemoFile(
    "bronnen-leesreeks-water-in-de-stad.csv",
    csv_file(
        [
            ("tekst", "onderwerp", "bron voor de leerkracht"),
            ("1", "dijken, sluizen en het peil", "website van Waternet, rubriek water in de stad"),
            ("2", "het IJ en de oude havens", "Stadsarchief Amsterdam, beeldbank"),
            ("3", "schone grachten", "Waternet, interview (eigen tekst)"),
            ("4", "de Noord/Zuidlijn", "Gemeente Amsterdam, geschiedenis van de metro"),
        ]
    ),
)
VIEWING_QUESTIONS_PDF = DemoFile(
    "kijkvragen-onder-het-ij-door.pdf",
    tiny_pdf(
        "Onder het IJ door - vragen bij tekst 4",
        [
            "1. Waarom was het zo moeilijk om een tunnel onder het IJ te bouwen?",
            "2. Welk woord uit tekst 1 komt in deze tekst terug? Wat betekent het?",
            "3. Wie had er last van de bouw, en wie heeft er nu voordeel van?",
            "4. Wat zou jij nog willen weten over de metro?",
        ],
    ),
)
GOLDEN_AGE_PDF = DemoFile(
    "werkbladen-gouden-eeuw.pdf",
    tiny_pdf(
        "Werkbladen bij de leesles over de Gouden Eeuw",
        [
            "Werkblad 1: Amsterdam wordt een wereldstad",
            "Werkblad 2: De VOC en de handel",
            "Werkblad 3: Wie betaalde de prijs? Slavernij en handel",
            "Werkblad 4: Het dagelijks leven op de grachten",
        ],
    ),
)
FIRST_WEEK_PDF = DemoFile(
    "checklist-eerste-schoolweek.pdf",
    tiny_pdf(
        "Checklist voor de eerste schoolweek",
        [
            "Voor de eerste schooldag",
            "- rooster, lokalen en de weg ernaartoe",
            "- inloggen op het leerlingvolgsysteem en de leeromgeving",
            "- namenlijsten met foto's; oefen de namen",
            "- wie is je begeleider, en wanneer spreek je elkaar?",
            "- de schoolregels over telefoons, te laat komen en eruit sturen",
            "",
            "De eerste lessen",
            "- een vaste opening en afsluiting",
            "- drie klassenafspraken, en hoe je ze oefent",
            "- een plattegrond van de klas",
            "",
            "De eerste week",
            "- een korte kennismakingsmail aan ouders (laat een collega meelezen)",
            "- noteer na elke dag een ding dat goed ging",
            "- plan het eerste gesprek met je begeleider",
        ],
    ),
)
LESSON_DESIGN_DOCX = DemoFile(
    "lesontwerp-lineaire-verbanden-klas-2.docx",
    tiny_docx(
        "Lesontwerp: lineaire verbanden herkennen (klas 2)",
        [
            "Lesdoel: leerlingen herkennen in een tabel, grafiek of beschrijving of een "
            "verband lineair is, en leggen uit waarom.",
            "Start (10 min): vier situaties - taxirit, groeiende plant, telefoonabonnement, "
            "afkoelende thee. Welke horen bij elkaar?",
            "Onderzoeken (20 min): per situatie een tabel; wat blijft hetzelfde?",
            "Bespreken (10 min): twee tegengestelde indelingen; overtuig elkaar.",
            "Afronding (10 min): bedenk zelf een lineaire en een niet-lineaire situatie.",
            "Voorspelling: leerlingen zien de plant als lineair ('hij groeit elke dag').",
            "Observatie: volg per observant twee leerlingen; noteer wat ze zeggen en schrijven.",
        ],
    ),
)
NEWS_LESSON_PDF = DemoFile(
    "lesbrief-nieuws-van-de-week.pdf",
    tiny_pdf(
        "Lesbrief: het nieuws van de week",
        [
            "30 minuten per week, twee studenten per keer.",
            "",
            "Voorbereiding door de studenten:",
            "1. Wat is er gebeurd, in drie zinnen?",
            "2. Waar komt het bericht vandaan, en is die bron betrouwbaar?",
            "3. Wat heeft het met ons te maken, in Amsterdam of in ons beroep?",
            "",
            "In de les: 5 min presentatie, 15 min gesprek, 10 min schrijven.",
            "",
            "Gespreksregels:",
            "- We praten over meningen, niet over personen.",
            "- Je mag van mening veranderen.",
            "- Wie iets beweert, zegt waar hij of zij het weet.",
        ],
    ),
)
TALK_RULES_PDF = DemoFile(
    "poster-gespreksregels.pdf",
    tiny_pdf(
        "Onze gespreksregels",
        [
            "We praten over meningen, niet over personen.",
            "Je mag van mening veranderen.",
            "Wie iets beweert, zegt waar hij of zij het weet.",
            "Iedereen mag een time-out vragen.",
        ],
    ),
)
MATHS_WORDS_CSV = DemoFile(
    "woordenlijst-rekentaal-thuistalen.csv",
    csv_file(
        [
            ("Nederlands", "Engels", "Turks", "Arabisch", "Pools", "Spaans"),
            ("optellen", "add", "toplamak", "جمع", "dodawać", "sumar"),
            ("aftrekken", "subtract", "çıkarmak", "طرح", "odejmować", "restar"),
            ("vermenigvuldigen", "multiply", "çarpmak", "ضرب", "mnożyć", "multiplicar"),
            ("delen", "divide", "bölmek", "قسمة", "dzielić", "dividir"),
            ("breuk", "fraction", "kesir", "كسر", "ułamek", "fracción"),
            ("de helft", "half", "yarım", "نصف", "połowa", "la mitad"),
            ("getal", "number", "sayı", "عدد", "liczba", "número"),
            ("som", "sum", "toplam", "مجموع", "suma", "suma"),
            ("verschil", "difference", "fark", "فرق", "różnica", "diferencia"),
            ("meer dan", "more than", "daha fazla", "أكثر من", "więcej niż", "más que"),
            ("minder dan", "less than", "daha az", "أقل من", "mniej niż", "menos que"),
            ("gelijk aan", "equal to", "eşit", "يساوي", "równy", "igual a"),
            ("rest", "remainder", "kalan", "باقي", "reszta", "resto"),
            ("procent", "percent", "yüzde", "بالمئة", "procent", "por ciento"),
            ("meten", "measure", "ölçmek", "قياس", "mierzyć", "medir"),
            ("oppervlakte", "area", "alan", "مساحة", "pole", "área"),
            ("omtrek", "perimeter", "çevre", "محيط", "obwód", "perímetro"),
            ("schatten", "estimate", "tahmin etmek", "تقدير", "szacować", "estimar"),
        ]
    ),
)
WATER_RESEARCH_PDF = DemoFile(
    "onderzoeksopdracht-zuurgraad-water.pdf",
    tiny_pdf(
        "Onderzoeksopdracht: hoe zuur is water uit de stad?",
        [
            "Havo 4 scheikunde - vier lessen",
            "",
            "Les 1  Verkennen: meet de pH van kraanwater, regenwater en grachtwater.",
            "Les 2  Vraag en plan: formuleer in tweetallen een onderzoeksvraag.",
            "       Laat je plan goedkeuren voordat je begint.",
            "Les 3  Uitvoeren: meet met pH-papier of een pH-meter; meet elk monster drie keer.",
            "Les 4  Rapporteren: poster met vraag, methode, resultaten en conclusie.",
            "",
            "Veiligheid: grachtwater alleen met handschoenen, vanaf de kade, onder toezicht.",
            "",
            "Beoordeling (los van de scheikunde): onderzoeksvraag - plan -",
            "betrouwbaarheid van de metingen - conclusie. Per onderdeel 0, 1 of 2 punten.",
        ],
    ),
)
GROUP_OVERVIEW_DOCX = DemoFile(
    "groepsoverzicht-op-een-a4.docx",
    tiny_docx(
        "Groepsoverzicht op één A4",
        [
            "Groep: ____   Periode: ____ tot ____   Leerkracht: ____________",
            "Per kind één regel: naam | wat werkt | wat het nodig heeft | wat ik probeer",
            "Vul alleen in voor de kinderen over wie je nadenkt.",
            "Bespreek met de intern begeleider de kinderen bij wie 'wat ik probeer' niet werkt.",
            "Pas na zes weken aan; streep door wat klaar is.",
        ],
    ),
)
COFFEE_INVITATION_TXT = DemoFile(
    "uitnodiging-koffieochtend-groep-3.txt",
    b"""Uitnodiging: koffieochtend in groep 3

Wanneer: elke eerste vrijdag van de maand, van 8.30 tot 9.15 uur
Waar: in de klas van groep 3

Wat gaan we doen? Samen met uw kind een boek lezen.
Koffie en thee staan klaar.

U mag voorlezen in uw eigen taal.
Neemt u een kleine broer of zus mee? Dat is goed.

Vragen? Spreek de juf of meester aan bij het hek.

Tot vrijdag!
""",
)
PILOT_EVALUATION_PDF = DemoFile(
    "evaluatie-pilot-collegiale-consultatie.pdf",
    tiny_pdf(
        "Evaluatie pilot collegiale consultatie 2023/2024",
        [
            "Opleidingsscholen ROSA en De Dam",
            "",
            "Deelname: 22 docenten van zes scholen; 18 rondden de pilot af.",
            "Lesbezoeken: 61 (een derde van de geplande bezoeken ging niet door).",
            "",
            "Opbrengsten",
            "- 15 van de 16 respondenten noemen de bezoeken waardevol.",
            "- Een eigen vraag maakt het nagesprek concreter.",
            "- Vaste koppels bezoeken elkaar vaker dan wisselende partners.",
            "",
            "Aanbevelingen",
            "1. Werk met vaste koppels van verschillende scholen.",
            "2. Reserveer per koppel drie bezoekmomenten in het jaarrooster.",
            "3. De bezochte docent bepaalt de vraag.",
        ],
    ),
)
PILOT_SURVEY_CSV = DemoFile(
    "vragenlijst-resultaten-pilot.csv",
    csv_file(
        [
            ("stelling", "helemaal mee eens", "mee eens", "neutraal", "oneens"),
            ("Het lesbezoek was waardevol voor mijn lespraktijk", "9", "6", "1", "0"),
            ("Mijn eigen vraag stond centraal in het nagesprek", "10", "5", "1", "0"),
            ("Er was genoeg tijd voor het gesprek na de les", "3", "7", "4", "2"),
            ("Het vrijroosteren was goed geregeld", "1", "4", "5", "6"),
            ("Ik wil volgend jaar doorgaan", "11", "4", "1", "0"),
        ]
    ),
)


# -- the outputs -------------------------------------------------------------------------------

FE = "formatief-evalueren-in-de-onderbouw"
READING = "begrijpend-lezen-in-groep-5-tot-en-met-8"
STARTERS = "startende-leraren-in-nieuw-west"
LESSON_STUDY = "lesson-study-wiskunde"
CITIZENSHIP = "burgerschap-in-het-mbo"
LANGUAGES = "meertaligheid-en-nt2-in-de-klas"
SCIENCE = "onderzoekend-leren-in-de-betavakken"
AI = "ai-in-de-les"
INCLUSIVE = "passend-onderwijs-in-de-praktijk"
PARENTS = "ouders-als-partner-in-nieuw-west"
PILOT = "pilot-collegiale-consultatie-2023-2024"

OUTPUTS: list[DemoOutput] = [
    # -- Formatief evalueren in de onderbouw ---------------------------------------------------
    DemoOutput(
        FE,
        T.PRACTICE_EXAMPLE,
        "Exit tickets in de praktijk: twee jaar ervaring in klas 1 en 2",
        "Twee docenten van verschillende scholen gebruikten twee jaar lang exit tickets in de "
        "onderbouw. Wat werkt, wat kost het aan tijd, en wat doe je de volgende les met de "
        "antwoorden?",
        """## Waarom we begonnen

In de bijeenkomsten van de leergemeenschap kwam steeds dezelfde vraag terug: hoe weet je aan het eind van een les of leerlingen het begrepen hebben, zonder er een toets van te maken? Wij kozen voor exit tickets: één korte vraag op een briefje, in de laatste vijf minuten van de les.

## Hoe het eruitziet

- Eén vraag, hooguit twee. Meer lezen we niet na.
- De vraag gaat over het leerdoel van de les, niet over wat toevallig het laatst aan bod kwam.
- Leerlingen zetten hun naam erop; er hangt geen cijfer aan.
- Na de les sorteren we de briefjes in drie stapels: *snapt het*, *bijna* en *nog niet*.

## Wat we ermee doen

Het sorteren kost vijf tot tien minuten. De volgende les begint met een korte instructie aan tafel voor de groep *nog niet*, terwijl de rest verder werkt. Leerlingen uit de groep *bijna* krijgen een uitgewerkt voorbeeld om naast hun eigen werk te leggen.

## Wat we leerden

1. De vraag bedenken is het lastigste. Een goede vraag laat een veelgemaakte fout zien; een vraag als "Snap je het?" levert niets op.
2. Leerlingen nemen het serieus zodra ze merken dat er echt iets mee gebeurt.
3. Niet elke les. Twee of drie keer per week is vol te houden, ook met vijf klassen.

In de bijlage staan tien voorbeeldvragen die op beide scholen goed werkten.""",
        ("formatief-evalueren", "vakdidactiek"),
        (VO,),
        (STARTER, EXPERIENCED),
        (DIDACTIC, PEDAGOGY),
        ("noor", "mehmet"),
        ("cygnus", "hlw", "rosa"),
        690,
        reviewer="fatima",
        files=(EXIT_TICKETS_PDF,),
        revisions=(
            Revision(
                400,
                "noor",
                "Voorbeelden voor de moderne vreemde talen toegevoegd.",
                append="""

## Exit tickets bij de moderne vreemde talen

Collega's Frans en Engels probeerden de werkwijze ook. Daar werkt een korte schrijfvraag goed, bijvoorbeeld: "Schrijf twee zinnen in de passé composé over je weekend." De fouten die je ziet, bepalen wat je aan het begin van de volgende les herhaalt. Sorteren gaat hier sneller: je ziet in één oogopslag of de vorm klopt.""",
                reviewer="ravi",
            ),
            Revision(
                120,
                "mehmet",
                "Paragraaf over exit tickets in de digitale leeromgeving toegevoegd.",
                append="""

## Digitaal of op papier?

Sinds dit schooljaar zetten we de exit ticket soms in de digitale leeromgeving. Het voordeel: de antwoorden staan meteen in een overzicht, en je kunt ze thuis doorkijken. Het nadeel: leerlingen schrijven korter en tekenen geen schema's. Bij wiskunde blijven we daarom vaak bij papier; bij Nederlands en de talen werkt digitaal goed.""",
                reviewer="fatima",
            ),
        ),
        uses=(
            (
                "mundus",
                "Alle eerste klassen werken nu met exit tickets. De sectie wiskunde begon, "
                "Nederlands en Engels volgden na een studiemiddag.",
            ),
        ),
        review_comment="Heel herkenbaar en direct bruikbaar. Dank jullie wel!",
    ),
    DemoOutput(
        FE,
        T.GUIDELINE,
        "Succescriteria formuleren: een handreiking voor de sectie",
        "Hoe maak je van een leerdoel succescriteria die leerlingen begrijpen? Een stappenplan "
        "voor één sectievergadering, met voorbeelden uit wiskunde, Nederlands en biologie.",
        """Een leerdoel zegt wat leerlingen gaan leren; succescriteria zeggen waaraan je – en de leerling – ziet dat het gelukt is. Op onze scholen bleek dat het formuleren ervan het best lukt als de hele sectie er samen een uur voor neemt.

## Stappenplan voor één sectievergadering

1. **Kies één hoofdstuk** dat iedereen de komende weken geeft. *(10 minuten)*
2. **Schrijf het leerdoel** in leerlingtaal: "Ik kan …". *(10 minuten)*
3. **Bedenk samen twee of drie succescriteria**: wat zie je in het werk van een leerling die het beheerst? *(20 minuten)*
4. **Toets ze aan leerlingwerk.** Leg drie uitwerkingen van vorig jaar op tafel. Helpen de criteria om te zien wat goed ging en wat niet? *(15 minuten)*
5. **Spreek af** wie de criteria in de les gebruikt, en bespreek over zes weken hoe het ging. *(5 minuten)*

## Voorbeelden

| vak | leerdoel | succescriteria |
|---|---|---|
| wiskunde | Ik kan een lineair verband herkennen. | Ik vind de toename per stap in een tabel; ik zie in de grafiek een rechte lijn. |
| Nederlands | Ik kan een betogende alinea schrijven. | Mijn alinea begint met een standpunt; ik geef minstens één argument met een voorbeeld. |
| biologie | Ik kan de bouw van een cel beschrijven. | Ik noem drie celonderdelen en hun functie. |

## Valkuilen

- Criteria die alleen de opdracht herhalen ("Ik heb de opdracht af").
- Te veel criteria: meer dan drie onthoudt niemand.
- Criteria die na de eerste les uit beeld verdwijnen. Laat leerlingen er hun eigen werk mee nakijken, en kom er bij de feedback op terug.""",
        ("formatief-evalueren",),
        (VO,),
        (STARTER, EXPERIENCED, EXPERT),
        (DIDACTIC,),
        ("fatima", "anouk"),
        ("mundus", "ignatius"),
        560,
        reviewer="ravi",
        licence=Licence.CC_BY_SA,
        uses=(
            (
                "mundus",
                "Leidraad voor de sectievergaderingen van wiskunde en Nederlands in het eerste "
                "halfjaar.",
            ),
        ),
    ),
    DemoOutput(
        FE,
        T.TEACHING_MATERIAL,
        "Feedbackformulier voor schrijfopdrachten in klas 2",
        "Een formulier waarmee leerlingen elkaars schrijfopdracht bespreken aan de hand van drie "
        "vragen, met de werkwijze in vier lessen. Gebruikt bij Nederlands en Frans.",
        """Leerlingen lezen feedback vaak niet, of alleen het cijfer. Met dit formulier geven ze eerst elkaar feedback, en herschrijven ze hun tekst voordat de docent hem ziet.

## Het formulier

Het formulier (Word-bestand in de bijlage, vrij aan te passen) heeft drie vragen:

1. Wat is het sterkste punt van deze tekst? Citeer een zin.
2. Waar raakte je als lezer de draad kwijt?
3. Welke ene verandering zou de tekst het meest verbeteren?

Onderaan schrijft de schrijver op wat hij of zij met de feedback gaat doen.

## Werkwijze in vier lessen

- **Les 1** – leerlingen schrijven de eerste versie (bij Frans: een mail aan een correspondent).
- **Les 2** – in tweetallen vullen ze het formulier in voor elkaars tekst. De docent bespreekt vooraf met de klas een voorbeeld van goede en van vage feedback.
- **Les 3** – herschrijven. Wie klaar is, markeert in de tekst wat er veranderd is.
- **Les 4** – de docent geeft feedback op de tweede versie, alleen op de punten die de leerling zelf noemde.

## Ervaringen

In de eerste ronde was de feedback vriendelijk maar leeg ("goed gedaan!"). Het voorbeeld vooraf maakte het verschil: daarna citeerden leerlingen zinnen en deden ze concrete voorstellen. De tweede versies waren duidelijk beter, en de docenten hoefden minder na te kijken, omdat de gewone fouten er al uit waren.""",
        ("formatief-evalueren", "taal-en-lezen"),
        (VO,),
        (),
        (DIDACTIC,),
        ("noor", "sophie"),
        ("cygnus", "hlz"),
        330,
        reviewer="jeroen",
        files=(FEEDBACK_DOCX,),
    ),
    DemoOutput(
        FE,
        T.RESEARCH_SUMMARY,
        "Formative assessment in the lower years: what the research says",
        "A short English summary of research on formative assessment for colleagues in "
        "international and bilingual departments: five findings and what they mean for lessons "
        "in the first two years of secondary school.",
        """This summary was written for colleagues who teach in English, in the international and bilingual (tto) departments of Amsterdam schools. It brings together what our community read and discussed over two years.

## Five findings

1. **Feedback works when students act on it.** Comments that tell students what to do next help more than grades; a grade next to the comment often cancels the effect.
2. **Clear goals come first.** Students who know what success looks like can judge their own work. Success criteria are most useful while students are working, not only at the end.
3. **Short checks steer lessons better than long tests.** Exit tickets, mini whiteboards and hinge questions give information while there is still time to act on it.
4. **Peer feedback has to be taught.** Without examples and a simple structure, students give friendly but empty feedback.
5. **The effect depends on the follow-up.** Collecting information changes nothing; adapting the next lesson does.

## What this means for our lessons

- Plan one check per lesson, tied to the learning goal.
- Decide beforehand what you will do with the answers.
- In the first year, give grades less often and feedback more often.

## Further reading

The community discussed the work of Paul Black and Dylan Wiliam on assessment for learning, and Dutch summaries by the Nationaal Regieorgaan Onderwijsonderzoek (NRO). The links are among the community's resources.""",
        ("formatief-evalueren",),
        (VO,),
        (EXPERIENCED, EXPERT),
        (DIDACTIC, PEDAGOGY),
        ("priya", "julia"),
        ("barlaeus", "vierde"),
        250,
        reviewer="ravi",
    ),
    DemoOutput(
        FE,
        T.MEDIA_LINK,
        "Video: wisbordjes in de natuurkundeles, met nabespreking",
        "Een opname van twaalf minuten uit een natuurkundeles in havo 3: met wisbordjes checkt "
        "de docent of leerlingen dichtheid begrijpen, en hij stuurt bij. Met de nabespreking "
        "door een collega.",
        """Tim filmde – met toestemming van de leerlingen en hun ouders – een deel van zijn les over dichtheid. De leerlingen schrijven na elke vraag hun antwoord op een wisbordje en houden het tegelijk omhoog. In één oogopslag ziet de docent wie het begrijpt.

## Wat je ziet

- **0:00** – uitleg van de werkvorm aan de klas;
- **2:30** – drie vragen, met steeds lastiger getallen;
- **6:10** – de docent ziet dat een derde van de klas massa en volume door elkaar haalt, en legt het opnieuw uit met een ander voorbeeld;
- **9:00** – nabespreking met Esra Kaya, die de les observeerde.

## Kijkvragen voor je sectie

1. Op welk moment besluit de docent de uitleg over te doen, en waarop baseert hij dat?
2. Hoe voorkomt hij dat leerlingen bij elkaar afkijken?
3. Welke vraag uit jouw eigen vak leent zich voor wisbordjes?

De video is bedoeld voor de professionalisering van leraren. Deel hem niet met leerlingen.""",
        ("formatief-evalueren", "vakdidactiek"),
        (VO,),
        (),
        (DIDACTIC,),
        ("tim", "esra"),
        ("spinoza", "berlage"),
        75,
        reviewer="fatima",
        licence=Licence.ALL_RIGHTS_RESERVED,
        media_url="https://media.leernetwerk.amsterdam/video/wisbordjes-natuurkunde-havo-3",
    ),
    # -- Begrijpend lezen in groep 5 tot en met 8 ----------------------------------------------
    DemoOutput(
        READING,
        T.TEACHING_MATERIAL,
        "Leesreeks ‘Water in de stad’ voor groep 6",
        "Drie informatieve teksten over het Amsterdamse water die op elkaar voortbouwen, met "
        "woorden vooraf, vragen voor het tekstgesprek en een schrijfopdracht. Voor vier weken, "
        "twee lessen per week.",
        """Begrijpend lezen wordt makkelijker als kinderen al iets weten over het onderwerp. Daarom lezen we niet elke les een losse tekst, maar een reeks over één onderwerp. Met elke tekst groeit de kennis, en wordt de volgende tekst beter te begrijpen.

## De reeks

1. **Waarom Amsterdam niet onderloopt** – over dijken, sluizen en het peil van de grachten.
2. **Het IJ: van haven naar woonwijk** – hoe de stad aan het water veranderde.
3. **Wie maakt de grachten schoon?** – een gesprek met iemand die met de boot het afval uit de grachten vist.

Bij elke tekst horen:

- vijf woorden die we vooraf uitleggen, met een plaatje;
- drie vragen voor het tekstgesprek, van *wat staat er* naar *wat vind jij*;
- een korte schrijfopdracht waarin kinderen kennis uit de eerdere teksten gebruiken.

## Zo gebruik je het

De eerste les van elke tekst lezen we samen; in de tweede les lezen kinderen de tekst in tweetallen opnieuw en voeren ze het gesprek. Kinderen die meer aankunnen, zoeken zelf een bron over het onderwerp.

## Wat we zagen

Op beide scholen gebruikten kinderen bij de derde tekst uit zichzelf woorden uit de eerste (*peil*, *gemaal*). Ook kinderen die weinig lezen, deden mee aan het gesprek: ze wisten er inmiddels iets van.

De teksten hebben we zelf geschreven. In de bijlagen staan de teksten met de vragen, en een overzicht van de bronnen voor de leerkracht.""",
        ("taal-en-lezen", "kansengelijkheid"),
        (PO,),
        (),
        (CONTENT, DIDACTIC),
        ("lisa", "ruben"),
        ("vlieger", "kastanje"),
        610,
        reviewer="daan",
        files=(READING_SERIES_PDF, READING_SOURCES_CSV),
        revisions=(
            Revision(
                300,
                "ruben",
                "Vierde tekst over de Noord/Zuidlijn en vragen daarbij toegevoegd.",
                append="""

## Nieuw: een vierde tekst

Op verzoek van collega's uit Noord is er een vierde tekst bijgekomen: **Onder het IJ door**, over de bouw van de Noord/Zuidlijn. Hij herhaalt woorden uit de eerste tekst (*peil*, *dijk*) in een nieuwe situatie. De vragen bij deze tekst staan in een aparte bijlage.""",
                summary="Vier informatieve teksten over het Amsterdamse water die op elkaar "
                "voortbouwen, met woorden vooraf, vragen voor het tekstgesprek en een "
                "schrijfopdracht. Voor vijf weken, twee lessen per week.",
                files=(VIEWING_QUESTIONS_PDF,),
                reviewer="daan",
            ),
        ),
        uses=(
            (
                "kolk",
                "Groep 6 werkt dit voorjaar met de leesreeks. We voegden een tekst over de "
                "Kinkerstraat en de Kostverlorenvaart toe.",
            ),
            (
                "sloterplas",
                "In beide groepen 6, aansluitend bij het thema water van wereldoriëntatie.",
            ),
            ("amstelbrug", "Gebruikt in groep 6 en, in verkorte vorm, in groep 5."),
        ),
    ),
    DemoOutput(
        READING,
        T.PRACTICE_EXAMPLE,
        "Het tekstgesprek in groep 7: zo verdelen we de beurten",
        "Hoe zorg je dat niet steeds dezelfde vijf kinderen praten? Twee leerkrachten "
        "beschrijven de afspraken en werkvormen waarmee het gesprek over een tekst de hele groep "
        "bereikt.",
        """Een goed gesprek over een tekst helpt kinderen de tekst te begrijpen. Maar in een klassengesprek praten vaak dezelfde kinderen, en de rest wacht af. Dit schooljaar probeerden we in twee groepen 7 een andere aanpak.

## Onze afspraken

- **Eerst denken, dan praten.** Na elke vraag is er dertig seconden stilte. Kinderen schrijven een woord of zin op hun wisbordje.
- **Eerst in tweetallen.** Pas daarna vragen we een paar tweetallen wat ze bespraken.
- **Beurten met stokjes.** De namen staan op ijsstokjes; wie getrokken wordt, vertelt wat het tweetal bedacht. Dat maakt het minder spannend: je praat namens twee.
- **Doorvragen in plaats van goedkeuren.** "Waar in de tekst staat dat?" en "Wie wil daarop reageren?" in plaats van "Goed zo".

## Een les in het kort

1. Korte introductie van het onderwerp en twee nieuwe woorden (5 minuten).
2. Kinderen lezen de tekst zelfstandig, met een potlood in de hand (10 minuten).
3. Drie vragen, steeds via denken – tweetal – klas (20 minuten).
4. Afsluiting: elk kind schrijft één zin op over wat het nu weet (5 minuten).

## Wat het opleverde

We hielden een paar weken bij wie er aan het woord kwam. In de eerste week waren dat gemiddeld negen kinderen per gesprek, na zes weken bijna twintig. Kinderen die eerst nooit iets zeiden, antwoordden nu met hun maatje als steun. Het kost wel tijd: we lezen minder teksten, maar we lezen ze beter.""",
        ("taal-en-lezen",),
        (PO,),
        (STARTER, EXPERIENCED),
        (DIDACTIC, PEDAGOGY),
        ("ilse", "bram"),
        ("meeuw", "geuzennest"),
        470,
        reviewer="marieke",
        uses=(
            (
                "sloterplas",
                "De beurtenstokjes en de denkpauze zijn afspraak in alle groepen 5 tot en met 8.",
            ),
        ),
    ),
    DemoOutput(
        READING,
        T.RESEARCH_SUMMARY,
        "Kennis, woordenschat en begrijpend lezen: wat zegt het onderzoek?",
        "Een samenvatting van onderzoek naar begrijpend lezen voor leerkrachten van groep 5 tot "
        "en met 8: waarom kennis van de wereld en woordenschat zo zwaar wegen, en wat dat "
        "betekent voor strategieonderwijs.",
        """In de leergemeenschap lazen we het afgelopen jaar artikelen en overzichtsstudies over begrijpend lezen. Hier zetten we de belangrijkste inzichten op een rij, in gewone taal.

## Drie inzichten

**1. Wie meer weet, begrijpt meer.** Kinderen die al iets weten over een onderwerp, begrijpen een tekst erover veel beter, ook als ze minder vlot lezen. Kennis van de wereld is dus geen bijzaak, maar een voorwaarde.

**2. Woordenschat groeit vooral door veel lezen en praten over teksten.** Losse woordrijtjes helpen weinig. Woorden blijven hangen als kinderen ze vaker tegenkomen, in samenhangende teksten over één onderwerp.

**3. Strategieën helpen, maar beperkt.** Voorspellen, samenvatten en vragen stellen hebben effect, vooral als je ze kort aanleert en daarna toepast in echte teksten. Wekenlang oefenen met dezelfde strategie op korte, losse teksten levert weinig extra op.

## Wat betekent dit voor de klas?

- Kies teksten die samen kennis opbouwen, bijvoorbeeld bij de thema's van wereldoriëntatie.
- Besteed meer tijd aan het gesprek over de inhoud dan aan het benoemen van strategieën.
- Let op kinderen die thuis weinig lezen: zij hebben het meest aan kennisrijke teksten op school.

## Bronnen

We gebruikten onder meer de antwoorden van de Kennisrotonde (NRO) op vragen over begrijpend lezen, en publicaties van de Onderwijsraad over lezen en schrijven. De volledige lijst staat bij de bronnen van deze leergemeenschap.""",
        ("taal-en-lezen", "kansengelijkheid"),
        (PO,),
        (),
        (CONTENT, DIDACTIC),
        ("daan", "naomi"),
        ("amstelbrug", "sarphati", "hva"),
        380,
        reviewer="kwame",
    ),
    DemoOutput(
        READING,
        T.GUIDELINE,
        "Leesplezier in groep 7 en 8: tien afspraken",
        "Tien afspraken die twee scholen maakten om lezen voor het plezier terug te brengen in "
        "de bovenbouw, van een vrij leesmoment elke dag tot een klassenbibliotheek die kinderen "
        "zelf beheren.",
        """Kinderen in groep 7 en 8 lezen steeds minder voor hun plezier. Dat is zorgelijk, want wie veel leest, leest beter. Deze afspraken maakten we samen met de teams van twee scholen. Ze kosten weinig geld en vragen veel volharding.

## De tien afspraken

1. Elke dag vijftien minuten vrij lezen, ook in de week van de eindtoets.
2. De leerkracht leest zelf ook, zichtbaar voor de klas.
3. Kinderen kiezen zelf hun boek; strips, informatieve boeken en poëzie tellen mee.
4. Twee kinderen beheren de klassenbibliotheek; ze wisselen elke maand.
5. Een boek wegleggen mag. Wie na twintig bladzijden geen zin meer heeft, kiest een ander.
6. Eén keer per week een boekenpraatje van een kind, van hooguit twee minuten.
7. De leerkracht leest elke week voor uit een boek dat de kinderen nog niet kennen.
8. Twee keer per jaar gaan we naar de bibliotheek in de wijk, en elk kind heeft een pasje.
9. Geen toetsjes of verslagen bij het vrij lezen.
10. Ouders krijgen aan het begin van het jaar een korte uitleg, in eenvoudige taal.

## Waarom dit werkt

De afspraken komen uit wat we in de leergemeenschap lazen over leesmotivatie: keuzevrijheid, een goed voorbeeld en tijd om te lezen doen er meer toe dan beloningen. Na een jaar zeiden op beide scholen meer kinderen dat ze ook thuis lazen.""",
        ("taal-en-lezen",),
        (PO,),
        (),
        (PEDAGOGY, DIDACTIC),
        ("ilse", "lisa"),
        ("meeuw", "vlieger"),
        200,
        reviewer="daan",
        uses=(
            ("amstelbrug", "Afspraken 1, 3, 5 en 9 gelden sinds dit jaar in de hele bovenbouw."),
        ),
    ),
    DemoOutput(
        READING,
        T.MEDIA_LINK,
        "Podcast: hoe krijg je kinderen aan het lezen?",
        "Aflevering van de podcast van de leergemeenschap (32 minuten): twee leerkrachten van "
        "groep 5, de een al jaren en de ander net begonnen, over leesmotivatie, de "
        "klassenbibliotheek en lezen thuis.",
        """In deze aflevering praten Ruben Koster en Sanne de Wit over wat zij doen om kinderen aan het lezen te krijgen. Ruben werkt al jaren in groep 5; Sanne staat er sinds vorig jaar. Ze vergelijken hun aanpak en ontdekken dat ze veel van elkaar kunnen leren.

## In deze aflevering

- waarom het vrij lezen op veel scholen onder druk staat;
- hoe je een klassenbibliotheek opbouwt met weinig budget;
- wat je doet met een kind dat zegt: "Lezen is saai";
- lezen thuis, als er thuis weinig boeken zijn.

## Om zelf mee verder te gaan

Luister de aflevering met een collega en bespreek daarna: wat doen wij al, en wat zouden we morgen kunnen proberen? De tien afspraken over leesplezier uit deze leergemeenschap zijn een goed vertrekpunt.

## Over de podcast

De leergemeenschap maakt af en toe een aflevering over een vraag die in de bijeenkomsten terugkomt. De afleveringen duren ongeveer een halfuur, zodat je ze op weg naar school kunt luisteren. Heb je een onderwerp of wil je zelf aanschuiven? Laat het weten in de gesprekken van de leergemeenschap.""",
        ("taal-en-lezen",),
        (PO,),
        (STARTER, EXPERIENCED),
        (PEDAGOGY,),
        ("ruben", "sanne"),
        ("kastanje", "antonius"),
        40,
        reviewer="daan",
        licence=Licence.ALL_RIGHTS_RESERVED,
        media_url="https://media.leernetwerk.amsterdam/podcast/leesplezier-aflevering-3",
    ),
    DemoOutput(
        READING,
        T.TEACHING_MATERIAL,
        "Werkbladen bij de leesles over de Gouden Eeuw",
        "Vier werkbladen met vragen bij teksten over Amsterdam in de zeventiende eeuw, voor "
        "groep 6 en 7.",
        """Bij het thema de Gouden Eeuw maakten we vier werkbladen voor de leesles. Elk werkblad hoort bij een tekst en heeft vragen op drie niveaus: wat staat er, wat bedoelt de schrijver, en wat vind jij ervan?

## Inhoud

- Werkblad 1: Amsterdam wordt een wereldstad
- Werkblad 2: De VOC en de handel
- Werkblad 3: Wie betaalde de prijs? Slavernij en handel
- Werkblad 4: Het dagelijks leven op de grachten

## Tip

Begin niet onvoorbereid aan werkblad 3. Bespreek vooraf met de groep dat het over een pijnlijk deel van de geschiedenis gaat, en geef kinderen de ruimte om te reageren. In de leergemeenschap bespraken we hoe je dat doet.

De werkbladen passen bij de lessen geschiedenis in groep 6 en 7, maar zijn ook los te gebruiken in de leesles.""",
        ("taal-en-lezen", "burgerschap"),
        (PO,),
        (),
        (CONTENT,),
        ("kofi", "bram"),
        ("toekomst", "geuzennest"),
        260,
        reviewer="daan",
        stage=Stage.WITHDRAWN,
        files=(GOLDEN_AGE_PDF,),
        withdrawal=(
            95,
            "daan",
            "Teruggetrokken: de werkbladen bevatten fragmenten uit een lesmethode die we niet "
            "mochten delen. De auteurs schrijven een nieuwe versie met eigen teksten.",
        ),
    ),
    DemoOutput(
        READING,
        T.PRACTICE_EXAMPLE,
        "Voorspellen en samenvatten in groep 5: een lessenserie van vier weken",
        "Een lessenserie waarin kinderen in groep 5 leren voorspellen en samenvatten, steeds met "
        "teksten over dieren in de stad. Met de ervaringen uit twee groepen.",
        """In groep 5 lezen kinderen voor het eerst langere informatieve teksten. Voorspellen en samenvatten helpen hen om grip te houden op de inhoud. Wij probeerden een serie van acht lessen, met teksten die allemaal over dieren in de stad gaan: de reiger, de vos in het Vondelpark, de meerkoet en de halsbandparkiet.

## Opbouw

- **Week 1** – voorspellen aan de hand van de titel, de plaatjes en de tussenkopjes.
- **Week 2** – tijdens het lezen: klopt mijn voorspelling nog?
- **Week 3** – samenvatten in één zin per alinea.
- **Week 4** – een samenvatting van de hele tekst, voor een klasgenoot die de tekst niet las.

## Wat opviel

Voorspellen ging snel goed, samenvatten bleef lastig. Veel kinderen schreven de eerste zin van elke alinea over. Het hielp om samen te oefenen met een tekst die iedereen al kende, en om de samenvatting hardop aan een maatje te vertellen voordat je hem opschrijft.

## Nog te doen

We willen nog beschrijven hoe we kinderen die snel klaar waren, extra uitdaging gaven.""",
        ("taal-en-lezen", "differentieren"),
        (PO,),
        (STARTER,),
        (DIDACTIC,),
        ("sanne", "ruben"),
        ("antonius", "kastanje"),
        3,
        stage=Stage.IN_REVIEW,
    ),
    # -- Startende leraren in Nieuw-West -------------------------------------------------------
    DemoOutput(
        STARTERS,
        T.GUIDELINE,
        "Checklist voor de eerste schoolweek",
        "Wat regel je vóór en in de eerste week als startende leraar? Een checklist die starters "
        "uit het po en vo in Nieuw-West samen maakten, van rooster en lokaal tot de eerste mail "
        "aan ouders.",
        """Starters vertelden in de leergemeenschap allemaal hetzelfde: in de eerste week komt alles tegelijk. Deze checklist helpt om niets te vergeten. Hij is gemaakt door starters, voor starters, en aangevuld door hun begeleiders.

## Voor de eerste schooldag

- Je rooster, je lokalen en de weg ernaartoe: loop het een keer.
- Inloggen op het leerlingvolgsysteem en de digitale leeromgeving.
- Namenlijsten met foto's van je klassen; oefen de namen.
- Wie is je begeleider, en wanneer spreken jullie elkaar?
- De schoolregels over telefoons, te laat komen en eruit sturen.

## De eerste lessen

- Een vaste opening en afsluiting van je les.
- Drie klassenafspraken die je zelf belangrijk vindt, en hoe je ze oefent.
- Een plattegrond van de klas.

## De eerste week

- Een korte kennismakingsmail aan ouders. Laat hem eerst lezen door een collega.
- Schrijf na elke dag één ding op dat goed ging.
- Plan het eerste gesprek met je begeleider voor het eind van de week.

## Tot slot

Je hoeft in de eerste week niet alles perfect te doen. Kies wat voor jou het belangrijkst is en vraag hulp bij de rest. De checklist staat ook als pdf in de bijlage, om op te hangen.""",
        ("begeleiden-van-starters", "gedrag-en-klassenmanagement"),
        (PO, VO),
        (STUDENT, STARTER),
        (PEDAGOGY,),
        ("mehmet", "hamza"),
        ("hlw", "overy", "mundus"),
        480,
        reviewer="karim",
        files=(FIRST_WEEK_PDF,),
        revisions=(
            Revision(
                90,
                "hamza",
                "Onderdeel toegevoegd voor starters die meteen mentor zijn.",
                append="""

## Als je meteen mentor bent

- Bel of mail in de eerste twee weken alle ouders van je mentorklas. Een positief eerste contact helpt als er later iets is.
- Plan een mentoruur over de groep: hoe willen we met elkaar omgaan?
- Vraag de vorige mentor of de zorgcoördinator naar leerlingen die extra aandacht nodig hebben.""",
                reviewer="yusuf",
            ),
        ),
        uses=(
            (
                "mundus",
                "Alle nieuwe collega's krijgen de checklist bij hun eerste gesprek met de "
                "schoolopleider.",
            ),
            ("sloterplas", "Onderdeel van ons inwerkprogramma voor nieuwe leerkrachten."),
        ),
    ),
    DemoOutput(
        STARTERS,
        T.PRACTICE_EXAMPLE,
        "Intervisie met de incidentmethode: zo doen wij het",
        "Starters bespreken elke zes weken een lastig moment uit hun les volgens de "
        "incidentmethode. De stappen, de rol van de begeleider en wat deelnemers ervan zeggen.",
        """Elke zes weken komen vier tot zes starters bij elkaar voor intervisie, telkens op een andere school. We gebruiken de incidentmethode: één deelnemer brengt een kort voorval in, de anderen helpen het te begrijpen.

## De stappen (75 minuten)

1. **Inbreng** – de inbrenger vertelt in vijf minuten wat er gebeurde, zonder uitleg of oordeel.
2. **Informatieve vragen** – de anderen vragen naar feiten: wat zei je precies, wie waren erbij?
3. **Wat zou jij doen?** – iedereen schrijft eerst voor zichzelf op hoe hij of zij zou handelen.
4. **Bespreken** – de ideeën komen naast elkaar te liggen, zonder te zoeken naar het ene goede antwoord.
5. **Afsluiting** – de inbrenger vertelt wat hij of zij meeneemt.

## De rol van de begeleider

De begeleider bewaakt de tijd en de stappen, en houdt zich inhoudelijk zoveel mogelijk in. Dat is lastiger dan het klinkt: ervaren collega's willen graag adviseren.

## Voorbeelden van ingebrachte incidenten

- Een leerling die weigert zijn telefoon in te leveren.
- Een ouder die boos op het schoolplein staat.
- Een klas die na de gymles niet tot rust komt.

## Wat deelnemers zeggen

"Je merkt dat je niet de enige bent." "Ik heb nu vijf manieren om met zo'n situatie om te gaan, in plaats van één." Het vaste ritme maakt het verschil: je weet dat je je vraag over een paar weken kwijt kunt.""",
        ("begeleiden-van-starters", "gedrag-en-klassenmanagement"),
        (PO, VO),
        (STUDENT, STARTER),
        (PEDAGOGY,),
        ("jesse", "mehmet"),
        ("caland", "hlw", "esprit_academie"),
        300,
        reviewer="aylin",
    ),
    DemoOutput(
        STARTERS,
        T.EVALUATION_REPORT,
        "Een jaar begeleiding van starters in Nieuw-West: evaluatie",
        "Evaluatie van het eerste jaar van de leergemeenschap voor startende leraren: wie "
        "deden er mee, wat werkte, wat niet, en wat we volgend jaar anders doen. Op basis van "
        "een vragenlijst en twee groepsgesprekken.",
        """## Aanleiding

Startende leraren in Nieuw-West vertrekken in hun eerste jaren vaker dan elders in de stad. Een basisschool, een school voor voortgezet onderwijs en een huisacademie begonnen daarom samen een leergemeenschap voor starters uit het po en vo.

## Wie deden er mee

Vijftien starters van zeven scholen: negen uit het voortgezet en zes uit het primair onderwijs. Twaalf van hen bleven het hele jaar.

## Wat we deden

- vijf intervisiebijeenkomsten volgens de incidentmethode;
- lesbezoeken bij elkaar, in tweetallen;
- een gedeelde checklist voor de eerste schoolweek.

## Uitkomsten

Uit de vragenlijst (twaalf respondenten):

- elf deelnemers vonden de intervisie nuttig tot zeer nuttig;
- negen legden minstens één lesbezoek af; zij waren daar het meest positief over;
- het vaakst genoemde knelpunt was tijd. Vijf deelnemers misten een bijeenkomst omdat er geen vervanging was.

In de groepsgesprekken bleek dat starters vooral het contact met collega's van andere scholen waarderen: "Daar kun je vrijer praten dan op je eigen school."

## Wat we anders doen

1. De bijeenkomsten komen in het jaarrooster van de deelnemende scholen.
2. Elke starter krijgt een vaste partner voor lesbezoeken, op een andere school.
3. Schoolleiders krijgen aan het begin van het jaar een korte uitleg van wat deelname vraagt.""",
        ("begeleiden-van-starters",),
        (PO, VO),
        (STARTER,),
        (PEDAGOGY,),
        ("karim", "mehmet"),
        ("sloterplas", "mundus", "esprit_academie"),
        150,
        reviewer="yusuf",
    ),
    # -- Lesson study wiskunde -----------------------------------------------------------------
    DemoOutput(
        LESSON_STUDY,
        T.TEACHING_MATERIAL,
        "Lesontwerp: lineaire verbanden herkennen in klas 2",
        "Het lesontwerp dat een lesson study-team in twee cycli ontwikkelde: leerlingen "
        "ontdekken zelf wanneer een verband lineair is. Met de voorspellingen van het denken van "
        "leerlingen en de observatiepunten.",
        """Veel leerlingen in klas 2 herkennen een lineair verband alleen aan een formule van de vorm *y = ax + b*. Krijgen ze een tabel of een situatie, dan lukt het niet. Ons lesson study-team ontwierp een les die daar iets aan doet.

## Lesdoel

Leerlingen herkennen in een tabel, een grafiek of een beschrijving of een verband lineair is, en leggen uit waarom.

## Opbouw van de les

1. **Start (10 min)** – vier situaties op het bord: een taxirit, een groeiende plant, een telefoonabonnement en een afkoelende kop thee. Welke horen bij elkaar?
2. **Onderzoeken (20 min)** – in groepjes van drie maken leerlingen bij elke situatie een tabel en zoeken ze wat hetzelfde blijft.
3. **Bespreken (10 min)** – de docent laat twee tegengestelde indelingen zien en vraagt leerlingen elkaar te overtuigen.
4. **Afronding (10 min)** – elke leerling bedenkt zelf een lineaire en een niet-lineaire situatie.

## Voorspellingen

We voorspelden dat leerlingen de plant lineair zouden vinden ("hij groeit elke dag"). Dat klopte: in de eerste cyclus dacht twee derde van de klas dat. In de tweede cyclus lieten we de tabel van de plant eerder zien; toen merkten leerlingen zelf dat de toename niet gelijk bleef.

## In de bijlage

Het volledige lesontwerp met de werkbladen en het observatieformulier, als Word-bestand om aan te passen.""",
        ("rekenen", "vakdidactiek", "onderzoek-in-de-school"),
        (VO,),
        (),
        (CONTENT, DIDACTIC),
        ("jasper", "anouk", "hamza"),
        ("mla", "ignatius", "overy"),
        520,
        reviewer="thijs",
        files=(LESSON_DESIGN_DOCX,),
        uses=(
            (
                "mundus",
                "De sectie wiskunde geeft de les in alle tweede klassen, met een eigen "
                "startsituatie over de tram.",
            ),
        ),
    ),
    DemoOutput(
        LESSON_STUDY,
        T.RESEARCH_SUMMARY,
        "Lesson study: what research tells us, and what Amsterdam teams found",
        "An English summary of international research on lesson study, set against the "
        "experience of maths teams in Amsterdam secondary schools. For teachers, school leaders "
        "and teacher educators.",
        """Lesson study began in Japan, where teachers have planned, taught and discussed "research lessons" together for more than a century. Since the early 2000s it has spread to many countries, the Netherlands among them. This summary is in English so that colleagues in international departments and at partner universities can use it too.

## What research says

- **Focus on student thinking.** Lesson study works when teams observe what students actually do and think, rather than judging the teacher.
- **Time and structure matter.** Studies that found positive effects involved several cycles a year and a clear protocol for the discussion after the lesson.
- **Outside expertise helps.** A "knowledgeable other" – often a teacher educator or subject specialist – brings in subject knowledge and research the team would otherwise miss.
- **Effects on students are modest but real.** The clearest gains are in teachers' knowledge of how to teach their subject, and in collaboration.

## What the Amsterdam teams found

Teams of three or four maths teachers from different schools ran cycles of about eight weeks. They reported that predicting student reasoning before the lesson was the most valuable step, and the hardest. Observing two or three students closely revealed misconceptions that never showed up in written work.

## Recommendations

1. Protect time: one afternoon every two weeks during a cycle.
2. Choose a topic where students often get stuck.
3. Share the final lesson design, including what did not work.""",
        ("rekenen", "onderzoek-in-de-school"),
        (VO,),
        (EXPERIENCED, EXPERT),
        (DIDACTIC,),
        ("wouter", "anouk"),
        ("zaam_academie", "uva", "ignatius"),
        420,
        reviewer="thijs",
        revisions=(
            Revision(
                140,
                "anouk",
                "Added what the teams found in the second year, and the shared prediction "
                "template.",
                append="""

## Update: the second year

In the second year, two new teams joined, one of them with a student teacher. Teams now write down their predictions in a shared template before the lesson, which made the discussions afterwards shorter and more focused. A reading list is among the community's resources.""",
                reviewer="aylin",
            ),
        ),
    ),
    DemoOutput(
        LESSON_STUDY,
        T.EVALUATION_REPORT,
        "Twee jaar lesson study wiskunde: opbrengsten en lessen",
        "Evaluatie van twee jaar lesson study met teams van vier Amsterdamse scholen, twee "
        "huisacademies en de lerarenopleiding: wat het docenten opleverde, wat het kostte, en "
        "wat nodig is om door te gaan.",
        """## Opzet

In twee schooljaren werkten vijf teams van drie of vier wiskundedocenten elk aan twee cycli lesson study. Een instituutsopleider van de lerarenopleiding was bij alle nabesprekingen.

## Gegevens

We gebruikten de lesontwerpen, de verslagen van de nabesprekingen, een vragenlijst onder de deelnemers (zeventien van de negentien vulden hem in) en korte interviews met drie sectievoorzitters.

## Opbrengsten

- Docenten zeggen beter te voorspellen waar leerlingen vastlopen, ook in lessen buiten de cycli.
- De uitgewerkte lessen worden op drie scholen door de hele sectie gebruikt.
- Deelnemers waarderen vooral het observeren van leerlingen in de klas van een ander.

## Kosten en knelpunten

- Een cyclus kostte per docent ongeveer twaalf uur, naast de eigen lessen.
- Roosteren was het grootste probleem: voor de onderzoeksles moesten drie docenten tegelijk vrij zijn.
- Eén team stopte halverwege door ziekte en personeelswisselingen.

## Aanbevelingen

1. Plan de onderzoekslessen al bij het maken van het jaarrooster.
2. Begin elk jaar met minstens één docent die eerder meedeed.
3. Deel de lesontwerpen in de kennisbank, zodat ook andere scholen ze kunnen gebruiken.""",
        ("rekenen", "onderzoek-in-de-school"),
        (VO,),
        (),
        (DIDACTIC,),
        ("wouter", "samira"),
        ("zaam_academie", "esprit_academie", "mundus"),
        95,
        reviewer="thijs",
    ),
    DemoOutput(
        LESSON_STUDY,
        T.PRACTICE_EXAMPLE,
        "Breuken vergelijken: een onderzoeksles in klas 1",
        "Een onderzoeksles over het vergelijken van breuken, ontworpen en gegeven door een "
        "lesson study-team met twee startende docenten. Met wat de observaties lieten zien.",
        """Leerlingen in klas 1 denken vaak dat 1/8 groter is dan 1/6, "want acht is meer dan zes". Ons team – twee startende docenten en een ervaren collega – wilde weten hoe leerlingen redeneren als ze zelf breuken moeten vergelijken.

## De les

Leerlingen kregen stroken papier en de opdracht om eerlijk te verdelen: een pizza over zes kinderen en een pizza over acht kinderen. Bij welke groep krijg je het grootste stuk?

## Wat we zagen

- De meeste leerlingen kwamen met het papier tot het goede antwoord.
- Zonder papier vielen ze terug op "acht is meer".
- Leerlingen die het aan een ander uitlegden, onthielden het beter.

## Vervolg

In de volgende cyclus willen we onderzoeken wanneer leerlingen het papier kunnen loslaten.""",
        ("rekenen", "vakdidactiek"),
        (VO,),
        (STARTER,),
        (CONTENT, DIDACTIC),
        ("samira", "hamza"),
        ("mundus", "overy"),
        6,
        stage=Stage.IN_REVIEW,
    ),
    # -- Burgerschap in het mbo ----------------------------------------------------------------
    DemoOutput(
        CITIZENSHIP,
        T.TEACHING_MATERIAL,
        "Lesbrief: het nieuws van de week",
        "Een lesbrief voor een wekelijks burgerschapsmoment van dertig minuten: mbo-studenten "
        "kiezen zelf een nieuwsbericht, vatten het samen en gaan er met de groep over in gesprek.",
        """Studenten volgen het nieuws vooral via sociale media. In deze werkvorm brengen ze zelf een bericht mee en leren ze het te beoordelen en te bespreken. Het kost dertig minuten per week en past in elk rooster.

## Voorbereiding

Elke week zijn twee studenten aan de beurt. Zij kiezen een nieuwsbericht dat hen bezighoudt en beantwoorden drie vragen:

1. Wat is er gebeurd, in drie zinnen?
2. Waar komt het bericht vandaan, en is die bron betrouwbaar?
3. Wat heeft het met ons te maken, in Amsterdam of in ons beroep?

## In de les

- **5 minuten** – de twee studenten presenteren het bericht.
- **15 minuten** – gesprek in de groep, met de gespreksregels op het bord.
- **10 minuten** – ieder schrijft één zin: wat vind ik ervan, en waarom?

## Gespreksregels

- We praten over meningen, niet over personen.
- Je mag van mening veranderen.
- Wie iets beweert, zegt waar hij of zij het weet.

## Ervaringen

Studenten kozen vaker dan verwacht lokale onderwerpen: de huurprijzen, een steekpartij in de wijk, nieuwe woningen in Zuidoost. De docent hoeft niet alles te weten; samen uitzoeken is juist de bedoeling.""",
        ("burgerschap", "digitale-geletterdheid"),
        (MBO,),
        (),
        (PEDAGOGY, DIDACTIC),
        ("sevda",),
        ("roc_zuidoost",),
        540,
        reviewer="gerald",
        files=(NEWS_LESSON_PDF,),
        revisions=(
            Revision(
                230,
                "sevda",
                "Gespreksregels aangevuld, poster toegevoegd en een paragraaf over gesprekken "
                "die botsen.",
                replace=(
                    (
                        "- Je mag van mening veranderen.",
                        "- Je mag van mening veranderen.\n- Iedereen mag een time-out vragen.",
                    ),
                ),
                append="""

## Als het gesprek botst

Na een gesprek dat uit de hand liep, hebben we de lesbrief aangevuld. Spreek vooraf af dat iedereen een time-out mag vragen. Vat de standpunten samen voordat je verdergaat ("Ik hoor twee meningen: …"). En bespreek een heftig onderwerp liever een week later opnieuw dan het gesprek af te kappen. De gespreksregels staan nu ook als poster in de bijlage.""",
                files=(TALK_RULES_PDF,),
                reviewer="kwame",
            ),
        ),
        uses=(
            (
                "roc_zuidoost",
                "Vast onderdeel van loopbaan en burgerschap in alle eerstejaarsklassen van de "
                "opleidingen zorg en welzijn.",
            ),
        ),
    ),
    DemoOutput(
        CITIZENSHIP,
        T.PRACTICE_EXAMPLE,
        "Burgerschap op stage: de wijk als leeromgeving",
        "Studenten zorg en welzijn koppelen hun burgerschapsopdracht aan hun stage in Zuidoost "
        "en Noord. Hoe we dat organiseerden met buurtorganisaties en de gemeente, en wat "
        "studenten ervan leerden.",
        """Burgerschap voelt voor veel studenten als een los vak. Daarom koppelden we het aan hun stage. Studenten van de opleidingen zorg en welzijn in Zuidoost en Noord deden een kleine opdracht in de wijk waar ze stage liepen.

## De opdracht

Studenten kozen een vraag uit de wijk, bijvoorbeeld:

- Waarom komen de ouderen in deze flat zo weinig buiten?
- Wat doet de buurt tegen eenzaamheid onder jongeren?
- Wie beslist er over het buurthuis?

Ze spraken met minstens drie mensen: een bewoner, een professional en iemand van de gemeente of een buurtorganisatie. Aan het eind presenteerden ze wat ze vonden aan medestudenten en aan hun stagebegeleider.

## Samenwerking

De gemeente hielp ons aan contactpersonen in de stadsdelen. Buurtorganisaties ontvingen de studenten graag: voor hen leverde het een frisse blik op.

## Wat studenten leerden

Studenten zagen dat hun beroep niet los staat van de buurt. Een student schreef: "Ik dacht dat burgerschap over politiek ging. Nu snap ik dat het ook gaat over wie er in het buurthuis komt."

## Aandachtspunten

- Begin vroeg: afspraken met buurtorganisaties kosten tijd.
- Bespreek vooraf hoe studenten bewoners benaderen, zeker bij gevoelige onderwerpen.""",
        ("burgerschap", "kansengelijkheid"),
        (MBO,),
        (),
        (PEDAGOGY,),
        ("sevda", "dennis"),
        ("roc_zuidoost", "roc_noord", "gemeente"),
        360,
        reviewer="joyce",
    ),
    DemoOutput(
        CITIZENSHIP,
        T.GUIDELINE,
        "Het gesprek over gevoelige onderwerpen: handreiking voor mbo-docenten",
        "Hoe bereid je een gesprek over een beladen onderwerp voor, hoe houd je het veilig, en "
        "wat doe je als het misgaat? Een handreiking met concrete zinnen en afspraken, gemaakt "
        "door mbo-docenten en de lerarenopleiding.",
        """Oorlog, discriminatie, geloof, seksualiteit: onderwerpen die studenten raken, komen in de les vanzelf ter sprake. Veel docenten vinden dat spannend. Deze handreiking helpt je om het gesprek niet te vermijden, maar goed te voeren.

## Voor het gesprek

- Ken je groep: wie is persoonlijk bij het onderwerp betrokken?
- Bepaal je doel: wil je informeren, meningen uitwisselen of begrip kweken?
- Spreek gespreksregels af, het liefst samen met de groep.

## Tijdens het gesprek

- Vraag door voordat je reageert: "Wat bedoel je precies?" of "Waar heb je dat gelezen?"
- Benoem wat je hoort, zonder het meteen te beoordelen.
- Je hoeft niet neutraal te zijn, maar wees duidelijk over grenzen: kwetsende uitspraken over groepen accepteren we niet.

## Als het misgaat

Een gesprek kan ontsporen. Stop dan, benoem wat er gebeurt en geef iedereen even tijd. Spreek studenten die geraakt zijn na de les apart aan. Meld het bij je teamleider, en bespreek met collega's hoe je er de volgende les op terugkomt.

## Na het gesprek

Schrijf kort op wat goed ging en wat je een volgende keer anders doet. In de leergemeenschap bespreken we zulke ervaringen regelmatig.""",
        ("burgerschap", "sociale-veiligheid"),
        (MBO,),
        (STARTER, EXPERIENCED),
        (PEDAGOGY,),
        ("gerald", "sevda"),
        ("roc_zuidoost", "hva"),
        180,
        reviewer="kwame",
        licence=Licence.CC_BY_SA,
        uses=(
            (
                "roc_zuidoost",
                "Besproken in alle teamvergaderingen; nieuwe docenten krijgen hem bij de start.",
            ),
        ),
    ),
    DemoOutput(
        CITIZENSHIP,
        T.TEACHING_MATERIAL,
        "Verkiezingen in de klas: een simulatie voor eerstejaars",
        "Een simulatie van twee lessen waarin eerstejaarsstudenten een partij vormen, een kort "
        "programma schrijven, debatteren en stemmen.",
        """In deze simulatie vormen studenten in groepjes een eigen partij. Ze schrijven een kort programma over drie onderwerpen die hen raken, voeren een debat en stemmen aan het eind.

## Les 1

- Partijen vormen en een naam kiezen.
- Drie standpunten formuleren.
- Een verkiezingsposter maken.

## Les 2

- Een debat in drie rondes.
- Een geheime stemming.
- Nabespreking: wat lijkt op echte verkiezingen, en wat niet?""",
        ("burgerschap",),
        (MBO,),
        (STARTER,),
        (PEDAGOGY,),
        ("dennis",),
        ("roc_noord",),
        8,
        reviewer="kwame",
        stage=Stage.RETURNED,
        review_comment="Mooi idee, en de opzet is helder. Twee dingen voordat we publiceren: "
        "beschrijf wat je doet als een partij standpunten inneemt die tegen de gespreksregels "
        "ingaan, en vertel wat studenten ervan leerden. Misschien kun je naar de handreiking "
        "over gevoelige onderwerpen verwijzen.",
    ),
    # -- Meertaligheid en NT2 in de klas -------------------------------------------------------
    DemoOutput(
        LANGUAGES,
        T.TEACHING_MATERIAL,
        "Woordenlijst rekentaal in vijf thuistalen",
        "Achttien kernwoorden uit de rekenles in het Nederlands, Engels, Turks, Arabisch, Pools "
        "en Spaans, gecontroleerd door ouders en collega's. Als CSV-bestand, zodat je zelf talen "
        "kunt toevoegen.",
        """Kinderen die net Nederlands leren, kunnen vaak prima rekenen, maar struikelen over de woorden. Een breuk, de helft, het verschil: als je het woord in je eigen taal kent, valt het kwartje sneller.

## Hoe we de lijst maakten

We kozen achttien woorden die in groep 5 tot en met 8 steeds terugkomen. Ouders en collega's die de talen spreken, vertaalden ze en controleerden elkaars werk.

## Zo gebruiken we hem

- Bij een nieuw begrip zoeken kinderen het woord op in hun eigen taal en vertellen ze een klasgenoot wat het betekent.
- De lijst hangt naast het rekenbord: het Nederlandse woord groot, de vertalingen eronder.
- Ouders krijgen de lijst mee, zodat ze thuis in hun eigen taal over rekenen kunnen praten.

Het Nederlandse woord blijft het doel; de thuistaal is de brug ernaartoe.

## Aanvullen

Spreekt iemand in je team een andere taal, zoals Tamazight, Papiaments of Tigrinya? Voeg een kolom toe en deel de nieuwe versie in de leergemeenschap. Laat een vertaling altijd door een tweede spreker controleren.""",
        ("meertaligheid", "rekenen"),
        (PO,),
        (),
        (DIDACTIC,),
        ("lisa", "naomi"),
        ("vlieger", "sarphati"),
        440,
        reviewer="joyce",
        licence=Licence.CC0,
        files=(MATHS_WORDS_CSV,),
        uses=(
            ("amstelbrug", "Hangt in alle groepen 5 tot en met 8; we voegden Tigrinya toe."),
            ("kolk", "Gebruikt in de nieuwkomersgroep en in groep 6."),
        ),
    ),
    DemoOutput(
        LANGUAGES,
        T.PRACTICE_EXAMPLE,
        "De thuistaal als opstap: meertalig werken bij wereldoriëntatie",
        "Hoe twee basisscholen de thuistalen van kinderen bewust inzetten bij "
        "wereldoriëntatie: werkvormen, afspraken in het team en de reacties van kinderen en "
        "ouders.",
        """In onze groepen spreken kinderen samen vaak meer dan tien talen. Lange tijd was de afspraak: op school spreken we Nederlands. Sinds twee jaar doen we het anders. We zetten de thuistaal bewust in, juist om beter Nederlands te leren.

## Werkvormen

- **Voorkennis in de eigen taal.** Bij een nieuw onderwerp bespreken kinderen eerst in hun thuistaal wat ze er al van weten. Daarna vertellen ze het in het Nederlands.
- **Taalmaatjes.** Kinderen die dezelfde taal spreken, helpen elkaar bij moeilijke woorden. Een nieuwkomer heeft zo vanaf de eerste dag iemand om op terug te vallen.
- **Meertalige woordmuur.** Bij elk thema hangen de belangrijkste woorden in het Nederlands, met daaronder de vertalingen die kinderen zelf opzoeken.

## Afspraken in het team

We spraken af dat de thuistaal een opstap is, geen vervanging. De instructie en het eindproduct blijven Nederlands. Collega's die twijfelden, kwamen kijken in een les; dat overtuigde meer dan elke uitleg.

## Reacties

Kinderen vertellen trots hoe een woord in hun taal klinkt. Een meisje uit groep 6 dat bijna nooit iets zei, legde de hele groep uit hoe je in het Turks telt. Ouders reageerden verrast: "Mag dat dan?" Inmiddels vragen ze zelf naar de woordenlijst van het nieuwe thema.""",
        ("meertaligheid", "kansengelijkheid"),
        (PO,),
        (),
        (PEDAGOGY, DIDACTIC),
        ("naomi", "lisa"),
        ("sarphati", "asko_academie"),
        270,
        reviewer="marieke",
        revisions=(
            Revision(
                4,
                "naomi",
                "Voorbeelden uit het vo toegevoegd en het deel over ouders uitgebreid.",
                append="""

## Ook in het voortgezet onderwijs

Een collega Duits gebruikt dezelfde aanpak bij nieuwe grammatica: leerlingen vergelijken de zinsbouw met die van hun thuistaal. Wie Turks of Arabisch spreekt, ziet soms sneller hoe naamvallen werken dan klasgenoten die alleen Nederlands spreken.

## Ouders betrekken

We vragen ouders nu bij elk nieuw thema om thuis, in hun eigen taal, met hun kind over het onderwerp te praten. Een korte brief in eenvoudig Nederlands, met pictogrammen, legt uit waarom.""",
                in_review=True,
            ),
        ),
    ),
    DemoOutput(
        LANGUAGES,
        T.GUIDELINE,
        "Van nieuwkomersklas naar gewone klas: afspraken voor een warme overdracht",
        "Afspraken tussen nieuwkomersklassen en ontvangende scholen in het po en vo, zodat een "
        "leerling niet opnieuw hoeft te beginnen: wat de overdracht bevat, wie wat doet en hoe "
        "de eerste weken eruitzien.",
        """Een leerling die na een of twee jaar nieuwkomersonderwijs naar een gewone klas gaat, zet een grote stap. Te vaak gaat er informatie verloren en begint de leerling opnieuw. Deze afspraken maakten we met docenten van nieuwkomersklassen en ontvangende scholen, met steun van de gemeente.

## Wat de overdracht bevat

- het taalniveau bij lezen, luisteren, spreken en schrijven, met voorbeelden van werk;
- wat de leerling al kan bij rekenen of wiskunde, los van de taal;
- de thuistaal en de eerdere schoolervaring, ook van vóór de komst naar Nederland;
- wat de leerling zelf belangrijk vindt om te vertellen.

## Wie doet wat

1. De docent van de nieuwkomersklas schrijft de overdracht en bespreekt hem met de leerling.
2. De mentor of leerkracht van de nieuwe school spreekt de vorige docent, het liefst op school.
3. De leerling bezoekt de nieuwe klas minstens één keer vóór de overstap.

## De eerste weken

- Een vast maatje in de klas.
- Een woordenlijst per vak, in overleg met de vakdocenten.
- Na zes weken een gesprek tussen leerling, mentor en ouders: hoe gaat het?

## Tot slot

Houd in het eerste halfjaar contact met de nieuwkomersklas. Een kort telefoontje bij twijfel voorkomt veel.""",
        ("meertaligheid", "kansengelijkheid"),
        (PO, VO),
        (),
        (PEDAGOGY,),
        ("julia", "hamza"),
        ("vierde", "overy", "gemeente"),
        130,
        reviewer="daan",
    ),
    # -- Onderzoekend leren in de bètavakken ---------------------------------------------------
    DemoOutput(
        SCIENCE,
        T.TEACHING_MATERIAL,
        "Onderzoeksopdracht: hoe zuur is water uit de stad?",
        "Een open onderzoeksopdracht voor scheikunde in havo 4: leerlingen bedenken zelf een "
        "vraag over de zuurgraad van water uit hun omgeving – kraanwater, regenwater, "
        "grachtwater. Met opdracht en beoordeling.",
        """In het receptpracticum over zuren en basen meten leerlingen de pH van een rijtje oplossingen die de docent klaarzet. In deze versie bedenken ze zelf een onderzoeksvraag over water uit hun eigen omgeving.

## Opbouw (vier lessen)

1. **Verkennen** – leerlingen meten de pH van kraanwater, regenwater en water uit een gracht. De verschillen roepen vragen op.
2. **Vraag en plan** – in tweetallen formuleren ze een onderzoeksvraag en schrijven ze een plan, dat de docent goedkeurt. Voorbeelden: *Verandert de pH van regenwater tijdens een bui?* *Is het water in de gracht bij het Centraal Station zuurder dan in Zuid?*
3. **Uitvoeren** – metingen met pH-papier en, waar de school die heeft, een pH-meter.
4. **Rapporteren** – een poster met vraag, methode, resultaten en conclusie, gepresenteerd op een postermarkt.

## Veiligheid

Grachtwater alleen met handschoenen verzamelen, en nooit zelf het water in. Leerlingen nemen monsters vanaf de kade, met een emmer aan een touw en onder toezicht.

## Beoordeling

We beoordelen vier onderzoeksvaardigheden: de vraag, het plan, de betrouwbaarheid van de metingen en de conclusie. De scheikunde zelf (pH, zuur-basereacties) toetsen we apart.

## Ervaringen

Leerlingen waren verrast dat kraanwater niet precies neutraal is. Ook minder gemotiveerde leerlingen deden goed mee: het ging over hún stad. De grootste uitdaging was een vraag die in twee lessen te onderzoeken is.""",
        ("onderzoekend-leren", "vakdidactiek", "duurzaamheid"),
        (VO,),
        (),
        (CONTENT, DIDACTIC),
        ("esra", "ravi"),
        ("berlage", "rosa"),
        400,
        reviewer="hanneke",
        licence=Licence.CC_BY_SA,
        files=(WATER_RESEARCH_PDF,),
    ),
    DemoOutput(
        SCIENCE,
        T.PRACTICE_EXAMPLE,
        "Van receptpracticum naar open onderzoek: de slinger in havo 4",
        "Een natuurkundedocent beschrijft hoe hij het bekende slingerpracticum in drie stappen "
        "ombouwde tot een open onderzoek, en wat dat van hem en zijn leerlingen vroeg.",
        """Het slingerpracticum kent iedere natuurkundedocent: leerlingen meten de slingertijd bij verschillende lengtes en vinden het verband. Het werkt, maar leerlingen volgen vooral een recept. Dit jaar probeerde ik het anders.

## Stap 1: van recept naar vraag

Ik gaf geen werkblad, maar een slinger, een stopwatch en de vraag: *Waar hangt de slingertijd van af?* Leerlingen noemden zelf de massa, de lengte, de uitwijking en "hoe hard je duwt".

## Stap 2: een eerlijke test

Elk tweetal koos één variabele. Het lastigste bleek de rest constant te houden. We bespraken klassikaal waarom een test waarin twee dingen tegelijk veranderen niets zegt.

## Stap 3: resultaten delen

Elk tweetal presenteerde zijn resultaat op één dia. Samen bouwden we het hele beeld: alleen de lengte doet ertoe, zolang de uitwijking klein blijft.

## Wat het vroeg

- Meer tijd: vier lessen in plaats van twee.
- Verdragen dat leerlingen eerst de verkeerde kant op gaan. Het tweetal dat de massa onderzocht, ontdekte zelf dat er niets veranderde, en juist dat was waardevol.
- Een goede nabespreking. Zonder nabespreking blijven leerlingen met losse metingen zitten.

## Tip

Begin met een practicum dat je goed kent. Dan weet je welke vragen leerlingen gaan stellen.""",
        ("onderzoekend-leren", "vakdidactiek"),
        (VO,),
        (EXPERIENCED,),
        (DIDACTIC,),
        ("tim",),
        ("spinoza",),
        290,
        reviewer="hanneke",
    ),
    DemoOutput(
        SCIENCE,
        T.RESEARCH_SUMMARY,
        "Onderzoeksvaardigheden beoordelen: wat zegt het onderzoek?",
        "Wat weten we uit onderzoek over het beoordelen van onderzoeksvaardigheden in de "
        "bètavakken, van practicum tot profielwerkstuk? Een samenvatting voor secties die hun "
        "beoordeling willen herzien.",
        """Onderzoeksvaardigheden beoordelen is lastig. Secties gebruiken vaak lange rubrics die veel tijd kosten en weinig zeggen. Wij zochten uit wat onderzoek hierover weet.

## Bevindingen

- **Beoordeel minder, maar gerichter.** Een rubric met vier of vijf criteria wordt consistenter gebruikt dan een met vijftien.
- **Houd vaardigheid en vakkennis uit elkaar.** Als beide in één cijfer zitten, weet de leerling niet waar het aan lag.
- **Laat leerlingen de criteria vooraf gebruiken.** Leerlingen die met de rubric hun eigen plan nakijken, schrijven betere onderzoeksvragen.
- **Samen nakijken maakt beoordelen eerlijker.** Docenten die een paar verslagen samen beoordelen en de verschillen bespreken, komen dichter bij elkaar.

## Uit de praktijk

In de leergemeenschap probeerden drie scholen een korte rubric met vier criteria: onderzoeksvraag, plan, uitvoering en conclusie. Docenten waren sneller klaar, en leerlingen begrepen beter wat er van hen verwacht werd.

## Voor je sectie

1. Kies één onderzoeksopdracht en beoordeel samen vijf verslagen.
2. Bespreek waar jullie oordelen verschillen, en waarom.
3. Schrap de criteria die niemand gebruikt.

## Bronnen

We gebruikten Nederlandse en internationale literatuur over onderzoekend leren en beoordelen, en de handreikingen van SLO voor het profielwerkstuk. De lijst staat bij de bronnen van de leergemeenschap.""",
        ("onderzoekend-leren", "formatief-evalueren"),
        (VO,),
        (EXPERIENCED, EXPERT),
        (DIDACTIC,),
        ("priya", "noor"),
        ("barlaeus", "cygnus", "betapartners"),
        160,
        reviewer="femke",
    ),
    # -- Passend onderwijs in de praktijk ------------------------------------------------------
    DemoOutput(
        INCLUSIVE,
        T.TEACHING_MATERIAL,
        "Groepsoverzicht op één A4: sjabloon en werkwijze",
        "Een groepsoverzicht dat op één A4 past en dat je echt gebruikt: per kind wat werkt, "
        "wat het nodig heeft en wat je deze periode probeert. Met een werkwijze voor de "
        "bespreking met de intern begeleider.",
        """Groepsplannen worden vaak dikke documenten die na de groepsbespreking in een la verdwijnen. Wij maakten een overzicht dat op één A4 past en op het bureau blijft liggen.

## Wat erop staat

Per kind één regel, met drie kolommen:

- **Wat werkt** – waar het kind goed op reageert: een vaste plek, een beurt aan het begin, een compliment.
- **Wat het nodig heeft** – in één zin, zonder vakjargon.
- **Wat ik probeer** – één ding voor de komende zes weken.

Niet voor elk kind is elke kolom ingevuld. Dat hoeft ook niet: het overzicht is bedoeld voor de kinderen over wie je nadenkt.

## Werkwijze

1. Vul het overzicht in voor de groepsbespreking, in een kwartier.
2. Bespreek met de intern begeleider alleen de kinderen bij wie *wat ik probeer* niet werkt.
3. Pas het na zes weken aan; streep door wat klaar is.

## Ervaringen

Op beide scholen werkt het team nu met dit sjabloon. Leerkrachten zeggen dat ze minder tijd kwijt zijn aan schrijven en meer aan nadenken over het kind. En een invaller ziet meteen wat een kind helpt.

Het sjabloon staat als Word-bestand in de bijlage.""",
        ("passend-onderwijs", "differentieren"),
        (PO,),
        (STUDENT, STARTER, EXPERIENCED),
        (PEDAGOGY,),
        ("sanne", "fatma"),
        ("antonius", "jozef"),
        340,
        reviewer="eva",
        files=(GROUP_OVERVIEW_DOCX,),
        uses=(
            ("kolk", "Vervangt sinds de herfstvakantie onze oude groepsplannen, in alle groepen."),
        ),
    ),
    DemoOutput(
        INCLUSIVE,
        T.PRACTICE_EXAMPLE,
        "Differentiëren met de instructietafel in groep 5",
        "Een startende leerkracht beschrijft hoe ze de instructietafel inzet: wie er komt, hoe "
        "lang, en hoe ze voorkomt dat altijd dezelfde kinderen aan tafel zitten.",
        """In mijn eerste jaar in groep 5 gaf ik vooral klassikale instructie, en daarna liep ik rond. Dat kostte veel energie, en ik had het gevoel dat ik de kinderen die het nodig hadden te weinig zag. In de leergemeenschap leerde ik werken met een instructietafel.

## Hoe het werkt

Na een korte klassikale instructie van tien minuten gaan de meeste kinderen zelfstandig aan het werk. Vier tot zes kinderen schuiven aan bij de instructietafel voor verlengde instructie.

## Wie komt aan tafel?

Niet op vaste namen, maar op basis van de vorige les. Wie op het exit-briefje liet zien dat het nog niet lukte, komt. Kinderen mogen ook zelf aanschuiven als ze twijfelen. Zo voorkom ik dat het "de tafel voor wie het niet snapt" wordt.

## Wat ik leerde

- Houd de verlengde instructie kort: tien minuten is genoeg. Daarna oefenen de kinderen zelf, dicht bij mij.
- Gebruik een blokje of kaartje waarmee kinderen laten zien dat ze hulp nodig hebben, zodat je niet steeds gestoord wordt.
- Bespreek met de intern begeleider welke kinderen nooit aan tafel komen, maar wel meer uitdaging nodig hebben.

## Wat ik nog lastig vind

Kinderen die zelf nooit aanschuiven, maar het wel nodig hebben. Daar zoek ik nog een goede aanpak voor; tips zijn welkom.""",
        ("differentieren", "passend-onderwijs"),
        (PO,),
        (STARTER,),
        (DIDACTIC, PEDAGOGY),
        ("sanne",),
        ("antonius",),
        60,
        reviewer="eva",
    ),
    DemoOutput(
        INCLUSIVE,
        T.GUIDELINE,
        "Samen met ouders een ontwikkelingsperspectief opstellen",
        "Hoe betrek je ouders vanaf het begin bij het ontwikkelingsperspectief van hun kind?",
        """*Concept – nog aanvullen met voorbeelden uit mijn stage.*

Een ontwikkelingsperspectief stel je op samen met ouders. In de praktijk worden ouders vaak pas aan het eind betrokken, als het document al klaar is. Wat werkt beter?

## Eerste ideeën

- Ouders uitnodigen vóórdat er iets op papier staat.
- Een tolk regelen als dat nodig is, en het kind nooit laten tolken.
- Beginnen met de vraag wat ouders thuis zien.""",
        ("passend-onderwijs", "ouderbetrokkenheid"),
        (PO,),
        (STUDENT, STARTER),
        (PEDAGOGY,),
        ("fatma",),
        ("jozef",),
        2,
        stage=Stage.DRAFT,
    ),
    # -- Ouders als partner in Nieuw-West ------------------------------------------------------
    DemoOutput(
        PARENTS,
        T.PRACTICE_EXAMPLE,
        "Een koffieochtend die wél werkt: ouders in groep 3",
        "Een leerkracht van groep 3 in Nieuw-West vertelt hoe een maandelijkse koffieochtend "
        "over lezen groeide van vier naar twintig ouders, en wat daarvoor nodig was.",
        """Op onze school kwamen er maar weinig ouders naar de informatieavond aan het begin van het jaar. Toch wilde ik ouders betrekken bij het leren lezen in groep 3. Ik begon met een koffieochtend, direct na het brengen.

## De eerste keer

Vier ouders. Ik had een presentatie voorbereid over de leesmethode. Na tien minuten merkte ik dat niemand het volgde.

## Wat ik veranderde

- **Geen presentatie, maar doen.** Ouders lezen nu samen met hun kind een prentenboek, in de klas, en ik laat zien hoe je vragen stelt over het verhaal.
- **Elke taal is welkom.** Ouders mogen in hun eigen taal voorlezen en praten. Het gaat om het plezier en het gesprek.
- **Persoonlijk uitnodigen.** Een brief helpt weinig; ouders bij het hek aanspreken wel. Een moeder die Arabisch spreekt, nodigt nu ook andere ouders uit.
- **Een vaste dag.** Elke eerste vrijdag van de maand, zodat ouders het kunnen plannen.

## Nu

Er komen gemiddeld twintig ouders. Ze nemen boeken mee naar huis uit de klassenbibliotheek. De uitnodiging die ik gebruik, staat in de bijlage; pas hem gerust aan.

## Wat de school deed

De directeur zette de koffieochtend vast in de schoolkalender, en een onderwijsassistent vangt in die tijd de kinderen op die zonder ouder zijn.""",
        ("ouderbetrokkenheid", "taal-en-lezen"),
        (PO,),
        (STARTER,),
        (PEDAGOGY,),
        ("kofi",),
        ("toekomst",),
        110,
        reviewer="karim",
        files=(COFFEE_INVITATION_TXT,),
        uses=(("sloterplas", "Groep 3 en 4 houden nu samen elke maand een koffieochtend."),),
    ),
    DemoOutput(
        PARENTS,
        T.MEDIA_LINK,
        "Video: het driehoeksgesprek met kind, ouder en leerkracht",
        "Een korte video (negen minuten) over gesprekken waarin kind, ouder en leerkracht samen "
        "aan tafel zitten: de opbouw, de vragen die werken, en fragmenten uit een nagespeeld "
        "gesprek in groep 3.",
        """Een oudergesprek over een kind, zonder het kind: op veel scholen is dat nog gewoon. In deze video laten Kofi Mensah en Sanne de Wit zien hoe een driehoeksgesprek verloopt, ook met jonge kinderen. Het gesprek is nagespeeld door collega's; er zijn geen echte leerlingen of ouders in beeld.

## Opbouw van het gesprek

1. Het kind vertelt waar het trots op is, met een werkje als steun.
2. De leerkracht vertelt wat zij of hij ziet.
3. Ouder en kind vertellen hoe het thuis gaat.
4. Samen kiezen ze één doel voor de komende weken.

## Kijktips

Let op hoe de leerkracht het kind steeds als eerste het woord geeft, en hoe moeilijke woorden vermeden worden. Bespreek na het kijken in je team: wat is bij ons nodig om dit te proberen?

## Praktisch

Plan voor een driehoeksgesprek twintig minuten in plaats van tien, en zorg voor een tolk als ouders dat willen; laat nooit een broer of zus tolken. Op onze scholen houden we in het najaar driehoeksgesprekken, en in het voorjaar een gewoon oudergesprek, zodat er ook ruimte is voor zorgen die ouders liever zonder hun kind bespreken.""",
        ("ouderbetrokkenheid",),
        (PO,),
        (),
        (PEDAGOGY,),
        ("kofi", "sanne"),
        ("toekomst", "antonius"),
        25,
        reviewer="karim",
        media_url="https://media.leernetwerk.amsterdam/video/driehoeksgesprek-groep-3",
    ),
    # -- Pilot collegiale consultatie 2023/2024 (closed) ---------------------------------------
    DemoOutput(
        PILOT,
        T.EVALUATION_REPORT,
        "Evaluatie pilot collegiale consultatie 2023/2024",
        "Docenten van twee opleidingsscholen bezochten een schooljaar lang elkaars lessen, elk "
        "bezoek met een eigen vraag. De evaluatie beschrijft opzet, deelname, opbrengsten en "
        "voorwaarden, met aanbevelingen voor een vervolg.",
        """## Opzet van de pilot

Docenten van scholen uit de opleidingsscholen ROSA en De Dam bezochten in het schooljaar 2023/2024 elkaars lessen. Elk bezoek begon met een vraag van de docent die bezocht werd, bijvoorbeeld: *Krijgen alle leerlingen in mijn les evenveel aandacht?* Na de les volgde een gesprek van twintig minuten.

## Deelname

- 22 docenten van zes scholen meldden zich aan; 18 rondden de pilot af.
- Samen legden zij 61 lesbezoeken af.
- De deelnemers kwamen uit alle vakgebieden; wiskunde en de talen waren het sterkst vertegenwoordigd.

## Opbrengsten

Uit de vragenlijst aan het eind (16 respondenten) en twee groepsgesprekken:

- 15 respondenten noemden de bezoeken waardevol voor hun eigen lespraktijk;
- een eigen vraag maakte het gesprek na de les veel concreter dan een algemeen lesbezoek;
- docenten met een vaste partner op een andere school legden meer bezoeken af dan docenten met wisselende partners.

## Knelpunten

- Vrijroosteren was het grootste probleem: een derde van de geplande bezoeken ging niet door.
- De reistijd tussen scholen in verschillende stadsdelen.

## Aanbevelingen

1. Werk met vaste koppels van docenten van verschillende scholen.
2. Reserveer per koppel drie bezoekmomenten in het jaarrooster.
3. Geef de bezochte docent de regie: hij of zij bepaalt de vraag.

De samenvatting en de resultaten van de vragenlijst staan in de bijlagen.""",
        ("onderzoek-in-de-school", "gedrag-en-klassenmanagement"),
        (VO,),
        (STARTER, EXPERIENCED, EXPERT),
        (PEDAGOGY, DIDACTIC),
        ("fatima", "mehmet", "yusuf"),
        ("rosa", "dedam", "mundus", "hlw"),
        700,
        reviewer="jeroen",
        files=(PILOT_EVALUATION_PDF, PILOT_SURVEY_CSV),
        uses=(
            (
                "mundus",
                "Op basis van de aanbevelingen werken we nu met vaste koppels; drie "
                "bezoekmomenten staan in het jaarrooster.",
            ),
        ),
    ),
    DemoOutput(
        PILOT,
        T.GUIDELINE,
        "Een lesbezoek met een eigen vraag: handreiking collegiale consultatie",
        "Hoe bereid je een collegiaal lesbezoek voor dat echt iets oplevert? Een handreiking in "
        "vier stappen, met voorbeeldvragen en een opzet voor het nagesprek, gebaseerd op de "
        "pilot van 2023/2024.",
        """Een lesbezoek levert het meest op als de docent die bezocht wordt zelf een vraag heeft. Deze handreiking is gebaseerd op de ervaringen in de pilot collegiale consultatie.

## Stap 1: formuleer je vraag

Een goede vraag gaat over iets wat de bezoeker kan zien of horen. Bijvoorbeeld:

- Welke leerlingen stellen vragen, en welke niet?
- Hoe lang wacht ik na een vraag voordat ik een beurt geef?
- Wat doen leerlingen in de eerste vijf minuten van de les?

## Stap 2: spreek af waar de bezoeker op let

De bezoeker observeert alleen wat bij de vraag hoort, en schrijft op wat hij of zij ziet en hoort, zonder oordeel.

## Stap 3: het lesbezoek

Een deel van een les is genoeg, vaak twintig minuten. Laat de bezoeker niet achterin zitten, maar op een plek waar de leerlingen te zien zijn.

## Stap 4: het nagesprek (20 minuten)

1. De bezochte docent vertelt kort hoe de les ging.
2. De bezoeker vertelt wat hij of zij zag, bij de vraag.
3. Samen zoeken jullie uit wat dat betekent.
4. De bezochte docent kiest één ding om uit te proberen.

## Tot slot

Wissel van rol: wie bezocht werd, gaat de volgende keer zelf op bezoek.""",
        ("onderzoek-in-de-school",),
        (VO,),
        (),
        (PEDAGOGY,),
        ("mehmet", "fatima"),
        ("hlw", "mundus", "rosa"),
        650,
        reviewer="ravi",
        uses=(("mundus", "Gebruikt bij de collegiale lesbezoeken in de sectie wiskunde."),),
    ),
    # -- AI in de les (forming) ----------------------------------------------------------------
    DemoOutput(
        AI,
        T.MEDIA_LINK,
        "Webinar: AI en toetsing – wat verandert er?",
        "Opname van een webinar van een uur voor docenten uit po, vo en mbo: wat generatieve AI "
        "betekent voor opdrachten en toetsen, met voorbeelden van opdrachten die ook met AI "
        "betekenisvol blijven.",
        """In dit webinar bespreekt Aylin Çelik met docenten uit de leergemeenschap wat generatieve AI betekent voor toetsing. De opname is bedoeld als startpunt voor een gesprek in je team of sectie.

## Onderwerpen

- Waarom "AI verbieden" bij thuisopdrachten niet werkt.
- Opdrachten waarin het proces zichtbaar wordt: tussenproducten, een mondelinge toelichting, reflectie.
- Wanneer AI wél mag, en hoe leerlingen vermelden dat ze het gebruikten.
- Privacy: welke tools mag je met leerlingen gebruiken?

## Tijdsindeling

- **0:00** – introductie en een peiling onder de deelnemers
- **0:12** – voorbeelden uit het vo en het mbo
- **0:35** – vragen van deelnemers
- **0:52** – afspraken die scholen al maakten

## Na het kijken

Bespreek in je sectie: welke opdracht uit ons programma zouden we anders willen inrichten? Kies er één, en probeer samen een versie te maken waarin het denkwerk van de leerling zichtbaar blijft, ook als hij of zij AI gebruikt.

## Vervolg

In de volgende bijeenkomsten van de leergemeenschap werken we deze vragen uit met voorbeelden uit eigen lessen. Wie wil aansluiten, is welkom; de data staan bij de sessies.""",
        ("ai-in-het-onderwijs", "digitale-geletterdheid"),
        (PO, VO, MBO),
        (),
        (DIDACTIC,),
        ("aylin", "fatima"),
        ("esprit_academie", "mundus"),
        20,
        reviewer="wouter",
        licence=Licence.CC_BY,
        media_url="https://media.leernetwerk.amsterdam/webinar/ai-en-toetsing",
    ),
    DemoOutput(
        AI,
        T.GUIDELINE,
        "Afspraken over AI bij praktische opdrachten in de onderbouw",
        "Conceptafspraken voor de sectie wiskunde over AI bij praktische opdrachten: wat mag, "
        "wat niet, en hoe leerlingen vermelden dat ze het gebruikten.",
        """*Werkversie – graag reacties uit de leergemeenschap voordat ik hem ter beoordeling aanbied.*

## Uitgangspunten

- Leerlingen mogen AI gebruiken om ideeën te verzamelen en om uitleg te vragen.
- Berekeningen en conclusies schrijven ze zelf, en ze kunnen ze mondeling toelichten.
- Wie AI gebruikte, vermeldt dat in een korte verantwoording: welke tool, waarvoor, en wat deed je met het antwoord?

## Nog uit te werken

- Hoe houden we de mondelinge toelichting kort en haalbaar?
- Wat vertellen we ouders?""",
        ("ai-in-het-onderwijs", "formatief-evalueren"),
        (VO,),
        (),
        (DIDACTIC,),
        ("fatima",),
        ("mundus",),
        5,
        stage=Stage.DRAFT,
    ),
]


# -- loading -----------------------------------------------------------------------------------


def _ago(days: int, hour: int = 10) -> datetime:
    """A moment `days` before today, at a working hour (UTC)."""
    return (utcnow() - timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _first_name_key(user: User) -> str:
    """A person's key in the specs: "noor" for noor.bakker@example.org, "fatima" for
    fatima@example.org (the demo's first names are unique)."""
    return user.email.split("@")[0].split(".")[0]


@contextmanager
def _happened_at(moment: datetime) -> Iterator[None]:
    """Notifications written inside are dated `moment`; old ones are marked read, as their
    readers would have done (else the demo people would find two years of unread news)."""
    db.session.flush()
    before = db.session.scalar(sa.select(sa.func.max(Notification.id))) or 0
    yield
    db.session.flush()
    values: dict[str, datetime] = {"created_at": moment, "updated_at": moment}
    if moment < utcnow() - READ_AFTER:
        values["read_at"] = moment + timedelta(days=1)
    db.session.execute(
        sa.update(Notification)
        .where(Notification.id > before)
        .values(values)
        .execution_options(synchronize_session=False)
    )


@contextmanager
def _writable(community: Community) -> Iterator[None]:
    """The pilot community published its outputs before it closed; a closed community takes no
    new ones, so the demo replays that history by opening it for the moment."""
    closed = community.is_closed
    if closed:
        community.status = CommunityStatus.ACTIVE
    try:
        yield
    finally:
        if closed:
            community.status = CommunityStatus.CLOSED
            db.session.flush()


class _Demo:
    """What the loader looks up: people, communities, themes and organisations by their keys."""

    def __init__(self) -> None:
        self.people: dict[str, list[User]] = {}
        for user in db.session.scalars(sa.select(User).order_by(User.id)):
            self.people.setdefault(_first_name_key(user), []).append(user)
        self.themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
        self.communities = {c.slug: c for c in db.session.scalars(sa.select(Community))}
        self._organisations: dict[str, Organisation] = {}

    def person(self, key: str) -> User:
        (user,) = self.people[key]  # a second person with that first name: make the key longer
        return user

    def organisation(self, key: str) -> Organisation:
        if key not in self._organisations:
            self._organisations[key] = organisations_demo.organisation(key)
        return self._organisations[key]

    def authors(self, spec: DemoOutput, community: Community, since: datetime) -> list[User]:
        """The spec's authors who are members. In a public community a writer who is not a
        member yet joins first (dated `since`, before the writing began), as one would to
        contribute; elsewhere they are left out."""
        members = {user.id for user in communities.active_members(community)}
        found: list[User] = []
        for key in spec.authors:
            user = self.person(key)
            if user.id not in members and community.visibility == Visibility.PUBLIC:
                member = communities.join(community, user)
                member.joined_at = member.created_at = since
                members.add(user.id)
            if user.id in members:
                found.append(user)
        if not found:
            raise RuntimeError(f"No author of {spec.title!r} is a member of {community.slug}")
        return found

    def fields(
        self, spec: DemoOutput, community: Community, authors: list[User]
    ) -> services.OutputFields:
        allowed = {org.id for org in services.organisation_choices(community)}
        organisations = [self.organisation(key) for key in spec.organisations]
        return services.OutputFields(
            title=spec.title,
            output_type=spec.output_type,
            summary=spec.summary,
            body=spec.body,
            media_url=spec.media_url,
            licence=spec.licence,
            theme_ids=[self.themes[slug].id for slug in spec.themes],
            school_types=list(spec.school_types),
            career_stages=list(spec.career_stages),
            domains=list(spec.domains),
            author_ids=[user.id for user in authors],
            organisation_ids=[org.id for org in organisations if org.id in allowed],
        )

    def reviewer(self, output: KnowledgeOutput, key: str) -> User:
        """The reviewer the spec names, or else the first one who may review it."""
        candidates = services.reviewers(output)
        preferred = self.person(key) if key else None
        if preferred is not None and preferred in candidates:
            return preferred
        if not candidates:
            raise RuntimeError(f"Nobody may review {output.title!r}")
        return candidates[0]


def _attach(output: KnowledgeOutput, user: User, files: tuple[DemoFile, ...]) -> None:
    for demo_file in files:
        services.add_attachment(output, user, io.BytesIO(demo_file.content), demo_file.filename)


def _submit(output: KnowledgeOutput, writer: User, moment: datetime) -> OutputVersion:
    with _happened_at(moment):
        version = services.submit_for_review(output, writer)
    version.submitted_at = moment
    return version


def _last_review(version: OutputVersion) -> OutputReview:
    return db.session.scalars(
        sa.select(OutputReview)
        .where(OutputReview.version_id == version.id)
        .order_by(OutputReview.id.desc())
        .limit(1)
    ).one()


def _approve(
    output: KnowledgeOutput, reviewer: User, moment: datetime, comment: str = ""
) -> OutputVersion:
    with _happened_at(moment):
        version = services.approve(output, reviewer, comment)
    version.published_at = moment
    _last_review(version).created_at = moment
    if version.number == 1:
        output.published_at = moment
    output.revised_at = moment
    return version


def _revise(demo: _Demo, output: KnowledgeOutput, revision: Revision) -> OutputVersion:
    """A new version: started a week before it was published (or sent for review)."""
    writer = demo.person(revision.by)
    started = _ago(revision.days_ago + 8, 9)
    with _happened_at(started):
        version = services.start_revision(output, writer)
        fields = services.fields_of(output, version)
        body = version.body
        for old, new in revision.replace:
            assert old in body, f"{old!r} not in {output.title!r}"
            body = body.replace(old, new)
        fields.body = body + revision.append
        fields.summary = revision.summary or fields.summary
        fields.change_note = revision.change_note
        services.update_output(output, writer, fields)
        _attach(output, writer, revision.files)
    version.created_at = started
    if revision.in_review:
        _submit(output, writer, _ago(revision.days_ago, 15))
        return version
    _submit(output, writer, _ago(revision.days_ago + 3, 16))
    reviewer = demo.reviewer(output, revision.reviewer)
    return _approve(output, reviewer, _ago(revision.days_ago, 11))


def _mark_uses(demo: _Demo, output: KnowledgeOutput, spec: DemoOutput, published: datetime) -> None:
    """The schools said so some weeks after publication (and never in the future)."""
    latest = utcnow() - timedelta(days=1)
    for n, (school_key, note) in enumerate(spec.uses):
        school = demo.organisation(school_key)
        speaker = demo.person(SCHOOL_SPEAKERS[school_key])
        use = services.mark_used(output, school, speaker, note)
        use.created_at = min(published + timedelta(days=12 + 23 * n), latest)


def _counts(spec: DemoOutput, with_files: bool) -> tuple[int, int]:
    """Plausible view and download numbers: older and used outputs were read more."""
    if spec.stage not in (Stage.PUBLISHED, Stage.WITHDRAWN):
        return 0, 0
    views = 35 + spec.days_ago * 2 // 3 + 40 * len(spec.uses) + sum(map(ord, spec.title)) % 60
    return views, (views * 2 // 5 if with_files else 0)


def _settle(output: KnowledgeOutput, spec: DemoOutput, last_change: datetime) -> None:
    """Last: counts and 'updated' times, in one flush, so that no later change restamps them."""
    versions = db.session.scalars(
        sa.select(OutputVersion).where(OutputVersion.output_id == output.id)
    ).all()
    attachments = db.session.scalars(
        sa.select(OutputAttachment).where(OutputAttachment.version_id.in_([v.id for v in versions]))
    ).all()
    created = {v.id: v.created_at for v in versions}
    for attachment in attachments:
        attachment.created_at = created[attachment.version_id] + timedelta(hours=2)
    for version in versions:  # published ones last changed when published; the open one later
        version.updated_at = version.published_at or last_change
    output.view_count, output.download_count = _counts(spec, bool(attachments))
    output.updated_at = last_change
    db.session.flush()


def load_output(demo: _Demo, spec: DemoOutput) -> KnowledgeOutput:
    """One output through the workflow, dated as the spec says."""
    community = demo.communities[spec.community]
    if spec.stage in (Stage.PUBLISHED, Stage.WITHDRAWN):
        moment = _ago(spec.days_ago, 11)  # publication
        created = moment - timedelta(days=14 + spec.days_ago % 10)
    else:
        moment = _ago(spec.days_ago, 15)  # sent for review, sent back, last edited
        created = moment - timedelta(days=9)
    with _writable(community):
        authors = demo.authors(spec, community, created - timedelta(days=30))
        writer = authors[0]
        with _happened_at(created):
            output = services.create_output(
                community, writer, demo.fields(spec, community, authors)
            )
            _attach(output, writer, spec.files)
        output.created_at = output.versions[0].created_at = created
        last_change = moment
        if spec.stage == Stage.IN_REVIEW:
            _submit(output, writer, moment)
        elif spec.stage == Stage.RETURNED:
            _submit(output, writer, moment - timedelta(days=3))
            with _happened_at(moment):
                version = services.request_changes(
                    output, demo.reviewer(output, spec.reviewer), spec.review_comment
                )
            _last_review(version).created_at = moment
        elif spec.stage != Stage.DRAFT:
            _submit(output, writer, moment - timedelta(days=4))
            reviewer = demo.reviewer(output, spec.reviewer)
            _approve(output, reviewer, moment, spec.review_comment)
            _mark_uses(demo, output, spec, moment)
            for revision in spec.revisions:
                _revise(demo, output, revision)
                last_change = _ago(revision.days_ago, 15)
            if spec.withdrawal is not None:
                days_ago, by, reason = spec.withdrawal
                last_change = _ago(days_ago, 13)
                with _happened_at(last_change):
                    services.withdraw(output, demo.person(by), reason)
                output.withdrawn_at = last_change
        _settle(output, spec, last_change)
    return output


def _follow_themes(demo: _Demo) -> None:
    for person, theme, school in FOLLOWS:
        services.follow_theme(
            demo.themes[theme],
            demo.person(person),
            demo.organisation(school) if school else None,
        )


def load() -> str:
    with organisations_demo.mail_queued_only():
        return _load()


def _load() -> str:
    demo = _Demo()
    if any(spec.community not in demo.communities for spec in OUTPUTS):
        return "Knowledge outputs: skipped (demo communities missing)"
    outputs = [load_output(demo, spec) for spec in OUTPUTS]
    _follow_themes(demo)
    db.session.flush()
    by_status = {status: 0 for status in OutputStatus}
    for output in outputs:
        by_status[output.status] += 1
    published_types = {o.output_type for o in outputs if o.status == OutputStatus.PUBLISHED}
    versions = db.session.execute(
        sa.select(OutputVersion.output_id, sa.func.count())
        .group_by(OutputVersion.output_id)
        .having(sa.func.count() > 1)
    ).all()
    with_files = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(OutputVersion.output_id))).join(OutputAttachment)
    )
    uses = db.session.scalar(sa.select(sa.func.count(OutputUse.id)))
    follows = db.session.scalar(sa.select(sa.func.count(ThemeSubscription.id)))
    open_revisions = db.session.scalar(
        sa.select(sa.func.count(OutputVersion.id)).where(
            OutputVersion.number > 1, OutputVersion.state == VersionState.IN_REVIEW
        )
    )
    return (
        f"Knowledge outputs: {len(outputs)} ({by_status[OutputStatus.PUBLISHED]} published, "
        f"{len(published_types)} types; {by_status[OutputStatus.IN_REVIEW]} in review and "
        f"{open_revisions} new version in review; {by_status[OutputStatus.DRAFT]} drafts, "
        f"{by_status[OutputStatus.WITHDRAWN]} withdrawn); {with_files} with files, "
        f"{len(versions)} with several versions; {uses} uses by schools; "
        f"{follows} theme subscriptions"
    )
