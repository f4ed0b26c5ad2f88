"""Demo-like data for the API tests: what a visitor may see, and what they may not."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from plc.auth.models import CareerStage, SchoolType
from plc.communities.models import CommunityOwner, CoOwnerStatus, MemberRole, Visibility
from plc.core.models import utcnow
from plc.extensions import db
from plc.knowledge import services as knowledge
from plc.knowledge.models import OutputAttachment, OutputType
from plc.live.models import Audience, LiveSession, SessionMode, SessionStatus
from plc.organisations.models import OrganisationKind
from plc.resources.models import Licence
from plc.themes.models import CompetenceDomain


@dataclass
class ApiData:
    themes: list[Any]
    hidden_theme: Any
    school: Any
    board: Any
    academy: Any
    public: Any  #: a public community, co-owned by the school and the academy
    on_request: Any  #: a community that takes members on request
    invite_only: Any  #: a hidden community; nothing of it may show
    revised: Any  #: published, version 2, with an attachment
    practice: Any  #: published, version 1
    guideline: Any  #: published in the request community
    withdrawn: Any
    draft: Any
    in_review: Any
    hidden_output: Any  #: published, in the invite-only community
    author: Any
    reviewer: Any
    sessions: dict[str, Any]  #: live sessions by what they show (see `_sessions`)
    offerings: dict[str, Any] = field(default_factory=dict)  #: by what they show (`_offerings`)


@pytest.fixture
def api_data(
    create_user,
    create_organisation,
    give_role,
    create_community,
    create_theme,
    add_member,
    create_output,
    create_offering,
) -> ApiData:
    themes = [create_theme("Formatief evalueren"), create_theme("Taalgericht vakonderwijs")]
    hidden_theme = create_theme("Oud thema", active=False)
    board = create_organisation(
        kind=OrganisationKind.BOARD,
        name="Stichting Openbaar Onderwijs",
        bevoegd_gezag_nummer="41234",
    )
    school = create_organisation(
        name="Barlaeus Gymnasium",
        slug="barlaeus-gymnasium",
        instellingscode="20AB",
        vestigingscode="20AB00",
        school_type=SchoolType.SECONDARY,
        city="AMSTERDAM",
        website="https://example.org/barlaeus",
        parent_id=board.id,
    )
    academy = create_organisation(kind=OrganisationKind.ACADEMY, name="Academie Noord")
    author = create_user(display_name="Fatima El Amrani", email="fatima@example.org")
    reviewer = create_user(display_name="Joost de Vries")
    give_role(author, school)
    public = create_community(
        owner=author,
        organisation=school,
        name="Formatief evalueren in de onderbouw",
        theme_ids=[themes[0].id],
        school_types=[SchoolType.SECONDARY],
    )
    db.session.add(
        CommunityOwner(
            community_id=public.id, organisation_id=academy.id, status=CoOwnerStatus.ACCEPTED
        )
    )
    public.owner_count = 2
    add_member(public, reviewer, MemberRole.FACILITATOR)
    on_request = create_community(name="Taal in alle vakken", visibility=Visibility.REQUEST)
    invite_only = create_community(name="Geheime werkgroep", visibility=Visibility.INVITE)

    revised = create_output(
        public,
        author=author,
        reviewer=reviewer,
        themes=themes,
        title="Exit tickets in de brugklas",
        output_type=OutputType.TEACHING_MATERIAL,
        school_types=[SchoolType.SECONDARY],
        career_stages=[CareerStage.STARTER],
        domains=[CompetenceDomain.PEDAGOGY],
        organisation_ids=[school.id, academy.id],
        licence=Licence.CC_BY_SA,
    )
    version = knowledge.start_revision(revised, author)
    fields = knowledge.fields_of(revised, version)
    fields.body += "\n\nMet een voorbeeld uit de praktijk."
    fields.change_note = "Voorbeeld toegevoegd."
    knowledge.update_output(revised, author, fields)
    db.session.add(
        OutputAttachment(
            version_id=version.id,
            storage_key="test-key",
            filename="exit-ticket.pdf",
            content_type="application/pdf",
            size=1234,
            sha256="0" * 64,
        )
    )
    knowledge.submit_for_review(revised, author)
    knowledge.approve(revised, reviewer)
    db.session.commit()

    practice = create_output(public, author=author, reviewer=reviewer, themes=[themes[0]])
    practice.published_at = datetime(2025, 3, 1, tzinfo=UTC)
    guideline = create_output(
        on_request, themes=[themes[1]], output_type=OutputType.GUIDELINE, title="Richtlijn taal"
    )
    withdrawn = create_output(public, author=author, reviewer=reviewer, title="Ingetrokken stuk")
    knowledge.withdraw(withdrawn, author, "Verouderd: vervangen door de richtlijn.")
    draft = create_output(public, author=author, reviewer=reviewer, state="draft")
    in_review = create_output(public, author=author, reviewer=reviewer, state="in_review")
    hidden_output = create_output(invite_only, title="Niet voor buiten")
    db.session.commit()
    sessions = _sessions(public, on_request, invite_only)
    offerings = _offerings(create_user, give_role, create_offering, academy, board, themes)
    return ApiData(
        themes=themes,
        hidden_theme=hidden_theme,
        school=school,
        board=board,
        academy=academy,
        public=public,
        on_request=on_request,
        invite_only=invite_only,
        revised=revised,
        practice=practice,
        guideline=guideline,
        withdrawn=withdrawn,
        draft=draft,
        in_review=in_review,
        hidden_output=hidden_output,
        author=author,
        reviewer=reviewer,
        sessions=sessions,
        offerings=offerings,
    )


def _sessions(public: Any, on_request: Any, invite_only: Any) -> dict[str, Any]:
    now = utcnow().replace(microsecond=0)

    def build(community: Any, starts_in: timedelta, **fields: Any) -> LiveSession:
        values = {
            "uid": f"{uuid.uuid4()}@leernetwerk.amsterdam",
            "community_id": community.id,
            "title": "Intervisie formatief evalueren",
            "starts_at": now + starts_in,
            "ends_at": now + starts_in + timedelta(hours=1),
            "mode": SessionMode.HYBRID,
            "location": "Barlaeus, lokaal 12",
            "video_url": "https://meet.example.org/geheime-kamer",
            "audience": Audience.EVERYONE,
            **fields,
        }
        session = LiveSession(**values)
        db.session.add(session)
        return session

    sessions = {
        "open": build(public, timedelta(days=2), capacity=20),
        "on_request": build(on_request, timedelta(days=1), title="Taal in de klas"),
        "members_only": build(public, timedelta(days=3), audience=Audience.MEMBERS),
        "past": build(public, timedelta(days=-2)),
        "cancelled": build(public, timedelta(days=4), status=SessionStatus.CANCELLED),
        "hidden": build(invite_only, timedelta(days=2)),
    }
    db.session.commit()
    return sessions


def _offerings(
    create_user: Any, give_role: Any, create_offering: Any, academy: Any, board: Any, themes: list
) -> dict[str, Any]:
    """Offerings of the academy (of the board): what the catalogue lists, and what it does not."""
    from plc.catalogue import services as catalogue
    from plc.catalogue.models import CostKind, EnrolmentScope, OfferingFormat
    from plc.organisations.models import OrganisationRole

    academy.parent_id = board.id
    staff = create_user(display_name="Aanbieder Academie")
    give_role(staff, academy, OrganisationRole.PROVIDER_STAFF)
    now = utcnow().replace(microsecond=0)

    def build(title: str, starts_in: timedelta = timedelta(days=10), **fields: Any) -> Any:
        start = now + starts_in
        meetings = [
            catalogue.Meeting(start, start + timedelta(hours=2)),
            catalogue.Meeting(
                start + timedelta(days=7), start + timedelta(days=7, hours=2), "Online"
            ),
        ]
        return create_offering(
            provider=academy, staff=staff, title=title, meetings=meetings, **fields
        )

    offerings = {
        "open": build(
            "Formatief evalueren: de cursus",
            themes=[themes[0]],
            format=OfferingFormat.COURSE,
            capacity=20,
            career_stages=[CareerStage.STARTER],
            school_types=[SchoolType.SECONDARY],
            domains=[CompetenceDomain.PEDAGOGY],
            contact_minutes=240,
            description="**Vier** bijeenkomsten.",
        ),
        "paid": build(
            "Masterclass taalgericht vakonderwijs",
            starts_in=timedelta(days=40),
            themes=[themes[1]],
            format=OfferingFormat.MASTERCLASS,
            cost_kind=CostKind.SCHOOL_PAYS,
            cost_cents=25000,
            needs_leader_approval=True,
            scope=EnrolmentScope.OWN_BOARD,
        ),
        "draft": build("Nog geheim concept", publish=False),
    }
    cancelled = build("Afgelaste workshop", format=OfferingFormat.WORKSHOP)
    catalogue.cancel_offering(cancelled, staff, "Te weinig aanmeldingen.")
    past = build("Afgelopen intervisie", format=OfferingFormat.INTERVISION)
    for meeting in past.meetings:
        meeting.starts_at -= timedelta(days=60)
        meeting.ends_at -= timedelta(days=60)
    past.starts_at, past.ends_at = past.meetings[0].starts_at, past.meetings[-1].ends_at
    db.session.commit()
    return {**offerings, "cancelled": cancelled, "past": past}


@dataclass
class ApiPilots:
    running: Any  #: running; a public and a private learning question, a survey with responses
    concluded: Any  #: concluded with a published evaluation report
    proposal: Any  #: still a proposal: not in the API
    contact: Any  #: a contact and a sponsor, whose names must not appear
    sponsor: Any
    public_question: Any
    private_question: Any


@pytest.fixture
def api_pilots(api_data, create_user, give_role, create_question, create_output) -> ApiPilots:
    """Pilots of the public community (and, for the running one, the invite-only one too),
    owned by the school and the academy."""
    from datetime import date

    from plc.catalogue.models import QuestionVisibility
    from plc.organisations.models import OrganisationRole
    from plc.pilots import services as pilots
    from plc.surveys.models import (
        QuestionKind,
        Survey,
        SurveyAnswer,
        SurveyInvitation,
        SurveyQuestion,
        SurveyResponse,
        SurveyStatus,
    )

    admin = create_user(display_name="Beheerder Pilots", is_admin=True)
    contact = create_user(display_name="Contact Academie", email="contact@example.org")
    give_role(contact, api_data.academy, OrganisationRole.PROVIDER_STAFF)
    sponsor = create_user(display_name="Schoolleider Barlaeus", email="leider@example.org")
    give_role(sponsor, api_data.school, OrganisationRole.SCHOOL_LEADER)
    public_question = create_question(author=api_data.author, title="Hoe geef ik feedback?")
    private_question = create_question(
        author=api_data.author,
        title="Alleen voor mijn school",
        visibility=QuestionVisibility.SCHOOL,
    )

    def propose(title: str, theme: Any, **fields: Any) -> Any:
        fields.setdefault("community_ids", [api_data.public.id])
        charter = pilots.CharterFields(
            title=title,
            summary=f"Samenvatting van {title}.",
            goals="**Doelen**",
            starts_on=date(2026, 9, 1),
            ends_on=date(2027, 6, 30),
            theme_ids=[theme.id],
            participants=[
                pilots.ParticipantFields(
                    organisation_id=api_data.school.id,
                    contact_id=api_data.author.id,
                    sponsor_id=sponsor.id,
                    contribution="Twee klassen.",
                ),
                pilots.ParticipantFields(
                    organisation_id=api_data.academy.id,
                    contact_id=contact.id,
                    contribution="Een trainer.",
                    dependency="Klassen om in te oefenen.",
                ),
            ],
            **fields,
        )
        pilot = pilots.propose(admin, charter)
        db.session.commit()
        return pilot

    def approve(pilot: Any) -> None:
        pilots.approve(pilot, api_data.author, api_data.school.id, pilot.charter_version)
        pilots.approve(pilot, contact, api_data.academy.id, pilot.charter_version)
        pilots.start(pilot, admin)

    running = propose(
        "Feedback die werkt",
        api_data.themes[0],
        community_ids=[api_data.public.id, api_data.invite_only.id],
        question_ids=[public_question.id, private_question.id],
    )
    approve(running)
    concluded = propose("Taal in alle vakken", api_data.themes[1])
    approve(concluded)
    pilots.start_evaluation(concluded, admin)
    report = create_output(
        api_data.public,
        author=api_data.author,
        reviewer=api_data.reviewer,
        output_type=OutputType.EVALUATION_REPORT,
        title="Evaluatie taal in alle vakken",
    )
    pilots.conclude(concluded, admin, report.id)
    proposal = propose("Nog geheim plan", api_data.themes[0])

    now = utcnow()
    survey = Survey(
        title="Tussenmeting",
        status=SurveyStatus.PUBLISHED,
        opens_at=now - timedelta(days=10),
        closes_at=now - timedelta(days=1),
        pilot_id=running.id,
        response_count=3,
    )
    question = SurveyQuestion(key="nut", kind=QuestionKind.SCALE, prompt="Nuttig?")
    survey.questions = [question]
    db.session.add(survey)
    db.session.flush()
    for user in (api_data.author, api_data.reviewer, contact, sponsor):
        db.session.add(SurveyInvitation(survey_id=survey.id, user_id=user.id))
    for n, number in enumerate((3, 4, 5)):
        response = SurveyResponse(id=f"api{n}", survey_id=survey.id, respondent_key=f"k{n}")
        response.answers = [SurveyAnswer(question_id=question.id, number=number)]
        db.session.add(response)
    db.session.commit()
    return ApiPilots(
        running=running,
        concluded=concluded,
        proposal=proposal,
        contact=contact,
        sponsor=sponsor,
        public_question=public_question,
        private_question=private_question,
    )
