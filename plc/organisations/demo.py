"""Demo organisations: Amsterdam's education organisations, forty schools, and the demo roles.

The municipality, the school boards, training schools (opleidingsscholen), in-house academies,
teacher-education institutes and networks are real Amsterdam organisations, a public fact; their
descriptions say only what they are. The schools of the secondary boards and the independent
secondary schools are real schools too; the primary schools' names are plausible inventions.

The codes are demo values, not DUO's: instellingscode, vestigingscode and bevoegd gezag nummer
are made up in DUO's format. So are the street addresses and postcodes. Which schools and
institutes are partners of which training school or network is illustrative.

The people are fictional (plc.auth.demo); this module only gives them their roles.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from plc.auth.demo import DEMO_PEOPLE
from plc.auth.models import SchoolType, User
from plc.core.models import utcnow
from plc.extensions import db
from plc.organisations.models import (
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    OrganisationRole,
)
from plc.organisations.services import claim_role, set_partners, unique_slug

#: DUO writes place and municipality names in upper case; the demo does the same.
AMSTERDAM = "AMSTERDAM"

Kind = OrganisationKind
Role = OrganisationRole


@dataclass(frozen=True)
class DemoOrganisation:
    """An organisation that is not a school: municipality, board, provider or network."""

    key: str
    kind: OrganisationKind
    name: str
    description: str
    website: str | None = None
    #: Key of the board an academy belongs to.
    parent: str | None = None
    #: Boards only: bevoegd gezag nummer (demo value).
    board_number: str | None = None


ORGANISATIONS: list[DemoOrganisation] = [
    DemoOrganisation(
        "gemeente",
        Kind.MUNICIPALITY,
        "Gemeente Amsterdam",
        "De gemeente Amsterdam. Werkt met schoolbesturen, opleidingsscholen en "
        "lerarenopleidingen samen aan goed onderwijs en genoeg leraren in de stad.",
        "https://www.amsterdam.nl",
    ),
    # -- school boards (bevoegd gezag) --
    DemoOrganisation(
        "asko",
        Kind.BOARD,
        "Amsterdamse Stichting voor Katholiek Onderwijs (ASKO)",
        "Schoolbestuur van katholieke basisscholen in Amsterdam.",
        "https://www.asko.nl",
        board_number="41101",
    ),
    DemoOrganisation(
        "ooada",
        Kind.BOARD,
        "Stichting Openbaar Onderwijs aan de Amstel (OOadA)",
        "Schoolbestuur van openbare basisscholen in Amsterdam.",
        board_number="41102",
    ),
    DemoOrganisation(
        "stwt",
        Kind.BOARD,
        "Stichting Westelijke Tuinsteden (STWT)",
        "Schoolbestuur van basisscholen in Amsterdam Nieuw-West.",
        board_number="41103",
    ),
    DemoOrganisation(
        "awbr",
        Kind.BOARD,
        "Amsterdamse Wijkschoolvereniging Bijzondere Richting (AWBR)",
        "Schoolbestuur van basisscholen van bijzondere signatuur in Amsterdam.",
        board_number="41104",
    ),
    DemoOrganisation(
        "zaam",
        Kind.BOARD,
        "Stichting ZAAM",
        "Schoolbestuur van scholen voor interconfessioneel voortgezet onderwijs in Amsterdam, "
        "Zaandam en Monnickendam, van praktijkonderwijs tot gymnasium.",
        "https://www.zaam.nl",
        board_number="41105",
    ),
    DemoOrganisation(
        "esprit",
        Kind.BOARD,
        "Esprit Scholen",
        "Schoolbestuur van een groep scholen voor primair en voortgezet onderwijs in "
        "Amsterdam, waaronder internationale scholen.",
        "https://www.espritscholen.nl",
        board_number="41106",
    ),
    DemoOrganisation(
        "rocva",
        Kind.BOARD,
        "ROC van Amsterdam",
        "Regionaal opleidingencentrum: middelbaar beroepsonderwijs (mbo) op verschillende "
        "locaties in Amsterdam.",
        "https://www.rocva.nl",
        board_number="41107",
    ),
    # -- training schools (opleidingsscholen) --
    DemoOrganisation(
        "rosa",
        Kind.TRAINING_SCHOOL,
        "Regionale OpleidingsSchool Amstelland (ROSA)",
        "Opleidingsschool van scholen voor voortgezet onderwijs in en rond Amsterdam en "
        "Amsterdamse lerarenopleidingen. Samen leiden zij leraren op en begeleiden zij "
        "startende leraren.",
        "https://www.opleidingsschoolrosa.nl",
    ),
    DemoOrganisation(
        "dedam",
        Kind.TRAINING_SCHOOL,
        "Opleidingsschool De Dam",
        "Amsterdamse opleidingsschool: scholen en lerarenopleidingen leiden samen nieuwe "
        "leraren op.",
    ),
    DemoOrganisation(
        "acoa",
        Kind.TRAINING_SCHOOL,
        "Academische Opleidingsschool Amsterdam (AcOA)",
        "Opleidingsschool van scholen voor voortgezet onderwijs met de lerarenopleidingen van "
        "de Hogeschool van Amsterdam en de Universiteit van Amsterdam.",
        "https://www.acoa-amsterdam.nl",
    ),
    # -- in-house academies (huisacademies) --
    DemoOrganisation(
        "asko_academie",
        Kind.ACADEMY,
        "ASKO Academie",
        "De huisacademie van ASKO: professionalisering voor wie op een ASKO-school werkt.",
        parent="asko",
    ),
    DemoOrganisation(
        "zaam_academie",
        Kind.ACADEMY,
        "ZAAM Academie",
        "De huisacademie van Stichting ZAAM: professionalisering voor wie op een ZAAM-school "
        "werkt.",
        parent="zaam",
    ),
    DemoOrganisation(
        "esprit_academie",
        Kind.ACADEMY,
        "Esprit Academie",
        "De huisacademie van Esprit Scholen: professionalisering voor wie op een Esprit-school "
        "werkt.",
        parent="esprit",
    ),
    # -- teacher-education institutes (lerarenopleidingen) --
    DemoOrganisation(
        "uva",
        Kind.INSTITUTE,
        "Universiteit van Amsterdam – Interfacultaire Lerarenopleidingen",
        "De lerarenopleidingen van de Universiteit van Amsterdam (ILO), voor leraren in het "
        "voortgezet onderwijs.",
        "https://www.uva.nl",
    ),
    DemoOrganisation(
        "vu",
        Kind.INSTITUTE,
        "Vrije Universiteit Amsterdam – Lerarenopleiding",
        "De lerarenopleiding van de Vrije Universiteit Amsterdam, voor leraren in het "
        "voortgezet onderwijs.",
        "https://www.vu.nl",
    ),
    DemoOrganisation(
        "hva",
        Kind.INSTITUTE,
        "Hogeschool van Amsterdam – Faculteit Onderwijs en Opvoeding",
        "De lerarenopleidingen van de Hogeschool van Amsterdam, waaronder de pabo.",
        "https://www.hva.nl",
    ),
    # -- networks --
    DemoOrganisation(
        "opera",
        Kind.NETWORK,
        "Onderwijspartners Regio Amsterdam (OPeRA)",
        "Netwerk van scholen en instellingen voor hoger onderwijs in de regio Amsterdam, onder "
        "meer voor de aansluiting tussen voortgezet en hoger onderwijs.",
    ),
    DemoOrganisation(
        "betapartners",
        Kind.NETWORK,
        "Bètapartners",
        "Netwerk van scholen voor voortgezet onderwijs, universiteiten en hogescholen in de "
        "regio Amsterdam dat werkt aan kennis en vernieuwing in het bètaonderwijs.",
        "https://www.betapartners.nl",
    ),
]


@dataclass(frozen=True)
class DemoSchool:
    """A school location (vestiging); codes and address are demo values."""

    key: str
    name: str
    school_type: SchoolType
    #: Key of the board, or None when the school's board is not part of the demo.
    board: str | None
    street: str
    postcode: str
    denomination: str | None = None
    #: Key of a school of the same institution: this location shares its instellingscode.
    location_of: str | None = None


PO, VO, MBO = SchoolType.PRIMARY, SchoolType.SECONDARY, SchoolType.VOCATIONAL
RK, OPENBAAR = "Rooms-Katholiek", "Openbaar"

SCHOOLS: list[DemoSchool] = [
    # -- secondary: Stichting ZAAM --
    DemoSchool("cygnus", "Cygnus Gymnasium", VO, "zaam", "Wibautstraat 150", "1091 GR"),
    DemoSchool("ignatius", "Ignatiusgymnasium", VO, "zaam", "Hobbemastraat 30", "1071 ZC"),
    DemoSchool("fonsvitae", "Fons Vitae Lyceum", VO, "zaam", "Van Eeghenstraat 50", "1071 GH"),
    DemoSchool("nicolaas", "Sint Nicolaas Lyceum", VO, "zaam", "Prinses Irenestraat 20", "1077 WX"),
    DemoSchool("sweelinck", "Sweelinck College", VO, "zaam", "Stadionweg 100", "1077 SB"),
    DemoSchool("overy", "Over-Y College", VO, "zaam", "Meeuwenlaan 120", "1021 JN"),
    DemoSchool("hlw", "Hervormd Lyceum West", VO, "zaam", "Burgemeester Röellstraat 60", "1064 BN"),
    # -- secondary: Esprit Scholen --
    DemoSchool("mundus", "Mundus College", VO, "esprit", "Johan Huizingalaan 250", "1066 AP"),
    DemoSchool("berlage", "Berlage Lyceum", VO, "esprit", "Amstelkade 80", "1078 AK"),
    DemoSchool("marcanti", "Marcanti College", VO, "esprit", "Jan Maijenstraat 20", "1056 RS"),
    DemoSchool(
        "cartesius", "Cartesius Lyceum", VO, "esprit", "Frederik Hendrikplantsoen 7", "1052 XN"
    ),
    DemoSchool("denise", "DENISE", VO, "esprit", "Kabelweg 30", "1014 BB"),
    DemoSchool(
        "aics",
        "Amsterdam International Community School",
        VO,
        "esprit",
        "Prinses Margrietlaan 1",
        "1079 DD",
    ),
    # -- secondary: schools whose boards are not part of the demo --
    DemoSchool("barlaeus", "Barlaeus Gymnasium", VO, None, "Weteringschans 31", "1017 RV"),
    DemoSchool("vossius", "Vossius Gymnasium", VO, None, "Messchaertstraat 1", "1077 WS"),
    DemoSchool("spinoza", "Spinoza Lyceum", VO, None, "Pieter de Hoochstraat 70", "1071 EG"),
    DemoSchool("mla", "Montessori Lyceum Amsterdam", VO, None, "Lairessestraat 120", "1075 HL"),
    DemoSchool("hlz", "Hervormd Lyceum Zuid", VO, None, "Cornelis Schuytstraat 38", "1071 JJ"),
    DemoSchool("amslyceum", "Het Amsterdams Lyceum", VO, None, "Valeriusplein 15", "1075 BJ"),
    DemoSchool("caland", "Calandlyceum", VO, None, "Pieter Calandlaan 5", "1065 KH"),
    DemoSchool("vierde", "Het 4e Gymnasium", VO, None, "Samoastraat 1", "1013 DH"),
    # -- primary: ASKO --
    DemoSchool(
        "antonius", "Sint Antoniusschool", PO, "asko", "Louis Davidsstraat 12", "1067 MC", RK
    ),
    DemoSchool("vlieger", "Kindcentrum De Vlieger", PO, "asko", "Dapperstraat 40", "1093 BT", RK),
    DemoSchool("jozef", "Sint Jozefschool", PO, "asko", "Rijnstraat 150", "1079 HL", RK),
    DemoSchool(
        "boomgaard", "Basisschool De Boomgaard", PO, "asko", "Kometensingel 200", "1033 BH", RK
    ),
    # -- primary: OOadA --
    DemoSchool(
        "amstelbrug",
        "Openbare Basisschool De Amstelbrug",
        PO,
        "ooada",
        "Amstelkade 150",
        "1078 AR",
        OPENBAAR,
    ),
    DemoSchool(
        "sarphati",
        "Openbare Basisschool Het Sarphatipark",
        PO,
        "ooada",
        "Ceintuurbaan 200",
        "1072 GB",
        OPENBAAR,
    ),
    DemoSchool(
        "kastanje",
        "Openbare Basisschool De Kastanjeboom",
        PO,
        "ooada",
        "Maasstraat 90",
        "1078 HS",
        OPENBAAR,
    ),
    DemoSchool(
        "buitenveldert",
        "Openbare Basisschool Buitenveldert",
        PO,
        "ooada",
        "Van Boshuizenstraat 300",
        "1082 BC",
        OPENBAAR,
    ),
    # -- primary: STWT --
    DemoSchool(
        "sloterplas", "Basisschool De Sloterplas", PO, "stwt", "Slotermeerlaan 90", "1064 HC"
    ),
    DemoSchool("toekomst", "Basisschool De Toekomst", PO, "stwt", "Meer en Vaart 150", "1068 LG"),
    DemoSchool(
        "geuzennest",
        "Basisschool Het Geuzennest",
        PO,
        "stwt",
        "Lodewijk van Deysselstraat 20",
        "1067 HR",
    ),
    DemoSchool("lelie", "Basisschool De Lelie", PO, "stwt", "Cornelis Lelylaan 10", "1062 HD"),
    # -- primary: AWBR --
    DemoSchool("meeuw", "Basisschool De Meeuw", PO, "awbr", "Javastraat 100", "1094 HN"),
    DemoSchool("kolk", "Basisschool De Kolk", PO, "awbr", "Kinkerstraat 300", "1053 GC"),
    DemoSchool(
        "waterhuis", "Basisschool Het Waterhuis", PO, "awbr", "Buikslotermeerplein 50", "1025 XL"
    ),
    DemoSchool(
        "lindengracht", "Basisschool De Lindengracht", PO, "awbr", "Lindengracht 100", "1015 KK"
    ),
    # -- vocational: ROC van Amsterdam (locations of one institution) --
    DemoSchool(
        "roc_zuidoost",
        "ROC van Amsterdam – locatie Zuidoost",
        MBO,
        "rocva",
        "Bijlmerdreef 100",
        "1102 CT",
    ),
    DemoSchool(
        "roc_noord",
        "ROC van Amsterdam – locatie Noord",
        MBO,
        "rocva",
        "Kamperfoelieweg 20",
        "1032 HN",
        location_of="roc_zuidoost",
    ),
    DemoSchool(
        "roc_nieuwwest",
        "ROC van Amsterdam – locatie Nieuw-West",
        MBO,
        "rocva",
        "Tussen Meer 200",
        "1069 CH",
        location_of="roc_zuidoost",
    ),
]

#: Partnerships (illustrative): each training school's member schools and institutes, each
#: network's members.
PARTNERS: dict[str, list[str]] = {
    "rosa": ["mundus", "berlage", "marcanti", "barlaeus", "amslyceum", "caland", "uva", "vu"],
    "dedam": ["cygnus", "ignatius", "fonsvitae", "sweelinck", "hlw", "overy", "vu", "hva"],
    "acoa": ["mla", "spinoza", "hva", "uva"],
    "opera": ["uva", "vu", "hva", "zaam", "esprit"],
    "betapartners": ["uva", "vu", "hva", "cygnus", "barlaeus", "caland", "mundus"],
}

#: The demo people's approved roles: (person key, organisation key, roles, note).
ROLES: list[tuple[str, str, tuple[OrganisationRole, ...], str]] = [
    ("teacher", "mundus", (Role.TEACHER,), "Docent wiskunde, onderbouw en havo."),
    ("starter", "antonius", (Role.TEACHER,), "Leerkracht groep 5."),
    ("facilitator", "amstelbrug", (Role.TEACHER, Role.ADMIN), "Leesspecialist."),
    ("student", "roc_zuidoost", (Role.TEACHER,), "Leraar in opleiding (LIO-stage)."),
    ("leader", "mundus", (Role.SCHOOL_LEADER, Role.ADMIN), "Rector."),
    ("hr", "esprit", (Role.HR_ADVISOR,), "HR-adviseur, strategisch personeelsbeleid."),
    ("provider", "rosa", (Role.PROVIDER_STAFF, Role.ADMIN), "Opleidingscoördinator."),
    ("coordinator", "opera", (Role.PROVIDER_STAFF,), "Coördinator van het Leernetwerk."),
]

#: One open claim, so that the page with role requests has something to show.
PENDING_CLAIM = (
    "provider",
    "mundus",
    Role.TEACHER,
    "Naast mijn werk voor ROSA geef ik twee dagen per week scheikunde op het Mundus College.",
)

NAMES: dict[str, str] = {o.key: o.name for o in ORGANISATIONS} | {s.key: s.name for s in SCHOOLS}


def organisation(key: str) -> Organisation:
    """A demo organisation by its key (once the demo is loaded)."""
    return db.session.scalars(sa.select(Organisation).where(Organisation.name == NAMES[key])).one()


def person(key: str) -> User:
    """A demo person (plc.auth.demo) by their key."""
    email = next(p.email for p in DEMO_PEOPLE if p.key == key)
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def approve_role(
    user: User,
    organisation: Organisation,
    role: OrganisationRole,
    *,
    decided_by: User | None,
    note: str = "",
) -> OrganisationMembership:
    """An approved role, as if an admin had approved the person's claim."""
    membership = OrganisationMembership(
        organisation_id=organisation.id,
        user_id=user.id,
        role=role,
        status=MembershipStatus.APPROVED,
        note=note,
        decided_at=utcnow(),
        decided_by_id=decided_by.id if decided_by else None,
    )
    db.session.add(membership)
    return membership


def _demo_code(index: int) -> str:
    """Instellingscode in DUO's format (two digits, two letters): 90AA, 90AB, …"""
    letters = f"{chr(65 + index // 26 % 26)}{chr(65 + index % 26)}"
    return f"{90 + index // 676}{letters}"


def _school_description(school: DemoSchool) -> str:
    label = {
        PO: "Basisschool",
        VO: "School voor voortgezet onderwijs",
        MBO: "Locatie voor middelbaar beroepsonderwijs",
    }[school.school_type]
    if school.board is None:
        return f"{label} in Amsterdam."
    return f"{label} in Amsterdam, onderdeel van {NAMES[school.board]}."


@contextmanager
def mail_queued_only() -> Iterator[None]:
    """Mail written while loading the demo stays queued in the outbox instead of going out.

    Loading the demo invites people and asks for roles, which writes some thirty mails; they
    wait for `flask plc send-mail` or for the running application's next delivery.
    """
    config = current_app.config
    before = config["MAIL_DELIVERY"]
    config["MAIL_DELIVERY"] = "cron"
    try:
        yield
    finally:
        config["MAIL_DELIVERY"] = before


def load() -> str:
    with mail_queued_only():
        return _load()


def _load() -> str:
    by_key: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        org = Organisation(
            kind=spec.kind,
            name=spec.name,
            slug=unique_slug(spec.name),
            description=spec.description,
            website=spec.website,
            city=AMSTERDAM,
            municipality=AMSTERDAM,
            bevoegd_gezag_nummer=spec.board_number,
            parent=by_key[spec.parent] if spec.parent else None,
        )
        db.session.add(org)
        db.session.flush()  # the next unique_slug sees this one
        by_key[spec.key] = org

    codes: dict[str, str] = {}
    suffixes: dict[str, int] = {}
    for index, school in enumerate(SCHOOLS):
        code = codes[school.location_of] if school.location_of else _demo_code(index)
        codes[school.key] = code
        suffix = suffixes.get(code, 0)
        suffixes[code] = suffix + 1
        board = by_key[school.board] if school.board else None
        org = Organisation(
            kind=Kind.SCHOOL,
            name=school.name,
            slug=unique_slug(school.name),
            description=_school_description(school),
            street=school.street,
            postcode=school.postcode,
            city=AMSTERDAM,
            municipality=AMSTERDAM,
            instellingscode=code,
            vestigingscode=f"{code}{suffix:02d}",
            duo_board_number=board.bevoegd_gezag_nummer if board else None,
            denomination=school.denomination,
            school_type=school.school_type,
            parent=board,
        )
        db.session.add(org)
        db.session.flush()
        by_key[school.key] = org

    partnerships = 0
    for key, partner_keys in PARTNERS.items():
        set_partners(by_key[key], [by_key[k] for k in partner_keys])
        partnerships += len(partner_keys)

    admin = db.session.scalars(sa.select(User).where(User.is_admin.is_(True)).limit(1)).first()
    memberships = 0
    for person_key, org_key, roles, note in ROLES:
        user = person(person_key)
        for role in roles:
            approve_role(user, by_key[org_key], role, decided_by=admin, note=note)
            memberships += 1
    db.session.flush()

    person_key, org_key, role, note = PENDING_CLAIM
    claim_role(person(person_key), by_key[org_key], role, note)

    counts = {kind: 0 for kind in Kind}
    for org in by_key.values():
        counts[org.kind] += 1
    return (
        f"Organisations: {len(by_key)} (schools {counts[Kind.SCHOOL]}, boards {counts[Kind.BOARD]}, "
        f"training schools {counts[Kind.TRAINING_SCHOOL]}, academies {counts[Kind.ACADEMY]}, "
        f"institutes {counts[Kind.INSTITUTE]}, networks {counts[Kind.NETWORK]}, "
        f"municipality {counts[Kind.MUNICIPALITY]}); partnerships {partnerships}; "
        f"memberships {memberships} approved, 1 requested"
    )
