"""One world for the query budgets, built at any size: `build_world(size)` makes `size` times
the items of every list a main page shows (members, threads, replies, outputs, offerings,
questions, teachers, schools, goals, responses …).

Shared parents (one theme, one provider, one community to hold the threads) are built once
through the conftest builders and the real services; the many rows under them are added with
`add_all` and one commit per kind, so the larger world stays quick on SQLite and PostgreSQL.
The last item of each kind is named `… <size>-last` so a test can find it on the page.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from plc.auth.models import CareerStage, User
from plc.auth.passwords import hash_password
from plc.catalogue.models import (
    Enrolment,
    EnrolmentStatus,
    LearningQuestion,
    MatchKind,
    QuestionMatch,
    QuestionVisibility,
)
from plc.communities.models import CommunityMember, MemberRole, MemberStatus
from plc.core.models import utcnow
from plc.development.models import (
    PersonalGoal,
    RecordEntry,
    RecordSharing,
    RecordSource,
    SchoolGoal,
    school_year,
)
from plc.discussions.models import Post, Thread
from plc.extensions import db
from plc.live.models import Audience, LiveSession, Rsvp, RsvpStatus, SessionMode
from plc.organisations.models import (
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    OrganisationRole,
)
from plc.pilots.models import Pilot, PilotOrganisation, PilotStatus
from plc.resources.models import Resource, ResourceKind
from plc.surveys.models import QuestionKind, SurveyAnswer, SurveyResponse
from plc.themes.models import Theme
from tests.conftest import add_consent

#: The password of everyone who logs in (one hash for all: scrypt is slow on purpose).
PASSWORD = "Grachtengordel-fiets-2026"
STAGES = [CareerStage.STARTER, CareerStage.EXPERIENCED, CareerStage.EXPERT]


class Builders:
    """Users, organisations, communities, outputs and offerings through the real services, as
    the conftest builders make them (those are per test; this world is built once a module)."""

    def __init__(self) -> None:
        self.counter = iter(range(1, 1_000_000))

    def user(self, **fields: Any) -> User:
        n = next(self.counter)
        fields.setdefault("email", f"persoon{n}-{uuid.uuid4().hex[:6]}@example.org")
        fields.setdefault("display_name", f"Persoon {n}")
        user = User(password_hash=_password_hash(), preferred_language="nl", **fields)
        db.session.add(user)
        db.session.flush()
        add_consent(user)  # as registration records it: the pages, not the consent question
        db.session.commit()
        return user

    def organisation(self, **fields: Any) -> Any:
        fields.setdefault("kind", OrganisationKind.SCHOOL)
        fields.setdefault("slug", f"org-{next(self.counter)}-{uuid.uuid4().hex[:6]}")
        organisation = Organisation(**fields)
        db.session.add(organisation)
        db.session.commit()
        return organisation

    def role(self, user: User, organisation: Any, role: Any = OrganisationRole.TEACHER) -> None:
        db.session.add(
            OrganisationMembership(
                organisation_id=organisation.id,
                user_id=user.id,
                role=role,
                status=MembershipStatus.APPROVED,
            )
        )
        db.session.commit()

    def theme(self, name_nl: str) -> Any:
        theme = Theme(name_nl=name_nl, name_en=name_nl, slug=f"thema-{uuid.uuid4().hex[:8]}")
        db.session.add(theme)
        db.session.commit()
        return theme

    def community(self, owner: User, organisation: Any, name: str, **fields: Any) -> Any:
        from plc.communities import services
        from plc.communities.models import Visibility

        values = {"summary": f"Over {name}", "description": "", "visibility": Visibility.PUBLIC}
        community = services.create_community(
            owner, organisation, services.CommunityFields(name=name, **{**values, **fields})
        )
        db.session.commit()
        return community

    def member(self, community: Any, user: User, role: Any = MemberRole.MEMBER) -> None:
        db.session.add(
            CommunityMember(
                community_id=community.id,
                user_id=user.id,
                role=role,
                status=MemberStatus.ACTIVE,
                joined_at=utcnow(),
            )
        )
        community.member_count += 1
        db.session.commit()

    def output(
        self, community: Any, author: User, reviewer: User, theme: Any, school: Any, title: str
    ) -> Any:
        """An approved output, naming the author's school as contributing organisation (as
        bench/generate.py names each author's school)."""
        from plc.knowledge import services
        from plc.knowledge.models import OutputType

        output = services.create_output(
            community,
            author,
            services.OutputFields(
                title=title,
                output_type=OutputType.PRACTICE_EXAMPLE,
                summary=f"Samenvatting van {title}.",
                body=f"## Aanpak\n\nTekst van {title}.",
                theme_ids=[theme.id],
                organisation_ids=[school.id],
            ),
        )
        services.submit_for_review(output, author)
        services.approve(output, reviewer)
        db.session.commit()
        return output

    def offering(self, provider: Any, staff: User, theme: Any, title: str) -> Any:
        from plc.catalogue import services

        start = utcnow().replace(microsecond=0) + timedelta(days=7)
        offering = services.create_offering(
            provider,
            staff,
            services.OfferingFields(
                title=title,
                summary=f"Samenvatting van {title}.",
                location="Amsterdam",
                theme_ids=[theme.id],
                meetings=[services.Meeting(start, start + timedelta(hours=2))],
            ),
        )
        services.publish_offering(offering, staff)
        db.session.commit()
        return offering


@dataclass(frozen=True)
class World:
    """What the pages are found by (plain values: the rows stay in the database)."""

    size: int
    #: Who logs in, by role: "teacher" (member of every community, with goals, a record and
    #: questions), "leader" (school leader and admin of the first school), "hr" (HR advisor
    #: of the board), "coordinator" (network coordinator), "admin" (platform administrator).
    emails: dict[str, str]
    board_slug: str
    school_slug: str  #: the first school of the board; the teacher's and the leader's
    community_slug: str  #: holds the threads, outputs, session and resource
    thread_id: int  #: with `5 * size` replies
    output_slug: str
    session_id: int  #: a live session with `5 * size` people going
    resource_id: int
    pilot_slug: str
    survey_id: int  #: of the pilot, with `5 * size` responses
    question_id: int  #: one of the teacher's learning questions, matched with every offering


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def _name(kind: str, size: int, index: int, count: int) -> str:
    return f"{kind} {size}-last" if index == count - 1 else f"{kind} {size}-{index}"


def _teachers(school: Any, count: int) -> list[User]:
    """`count` approved teachers of `school` (no password: they never log in)."""
    people = [
        User(
            email=f"t-{uuid.uuid4().hex[:10]}@example.org",
            display_name=f"Leraar {school.id}-{index}",
            career_stage=STAGES[index % len(STAGES)],
        )
        for index in range(count)
    ]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(
        OrganisationMembership(
            organisation_id=school.id,
            user_id=user.id,
            role=OrganisationRole.TEACHER,
            status=MembershipStatus.APPROVED,
        )
        for user in people
    )
    return people


def _join(community: Any, people: list[User]) -> None:
    db.session.add_all(
        CommunityMember(
            community_id=community.id,
            user_id=user.id,
            role=MemberRole.MEMBER,
            status=MemberStatus.ACTIVE,
            joined_at=utcnow(),
        )
        for user in people
    )
    community.member_count += len(people)


def _threads(community: Any, author: User, size: int) -> Any:
    """`2 * size` threads; the first one has `5 * size` replies. Returns that one."""
    now = utcnow()
    count = 2 * size
    threads = [
        Thread(
            community_id=community.id,
            title=_name("Gesprek", size, index, count),
            author_id=author.id,
            last_activity_at=now - timedelta(minutes=index),
        )
        for index in range(count)
    ]
    db.session.add_all(threads)
    db.session.flush()
    db.session.add_all(
        Post(
            thread_id=thread.id,
            author_id=author.id,
            body="Opening",
            body_html="<p>Opening</p>",
            is_opening=True,
        )
        for thread in threads
    )
    replies = 5 * size
    db.session.add_all(
        Post(
            thread_id=threads[0].id,
            author_id=author.id,
            body=_name("Antwoord", size, index, replies),
            body_html=f"<p>{_name('Antwoord', size, index, replies)}</p>",
            created_at=now + timedelta(seconds=index),
        )
        for index in range(replies)
    )
    threads[0].reply_count = replies
    return threads[0]


def _session(community: Any, people: list[User], size: int) -> Any:
    starts_at = utcnow().replace(microsecond=0) + timedelta(days=3)
    session = LiveSession(
        uid=f"{uuid.uuid4()}@leernetwerk.amsterdam",
        community_id=community.id,
        title=f"Bijeenkomst {size}-last",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        mode=SessionMode.ONLINE,
        audience=Audience.MEMBERS,
        going_count=len(people),
    )
    db.session.add(session)
    db.session.flush()
    db.session.add_all(
        Rsvp(session_id=session.id, user_id=user.id, status=RsvpStatus.GOING) for user in people
    )
    # More sessions, open to every teacher (the API and the start page list those).
    count = 2 * size
    db.session.add_all(
        LiveSession(
            uid=f"{uuid.uuid4()}@leernetwerk.amsterdam",
            community_id=community.id,
            title=_name("Open bijeenkomst", size, index, count),
            starts_at=starts_at + timedelta(days=1, hours=index),
            ends_at=starts_at + timedelta(days=1, hours=index + 1),
            mode=SessionMode.ONLINE,
            audience=Audience.EVERYONE,
        )
        for index in range(count)
    )
    return session


def _attendance(community: Any, people: list[User], day: date) -> None:
    """A session in the past that `people` attended, credited to their records."""
    starts_at = utcnow().replace(microsecond=0) - timedelta(days=2)
    session = LiveSession(
        uid=f"{uuid.uuid4()}@leernetwerk.amsterdam",
        community_id=community.id,
        title="Eerdere bijeenkomst",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        mode=SessionMode.ONLINE,
        credited_at=utcnow(),
    )
    db.session.add(session)
    db.session.flush()
    db.session.add_all(
        RecordEntry(
            user_id=user.id,
            source=RecordSource.LIVE_SESSION,
            source_id=session.id,
            title=session.title,
            activity_date=day,
            school_year=school_year(day),
            contact_minutes=60,
        )
        for user in people
    )


def _survey_responses(survey: Any, school: Any, count: int) -> None:
    """`count` anonymous responses from `school`, a number on every scale question."""
    scales = [q for q in survey.questions if q.kind == QuestionKind.SCALE]
    for index in range(count):
        response = SurveyResponse(
            id=secrets.token_hex(16),
            survey_id=survey.id,
            respondent_key=secrets.token_hex(16),
            organisation_id=school.id,
        )
        db.session.add(response)
        db.session.add_all(
            SurveyAnswer(
                response_id=response.id,
                question_id=question.id,
                number=question.scale_min + index % (question.scale_max - question.scale_min + 1),
            )
            for question in scales
        )
    survey.response_count = count


def _pilot_survey(pilot: Any, owner: User) -> Any:
    from plc.surveys import services
    from plc.surveys.builtin import PILOT_EVALUATION

    opens_at = utcnow().replace(microsecond=0) - timedelta(hours=1)
    survey = services.create_survey(
        services.load_subject("pilot", pilot.id),
        owner,
        services.SurveySettings(
            title="Evaluatie van de pilot",
            opens_at=opens_at,
            closes_at=opens_at + timedelta(days=10),
            anonymous=True,
            language="nl",
        ),
        services.template_source(f"builtin:{PILOT_EVALUATION}", "nl"),
    )
    services.publish(survey, owner)
    db.session.flush()
    return survey


def build_world(size: int) -> World:
    """The world at `size` (1 for small, 10 for ten times larger)."""
    b = Builders()
    today = date.today()
    theme = b.theme(f"Formatief evalueren {size}")
    board = b.organisation(kind=OrganisationKind.BOARD, name=f"Stichting {size}")
    schools = [
        b.organisation(name=_name("School", size, index, 2 * size), parent_id=board.id)
        for index in range(2 * size)
    ]
    school = schools[0]
    teacher = b.user(display_name=f"Fatima {size}", career_stage=CareerStage.EXPERIENCED)
    b.role(teacher, school)
    leader = b.user(display_name=f"Yusuf {size}")
    b.role(leader, school, OrganisationRole.SCHOOL_LEADER)
    b.role(leader, school, OrganisationRole.ADMIN)
    hr = b.user(display_name=f"Lotte {size}")
    b.role(hr, board, OrganisationRole.HR_ADVISOR)
    coordinator = b.user(display_name=f"Emma {size}", is_coordinator=True)
    admin = b.user(display_name=f"Beheer {size}", is_admin=True)

    # Teachers: 5 * size per school, every one in the main community, taking part.
    community = b.community(teacher, school, f"Gemeenschap {size}", theme_ids=[theme.id])
    everyone: list[User] = []
    for each in schools:
        people = _teachers(each, 5 * size)
        everyone += people
        db.session.flush()
        _join(community, people)
        _attendance(community, people, today)
    db.session.commit()

    # More communities the teacher belongs to (the directory and the start page list them):
    # 2 * size in all, one full directory page of 20 for the larger world.
    for index in range(2 * size - 1):
        other = b.community(leader, school, _name("Gemeenschap", size, index, 2 * size - 1))
        b.member(other, teacher)

    thread = _threads(community, teacher, size)
    session = _session(community, everyone[: 5 * size], size)
    resource = Resource(
        community_id=community.id,
        kind=ResourceKind.LINK,
        title=f"Materiaal {size}-last",
        url="https://example.org/materiaal",
        created_by_id=teacher.id,
    )
    db.session.add(resource)
    db.session.commit()

    reviewer = b.user()
    b.member(community, reviewer, MemberRole.FACILITATOR)
    outputs = [
        b.output(
            community, teacher, reviewer, theme, school, _name("Opbrengst", size, index, 2 * size)
        )
        for index in range(2 * size)
    ]

    provider = b.organisation(
        kind=OrganisationKind.TRAINING_SCHOOL, name=f"Opleidingsschool {size}"
    )
    staff = b.user()
    b.role(staff, provider, OrganisationRole.PROVIDER_STAFF)
    offerings = [
        b.offering(provider, staff, theme, _name("Aanbod", size, index, 2 * size))
        for index in range(2 * size)
    ]
    db.session.add_all(
        Enrolment(offering_id=offerings[0].id, user_id=user.id, status=EnrolmentStatus.ENROLLED)
        for user in everyone[: 5 * size]
    )

    questions = [
        LearningQuestion(
            author_id=teacher.id,
            school_id=school.id,
            title=_name("Leervraag", size, index, 2 * size),
            visibility=QuestionVisibility.EVERYONE,
        )
        for index in range(2 * size)
    ]
    db.session.add_all(questions)
    db.session.flush()
    for question in questions:
        question.themes.append(theme)
    db.session.add_all(
        QuestionMatch(question_id=questions[-1].id, kind=MatchKind.OFFERING, target_id=o.id)
        for o in offerings
    )

    # Goals: the school's, the teacher's plan, shared goals and records of the school.
    school_goals = [
        SchoolGoal(
            organisation_id=school.id,
            title=_name("Schooldoel", size, index, 2 * size),
            created_by_id=leader.id,
        )
        for index in range(2 * size)
    ]
    db.session.add_all(school_goals)
    db.session.flush()
    db.session.add_all(
        PersonalGoal(
            user_id=user.id,
            title="Doel",
            school_goal_id=school_goals[index % len(school_goals)].id,
            shared_at=utcnow(),
        )
        for index, user in enumerate(everyone[: 5 * size])
    )
    db.session.add_all(RecordSharing(user_id=u.id, shared_at=utcnow()) for u in everyone)
    db.session.add_all(
        PersonalGoal(
            user_id=teacher.id,
            title=_name("Mijn doel", size, index, 2 * size),
            school_goal_id=school_goals[0].id,
        )
        for index in range(2 * size)
    )
    db.session.add_all(
        RecordEntry(
            user_id=teacher.id,
            source=RecordSource.MANUAL,
            title=_name("Scholing", size, index, 3 * size),
            activity_date=today - timedelta(days=index),
            school_year=school_year(today - timedelta(days=index)),
            contact_minutes=90,
        )
        for index in range(3 * size)
    )

    # A running pilot of the schools, grown from the community, with an evaluation survey.
    pilot = Pilot(
        slug=f"pilot-{size}-{uuid.uuid4().hex[:6]}",
        title=f"Pilot {size}-last",
        summary="Samen lessen ontwerpen.",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
        status=PilotStatus.RUNNING,
        proposed_by_id=teacher.id,
    )
    for position, each in enumerate(schools):
        pilot.participants.append(
            PilotOrganisation(
                organisation_id=each.id,
                position=position,
                contact_id=teacher.id if position == 0 else None,
                sponsor_id=leader.id if position == 0 else None,
            )
        )
    pilot.communities = [community]
    pilot.themes = [theme]
    db.session.add(pilot)
    db.session.flush()
    survey = _pilot_survey(pilot, teacher)
    _survey_responses(survey, school, 5 * size)
    db.session.commit()

    return World(
        size=size,
        emails={
            "teacher": teacher.email,
            "leader": leader.email,
            "hr": hr.email,
            "coordinator": coordinator.email,
            "admin": admin.email,
        },
        board_slug=board.slug,
        school_slug=school.slug,
        community_slug=community.slug,
        thread_id=thread.id,
        output_slug=outputs[-1].slug,
        session_id=session.id,
        resource_id=resource.id,
        pilot_slug=pilot.slug,
        survey_id=survey.id,
        question_id=questions[-1].id,
    )
