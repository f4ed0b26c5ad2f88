"""A person who did everything: a row behind every foreign key to user_account that points at
them (and the rows that reach them through a parent), uploaded files, mail, survey answers.

`tests/privacy/test_coverage.py` checks that the builder really covers every key in
`plc.auth.privacy.USER_LINKS`, so a new feature's table must be added here too.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from plc.auth.consents import record_consent
from plc.auth.models import ExternalIdentity, LoginSession, User, hash_session_key
from plc.catalogue import services as catalogue
from plc.catalogue.models import Enrolment, EnrolmentStatus, QuestionVisibility
from plc.communities.models import (
    CommunityInvitation,
    CommunityOwner,
    CoOwnerStatus,
    MemberRole,
)
from plc.core.models import utcnow
from plc.core.outbox import queue_mail
from plc.core.storage import get_storage, new_key
from plc.development.models import (
    ActivityKind,
    GoalActivity,
    GoalReflection,
    PersonalGoal,
    RecordEntry,
    RecordSharing,
    RecordSource,
    SchoolGoal,
)
from plc.discussions.models import Mention, Post, PostRevision, Reaction, Report, Thread
from plc.extensions import db
from plc.knowledge.models import (
    KnowledgeDigest,
    OutputAttachment,
    OutputUse,
    ThemeSubscription,
)
from plc.live import services as live
from plc.live.access import session_access
from plc.live.models import (
    Attendance,
    ChatMessage,
    Frequency,
    LiveSession,
    Poll,
    PollBallot,
    PollChoice,
    PollOption,
    Question,
    QuestionVote,
    RaisedHand,
    RoomRemoval,
    RsvpStatus,
    SessionMode,
    SessionSeries,
)
from plc.notifications.models import (
    Notification,
    NotificationKind,
    NotificationSettings,
    Subscription,
)
from plc.organisations.models import MembershipStatus, OrganisationMembership, OrganisationRole
from plc.pilots.models import Pilot, PilotEvent, PilotEventKind, PilotOrganisation
from plc.resources.models import Resource, ResourceKind, ResourceVersion
from plc.surveys.models import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyAnswerOption,
    SurveyInvitation,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
    SurveyTemplate,
)
from plc.surveys.services import respondent_key

#: Distinctive, so that a scan of the whole database finds nothing else by chance.
NAME = "Noor Vermeulen-Bakkali"
EMAIL = "noor.vermeulen@example.org"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Service messages are read in English here (the Dutch ones come with the translations)."""
    with force_locale("en"):
        yield


@pytest.fixture(autouse=True)
def upload_folder(app: Flask, tmp_path: Path) -> Path:
    """Each test stores its files in a folder of its own (the config is restored afterwards)."""
    folder = tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = str(folder)
    return folder


def store(content: bytes) -> str:
    key = new_key()
    get_storage().save(key, io.BytesIO(content))
    return key


@dataclass
class Everything:
    """What the builder made; ids rather than objects, since tests expire the session."""

    person: User
    other: User
    community_id: int
    own_community_id: int
    school_id: int
    session_id: int
    offering_id: int
    waiting_user_id: int
    waiting_enrolment_user_id: int
    own_post_id: int
    others_post_id: int
    public_question_id: int
    private_question_id: int
    supported_question_id: int
    anonymous_survey_id: int
    anonymous_response_id: str
    named_response_id: str
    files: dict[str, bytes] = field(default_factory=dict)  #: storage key → content
    evidence_key: str = ""
    resource_key: str = ""
    attachment_key: str = ""


def _future_session(community: Any, creator: User, **fields: Any) -> LiveSession:
    start = utcnow().replace(microsecond=0) + timedelta(days=3)
    session = LiveSession(
        uid=secrets.token_hex(16),
        community_id=community.id,
        title="Bijeenkomst over lezen",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        mode=SessionMode.ONLINE,
        created_by_id=creator.id,
        **fields,
    )
    db.session.add(session)
    db.session.flush()
    return session


@pytest.fixture
def everything(
    create_user: Callable[..., User],
    create_organisation: Callable[..., Any],
    give_role: Callable[..., Any],
    create_community: Callable[..., Any],
    add_member: Callable[..., Any],
    create_theme: Callable[..., Any],
    create_output: Callable[..., Any],
    create_offering: Callable[..., Any],
    create_question: Callable[..., Any],
) -> Everything:
    person = create_user(
        display_name=NAME, email=EMAIL, bio="Leerkracht groep 7.", subjects=["rekenen"]
    )
    other = create_user(display_name="Karim de Boer")
    school = create_organisation(name="OBS De Regenboog")
    give_role(person, school)
    theme = create_theme()

    # -- account ------------------------------------------------------------------------------
    record_consent(person)
    db.session.add_all(
        [
            LoginSession(
                key_hash=hash_session_key(secrets.token_hex(8)),
                user_id=person.id,
                expires_at=utcnow() + timedelta(hours=1),
                user_agent="Firefox",
            ),
            ExternalIdentity(provider="entree", subject="abc123", user_id=person.id),
            NotificationSettings(user_id=person.id),
            KnowledgeDigest(user_id=person.id, week="2026-W48", covered_until=utcnow()),
            ThemeSubscription(theme_id=theme.id, user_id=person.id, created_by_id=person.id),
            ThemeSubscription(
                theme_id=theme.id, organisation_id=school.id, created_by_id=person.id
            ),
            OrganisationMembership(
                organisation_id=school.id,
                user_id=other.id,
                role=OrganisationRole.TEACHER,
                status=MembershipStatus.APPROVED,
                decided_by_id=person.id,
            ),
        ]
    )
    live.feed_token(person)

    # -- communities: a member of one, starter (no longer the only owner) of another ----------
    community = create_community(owner=other)
    add_member(community, person, MemberRole.FACILITATOR)
    own = create_community(owner=person, organisation=school)
    add_member(own, other, MemberRole.OWNER)
    partner = create_organisation(name="Rekenacademie Noord")
    db.session.add_all(
        [
            CommunityOwner(
                community_id=community.id,
                organisation_id=partner.id,
                status=CoOwnerStatus.ACCEPTED,
                contact_id=person.id,
                invited_by_id=person.id,
                decided_by_id=person.id,
            ),
            CommunityInvitation(
                community_id=community.id,
                email=EMAIL,
                user_id=person.id,
                token_hash=secrets.token_hex(32),
                invited_by_id=other.id,
                expires_at=utcnow() + timedelta(days=7),
            ),
            CommunityInvitation(
                community_id=community.id,
                email="collega@example.org",
                token_hash=secrets.token_hex(32),
                invited_by_id=person.id,
                expires_at=utcnow() + timedelta(days=7),
            ),
            Subscription(user_id=person.id, community_id=community.id),
        ]
    )

    # -- discussions ----------------------------------------------------------------------------
    thread = Thread(community_id=community.id, title="Rekenen in groep 7", author_id=person.id)
    db.session.add(thread)
    db.session.flush()
    own_post = Post(
        thread_id=thread.id,
        author_id=person.id,
        body="Hoe oefenen jullie breuken?",
        body_html="<p>Hoe oefenen jullie breuken?</p>",
        is_opening=True,
    )
    others_post = Post(
        thread_id=thread.id,
        author_id=other.id,
        body=f"@{NAME} met stroken papier.",
        body_html=f"<p>@{NAME} met stroken papier.</p>",
    )
    removed_post = Post(
        thread_id=thread.id,
        author_id=other.id,
        body="Reclame.",
        body_html="<p>Reclame.</p>",
        deleted_by_id=person.id,
        deleted_at=utcnow(),
        hidden_by_id=person.id,
        hidden_at=utcnow(),
    )
    db.session.add_all([own_post, others_post, removed_post])
    db.session.flush()
    db.session.add_all(
        [
            PostRevision(post_id=own_post.id, body="Eerste versie.", editor_id=person.id),
            Mention(post_id=others_post.id, user_id=person.id),
            Reaction(post_id=others_post.id, user_id=person.id),
            Report(post_id=removed_post.id, reporter_id=person.id, reason="Reclame"),
            Report(
                post_id=removed_post.id,
                reporter_id=other.id,
                reason="Spam",
                decided_by_id=person.id,
                decided_at=utcnow(),
            ),
            Notification(
                user_id=person.id,
                kind=NotificationKind.REPLY,
                thread_id=thread.id,
                community_id=community.id,
                actor_id=other.id,
            ),
            Notification(
                user_id=other.id,
                kind=NotificationKind.MENTION,
                thread_id=thread.id,
                community_id=community.id,
                actor_id=person.id,
            ),
        ]
    )

    # -- resources and files ----------------------------------------------------------------------
    resource_content = b"%PDF-1.4 werkblad breuken"
    resource_key = store(resource_content)
    resource = Resource(
        community_id=community.id,
        kind=ResourceKind.FILE,
        title="Werkblad breuken",
        created_by_id=person.id,
    )
    db.session.add(resource)
    db.session.flush()
    db.session.add(
        ResourceVersion(
            resource_id=resource.id,
            number=1,
            storage_key=resource_key,
            filename="werkblad.pdf",
            content_type="application/pdf",
            size=len(resource_content),
            sha256="0" * 64,
            uploaded_by_id=person.id,
        )
    )

    # -- live sessions ------------------------------------------------------------------------------
    series = SessionSeries(
        community_id=community.id, frequency=Frequency.WEEKLY, created_by_id=person.id
    )
    db.session.add(series)
    session = _future_session(community, person, capacity=1, series_id=series.id)
    waiting = create_user()
    add_member(community, waiting)
    db.session.refresh(session)
    live.respond(session, session_access(session, person), person, RsvpStatus.GOING)
    live.respond(session, session_access(session, waiting), waiting, RsvpStatus.GOING)
    question = Question(session_id=session.id, user_id=person.id, client_id="q1", body="Wanneer?")
    others_question = Question(
        session_id=session.id, user_id=other.id, client_id="q2", body="Waar?"
    )
    poll = Poll(session_id=session.id, question="Welke dag?", created_by_id=person.id)
    db.session.add_all([question, others_question, poll])
    db.session.flush()
    option = PollOption(poll_id=poll.id, label="Dinsdag")
    db.session.add(option)
    db.session.flush()
    db.session.add_all(
        [
            ChatMessage(session_id=session.id, user_id=person.id, client_id="c1", body="Hallo!"),
            QuestionVote(question_id=others_question.id, user_id=person.id),
            PollBallot(poll_id=poll.id, user_id=person.id),
            Attendance(session_id=session.id, user_id=person.id, connection_id="sid-1"),
            RaisedHand(session_id=session.id, user_id=person.id),
            RoomRemoval(session_id=session.id, user_id=person.id, removed_by_id=other.id),
            RoomRemoval(session_id=session.id, user_id=other.id, removed_by_id=person.id),
        ]
    )
    db.session.flush()
    db.session.add(PollChoice(poll_id=poll.id, user_id=person.id, option_id=option.id))

    # -- knowledge outputs ------------------------------------------------------------------------
    output = create_output(community=community, author=person, reviewer=other, themes=[theme])
    reviewed = create_output(community=community, author=other, reviewer=person, themes=[theme])
    reviewed.withdrawn_by_id = person.id
    attachment_content = b"%PDF-1.4 bijlage"
    attachment_key = store(attachment_content)
    db.session.add_all(
        [
            OutputAttachment(
                version_id=output.versions[0].id,
                storage_key=attachment_key,
                filename="bijlage.pdf",
                content_type="application/pdf",
                size=len(attachment_content),
                sha256="1" * 64,
                uploaded_by_id=person.id,
            ),
            OutputUse(output_id=reviewed.id, organisation_id=school.id, recorded_by_id=person.id),
        ]
    )

    # -- catalogue: an offering with one place, learning questions ------------------------------
    offering = create_offering(capacity=1)
    offering.created_by_id = person.id
    catalogue.enrol(offering, person)
    waiting_for_offering = create_user()
    catalogue.enrol(offering, waiting_for_offering)
    db.session.add(
        Enrolment(
            offering_id=offering.id,
            user_id=other.id,
            status=EnrolmentStatus.DECLINED,
            decided_by_id=person.id,
        )
    )
    public_question = create_question(author=person, themes=[theme])
    private_question = create_question(
        author=person, themes=[theme], visibility=QuestionVisibility.PRIVATE
    )
    supported = create_question(author=other, themes=[theme])
    catalogue.support(supported, person)

    # -- development ----------------------------------------------------------------------------
    evidence_content = b"%PDF-1.4 certificaat"
    evidence_key = store(evidence_content)
    school_goal = SchoolGoal(
        organisation_id=school.id, title="Rekenonderwijs versterken", created_by_id=person.id
    )
    goal = PersonalGoal(user_id=person.id, title="Beter differentiëren", themes=[theme])
    db.session.add_all([school_goal, goal])
    db.session.flush()
    db.session.add_all(
        [
            GoalActivity(goal_id=goal.id, kind=ActivityKind.COMMUNITY, target_id=community.id),
            GoalReflection(
                goal_id=goal.id, body="Het gaat goed.", body_html="<p>Het gaat goed.</p>"
            ),
            RecordEntry(
                user_id=person.id,
                source=RecordSource.MANUAL,
                title="Cursus rekendidactiek",
                activity_date=date(2026, 10, 1),
                school_year="2026-2027",
                contact_minutes=120,
                evidence_key=evidence_key,
                evidence_filename="certificaat.pdf",
                evidence_content_type="application/pdf",
                evidence_size=len(evidence_content),
            ),
            RecordSharing(user_id=person.id, shared_at=utcnow()),
        ]
    )

    # -- pilots ------------------------------------------------------------------------------------
    pilot = Pilot(
        slug="pilot-rekenen",
        title="Pilot rekenen",
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 6, 1),
        proposed_by_id=person.id,
    )
    db.session.add(pilot)
    db.session.flush()
    db.session.add_all(
        [
            PilotOrganisation(
                pilot_id=pilot.id,
                organisation_id=school.id,
                contact_id=person.id,
                sponsor_id=person.id,
            ),
            PilotEvent(pilot_id=pilot.id, kind=PilotEventKind.PROPOSED, actor_id=person.id),
        ]
    )

    # -- surveys: one anonymous, one named ----------------------------------------------------------
    anonymous = _survey(session, other, anonymous=True)
    named = _survey(session, person, anonymous=False, title="Evaluatie op naam")
    question_row = named.questions[0]
    db.session.add_all(
        [
            SurveyInvitation(survey_id=anonymous.id, user_id=person.id, answered=True),
            SurveyTemplate(name="Mijn vragenlijst", questions=[], created_by_id=person.id),
        ]
    )
    anonymous_response = SurveyResponse(
        id=secrets.token_hex(16),
        survey_id=anonymous.id,
        respondent_key=respondent_key(anonymous.id, person.id),
    )
    named_response = SurveyResponse(
        id=secrets.token_hex(16),
        survey_id=named.id,
        respondent_key=respondent_key(named.id, person.id),
        user_id=person.id,
        submitted_at=utcnow(),
    )
    db.session.add_all([anonymous_response, named_response])
    db.session.flush()
    db.session.add_all(
        [
            SurveyAnswer(
                response_id=anonymous_response.id,
                question_id=anonymous.questions[0].id,
                text="Anoniem antwoord",
            ),
            SurveyAnswer(response_id=named_response.id, question_id=question_row.id, number=4),
            SurveyAnswerOption(response_id=named_response.id, option_id=question_row.options[0].id),
        ]
    )

    # -- mail: to the person, and to someone else about them ---------------------------------------
    queue_mail(EMAIL, "Welkom", f"Beste {NAME}, welkom!")
    queue_mail(other.email, "Nieuw lid", f"{NAME} ({EMAIL}) is lid geworden.", f"<p>{NAME}</p>")
    db.session.commit()

    return Everything(
        person=person,
        other=other,
        community_id=community.id,
        own_community_id=own.id,
        school_id=school.id,
        session_id=session.id,
        offering_id=offering.id,
        waiting_user_id=waiting.id,
        waiting_enrolment_user_id=waiting_for_offering.id,
        own_post_id=own_post.id,
        others_post_id=others_post.id,
        public_question_id=public_question.id,
        private_question_id=private_question.id,
        supported_question_id=supported.id,
        anonymous_survey_id=anonymous.id,
        anonymous_response_id=anonymous_response.id,
        named_response_id=named_response.id,
        files={
            resource_key: resource_content,
            attachment_key: attachment_content,
            evidence_key: evidence_content,
        },
        evidence_key=evidence_key,
        resource_key=resource_key,
        attachment_key=attachment_key,
    )


def _survey(session: LiveSession, creator: User, *, anonymous: bool, title: str = "") -> Survey:
    now = utcnow()
    survey = Survey(
        title=title or "Evaluatie",
        anonymous=anonymous,
        status=SurveyStatus.PUBLISHED,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        session_id=session.id,
        created_by_id=creator.id,
    )
    question = SurveyQuestion(key="q1", kind=QuestionKind.CHOICE, prompt="Hoe was het?")
    question.options.append(SurveyOption(label="Goed"))
    survey.questions.append(question)
    db.session.add(survey)
    db.session.flush()
    return survey
