"""A small world for pilot tests: a school (of a board) and an academy, the people who take part
in a pilot for each, a community it grows from, and builders for pilots at any step.

Everyone reads the site in English (`preferred_language="en"`), so tests can read page text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from flask_babel import force_locale

from plc.communities.models import MemberRole, Visibility
from plc.core.models import utcnow
from plc.extensions import db
from plc.knowledge.models import OutputType
from plc.organisations.models import OrganisationKind, OrganisationRole
from plc.pilots import services
from plc.pilots.models import Pilot, PilotStatus
from plc.surveys.models import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)


@dataclass
class World:
    board: Any
    school: Any  #: "Het Noordlicht", a school of the board
    academy: Any  #: "Rekenacademie Noord"
    community: Any  #: public, started by the proposer for the school
    theme: Any
    question: Any  #: a learning question everyone may see
    proposer: Any  #: owner (facilitator) of the community
    contact_school: Any
    contact_academy: Any
    sponsor_school: Any  #: school leader of the school
    sponsor_academy: Any  #: HR advisor of the board (the academy's board)
    member: Any  #: an ordinary member of the community
    outsider: Any
    admin: Any
    teacher_elsewhere: Any  #: approved teacher at another school


@pytest.fixture
def world(
    create_user,
    create_organisation,
    give_role,
    create_community,
    add_member,
    create_theme,
    create_question,
) -> World:
    def person(name: str, **fields: Any) -> Any:
        email = name.lower().replace(" ", ".") + "@example.org"
        return create_user(display_name=name, email=email, preferred_language="en", **fields)

    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Noord")
    school = create_organisation(name="Het Noordlicht", parent_id=board.id)
    academy = create_organisation(
        kind=OrganisationKind.ACADEMY, name="Rekenacademie Noord", parent_id=board.id
    )
    elsewhere = create_organisation(name="De Zuidhoek")
    proposer = person("Fatima El Amrani")
    give_role(proposer, school)
    contact_school = person("Joost de Vries")
    give_role(contact_school, school)
    contact_academy = person("Sanne Bakker")
    give_role(contact_academy, academy, OrganisationRole.PROVIDER_STAFF)
    sponsor_school = person("Mirjam Visser")
    give_role(sponsor_school, school, OrganisationRole.SCHOOL_LEADER)
    sponsor_academy = person("Karim Haddou")
    give_role(sponsor_academy, board, OrganisationRole.HR_ADVISOR)
    teacher_elsewhere = person("Eva de Groot")
    give_role(teacher_elsewhere, elsewhere)
    theme = create_theme("Rekenen")
    community = create_community(
        owner=proposer,
        organisation=school,
        name="Rekenen in de onderbouw",
        theme_ids=[theme.id],
        visibility=Visibility.REQUEST,
    )
    member = person("Lotte Jansen")
    add_member(community, member)
    question = create_question(
        author=person("Noor Amrani"), themes=[theme], title="Hoe automatiseer ik de tafels?"
    )
    return World(
        board=board,
        school=school,
        academy=academy,
        community=community,
        theme=theme,
        question=question,
        proposer=proposer,
        contact_school=contact_school,
        contact_academy=contact_academy,
        sponsor_school=sponsor_school,
        sponsor_academy=sponsor_academy,
        member=member,
        outsider=person("Piet Buiten"),
        admin=person("Beheerder", is_admin=True),
        teacher_elsewhere=teacher_elsewhere,
    )


def charter(world: World, **overrides: Any) -> services.CharterFields:
    """A complete charter: both organisations with contact, sponsor and contribution."""
    today = date.today()
    values: dict[str, Any] = {
        "title": "Tafels automatiseren met elkaar",
        "summary": "Twee scholen oefenen samen de tafels.",
        "goals": "Leerlingen kennen de **tafels**.",
        "activities": "Vier lesbezoeken.",
        "evaluation_plan": "Een vragenlijst en een verslag.",
        "sharing_plan": "Een handreiking in de kennisbank.",
        "starts_on": today,
        "ends_on": today + timedelta(days=120),
        "community_ids": [world.community.id],
        "theme_ids": [world.theme.id],
        "question_ids": [world.question.id],
        "participants": [
            services.ParticipantFields(
                organisation_id=world.school.id,
                contact_id=world.contact_school.id,
                sponsor_id=world.sponsor_school.id,
                contribution="Twee leraren en een lokaal.",
                dependency="Rekenexpertise van de academie.",
            ),
            services.ParticipantFields(
                organisation_id=world.academy.id,
                contact_id=world.contact_academy.id,
                sponsor_id=world.sponsor_academy.id,
                contribution="Een rekenspecialist, acht uur.",
                dependency="Klassen om in te oefenen.",
            ),
        ],
    }
    values.update(overrides)
    return services.CharterFields(**values)


def approve_all(world: World, pilot: Pilot) -> None:
    for contact, organisation in (
        (world.contact_school, world.school),
        (world.contact_academy, world.academy),
    ):
        services.approve(pilot, contact, organisation.id, pilot.charter_version)
    db.session.commit()


@pytest.fixture
def make_pilot(world):
    """A pilot proposed through the services and moved on to `status`."""

    def build(status: PilotStatus = PilotStatus.PROPOSED, **overrides: Any) -> Pilot:
        pilot = services.propose(world.proposer, charter(world, **overrides))
        db.session.commit()
        steps = [
            PilotStatus.APPROVED,
            PilotStatus.RUNNING,
            PilotStatus.EVALUATING,
        ]
        if status in steps:
            approve_all(world, pilot)
        if status in steps[1:]:
            services.start(pilot, world.proposer)
        if status == PilotStatus.EVALUATING:
            services.start_evaluation(pilot, world.proposer)
        if status == PilotStatus.CHANGES_REQUESTED:
            services.request_changes(pilot, world.contact_academy, world.academy.id, "Meer uren.")
        db.session.commit()
        return pilot

    return build


@pytest.fixture
def make_report(create_output, world, create_user, add_member):
    """A knowledge output of the pilot's community (an evaluation report unless told)."""

    def build(community: Any = None, state: str = "published", **fields: Any) -> Any:
        community = community or world.community
        reviewer = create_user()
        add_member(community, reviewer, MemberRole.FACILITATOR)
        fields.setdefault("output_type", OutputType.EVALUATION_REPORT)
        fields.setdefault("title", "Evaluatie: tafels automatiseren")
        return create_output(community, reviewer=reviewer, state=state, **fields)

    return build


@pytest.fixture
def make_survey():
    """A published survey about the pilot with `responses` responses (scale answers of 4 on a
    1–5 scale) out of `invited` invitations."""
    counter = iter(range(1, 1_000_000))

    def build(pilot: Pilot, responses: int = 1, users: list | None = None) -> Any:
        now = utcnow()
        survey = Survey(
            title=f"Evaluatie {next(counter)}",
            status=SurveyStatus.PUBLISHED,
            opens_at=now - timedelta(days=7),
            closes_at=now - timedelta(days=1),
            pilot_id=pilot.id,
            response_count=responses,
        )
        question = SurveyQuestion(key="nut", kind=QuestionKind.SCALE, prompt="Nuttig?")
        survey.questions = [question]
        db.session.add(survey)
        db.session.flush()
        for user in users or []:
            db.session.add(SurveyInvitation(survey_id=survey.id, user_id=user.id))
        for n in range(responses):
            response = SurveyResponse(
                id=f"r{survey.id}x{n}", survey_id=survey.id, respondent_key=f"k{survey.id}x{n}"
            )
            response.answers = [SurveyAnswer(question_id=question.id, number=4)]
            db.session.add(response)
        db.session.commit()
        return survey

    return build


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """The people of these tests read English; so do the messages of the services they call."""
    with force_locale("en"):
        yield
