"""Demo catalogue: what Amsterdam's providers offer, what teachers and schools want to learn.

Some forty offerings of every format by the demo's training schools, in-house academies,
teacher-education institutes and networks, and some sixty learning questions of teachers and
schools, all through the catalogue services: staff of the provider create and publish, teachers
enrol (one offering is full and has a waiting list; one waits for the school leader's approval),
a provider completes two offerings that took place (their hours go into the participants'
development records), others say "I have this question too", and askers mark questions
answered, adopted by a demo community, or closed.

Each question's current matches are recorded as the question form does, so that the askers
are not told about them again; one offering is published "yesterday", after the questions, and
announced, so that Fatima (and others) find a new match among their notifications.

Demand and supply do not meet everywhere, on purpose: AI, passend onderwijs, ouderbetrokkenheid
and sociale veiligheid have many questions and few (or no) offerings; subject teaching,
practitioner research, inquiry-based learning and support for beginning teachers have many
offerings and few questions.

Meetings are on weekdays, counted from the day the demo is loaded, in Amsterdam time. The
services stamp everything with the current time and take no enrolments once an offering has
started, so the demo moves timestamps afterwards: offerings were published some weeks ago,
questions were asked over the last months, and the two completed offerings are enrolled in while
still ahead, then their meetings are moved into the past before the provider completes them.

The providers are the demo's real Amsterdam organisations (plc.organisations.demo); their venues'
addresses, the prices and everything said in the texts are invented. The people are the
fictional demo people, plus one fictional staff member for the AcOA, which had none.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

import sqlalchemy as sa

from plc.auth.demo import DEMO_PEOPLE
from plc.auth.models import CareerStage, SchoolType, User
from plc.catalogue import matching, services
from plc.catalogue.models import (
    CostKind,
    Enrolment,
    EnrolmentScope,
    LearningQuestion,
    LearningQuestionStatus,
    Offering,
    OfferingFormat,
    OfferingStatus,
    QuestionSupport,
    QuestionVisibility,
    Urgency,
)
from plc.communities.models import Community
from plc.core.models import utcnow
from plc.development.models import RecordEntry, RecordSource
from plc.extensions import db
from plc.live.services import amsterdam_moment, to_local
from plc.notifications.models import Notification
from plc.organisations import demo as organisations_demo
from plc.organisations.models import Organisation, OrganisationRole
from plc.themes.models import CompetenceDomain, Theme

PO, VO, MBO = SchoolType.PRIMARY, SchoolType.SECONDARY, SchoolType.VOCATIONAL
STUDENT, STARTER, EXPERIENCED, EXPERT = (
    CareerStage.STUDENT,
    CareerStage.STARTER,
    CareerStage.EXPERIENCED,
    CareerStage.EXPERT,
)
CONTENT, DIDACTIC, PEDAGOGY = (
    CompetenceDomain.SUBJECT_MATTER,
    CompetenceDomain.SUBJECT_TEACHING,
    CompetenceDomain.PEDAGOGY,
)
F = OfferingFormat
ALL_STAGES = (STUDENT, STARTER, EXPERIENCED, EXPERT)

#: Who publishes for each provider (person keys: the part of the e-mail address before the dot).
STAFF: dict[str, str] = {
    "rosa": "ravi",
    "dedam": "jeroen",
    "acoa": "lieke",
    "asko_academie": "marieke",
    "zaam_academie": "wouter",
    "esprit_academie": "aylin",
    "uva": "thijs",
    "vu": "hanneke",
    "hva": "kwame",
    "opera": "emma",
    "betapartners": "femke",
}
#: The AcOA had nobody to publish for it: a fictional staff member (name, e-mail, bio).
ACOA_STAFF = (
    "Lieke Brandsma",
    "lieke.brandsma@example.org",
    "Coördinator professionalisering bij de AcOA; praktijkonderzoek in de school.",
)
#: Moving the completed offerings' meetings back by whole weeks keeps them on weekdays.
PAST_SHIFT = timedelta(weeks=10)

# Venues (invented addresses, some at the providers' partner schools).
BERLAGE = "Berlage Lyceum, Amstelkade 80, 1078 AK Amsterdam"
CALAND = "Calandlyceum, Pieter Calandlaan 5, 1065 KH Amsterdam"
OVERY = "Over-Y College, Meeuwenlaan 120, 1021 JN Amsterdam"
SWEELINCK = "Sweelinck College, Stadionweg 100, 1077 SB Amsterdam"
MLA = "Montessori Lyceum Amsterdam, Lairessestraat 120, 1075 HL Amsterdam"
ASKO_HOUSE = "ASKO Academie, Zeeburgerdijk 40, 1094 AC Amsterdam"
ZAAM_HOUSE = "ZAAM Academie, Wibautstraat 150, 1091 GR Amsterdam"
ESPRIT_HOUSE = "Esprit Academie, Johan Huizingalaan 250, 1066 AP Amsterdam"
UVA = "Universiteit van Amsterdam, Roeterseilandcampus, Nieuwe Achtergracht 127, 1018 WS Amsterdam"
VU = "Vrije Universiteit Amsterdam, De Boelelaan 1105, 1081 HV Amsterdam"
HVA = "Hogeschool van Amsterdam, Wibautstraat 2-4, 1091 GM Amsterdam"
SCIENCE_PARK = "Amsterdam Science Park, Science Park 904, 1098 XH Amsterdam"
ZWIJGER = "Pakhuis de Zwijger, Piet Heinkade 179, 1019 HC Amsterdam"
ROC_ZO = "ROC van Amsterdam, Bijlmerdreef 100, 1102 CT Amsterdam"

#: (days from the day the demo is loaded, start in Amsterdam time, minutes).
Slot = tuple[int, str, int]


def series(
    first: int, count: int = 1, every: int = 14, at: str = "15:30", minutes: int = 120
) -> tuple[Slot, ...]:
    """`count` meetings, `every` days apart, from `first` days ahead."""
    return tuple((first + n * every, at, minutes) for n in range(count))


class Outcome(StrEnum):
    """Where a demo offering ends up."""

    PUBLISHED = "published"
    DRAFT = "draft"
    CANCELLED = "cancelled"
    COMPLETED = "completed"  #: took place (meetings in the past); hours credited


@dataclass(frozen=True)
class DemoOffering:
    provider: str  #: organisation key
    format: OfferingFormat
    title: str
    summary: str
    description: str
    themes: tuple[str, ...]
    domains: tuple[CompetenceDomain, ...]
    stages: tuple[CareerStage, ...]
    school_types: tuple[SchoolType, ...]
    meetings: tuple[Slot, ...]
    location: str = ""  #: empty: online
    online: bool = False
    capacity: int | None = None
    cost: CostKind = CostKind.FREE
    euros: int | None = None
    approval: bool = False
    contact_hours: float = 0
    self_study_hours: float = 0
    scope: EnrolmentScope = EnrolmentScope.EVERYONE
    outcome: Outcome = Outcome.PUBLISHED
    #: People who enrol, in this order (beyond the capacity: the waiting list).
    enrol: tuple[str, ...] = ()
    #: (participant, school leader, approve?): decisions on enrolments the school pays.
    decisions: tuple[tuple[str, str, bool], ...] = ()
    #: People who cancel their enrolment again.
    cancel: tuple[str, ...] = ()
    #: Completed offerings: enrolled people who did not come (no hours).
    absent: tuple[str, ...] = ()
    #: Cancelled offerings: the message to those enrolled.
    cancel_message: str = ""
    #: Published yesterday, after the questions were asked: their askers hear of it.
    fresh: bool = False


@dataclass(frozen=True)
class DemoQuestion:
    author: str  #: person key
    title: str
    body: str
    themes: tuple[str, ...]
    domain: CompetenceDomain | None
    stage: CareerStage | None
    school_type: SchoolType | None
    urgency: Urgency = Urgency.NORMAL
    visibility: QuestionVisibility = QuestionVisibility.EVERYONE
    #: The school it is asked for (its leader asks), or None for the author's own question.
    school: str | None = None
    #: How many others say "I have this question too".
    supports: int = 0
    status: LearningQuestionStatus = LearningQuestionStatus.OPEN
    resolution: str = ""
    #: Adopted: the community's name.
    community: str = ""
    days_ago: int = 20


# -- offerings ---------------------------------------------------------------------------------

OFFERINGS: list[DemoOffering] = [
    # -- ROSA ---------------------------------------------------------------------------------
    DemoOffering(
        "rosa",
        F.WORKSHOP,
        "Exit tickets en wisbordjes: snel zien wat de klas snapt",
        "Twee middagen over korte checks aan het eind van de les, en wat je de volgende les "
        "met de uitkomst doet.",
        """In deze workshop oefen je met werkvormen die in vijf minuten laten zien waar je klas staat: exit tickets, wisbordjes, de vinger-check en een vraag op de deur.

- Middag 1: goede checkvragen maken bij je eigen lesdoel.
- Tussendoor: je probeert drie checks uit in je eigen klas.
- Middag 2: we bekijken de antwoorden van je leerlingen en ontwerpen de vervolgles.

Neem een lesplanning van een les in de komende weken mee.""",
        ("formatief-evalueren", "vakdidactiek"),
        (DIDACTIC,),
        (STARTER, EXPERIENCED),
        (VO,),
        ((-40, "15:30", 150), (-26, "15:30", 150)),
        location=BERLAGE,
        capacity=20,
        contact_hours=5,
        self_study_hours=3,
        outcome=Outcome.COMPLETED,
        enrol=("fatima", "noor", "samira", "jasper", "esra", "tim", "mehmet"),
        absent=("tim",),
    ),
    DemoOffering(
        "rosa",
        F.INTERVISION,
        "Intervisie voor startende docenten",
        "Vijf bijeenkomsten in een vaste groep van starters van verschillende ROSA-scholen, "
        "met de incidentmethode.",
        """Je eerste jaren voor de klas zitten vol situaties waar je even niet uitkomt. In een vaste groep van zes tot acht starters bespreek je ze met de incidentmethode: één deelnemer brengt een situatie in, de anderen vragen door en denken mee.

Een ervaren schoolopleider begeleidt de groep. Wat besproken wordt, blijft in de groep.""",
        ("begeleiden-van-starters", "gedrag-en-klassenmanagement"),
        (PEDAGOGY,),
        (STUDENT, STARTER),
        (VO,),
        series(16, 5, every=21, at="16:00", minutes=105),
        location=CALAND,
        capacity=8,
        contact_hours=9,
        enrol=("samira", "esra", "hamza", "jesse"),
    ),
    DemoOffering(
        "rosa",
        F.COURSE,
        "Leergang schoolopleider: studenten en starters begeleiden",
        "Zes bijeenkomsten voor ervaren docenten die studenten en starters (gaan) begeleiden, "
        "met een certificaat van ROSA en de lerarenopleidingen.",
        """Als werkplekbegeleider of schoolopleider help je nieuwe collega's groeien. In deze leergang leer je:

1. lesbezoeken voorbereiden en nabespreken met een eigen vraag van de student;
2. feedback geven die houvast geeft zonder te ontmoedigen;
3. beoordelen met de kijkwijzers van de lerarenopleidingen;
4. de begeleiding in je school organiseren.

Tussen de bijeenkomsten begeleid je een student of starter en houd je een logboek bij. De school betaalt; overleg vooraf met je schoolleider.""",
        ("begeleiden-van-starters",),
        (PEDAGOGY,),
        (EXPERIENCED, EXPERT),
        (VO,),
        series(30, 6, every=14, at="15:00", minutes=180),
        location=CALAND,
        capacity=18,
        cost=CostKind.SCHOOL_PAYS,
        euros=650,
        contact_hours=18,
        self_study_hours=20,
        enrol=("priya", "julia"),
    ),
    DemoOffering(
        "rosa",
        F.PEER_OBSERVATION,
        "Collegiale consultatie tussen scholen: kijken met een vraag",
        "Je bezoekt een collega op een andere ROSA-school en ontvangt zelf een bezoeker, "
        "allebei met een eigen vraag.",
        """Een lesbezoek levert het meest op als je met een vraag komt. Je wordt gekoppeld aan een collega van een andere school. Samen:

- formuleer je ieder een vraag over je eigen lessen;
- spreek je af waar de bezoeker op let;
- bezoek je elkaars les en voer je een nagesprek van twintig minuten.

De start- en slotbijeenkomst zijn op het Berlage Lyceum; de bezoeken plan je samen.""",
        ("onderzoek-in-de-school", "gedrag-en-klassenmanagement"),
        (PEDAGOGY, DIDACTIC),
        (STARTER, EXPERIENCED, EXPERT),
        (VO,),
        ((12, "15:30", 90), (68, "15:30", 90)),
        location=BERLAGE,
        capacity=16,
        contact_hours=5,
        self_study_hours=4,
        enrol=("noor", "omar", "sophie"),
    ),
    DemoOffering(
        "rosa",
        F.LEARNING_NETWORK,
        "Netwerk scheikundedocenten Amsterdam",
        "Eens per zes weken: scheikundedocenten van verschillende scholen delen practica, "
        "toetsen en lesideeën.",
        """Scheikunde geef je op veel scholen met één of twee collega's. In dit netwerk vind je er meer. Elke bijeenkomst neemt iemand een practicum of toets mee, we proberen het uit en passen het aan.

Dit jaar werken we aan open practica in de bovenbouw en aan de nieuwe examenprogramma's.""",
        ("vakdidactiek", "onderzoekend-leren"),
        (CONTENT, DIDACTIC),
        ALL_STAGES,
        (VO,),
        series(20, 4, every=42, at="16:00", minutes=120),
        location=BERLAGE,
        contact_hours=8,
        enrol=("esra", "tim"),
    ),
    # -- Opleidingsschool De Dam -------------------------------------------------------------
    DemoOffering(
        "dedam",
        F.COURSE,
        "Startersprogramma: het eerste jaar voor de klas",
        "Zes bijeenkomsten voor docenten in hun eerste of tweede jaar: klassenmanagement, "
        "lesontwerp, ouders en werkdruk.",
        """Het startersprogramma van De Dam helpt je door je eerste jaren. Elke bijeenkomst heeft een thema en ruimte voor je eigen vragen:

1. Een goede start: routines en afspraken.
2. Lessen ontwerpen die werken.
3. Gesprekken met ouders.
4. Orde en relatie.
5. Toetsen en feedback.
6. Werkdruk en grenzen.

Je bent welkom, ook als je niet op een De Dam-school werkt.""",
        ("begeleiden-van-starters", "gedrag-en-klassenmanagement"),
        (PEDAGOGY, DIDACTIC),
        (STARTER,),
        (VO,),
        series(10, 6, every=21, at="15:30", minutes=150),
        location=OVERY,
        capacity=24,
        contact_hours=15,
        self_study_hours=6,
        enrol=("mehmet", "hamza", "samira"),
        cancel=("samira",),
    ),
    DemoOffering(
        "dedam",
        F.WORKSHOP,
        "Orde houden zonder te schreeuwen: de eerste vijf minuten van je les",
        "Een middag oefenen met binnenkomst, startopdracht en de eerste instructie, met "
        "acteurs als leerlingen.",
        """Hoe je les begint, bepaalt vaak hoe hij verloopt. In deze workshop oefen je de eerste vijf minuten: bij de deur staan, een startopdracht die iedereen meteen kan doen, en een heldere eerste instructie.

We werken met acteurs die een (soms lastige) klas spelen. Je krijgt direct feedback van de trainer en van elkaar.""",
        ("gedrag-en-klassenmanagement",),
        (PEDAGOGY,),
        (STUDENT, STARTER),
        (VO, MBO),
        ((24, "14:30", 180),),
        location=SWEELINCK,
        capacity=30,
        contact_hours=3,
        enrol=("jesse", "esra", "hamza", "milan"),
    ),
    DemoOffering(
        "dedam",
        F.COACHING,
        "Beeldcoaching voor starters",
        "Drie keer een les op video, met een coach nabespreken: je ziet zelf wat werkt.",
        """Je neemt drie keer (een deel van) een les op. Samen met een gecertificeerde beeldcoach kijk je terug: wat doe je al goed, en wat wil je de volgende keer anders doen?

De beelden blijven van jou en worden na het traject verwijderd. De gesprekken zijn op je eigen school of online.""",
        ("begeleiden-van-starters", "gedrag-en-klassenmanagement"),
        (PEDAGOGY,),
        (STARTER,),
        (VO, MBO),
        series(18, 3, every=21, at="14:00", minutes=60),
        location=OVERY,
        online=True,
        capacity=6,
        contact_hours=3,
        self_study_hours=3,
        enrol=("mehmet", "dennis"),
    ),
    DemoOffering(
        "dedam",
        F.LESSON_STUDY,
        "Lesson study geschiedenis: bronnen leren lezen",
        "Met drie tot vier docenten geschiedenis ontwerp, geef en onderzoek je samen één les "
        "over het lezen van historische bronnen.",
        """Leerlingen vinden bronnen lastig: wie schreef dit, wanneer, en waarom? In deze lesson study kies je met je team een bron en een lesdoel, voorspel je wat leerlingen zullen doen, geef je de les en kijk je naar drie leerlingen.

Een vakdidacticus van de lerarenopleiding denkt mee. De les komt daarna in de kennisbank.""",
        ("vakdidactiek", "taal-en-lezen"),
        (DIDACTIC,),
        ALL_STAGES,
        (VO,),
        series(35, 4, every=21, at="15:30", minutes=120),
        location=SWEELINCK,
        capacity=12,
        contact_hours=8,
        self_study_hours=6,
        enrol=("jesse",),
    ),
    DemoOffering(
        "dedam",
        F.INTERVISION,
        "Intervisie voor werkplekbegeleiders",
        "Voor wie studenten begeleidt: vier keer per jaar casussen uit de begeleiding bespreken.",
        """Begeleiden doe je vaak alleen. In deze intervisiegroep bespreek je met andere werkplekbegeleiders wat je tegenkomt: een student die niet op tijd komt, een les die steeds misgaat, een beoordeling die je lastig vindt.

We werken met de roosmethode en sluiten elke bijeenkomst af met één ding dat je volgende week anders doet.""",
        ("begeleiden-van-starters",),
        (PEDAGOGY,),
        (EXPERIENCED, EXPERT),
        (VO,),
        series(27, 4, every=35, at="16:00", minutes=90),
        location=OVERY,
        capacity=10,
        contact_hours=6,
        enrol=("priya",),
    ),
    # -- AcOA ---------------------------------------------------------------------------------
    DemoOffering(
        "acoa",
        F.COURSE,
        "Praktijkonderzoek in je eigen school",
        "Een leergang van vijf bijeenkomsten: van een vraag uit je eigen lessen naar een "
        "klein onderzoek dat je school verder helpt.",
        """Je begint met een vraag die je echt bezighoudt, zoals "Werken mijn huiswerkopdrachten eigenlijk?". In vijf bijeenkomsten leer je:

- een onderzoeksvraag scherp te maken;
- gegevens te verzamelen die je toch al hebt (toetsen, observaties, korte vragenlijsten);
- eerlijk te kijken naar wat ze laten zien;
- je uitkomsten te delen met je sectie.

De leergang wordt gegeven door onderzoekers van de HvA en de UvA.""",
        ("onderzoek-in-de-school",),
        (DIDACTIC,),
        (EXPERIENCED, EXPERT),
        (VO,),
        series(21, 5, every=28, at="15:00", minutes=180),
        location=MLA,
        capacity=20,
        cost=CostKind.AMOUNT,
        euros=295,
        contact_hours=15,
        self_study_hours=25,
        enrol=("priya", "anouk"),
    ),
    DemoOffering(
        "acoa",
        F.MASTERCLASS,
        "Masterclass: wat onderzoek zegt over huiswerk en oefenen",
        "Een avond over gespreid oefenen, ophalen uit het geheugen en huiswerk dat werkt, met "
        "voorbeelden uit Amsterdamse scholen.",
        """Wat weten we eigenlijk over huiswerk? In deze masterclass bespreken we het onderzoek naar oefenen, gespreid herhalen en ophalen uit het geheugen, en wat dat betekent voor je studiewijzer.

Twee docenten laten zien hoe hun sectie het huiswerk anders heeft ingericht, en wat dat opleverde.""",
        ("vakdidactiek", "onderzoek-in-de-school"),
        (DIDACTIC,),
        (EXPERIENCED, EXPERT),
        (VO,),
        ((45, "19:00", 120),),
        location=MLA,
        capacity=60,
        contact_hours=2,
        enrol=("jasper",),
    ),
    DemoOffering(
        "acoa",
        F.PEER_OBSERVATION,
        "Lesbezoek met een kijkwijzer: differentiëren in de vo-klas",
        "In tweetallen bij elkaar kijken hoe je verschillen in de klas opvangt, met een "
        "eenvoudige kijkwijzer.",
        """Je bezoekt een collega van een andere AcOA-school en ontvangt zelf een bezoek. De kijkwijzer helpt je te letten op drie dingen: de instructie, het zelfstandig werken en de verlengde instructie.

De startbijeenkomst legt de kijkwijzer uit; in de slotbijeenkomst delen we wat we zagen.""",
        ("differentieren",),
        (DIDACTIC, PEDAGOGY),
        (STARTER, EXPERIENCED),
        (VO,),
        ((33, "15:30", 90), (75, "15:30", 90)),
        location=MLA,
        capacity=12,
        contact_hours=5,
        self_study_hours=2,
    ),
    DemoOffering(
        "acoa",
        F.MASTERCLASS,
        "Toetsen nabespreken: van cijfer naar volgende stap",
        "Een masterclass voor docenten in de bovenbouw havo en vwo: proefwerken zo nabespreken "
        "dat leerlingen met de feedback aan de slag gaan in plaats van alleen naar het cijfer "
        "te kijken.",
        """Na een proefwerk kijken leerlingen vooral naar het cijfer. In deze masterclass leer je de bespreking om te draaien: leerlingen zoeken eerst zelf hun fouten, werken in tweetallen aan verbeteropdrachten en maken een plan voor de volgende toets.

- korte, vooruitkijkende feedback in plaats van lange commentaren;
- een les om een proefwerk heen: foutenanalyse, herkansingsopgaven, reflectie;
- voorbeelden uit wiskunde, economie en de talen in havo 4 en 5.

Neem een nagekeken proefwerk (geanonimiseerd) mee.""",
        ("formatief-evalueren", "vakdidactiek"),
        (DIDACTIC,),
        (EXPERIENCED, EXPERT),
        (VO,),
        ((50, "15:30", 150),),
        location=MLA,
        capacity=40,
        contact_hours=2.5,
        self_study_hours=1,
        fresh=True,
    ),
    # -- ASKO Academie ------------------------------------------------------------------------
    DemoOffering(
        "asko_academie",
        F.COURSE,
        "Leesmotivatie in groep 6 tot en met 8",
        "Vier bijeenkomsten over boeken kiezen, voorlezen, boekgesprekken en lezen met kinderen "
        "die weinig lezen.",
        """Veel kinderen lezen in de bovenbouw minder graag dan in groep 4. In deze cursus werk je aan:

- een klassenbibliotheek die kinderen aanspreekt;
- dagelijks voorlezen en boekgesprekken;
- vrij lezen dat echt lezen is;
- samenwerken met de bibliotheek en met ouders.

Alleen voor leerkrachten van ASKO-scholen.""",
        ("taal-en-lezen", "kansengelijkheid"),
        (DIDACTIC,),
        (STARTER, EXPERIENCED),
        (PO,),
        series(14, 4, every=28, at="15:30", minutes=120),
        location=ASKO_HOUSE,
        capacity=24,
        contact_hours=8,
        self_study_hours=4,
        scope=EnrolmentScope.OWN_BOARD,
        enrol=("lisa", "sanne"),
    ),
    DemoOffering(
        "asko_academie",
        F.INTERVISION,
        "Intervisie voor leerkrachten in hun eerste twee jaar",
        "Een vaste groep startende leerkrachten van ASKO-scholen, vijf keer per jaar, met een "
        "ervaren begeleider.",
        """Je bespreekt situaties uit je eigen groep met andere starters: een kind dat steeds de les verstoort, een lastig oudergesprek, een week waarin alles te veel is.

De groep blijft het hele jaar hetzelfde, zodat je elkaar leert kennen.""",
        ("begeleiden-van-starters",),
        (PEDAGOGY,),
        (STUDENT, STARTER),
        (PO,),
        series(9, 5, every=35, at="15:30", minutes=105),
        location=ASKO_HOUSE,
        capacity=8,
        contact_hours=9,
        scope=EnrolmentScope.OWN_BOARD,
        enrol=("sanne", "fatma"),
    ),
    DemoOffering(
        "asko_academie",
        F.WORKSHOP,
        "Rekenen met het drieslagmodel: van concreet naar abstract",
        "Een praktische middag over handelend rekenen, modellen en het moment waarop je ze "
        "weer loslaat.",
        """Kinderen die vastlopen met sommen, missen vaak een stap: van doen, via een model, naar de som. In deze workshop oefen je met materiaal, modellen en het gesprek daarover, voor groep 3 tot en met 6.

Open voor leerkrachten van alle Amsterdamse scholen.""",
        ("rekenen", "differentieren"),
        (DIDACTIC, CONTENT),
        (STARTER, EXPERIENCED),
        (PO,),
        ((26, "15:00", 150),),
        location=ASKO_HOUSE,
        capacity=25,
        contact_hours=2.5,
        enrol=("ruben", "kofi"),
    ),
    DemoOffering(
        "asko_academie",
        F.COACHING,
        "Coaching voor intern begeleiders: een groepsplan dat je echt gebruikt",
        "Drie coachgesprekken en een groepsbespreking die de coach bijwoont.",
        """Groepsplannen worden vaak geschreven en daarna weinig gebruikt. Je coach helpt je het plan terug te brengen tot wat leerkrachten in de klas nodig hebben, en kijkt mee bij een groepsbespreking op je school.

De school betaalt het traject.""",
        ("passend-onderwijs", "differentieren"),
        (PEDAGOGY,),
        (EXPERT,),
        (PO,),
        series(22, 3, every=28, at="13:00", minutes=75),
        location=ASKO_HOUSE,
        capacity=6,
        cost=CostKind.SCHOOL_PAYS,
        euros=180,
        contact_hours=4,
        self_study_hours=2,
        enrol=("naomi",),
    ),
    # -- ZAAM Academie ------------------------------------------------------------------------
    DemoOffering(
        "zaam_academie",
        F.LESSON_STUDY,
        "Lesson study wiskunde: algebra in klas 2",
        "Met een team van drie tot vier wiskundedocenten een les over variabelen ontwerpen, "
        "geven, observeren en verbeteren.",
        """Waar lopen leerlingen op vast als letters getallen worden? Je team kiest een lesdoel, onderzoekt wat leerlingen al weten, voorspelt hun antwoorden en geeft de les twee keer.

Een instituutsopleider van de UvA denkt mee. Open voor wiskundedocenten van alle scholen.""",
        ("rekenen", "vakdidactiek"),
        (DIDACTIC, CONTENT),
        (STARTER, EXPERIENCED),
        (VO,),
        series(17, 5, every=21, at="15:30", minutes=120),
        location=ZAAM_HOUSE,
        capacity=12,
        contact_hours=10,
        self_study_hours=8,
        enrol=("jasper", "mehmet"),
    ),
    DemoOffering(
        "zaam_academie",
        F.COURSE,
        "Formatief handelen in de hele sectie",
        "Vier bijeenkomsten voor secties die samen formatief willen werken: leerdoelen, "
        "checks, feedback en wat je met cijfers doet.",
        """Formatief evalueren werkt het best als een hele sectie meedoet. Je komt met minstens twee collega's uit je sectie en werkt aan:

1. gezamenlijke leerdoelen en succescriteria per periode;
2. korte checks die je allemaal gebruikt;
3. feedback die leerlingen gebruiken;
4. een toetsplan met minder, maar betere cijfers.

Alleen voor ZAAM-scholen.""",
        ("formatief-evalueren",),
        (DIDACTIC,),
        (EXPERIENCED, EXPERT),
        (VO,),
        series(28, 4, every=28, at="14:30", minutes=180),
        location=ZAAM_HOUSE,
        capacity=30,
        contact_hours=12,
        self_study_hours=8,
        scope=EnrolmentScope.OWN_BOARD,
        enrol=("noor", "anouk"),
    ),
    DemoOffering(
        "zaam_academie",
        F.WORKSHOP,
        "Taalgericht vakonderwijs in de bètavakken",
        "Twee middagen over vaktaal in biologie, scheikunde en natuurkunde: woorden, zinnen "
        "en uitleg die leerlingen kunnen volgen.",
        """Veel leerlingen begrijpen de natuurkunde wel, maar niet de taal van de opgave. Je leert vaktaal zichtbaar te maken, leerlingen te laten praten en schrijven in het vak, en opgaven te herschrijven zonder ze makkelijker te maken.

Alleen voor ZAAM-scholen.""",
        ("meertaligheid", "vakdidactiek"),
        (DIDACTIC,),
        ALL_STAGES,
        (VO,),
        ((38, "15:00", 150), (52, "15:00", 150)),
        location=ZAAM_HOUSE,
        capacity=24,
        contact_hours=5,
        scope=EnrolmentScope.OWN_BOARD,
    ),
    DemoOffering(
        "zaam_academie",
        F.INTERVISION,
        "Intervisie voor mentoren in de brugklas",
        "Voor mentoren van brugklassen: casussen over groepsvorming, pesten en het eerste "
        "oudergesprek.",
        """Het concept: vier bijeenkomsten, een vaste groep, de incidentmethode. Data en locatie volgen nog.""",
        ("sociale-veiligheid", "gedrag-en-klassenmanagement"),
        (PEDAGOGY,),
        (STARTER, EXPERIENCED),
        (VO,),
        series(60, 4, every=28, at="15:30", minutes=90),
        location=ZAAM_HOUSE,
        capacity=10,
        contact_hours=6,
        scope=EnrolmentScope.OWN_BOARD,
        outcome=Outcome.DRAFT,
    ),
    # -- Esprit Academie ----------------------------------------------------------------------
    DemoOffering(
        "esprit_academie",
        F.WORKSHOP,
        "Werken met AI bij het voorbereiden van lessen",
        "Een online middag: lesmateriaal, oefenvragen en feedback voorbereiden met een "
        "AI-assistent, en kritisch kijken naar wat eruit komt.",
        """Je werkt met een AI-assistent aan materiaal voor je eigen lessen: oefenvragen op drie niveaus, een tekst op een ander taalniveau, een rubric. We bespreken wat goed gaat en wat je altijd zelf moet controleren, en wat je wel en niet invoert met het oog op privacy.

Neem een les mee die je binnenkort geeft.""",
        ("ai-in-het-onderwijs", "digitale-geletterdheid"),
        (DIDACTIC,),
        ALL_STAGES,
        (PO, VO, MBO),
        ((11, "15:30", 120),),
        online=True,
        capacity=40,
        contact_hours=2,
        self_study_hours=1,
        enrol=("fatima", "samira", "omar", "zeynep"),
    ),
    DemoOffering(
        "esprit_academie",
        F.MASTERCLASS,
        "Masterclass digitale geletterdheid in de onderbouw",
        "Wat leerlingen moeten kunnen met informatie, media en computers, en hoe je dat in "
        "je eigen vak een plek geeft.",
        """Een onderzoeker en twee docenten van Esprit-scholen laten zien hoe digitale geletterdheid een plek krijgt in gewone vakken: bronnen beoordelen bij geschiedenis, data bij aardrijkskunde, een algoritme bij wiskunde.

Alleen voor Esprit-scholen.""",
        ("digitale-geletterdheid",),
        (CONTENT, DIDACTIC),
        (EXPERIENCED, EXPERT),
        (VO,),
        ((40, "16:00", 120),),
        location=ESPRIT_HOUSE,
        capacity=50,
        contact_hours=2,
        scope=EnrolmentScope.OWN_BOARD,
        enrol=("omar",),
    ),
    DemoOffering(
        "esprit_academie",
        F.COACHING,
        "Coaching on the job: formatieve feedback in je eigen les",
        "Een coach bezoekt drie van je lessen en bespreekt met je hoe je feedback geeft die "
        "leerlingen gebruiken.",
        """Je kiest een klas en een vraag, bijvoorbeeld "Hoe zorg ik dat leerlingen iets doen met mijn commentaar op hun toets?". De coach bezoekt drie lessen, en na elke les spreek je samen één verandering af.

De school betaalt; je schoolleider keurt de aanmelding goed. Alleen voor Esprit-scholen.""",
        ("formatief-evalueren",),
        (DIDACTIC, PEDAGOGY),
        (STARTER, EXPERIENCED),
        (VO,),
        series(19, 3, every=21, at="12:30", minutes=90),
        location=ESPRIT_HOUSE,
        capacity=8,
        cost=CostKind.SCHOOL_PAYS,
        euros=240,
        approval=True,
        contact_hours=4.5,
        self_study_hours=3,
        scope=EnrolmentScope.OWN_BOARD,
        enrol=("samira", "fatima"),
        decisions=(("samira", "yusuf", True),),
    ),
    DemoOffering(
        "esprit_academie",
        F.LEARNING_NETWORK,
        "Netwerk internationale schakelklassen en nieuwkomers",
        "Docenten van ISK's en gewone klassen delen hoe ze nieuwkomers laten instromen en meedoen.",
        """In dit netwerk komen docenten van internationale schakelklassen en van gewone klassen samen. We bespreken de overstap, taal in alle vakken en het contact met ouders.

Open voor alle Amsterdamse scholen in po en vo.""",
        ("meertaligheid", "kansengelijkheid"),
        (PEDAGOGY, DIDACTIC),
        ALL_STAGES,
        (PO, VO),
        series(23, 4, every=42, at="15:30", minutes=120),
        location=ESPRIT_HOUSE,
        contact_hours=8,
        enrol=("hamza", "daan"),
    ),
    # -- UvA ----------------------------------------------------------------------------------
    DemoOffering(
        "uva",
        F.MASTERCLASS,
        "Masterclass: feedback die leerlingen echt gebruiken",
        "Wat onderzoek zegt over feedback in het voortgezet onderwijs, en hoe je het in de "
        "bovenbouw toepast.",
        """Feedback is een van de sterkste hefbomen in het onderwijs, maar veel commentaar wordt niet gelezen. Deze masterclass gaat over feedback die vooruit kijkt, feedback op taak en proces, en werkvormen waarin leerlingen er in de les iets mee doen.

Voor ervaren docenten in de bovenbouw havo en vwo. Kleine groep: acht plaatsen.""",
        ("formatief-evalueren", "vakdidactiek"),
        (DIDACTIC,),
        (EXPERIENCED, EXPERT),
        (VO,),
        ((15, "16:00", 150),),
        location=UVA,
        capacity=8,
        contact_hours=2.5,
        self_study_hours=2,
        enrol=(
            "noor",
            "jasper",
            "sophie",
            "omar",
            "tim",
            "anouk",
            "julia",
            "priya",
            "ricardo",
            "esra",
            "jesse",
        ),
    ),
    DemoOffering(
        "uva",
        F.COURSE,
        "Didactiek van de algebra: van rekenen naar redeneren",
        "Vijf bijeenkomsten voor wiskundedocenten over algebraïsch denken in klas 1 tot en met 3.",
        """Je verdiept je in hoe leerlingen van rekenen naar algebra gaan: patronen, variabelen, vergelijkingen. Elke bijeenkomst combineert onderzoek met materiaal dat je direct gebruikt, en je probeert tussendoor een opdracht uit in je klas.

Gegeven door vakdidactici van de ILO.""",
        ("rekenen", "vakdidactiek"),
        (CONTENT, DIDACTIC),
        (EXPERIENCED,),
        (VO,),
        series(29, 5, every=21, at="16:00", minutes=150),
        location=UVA,
        capacity=20,
        cost=CostKind.AMOUNT,
        euros=395,
        contact_hours=12.5,
        self_study_hours=30,
        enrol=("anouk",),
    ),
    DemoOffering(
        "uva",
        F.CONFERENCE,
        "ILO-praktijkdag: onderwijsonderzoek in de klas",
        "Een dag met korte presentaties van docenten-onderzoekers en workshops over "
        "onderzoek in je eigen school.",
        """Docenten die een master of promotieonderzoek deden, laten zien wat ze vonden en wat het in hun school veranderde. 's Middags kies je twee workshops, van vragenlijsten maken tot resultaten delen met je team.

Gratis voor alle Amsterdamse docenten.""",
        ("onderzoek-in-de-school", "vakdidactiek"),
        (DIDACTIC,),
        ALL_STAGES,
        (VO,),
        ((55, "09:30", 420),),
        location=UVA,
        capacity=200,
        contact_hours=6,
        enrol=("priya", "julia", "jesse"),
    ),
    DemoOffering(
        "uva",
        F.LESSON_STUDY,
        "Lesson study moderne vreemde talen: spreekvaardigheid",
        "Docenten Frans, Duits, Spaans en Engels ontwerpen samen een les waarin leerlingen "
        "meer praten dan de docent.",
        """Hoe krijg je een klas aan het praten in een vreemde taal? Je team ontwerpt een les, voorspelt waar leerlingen stilvallen, en observeert drie leerlingen tijdens de les.

Een vakdidacticus MVT begeleidt het team.""",
        ("vakdidactiek",),
        (DIDACTIC,),
        (STARTER, EXPERIENCED, EXPERT),
        (VO,),
        series(31, 4, every=21, at="15:30", minutes=120),
        location=UVA,
        capacity=12,
        contact_hours=8,
        self_study_hours=6,
        enrol=("sophie", "julia"),
    ),
    # -- VU -----------------------------------------------------------------------------------
    DemoOffering(
        "vu",
        F.MASTERCLASS,
        "Misconcepties over kracht en beweging",
        "Een masterclass natuurkundedidactiek: waarom leerlingen denken dat iets stopt als je "
        "niet meer duwt, en wat je daaraan doet.",
        """Leerlingen komen de les binnen met ideeën over kracht en beweging die heel logisch lijken. We bespreken de bekendste misconcepties, demonstraties die ze zichtbaar maken, en vragen waarmee je ze in de les opspoort.""",
        ("vakdidactiek", "onderzoekend-leren"),
        (CONTENT, DIDACTIC),
        (STARTER, EXPERIENCED, EXPERT),
        (VO,),
        ((36, "16:00", 150),),
        location=VU,
        capacity=30,
        contact_hours=2.5,
        enrol=("tim",),
    ),
    DemoOffering(
        "vu",
        F.COURSE,
        "Het gesprek over lastige onderwerpen in de klas",
        "Vier bijeenkomsten over het begeleiden van klassengesprekken over polarisatie, "
        "conflicten en identiteit.",
        """Wat doe je als een gesprek in de klas botst? Je leert gespreksregels met de klas te maken, een gesprek te openen met een goede vraag, te reageren op uitspraken die pijn doen, en een gesprek af te ronden.

Met oefeningen met acteurs. De school betaalt; je schoolleider keurt de aanmelding goed.""",
        ("burgerschap", "sociale-veiligheid"),
        (PEDAGOGY,),
        (STARTER, EXPERIENCED),
        (VO, MBO),
        series(25, 4, every=21, at="15:30", minutes=150),
        location=VU,
        capacity=20,
        cost=CostKind.SCHOOL_PAYS,
        euros=350,
        approval=True,
        contact_hours=10,
        self_study_hours=6,
        enrol=("sevda",),
        decisions=(("sevda", "gerald", True),),
    ),
    DemoOffering(
        "vu",
        F.PEER_OBSERVATION,
        "Kijken in elkaars practicum: onderzoekend leren in de bovenbouw",
        "Bètadocenten bezoeken elkaars practicum en bespreken hoe open een onderzoeksopdracht "
        "kan zijn.",
        """Je bezoekt een practicum bij een collega van een andere school en ontvangt zelf een bezoek. De vraag is steeds: wie bedenkt hier de onderzoeksvraag, de meting, de conclusie, de docent of de leerling?""",
        ("onderzoekend-leren",),
        (DIDACTIC,),
        (EXPERIENCED, EXPERT),
        (VO,),
        ((20, "15:30", 90), (90, "15:30", 90)),
        location=VU,
        capacity=10,
        contact_hours=5,
        self_study_hours=2,
    ),
    DemoOffering(
        "vu",
        F.WORKSHOP,
        "Duurzaamheid in de aardrijkskundeles",
        "Een middag over klimaat en duurzaamheid in de aardrijkskundeles, met lesmateriaal "
        "van de VU.",
        """Klimaat en duurzaamheid zonder doemdenken: we bekijken lesmateriaal, data en opdrachten waarin leerlingen zelf oplossingen onderzoeken.""",
        ("duurzaamheid",),
        (CONTENT, DIDACTIC),
        (EXPERIENCED, EXPERT),
        (VO,),
        ((13, "15:30", 150),),
        location=VU,
        capacity=25,
        contact_hours=2.5,
        outcome=Outcome.CANCELLED,
        cancel_message="Er waren te weinig aanmeldingen. We plannen de workshop in het voorjaar opnieuw.",
    ),
    # -- HvA ----------------------------------------------------------------------------------
    DemoOffering(
        "hva",
        F.COURSE,
        "Taalontwikkelend lesgeven in de meertalige groep",
        "Vijf bijeenkomsten voor leerkrachten in het primair onderwijs: woordenschat, "
        "interactie en de thuistaal als hulpbron.",
        """Veel Amsterdamse kinderen leren het Nederlands naast een of meer andere talen. Je leert woordenschat systematisch op te bouwen, interactie in de groep te organiseren en de thuistaal van kinderen in te zetten.

Gegeven door docenten van de pabo van de HvA.""",
        ("meertaligheid", "taal-en-lezen"),
        (DIDACTIC,),
        (STARTER, EXPERIENCED),
        (PO,),
        series(24, 5, every=21, at="15:30", minutes=150),
        location=HVA,
        capacity=24,
        cost=CostKind.AMOUNT,
        euros=275,
        contact_hours=12.5,
        self_study_hours=10,
        enrol=("lisa", "kofi"),
    ),
    DemoOffering(
        "hva",
        F.LEARNING_NETWORK,
        "Netwerk burgerschap in het mbo",
        "Docenten burgerschap van mbo-locaties in Amsterdam delen lessen, ervaringen en twijfels.",
        """Eens per zes weken, om de beurt op een andere mbo-locatie. Dit jaar: burgerschap en stage, de verkiezingen in de klas, en samenwerken met partners in de wijk.""",
        ("burgerschap", "kansengelijkheid"),
        (PEDAGOGY, CONTENT),
        ALL_STAGES,
        (MBO,),
        series(16, 4, every=42, at="15:00", minutes=120),
        location=ROC_ZO,
        contact_hours=8,
        enrol=("sevda", "dennis", "milan"),
    ),
    DemoOffering(
        "hva",
        F.WORKSHOP,
        "Preventief werken aan gedrag met de hele groep",
        "Een middag over de gouden weken, groepsafspraken en positief gedrag versterken, voor "
        "leerkrachten in het primair onderwijs.",
        """Gedragsproblemen voorkomen is makkelijker dan ze oplossen. Je oefent met groepsvorming, duidelijke routines en complimenten die werken, en je maakt een plan voor je eigen groep.""",
        ("gedrag-en-klassenmanagement",),
        (PEDAGOGY,),
        (STUDENT, STARTER),
        (PO,),
        ((19, "15:00", 150),),
        location=HVA,
        capacity=35,
        contact_hours=2.5,
        enrol=("kofi", "bram", "fatma"),
    ),
    DemoOffering(
        "hva",
        F.COACHING,
        "Coaching voor zij-instromers in het basisonderwijs",
        "Vier gesprekken met een coach van de pabo, naast je opleiding en je werk in de groep.",
        """Zij-instromers combineren werken en leren. De coach helpt je keuzes te maken: wat moet nu, wat kan later? De gesprekken zijn online of op je school.""",
        ("begeleiden-van-starters",),
        (PEDAGOGY,),
        (STARTER,),
        (PO,),
        series(12, 4, every=28, at="16:00", minutes=60),
        online=True,
        capacity=10,
        contact_hours=4,
        enrol=("bram",),
    ),
    DemoOffering(
        "hva",
        F.MASTERCLASS,
        "Masterclass voor rekenspecialisten",
        "Voor rekencoördinatoren: het rekenbeleid van je school, toetsen lezen en collega's "
        "ondersteunen.",
        """Concept: een middag met de lectoraten rekenen-wiskunde. Programma volgt.""",
        ("rekenen",),
        (CONTENT, DIDACTIC),
        (EXPERT,),
        (PO,),
        ((70, "14:00", 180),),
        location=HVA,
        capacity=30,
        contact_hours=3,
        outcome=Outcome.DRAFT,
    ),
    # -- OPeRA --------------------------------------------------------------------------------
    DemoOffering(
        "opera",
        F.CONFERENCE,
        "Amsterdamse Onderwijsdag: samen leren over schoolgrenzen",
        "Een dag voor leraren van po, vo en mbo: lezingen, werkplaatsen en leergemeenschappen "
        "die laten zien wat ze deden.",
        """De Onderwijsdag brengt leraren van alle Amsterdamse schoolbesturen bij elkaar. 's Ochtends een lezing over kansengelijkheid in de stad; 's middags werkplaatsen van leergemeenschappen, opleidingsscholen en lerarenopleidingen.""",
        ("kansengelijkheid", "onderzoek-in-de-school"),
        (PEDAGOGY, DIDACTIC),
        ALL_STAGES,
        (PO, VO, MBO),
        ((-33, "09:30", 420),),
        location=ZWIJGER,
        capacity=250,
        contact_hours=6,
        outcome=Outcome.COMPLETED,
        enrol=("fatima", "daan", "sanne", "milan", "noor", "lisa", "omar", "sevda"),
        absent=("omar",),
    ),
    DemoOffering(
        "opera",
        F.LEARNING_NETWORK,
        "Netwerk aansluiting vo–ho: profielwerkstuk en academische vaardigheden",
        "Docenten uit het vo en docenten van de universiteiten en de HvA werken samen aan het "
        "profielwerkstuk.",
        """Wat verwachten de universiteiten en de hogeschool van eerstejaars, en wat leren leerlingen in het profielwerkstuk? Samen maken we opdrachten en beoordelingsformulieren die op elkaar aansluiten.""",
        ("onderzoekend-leren", "onderzoek-in-de-school"),
        (DIDACTIC,),
        (EXPERIENCED, EXPERT),
        (VO,),
        series(34, 4, every=42, at="15:30", minutes=120),
        location=UVA,
        contact_hours=8,
        enrol=("priya",),
    ),
    DemoOffering(
        "opera",
        F.CONFERENCE,
        "Conferentie kansengelijkheid in de Amsterdamse klas",
        "Onderzoekers, schoolleiders en leraren over schooladvies, taal en de overstap tussen "
        "po, vo en mbo.",
        """Een middag en avond over wat scholen in Amsterdam doen aan gelijke kansen: van het schooladvies in groep 8 tot de overstap naar het mbo. Met rondetafels waarin je ervaringen deelt met collega's van andere besturen.""",
        ("kansengelijkheid", "meertaligheid"),
        (PEDAGOGY,),
        ALL_STAGES,
        (PO, VO, MBO),
        ((80, "13:30", 330),),
        location=ZWIJGER,
        capacity=180,
        contact_hours=5,
        enrol=("daan", "ilse", "yusuf"),
    ),
    # -- Bètapartners -------------------------------------------------------------------------
    DemoOffering(
        "betapartners",
        F.LEARNING_NETWORK,
        "Bètanetwerk: onderzoekend leren met de universiteit",
        "Bètadocenten en onderzoekers van UvA en VU ontwikkelen samen open onderzoeksopdrachten "
        "voor de bovenbouw.",
        """Elk netwerk kiest een onderwerp uit actueel onderzoek en maakt er een onderzoeksopdracht van die leerlingen zelf kunnen uitvoeren. Met een bezoek aan een laboratorium op Science Park.""",
        ("onderzoekend-leren", "vakdidactiek"),
        (CONTENT, DIDACTIC),
        (EXPERIENCED, EXPERT),
        (VO,),
        series(22, 4, every=42, at="15:30", minutes=150),
        location=SCIENCE_PARK,
        contact_hours=10,
        enrol=("tim", "esra", "priya"),
    ),
    DemoOffering(
        "betapartners",
        F.CONFERENCE,
        "Bètadag Amsterdam: duurzaamheid in de bètavakken",
        "Een dag met lezingen en practica over energie, klimaat en materialen, voor docenten "
        "biologie, natuurkunde, scheikunde en NLT.",
        """Onderzoekers van de universiteiten laten zien waar ze aan werken, en docenten laten practica zien die daarbij passen. Je gaat naar huis met materiaal voor je eigen lessen.""",
        ("duurzaamheid", "onderzoekend-leren"),
        (CONTENT,),
        ALL_STAGES,
        (VO,),
        ((62, "09:30", 420),),
        location=SCIENCE_PARK,
        capacity=150,
        contact_hours=6,
        enrol=("tim", "anouk"),
    ),
]

# -- learning questions ------------------------------------------------------------------------

Q = LearningQuestionStatus
HIGH, LOW = Urgency.HIGH, Urgency.LOW
SCHOOL, PRIVATE = QuestionVisibility.SCHOOL, QuestionVisibility.PRIVATE

QUESTIONS: list[DemoQuestion] = [
    # -- AI in het onderwijs: much demand, one offering --
    DemoQuestion(
        "omar",
        "Hoe ontwerp ik opdrachten die zinvol blijven nu leerlingen ChatGPT gebruiken?",
        "Mijn betogen en werkstukken bij maatschappijleer worden steeds vaker door AI geschreven. "
        "Ik wil opdrachten waarin het denken van de leerlingen zelf zichtbaar blijft.",
        ("ai-in-het-onderwijs",),
        DIDACTIC,
        EXPERIENCED,
        VO,
        HIGH,
        supports=9,
        days_ago=64,
    ),
    DemoQuestion(
        "yusuf",
        "Welke afspraken over AI maken we als school met leerlingen en ouders?",
        "We willen dit schooljaar een AI-beleid vaststellen. Hoe komen andere scholen tot "
        "afspraken die docenten ook echt kunnen handhaven?",
        ("ai-in-het-onderwijs", "digitale-geletterdheid"),
        PEDAGOGY,
        None,
        VO,
        HIGH,
        school="mundus",
        supports=7,
        days_ago=51,
    ),
    DemoQuestion(
        "zeynep",
        "Hoe gebruik ik AI om sneller feedback te geven op verslagen?",
        "Ik heb vier klassen met elk dertig stageverslagen. Kan AI me helpen met eerste "
        "feedback zonder dat het oppervlakkig wordt?",
        ("ai-in-het-onderwijs", "formatief-evalueren"),
        DIDACTIC,
        EXPERT,
        MBO,
        supports=5,
        days_ago=38,
    ),
    DemoQuestion(
        "lisa",
        "Kunnen kinderen in groep 7 en 8 al leren hoe een chatbot werkt?",
        "Mijn leerlingen gebruiken thuis al chatbots. Ik zoek lessen waarin ze begrijpen wat "
        "zo'n programma doet en waarom het soms onzin vertelt.",
        ("ai-in-het-onderwijs", "digitale-geletterdheid"),
        CONTENT,
        EXPERIENCED,
        PO,
        supports=4,
        days_ago=30,
    ),
    DemoQuestion(
        "fatima",
        "Wat doe ik als een wiskundeverslag waarschijnlijk met AI is geschreven?",
        "Ik kan het niet bewijzen en wil de leerling niet ten onrechte beschuldigen. Hoe gaan "
        "collega's op onze school hiermee om?",
        ("ai-in-het-onderwijs",),
        PEDAGOGY,
        EXPERIENCED,
        VO,
        visibility=SCHOOL,
        supports=1,
        days_ago=12,
    ),
    DemoQuestion(
        "hamza",
        "Hoe bereid ik met AI lessen voor zonder dat ze generiek worden?",
        "Als starter heb ik weinig tijd. AI helpt, maar de lessen voelen niet als de mijne. "
        "Hoe houd ik mijn eigen klas voor ogen?",
        ("ai-in-het-onderwijs",),
        DIDACTIC,
        STARTER,
        VO,
        LOW,
        supports=3,
        days_ago=9,
    ),
    DemoQuestion(
        "sevda",
        "Hoe leer ik studenten kritisch kijken naar wat AI ze vertelt?",
        "Studenten nemen antwoorden van een chatbot klakkeloos over, ook in hun "
        "burgerschapsopdrachten. Ik zoek werkvormen om dat te doorbreken.",
        ("ai-in-het-onderwijs", "digitale-geletterdheid", "burgerschap"),
        PEDAGOGY,
        EXPERIENCED,
        MBO,
        supports=6,
        days_ago=44,
    ),
    DemoQuestion(
        "eva",
        "Welke AI-tools mogen we gebruiken met het oog op privacy?",
        "Leerkrachten vragen welke tools ze mogen gebruiken voor het voorbereiden van lessen "
        "en voor verslagen. We willen een korte, duidelijke lijst.",
        ("ai-in-het-onderwijs", "digitale-geletterdheid"),
        PEDAGOGY,
        None,
        PO,
        HIGH,
        SCHOOL,
        school="kolk",
        status=Q.ANSWERED,
        resolution="Het bestuur heeft een lijst met goedgekeurde tools en een korte handreiking "
        "gedeeld; die staat nu in ons teamhandboek.",
        days_ago=80,
    ),
    # -- passend onderwijs: much demand, one offering --
    DemoQuestion(
        "sanne",
        "Hoe geef ik een kind met ADHD in groep 5 structuur zonder de klas stil te leggen?",
        "Ik heb een leerling die steeds uit de bank is en de groep meetrekt. Ik wil hem helpen "
        "zonder dat de andere 27 kinderen wachten.",
        ("passend-onderwijs", "gedrag-en-klassenmanagement"),
        PEDAGOGY,
        STARTER,
        PO,
        HIGH,
        supports=8,
        days_ago=47,
    ),
    DemoQuestion(
        "naomi",
        "Hoe maak ik van het groepsplan een document dat leerkrachten echt gebruiken?",
        "Onze groepsplannen zijn lang en worden na de groepsbespreking niet meer geopend. Ik "
        "zoek een vorm die past bij wat leerkrachten in de klas doen.",
        ("passend-onderwijs", "differentieren"),
        PEDAGOGY,
        EXPERT,
        PO,
        supports=4,
        days_ago=73,
    ),
    DemoQuestion(
        "karim",
        "Hoe vangen we leerlingen met een zware ondersteuningsbehoefte op nu er geen plek is "
        "in het speciaal onderwijs?",
        "Drie leerlingen wachten al maanden op een plek. Het team wil weten wat het in de "
        "tussentijd kan doen, en hoe het zelf overeind blijft.",
        ("passend-onderwijs",),
        PEDAGOGY,
        None,
        PO,
        HIGH,
        school="sloterplas",
        supports=6,
        days_ago=35,
    ),
    DemoQuestion(
        "ricardo",
        "Hoe pas ik mijn gymles aan voor een leerling in een rolstoel?",
        "Na de zomer komt er een leerling in een rolstoel in de brugklas. Ik wil dat hij echt "
        "meedoet, niet alleen de score bijhoudt.",
        ("passend-onderwijs",),
        DIDACTIC,
        EXPERIENCED,
        VO,
        supports=2,
        days_ago=58,
    ),
    DemoQuestion(
        "kofi",
        "Wat doe ik met een leerling in groep 3 die thuis geen Nederlands spreekt en nog niet "
        "leest?",
        "Hij is in november ingestroomd en begrijpt de instructie nauwelijks. Hoe help ik hem "
        "met lezen terwijl hij de taal nog leert?",
        ("passend-onderwijs", "meertaligheid", "taal-en-lezen"),
        DIDACTIC,
        STARTER,
        PO,
        HIGH,
        supports=5,
        days_ago=14,
    ),
    DemoQuestion(
        "dennis",
        "Hoe begeleid ik mbo-studenten met autisme tijdens hun stage?",
        "Op school gaat het goed, op de stage loopt het vaak mis. Wat kan ik vooraf met de "
        "student en het stagebedrijf afspreken?",
        ("passend-onderwijs",),
        PEDAGOGY,
        STARTER,
        MBO,
        supports=3,
        days_ago=27,
    ),
    DemoQuestion(
        "esra",
        "Hoe ga ik om met leerlingen met dyslexie bij scheikundetoetsen?",
        "Ik weet niet goed welke aanpassingen passen bij een vak met formules en veel tekst "
        "in de opgaven.",
        ("passend-onderwijs",),
        DIDACTIC,
        STARTER,
        VO,
        supports=2,
        status=Q.ANSWERED,
        resolution="Onze zorgcoördinator heeft met me een toetsprotocol doorgenomen; de sectie "
        "gebruikt nu een versie met meer witruimte en voorleessoftware.",
        days_ago=84,
    ),
    # -- ouderbetrokkenheid: demand, no offering at all --
    DemoQuestion(
        "bram",
        "Hoe voer ik een goed oudergesprek als ouders en ik elkaars taal nauwelijks spreken?",
        "Bij de tienminutengesprekken merkte ik dat de helft van wat ik zei niet aankwam. Een "
        "tolk is niet altijd te regelen.",
        ("ouderbetrokkenheid", "meertaligheid"),
        PEDAGOGY,
        STARTER,
        PO,
        HIGH,
        supports=7,
        days_ago=41,
    ),
    DemoQuestion(
        "karim",
        "Hoe bereiken we ouders die nooit op een ouderavond komen?",
        "Op onze informatieavonden zien we steeds dezelfde ouders. We willen juist de ouders "
        "bereiken die we nu missen.",
        ("ouderbetrokkenheid", "kansengelijkheid"),
        PEDAGOGY,
        None,
        PO,
        school="sloterplas",
        supports=5,
        status=Q.ADOPTED,
        community="Ouders als partner in Nieuw-West",
        resolution="De leergemeenschap Ouders als partner in Nieuw-West probeert dit jaar een "
        "koffieochtend en huisbezoeken uit.",
        days_ago=88,
    ),
    DemoQuestion(
        "samira",
        "Hoe reageer ik op boze mails van ouders over cijfers?",
        "Ik krijg soms 's avonds lange mails over een cijfer. Ik wil vriendelijk blijven, maar "
        "ook niet elke toets opnieuw uitleggen.",
        ("ouderbetrokkenheid",),
        PEDAGOGY,
        STARTER,
        VO,
        supports=4,
        days_ago=19,
    ),
    DemoQuestion(
        "ilse",
        "Hoe betrek ik ouders bij de schoolkeuze in groep 8 zonder dat het advies ter "
        "discussie komt?",
        "Ouders willen meepraten over het advies, en dat is terecht. Hoe geef ik ze een rol "
        "die het kind helpt?",
        ("ouderbetrokkenheid", "kansengelijkheid"),
        PEDAGOGY,
        EXPERIENCED,
        PO,
        supports=3,
        days_ago=53,
    ),
    DemoQuestion(
        "fatma",
        "Hoe bereid ik als student een gesprek met kind en ouders voor?",
        "Mijn mentor vraagt of ik het volgende kindgesprek met ouders leid. Hoe zorg ik dat "
        "het kind zelf aan het woord komt?",
        ("ouderbetrokkenheid",),
        PEDAGOGY,
        STUDENT,
        PO,
        LOW,
        supports=1,
        days_ago=6,
    ),
    # -- gedrag en klassenmanagement --
    DemoQuestion(
        "mehmet",
        "Hoe krijg ik rust in een onrustige derde klas op het laatste uur?",
        "Op vrijdag het achtste uur is de klas niet te houden. Ik heb al een nieuwe "
        "plattegrond geprobeerd. Wat werkt bij anderen?",
        ("gedrag-en-klassenmanagement",),
        PEDAGOGY,
        STARTER,
        VO,
        HIGH,
        supports=10,
        days_ago=33,
    ),
    DemoQuestion(
        "jesse",
        "Hoe stel ik als stagiair grenzen zonder dat de klas me niet meer serieus neemt?",
        "Leerlingen zien me als 'de stagiair'. Als mijn begeleider weg is, gaat het mis.",
        ("gedrag-en-klassenmanagement", "begeleiden-van-starters"),
        PEDAGOGY,
        STUDENT,
        VO,
        supports=4,
        days_ago=22,
    ),
    DemoQuestion(
        "kofi",
        "Hoe bouw ik routines in groep 3 die na de kerstvakantie nog werken?",
        "In september ging het goed, nu sluipt de onrust er weer in.",
        ("gedrag-en-klassenmanagement",),
        PEDAGOGY,
        STARTER,
        PO,
        supports=3,
        status=Q.ANSWERED,
        resolution="Na een gesprek met mijn intern begeleider herhaal ik de routines elke "
        "maandag kort; dat helpt.",
        days_ago=77,
    ),
    DemoQuestion(
        "milan",
        "Hoe ga ik om met studenten die de hele les op hun telefoon zitten?",
        "In het mbo is er geen telefoonverbod. Ik wil niet steeds de politieagent zijn.",
        ("gedrag-en-klassenmanagement",),
        PEDAGOGY,
        STUDENT,
        MBO,
        supports=5,
        days_ago=16,
    ),
    DemoQuestion(
        "gerald",
        "Hoe komen we als team tot dezelfde afspraken over gedrag in de les?",
        "Elke docent hanteert eigen regels. Studenten merken dat, en spelen ons tegen elkaar uit.",
        ("gedrag-en-klassenmanagement", "sociale-veiligheid"),
        PEDAGOGY,
        None,
        MBO,
        visibility=SCHOOL,
        school="roc_zuidoost",
        supports=2,
        status=Q.CLOSED,
        resolution="We hebben er een studiedag met het eigen team voor gepland.",
        days_ago=90,
    ),
    DemoQuestion(
        "ricardo",
        "Hoe houd ik een gymles veilig met dertig leerlingen in een kleine zaal?",
        "Onze zaal is eigenlijk te klein voor de grote klassen. Hoe organiseer ik de les zo "
        "dat iedereen beweegt en niemand gewond raakt?",
        ("gedrag-en-klassenmanagement", "sociale-veiligheid"),
        DIDACTIC,
        EXPERIENCED,
        VO,
        LOW,
        supports=1,
        days_ago=61,
    ),
    DemoQuestion(
        "samira",
        "Wat doe ik als een leerling mij uitscheldt in de klas?",
        "Het gebeurde vorige week voor het eerst. Ik reageerde te fel en weet niet hoe ik het "
        "gesprek met de leerling nu aanga.",
        ("gedrag-en-klassenmanagement", "sociale-veiligheid"),
        PEDAGOGY,
        STARTER,
        VO,
        HIGH,
        SCHOOL,
        supports=1,
        days_ago=4,
    ),
    # -- differentiëren --
    DemoQuestion(
        "sanne",
        "Hoe differentieer ik bij rekenen zonder drie instructies tegelijk te geven?",
        "Mijn groep 5 loopt ver uiteen. Met drie niveaugroepen ben ik de hele les aan het "
        "rennen en komt niemand echt aan bod.",
        ("differentieren", "rekenen"),
        DIDACTIC,
        STARTER,
        PO,
        HIGH,
        supports=9,
        days_ago=55,
    ),
    DemoQuestion(
        "jasper",
        "Hoe daag ik sterke rekenaars in de brugklas uit zonder ze alleen extra werk te geven?",
        "Wie klaar is, krijgt nu 'de plusopgaven'. Dat voelt als straf voor goed werk.",
        ("differentieren", "rekenen"),
        DIDACTIC,
        EXPERIENCED,
        VO,
        supports=4,
        days_ago=46,
    ),
    DemoQuestion(
        "ruben",
        "Hoe werk ik met niveaugroepen bij begrijpend lezen zonder dat kinderen blijven hangen?",
        "Kinderen in de zwakste groep krijgen steeds makkelijkere teksten en komen er niet "
        "meer uit.",
        ("differentieren", "taal-en-lezen"),
        DIDACTIC,
        EXPERIENCED,
        PO,
        supports=3,
        status=Q.ADOPTED,
        community="Begrijpend lezen in groep 5 tot en met 8",
        resolution="De leergemeenschap neemt het op in haar werk aan rijke teksten voor de hele "
        "groep.",
        days_ago=86,
    ),
    DemoQuestion(
        "sophie",
        "Hoe laat ik een gemengde havo/vwo-klas Frans spreken op twee niveaus?",
        "De vwo-leerlingen willen verder, de havisten durven nauwelijks iets te zeggen.",
        ("differentieren", "vakdidactiek"),
        DIDACTIC,
        EXPERIENCED,
        VO,
        supports=2,
        days_ago=29,
    ),
    DemoQuestion(
        "zeynep",
        "Hoe ga ik om met grote niveauverschillen bij rekenen in een mbo-2-klas?",
        "Sommige studenten rekenen op het niveau van groep 6, anderen zijn klaar voor 3F.",
        ("differentieren", "rekenen"),
        DIDACTIC,
        EXPERT,
        MBO,
        supports=5,
        days_ago=25,
    ),
    DemoQuestion(
        "naomi",
        "Hoe begeleid ik collega's die differentiëren spannend vinden?",
        "Voor mezelf: ik wil als intern begeleider beter aansluiten bij leerkrachten die "
        "bang zijn de grip op de groep te verliezen.",
        ("differentieren",),
        PEDAGOGY,
        EXPERT,
        PO,
        LOW,
        PRIVATE,
        days_ago=10,
    ),
    # -- formatief evalueren: demand and supply meet --
    DemoQuestion(
        "fatima",
        "Hoe geef ik feedback die leerlingen echt gebruiken in de bovenbouw havo?",
        "Bij wiskunde A in havo 4 schrijf ik bij elk proefwerk uitgebreid commentaar, maar de "
        "meeste leerlingen kijken alleen naar het cijfer. Ik zoek manieren om ze in de les met "
        "de feedback aan de slag te laten gaan.",
        ("formatief-evalueren", "vakdidactiek"),
        DIDACTIC,
        EXPERIENCED,
        VO,
        supports=6,
        days_ago=18,
    ),
    DemoQuestion(
        "noor",
        "Hoe combineer ik formatief werken met de cijfers die de school vraagt?",
        "Het PTA vraagt acht cijfers per jaar. Hoe houd ik ruimte voor oefenen zonder cijfer?",
        ("formatief-evalueren",),
        DIDACTIC,
        EXPERIENCED,
        VO,
        supports=7,
        status=Q.ADOPTED,
        community="Formatief evalueren in de onderbouw",
        resolution="De leergemeenschap maakt er dit jaar haar hoofdvraag van.",
        days_ago=89,
    ),
    DemoQuestion(
        "yusuf",
        "Hoe zorgen we dat formatief evalueren in alle secties landt, niet alleen bij de "
        "voorlopers?",
        "Een paar secties zijn enthousiast, andere wachten af. Wat hielp op andere scholen?",
        ("formatief-evalueren", "onderzoek-in-de-school"),
        DIDACTIC,
        None,
        VO,
        school="mundus",
        supports=3,
        days_ago=40,
    ),
    DemoQuestion(
        "lisa",
        "Hoe gebruik ik leerdoelen op het bord zo dat groep 6 ze echt begrijpt?",
        "Ik schrijf het doel op, maar de kinderen kunnen na de les niet zeggen wat ze "
        "geleerd hebben.",
        ("formatief-evalueren",),
        DIDACTIC,
        EXPERIENCED,
        PO,
        LOW,
        supports=2,
        status=Q.ANSWERED,
        resolution="Ik werk nu met succescriteria die de kinderen zelf formuleren; de tip kwam "
        "uit de kennisbank.",
        days_ago=70,
    ),
    DemoQuestion(
        "dennis",
        "Hoe laat ik studenten elkaar feedback geven op hun beroepsopdracht?",
        "Peerfeedback blijft nu hangen bij 'ziet er goed uit'.",
        ("formatief-evalueren",),
        DIDACTIC,
        STARTER,
        MBO,
        supports=2,
        days_ago=13,
    ),
    DemoQuestion(
        "julia",
        "Hoe zet ik wisbordjes in bij Duits zonder dat het een spelletje wordt?",
        "Leerlingen vinden het leuk, maar ik weet niet of ik er iets van leer over wat ze kunnen.",
        ("formatief-evalueren", "vakdidactiek"),
        DIDACTIC,
        EXPERT,
        VO,
        LOW,
        supports=1,
        status=Q.CLOSED,
        resolution="Besproken in de sectie; we werken nu met één checkvraag per les.",
        days_ago=82,
    ),
    # -- meertaligheid --
    DemoQuestion(
        "daan",
        "Hoe zet ik de thuistalen van kinderen in bij woordenschatlessen?",
        "Ik wil dat kinderen nieuwe woorden ook in hun eigen taal mogen noemen, maar weet "
        "niet hoe ik dat in een groep met negen talen organiseer.",
        ("meertaligheid", "taal-en-lezen"),
        DIDACTIC,
        EXPERT,
        PO,
        supports=5,
        status=Q.ADOPTED,
        community="Meertaligheid en NT2 in de klas",
        resolution="De leergemeenschap maakt er een gezamenlijke woordenlijst en werkvormen voor.",
        days_ago=87,
    ),
    DemoQuestion(
        "hamza",
        "Hoe help ik nieuwkomers in havo 4 met de vaktaal van economie?",
        "Twee leerlingen zijn net uit de ISK gekomen. Ze begrijpen de economie, maar niet de "
        "opgaven.",
        ("meertaligheid", "vakdidactiek"),
        DIDACTIC,
        STARTER,
        VO,
        HIGH,
        supports=3,
        days_ago=21,
    ),
    DemoQuestion(
        "sevda",
        "Hoe leer ik NT2-studenten een stageverslag schrijven?",
        "Ze weten wat ze op hun stage gedaan hebben, maar het verslag blijft een opsomming.",
        ("meertaligheid", "taal-en-lezen"),
        DIDACTIC,
        EXPERIENCED,
        MBO,
        supports=4,
        days_ago=36,
    ),
    DemoQuestion(
        "eva",
        "Hoe begeleiden we de overstap van de nieuwkomersklas naar een gewone groep?",
        "Kinderen komen na een jaar nieuwkomersklas bij ons binnen en raken dan vaak het "
        "overzicht kwijt.",
        ("meertaligheid", "kansengelijkheid"),
        PEDAGOGY,
        None,
        PO,
        HIGH,
        school="kolk",
        supports=4,
        days_ago=32,
    ),
    # -- taal en lezen --
    DemoQuestion(
        "ilse",
        "Hoe krijg ik leesplezier terug in groep 8, juist bij kinderen die niet lezen?",
        "Tijdens vrij lezen bladeren ze vooral. Ik zoek manieren om ze aan een boek te "
        "krijgen dat ze uitlezen.",
        ("taal-en-lezen",),
        DIDACTIC,
        EXPERIENCED,
        PO,
        supports=6,
        days_ago=48,
    ),
    DemoQuestion(
        "noor",
        "Hoe leer ik brugklassers een lange tekst samenvatten?",
        "Ze schrijven de eerste zin van elke alinea over.",
        ("taal-en-lezen",),
        DIDACTIC,
        EXPERIENCED,
        VO,
        LOW,
        supports=2,
        days_ago=24,
    ),
    DemoQuestion(
        "fatma",
        "Hoe geef ik een interactieve voorleesles in groep 4?",
        "Bij mijn voorleesles zakt de aandacht na vijf minuten in.",
        ("taal-en-lezen",),
        DIDACTIC,
        STUDENT,
        PO,
        LOW,
        supports=1,
        status=Q.ANSWERED,
        resolution="Mijn mentor deed het voor; ik stel nu voor en tijdens het lezen vragen.",
        days_ago=66,
    ),
    # -- rekenen --
    DemoQuestion(
        "mehmet",
        "Hoe leg ik breuken uit aan leerlingen die de basis missen?",
        "In klas 2 blijken veel leerlingen niet te weten wat een breuk is. Ik heb geen tijd om "
        "opnieuw te beginnen.",
        ("rekenen", "vakdidactiek"),
        DIDACTIC,
        STARTER,
        VO,
        supports=3,
        days_ago=28,
    ),
    DemoQuestion(
        "ruben",
        "Hoe houd ik automatiseren leuk in groep 5?",
        "De tafels oefenen we elke dag, maar de kinderen zijn het zat.",
        ("rekenen",),
        DIDACTIC,
        EXPERIENCED,
        PO,
        LOW,
        supports=2,
        days_ago=15,
    ),
    DemoQuestion(
        "anouk",
        "Hoe begeleid ik een sectie die lesson study wil proberen?",
        "Mijn sectie wil het proberen, maar niemand heeft er ervaring mee. Hoe begin je klein?",
        ("onderzoek-in-de-school", "vakdidactiek"),
        DIDACTIC,
        EXPERT,
        VO,
        supports=1,
        days_ago=50,
    ),
    # -- begeleiden van starters --
    DemoQuestion(
        "yusuf",
        "Hoe houden we startende docenten na hun eerste jaar vast?",
        "Van de zes starters van vorig jaar zijn er drie vertrokken. Wat doen andere scholen "
        "in het tweede en derde jaar?",
        ("begeleiden-van-starters",),
        PEDAGOGY,
        None,
        VO,
        HIGH,
        school="mundus",
        supports=5,
        days_ago=60,
    ),
    DemoQuestion(
        "priya",
        "Hoe geef ik als schoolopleider feedback op een les zonder de starter te ontmoedigen?",
        "Ik zie veel wat beter kan. Hoe kies ik wat ik bespreek?",
        ("begeleiden-van-starters",),
        PEDAGOGY,
        EXPERT,
        VO,
        supports=2,
        days_ago=43,
    ),
    DemoQuestion(
        "bram",
        "Hoe overleef ik mijn eerste jaar als zij-instromer naast mijn opleiding?",
        "Ik werk vier dagen, studeer één dag en heb een jong gezin. Hoe houden anderen dit vol?",
        ("begeleiden-van-starters",),
        PEDAGOGY,
        STARTER,
        PO,
        HIGH,
        supports=6,
        status=Q.ADOPTED,
        community="Startende leraren in Nieuw-West",
        resolution="De leergemeenschap Startende leraren in Nieuw-West heeft er een "
        "intervisiereeks voor zij-instromers van gemaakt.",
        days_ago=85,
    ),
    # -- sociale veiligheid --
    DemoQuestion(
        "omar",
        "Hoe begeleid ik een klassengesprek over een oorlog die leerlingen persoonlijk raakt?",
        "Sommige leerlingen hebben familie in het gebied. Het gesprek werd vorige keer heel "
        "fel, en ik wil dat iedereen zich veilig voelt.",
        ("sociale-veiligheid", "burgerschap"),
        PEDAGOGY,
        EXPERIENCED,
        VO,
        HIGH,
        supports=8,
        days_ago=26,
    ),
    DemoQuestion(
        "lotte",
        "Hoe ondersteunen we docenten na online bedreiging door leerlingen of ouders?",
        "Bij ons bestuur kwam dit jaar drie keer een melding. We willen weten wat docenten "
        "dan nodig hebben, en wat scholen vooraf kunnen regelen.",
        ("sociale-veiligheid",),
        PEDAGOGY,
        None,
        None,
        supports=2,
        days_ago=57,
    ),
    DemoQuestion(
        "sophie",
        "Hoe pak ik als mentor pesten in de groepsapp aan?",
        "Het speelt zich buiten school af, maar de sfeer in de klas lijdt eronder.",
        ("sociale-veiligheid",),
        PEDAGOGY,
        EXPERIENCED,
        VO,
        supports=4,
        days_ago=11,
    ),
    # -- burgerschap, digitale geletterdheid, kansengelijkheid, vakdidactiek --
    DemoQuestion(
        "dennis",
        "Hoe koppel ik burgerschap aan de stage van mijn studenten?",
        "Burgerschap voelt voor studenten als een los vak. Op stage komen ze juist veel tegen "
        "waar het over gaat.",
        ("burgerschap",),
        PEDAGOGY,
        STARTER,
        MBO,
        supports=3,
        days_ago=34,
    ),
    DemoQuestion(
        "milan",
        "Hoe bespreek ik verkiezingen in de klas zonder mijn eigen mening te geven?",
        "Studenten vragen me steeds op wie ik stem.",
        ("burgerschap",),
        PEDAGOGY,
        STUDENT,
        MBO,
        LOW,
        supports=2,
        days_ago=8,
    ),
    DemoQuestion(
        "tim",
        "Hoe laat ik leerlingen meetdata verwerken in een spreadsheet zonder klikcursus?",
        "Bij practica gaat de tijd op aan de spreadsheet, niet aan de natuurkunde.",
        ("digitale-geletterdheid", "onderzoekend-leren"),
        DIDACTIC,
        EXPERIENCED,
        VO,
        LOW,
        supports=1,
        days_ago=39,
    ),
    DemoQuestion(
        "lisa",
        "Mijn kennis van programmeren met kinderen opfrissen",
        "Voor mezelf: ik wil volgend jaar in groep 6 met programmeren beginnen.",
        ("digitale-geletterdheid",),
        CONTENT,
        EXPERIENCED,
        PO,
        LOW,
        PRIVATE,
        status=Q.CLOSED,
        resolution="Gedaan met een online cursus van de bibliotheek.",
        days_ago=75,
    ),
    DemoQuestion(
        "daan",
        "Hoe bouwen kinderen zonder boeken thuis toch een brede woordenschat op?",
        "In mijn groep hebben veel kinderen thuis geen boeken. Wat kan de school doen, ook "
        "buiten de taalles?",
        ("kansengelijkheid", "taal-en-lezen"),
        DIDACTIC,
        EXPERT,
        PO,
        supports=4,
        days_ago=20,
    ),
    DemoQuestion(
        "julia",
        "Hoe maak ik grammatica-uitleg bij Duits minder abstract?",
        "Naamvallen blijven voor de meeste leerlingen een raadsel.",
        ("vakdidactiek",),
        DIDACTIC,
        EXPERT,
        VO,
        LOW,
        supports=1,
        days_ago=17,
    ),
    DemoQuestion(
        "esra",
        "Hoe bereid ik een practicum voor dat veilig is met een grote klas?",
        "Voor mezelf: ik ben nog onzeker over de veiligheid bij practica met 30 leerlingen.",
        ("onderzoekend-leren",),
        DIDACTIC,
        STARTER,
        VO,
        visibility=PRIVATE,
        days_ago=7,
    ),
]

#: Who says "I have this question too": teachers (and leaders) of each school type, asked first
#: for questions of their own type.
SUPPORTERS: dict[SchoolType, tuple[str, ...]] = {
    VO: (
        "fatima", "noor", "mehmet", "priya", "jesse", "samira", "tim", "anouk", "omar",
        "esra", "jasper", "sophie", "hamza", "ricardo", "julia", "yusuf",
    ),
    PO: ("sanne", "daan", "lisa", "kofi", "naomi", "bram", "ilse", "fatma", "ruben", "karim", "eva"),
    MBO: ("milan", "sevda", "dennis", "zeynep", "gerald"),
}  # fmt: skip


# -- loading -----------------------------------------------------------------------------------


def _person_key(user: User) -> str:
    """The person's key: "ravi" for ravi@example.org, "jeroen" for jeroen.stam@example.org."""
    return user.email.split("@")[0].split(".")[0]


def _stable(text: str) -> int:
    """A number from a text, the same on every run (Python's hash() is salted)."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _weekday(day: date) -> date:
    """Meetings are on school days: a Saturday or Sunday moves to the Monday."""
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


class _Demo:
    """What the loader looks up by key: people, themes, organisations, communities."""

    def __init__(self) -> None:
        self.today = to_local(utcnow()).date()
        self.now = utcnow()
        self.people: dict[str, User] = {}
        for user in db.session.scalars(sa.select(User).order_by(User.id)):
            self.people.setdefault(_person_key(user), user)
        self.themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
        self.communities = {c.name: c for c in db.session.scalars(sa.select(Community))}
        self._organisations: dict[str, Organisation] = {}

    def organisation(self, key: str) -> Organisation:
        if key not in self._organisations:
            self._organisations[key] = organisations_demo.organisation(key)
        return self._organisations[key]

    def ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)


def _add_acoa_staff(demo: _Demo) -> None:
    """The AcOA's staff member, with the demo people's password and an approved role."""
    name, email, bio = ACOA_STAFF
    password_hash = db.session.scalar(
        sa.select(User.password_hash).where(User.email == DEMO_PEOPLE[0].email)
    )
    user = User(
        email=email,
        display_name=name,
        password_hash=password_hash,
        career_stage=EXPERT,
        school_type=VO,
        subjects=["biologie"],
        bio=bio,
    )
    db.session.add(user)
    db.session.flush()
    admin = next(u for u in demo.people.values() if u.is_admin)
    acoa = demo.organisation("acoa")
    for role in (OrganisationRole.PROVIDER_STAFF, OrganisationRole.ADMIN):
        organisations_demo.approve_role(user, acoa, role, decided_by=admin)
    db.session.flush()
    demo.people[_person_key(user)] = user


def _meetings(demo: _Demo, spec: DemoOffering, shift: timedelta) -> list[services.Meeting]:
    meetings = []
    for days, clock, minutes in spec.meetings:
        day = _weekday(demo.today + timedelta(days=days) + shift)
        starts_at = amsterdam_moment(day, time.fromisoformat(clock))
        meetings.append(services.Meeting(starts_at, starts_at + timedelta(minutes=minutes)))
    return meetings


def _fields(demo: _Demo, spec: DemoOffering, shift: timedelta) -> services.OfferingFields:
    return services.OfferingFields(
        title=spec.title,
        format=spec.format,
        summary=spec.summary,
        description=spec.description,
        location=spec.location,
        online=spec.online,
        capacity=spec.capacity,
        cost_kind=spec.cost,
        cost_cents=spec.euros * 100 if spec.euros else None,
        needs_leader_approval=spec.approval,
        contact_minutes=round(spec.contact_hours * 60),
        self_study_minutes=round(spec.self_study_hours * 60),
        scope=spec.scope,
        theme_ids=[demo.themes[slug].id for slug in spec.themes],
        school_types=list(spec.school_types),
        career_stages=list(spec.stages),
        domains=list(spec.domains),
        meetings=_meetings(demo, spec, shift),
    )


def _enrol(demo: _Demo, offering: Offering, spec: DemoOffering) -> None:
    """Enrolments in the spec's order (the capacity sends the last ones to the waiting list),
    then the school leaders' decisions and the cancellations."""
    for key in spec.enrol:
        user = demo.people[key]
        school = None
        if spec.cost == CostKind.SCHOOL_PAYS:
            school = services.schools_of(user)[0]  # the demo's teachers work at one school
        services.enrol(offering, user, school)
    for key, leader, approve in spec.decisions:
        enrolment = services.enrolment_of(offering, demo.people[key])
        assert enrolment is not None
        services.decide_enrolment(enrolment, demo.people[leader], approve=approve)
    for key in spec.cancel:
        enrolment = services.enrolment_of(offering, demo.people[key])
        assert enrolment is not None
        services.cancel_enrolment(enrolment, demo.people[key])


def _move_into_past(offering: Offering) -> None:
    """The completed offerings took place: they were enrolled in while still ahead (enrolment
    closes at the start), and now their meetings move back by whole weeks, in Amsterdam wall-clock
    time, so that the provider can complete them."""
    for meeting in offering.meetings:
        for attribute in ("starts_at", "ends_at"):
            local = to_local(getattr(meeting, attribute)) - PAST_SHIFT
            setattr(meeting, attribute, amsterdam_moment(local.date(), local.time()))
    offering.starts_at = min(m.starts_at for m in offering.meetings)
    offering.ends_at = max(m.ends_at for m in offering.meetings)
    db.session.flush()


def _date_offering(demo: _Demo, offering: Offering, spec: DemoOffering, index: int) -> None:
    """Published some weeks before the first meeting (never in the future; a fresh one
    yesterday); the enrolments came in over the days after, in the order they were made, and
    the decisions a day later."""
    first = offering.starts_at or demo.now
    created = min(first - timedelta(days=30 + index % 4 * 7), demo.ago(3 + index % 9))
    if spec.fresh:
        created = demo.ago(2)
    offering.created_at = created
    offering.published_at = created + timedelta(days=1) if offering.published_at else None
    enrolments = db.session.scalars(
        sa.select(Enrolment).where(Enrolment.offering_id == offering.id).order_by(Enrolment.id)
    ).all()
    for n, enrolment in enumerate(enrolments):
        moment = min(created + timedelta(days=1, hours=6 + 17 * n), demo.ago(0.1))
        enrolment.created_at = enrolment.updated_at = moment
        if enrolment.waitlisted_at is not None:
            enrolment.waitlisted_at = moment
        if enrolment.decided_at is not None:
            enrolment.decided_at = enrolment.updated_at = min(
                moment + timedelta(days=1), demo.ago(0.05)
            )
    if offering.completed_at is not None and offering.ends_at is not None:
        offering.completed_at = min(offering.ends_at + timedelta(days=2), demo.ago(1))
        for entry in db.session.scalars(
            sa.select(RecordEntry).where(
                RecordEntry.source == RecordSource.OFFERING, RecordEntry.source_id == offering.id
            )
        ):
            entry.created_at = offering.completed_at
    offering.updated_at = offering.completed_at or offering.published_at or created


def _announce(offering: Offering, moment: datetime) -> None:
    """The askers of open questions it could answer hear of it, as when it was published."""
    db.session.flush()
    before = db.session.scalar(sa.select(sa.func.max(Notification.id))) or 0
    matching.announce_offering(offering)
    db.session.flush()
    db.session.execute(
        sa.update(Notification)
        .where(Notification.id > before)
        .values(created_at=moment, updated_at=moment)
        .execution_options(synchronize_session=False)
    )


def load_offering(demo: _Demo, spec: DemoOffering, index: int) -> Offering:
    staff = demo.people[STAFF[spec.provider]]
    shift = PAST_SHIFT if spec.outcome == Outcome.COMPLETED else timedelta(0)
    offering = services.create_offering(
        demo.organisation(spec.provider), staff, _fields(demo, spec, shift)
    )
    if spec.outcome != Outcome.DRAFT:
        services.publish_offering(offering, staff)
        _enrol(demo, offering, spec)
    if spec.outcome == Outcome.CANCELLED:
        services.cancel_offering(offering, staff, spec.cancel_message)
    if spec.outcome == Outcome.COMPLETED:
        _move_into_past(offering)
        absent = [demo.people[key].id for key in spec.absent]
        services.complete_offering(offering, staff, absent)
    if spec.fresh:
        _announce(offering, demo.ago(1))
    _date_offering(demo, offering, spec, index)
    return offering


def _supporters(spec: DemoQuestion, author: User, demo: _Demo) -> list[User]:
    """Others who would see the question and share it: people of its school type first, in a
    fixed order per question; for a school's question (or one shared with the school) only
    colleagues of that school."""
    if spec.visibility == PRIVATE:
        return []
    candidates = list(SUPPORTERS.get(spec.school_type, ())) if spec.school_type else []
    candidates += [k for group in SUPPORTERS.values() for k in group if k not in candidates]
    start = _stable(spec.title) % len(candidates)
    ordered = [demo.people[k] for k in candidates[start:] + candidates[:start]]
    ordered = [user for user in ordered if user.id != author.id]
    if spec.visibility == SCHOOL:
        school_ids = {s.id for s in services.schools_of(author)}
        if spec.school:
            school_ids = {demo.organisation(spec.school).id}
        ordered = [u for u in ordered if school_ids & {s.id for s in services.schools_of(u)}]
    return ordered[: spec.supports]


def load_question(demo: _Demo, spec: DemoQuestion) -> LearningQuestion:
    """Asked `days_ago`; supported over the weeks after; then answered, adopted or closed."""
    author = demo.people[spec.author]
    fields = services.QuestionFields(
        title=spec.title,
        body=spec.body,
        theme_ids=[demo.themes[slug].id for slug in spec.themes],
        domain=spec.domain,
        career_stage=spec.stage,
        school_type=spec.school_type,
        urgency=spec.urgency,
        visibility=spec.visibility,
    )
    school = demo.organisation(spec.school) if spec.school else None
    question = services.ask(author, fields, school)
    matching.remember_matches(question)  # as the question form does: these are not news
    asked = demo.ago(spec.days_ago).replace(minute=0, second=0, microsecond=0)
    supporters = _supporters(spec, author, demo)
    if len(supporters) < spec.supports:
        raise RuntimeError(f"Too few supporters for {spec.title!r}")
    for user in supporters:
        services.support(question, user)
    # Supports are rows of their own: dated one after another, in the days after asking.
    rows = db.session.scalars(
        sa.select(QuestionSupport)
        .where(QuestionSupport.question_id == question.id)
        .order_by(QuestionSupport.id)
    ).all()
    for n, row in enumerate(rows):
        row.created_at = min(asked + timedelta(days=1 + n * spec.days_ago / 12), demo.ago(0.2))
    if spec.status != Q.OPEN:
        community = demo.communities[spec.community] if spec.community else None
        services.resolve_question(question, author, spec.status, spec.resolution, community)
    question.created_at = asked
    question.updated_at = (
        min(asked + timedelta(days=spec.days_ago * 0.6), demo.ago(1))
        if spec.status != Q.OPEN
        else asked
    )
    db.session.flush()
    return question


def load() -> str:
    with organisations_demo.mail_queued_only():
        return _load()


def _load() -> str:
    demo = _Demo()
    wanted = {q.community for q in QUESTIONS if q.community}
    if not wanted <= demo.communities.keys():
        return "Catalogue: skipped (demo communities missing)"
    _add_acoa_staff(demo)
    specs = list(enumerate(OFFERINGS))
    offerings = [load_offering(demo, spec, n) for n, spec in specs if not spec.fresh]
    questions = [load_question(demo, spec) for spec in QUESTIONS]
    offerings += [load_offering(demo, spec, n) for n, spec in specs if spec.fresh]
    db.session.flush()
    return _summary(offerings, questions)


def _summary(offerings: list[Offering], questions: list[LearningQuestion]) -> str:
    by_status = {status: 0 for status in OfferingStatus}
    for offering in offerings:
        by_status[offering.status] += 1
    enrolments = dict(
        db.session.execute(
            sa.select(Enrolment.status, sa.func.count()).group_by(Enrolment.status)
        ).all()
    )
    asked = {status: 0 for status in LearningQuestionStatus}
    for question in questions:
        asked[question.status] += 1
    supports = db.session.scalar(sa.select(sa.func.count(QuestionSupport.id)))
    completed = sum(1 for o in offerings if o.completed_at is not None)
    return (
        f"Catalogue: {len(offerings)} offerings ({by_status[OfferingStatus.PUBLISHED]} published, "
        f"{completed} of them completed; {by_status[OfferingStatus.DRAFT]} drafts, "
        f"{by_status[OfferingStatus.CANCELLED]} cancelled); enrolments: "
        + ", ".join(f"{count} {status}" for status, count in sorted(enrolments.items()))
        + f"; {len(questions)} learning questions ({asked[Q.OPEN]} open, "
        f"{asked[Q.ANSWERED]} answered, {asked[Q.ADOPTED]} adopted, {asked[Q.CLOSED]} closed) "
        f"with {supports} supports"
    )
