"""Demo people: fictional, one for each role the platform knows."""

from __future__ import annotations

from dataclasses import dataclass

from plc.auth.models import CareerStage, SchoolType, User
from plc.auth.passwords import hash_password
from plc.extensions import db

#: Shared by every demo account; listed in the README. Never used outside demo data.
DEMO_PASSWORD = "Leernetwerk-demo-2026"  # noqa: S105 (public by design: demo data only)  # nosec B105


@dataclass(frozen=True)
class DemoPerson:
    key: str
    name: str
    email: str
    role: str
    career_stage: CareerStage | None
    school_type: SchoolType | None
    subjects: tuple[str, ...]
    bio: str
    is_admin: bool = False
    is_coordinator: bool = False


DEMO_PEOPLE = [
    DemoPerson(
        "teacher",
        "Fatima El Amrani",
        "fatima@example.org",
        "teacher (experienced, vo)",
        CareerStage.EXPERIENCED,
        SchoolType.SECONDARY,
        ("wiskunde",),
        "Docent wiskunde in Nieuw-West. Werkt graag aan formatief evalueren in de onderbouw.",
    ),
    DemoPerson(
        "starter",
        "Sanne de Wit",
        "sanne@example.org",
        "beginning teacher (po)",
        CareerStage.STARTER,
        SchoolType.PRIMARY,
        ("groep 5",),
        "Tweede jaar voor de klas in groep 5. Zoekt collega's om mee te sparren over differentiëren.",
    ),
    DemoPerson(
        "facilitator",
        "Daan Verhoeven",
        "daan@example.org",
        "facilitator (expert, po)",
        CareerStage.EXPERT,
        SchoolType.PRIMARY,
        ("taal", "lezen"),
        "Leesspecialist en begeleider van de leergemeenschap over begrijpend lezen.",
    ),
    DemoPerson(
        "student",
        "Milan Kok",
        "milan@example.org",
        "student teacher (mbo)",
        CareerStage.STUDENT,
        SchoolType.VOCATIONAL,
        ("economie",),
        "Leraar in opleiding, vierdejaars, stage op een mbo-college in Zuidoost.",
    ),
    DemoPerson(
        "leader",
        "Yusuf Demir",
        "yusuf@example.org",
        "school leader (vo)",
        CareerStage.EXPERT,
        SchoolType.SECONDARY,
        (),
        "Rector. Wil dat wat onze docenten leren ook de school verder helpt.",
    ),
    DemoPerson(
        "hr",
        "Lotte Brouwer",
        "lotte@example.org",
        "HR advisor",
        None,
        None,
        (),
        "HR-adviseur bij een Amsterdams schoolbestuur; strategisch personeelsbeleid.",
    ),
    DemoPerson(
        "provider",
        "Ravi Ramdin",
        "ravi@example.org",
        "provider staff (training school)",
        CareerStage.EXPERT,
        SchoolType.SECONDARY,
        ("scheikunde",),
        "Opleidingscoördinator; stelt het aanbod van de opleidingsschool open voor heel Amsterdam.",
    ),
    DemoPerson(
        "coordinator",
        "Emma Smit",
        "emma@example.org",
        "network coordinator",
        None,
        None,
        (),
        "Coördinator van het Leernetwerk: brengt vraag en aanbod bij elkaar.",
        is_coordinator=True,
    ),
    DemoPerson(
        "admin",
        "Beheer Leernetwerk",
        "beheer@example.org",
        "platform administrator",
        None,
        None,
        (),
        "Beheert het platform.",
        is_admin=True,
    ),
]


def load() -> str:
    # One hash for all: scrypt is slow on purpose, and the demo shares one password.
    password_hash = hash_password(DEMO_PASSWORD)
    users = []
    for person in DEMO_PEOPLE:
        users.append(
            User(
                email=person.email,
                display_name=person.name,
                password_hash=password_hash,
                career_stage=person.career_stage,
                school_type=person.school_type,
                subjects=list(person.subjects),
                bio=person.bio,
                is_admin=person.is_admin,
                is_coordinator=person.is_coordinator,
            )
        )
    db.session.add_all(users)
    db.session.flush()
    # Their consents to the privacy statement are recorded once every loader has run, for all
    # the demo's people at once (plc.core.demo.load_demo).
    logins = "\n".join(f"  {p.email:<22} {p.role}" for p in DEMO_PEOPLE)
    return f"Demo people (password {DEMO_PASSWORD}):\n{logins}"
