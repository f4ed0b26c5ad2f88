"""Demo communities: thirteen learning communities, most of them co-owned across schools.

Everything goes through the community services (create, invite a co-owner and accept as the
organisation's speaker, join, ask to join and approve, invite and accept, set a role, set the
status), so counters and rules hold as in real use. The mail those services write stays queued
in the outbox (see `plc.organisations.demo.mail_queued_only`). The organisations that co-own a
community and have no speaker among the demo people get one: fictional people with an approved role that may speak for the
organisation. Two dozen fictional teachers fill the communities, some much more than
others. The demo teacher (fatima@example.org) stays outside several public cross-school
communities, so that finding, joining and leaving one can be tried.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa

from plc.auth.demo import DEMO_PASSWORD, DEMO_PEOPLE
from plc.auth.models import CareerStage, SchoolType, User
from plc.auth.passwords import hash_password
from plc.communities import services
from plc.communities.models import (
    Community,
    CommunityMember,
    CommunityStatus,
    MemberRole,
    Visibility,
)
from plc.extensions import db
from plc.organisations import demo as organisations_demo
from plc.organisations.models import Organisation, OrganisationRole
from plc.themes.models import Theme

PO, VO, MBO = SchoolType.PRIMARY, SchoolType.SECONDARY, SchoolType.VOCATIONAL
STUDENT, STARTER, EXPERIENCED, EXPERT = (
    CareerStage.STUDENT,
    CareerStage.STARTER,
    CareerStage.EXPERIENCED,
    CareerStage.EXPERT,
)
Role = OrganisationRole


@dataclass(frozen=True)
class FictionalPerson:
    """A fictional demo person with approved roles in one organisation."""

    key: str
    name: str
    career_stage: CareerStage | None
    school_type: SchoolType | None
    subjects: tuple[str, ...]
    bio: str
    organisation: str
    roles: tuple[OrganisationRole, ...] = (Role.TEACHER,)

    @property
    def email(self) -> str:
        name = self.name.replace("\u0131", "i")  # Turkish dotless i has no decomposition
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        return ".".join(ascii_name.lower().split()) + "@example.org"


#: Those who speak for an organisation (admin or school leader) where no demo person does.
SPEAKERS: list[FictionalPerson] = [
    FictionalPerson(
        "dedam",
        "Jeroen Stam",
        EXPERT,
        VO,
        ("aardrijkskunde",),
        "Coördinator van de opleidingsschool; begeleidt schoolopleiders.",
        "dedam",
        (Role.PROVIDER_STAFF, Role.ADMIN),
    ),
    FictionalPerson(
        "asko_academie",
        "Marieke Kuipers",
        EXPERT,
        PO,
        (),
        "Programmamaker bij de huisacademie; intervisie en leiderschap.",
        "asko_academie",
        (Role.PROVIDER_STAFF, Role.ADMIN),
    ),
    FictionalPerson(
        "zaam_academie",
        "Wouter Lammers",
        EXPERT,
        VO,
        ("wiskunde",),
        "Wiskundedocent en trainer bij de huisacademie; lesson study.",
        "zaam_academie",
        (Role.PROVIDER_STAFF, Role.ADMIN),
    ),
    FictionalPerson(
        "esprit_academie",
        "Aylin Çelik",
        EXPERT,
        VO,
        ("informatica",),
        "Leidt het aanbod van de huisacademie; digitale geletterdheid en AI.",
        "esprit_academie",
        (Role.PROVIDER_STAFF, Role.ADMIN),
    ),
    FictionalPerson(
        "uva",
        "Thijs Verbeek",
        EXPERT,
        VO,
        ("wiskunde",),
        "Instituutsopleider wiskunde; onderzoekt lesson study in Amsterdamse scholen.",
        "uva",
        (Role.PROVIDER_STAFF, Role.ADMIN),
    ),
    FictionalPerson(
        "vu",
        "Hanneke Molenaar",
        EXPERT,
        VO,
        ("natuurkunde",),
        "Vakdidacticus natuurkunde aan de lerarenopleiding.",
        "vu",
        (Role.PROVIDER_STAFF, Role.ADMIN),
    ),
    FictionalPerson(
        "hva",
        "Kwame Owusu",
        EXPERT,
        MBO,
        ("burgerschap",),
        "Lerarenopleider; werkt met mbo-scholen aan burgerschapsonderwijs.",
        "hva",
        (Role.PROVIDER_STAFF, Role.ADMIN),
    ),
    FictionalPerson(
        "betapartners",
        "Femke de Lange",
        None,
        None,
        (),
        "Programmacoördinator; verbindt bètadocenten met de universiteiten.",
        "betapartners",
        (Role.PROVIDER_STAFF, Role.ADMIN),
    ),
    FictionalPerson(
        "gemeente",
        "Joyce Held",
        None,
        None,
        (),
        "Beleidsadviseur onderwijs; taal, nieuwkomers en burgerschap.",
        "gemeente",
        (Role.ADMIN,),
    ),
    FictionalPerson(
        "roc_leader",
        "Gerald Doelwijt",
        EXPERT,
        MBO,
        (),
        "Directeur van een mbo-locatie in Zuidoost.",
        "roc_zuidoost",
        (Role.SCHOOL_LEADER, Role.ADMIN),
    ),
    FictionalPerson(
        "stwt_leader",
        "Karim Ouali",
        EXPERT,
        PO,
        (),
        "Directeur van een basisschool in Nieuw-West; hart voor startende leerkrachten.",
        "sloterplas",
        (Role.SCHOOL_LEADER, Role.ADMIN),
    ),
    FictionalPerson(
        "awbr_leader",
        "Eva Schouten",
        EXPERT,
        PO,
        (),
        "Directeur en voormalig intern begeleider.",
        "kolk",
        (Role.SCHOOL_LEADER, Role.ADMIN),
    ),
]

#: Teachers who fill the communities; each teaches at one demo school.
TEACHERS: list[FictionalPerson] = [
    FictionalPerson(
        "noor",
        "Noor Bakker",
        EXPERIENCED,
        VO,
        ("Nederlands",),
        "Docent Nederlands, mentor van een brugklas.",
        "cygnus",
    ),
    FictionalPerson(
        "mehmet",
        "Mehmet Yılmaz",
        STARTER,
        VO,
        ("wiskunde",),
        "Tweede jaar voor de klas, na een zij-instroomtraject.",
        "hlw",
    ),
    FictionalPerson(
        "priya",
        "Priya Ramsaran",
        EXPERT,
        VO,
        ("biologie",),
        "Biologiedocent en schoolopleider.",
        "barlaeus",
    ),
    FictionalPerson(
        "jesse",
        "Jesse van Dijk",
        STUDENT,
        VO,
        ("geschiedenis",),
        "Student aan de lerarenopleiding geschiedenis, stage in de onderbouw.",
        "caland",
    ),
    FictionalPerson(
        "samira",
        "Samira Bouzid",
        STARTER,
        VO,
        ("Engels",),
        "Startende docent Engels in Nieuw-West.",
        "mundus",
    ),
    FictionalPerson(
        "tim",
        "Tim de Graaf",
        EXPERIENCED,
        VO,
        ("natuurkunde",),
        "Natuurkundedocent; bouwt graag practica met leerlingen.",
        "spinoza",
    ),
    FictionalPerson(
        "anouk",
        "Anouk Visser",
        EXPERT,
        VO,
        ("wiskunde",),
        "Wiskundedocent en sectievoorzitter; lesson study-begeleider.",
        "ignatius",
    ),
    FictionalPerson(
        "omar",
        "Omar Haddou",
        EXPERIENCED,
        VO,
        ("maatschappijleer",),
        "Docent maatschappijleer; werkt aan het gesprek over lastige onderwerpen.",
        "marcanti",
    ),
    FictionalPerson(
        "esra",
        "Esra Kaya",
        STARTER,
        VO,
        ("scheikunde",),
        "Eerste jaar als docent scheikunde.",
        "berlage",
    ),
    FictionalPerson(
        "jasper",
        "Jasper Mulder",
        EXPERIENCED,
        VO,
        ("wiskunde",),
        "Wiskundedocent, vooral in de onderbouw.",
        "mla",
    ),
    FictionalPerson(
        "sophie",
        "Sophie van Leeuwen",
        EXPERIENCED,
        VO,
        ("Frans",),
        "Docent Frans; zoekt manieren om leerlingen meer te laten spreken.",
        "hlz",
    ),
    FictionalPerson(
        "hamza",
        "Hamza El Idrissi",
        STARTER,
        VO,
        ("economie",),
        "Startende docent economie in Noord.",
        "overy",
    ),
    FictionalPerson(
        "ricardo",
        "Ricardo Martina",
        EXPERIENCED,
        VO,
        ("lichamelijke opvoeding",),
        "Docent lichamelijke opvoeding en mentor in de onderbouw.",
        "vossius",
    ),
    FictionalPerson(
        "julia",
        "Julia Wong",
        EXPERT,
        VO,
        ("Duits",),
        "Docent Duits en werkplekbegeleider van studenten.",
        "vierde",
    ),
    FictionalPerson(
        "lisa",
        "Lisa Jansen",
        EXPERIENCED,
        PO,
        ("groep 6",),
        "Leerkracht groep 6 en taalcoördinator.",
        "vlieger",
    ),
    FictionalPerson(
        "kofi",
        "Kofi Mensah",
        STARTER,
        PO,
        ("groep 3",),
        "Startende leerkracht groep 3 in Nieuw-West.",
        "toekomst",
    ),
    FictionalPerson(
        "naomi",
        "Naomi Pinas",
        EXPERT,
        PO,
        ("intern begeleider",),
        "Intern begeleider; passend onderwijs in de gewone groep.",
        "sarphati",
    ),
    FictionalPerson(
        "bram",
        "Bram Hoekstra",
        STARTER,
        PO,
        ("groep 7",),
        "Zij-instromer, nu leerkracht groep 7.",
        "geuzennest",
    ),
    FictionalPerson(
        "ilse",
        "Ilse Vermeulen",
        EXPERIENCED,
        PO,
        ("groep 8",),
        "Leerkracht groep 8; leesplezier en de overstap naar het vo.",
        "meeuw",
    ),
    FictionalPerson(
        "fatma",
        "Fatma Aydın",
        STUDENT,
        PO,
        ("groep 4",),
        "Pabostudent in het laatste jaar.",
        "jozef",
    ),
    FictionalPerson(
        "ruben",
        "Ruben Koster",
        EXPERIENCED,
        PO,
        ("groep 5",),
        "Leerkracht groep 5; rekenen en begrijpend lezen.",
        "kastanje",
    ),
    FictionalPerson(
        "sevda",
        "Sevda Arslan",
        EXPERIENCED,
        MBO,
        ("Nederlands", "burgerschap"),
        "Docent Nederlands en burgerschap in het mbo.",
        "roc_zuidoost",
    ),
    FictionalPerson(
        "dennis",
        "Dennis Kromo",
        STARTER,
        MBO,
        ("loopbaan en burgerschap",),
        "Startende docent loopbaan en burgerschap.",
        "roc_noord",
    ),
    FictionalPerson(
        "zeynep",
        "Zeynep Doğan",
        EXPERT,
        MBO,
        ("rekenen",),
        "Docent rekenen en teamleider; begeleidt nieuwe collega's.",
        "roc_nieuwwest",
    ),
]


@dataclass(frozen=True)
class DemoCommunity:
    name: str
    summary: str
    description: str
    themes: tuple[str, ...]
    school_types: tuple[SchoolType, ...]
    career_stages: tuple[CareerStage, ...]
    #: (person key, organisation key): who starts it, for which organisation.
    started_by: tuple[str, str]
    #: (organisation key, speaker key): invited co-owners, accepted by their speaker.
    co_owners: tuple[tuple[str, str], ...]
    visibility: Visibility
    status: CommunityStatus
    #: People (demo people or fictional ones) who are members.
    members: tuple[str, ...] = ()
    #: Members who facilitate.
    facilitators: tuple[str, ...] = ()
    #: How many of the fictional teachers join (those whose school type and stage fit).
    extra_members: int = 0
    #: (person key, note): open requests to join.
    requests: tuple[tuple[str, str], ...] = ()
    #: People with an open invitation to join.
    invitations: tuple[str, ...] = ()


COMMUNITIES: list[DemoCommunity] = [
    DemoCommunity(
        "Formatief evalueren in de onderbouw",
        "Docenten uit de onderbouw van het vo onderzoeken samen hoe je met leerdoelen, "
        "succescriteria en feedback het leren zichtbaar maakt.",
        """Formatief evalueren klinkt eenvoudig: kijk waar je leerlingen staan en stem je les daarop af. In de praktijk is het lastig om dat elke les vol te houden, zeker in de onderbouw, met grote klassen en veel vakken.

In deze leergemeenschap werken docenten van verschillende Amsterdamse scholen elk aan een vraag uit hun eigen lessen. We proberen iets uit, kijken bij elkaar in de klas en brengen wat we zagen terug in de groep.

Waar we aan werken:

- leerdoelen en succescriteria die leerlingen echt begrijpen;
- korte checks aan het eind van de les: exit tickets, wisbordjes, een vraag op de deur;
- feedback die leerlingen gebruiken, en niet alleen lezen;
- cijfers en formatief werken: hoe verhouden die zich?

We komen ongeveer eens per zes weken bij elkaar, om de beurt op een van de deelnemende scholen. Tussendoor delen we materiaal en ervaringen in de gesprekken hier.""",
        ("formatief-evalueren", "vakdidactiek"),
        (VO,),
        (),
        ("teacher", "mundus"),
        (("rosa", "provider"), ("dedam", "dedam")),
        Visibility.PUBLIC,
        CommunityStatus.ACTIVE,
        members=("leader",),
        extra_members=13,
    ),
    DemoCommunity(
        "Begrijpend lezen in groep 5 tot en met 8",
        "Leerkrachten van groep 5 tot en met 8 werken aan begrijpend lezen met rijke teksten, "
        "goede gesprekken en meer leesplezier.",
        """Veel kinderen kunnen technisch goed lezen, maar halen weinig uit een tekst. Losse strategielessen met korte teksten helpen daar maar beperkt bij. Wat werkt wel?

We lezen samen wat onderzoek zegt over kennis, woordenschat en het gesprek over teksten, en proberen het direct uit in onze groepen. Elke bijeenkomst neemt iemand een les of een tekst mee.

Onderwerpen dit schooljaar:

- teksten kiezen die kennis opbouwen, ook bij wereldoriëntatie;
- het gesprek over de tekst: goede vragen, beurten verdelen;
- strategieën: wanneer helpen ze, en wanneer zitten ze in de weg?
- leesplezier in groep 7 en 8, juist bij kinderen die weinig lezen.

De leergemeenschap is open voor leerkrachten van alle Amsterdamse basisscholen.""",
        ("taal-en-lezen", "kansengelijkheid"),
        (PO,),
        (STARTER, EXPERIENCED, EXPERT),
        ("facilitator", "amstelbrug"),
        (("asko_academie", "asko_academie"), ("hva", "hva")),
        Visibility.PUBLIC,
        CommunityStatus.ACTIVE,
        members=("starter",),
        extra_members=6,
    ),
    DemoCommunity(
        "Startende leraren in Nieuw-West",
        "Een plek voor leraren in hun eerste jaren in Nieuw-West: ervaringen delen, elkaars "
        "lessen bezoeken en samen sterker het vak in.",
        """De eerste jaren voor de klas zijn intensief. Je leert elke dag, en veel van wat je tegenkomt, is voor je collega's op andere scholen net zo nieuw. Daarom brengen we starters uit het primair en voortgezet onderwijs in Nieuw-West bij elkaar.

We werken in kleine groepen van vier tot zes starters, met een ervaren begeleider. Wie wil, gaat bij een ander op lesbezoek.

Wat aan bod komt:

- de eerste weken: afspraken, routines en een goede start met je klas;
- samenwerken met ouders, ook als je elkaars taal niet goed spreekt;
- omgaan met werkdruk en grenzen stellen;
- intervisie over situaties die je zelf inbrengt.

Deelname gaat op aanvraag, zodat de groepen klein en vertrouwd blijven.""",
        ("begeleiden-van-starters", "gedrag-en-klassenmanagement"),
        (PO, VO),
        (STUDENT, STARTER),
        ("stwt_leader", "sloterplas"),
        (("mundus", "leader"), ("esprit_academie", "esprit_academie")),
        Visibility.REQUEST,
        CommunityStatus.ACTIVE,
        extra_members=3,
        requests=(
            (
                "starter",
                "Ik sta sinds vorig jaar voor groep 5 in Slotervaart en zou graag meedoen.",
            ),
        ),
    ),
    DemoCommunity(
        "Lesson study wiskunde",
        "In kleine teams ontwerpen, geven en bespreken we samen een wiskundeles, en leren zo "
        "van wat leerlingen werkelijk doen.",
        """Bij lesson study staat niet de docent centraal, maar het denken van de leerling. Een team van drie of vier docenten ontwerpt samen een les, één van hen geeft hem, de anderen observeren een paar leerlingen. Daarna bespreken we wat we zagen en verbeteren we de les.

Elk team kiest een onderwerp waar leerlingen vaak op vastlopen. We werken in cycli van ongeveer acht weken:

1. onderzoeksvraag kiezen en het onderwerp verkennen;
2. de les samen ontwerpen en voorspellen wat leerlingen zullen doen;
3. de les geven en observeren;
4. nabespreken, bijstellen en de opbrengst delen.

Een instituutsopleider van de lerarenopleiding denkt mee. De uitgewerkte lessen komen in de kennisbank, zodat ook andere scholen ze kunnen gebruiken.""",
        ("rekenen", "vakdidactiek", "onderzoek-in-de-school"),
        (VO,),
        (STARTER, EXPERIENCED, EXPERT),
        ("zaam_academie", "zaam_academie"),
        (("uva", "uva"), ("esprit_academie", "esprit_academie")),
        Visibility.PUBLIC,
        CommunityStatus.ACTIVE,
        extra_members=5,
    ),
    DemoCommunity(
        "Burgerschap in het mbo",
        "Mbo-docenten delen lessen en dilemma's over burgerschap: van het gesprek over het "
        "nieuws tot ervaringen op stage in de stad.",
        """Burgerschap in het mbo gaat over meer dan een vak: het gaat over hoe studenten hun plek vinden in werk, stad en samenleving. Hoe geef je daar vorm aan in een rooster dat al vol zit?

Docenten van verschillende mbo-locaties wisselen hier uit wat werkt. We bespreken ook de lastige momenten: een gesprek dat uit de hand loopt, of een onderwerp dat je liever vermijdt.

We werken aan:

- lessen over actuele onderwerpen die studenten zelf aandragen;
- het voeren van een gesprek waarin iedereen zich veilig voelt;
- burgerschap koppelen aan stage en beroep;
- samenwerken met partners in de wijk.""",
        ("burgerschap", "kansengelijkheid"),
        (MBO,),
        (),
        ("roc_leader", "roc_zuidoost"),
        (("hva", "hva"), ("gemeente", "gemeente")),
        Visibility.PUBLIC,
        CommunityStatus.ACTIVE,
        members=("student",),
        extra_members=2,
    ),
    DemoCommunity(
        "Meertaligheid en NT2 in de klas",
        "Hoe benut je de talen die leerlingen meebrengen, en hoe help je nieuwkomers de "
        "schooltaal te leren? Praktijkvoorbeelden uit po en vo.",
        """In veel Amsterdamse klassen spreken leerlingen samen meer dan tien talen. Dat is een rijkdom, en tegelijk een opgave: hoe zorg je dat iedereen de schooltaal leert, zonder de thuistaal weg te zetten?

Leerkrachten en docenten uit het primair en voortgezet onderwijs delen hier werkvormen en ervaringen. We nodigen af en toe iemand uit de nieuwkomersklassen uit.

Onderwerpen:

- de thuistaal inzetten bij het leren, bijvoorbeeld bij nieuwe woorden;
- taalgericht vakonderwijs: taal leren in elk vak;
- de overstap van een nieuwkomersklas naar een gewone groep of klas;
- gesprekken met ouders die (nog) weinig Nederlands spreken.""",
        ("meertaligheid", "taal-en-lezen"),
        (PO, VO),
        (),
        ("gemeente", "gemeente"),
        (("amstelbrug", "facilitator"), ("asko_academie", "asko_academie")),
        Visibility.PUBLIC,
        CommunityStatus.ACTIVE,
        members=("facilitator",),
        facilitators=("facilitator",),
        extra_members=4,
    ),
    DemoCommunity(
        "Onderzoekend leren in de bètavakken",
        "Docenten natuurkunde, scheikunde en biologie ontwerpen samen practica en "
        "onderzoeksopdrachten waarin leerlingen zelf vragen stellen.",
        """Leerlingen vinden practica vaak leuk, maar volgen meestal een recept. In deze leergemeenschap maken we van een bestaand practicum een opdracht waarin leerlingen zelf een vraag onderzoeken.

We werken samen met Bètapartners en de lerarenopleiding, zodat we ook zien hoe onderzoek in het hoger onderwijs verder gaat.

Wat we doen:

- bestaande practica ombouwen tot open onderzoeksopdrachten;
- leerlingen leren een onderzoeksvraag te formuleren en een meting op te zetten;
- beoordelen van onderzoeksvaardigheden, ook in het profielwerkstuk;
- een bezoek aan een laboratorium van een van de universiteiten.""",
        ("onderzoekend-leren", "vakdidactiek"),
        (VO,),
        (EXPERIENCED, EXPERT),
        ("provider", "rosa"),
        (("betapartners", "betapartners"), ("vu", "vu")),
        Visibility.PUBLIC,
        CommunityStatus.ACTIVE,
        extra_members=3,
    ),
    DemoCommunity(
        "AI in de les",
        "Wat kan AI wel en niet voor je lessen en je leerlingen? We verkennen samen "
        "toepassingen, afspraken en de gevolgen voor toetsing.",
        """Leerlingen gebruiken AI-tools al, of de school dat nu wil of niet. Wat betekent dat voor opdrachten, toetsen en het leren zelf? En waar kan AI jou als leraar werk uit handen nemen?

Deze leergemeenschap is net gestart. In de eerste bijeenkomsten bepalen we samen de vragen waar we het komende jaar aan werken.

Ideeën tot nu toe:

- opdrachten die ook met AI betekenisvol blijven;
- afspraken met leerlingen en ouders over het gebruik van AI;
- AI als hulp bij het voorbereiden van lessen en het geven van feedback;
- privacy en de keuze van tools.

Iedereen die nieuwsgierig is, is welkom, van po tot mbo.""",
        ("ai-in-het-onderwijs", "digitale-geletterdheid"),
        (PO, VO, MBO),
        (),
        ("esprit_academie", "esprit_academie"),
        (("zaam_academie", "zaam_academie"),),
        Visibility.PUBLIC,
        CommunityStatus.FORMING,
        members=("teacher", "student", "leader"),
        extra_members=1,
    ),
    DemoCommunity(
        "Passend onderwijs in de praktijk",
        "Leerkrachten en intern begeleiders bespreken hoe je in een gewone groep ruimte maakt "
        "voor kinderen die net iets anders nodig hebben.",
        """Passend onderwijs gebeurt vooral in de groep, door de leerkracht. Dat vraagt veel: goed kijken naar wat een kind nodig heeft, en tegelijk de hele groep blijven zien.

We bespreken situaties uit onze eigen groepen, met de vraag: wat kan ik morgen anders doen?

Waar we het over hebben:

- een groepsplan dat je echt gebruikt;
- samenwerken met de intern begeleider en met ouders;
- differentiëren zonder drie lessen tegelijk te geven;
- wanneer je hulp van buiten de school inschakelt.""",
        ("passend-onderwijs", "differentieren"),
        (PO,),
        (),
        ("awbr_leader", "kolk"),
        (),
        Visibility.REQUEST,
        CommunityStatus.ACTIVE,
        members=("starter",),
        extra_members=1,
    ),
    DemoCommunity(
        "Sociale veiligheid: schoolleiders in gesprek",
        "Vertrouwelijk overleg voor schoolleiders en HR-adviseurs over de sociale veiligheid "
        "van leerlingen en medewerkers.",
        """Sociale veiligheid vraagt om beleid, maar vooral om wat er elke dag in de school gebeurt. Schoolleiders en HR-adviseurs van verschillende besturen bespreken hier, in vertrouwen, hoe zij dat aanpakken.

De gemeenschap is alleen op uitnodiging: wat hier besproken wordt, blijft hier.

Terugkerende onderwerpen:

- incidenten: wat doe je in de eerste uren en dagen?
- het gesprek met het team na een ingrijpende gebeurtenis;
- de veiligheid van medewerkers, ook online;
- wat de monitor sociale veiligheid je wel en niet vertelt.""",
        ("sociale-veiligheid", "gedrag-en-klassenmanagement"),
        (PO, VO, MBO),
        (),
        ("leader", "mundus"),
        (),
        Visibility.INVITE,
        CommunityStatus.ACTIVE,
        members=("hr", "stwt_leader", "awbr_leader"),
    ),
    DemoCommunity(
        "Intervisie voor expertleraren",
        "Expertleraren uit po en vo brengen eigen vragen in en werken die uit volgens een "
        "vaste intervisiemethode.",
        """Wie al lang en met plezier lesgeeft, heeft vaak een rol naast de klas: schoolopleider, coach, of trekker van een ontwikkeling in de school. Die rol brengt eigen vragen mee, en op de eigen school is niet altijd iemand om ze mee te bespreken.

In deze kleine groep doen we intervisie volgens een vaste methode. Eén deelnemer brengt een vraag in, de anderen stellen vragen en denken mee.

Afspraken:

- we komen vijf keer per jaar bij elkaar;
- wat besproken wordt, blijft in de groep;
- de inbrenger bepaalt wat er met de adviezen gebeurt.""",
        ("begeleiden-van-starters", "onderzoek-in-de-school"),
        (PO, VO),
        (EXPERT,),
        ("asko_academie", "asko_academie"),
        (("esprit_academie", "esprit_academie"),),
        Visibility.INVITE,
        CommunityStatus.ACTIVE,
        members=("facilitator",),
        facilitators=("facilitator",),
        extra_members=1,
        invitations=("julia",),
    ),
    DemoCommunity(
        "Ouders als partner in Nieuw-West",
        "Leerkrachten in Nieuw-West verzamelen goede ideeën om ouders te betrekken bij het "
        "leren van hun kind.",
        """Ouders willen het beste voor hun kind, maar weten niet altijd wat er op school gebeurt of hoe ze kunnen helpen. Hoe maak je het contact laagdrempelig?

Deze leergemeenschap is in oprichting. We zoeken collega's die willen meedenken over:

- een koffieochtend of inloop die ouders echt bereikt;
- oudergesprekken waarin het kind zelf meepraat;
- ouders betrekken bij lezen en rekenen thuis;
- samenwerken met de buurt en de bibliotheek.""",
        ("ouderbetrokkenheid", "kansengelijkheid"),
        (PO,),
        (),
        ("stwt_leader", "sloterplas"),
        (),
        Visibility.PUBLIC,
        CommunityStatus.FORMING,
        members=("starter",),
        extra_members=1,
    ),
    DemoCommunity(
        "Pilot collegiale consultatie 2023/2024",
        "Afgeronde pilot waarin docenten van twee opleidingsscholen elkaars lessen bezochten. "
        "De opbrengsten blijven hier te lezen.",
        """In het schooljaar 2023–2024 bezochten docenten van scholen uit twee opleidingsscholen elkaars lessen. Elk bezoek had een vraag van de docent die bezocht werd; na afloop volgde een kort gesprek.

De pilot is afgerond en geëvalueerd. Deze gemeenschap blijft als archief bestaan.

Wat we leerden:

- een eigen vraag maakt een lesbezoek veel waardevoller;
- een vaste partner op een andere school werkt beter dan wisselende bezoeken;
- tijd in het rooster is de belangrijkste voorwaarde.""",
        ("onderzoek-in-de-school", "gedrag-en-klassenmanagement"),
        (VO,),
        (STARTER, EXPERIENCED, EXPERT),
        ("provider", "rosa"),
        (("dedam", "dedam"),),
        Visibility.PUBLIC,
        CommunityStatus.CLOSED,
        members=("teacher", "leader"),
        extra_members=1,
    ),
]


def _shared_password_hash() -> str:
    """The demo people's hash (scrypt is slow on purpose; the demo shares one password)."""
    existing = db.session.scalar(
        sa.select(User.password_hash).where(User.email == DEMO_PEOPLE[0].email)
    )
    return existing or hash_password(DEMO_PASSWORD)


def _add_people(password_hash: str) -> dict[str, User]:
    people: dict[str, User] = {p.key: organisations_demo.person(p.key) for p in DEMO_PEOPLE}
    admin = next(u for u in people.values() if u.is_admin)
    for spec in SPEAKERS + TEACHERS:
        user = User(
            email=spec.email,
            display_name=spec.name,
            password_hash=password_hash,
            career_stage=spec.career_stage,
            school_type=spec.school_type,
            subjects=list(spec.subjects),
            bio=spec.bio,
        )
        db.session.add(user)
        db.session.flush()
        organisation = organisations_demo.organisation(spec.organisation)
        for role in spec.roles:
            organisations_demo.approve_role(user, organisation, role, decided_by=admin)
        people[spec.key] = user
    db.session.flush()
    return people


def _ordered(candidates: list[FictionalPerson], salt: str) -> list[FictionalPerson]:
    """A fixed, per-community shuffle, so that each community gets other people."""
    return sorted(candidates, key=lambda p: hashlib.sha256(f"{salt}/{p.key}".encode()).digest())


def _fits(person: FictionalPerson, spec: DemoCommunity) -> bool:
    return person.school_type in spec.school_types and (
        not spec.career_stages or person.career_stage in spec.career_stages
    )


def _fields(spec: DemoCommunity, themes: dict[str, int]) -> services.CommunityFields:
    return services.CommunityFields(
        name=spec.name,
        summary=spec.summary,
        description=spec.description,
        visibility=spec.visibility,
        theme_ids=[themes[slug] for slug in spec.themes],
        school_types=list(spec.school_types),
        career_stages=list(spec.career_stages),
    )


def _add_member(community: Community, user: User, owner: User) -> CommunityMember:
    """Through the door the community's visibility offers: join, request, or invitation."""
    if community.visibility == Visibility.PUBLIC:
        return services.join(community, user)
    if community.visibility == Visibility.REQUEST:
        member = services.request_to_join(community, user)
        services.decide_request(member, approve=True)
        return member
    invitation = services.invitation_by_token(services.invite(community, owner, user=user))
    assert invitation is not None
    services.accept_invitation(invitation, user)
    return db.session.scalars(
        sa.select(CommunityMember).where(
            CommunityMember.community_id == community.id, CommunityMember.user_id == user.id
        )
    ).one()


def load() -> str:
    with organisations_demo.mail_queued_only():
        return _load()


def _load() -> str:
    people = _add_people(_shared_password_hash())
    themes = {t.slug: t.id for t in db.session.scalars(sa.select(Theme))}
    organisations: dict[str, Organisation] = {}

    def org(key: str) -> Organisation:
        if key not in organisations:
            organisations[key] = organisations_demo.organisation(key)
        return organisations[key]

    created: list[tuple[DemoCommunity, Community]] = []
    for spec in COMMUNITIES:
        starter_key, organisation_key = spec.started_by
        owner = people[starter_key]
        community = services.create_community(owner, org(organisation_key), _fields(spec, themes))
        for co_owner_key, speaker_key in spec.co_owners:
            row = services.invite_co_owner(community, org(co_owner_key), owner)
            speaker = people[speaker_key]
            services.decide_co_ownership(row, accept=True, contact=speaker, acting=speaker)
        if spec.status != CommunityStatus.FORMING:
            services.set_status(community, CommunityStatus.ACTIVE)

        joining = [people[key] for key in spec.members]
        fitting = _ordered([p for p in TEACHERS if _fits(p, spec)], community.slug)
        joining += [people[p.key] for p in fitting[: spec.extra_members]]
        for user in joining:
            member = _add_member(community, user, owner)
            if any(people[key] is user for key in spec.facilitators):
                services.set_role(member, MemberRole.FACILITATOR)
        for key, note in spec.requests:
            services.request_to_join(community, people[key], note)
        for key in spec.invitations:
            services.invite(community, owner, user=people[key])
        created.append((spec, community))

    # Closed last: a closed community takes no new members.
    for spec, community in created:
        if spec.status == CommunityStatus.CLOSED:
            services.set_status(community, CommunityStatus.CLOSED)

    db.session.flush()
    communities = [community for _, community in created]
    for community in communities:
        db.session.refresh(community)  # the counters are updated in SQL
    cross_school = sum(1 for c in communities if c.is_cross_school)
    members = sum(c.member_count for c in communities)
    requests = sum(len(spec.requests) for spec in COMMUNITIES)
    invitations = sum(len(spec.invitations) for spec in COMMUNITIES)
    sizes = ", ".join(
        str(c.member_count) for c in sorted(communities, key=lambda c: -c.member_count)
    )
    return (
        f"Communities: {len(communities)} ({cross_school} cross-school); memberships {members} "
        f"(sizes {sizes}), {requests} open request to join, {invitations} open invitation; "
        f"fictional people added: {len(SPEAKERS) + len(TEACHERS)}"
    )
