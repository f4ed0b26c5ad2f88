"""Surveys: who builds, answers and reads them, and the rules. Functions flush; the request (or
the CLI command) commits.

**Subjects.** A survey is about exactly one live session, offering or pilot.

**Who manages** (builds, publishes, reminds, reads results): for a session the facilitators and
owners of its community; for an offering its provider's staff and admins; for a pilot its leads
(`plc.pilots.access`). Platform admins manage every survey. **Who reads results**: the managers,
and for a pilot also its owners (the sponsors: school leaders and HR). Drafts are seen by the
managers only.

**Who is invited** when a survey opens: for a session, everyone whose answer is "going" plus
everyone who was in its live room (attendance rows); for an offering, the participants whose
enrolment holds a place (enrolled or completed); for a pilot, `plc.pilots.access.people(pilot)`.
Deactivated accounts are not invited.

**Who may answer** (the rule, checked again at every answer): whoever was invited, *or* whoever
belongs to the subject's audience at the moment of answering (the same three definitions as
above). So a teacher who signs up for a session after the invitations went out can still give
their evaluation, and someone who was invited but left the pilot since keeps their say. A person
outside both gets a 404, as if the survey did not exist. A first answer by someone who was not
invited adds an invitation row marked answered (with no `invited_at`), so that the response rate
stays a share of the people asked.

**One response per person.** `respondent_key` is an HMAC (SHA-256, with a key derived from the
app's SECRET_KEY) of survey and user: the database holds no readable link from an anonymous
response to its person, but the person finds their own response again. A first response is an
INSERT inside a SAVEPOINT; when a simultaneous request of the same person inserted first (the
unique constraint on (survey, respondent_key)), the loser rolls back to the savepoint and
updates the winner's response instead. `response_count` is raised in SQL only after a real first
insert. Changing the SECRET_KEY makes earlier responses unfindable for their people (they would
count twice): rotate it only between surveys.

**Fixed questions.** Questions can change while a survey is a draft, and after publishing as
long as nobody answered; from the first response on they are fixed, because changing them would
spoil the results. On PostgreSQL a question change locks the survey row (FOR UPDATE) and an
answer takes a key-share lock on it, so the two never interleave.

**Mail.** Invitations go out when a published survey opens (at once on publishing when it is
open already, else from `send-digests`), each with a notification. One reminder goes to those
who have not answered: by the owner's button, or automatically from `send-digests` two days
before closing; both claim `Survey.reminded_at` with a conditional UPDATE, so it is never sent
twice.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from plc.auth.models import User
from plc.catalogue import services as catalogue
from plc.catalogue.models import PLACE_HOLDING, Enrolment, Offering
from plc.communities import services as communities
from plc.communities.models import CommunityMember, CommunityOwner, CoOwnerStatus, MemberRole
from plc.communities.models import MemberStatus as CommunityMemberStatus
from plc.core.errors import ServiceError
from plc.core.models import utcnow
from plc.core.outbox import send_mail
from plc.core.urls import external_url, site_path
from plc.extensions import db
from plc.live.models import Attendance, LiveSession, Rsvp, RsvpStatus
from plc.live.services import to_local
from plc.notifications.models import NotificationKind
from plc.notifications.services import notify
from plc.organisations.models import (
    PROVIDER_KINDS,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
)
from plc.pilots import access as pilot_access
from plc.pilots.models import Pilot, PilotOrganisation, pilot_community
from plc.surveys.builtin import LANGUAGES, builtin
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
from plc.themes.services import slugify

MAX_QUESTIONS = 60
MAX_OPTIONS = 20
MAX_TEXT = 5000  #: characters of an open answer
#: The automatic reminder goes this long before closing…
REMIND_BEFORE_CLOSE = timedelta(days=2)
#: …but never sooner than this after the invitations (a short survey gets no reminder at all).
REMIND_AFTER_INVITING = timedelta(days=1)
#: Saved templates listed on the "new survey" form, newest first.
TEMPLATE_LIST_LIMIT = 100
#: Surveys a platform admin sees on "my surveys".
ADMIN_LIST_LIMIT = 200


class SubjectKind(StrEnum):
    SESSION = "session"
    OFFERING = "offering"
    PILOT = "pilot"


#: The query parameter of `/vragenlijsten/nieuw` for each kind of subject.
SUBJECT_ARGS = {
    SubjectKind.SESSION: "sessie",
    SubjectKind.OFFERING: "aanbod",
    SubjectKind.PILOT: "pilot",
}


@dataclass(frozen=True)
class Subject:
    """What a survey is about."""

    kind: SubjectKind
    target: LiveSession | Offering | Pilot

    @property
    def id(self) -> int:
        return self.target.id

    @property
    def title(self) -> str:
        return self.target.title

    def column(self) -> Any:
        return {
            SubjectKind.SESSION: Survey.session_id,
            SubjectKind.OFFERING: Survey.offering_id,
            SubjectKind.PILOT: Survey.pilot_id,
        }[self.kind]


def load_subject(kind: str, subject_id: int) -> Subject | None:
    """The session, offering or pilot with this id, or None."""
    model = {
        SubjectKind.SESSION: LiveSession,
        SubjectKind.OFFERING: Offering,
        SubjectKind.PILOT: Pilot,
    }.get(kind)  # type: ignore[call-overload]
    if model is None:
        return None
    # A session's community comes along: its slug makes the link, its access rules decide.
    options = [joinedload(LiveSession.community)] if model is LiveSession else []
    if model is Pilot:  # its organisations' contacts and sponsors decide who reads results
        options = [joinedload(Pilot.participants)]
    target = db.session.get(model, subject_id, options=options)
    return Subject(SubjectKind(kind), target) if target is not None else None


def subject_of(survey: Survey) -> Subject:
    if survey.session_id is not None:
        found = load_subject(SubjectKind.SESSION, survey.session_id)
    elif survey.offering_id is not None:
        found = load_subject(SubjectKind.OFFERING, survey.offering_id)
    else:
        found = load_subject(SubjectKind.PILOT, survey.pilot_id)  # type: ignore[arg-type]
    assert found is not None  # the foreign keys cascade: a survey never outlives its subject
    return found


# -- who may do what ---------------------------------------------------------------------------


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


@dataclass(frozen=True)
class SubjectAccess:
    """What one person may do with the surveys of one subject."""

    can_manage: bool
    can_read_results: bool


NO_ACCESS = SubjectAccess(False, False)


def subject_access(subject: Subject, user: Any) -> SubjectAccess:
    """Managers and result readers of a subject's surveys (see the module note). Cached for the
    rest of the request: the partial on a subject page and the page itself ask the same."""
    if not _is_user(user):
        return NO_ACCESS
    cache_key = (subject.kind, subject.id, user.id)
    cache: dict[tuple[Any, ...], SubjectAccess] | None = None
    if has_request_context():
        cache = g.setdefault("plc_survey_access", {})
        if cache_key in cache:
            return cache[cache_key]
    found = _compute_access(subject, user)
    if cache is not None:
        cache[cache_key] = found
    return found


def _compute_access(subject: Subject, user: User) -> SubjectAccess:
    if subject.kind == SubjectKind.SESSION:
        session: LiveSession = subject.target  # type: ignore[assignment]
        manages = communities.access_for(session.community, user).can_facilitate
        return SubjectAccess(manages, manages)
    if subject.kind == SubjectKind.OFFERING:
        manages = catalogue.can_manage(user, subject.target)  # type: ignore[arg-type]
        return SubjectAccess(manages, manages)
    access = pilot_access.access_for(subject.target, user)  # type: ignore[arg-type]
    return SubjectAccess(access.is_lead, access.is_owner)


@dataclass(frozen=True)
class SurveyAccess:
    """What one person may do with one survey."""

    survey: Survey
    subject: Subject
    subject_access: SubjectAccess

    @property
    def can_manage(self) -> bool:
        return self.subject_access.can_manage

    @property
    def can_read_results(self) -> bool:
        """Drafts have no results worth reading, and only their builders see them."""
        if self.survey.status == SurveyStatus.DRAFT:
            return self.can_manage
        return self.subject_access.can_read_results

    @property
    def can_see_overview(self) -> bool:
        return self.can_manage or self.can_read_results


def survey_access(survey: Survey, user: Any) -> SurveyAccess:
    subject = subject_of(survey)
    return SurveyAccess(survey, subject, subject_access(subject, user))


def _require_manager(survey: Survey, user: User) -> Subject:
    access = survey_access(survey, user)
    if not access.can_manage:
        raise ServiceError(_l("You do not run the surveys of this subject."))
    return access.subject


def audience_ids(subject: Subject) -> set[int]:
    """The people a survey of this subject invites (see the module note)."""
    if subject.kind == SubjectKind.SESSION:
        going = sa.select(Rsvp.user_id).where(
            Rsvp.session_id == subject.id, Rsvp.status == RsvpStatus.GOING
        )
        attended = sa.select(Attendance.user_id).where(Attendance.session_id == subject.id)
        return set(db.session.scalars(sa.union(going, attended)))
    if subject.kind == SubjectKind.OFFERING:
        return set(
            db.session.scalars(
                sa.select(Enrolment.user_id).where(
                    Enrolment.offering_id == subject.id, Enrolment.status.in_(PLACE_HOLDING)
                )
            )
        )
    return pilot_access.people_ids(subject.target)  # type: ignore[arg-type]


def in_audience(subject: Subject, user_id: int) -> bool:
    """Whether one person belongs to the subject's audience now (one statement for sessions and
    offerings)."""
    if subject.kind == SubjectKind.SESSION:
        going = sa.exists().where(
            Rsvp.session_id == subject.id,
            Rsvp.user_id == user_id,
            Rsvp.status == RsvpStatus.GOING,
        )
        attended = sa.exists().where(
            Attendance.session_id == subject.id, Attendance.user_id == user_id
        )
        return bool(db.session.scalar(sa.select(sa.or_(going, attended))))
    if subject.kind == SubjectKind.OFFERING:
        return bool(
            db.session.scalar(
                sa.select(
                    sa.exists().where(
                        Enrolment.offering_id == subject.id,
                        Enrolment.user_id == user_id,
                        Enrolment.status.in_(PLACE_HOLDING),
                    )
                )
            )
        )
    return user_id in pilot_access.people_ids(subject.target)  # type: ignore[arg-type]


def _invitation(survey_id: int, user_id: int) -> SurveyInvitation | None:
    return db.session.scalar(
        sa.select(SurveyInvitation).where(
            SurveyInvitation.survey_id == survey_id, SurveyInvitation.user_id == user_id
        )
    )


@dataclass(frozen=True)
class Answering:
    """Whether a person may answer a survey, and whether they did."""

    eligible: bool  #: invited, or in the subject's audience now
    answered: bool


def answering(survey: Survey, user: Any, subject: Subject | None = None) -> Answering:
    """May this person answer (a published survey, invited or in the audience)?"""
    if not _is_user(user) or survey.status != SurveyStatus.PUBLISHED:
        return Answering(False, False)
    invitation = _invitation(survey.id, user.id)
    if invitation is not None:
        return Answering(True, invitation.answered)
    return Answering(in_audience(subject or subject_of(survey), user.id), False)


# -- building ----------------------------------------------------------------------------------


@dataclass
class SurveySettings:
    """What the builder sets besides the questions. Times are UTC moments."""

    title: str
    opens_at: datetime
    closes_at: datetime
    intro: str = ""
    anonymous: bool = True
    language: str = "nl"


@dataclass
class QuestionFields:
    kind: QuestionKind
    prompt: str
    help_text: str = ""
    required: bool = True
    scale_min: int = 1
    scale_max: int = 5
    low_label: str = ""
    high_label: str = ""
    options: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuestionFields:
        """From the structure of `SurveyTemplate.questions` (and the built-in templates)."""
        return cls(
            kind=QuestionKind(data["kind"]),
            prompt=str(data.get("prompt", "")),
            help_text=str(data.get("help_text", "")),
            required=bool(data.get("required", True)),
            scale_min=int(data.get("scale_min", 1)),
            scale_max=int(data.get("scale_max", 5)),
            low_label=str(data.get("low_label", "")),
            high_label=str(data.get("high_label", "")),
            options=[str(option) for option in data.get("options", [])],
        )

    @classmethod
    def of(cls, question: SurveyQuestion) -> QuestionFields:
        return cls(
            kind=question.kind,
            prompt=question.prompt,
            help_text=question.help_text,
            required=question.required,
            scale_min=question.scale_min,
            scale_max=question.scale_max,
            low_label=question.low_label,
            high_label=question.high_label,
            options=[option.label for option in question.options],
        )


def _check_settings(settings: SurveySettings) -> None:
    settings.title = settings.title.strip()
    settings.intro = settings.intro.strip()
    if not settings.title:
        raise ServiceError(_l("Give the survey a title."), "title")
    if len(settings.title) > 200:
        raise ServiceError(_l("The title can be at most 200 characters."), "title")
    if len(settings.intro) > 2000:
        raise ServiceError(_l("The introduction can be at most 2000 characters."), "intro")
    if settings.language not in LANGUAGES:
        raise ServiceError(_l("Choose Dutch or English."), "language")
    if settings.closes_at <= settings.opens_at:
        raise ServiceError(_l("The survey must close after it opens."), "closes_at")


def _check_question(fields: QuestionFields) -> None:
    fields.prompt = fields.prompt.strip()
    fields.help_text = fields.help_text.strip()
    fields.low_label = fields.low_label.strip()
    fields.high_label = fields.high_label.strip()
    fields.options = [option.strip() for option in fields.options if option.strip()]
    if not fields.prompt:
        raise ServiceError(_l("Write the question."), "prompt")
    if len(fields.prompt) > 500:
        raise ServiceError(_l("A question can be at most 500 characters."), "prompt")
    if len(fields.help_text) > 500:
        raise ServiceError(_l("The explanation can be at most 500 characters."), "help_text")
    if fields.kind == QuestionKind.SCALE:
        _check_scale(fields)
    else:
        fields.scale_min, fields.scale_max, fields.low_label, fields.high_label = 1, 5, "", ""
    if fields.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
        _check_options(fields)
    else:
        fields.options = []


def _check_scale(fields: QuestionFields) -> None:
    if fields.scale_min not in (0, 1):
        raise ServiceError(_l("A scale starts at 0 or 1."), "scale_min")
    if not fields.scale_min < fields.scale_max <= 10:
        raise ServiceError(_l("A scale ends above its start, at 10 at most."), "scale_max")
    if len(fields.low_label) > 80 or len(fields.high_label) > 80:
        raise ServiceError(_l("The words at the ends can be at most 80 characters."), "low_label")


def _check_options(fields: QuestionFields) -> None:
    if len(fields.options) < 2:
        raise ServiceError(_l("Give at least two options, one per line."), "options")
    if len(fields.options) > MAX_OPTIONS:
        raise ServiceError(_l("At most %(num)d options.", num=MAX_OPTIONS), "options")
    if any(len(option) > 200 for option in fields.options):
        raise ServiceError(_l("An option can be at most 200 characters."), "options")
    if len({option.casefold() for option in fields.options}) != len(fields.options):
        raise ServiceError(_l("Each option can appear only once."), "options")


def _new_key(prompt: str, taken: set[str]) -> str:
    """A key for a new question, stable from now on (copies keep it)."""
    base = slugify(prompt, 30) or "vraag"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def _apply_question(question: SurveyQuestion, fields: QuestionFields) -> None:
    question.kind = fields.kind
    question.prompt = fields.prompt
    question.help_text = fields.help_text
    question.required = fields.required
    question.scale_min = fields.scale_min
    question.scale_max = fields.scale_max
    question.low_label = fields.low_label
    question.high_label = fields.high_label
    # Options keep their rows (and ids) by position: only labels change, extra ones go or come.
    for position, label in enumerate(fields.options):
        if position < len(question.options):
            question.options[position].label = label
            question.options[position].position = position
        else:
            question.options.append(SurveyOption(label=label, position=position))
    del question.options[len(fields.options) :]


@dataclass(frozen=True)
class TemplateSource:
    """Where a new survey's questions come from."""

    template_key: str
    language: str
    title: str
    intro: str
    questions: tuple[dict[str, Any], ...]


BLANK = "blank"


def template_source(source: str, language: str) -> TemplateSource:
    """ "blank", "builtin:<key>" (in `language`) or "template:<id>" (in its own language)."""
    if language not in LANGUAGES:
        raise ServiceError(_l("Choose Dutch or English."), "language")
    if source == BLANK:
        return TemplateSource("", language, "", "", ())
    kind, _, value = source.partition(":")
    if kind == "builtin":
        found = builtin(value, language)
        if found is not None:
            return TemplateSource(
                found.template_key, language, found.title, found.intro, found.questions
            )
    if kind == "template" and value.isdigit():
        saved = db.session.get(SurveyTemplate, int(value))
        if saved is not None:
            return TemplateSource(
                f"template:{saved.id}", saved.language, saved.name, "", tuple(saved.questions)
            )
    raise ServiceError(_l("Choose a template from the list."), "source")


def saved_templates() -> list[SurveyTemplate]:
    return list(
        db.session.scalars(
            sa.select(SurveyTemplate)
            .order_by(SurveyTemplate.created_at.desc(), SurveyTemplate.id.desc())
            .limit(TEMPLATE_LIST_LIMIT)
        )
    )


def create_survey(
    subject: Subject, user: User, settings: SurveySettings, source: TemplateSource | None = None
) -> Survey:
    """A new draft about `subject`, with the questions of `source` (none for a blank one). An
    empty title takes the template's."""
    if not subject_access(subject, user).can_manage:
        raise ServiceError(_l("You do not run the surveys of this subject."))
    source = source or TemplateSource("", settings.language, "", "", ())
    settings.title = settings.title.strip() or source.title
    settings.intro = settings.intro.strip() or source.intro
    settings.language = source.language
    _check_settings(settings)
    survey = Survey(
        title=settings.title,
        intro=settings.intro,
        language=settings.language,
        anonymous=settings.anonymous,
        opens_at=settings.opens_at,
        closes_at=settings.closes_at,
        template_key=source.template_key[:60],
        created_by_id=user.id,
        **{subject.column().key: subject.id},
    )
    taken: set[str] = set()
    for position, data in enumerate(source.questions[:MAX_QUESTIONS]):
        fields = QuestionFields.from_dict(data)
        _check_question(fields)
        key = str(data.get("key") or "")[:40] or _new_key(fields.prompt, taken)
        if key in taken:
            key = _new_key(key, taken)
        taken.add(key)
        question = SurveyQuestion(key=key, position=position)
        _apply_question(question, fields)
        survey.questions.append(question)
    db.session.add(survey)
    db.session.flush()
    return survey


def update_settings(
    survey: Survey, user: User, settings: SurveySettings, now: datetime | None = None
) -> None:
    """Change title, introduction, language, anonymity and dates. Once published the anonymity
    and language are fixed (the invitation promised them); the opening moment can move only
    until the survey opens, and the closing moment only until it closes."""
    _require_manager(survey, user)
    now = now or utcnow()
    _check_settings(settings)
    if survey.status == SurveyStatus.PUBLISHED:
        if settings.anonymous != survey.anonymous:
            raise ServiceError(
                _l("Whether answers are anonymous cannot change once the survey is published."),
                "anonymous",
            )
        if settings.language != survey.language:
            raise ServiceError(
                _l("The language cannot change once the survey is published."), "language"
            )
        if _same_minute(settings.opens_at, survey.opens_at):
            settings.opens_at = survey.opens_at
        elif survey.opens_at <= now:
            raise ServiceError(
                _l("The survey has opened already: the opening moment can no longer change."),
                "opens_at",
            )
        elif settings.opens_at < now - timedelta(minutes=5):
            raise ServiceError(_l("Choose an opening moment from now on."), "opens_at")
        if _same_minute(settings.closes_at, survey.closes_at):
            settings.closes_at = survey.closes_at
        else:
            if survey.is_closed(now):
                raise ServiceError(
                    _l("The survey is closed: its closing moment can no longer change."),
                    "closes_at",
                )
            if settings.closes_at <= now:
                raise ServiceError(_l("Choose a closing moment in the future."), "closes_at")
    survey.title = settings.title
    survey.intro = settings.intro
    survey.language = settings.language
    survey.anonymous = settings.anonymous
    survey.opens_at = settings.opens_at
    survey.closes_at = settings.closes_at
    db.session.flush()
    invite_if_due(survey, now)  # opening earlier than planned: the invitations go now


def _same_minute(first: datetime, second: datetime) -> bool:
    """The form shows minutes: a value it sends back unchanged is the same moment."""
    return first.replace(second=0, microsecond=0) == second.replace(second=0, microsecond=0)


def questions_fixed(survey: Survey) -> bool:
    """Questions are fixed from the first response to a published survey."""
    return survey.status == SurveyStatus.PUBLISHED and survey.response_count > 0


def _lock_questions(survey: Survey, user: User) -> None:
    """Refuse a change to the questions once answers came in. Locks the survey row (PostgreSQL)
    so that no answer arrives between this check and the change."""
    _require_manager(survey, user)
    status, responses = db.session.execute(
        sa.select(Survey.status, Survey.response_count)
        .where(Survey.id == survey.id)
        .with_for_update()
    ).one()
    if status == SurveyStatus.PUBLISHED and responses > 0:
        raise ServiceError(
            _l(
                "People have answered already: the questions are fixed, because changing them would spoil the results. Measure again with a copy instead."
            )
        )


def add_question(survey: Survey, user: User, fields: QuestionFields) -> SurveyQuestion:
    _lock_questions(survey, user)
    _check_question(fields)
    if len(survey.questions) >= MAX_QUESTIONS:
        raise ServiceError(_l("A survey can have at most %(num)d questions.", num=MAX_QUESTIONS))
    question = SurveyQuestion(
        key=_new_key(fields.prompt, {q.key for q in survey.questions}),
        position=max((q.position for q in survey.questions), default=-1) + 1,
    )
    _apply_question(question, fields)
    survey.questions.append(question)
    db.session.flush()
    return question


def update_question(question: SurveyQuestion, user: User, fields: QuestionFields) -> None:
    _lock_questions(question.survey, user)
    _check_question(fields)
    _apply_question(question, fields)
    db.session.flush()


def remove_question(question: SurveyQuestion, user: User) -> None:
    survey = question.survey
    _lock_questions(survey, user)
    if survey.status == SurveyStatus.PUBLISHED and len(survey.questions) <= 1:
        raise ServiceError(_l("A published survey keeps at least one question."))
    survey.questions.remove(question)
    _renumber(survey.questions)
    db.session.flush()


def move_question(question: SurveyQuestion, user: User, offset: int) -> None:
    """Move a question up (-1) or down (+1); at either end nothing happens."""
    survey = question.survey
    _lock_questions(survey, user)
    ordered = list(survey.questions)
    index = ordered.index(question)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
        _renumber(ordered)
        db.session.flush()
        db.session.expire(survey, ["questions"])


def _renumber(questions: Sequence[SurveyQuestion]) -> None:
    for position, question in enumerate(questions):
        question.position = position


def _question_dicts(survey: Survey) -> list[dict[str, Any]]:
    return [
        {
            "key": q.key,
            "kind": q.kind.value,
            "prompt": q.prompt,
            "help_text": q.help_text,
            "required": q.required,
            "scale_min": q.scale_min,
            "scale_max": q.scale_max,
            "low_label": q.low_label,
            "high_label": q.high_label,
            "options": [option.label for option in q.options],
        }
        for q in survey.questions
    ]


def save_as_template(survey: Survey, user: User, name: str) -> SurveyTemplate:
    """Keep the questions for reuse by everyone who builds surveys."""
    _require_manager(survey, user)
    name = name.strip()
    if not name:
        raise ServiceError(_l("Give the template a name."), "name")
    if len(name) > 200:
        raise ServiceError(_l("The name can be at most 200 characters."), "name")
    if not survey.questions:
        raise ServiceError(_l("A survey without questions makes no template."))
    template = SurveyTemplate(
        name=name,
        language=survey.language,
        questions=_question_dicts(survey),
        created_by_id=user.id,
    )
    db.session.add(template)
    db.session.flush()
    return template


def measure_again(survey: Survey, user: User, now: datetime | None = None) -> Survey:
    """A copy as a new draft (the same question keys) to compare with this one: the end
    measurement after a start measurement."""
    subject = _require_manager(survey, user)
    if survey.status != SurveyStatus.PUBLISHED:
        raise ServiceError(_l("Publish the survey first; then it can be measured again."))
    now = (now or utcnow()).replace(second=0, microsecond=0)
    source = TemplateSource(
        survey.template_key,
        survey.language,
        survey.title,
        survey.intro,
        tuple(_question_dicts(survey)),
    )
    duration = max(survey.closes_at - survey.opens_at, timedelta(days=1))
    copy = create_survey(
        subject,
        user,
        SurveySettings(
            title=survey.title,
            intro=survey.intro,
            anonymous=survey.anonymous,
            language=survey.language,
            opens_at=now + timedelta(days=1),
            closes_at=now + timedelta(days=1) + duration,
        ),
        source,
    )
    copy.baseline_id = survey.id
    db.session.flush()
    return copy


def delete_draft(survey: Survey, user: User) -> None:
    _require_manager(survey, user)
    if survey.status != SurveyStatus.DRAFT:
        raise ServiceError(_l("Only a draft can be deleted."))
    db.session.delete(survey)
    db.session.flush()


# -- publishing, invitations and the one reminder ----------------------------------------------


def publish(survey: Survey, user: User, now: datetime | None = None) -> int:
    """Publish a draft. When it is open already the invitations go at once; returns how many."""
    _require_manager(survey, user)
    now = now or utcnow()
    if survey.status != SurveyStatus.DRAFT:
        raise ServiceError(_l("Only a draft can be published."))
    if not survey.questions:
        raise ServiceError(_l("Add at least one question before publishing."))
    if survey.closes_at <= survey.opens_at:
        raise ServiceError(_l("The survey must close after it opens."), "closes_at")
    if survey.closes_at <= now:
        raise ServiceError(
            _l("The closing moment has passed: choose a later one first."), "closes_at"
        )
    survey.status = SurveyStatus.PUBLISHED
    db.session.flush()
    return invite_if_due(survey, now)


def invite_if_due(survey: Survey, now: datetime | None = None) -> int:
    """Send the invitations of a published survey that is open and has not sent them yet.
    The survey is claimed with a conditional UPDATE, so they go once. Returns how many."""
    now = now or utcnow()
    if survey.invited_at is not None or not survey.is_open(now):
        return 0
    claimed = db.session.execute(
        sa.update(Survey)
        .where(
            Survey.id == survey.id,
            Survey.invited_at.is_(None),
            Survey.status == SurveyStatus.PUBLISHED,
        )
        .values(invited_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(survey, ["invited_at"])
    if claimed != 1:
        return 0
    return _invite(survey, subject_of(survey), now)


def _invite(survey: Survey, subject: Subject, now: datetime) -> int:
    already = set(
        db.session.scalars(
            sa.select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == survey.id)
        )
    )
    wanted = audience_ids(subject) - already
    if not wanted:
        return 0
    people = list(
        db.session.scalars(
            sa.select(User).where(User.id.in_(wanted), User.active.is_(True)).order_by(User.id)
        )
    )
    db.session.add_all(
        SurveyInvitation(survey_id=survey.id, user_id=person.id, invited_at=now)
        for person in people
    )
    for person in people:
        _mail(
            person,
            survey,
            subject,
            "survey_invitation",
            _l("Survey: %(title)s", title=survey.title),
        )
        notify(
            person.id,
            NotificationKind.SURVEY_OPEN,
            detail=survey.title,
            link=site_path("surveys.answer", survey_id=survey.id),
        )
    db.session.flush()
    return len(people)


def _unanswered(survey: Survey) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(SurveyInvitation, SurveyInvitation.user_id == User.id)
            .where(
                SurveyInvitation.survey_id == survey.id,
                SurveyInvitation.answered.is_(False),
                SurveyInvitation.invited_at.is_not(None),
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )


def remind(survey: Survey, user: User, now: datetime | None = None) -> int:
    """The owner's button: the one reminder, to those who have not answered. Returns how many."""
    _require_manager(survey, user)
    now = now or utcnow()
    if not survey.is_open(now):
        raise ServiceError(_l("A reminder can go out only while the survey is open."))
    if survey.invited_at is None:
        raise ServiceError(_l("The invitations have not gone out yet."))
    if survey.reminded_at is not None:
        raise ServiceError(_l("The reminder has been sent already; there is only one."))
    if not _unanswered(survey):
        raise ServiceError(_l("Everyone who was invited has answered: nobody to remind."))
    sent = _claim_and_remind(survey, now)
    if sent is None:
        raise ServiceError(_l("The reminder has been sent already; there is only one."))
    return sent


def _claim_and_remind(survey: Survey, now: datetime) -> int | None:
    """Claim the survey's one reminder (conditional UPDATE) and mail it; None when another
    request or run claimed it first."""
    claimed = db.session.execute(
        sa.update(Survey)
        .where(
            Survey.id == survey.id,
            Survey.reminded_at.is_(None),
            Survey.invited_at.is_not(None),
        )
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(survey, ["reminded_at"])
    if claimed != 1:
        return None
    people = _unanswered(survey)
    if people:
        db.session.execute(
            sa.update(SurveyInvitation)
            .where(
                SurveyInvitation.survey_id == survey.id,
                SurveyInvitation.user_id.in_([person.id for person in people]),
            )
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
    subject = subject_of(survey)
    for person in people:
        _mail(
            person,
            survey,
            subject,
            "survey_reminder",
            _l("Reminder: survey %(title)s", title=survey.title),
        )
    db.session.flush()
    return len(people)


def send_due_survey_mail(now: datetime | None = None) -> tuple[int, int]:
    """For cron (`send-digests`): the invitations of surveys that opened, and the automatic
    reminder two days before closing. Safe to run again or twice at once. Returns the numbers of
    invitations and reminders queued."""
    now = now or utcnow()
    opening = db.session.scalars(
        sa.select(Survey)
        .where(
            Survey.status == SurveyStatus.PUBLISHED,
            Survey.invited_at.is_(None),
            Survey.opens_at <= now,
            Survey.closes_at > now,
        )
        .order_by(Survey.id)
    ).all()
    invitations = sum(invite_if_due(survey, now) for survey in opening)
    closing = db.session.scalars(
        sa.select(Survey)
        .where(
            Survey.status == SurveyStatus.PUBLISHED,
            Survey.reminded_at.is_(None),
            Survey.invited_at.is_not(None),
            Survey.invited_at <= now - REMIND_AFTER_INVITING,
            Survey.closes_at > now,
            Survey.closes_at <= now + REMIND_BEFORE_CLOSE,
        )
        .order_by(Survey.id)
    ).all()
    reminders = sum(_claim_and_remind(survey, now) or 0 for survey in closing)
    db.session.flush()
    return invitations, reminders


def _mail(person: User, survey: Survey, subject: Subject, template: str, mail_subject: Any) -> None:
    send_mail(
        person.email,
        person.preferred_language,
        mail_subject,
        template,
        user=person,
        survey=survey,
        about=subject,
        closes_at=to_local(survey.closes_at),
        question_count=len(survey.questions),
        url=external_url("surveys.answer", survey_id=survey.id),
    )


# -- answering ---------------------------------------------------------------------------------


def _respondent_secret() -> bytes:
    # A key of its own, derived from the app's secret: respondent keys never reuse the key that
    # signs sessions, and cannot be computed without it.
    return hmac.new(
        str(current_app.config["SECRET_KEY"]).encode(), b"plc.surveys.respondent", hashlib.sha256
    ).digest()


def respondent_key(survey_id: int, user_id: int) -> str:
    """The keyed hash that keeps one response per person without naming the person."""
    return hmac.new(
        _respondent_secret(), f"{survey_id}:{user_id}".encode(), hashlib.sha256
    ).hexdigest()


class AnswersInvalid(ServiceError):
    """Some answers are missing or wrong: `errors` maps question ids to a message each."""

    def __init__(self, errors: dict[int, Any]) -> None:
        super().__init__(_l("Please correct the answers marked below."))
        self.errors = errors


@dataclass(frozen=True)
class ParsedAnswer:
    question_id: int
    number: int | None = None
    text: str = ""
    option_ids: tuple[int, ...] = ()


def _parse(question: SurveyQuestion, values: Sequence[str]) -> ParsedAnswer | None:
    """One question's submitted values; None when unanswered. Raises ServiceError when wrong."""
    given = [value.strip() for value in values if value and value.strip()]
    if question.kind == QuestionKind.TEXT:
        text = "\n".join(values).strip() if values else ""
        if len(text) > MAX_TEXT:
            raise ServiceError(
                _l(
                    "At most %(max)d characters; you wrote %(num)d.",
                    max=MAX_TEXT,
                    num=len(text),
                )
            )
        return ParsedAnswer(question.id, text=text) if text else None
    if not given:
        return None
    if question.kind == QuestionKind.SCALE:
        if len(given) != 1 or not given[0].lstrip("-").isdigit():
            raise ServiceError(_l("Choose one point on the scale."))
        number = int(given[0])
        if not question.scale_min <= number <= question.scale_max:
            raise ServiceError(
                _l(
                    "Choose a number from %(low)d to %(high)d.",
                    low=question.scale_min,
                    high=question.scale_max,
                )
            )
        return ParsedAnswer(question.id, number=number)
    valid = {option.id for option in question.options}
    if not all(value.isdigit() and int(value) in valid for value in given):
        raise ServiceError(_l("Choose from the options given."))
    chosen = tuple(dict.fromkeys(int(value) for value in given))
    if question.kind == QuestionKind.CHOICE and len(chosen) != 1:
        raise ServiceError(_l("Choose one option."))
    return ParsedAnswer(question.id, option_ids=chosen)


def validate_answers(
    questions: Sequence[SurveyQuestion], submitted: Mapping[int, Sequence[str]]
) -> list[ParsedAnswer]:
    """Every answer checked; all errors at once (AnswersInvalid), or the parsed answers."""
    errors: dict[int, Any] = {}
    parsed: list[ParsedAnswer] = []
    for question in questions:
        try:
            answer = _parse(question, submitted.get(question.id, ()))
        except ServiceError as error:
            errors[question.id] = error.message
            continue
        if answer is None:
            if question.required:
                errors[question.id] = _l("This question needs an answer.")
            continue
        parsed.append(answer)
    if errors:
        raise AnswersInvalid(errors)
    return parsed


def respond(
    survey: Survey,
    user: User,
    submitted: Mapping[int, Sequence[str]],
    now: datetime | None = None,
) -> bool:
    """Store (or replace) the person's response. Returns True for a first response.

    Nothing is stored when an answer is wrong (AnswersInvalid names each question)."""
    now = now or utcnow()
    # A key-share lock (PostgreSQL) waits for a question change in progress, and reads the
    # survey as it is now; answers of other people do not wait for each other.
    status, opens_at, closes_at, anonymous = db.session.execute(
        sa.select(Survey.status, Survey.opens_at, Survey.closes_at, Survey.anonymous)
        .where(Survey.id == survey.id)
        .with_for_update(read=True, key_share=True)
    ).one()
    subject = subject_of(survey)
    if not answering(survey, user, subject).eligible:
        raise ServiceError(_l("You are not asked to answer this survey."))
    if status != SurveyStatus.PUBLISHED or now < opens_at:
        raise ServiceError(_l("This survey is not open yet."))
    if now >= closes_at:
        raise ServiceError(_l("This survey has closed; answers can no longer change."))
    questions = list(
        db.session.scalars(
            sa.select(SurveyQuestion)
            .where(SurveyQuestion.survey_id == survey.id)
            .options(selectinload(SurveyQuestion.options))
            .order_by(SurveyQuestion.position)
            .execution_options(populate_existing=True)
        )
    )
    answers = validate_answers(questions, submitted)
    response_id, first = _claim_response(
        survey.id,
        respondent_key(survey.id, user.id),
        user_id=None if anonymous else user.id,
        organisation_id=respondent_organisation(subject, user),
        now=None if anonymous else now,
    )
    _replace_answers(response_id, answers)
    _mark_answered(survey.id, user.id)
    db.session.flush()
    db.session.expire(survey, ["response_count"])
    return first


def find_response_id(survey_id: int, key: str) -> str | None:
    return db.session.scalar(
        sa.select(SurveyResponse.id).where(
            SurveyResponse.survey_id == survey_id, SurveyResponse.respondent_key == key
        )
    )


def _claim_response(
    survey_id: int,
    key: str,
    *,
    user_id: int | None,
    organisation_id: int | None,
    now: datetime | None,
) -> tuple[str, bool]:
    """The person's response row: found by its key, or inserted. Returns (id, first)."""
    existing = find_response_id(survey_id, key)
    if existing is None:
        new_id = secrets.token_hex(16)
        try:
            with db.session.begin_nested():
                db.session.execute(
                    sa.insert(SurveyResponse).values(
                        id=new_id,
                        survey_id=survey_id,
                        respondent_key=key,
                        user_id=user_id,
                        organisation_id=organisation_id,
                        submitted_at=now,
                        updated_at=now,
                    )
                )
        except sa.exc.IntegrityError:
            # The same person's other request inserted first: update theirs instead.
            existing = find_response_id(survey_id, key)
            assert existing is not None
        else:
            db.session.execute(
                sa.update(Survey)
                .where(Survey.id == survey_id)
                .values(response_count=Survey.response_count + 1)
                .execution_options(synchronize_session=False)
            )
            return new_id, True
    db.session.execute(
        sa.update(SurveyResponse)
        .where(SurveyResponse.id == existing)
        .values(user_id=user_id, organisation_id=organisation_id, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return existing, False


def _replace_answers(response_id: str, answers: Sequence[ParsedAnswer]) -> None:
    """The response's answers become these: a fixed number of statements for any number."""
    db.session.execute(
        sa.delete(SurveyAnswerOption).where(SurveyAnswerOption.response_id == response_id)
    )
    db.session.execute(sa.delete(SurveyAnswer).where(SurveyAnswer.response_id == response_id))
    if answers:
        db.session.execute(
            sa.insert(SurveyAnswer),
            [
                {
                    "response_id": response_id,
                    "question_id": answer.question_id,
                    "number": answer.number,
                    "text": answer.text,
                }
                for answer in answers
            ],
        )
    chosen = [
        {"response_id": response_id, "option_id": option_id}
        for answer in answers
        for option_id in answer.option_ids
    ]
    if chosen:
        db.session.execute(sa.insert(SurveyAnswerOption), chosen)


def _mark_answered(survey_id: int, user_id: int) -> None:
    """The invitation says *that* the person answered; someone answering without an invitation
    gets one marked answered (so the response rate stays a share of the people asked)."""
    table = SurveyInvitation.__table__
    marked = db.session.execute(
        table.update()
        .where(table.c.survey_id == survey_id, table.c.user_id == user_id)
        .values(answered=True)
    ).rowcount
    if marked:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(
                table.insert().values(survey_id=survey_id, user_id=user_id, answered=True)
            )
    except sa.exc.IntegrityError:
        db.session.execute(
            table.update()
            .where(table.c.survey_id == survey_id, table.c.user_id == user_id)
            .values(answered=True)
        )


def own_answers(survey: Survey, user: Any) -> dict[int, list[str]] | None:
    """The person's earlier answers as form values (question id → values), or None."""
    if not _is_user(user):
        return None
    response_id = find_response_id(survey.id, respondent_key(survey.id, user.id))
    if response_id is None:
        return None
    values: dict[int, list[str]] = {}
    for question_id, number, text in db.session.execute(
        sa.select(SurveyAnswer.question_id, SurveyAnswer.number, SurveyAnswer.text).where(
            SurveyAnswer.response_id == response_id
        )
    ):
        if number is not None:
            values[question_id] = [str(number)]
        elif text:
            values[question_id] = [text]
    for question_id, option_id in db.session.execute(
        sa.select(SurveyOption.question_id, SurveyAnswerOption.option_id)
        .join(SurveyOption, SurveyOption.id == SurveyAnswerOption.option_id)
        .where(SurveyAnswerOption.response_id == response_id)
    ):
        values.setdefault(question_id, []).append(str(option_id))
    return values


def _approved_organisations(user: User) -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(
                Organisation.id.in_(
                    sa.select(OrganisationMembership.organisation_id).where(
                        OrganisationMembership.user_id == user.id,
                        OrganisationMembership.status == MembershipStatus.APPROVED,
                    )
                )
            )
            .order_by(Organisation.name, Organisation.id)
        )
    )


def _first_school(organisations: Sequence[Organisation]) -> int | None:
    return next((o.id for o in organisations if o.kind == OrganisationKind.SCHOOL), None)


def respondent_organisation(subject: Subject, user: User) -> int | None:
    """The organisation a response counts for in the results per organisation.

    Pilot: the participating organisation the person is an approved member of, else the one
    they are contact or sponsor for. Session: the community's co-owning organisation they belong
    to, else their first school. Offering: the school named on the enrolment, else their first
    school."""
    organisations = _approved_organisations(user)
    member_of = {o.id for o in organisations}
    if subject.kind == SubjectKind.PILOT:
        participants = subject.target.participants  # type: ignore[union-attr]
        for row in participants:
            if row.organisation_id in member_of:
                return row.organisation_id
        for row in participants:
            if user.id in (row.contact_id, row.sponsor_id):
                return row.organisation_id
        return None
    if subject.kind == SubjectKind.SESSION:
        owners = db.session.scalars(
            sa.select(CommunityOwner.organisation_id)
            .where(
                CommunityOwner.community_id == subject.target.community_id,  # type: ignore[union-attr]
                CommunityOwner.status == CoOwnerStatus.ACCEPTED,
            )
            .order_by(CommunityOwner.id)
        ).all()
        owner = next((o for o in owners if o in member_of), None)
        return owner if owner is not None else _first_school(organisations)
    school_id = db.session.scalar(
        sa.select(Enrolment.school_id).where(
            Enrolment.offering_id == subject.id, Enrolment.user_id == user.id
        )
    )
    return school_id if school_id is not None else _first_school(organisations)


# -- lists -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingSurvey:
    """An open survey someone was asked to answer."""

    id: int
    title: str
    closes_at: datetime
    answered: bool
    anonymous: bool


def waiting_for(
    user: Any, *, answered: bool = False, now: datetime | None = None
) -> list[WaitingSurvey]:
    """Open surveys the person was invited to and has not answered (with `answered`: has
    answered, and can still change), closing first first. One statement."""
    if not _is_user(user):
        return []
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(
            Survey.id, Survey.title, Survey.closes_at, SurveyInvitation.answered, Survey.anonymous
        )
        .join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
        .where(
            SurveyInvitation.user_id == user.id,
            SurveyInvitation.answered.is_(answered),
            Survey.status == SurveyStatus.PUBLISHED,
            Survey.opens_at <= now,
            Survey.closes_at > now,
        )
        .order_by(Survey.closes_at, Survey.id)
    )
    return [WaitingSurvey(*row) for row in rows]


@dataclass(frozen=True)
class ListedSurvey:
    """A survey in a list, with what it is about."""

    survey: Survey
    subject_kind: SubjectKind
    subject_title: str


def _facilitated_communities(user: User) -> sa.Select[Any]:
    return sa.select(CommunityMember.community_id).where(
        CommunityMember.user_id == user.id,
        CommunityMember.status == CommunityMemberStatus.ACTIVE,
        CommunityMember.role.in_([MemberRole.FACILITATOR, MemberRole.OWNER]),
    )


def _managed_filter(user: User) -> sa.ColumnElement[bool]:
    """SQL twin of SubjectAccess.can_manage for every survey (admins: everything)."""
    if user.is_admin:
        return sa.true()
    sessions = sa.select(LiveSession.id).where(
        LiveSession.community_id.in_(_facilitated_communities(user))
    )
    providers = sa.select(OrganisationMembership.organisation_id).where(
        OrganisationMembership.user_id == user.id,
        OrganisationMembership.status == MembershipStatus.APPROVED,
        OrganisationMembership.role.in_(catalogue.PROVIDER_ROLES),
    )
    offerings = (
        sa.select(Offering.id)
        .join(Organisation, Organisation.id == Offering.provider_id)
        .where(Offering.provider_id.in_(providers), Organisation.kind.in_(PROVIDER_KINDS))
    )
    led_pilots = sa.union(
        sa.select(Pilot.id).where(Pilot.proposed_by_id == user.id),
        sa.select(PilotOrganisation.pilot_id).where(PilotOrganisation.contact_id == user.id),
        sa.select(pilot_community.c.pilot_id).where(
            pilot_community.c.community_id.in_(_facilitated_communities(user))
        ),
    )
    # Each branch guards its NULL column, so that NOT (…) is false rather than NULL.
    return sa.or_(
        sa.and_(Survey.session_id.is_not(None), Survey.session_id.in_(sessions)),
        sa.and_(Survey.offering_id.is_not(None), Survey.offering_id.in_(offerings)),
        sa.and_(Survey.pilot_id.is_not(None), Survey.pilot_id.in_(led_pilots)),
    )


def _listed(query: sa.Select[Any]) -> list[ListedSurvey]:
    rows = db.session.execute(
        query.add_columns(LiveSession.title, Offering.title, Pilot.title)
        .outerjoin(LiveSession, LiveSession.id == Survey.session_id)
        .outerjoin(Offering, Offering.id == Survey.offering_id)
        .outerjoin(Pilot, Pilot.id == Survey.pilot_id)
        .order_by(Survey.closes_at.desc(), Survey.id.desc())
    )
    listed = []
    for survey, session_title, offering_title, pilot_title in rows:
        if session_title is not None:
            listed.append(ListedSurvey(survey, SubjectKind.SESSION, session_title))
        elif offering_title is not None:
            listed.append(ListedSurvey(survey, SubjectKind.OFFERING, offering_title))
        else:
            listed.append(ListedSurvey(survey, SubjectKind.PILOT, pilot_title or ""))
    return listed


def managed_by(user: Any) -> list[ListedSurvey]:
    """The surveys the person runs (every survey, up to a limit, for a platform admin)."""
    if not _is_user(user):
        return []
    query = sa.select(Survey).where(_managed_filter(user))
    if user.is_admin:
        query = query.limit(ADMIN_LIST_LIMIT)
    return _listed(query)


def followed_by(user: Any) -> list[ListedSurvey]:
    """Published pilot surveys whose results the person reads as a sponsor (without running
    them)."""
    if not _is_user(user) or user.is_admin:
        return []
    sponsored = sa.select(PilotOrganisation.pilot_id).where(PilotOrganisation.sponsor_id == user.id)
    return _listed(
        sa.select(Survey).where(
            Survey.pilot_id.in_(sponsored),
            Survey.status == SurveyStatus.PUBLISHED,
            sa.not_(_managed_filter(user)),
        )
    )


@dataclass(frozen=True)
class SurveyLink:
    """A survey as a subject's page lists it, with what the viewer may do."""

    id: int
    title: str
    status: SurveyStatus
    opens_at: datetime
    closes_at: datetime
    anonymous: bool
    is_open: bool
    is_closed: bool
    can_answer: bool  #: open, and the viewer was invited or is in the audience
    answered: bool
    can_read_results: bool
    can_manage: bool


def surveys_for(subject_kind: str, subject_id: int, viewer: Any) -> list[SurveyLink]:
    """The surveys of a session, offering or pilot that the viewer may answer or read, for the
    subject's page (`templates/surveys/_for_subject.html`). A fixed number of statements."""
    if not _is_user(viewer):
        return []
    subject = load_subject(subject_kind, subject_id)
    if subject is None:
        return []
    access = subject_access(subject, viewer)
    # With the viewer's invitation (answered or not; none: NULL), in the same statement.
    query = (
        sa.select(Survey, SurveyInvitation.answered)
        .outerjoin(
            SurveyInvitation,
            sa.and_(SurveyInvitation.survey_id == Survey.id, SurveyInvitation.user_id == viewer.id),
        )
        .where(subject.column() == subject.id)
    )
    if not access.can_manage:
        query = query.where(Survey.status == SurveyStatus.PUBLISHED)
    rows = db.session.execute(query.order_by(Survey.opens_at.desc(), Survey.id.desc())).all()
    surveys = [survey for survey, _answered in rows]
    invitations = {survey.id: answered for survey, answered in rows if answered is not None}
    member = None  # asked only when some survey needs it
    now = utcnow()
    links = []
    for survey in surveys:
        eligible = survey.status == SurveyStatus.PUBLISHED and survey.id in invitations
        if survey.status == SurveyStatus.PUBLISHED and not eligible:
            if member is None:
                member = in_audience(subject, viewer.id)
            eligible = member
        answered = invitations.get(survey.id, False)
        readable = access.can_manage or (
            access.can_read_results and survey.status == SurveyStatus.PUBLISHED
        )
        if not (readable or (eligible and (survey.is_open(now) or answered))):
            continue
        links.append(
            SurveyLink(
                id=survey.id,
                title=survey.title,
                status=survey.status,
                opens_at=survey.opens_at,
                closes_at=survey.closes_at,
                anonymous=survey.anonymous,
                is_open=survey.is_open(now),
                is_closed=survey.is_closed(now),
                can_answer=eligible and survey.is_open(now),
                answered=answered,
                can_read_results=readable,
                can_manage=access.can_manage,
            )
        )
    return links


def can_build(subject_kind: str, subject_id: int, viewer: Any) -> bool:
    """Whether the viewer may make a survey about this subject (the partial's "new" link)."""
    subject = load_subject(subject_kind, subject_id) if _is_user(viewer) else None
    return subject is not None and subject_access(subject, viewer).can_manage


def later_measurements(survey: Survey) -> list[Survey]:
    """Surveys that measure this one again."""
    return list(
        db.session.scalars(
            sa.select(Survey).where(Survey.baseline_id == survey.id).order_by(Survey.opens_at)
        )
    )
