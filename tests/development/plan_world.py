"""The world the plan and school goal tests share (imported by test_plan_*.py,
test_school_goal_*.py and tests/browser/test_plan_pages.py; no tests of its own).

A board with a school, and a school elsewhere; a teacher of the school with a colleague, its
leader, the board's HR advisor, a leader and a teacher elsewhere. Themes, the school's and the
board's development goals, and things on the platform a goal's activities can point at: a
community the teacher is in, a live session they signed up for, an offering, a knowledge output,
their own learning question, and things they may not see.

Everyone reads the site in English (`preferred_language="en"`), so tests can read page text; the
services' messages are English too (`english_messages`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask_babel import force_locale

from plc.catalogue.models import QuestionVisibility
from plc.communities.models import Visibility
from plc.core.models import utcnow
from plc.development import goals
from plc.development.models import ActivityKind
from plc.extensions import db
from plc.live.models import Audience, LiveSession, Rsvp, RsvpStatus, SessionMode
from plc.organisations.models import OrganisationKind, OrganisationRole


@dataclass
class PlanWorld:
    board: Any  #: "Stichting Noord"
    school: Any  #: "Het Noordlicht", a school of the board
    other: Any  #: "De Zuidster", elsewhere
    teacher: Any  #: a teacher of the school; the plan's owner
    colleague: Any  #: another teacher of the school
    leader: Any  #: school leader of the school
    hr: Any  #: HR advisor of the board
    stranger: Any  #: school leader elsewhere
    outsider: Any  #: a teacher elsewhere
    formative: Any  #: theme "Formatief evalueren"
    language: Any  #: theme "Taal"
    school_goal: Any  #: the school's goal, on formative assessment
    board_goal: Any  #: the board's goal, on language
    elsewhere_goal: Any  #: a goal of the school elsewhere
    community: Any  #: public, on formative assessment; the teacher is a member
    secret: Any  #: invite-only; the teacher is not a member
    session: Any  #: a live session of the community, the teacher is going
    offering: Any  #: published, on formative assessment
    output: Any  #: published, on formative assessment
    question: Any  #: the teacher's own learning question
    private_question: Any  #: someone else's private learning question


def make_session(community: Any, title: str, **fields: Any) -> LiveSession:
    start = utcnow().replace(microsecond=0) + fields.pop("starts_in", timedelta(days=3))
    session = LiveSession(
        uid=f"{uuid.uuid4()}@leernetwerk.amsterdam",
        community_id=community.id,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        mode=SessionMode.ONLINE,
        audience=fields.pop("audience", Audience.EVERYONE),
        **fields,
    )
    db.session.add(session)
    db.session.commit()
    return session


@pytest.fixture
def plan_world(
    create_user,
    create_organisation,
    give_role,
    create_theme,
    create_community,
    add_member,
    create_offering,
    create_output,
    create_question,
) -> PlanWorld:
    def person(name: str, organisation: Any, role: OrganisationRole) -> Any:
        email = name.lower().replace(" ", ".") + "@example.org"
        user = create_user(display_name=name, email=email, preferred_language="en")
        give_role(user, organisation, role)
        return user

    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Noord")
    school = create_organisation(name="Het Noordlicht", parent=board)
    other = create_organisation(name="De Zuidster")
    teacher = person("Tess Leraar", school, OrganisationRole.TEACHER)
    colleague = person("Cas Collega", school, OrganisationRole.TEACHER)
    leader = person("Lena Leider", school, OrganisationRole.SCHOOL_LEADER)
    hr = person("Hugo Personeel", board, OrganisationRole.HR_ADVISOR)
    stranger = person("Sven Elders", other, OrganisationRole.SCHOOL_LEADER)
    outsider = person("Olga Buiten", other, OrganisationRole.TEACHER)
    formative = create_theme("Formatief evalueren", name_en="Formative assessment")
    language = create_theme("Taal", name_en="Language")

    school_goal = goals.add_school_goal(
        school,
        leader,
        goals.SchoolGoalFields(
            "Formatief handelen in alle secties", "", "2024-2028", theme_ids=[formative.id]
        ),
    )
    board_goal = goals.add_school_goal(
        board,
        hr,
        goals.SchoolGoalFields("Taalbeleid", "", "2025-2029", theme_ids=[language.id]),
    )
    elsewhere_goal = goals.add_school_goal(
        other, stranger, goals.SchoolGoalFields("Meertaligheid", "", "2024-2028")
    )
    db.session.commit()

    community = create_community(
        owner=colleague,
        organisation=school,
        name="Formatief evalueren in de onderbouw",
        theme_ids=[formative.id],
    )
    add_member(community, teacher)
    secret = create_community(
        owner=colleague,
        organisation=school,
        name="Geheime werkgroep",
        visibility=Visibility.INVITE,
        theme_ids=[formative.id],
    )
    session = make_session(community, "Feedback geven in de brugklas")
    db.session.add(Rsvp(session_id=session.id, user_id=teacher.id, status=RsvpStatus.GOING))
    db.session.commit()
    return PlanWorld(
        board=board,
        school=school,
        other=other,
        teacher=teacher,
        colleague=colleague,
        leader=leader,
        hr=hr,
        stranger=stranger,
        outsider=outsider,
        formative=formative,
        language=language,
        school_goal=school_goal,
        board_goal=board_goal,
        elsewhere_goal=elsewhere_goal,
        community=community,
        secret=secret,
        session=session,
        offering=create_offering(title="Feedback die werkt", themes=[formative]),
        output=create_output(title="Exit tickets in de praktijk", themes=[formative]),
        question=create_question(
            author=teacher, themes=[formative], title="Hoe geef ik feedback op schrijfwerk?"
        ),
        private_question=create_question(
            author=colleague,
            themes=[formative],
            title="Mijn eigen twijfel",
            visibility=QuestionVisibility.PRIVATE,
        ),
    )


@pytest.fixture
def english_messages() -> Iterator[None]:
    """The services' messages in English, as these tests' people read them."""
    with force_locale("en"):
        yield


def every_kind(world: PlanWorld) -> list[tuple[ActivityKind, int]]:
    """One visible target of each kind: what a goal's activities can point at."""
    return [
        (ActivityKind.COMMUNITY, world.community.id),
        (ActivityKind.SESSION, world.session.id),
        (ActivityKind.OFFERING, world.offering.id),
        (ActivityKind.OUTPUT, world.output.id),
        (ActivityKind.QUESTION, world.question.id),
    ]


def add_goal(world: PlanWorld, title: str = "Feedback in de brugklas", **fields: Any) -> Any:
    """A goal of the teacher's plan, serving the school's goal unless told otherwise."""
    fields.setdefault("school_goal_id", world.school_goal.id)
    fields.setdefault("theme_ids", [world.formative.id])
    goal = goals.add_goal(world.teacher, goals.GoalFields(title, **fields))
    db.session.commit()
    return goal
