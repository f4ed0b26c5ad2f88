"""Demo development data: a school year and a term of professional development at the schools of
Esprit Scholen, so that the school, board and network dashboards tell a story.

- Forty fictional teachers join Mundus College, Berlage Lyceum and Marcanti College, with a spread
  of career stages, and take part in four public communities.
- Those communities met about monthly since the start of last school year; the teachers' attended
  minutes are credited to their records as the live rooms do.
- Esprit Academie ran five courses that the teachers completed, with their hours credited.
- Mundus, Berlage, the board and two primary schools record development goals; many teachers'
  goals (*POP*) serve them. Some teachers share a goal or their record, most do not.
- Fatima (the demo teacher) has a plan with three goals (one shared), reflections, and a record
  with two entries of her own; she shares her record. Sanne shares nothing.

Everything that has a service goes through it; dates in the past are set afterwards, as the
other demo loaders do.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from fpdf import FPDF

from plc.auth.models import CareerStage, SchoolType, User
from plc.catalogue import services as catalogue
from plc.catalogue.models import Enrolment, Offering
from plc.communities import services as communities
from plc.communities.models import Community
from plc.core.markdown import render_markdown
from plc.core.models import utcnow
from plc.development import goals
from plc.development import services as record
from plc.development.models import (
    ActivityKind,
    GoalActivity,
    GoalReflection,
    GoalStatus,
    PersonalGoal,
    RecordEntry,
    RecordSource,
    SchoolGoal,
)
from plc.extensions import db
from plc.live import demo as live_demo
from plc.live import services as live
from plc.organisations import demo as organisations_demo
from plc.organisations.models import (
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    OrganisationRole,
)
from plc.themes.models import CompetenceDomain, Theme

FIRST_NAMES = (
    "Anouk", "Bram", "Chaima", "Dirk", "Esra", "Floor", "Gijs", "Hatice", "Ilse", "Jesse",
    "Kaoutar", "Lars", "Merel", "Niels", "Özlem", "Pieter", "Quinty", "Rachid", "Sophie", "Tim",
    "Umut", "Vera", "Wouter", "Yara", "Zeynep", "Bas", "Charlotte", "Dewi", "Emre", "Fenna",
    "Hamza", "Iris", "Joost", "Latifa", "Maarten", "Nina", "Orlando", "Priya", "Ruben", "Sara",
)  # fmt: skip
LAST_NAMES = (
    "Bakker", "Visser", "Yilmaz", "Mulder", "Bouzid", "de Groot", "Jansen", "Meijer", "Kaya",
    "van Dijk", "Smits", "Pinas", "de Boer", "Hoekstra", "Aydın", "Vermeulen", "Dekker", "Ramdin",
    "Brouwer", "Koster", "Lammers", "Haddou", "Peters", "Schouten", "van Leeuwen", "Boukhari",
    "Willems", "Şahin", "Verbeek", "Kuipers", "Mahabier", "Dijkstra", "Veenstra", "Ouali", "Post",
    "Huisman", "Kramer", "Sedney", "Wolters", "Mertens",
)  # fmt: skip
#: Where the forty teachers work, in order: (school key, how many).
SCHOOLS = (("mundus", 22), ("berlage", 10), ("marcanti", 8))
#: How many of each school's new teachers join no community.
NOT_IN_COMMUNITIES = (("mundus", 6), ("berlage", 4))
#: Career stages in turn: more experienced teachers than starters, a few experts and students.
STAGES = (
    CareerStage.EXPERIENCED,
    CareerStage.STARTER,
    CareerStage.EXPERIENCED,
    CareerStage.EXPERT,
    CareerStage.EXPERIENCED,
    CareerStage.STARTER,
    CareerStage.EXPERIENCED,
    CareerStage.STUDENT,
)
SUBJECTS = ("wiskunde", "Nederlands", "biologie", "Engels", "geschiedenis", "natuurkunde", "LO")
#: The public communities the teachers take part in, each with its monthly meeting's topic.
COMMUNITIES = {
    "formatief-evalueren-in-de-onderbouw": "Formatief evalueren: werkbijeenkomst",
    "meertaligheid-en-nt2-in-de-klas": "Meertaligheid in de klas: intervisie",
    "lesson-study-wiskunde": "Lesson study: les nabespreken",
    "onderzoekend-leren-in-de-betavakken": "Onderzoekend leren: ontwerpsessie",
}


@dataclass(frozen=True)
class DemoCourse:
    title: str
    themes: tuple[str, ...]
    #: Months after the start of the previous school year (1 August) of its last meeting.
    month: float
    contact_minutes: int
    self_study_minutes: int
    summary: str


COURSES = (
    DemoCourse(
        "Formatief evalueren in de praktijk",
        ("formatief-evalueren",),
        2.5,
        8 * 60,
        6 * 60,
        "Vier middagen over leerdoelen, succescriteria en feedback die leerlingen verder helpt.",
    ),
    DemoCourse(
        "Taalgericht vakonderwijs voor elke sectie",
        ("meertaligheid", "taal-en-lezen"),
        5.5,
        6 * 60,
        4 * 60,
        "Hoe je in elk vak aandacht geeft aan taal: context, interactie en taalsteun.",
    ),
    DemoCourse(
        "Begeleiden van starters: de basis",
        ("begeleiden-van-starters",),
        7.5,
        9 * 60,
        3 * 60,
        "Voor werkplekbegeleiders: gesprekken voeren, lesbezoek, feedback geven.",
    ),
    DemoCourse(
        "Een veilig klimaat in de klas",
        ("sociale-veiligheid", "gedrag-en-klassenmanagement"),
        9.5,
        4 * 60,
        2 * 60,
        "Groepsvorming, afspraken en het gesprek na een incident: wat werkt in het vo?",
    ),
    DemoCourse(
        "Feedback die werkt",
        ("formatief-evalueren",),
        14.5,
        6 * 60,
        2 * 60,
        "Twee bijeenkomsten over mondelinge en schriftelijke feedback, met lesvoorbeelden.",
    ),
)

#: Development goals per school (or board) key: (title, description, themes, plan period).
SCHOOL_GOALS: dict[str, tuple[tuple[str, str, tuple[str, ...], str], ...]] = {
    "mundus": (
        (
            "Formatief handelen in alle secties",
            "Uit het schoolplan: in 2028 werkt elke sectie met leerdoelen, succescriteria en "
            "feedback tijdens het leren, en bespreken docenten hun lessen samen.",
            ("formatief-evalueren", "vakdidactiek"),
            "2024-2028",
        ),
        (
            "Taalgericht lesgeven in elk vak",
            "Leerlingen met een andere thuistaal krijgen in elk vak taalsteun; secties delen "
            "werkvormen.",
            ("meertaligheid", "taal-en-lezen"),
            "2024-2028",
        ),
        (
            "Een warme start voor nieuwe collega's",
            "Elke starter heeft een werkplekbegeleider en een intervisiegroep.",
            ("begeleiden-van-starters",),
            "2024-2028",
        ),
    ),
    "berlage": (
        (
            "Onderzoekend leren in de bètavakken",
            "De bètasecties ontwerpen samen practica waarin leerlingen zelf onderzoeken.",
            ("onderzoekend-leren", "vakdidactiek"),
            "2025-2029",
        ),
        (
            "Afspraken over AI in de les",
            "Een schoolbrede aanpak voor AI: wat mag, wat leren we leerlingen, hoe toetsen we.",
            ("ai-in-het-onderwijs", "digitale-geletterdheid"),
            "2025-2029",
        ),
    ),
    "esprit": (
        (
            "Iedere docent een eigen ontwikkelplan",
            "Strategisch personeelsbeleid van het bestuur: elke docent bespreekt jaarlijks een "
            "persoonlijk ontwikkelplan dat aansluit bij de doelen van de school.",
            ("onderzoek-in-de-school",),
            "2025-2029",
        ),
    ),
    "kolk": (
        (
            "Begrijpend lezen in de middenbouw",
            "Meer leesplezier en betere leesresultaten in groep 4 tot en met 6.",
            ("taal-en-lezen",),
            "2023-2027",
        ),
    ),
    "sloterplas": (
        (
            "Ouders als partner",
            "Vaste momenten waarop ouders en leerkrachten samen over het kind praten.",
            ("ouderbetrokkenheid", "kansengelijkheid"),
            "2024-2028",
        ),
    ),
}
#: The school goal a teacher's own goal serves, in turn (None: a goal of their own).
GOAL_CHOICES = (0, 1, 0, None, 0, 2, 1, 0, 1, None, 0, 1)
PERSONAL_GOALS = {
    0: ("Feedback tijdens de les, niet alleen na de toets", CompetenceDomain.PEDAGOGY),
    1: ("Taalsteun in mijn vak", CompetenceDomain.SUBJECT_TEACHING),
    2: ("Starters begeleiden als werkplekbegeleider", CompetenceDomain.PEDAGOGY),
    None: ("Mijn vakkennis bijhouden", CompetenceDomain.SUBJECT_TEACHING),
}


def _stable(text: str) -> int:
    """A fixed number per text, for choices that must differ per person but not per run."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def _school_year_start(today: date) -> date:
    """1 August of the previous school year: where the demo's year of activity begins."""
    year = today.year if today.month >= 8 else today.year - 1
    return date(year - 1, 8, 1)


def _month(start: date, months: float, day: int = 12) -> date:
    whole = int(months)
    year, month = start.year + (start.month - 1 + whole) // 12, (start.month - 1 + whole) % 12 + 1
    return date(year, month, min(day + int((months - whole) * 28), 28))


class _Demo:
    def __init__(self) -> None:
        self.now = utcnow()
        self.today = live.to_local(self.now).date()
        self.start = _school_year_start(self.today)
        self.admin = db.session.scalars(sa.select(User).where(User.is_admin.is_(True))).first()
        self.password_hash = db.session.scalar(
            sa.select(User.password_hash).where(User.email == "fatima@example.org")
        )
        self.themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
        self.teachers: list[tuple[User, str]] = []

    @staticmethod
    def user(email: str) -> User:
        return db.session.scalars(sa.select(User).where(User.email == email)).one()

    @staticmethod
    def community(slug: str) -> Community:
        return db.session.scalars(sa.select(Community).where(Community.slug == slug)).one()

    def theme_ids(self, slugs: tuple[str, ...]) -> list[int]:
        return [self.themes[slug].id for slug in slugs]

    def past(self, day: date, hour: int = 15, minute: int = 30) -> datetime | None:
        """The moment on that day, or None when it is not yet a day ago."""
        moment = live.amsterdam_moment(day, time(hour, minute))
        return moment if moment < self.now - timedelta(days=1) else None


def _add_teachers(demo: _Demo) -> None:
    index = 0
    for school_key, count in SCHOOLS:
        school = organisations_demo.organisation(school_key)
        for _ in range(count):
            first, last = FIRST_NAMES[index], LAST_NAMES[(index * 7) % len(LAST_NAMES)]
            ascii_name = f"{first}.{last}".lower().replace(" ", "")
            ascii_name = ascii_name.replace("ö", "o").replace("ı", "i").replace("ş", "s")
            stage = STAGES[index % len(STAGES)]
            user = User(
                email=f"{ascii_name}@esprit.example.org",
                display_name=f"{first} {last}",
                password_hash=demo.password_hash,
                career_stage=stage,
                school_type=SchoolType.SECONDARY,
                subjects=[SUBJECTS[index % len(SUBJECTS)]],
                bio="",
                created_at=live.amsterdam_moment(demo.start, time(9)),
            )
            db.session.add(user)
            db.session.flush()
            organisations_demo.approve_role(
                user, school, OrganisationRole.TEACHER, decided_by=demo.admin
            )
            demo.teachers.append((user, school_key))
            index += 1


def _join_communities(demo: _Demo) -> dict[str, list[tuple[User, datetime]]]:
    """Most teachers take part in one or two of the four communities; a few at Mundus and
    Berlage in none (so that, with the schools' other staff, five or more stay out: the
    dashboards show how many take part only when the rest is not a small group either)."""
    slugs = list(COMMUNITIES)
    joined: dict[str, list[tuple[User, datetime]]] = {slug: [] for slug in slugs}
    staying_out = {school: count for school, count in NOT_IN_COMMUNITIES}
    for n, (user, school) in enumerate(demo.teachers):
        later = sum(1 for _, other in demo.teachers[n + 1 :] if other == school)
        if later < staying_out.get(school, 0):
            continue  # the school's last few
        chosen = {slugs[n % 4]} | ({slugs[(n + 1) % 4]} if n % 3 == 0 else set())
        for k, slug in enumerate(sorted(chosen)):
            member = communities.join(demo.community(slug), user)
            # Most joined at the start of last school year, the others over the months since.
            months = 1 + (n % 3 != 0) * (n % 11) + k * 4
            member.joined_at = demo.past(_month(demo.start, months, 3 + n % 20), 20) or demo.now
            member.created_at = member.joined_at
            joined[slug].append((user, member.joined_at))
    return joined


def _meetings(demo: _Demo, joined: dict[str, list[tuple[User, datetime]]]) -> int:
    """About monthly meetings of each community since last school year, but not in the summer
    holiday; about two in three of those who had joined by then attend each."""
    held = 0
    months = [m for m in range(1, 17) if m not in (11, 12)]  # September … November, no summer
    for offset, (slug, title) in enumerate(COMMUNITIES.items()):
        community = demo.community(slug)
        for month in months:
            starts_at = demo.past(_month(demo.start, month, 8 + 4 * offset), 15 + offset % 2)
            if starts_at is None:
                continue
            people = [
                user
                for user, since in joined[slug]
                if since < starts_at and _stable(f"{slug}/{month}/{user.email}") % 3 != 0
            ]
            session = live_demo.held_session(
                community, title, starts_at, people, minutes=90 if offset % 2 else 75
            )
            live.credit_attendance(session)
            _dated_entries(RecordSource.LIVE_SESSION, session.id, session.ends_at)
            held += 1
    return held


def _dated_entries(source: RecordSource, source_id: int, moment: datetime) -> None:
    """Record entries written as the platform would have written them, at that moment."""
    db.session.execute(
        sa.update(RecordEntry)
        .where(RecordEntry.source == source, RecordEntry.source_id == source_id)
        .values(created_at=moment)
        .execution_options(synchronize_session=False)
    )


def _courses(demo: _Demo) -> int:
    """Esprit Academie's courses, taken by the teachers whose communities share a theme, and
    completed after their last meeting; the hours go into the records as the catalogue does."""
    academy = organisations_demo.organisation("esprit_academie")
    staff = _with_role(academy, OrganisationRole.PROVIDER_STAFF)
    assert staff is not None, "the organisations demo gives Esprit Academie its staff"
    completed = 0
    for n, course in enumerate(COURSES):
        last_day = _month(demo.start, course.month, 20)
        if demo.past(last_day) is None:
            continue
        offering = _planned_course(demo, academy, staff, course)
        takers = _takers(demo, n)
        for user in takers:
            catalogue.enrol(offering, user)
        _into_the_past(offering, last_day)
        absent = [takers[0].id]
        catalogue.complete_offering(offering, staff, absent)
        done = live.amsterdam_moment(last_day, time(17)) + timedelta(days=2)
        offering.completed_at = offering.updated_at = done
        offering.created_at = offering.published_at = done - timedelta(days=90)
        for enrolment in db.session.scalars(
            sa.select(Enrolment).where(Enrolment.offering_id == offering.id)
        ):
            enrolment.created_at = enrolment.updated_at = done - timedelta(days=60)
        _dated_entries(RecordSource.OFFERING, offering.id, done)
        completed += 1
    return completed


def _takers(demo: _Demo, n: int) -> list[User]:
    """Some Mundus teachers and six of Berlage or Marcanti, in turn: a school with one or two
    takers would be hidden on the dashboards, and with it a sister school's figures."""

    def of(school: str) -> list[User]:
        people = [user for user, key in demo.teachers if key == school]
        return people[3 * n % len(people) :] + people[: 3 * n % len(people)]

    return of("mundus")[: 8 + n] + of("berlage" if n % 2 == 0 else "marcanti")[:6]


def _planned_course(demo: _Demo, academy: Organisation, staff: User, course: DemoCourse):
    """Made as the provider made it, while still ahead: two meetings, three weeks apart."""
    first = demo.today + timedelta(days=30)
    meetings = [
        catalogue.Meeting(
            live.amsterdam_moment(first + timedelta(weeks=3 * k), time(15, 30)),
            live.amsterdam_moment(first + timedelta(weeks=3 * k), time(18)),
            "Esprit Academie, Fred. Roeskestraat 111",
        )
        for k in range(2)
    ]
    fields = catalogue.OfferingFields(
        title=course.title,
        summary=course.summary,
        description=course.summary,
        location="Esprit Academie, Fred. Roeskestraat 111",
        contact_minutes=course.contact_minutes,
        self_study_minutes=course.self_study_minutes,
        theme_ids=demo.theme_ids(course.themes),
        school_types=[SchoolType.SECONDARY],
        meetings=meetings,
    )
    offering = catalogue.create_offering(academy, staff, fields)
    catalogue.publish_offering(offering, staff)
    return offering


def _into_the_past(offering: Offering, last_day: date) -> None:
    """The two meetings move back so that the last ends on `last_day`."""
    for k, meeting in enumerate(sorted(offering.meetings, key=lambda m: m.starts_at)):
        day = last_day - timedelta(weeks=3 * (1 - k))
        meeting.starts_at = live.amsterdam_moment(day, time(15, 30))
        meeting.ends_at = live.amsterdam_moment(day, time(18))
    offering.starts_at = min(m.starts_at for m in offering.meetings)
    offering.ends_at = max(m.ends_at for m in offering.meetings)
    db.session.flush()


def _school_goals(demo: _Demo) -> dict[str, list[SchoolGoal]]:
    leaders = {
        "mundus": demo.user("yusuf@example.org"),
        "esprit": demo.user("lotte@example.org"),
    }
    recorded: dict[str, list[SchoolGoal]] = {}
    for key, specs in SCHOOL_GOALS.items():
        organisation = organisations_demo.organisation(key)
        leader = leaders.get(key) or _leader_of(organisation, demo)
        recorded[key] = [
            goals.add_school_goal(
                organisation,
                leader,
                goals.SchoolGoalFields(title, text, period, theme_ids=demo.theme_ids(themes)),
            )
            for title, text, themes, period in specs
        ]
    return recorded


def _with_role(organisation: Organisation, role: OrganisationRole) -> User | None:
    return db.session.scalars(
        sa.select(User)
        .join(OrganisationMembership, OrganisationMembership.user_id == User.id)
        .where(
            OrganisationMembership.organisation_id == organisation.id,
            OrganisationMembership.role == role,
            OrganisationMembership.status == MembershipStatus.APPROVED,
        )
        .order_by(User.id)
    ).first()


def _leader_of(organisation: Organisation, demo: _Demo) -> User:
    """The school's leader; Berlage and Marcanti get one of their own for the demo."""
    found = _with_role(organisation, OrganisationRole.SCHOOL_LEADER)
    if found is not None:
        return found
    user = User(
        email=f"directie.{organisation.slug}@esprit.example.org",
        display_name="Joris Hendriks" if "berlage" in organisation.slug else "Amina Tahiri",
        password_hash=demo.password_hash,
        bio="Rector.",
    )
    db.session.add(user)
    db.session.flush()
    organisations_demo.approve_role(
        user, organisation, OrganisationRole.SCHOOL_LEADER, decided_by=demo.admin
    )
    return user


def _plans(demo: _Demo, school_goals: dict[str, list[SchoolGoal]]) -> tuple[int, int]:
    """Most teachers write one goal, mostly serving a goal of their school; about one in three
    shares it, and about one in five shares their record."""
    written = shared = 0
    for n, (user, school_key) in enumerate(demo.teachers):
        if n % 5 == 4:
            continue  # not every teacher keeps a plan on the platform
        choice = GOAL_CHOICES[n % len(GOAL_CHOICES)]
        own = school_goals.get(school_key, [])
        school_goal = own[choice] if choice is not None and choice < len(own) else None
        title, domain = PERSONAL_GOALS[choice if school_goal else None]
        goal = goals.add_goal(
            user,
            goals.GoalFields(
                title,
                "",
                domain,
                demo.today + timedelta(days=120 + 30 * (n % 5)),
                GoalStatus.IN_PROGRESS if n % 4 else GoalStatus.PLANNED,
                [t.id for t in school_goal.themes] if school_goal else [],
                school_goal.id if school_goal else None,
            ),
        )
        goal.created_at = live.amsterdam_moment(demo.start, time(10)) + timedelta(days=40 + n)
        written += 1
        if n % 3 == 0:
            goals.share_goal(goal, user)
            shared += 1
        if n % 5 == 1:
            record.share_record(user)
    return written, shared


def _fatima(demo: _Demo, school_goals: dict[str, list[SchoolGoal]]) -> None:
    """The demo teacher's plan and record: three goals, one shared; two entries of her own."""
    fatima = demo.user("fatima@example.org")
    formative = school_goals["mundus"][0]
    community = demo.community("formatief-evalueren-in-de-onderbouw")
    feedback = goals.add_goal(
        fatima,
        goals.GoalFields(
            "Feedback tijdens de les in de onderbouw wiskunde",
            "Ik wil leerlingen tijdens de les laten zien waar ze staan, niet pas na de toets. "
            "Dit jaar probeer ik **exit tickets** en *wisbordjes* in twee brugklassen.",
            CompetenceDomain.PEDAGOGY,
            demo.today + timedelta(days=200),
            GoalStatus.IN_PROGRESS,
            [t.id for t in formative.themes],
            formative.id,
        ),
    )
    db.session.add(
        GoalActivity(goal_id=feedback.id, kind=ActivityKind.COMMUNITY, target_id=community.id)
    )
    course = db.session.scalars(
        sa.select(Offering).where(Offering.title == COURSES[0].title)
    ).first()
    if course is not None:
        db.session.add(
            GoalActivity(goal_id=feedback.id, kind=ActivityKind.OFFERING, target_id=course.id)
        )
    reflection = (
        "Na de eerste weken met exit tickets: de leerlingen vinden het eerst vreemd, nu vragen "
        "ze er zelf om. Volgende stap: de uitkomst echt gebruiken voor de volgende les."
    )
    db.session.add(
        GoalReflection(goal_id=feedback.id, body=reflection, body_html=render_markdown(reflection))
    )
    goals.share_goal(feedback, fatima)
    goals.add_goal(
        fatima,
        goals.GoalFields(
            "Taalgericht rekenen met nieuwkomers",
            "Een masterclass volgen en mijn opgaven taalvriendelijker maken.",
            CompetenceDomain.SUBJECT_TEACHING,
            demo.today + timedelta(days=90),
            GoalStatus.PLANNED,
            demo.theme_ids(("meertaligheid", "rekenen")),
            school_goals["mundus"][1].id,
        ),
    )
    goals.add_goal(
        fatima,
        goals.GoalFields(
            "Coach worden voor een startende collega",
            "Eerst de basiscursus voor werkplekbegeleiders.",
            CompetenceDomain.PEDAGOGY,
            None,
            GoalStatus.ACHIEVED,
            demo.theme_ids(("begeleiden-van-starters",)),
        ),
    )
    masterclass = record.EntryFields(
        "Masterclass taalgericht vakonderwijs",
        _month(demo.start, 7.3, 10),
        "Universiteit van Amsterdam",
        "Drie avonden met opdrachten in de eigen klas.",
        6 * 60,
        10 * 60,
    )
    certificate = record.Evidence(io.BytesIO(_certificate(fatima, masterclass)), "certificaat.pdf")
    record.add_entry(fatima, masterclass, certificate)
    congress = record.EntryFields(
        "Nationaal congres formatief evalueren",
        _month(demo.start, 3.4, 14),
        "Congres in Utrecht",
        "Workshops over feedback en zelfbeoordeling.",
        5 * 60 + 30,
    )
    record.add_entry(fatima, congress)
    record.share_record(fatima)


def _certificate(person: User, activity: record.EntryFields) -> bytes:
    """A one-page certificate of attendance, as a provider would send it."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=20)
    pdf.cell(0, 20, "Bewijs van deelname", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=12)
    for line in (
        f"{person.display_name} nam deel aan de {activity.title}",
        f"van de {activity.provider}, afgerond op {activity.activity_date:%d-%m-%Y}.",
        f"Studiebelasting: {(activity.contact_minutes + activity.self_study_minutes) // 60} uur.",
    ):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def load() -> str:
    demo = _Demo()
    _add_teachers(demo)
    joined = _join_communities(demo)
    sessions = _meetings(demo, joined)
    courses = _courses(demo)
    school_goals = _school_goals(demo)
    written, shared = _plans(demo, school_goals)
    _fatima(demo, school_goals)
    db.session.flush()
    entries = db.session.scalar(sa.select(sa.func.count()).select_from(RecordEntry))
    goal_count = db.session.scalar(sa.select(sa.func.count()).select_from(PersonalGoal))
    return (
        f"Development: {len(demo.teachers)} teachers at Esprit schools; {sessions} community "
        f"meetings and {courses} courses since {demo.start:%B %Y}; record entries {entries}; "
        f"school goals {sum(len(g) for g in school_goals.values())}; personal goals "
        f"{goal_count} ({written} of them by the new teachers; {shared + 1} shared)"
    )
