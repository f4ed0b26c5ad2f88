"""Offerings, enrolments and learning questions: who may do what, and the rules.

Functions change the session and flush; the request (or the CLI) commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from plc.auth.models import CareerStage, SchoolType, User
from plc.catalogue.models import (
    PLACE_HOLDING,
    CostKind,
    Enrolment,
    EnrolmentScope,
    EnrolmentStatus,
    LearningQuestion,
    LearningQuestionStatus,
    Offering,
    OfferingCareerStage,
    OfferingDomain,
    OfferingFormat,
    OfferingMeeting,
    OfferingSchoolType,
    OfferingStatus,
    QuestionSupport,
    QuestionVisibility,
    Urgency,
    offering_theme,
)
from plc.communities.models import Community
from plc.core.errors import ServiceError
from plc.core.markdown import render_markdown
from plc.core.models import utcnow
from plc.core.outbox import send_mail
from plc.core.places import free_place, lock_places, take_place
from plc.core.search import SearchIndex, search_subquery
from plc.core.urls import external_url
from plc.development.models import RecordEntry, RecordSource, school_year
from plc.extensions import db
from plc.live.services import AMSTERDAM, to_local
from plc.organisations.models import (
    PROVIDER_KINDS,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    OrganisationRole,
)
from plc.themes.models import CompetenceDomain, Theme
from plc.themes.services import chosen_themes, unique_slug

OFFERING_SEARCH = SearchIndex(
    name="offering", table="offering", columns=("title", "summary", "description")
)
QUESTION_SEARCH = SearchIndex(
    name="learning_question", table="learning_question", columns=("title", "body")
)
#: Roles that act for a provider (publish offerings, see participants).
PROVIDER_ROLES = (OrganisationRole.PROVIDER_STAFF, OrganisationRole.ADMIN)
#: Roles that act for a school (its questions, approving paid enrolments).
SCHOOL_ROLES = (OrganisationRole.SCHOOL_LEADER, OrganisationRole.HR_ADVISOR, OrganisationRole.ADMIN)
MAX_MEETINGS = 20
MAX_PRICE_CENTS = 100_000_00


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _memberships(user: User, roles: Sequence[OrganisationRole] | None = None) -> sa.Select[Any]:
    query = sa.select(OrganisationMembership.organisation_id).where(
        OrganisationMembership.user_id == user.id,
        OrganisationMembership.status == MembershipStatus.APPROVED,
    )
    if roles is not None:
        query = query.where(OrganisationMembership.role.in_(roles))
    return query


# -- who acts for whom -------------------------------------------------------------------------


def providers_for(user: Any) -> list[Organisation]:
    """The providers this person publishes for (staff or admin of a training school, academy,
    institute or network); every provider for a platform admin."""
    if not _is_user(user):
        return []
    query = sa.select(Organisation).where(Organisation.kind.in_(PROVIDER_KINDS))
    if not user.is_admin:
        query = query.where(Organisation.id.in_(_memberships(user, PROVIDER_ROLES)))
    return list(db.session.scalars(query.order_by(Organisation.name)))


def can_manage(user: Any, offering: Offering) -> bool:
    return offering.provider_id in {provider.id for provider in providers_for(user)}


def schools_of(user: Any, roles: Sequence[OrganisationRole] | None = None) -> list[Organisation]:
    """The schools the person belongs to (with `roles`: acts for)."""
    if not _is_user(user):
        return []
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(
                Organisation.kind == OrganisationKind.SCHOOL,
                Organisation.id.in_(_memberships(user, roles)),
            )
            .order_by(Organisation.name)
        )
    )


def _board_of(organisation: Organisation) -> int | None:
    """The board an organisation belongs to (itself, for a board)."""
    if organisation.kind == OrganisationKind.BOARD:
        return organisation.id
    return organisation.parent_id


# -- offerings ---------------------------------------------------------------------------------


@dataclass
class Meeting:
    starts_at: datetime
    ends_at: datetime
    location: str = ""


@dataclass
class OfferingFields:
    title: str
    format: OfferingFormat = OfferingFormat.COURSE
    summary: str = ""
    description: str = ""
    location: str = ""
    online: bool = False
    capacity: int | None = None
    cost_kind: CostKind = CostKind.FREE
    cost_cents: int | None = None
    needs_leader_approval: bool = False
    contact_minutes: int = 0
    self_study_minutes: int = 0
    scope: EnrolmentScope = EnrolmentScope.EVERYONE
    theme_ids: list[int] = field(default_factory=list)
    school_types: list[SchoolType] = field(default_factory=list)
    career_stages: list[CareerStage] = field(default_factory=list)
    domains: list[CompetenceDomain] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)


#: Paths of the catalogue's own pages: an offering's slug must never be one of them.
RESERVED_SLUGS = frozenset({"nieuw", "mijn-aanbod", "mijn-inschrijvingen", "goedkeuren"})


#: The slug of a title without any letters or digits.
DEFAULT_SLUG = "aanbod"


def _check(fields: OfferingFields, offering: Offering | None) -> None:
    fields.title = fields.title.strip()
    fields.summary = fields.summary.strip()
    if not fields.title:
        raise ServiceError(_l("Give the offering a title."), "title")
    if len(fields.title) > 200:
        raise ServiceError(_l("The title can be at most 200 characters."), "title")
    if len(fields.summary) > 500:
        raise ServiceError(_l("The summary can be at most 500 characters."), "summary")
    if fields.capacity is not None and fields.capacity < 1:
        raise ServiceError(
            _l("Give at least one place, or leave it empty for no limit."), "capacity"
        )
    if (
        offering is not None
        and fields.capacity is not None
        and fields.capacity < offering.enrolled_count
    ):
        raise ServiceError(
            _l(
                "%(num)d people are enrolled; the capacity cannot be lower.",
                num=offering.enrolled_count,
            ),
            "capacity",
        )
    if fields.cost_kind == CostKind.FREE:
        fields.cost_cents, fields.needs_leader_approval = None, False
    elif fields.cost_cents is None or not 0 < fields.cost_cents <= MAX_PRICE_CENTS:
        raise ServiceError(_l("Give the price in euros."), "cost")
    if fields.cost_kind != CostKind.SCHOOL_PAYS:
        fields.needs_leader_approval = False
    if (
        not 0 <= fields.contact_minutes <= 1000 * 60
        or not 0 <= fields.self_study_minutes <= 1000 * 60
    ):
        raise ServiceError(_l("Give the hours as a number between 0 and 1000."), "hours")
    if not fields.location.strip() and not fields.online:
        raise ServiceError(_l("Give the location, or mark the offering as online."), "location")
    if len(fields.meetings) > MAX_MEETINGS:
        raise ServiceError(_l("At most %(num)d meetings.", num=MAX_MEETINGS), "meetings")
    for meeting in fields.meetings:
        if meeting.ends_at <= meeting.starts_at:
            raise ServiceError(_l("A meeting must end after it starts."), "meetings")


def _apply(offering: Offering, fields: OfferingFields) -> None:
    offering.title = fields.title
    offering.format = fields.format
    offering.summary = fields.summary
    offering.description = fields.description
    offering.description_html = render_markdown(fields.description)
    offering.location = fields.location.strip()[:300]
    offering.online = fields.online
    offering.capacity = fields.capacity
    offering.cost_kind = fields.cost_kind
    offering.cost_cents = fields.cost_cents
    offering.needs_leader_approval = fields.needs_leader_approval
    offering.contact_minutes = fields.contact_minutes
    offering.self_study_minutes = fields.self_study_minutes
    offering.scope = fields.scope
    themes = chosen_themes(fields.theme_ids, offering.themes)
    offering.themes = themes
    offering.school_types = [
        OfferingSchoolType(school_type=t) for t in dict.fromkeys(fields.school_types)
    ]
    offering.career_stages = [
        OfferingCareerStage(career_stage=s) for s in dict.fromkeys(fields.career_stages)
    ]
    offering.domains = [OfferingDomain(domain=d) for d in dict.fromkeys(fields.domains)]
    meetings = sorted(fields.meetings, key=lambda m: m.starts_at)
    offering.meetings = [
        OfferingMeeting(starts_at=m.starts_at, ends_at=m.ends_at, location=m.location.strip()[:300])
        for m in meetings
    ]
    offering.starts_at = meetings[0].starts_at if meetings else None
    offering.ends_at = max(m.ends_at for m in meetings) if meetings else None


def create_offering(provider: Organisation, user: User, fields: OfferingFields) -> Offering:
    """A new offering of `provider`, as a draft."""
    if provider.id not in {p.id for p in providers_for(user)}:
        raise ServiceError(_l("You do not publish offerings for this organisation."))
    _check(fields, None)
    offering = Offering(
        provider_id=provider.id,
        slug=unique_slug(
            Offering.slug,
            fields.title,
            default=DEFAULT_SLUG,
            reserved=RESERVED_SLUGS,
            suffix="aanbod",
        ),
        created_by_id=user.id,
    )
    _apply(offering, fields)
    db.session.add(offering)
    db.session.flush()
    return offering


def update_offering(offering: Offering, user: User, fields: OfferingFields) -> None:
    """Change an offering; enrolled people's calendars follow (SEQUENCE)."""
    if not can_manage(user, offering):
        raise ServiceError(_l("You do not publish offerings for this organisation."))
    _lock(offering)
    if offering.status == OfferingStatus.CANCELLED:
        raise ServiceError(_l("A cancelled offering cannot be changed."))
    _check(fields, offering)
    _apply(offering, fields)
    offering.sequence += 1
    db.session.flush()
    _move_up_waitlist(offering)  # a raised capacity gives places to those waiting


def publish_offering(offering: Offering, user: User) -> None:
    if not can_manage(user, offering):
        raise ServiceError(_l("You do not publish offerings for this organisation."))
    if offering.status != OfferingStatus.DRAFT:
        raise ServiceError(_l("Only a draft can be published."))
    if not offering.meetings:
        raise ServiceError(_l("Add at least one date before publishing."), "meetings")
    if not offering.themes:
        raise ServiceError(_l("Choose at least one theme before publishing."), "themes")
    offering.status = OfferingStatus.PUBLISHED
    offering.published_at = utcnow()
    db.session.flush()


def cancel_offering(offering: Offering, user: User, message: str) -> int:
    """Cancel the offering; everyone enrolled, waiting or awaiting approval gets the message.
    Returns how many were told."""
    if not can_manage(user, offering):
        raise ServiceError(_l("You do not publish offerings for this organisation."))
    _lock(offering)
    if offering.status != OfferingStatus.PUBLISHED:
        raise ServiceError(_l("Only a published offering can be cancelled."))
    if not message.strip():
        raise ServiceError(_l("Tell the participants why it is cancelled."), "message")
    offering.status = OfferingStatus.CANCELLED
    offering.sequence += 1
    told = 0
    for enrolment in _enrolments(
        offering,
        [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.AWAITING_APPROVAL],
    ):
        enrolment.status = EnrolmentStatus.CANCELLED
        _mail(
            enrolment.user,
            offering,
            "offering_cancelled",
            _l("Cancelled: %(title)s", title=offering.title),
            message=message.strip(),
        )
        told += 1
    offering.enrolled_count = 0
    db.session.flush()
    return told


def complete_offering(offering: Offering, user: User, absent_ids: Sequence[int] = ()) -> int:
    """After the last meeting: the enrolled participants (but those marked absent) complete it
    and its hours go into their development record. Safe to repeat. Returns the number credited."""
    if not can_manage(user, offering):
        raise ServiceError(_l("You do not publish offerings for this organisation."))
    if offering.ends_at is None or offering.ends_at > utcnow():
        raise ServiceError(_l("An offering can be completed after its last meeting."))
    credited = 0
    for enrolment in _enrolments(offering, list(PLACE_HOLDING)):
        if enrolment.user_id in absent_ids:
            continue
        enrolment.status = EnrolmentStatus.COMPLETED
        _credit(offering, enrolment.user_id)
        credited += 1
    offering.completed_at = utcnow()
    db.session.flush()
    return credited


def _credit(offering: Offering, user_id: int) -> None:
    """The offering's hours in the person's record: one entry per offering, updated, never doubled."""
    entry = db.session.scalar(
        sa.select(RecordEntry).where(
            RecordEntry.user_id == user_id,
            RecordEntry.source == RecordSource.OFFERING,
            RecordEntry.source_id == offering.id,
        )
    )
    if entry is None:
        entry = RecordEntry(user_id=user_id, source=RecordSource.OFFERING, source_id=offering.id)
        db.session.add(entry)
    day = to_local(offering.ends_at or utcnow()).date()
    entry.title = offering.title[:200]
    entry.activity_date = day
    entry.school_year = school_year(day)
    entry.contact_minutes = offering.contact_minutes
    entry.self_study_minutes = offering.self_study_minutes


# -- enrolment ---------------------------------------------------------------------------------


def enrolment_of(offering: Offering, user: Any) -> Enrolment | None:
    if not _is_user(user):
        return None
    return db.session.scalar(
        sa.select(Enrolment).where(
            Enrolment.offering_id == offering.id, Enrolment.user_id == user.id
        )
    )


def why_not_enrol(offering: Offering, user: Any) -> Any | None:
    """Why this person cannot enrol (a message), or None when they can."""
    if not _is_user(user):
        return _l("Log in to enrol.")
    if offering.status == OfferingStatus.CANCELLED:
        return _l("This offering was cancelled.")
    if offering.status != OfferingStatus.PUBLISHED:
        return _l("This offering is not published.")
    if offering.starts_at is not None and offering.starts_at <= utcnow():
        return _l("This offering has already started.")
    if offering.scope == EnrolmentScope.OWN_BOARD:
        board = _board_of(offering.provider)
        if board is None or board not in {_board_of(s) for s in schools_of(user)}:
            return _l("This offering is only for teachers of the provider's own board.")
    return None


def enrol(
    offering: Offering, user: User, school: Organisation | None = None, note: str = ""
) -> Enrolment:
    """Enrol: a place if one is free, else the waiting list; when the school pays and its leader
    must approve, the leader decides first. Enrolling again changes nothing."""
    _lock(offering)
    reason = why_not_enrol(offering, user)
    if reason is not None:
        raise ServiceError(reason)
    if len(note) > 500:
        raise ServiceError(_l("The note can be at most 500 characters."), "note")
    needs_school = offering.cost_kind == CostKind.SCHOOL_PAYS
    if needs_school and (school is None or school.id not in {s.id for s in schools_of(user)}):
        raise ServiceError(_l("Choose the school that pays for you."), "school")
    enrolment = _enrolment_row(offering, user)
    if enrolment.status in (
        *PLACE_HOLDING,
        EnrolmentStatus.WAITLISTED,
        EnrolmentStatus.AWAITING_APPROVAL,
    ):
        return enrolment
    enrolment.school_id = school.id if needs_school and school else None
    enrolment.note = note.strip()
    enrolment.decided_by_id = enrolment.decided_at = None
    if needs_school and offering.needs_leader_approval:
        enrolment.status = EnrolmentStatus.AWAITING_APPROVAL
        db.session.flush()
        _ask_leaders(enrolment)
        return enrolment
    _place_or_wait(enrolment)
    return enrolment


def _lock(offering: Offering) -> None:
    """Changes to this offering's places take turns from here to the commit (plc/core/places.py);
    what they check is read afresh."""
    lock_places(Offering.__table__, offering.id)
    db.session.refresh(offering, ["status", "capacity", "enrolled_count"])


def _enrolment_row(offering: Offering, user: User) -> Enrolment:
    """The person's row, made if missing; two simultaneous first enrolments make one row."""
    existing = enrolment_of(offering, user)
    if existing is not None:
        db.session.refresh(existing)  # as it is now, not as this request first read it
        return existing
    try:
        with db.session.begin_nested():
            row = Enrolment(
                offering_id=offering.id, user_id=user.id, status=EnrolmentStatus.CANCELLED
            )
            db.session.add(row)
    except sa.exc.IntegrityError:
        row = enrolment_of(offering, user)
        assert row is not None
    return row


def _place_or_wait(enrolment: Enrolment) -> None:
    if take_place(Offering.__table__, enrolment.offering_id, "enrolled_count"):
        enrolment.status, enrolment.waitlisted_at = EnrolmentStatus.ENROLLED, None
    else:
        enrolment.status, enrolment.waitlisted_at = EnrolmentStatus.WAITLISTED, utcnow()
    db.session.flush()
    db.session.expire(enrolment.offering, ["enrolled_count"])


def cancel_enrolment(enrolment: Enrolment, user: User) -> None:
    """The participant cancels; a freed place goes to the first person waiting."""
    if enrolment.user_id != user.id:
        raise ServiceError(_l("You can only cancel your own enrolment."))
    _lock(enrolment.offering)
    db.session.refresh(enrolment)  # a second click waited for the first: it finds it cancelled
    if enrolment.status == EnrolmentStatus.CANCELLED:
        return
    if enrolment.status == EnrolmentStatus.COMPLETED:
        raise ServiceError(_l("A completed offering cannot be cancelled."))
    held = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status, enrolment.waitlisted_at = EnrolmentStatus.CANCELLED, None
    db.session.flush()
    if held:
        free_place(Offering.__table__, enrolment.offering_id, "enrolled_count")
        _move_up_waitlist(enrolment.offering)
    db.session.expire(enrolment.offering, ["enrolled_count"])


def _move_up_waitlist(offering: Offering) -> list[Enrolment]:
    """Free places go to those waiting, first come first served, each with a mail."""
    promoted: list[Enrolment] = []
    if offering.status != OfferingStatus.PUBLISHED:
        return promoted
    table = Enrolment.__table__
    while True:
        first = db.session.scalar(
            sa.select(Enrolment)
            .where(
                Enrolment.offering_id == offering.id, Enrolment.status == EnrolmentStatus.WAITLISTED
            )
            .order_by(Enrolment.waitlisted_at, Enrolment.id)
            .limit(1)
        )
        if first is None or not take_place(Offering.__table__, offering.id, "enrolled_count"):
            break
        claimed = db.session.execute(
            table.update()
            .where(table.c.id == first.id, table.c.status == EnrolmentStatus.WAITLISTED)
            .values(status=EnrolmentStatus.ENROLLED, waitlisted_at=None, updated_at=utcnow())
        ).rowcount
        if claimed != 1:  # moved up (or cancelled) by someone else meanwhile
            free_place(Offering.__table__, offering.id, "enrolled_count")
            continue
        db.session.refresh(first)
        promoted.append(first)
        _mail(
            first.user,
            offering,
            "offering_place",
            _l("A place for you: %(title)s", title=offering.title),
        )
    db.session.expire(offering, ["enrolled_count"])
    return promoted


def waitlist_position(enrolment: Enrolment) -> int | None:
    if enrolment.status != EnrolmentStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Enrolment)
        .where(
            Enrolment.offering_id == enrolment.offering_id,
            Enrolment.status == EnrolmentStatus.WAITLISTED,
            sa.or_(
                Enrolment.waitlisted_at < enrolment.waitlisted_at,
                sa.and_(
                    Enrolment.waitlisted_at == enrolment.waitlisted_at, Enrolment.id < enrolment.id
                ),
            ),
        )
    )
    return int(ahead or 0) + 1


def _leaders_of(school_id: int) -> list[User]:
    # A subquery, not a join with DISTINCT: PostgreSQL cannot compare the JSON column of users.
    speakers = sa.select(OrganisationMembership.user_id).where(
        OrganisationMembership.organisation_id == school_id,
        OrganisationMembership.status == MembershipStatus.APPROVED,
        OrganisationMembership.role.in_(SCHOOL_ROLES),
    )
    return list(
        db.session.scalars(
            sa.select(User).where(User.id.in_(speakers), User.active.is_(True)).order_by(User.id)
        )
    )


def _ask_leaders(enrolment: Enrolment) -> None:
    assert enrolment.school_id is not None
    for leader in _leaders_of(enrolment.school_id):
        _mail(
            leader,
            enrolment.offering,
            "enrolment_approval",
            _l("Approval asked: %(title)s", title=enrolment.offering.title),
            participant=enrolment.user,
            approvals=external_url("catalogue.approvals"),
        )


def may_decide(enrolment: Enrolment, user: Any) -> bool:
    return enrolment.school_id is not None and enrolment.school_id in {
        s.id for s in schools_of(user, SCHOOL_ROLES)
    }


def decide_enrolment(enrolment: Enrolment, leader: User, *, approve: bool) -> None:
    """The school leader (or HR advisor) approves or declines a paid enrolment."""
    if not may_decide(enrolment, leader):
        raise ServiceError(_l("Only a school leader or HR advisor of the paying school decides."))
    _lock(enrolment.offering)
    db.session.refresh(enrolment)
    if enrolment.status != EnrolmentStatus.AWAITING_APPROVAL:
        raise ServiceError(_l("This enrolment is not waiting for approval (any more)."))
    enrolment.decided_by_id, enrolment.decided_at = leader.id, utcnow()
    if approve:
        _place_or_wait(enrolment)
    else:
        enrolment.status = EnrolmentStatus.DECLINED
        db.session.flush()
    _mail(
        enrolment.user,
        enrolment.offering,
        "enrolment_decided",
        _l("Your enrolment: %(title)s", title=enrolment.offering.title),
        enrolment=enrolment,
    )


def awaiting_approval(leader: User) -> list[Enrolment]:
    """Enrolments the person may approve, oldest first."""
    schools = [s.id for s in schools_of(leader, SCHOOL_ROLES)]
    if not schools:
        return []
    return list(
        db.session.scalars(
            sa.select(Enrolment)
            .where(
                Enrolment.status == EnrolmentStatus.AWAITING_APPROVAL,
                Enrolment.school_id.in_(schools),
            )
            .options(
                joinedload(Enrolment.user),
                joinedload(Enrolment.offering),
                joinedload(Enrolment.school),
            )
            .order_by(Enrolment.created_at)
        )
    )


def _enrolments(offering: Offering, statuses: list[EnrolmentStatus]) -> list[Enrolment]:
    return list(
        db.session.scalars(
            sa.select(Enrolment)
            .where(Enrolment.offering_id == offering.id, Enrolment.status.in_(statuses))
            .options(joinedload(Enrolment.user), joinedload(Enrolment.school))
            .order_by(Enrolment.waitlisted_at, Enrolment.created_at, Enrolment.id)
        )
    )


def participants(offering: Offering) -> dict[EnrolmentStatus, list[Enrolment]]:
    """Everyone who enrolled, by status; the waiting list in its order."""
    grouped: dict[EnrolmentStatus, list[Enrolment]] = {status: [] for status in EnrolmentStatus}
    for enrolment in _enrolments(offering, list(EnrolmentStatus)):
        grouped[enrolment.status].append(enrolment)
    return grouped


def my_enrolments(user: User) -> list[Enrolment]:
    return list(
        db.session.scalars(
            sa.select(Enrolment)
            .where(Enrolment.user_id == user.id, Enrolment.status != EnrolmentStatus.CANCELLED)
            .options(joinedload(Enrolment.offering).joinedload(Offering.provider))
            .order_by(Enrolment.created_at.desc())
        )
    )


def _mail(user: User, offering: Offering, template: str, subject: Any, **context: Any) -> None:
    if not user.active:
        return
    send_mail(
        user.email,
        user.preferred_language,
        subject,
        template,
        user=user,
        offering=offering,
        meetings=[
            (to_local(m.starts_at), to_local(m.ends_at), m.location) for m in offering.meetings
        ],
        url=external_url("catalogue.offering", slug=offering.slug),
        **context,
    )


# -- reading offerings -------------------------------------------------------------------------


def published_filter() -> sa.ColumnElement[bool]:
    return Offering.status.in_([OfferingStatus.PUBLISHED, OfferingStatus.CANCELLED])


def card_options() -> list[Any]:
    return [
        joinedload(Offering.provider),
        selectinload(Offering.themes),
        selectinload(Offering.career_stages),
        selectinload(Offering.school_types),
    ]


def offering_by_slug(slug: str, viewer: Any) -> Offering | None:
    """A published (or cancelled) offering; drafts only for the provider's staff."""
    offering = db.session.scalar(
        sa.select(Offering)
        .where(Offering.slug == slug)
        .options(
            *card_options(),
            selectinload(Offering.domains),
            selectinload(Offering.meetings),
        )
    )
    if offering is None:
        return None
    if offering.status == OfferingStatus.DRAFT and not can_manage(viewer, offering):
        return None
    return offering


# -- learning questions ------------------------------------------------------------------------


@dataclass
class QuestionFields:
    title: str
    body: str = ""
    theme_ids: list[int] = field(default_factory=list)
    domain: CompetenceDomain | None = None
    career_stage: CareerStage | None = None
    school_type: SchoolType | None = None
    urgency: Urgency = Urgency.NORMAL
    visibility: QuestionVisibility = QuestionVisibility.EVERYONE


def _apply_question(question: LearningQuestion, fields: QuestionFields) -> None:
    fields.title, fields.body = fields.title.strip(), fields.body.strip()
    if not fields.title:
        raise ServiceError(_l("Say in one line what you want to learn."), "title")
    if len(fields.title) > 200:
        raise ServiceError(_l("The title can be at most 200 characters."), "title")
    if len(fields.body) > 5000:
        raise ServiceError(_l("The explanation can be at most 5000 characters."), "body")
    themes = chosen_themes(fields.theme_ids, question.themes)
    question.title, question.body = fields.title, fields.body
    question.themes = themes
    question.domain = fields.domain
    question.career_stage = fields.career_stage
    question.school_type = fields.school_type
    question.urgency = fields.urgency
    question.visibility = fields.visibility


def ask(
    user: User, fields: QuestionFields, school: Organisation | None = None, key: str | None = None
) -> LearningQuestion:
    """A new learning question: the person's own, or (for its leader or HR advisor) the school's.
    A resubmitted form (same key) gives the question it made."""
    if school is not None and school.id not in {s.id for s in schools_of(user, SCHOOL_ROLES)}:
        raise ServiceError(_l("Only a school leader or HR advisor asks for the school."), "school")
    if school is None and fields.visibility == QuestionVisibility.SCHOOL and not schools_of(user):
        raise ServiceError(
            _l("You belong to no school yet; choose another visibility."), "visibility"
        )
    if key:
        existing = db.session.scalar(
            sa.select(LearningQuestion).where(LearningQuestion.idempotency_key == key)
        )
        if existing is not None and existing.author_id == user.id:
            return existing
    question = LearningQuestion(
        author_id=user.id, school_id=school.id if school else None, idempotency_key=key or None
    )
    _apply_question(question, fields)
    try:
        with db.session.begin_nested():
            db.session.add(question)
    except sa.exc.IntegrityError:
        existing = db.session.scalar(
            sa.select(LearningQuestion).where(LearningQuestion.idempotency_key == key)
        )
        if existing is None:
            raise
        return existing
    return question


def can_change_question(question: LearningQuestion, user: Any) -> bool:
    if not _is_user(user):
        return False
    if question.author_id == user.id or user.is_admin:
        return True
    return question.school_id is not None and question.school_id in {
        s.id for s in schools_of(user, SCHOOL_ROLES)
    }


def update_question(question: LearningQuestion, user: User, fields: QuestionFields) -> None:
    if not can_change_question(question, user):
        raise ServiceError(_l("Only the asker changes a learning question."))
    _apply_question(question, fields)
    db.session.flush()


def resolve_question(
    question: LearningQuestion,
    user: User,
    status: LearningQuestionStatus,
    resolution: str = "",
    community: Community | None = None,
) -> None:
    """Answered, adopted by a community, closed — or open again."""
    if not can_change_question(question, user):
        raise ServiceError(_l("Only the asker changes a learning question."))
    if status == LearningQuestionStatus.ADOPTED and community is None:
        raise ServiceError(_l("Choose the community that took it up."), "community")
    if len(resolution) > 1000:
        raise ServiceError(_l("At most 1000 characters."), "resolution")
    question.status = status
    question.resolution = resolution.strip() if status != LearningQuestionStatus.OPEN else ""
    question.adopted_by_id = (
        community.id if status == LearningQuestionStatus.ADOPTED and community else None
    )
    db.session.flush()


def visible_filter(user: Any) -> sa.ColumnElement[bool]:
    """Questions this person may see: everyone's (logged in), their own, and those shared with a
    school they belong to (the school's own questions, and personal ones of colleagues)."""
    if not _is_user(user):
        return sa.false()
    if user.is_admin:
        return sa.true()
    my_schools = _memberships(user)
    colleagues = sa.select(OrganisationMembership.user_id).where(
        OrganisationMembership.organisation_id.in_(my_schools),
        OrganisationMembership.status == MembershipStatus.APPROVED,
    )
    return sa.or_(
        LearningQuestion.author_id == user.id,
        LearningQuestion.visibility == QuestionVisibility.EVERYONE,
        sa.and_(
            LearningQuestion.visibility == QuestionVisibility.SCHOOL,
            sa.or_(
                LearningQuestion.school_id.in_(my_schools),
                sa.and_(
                    LearningQuestion.school_id.is_(None), LearningQuestion.author_id.in_(colleagues)
                ),
            ),
        ),
        sa.and_(
            LearningQuestion.visibility == QuestionVisibility.PRIVATE,
            LearningQuestion.school_id.in_(_memberships(user, SCHOOL_ROLES)),
        ),
    )


def question_for(question_id: int, user: Any) -> LearningQuestion | None:
    return db.session.scalar(
        sa.select(LearningQuestion)
        .where(LearningQuestion.id == question_id, visible_filter(user))
        .options(
            selectinload(LearningQuestion.themes),
            joinedload(LearningQuestion.author),
            joinedload(LearningQuestion.school),
        )
    )


def support(question: LearningQuestion, user: User) -> bool:
    """ "I have this question too". Saying it twice (or twice at once) counts once; the asker
    cannot support their own question. Returns whether it was new."""
    if question.author_id == user.id:
        raise ServiceError(_l("This is your own question."))
    if question.status != LearningQuestionStatus.OPEN:
        raise ServiceError(_l("This question is no longer open."))
    try:
        with db.session.begin_nested():
            db.session.add(QuestionSupport(question_id=question.id, user_id=user.id))
    except sa.exc.IntegrityError:
        return False
    _count_support(question, +1)
    return True


def withdraw_support(question: LearningQuestion, user: User) -> None:
    deleted = db.session.execute(
        sa.delete(QuestionSupport).where(
            QuestionSupport.question_id == question.id, QuestionSupport.user_id == user.id
        )
    ).rowcount
    if deleted:
        _count_support(question, -1)


def _count_support(question: LearningQuestion, delta: int) -> None:
    db.session.execute(
        sa.update(LearningQuestion)
        .where(LearningQuestion.id == question.id)
        .values(
            support_count=LearningQuestion.support_count + delta,
            updated_at=LearningQuestion.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(question, ["support_count"])


def supports(question: LearningQuestion, user: Any) -> bool:
    if not _is_user(user):
        return False
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(QuestionSupport)
            .where(QuestionSupport.question_id == question.id, QuestionSupport.user_id == user.id)
        )
        > 0
    )


# -- catalogue pages (views helper) ------------------------------------------------------------
# Queries for the catalogue's pages and the API: the filtered list, a provider's other offerings
# and "my offerings". Each is one statement (plus the fixed eager loads of `card_options`).


class CostFilter(StrEnum):
    FREE = "free"
    PAID = "paid"


@dataclass
class CatalogueFilters:
    """What the catalogue list is narrowed by. Slugs that match nothing give an empty list."""

    q: str = ""
    theme: str | None = None
    format: OfferingFormat | None = None
    provider: str | None = None  #: the provider's slug
    career_stage: CareerStage | None = None
    school_type: SchoolType | None = None
    date_from: date | None = None  #: some meeting on or after this Amsterdam day
    date_until: date | None = None  #: some meeting on or before this Amsterdam day
    cost: CostFilter | None = None
    open_to_all: bool = False


def _amsterdam_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM).astimezone(UTC)


def _with_row(model: Any, column: Any, value: Any) -> sa.ColumnElement[bool]:
    """Offerings that list `value`, or list nothing at all (meant for everyone)."""
    listed = sa.select(model.offering_id)
    return sa.or_(
        Offering.id.in_(listed.where(column == value)),
        ~sa.exists(listed.where(model.offering_id == Offering.id)),
    )


def catalogue_query(filters: CatalogueFilters) -> sa.Select[tuple[Offering]]:
    """Published offerings that have not ended, matching the filters: soonest first, or best
    match first when searching. Past and cancelled offerings stay out of the list (their pages
    remain)."""
    query = sa.select(Offering).where(
        Offering.status == OfferingStatus.PUBLISHED,
        sa.or_(Offering.ends_at.is_(None), Offering.ends_at > utcnow()),
    )
    if filters.theme:
        query = query.where(
            Offering.id.in_(
                sa.select(offering_theme.c.offering_id)
                .join(Theme, Theme.id == offering_theme.c.theme_id)
                .where(Theme.slug == filters.theme)
            )
        )
    if filters.format:
        query = query.where(Offering.format == filters.format)
    if filters.provider:
        query = query.where(
            Offering.provider_id.in_(
                sa.select(Organisation.id).where(Organisation.slug == filters.provider)
            )
        )
    if filters.career_stage:
        query = query.where(
            _with_row(OfferingCareerStage, OfferingCareerStage.career_stage, filters.career_stage)
        )
    if filters.school_type:
        query = query.where(
            _with_row(OfferingSchoolType, OfferingSchoolType.school_type, filters.school_type)
        )
    if filters.date_from or filters.date_until:
        meetings = sa.select(OfferingMeeting.offering_id)
        if filters.date_from:
            meetings = meetings.where(
                OfferingMeeting.ends_at > _amsterdam_midnight(filters.date_from)
            )
        if filters.date_until:
            meetings = meetings.where(
                OfferingMeeting.starts_at
                < _amsterdam_midnight(filters.date_until + timedelta(days=1))
            )
        query = query.where(Offering.id.in_(meetings))
    if filters.cost == CostFilter.FREE:
        query = query.where(Offering.cost_kind == CostKind.FREE)
    elif filters.cost == CostFilter.PAID:
        query = query.where(Offering.cost_kind != CostKind.FREE)
    if filters.open_to_all:
        query = query.where(Offering.scope == EnrolmentScope.EVERYONE)
    found = search_subquery(OFFERING_SEARCH, filters.q)
    if found is not None:
        return query.join(found, found.c.id == Offering.id).order_by(
            found.c.score.desc(), Offering.starts_at, Offering.id
        )
    return query.order_by(Offering.starts_at.is_(None), Offering.starts_at, Offering.id)


def list_options() -> list[Any]:
    """What a card shows: provider (and its board, for the scope badge), themes, meetings."""
    return [
        *card_options(),
        joinedload(Offering.provider).joinedload(Organisation.parent),
        selectinload(Offering.meetings),
        selectinload(Offering.domains),
    ]


def other_offerings(offering: Offering, limit: int = 5) -> list[Offering]:
    """The provider's other published offerings that have not ended, soonest first."""
    return list(
        db.session.scalars(
            sa.select(Offering)
            .where(
                Offering.provider_id == offering.provider_id,
                Offering.id != offering.id,
                Offering.status == OfferingStatus.PUBLISHED,
                sa.or_(Offering.ends_at.is_(None), Offering.ends_at > utcnow()),
            )
            .order_by(Offering.starts_at.is_(None), Offering.starts_at, Offering.id)
            .limit(limit)
        )
    )


def provider_offerings(providers: Sequence[Organisation]) -> list[Offering]:
    """Every offering of these providers, drafts included, newest meetings last."""
    return list(
        db.session.scalars(
            sa.select(Offering)
            .where(Offering.provider_id.in_([p.id for p in providers] or [-1]))
            .options(joinedload(Offering.provider))
            .order_by(Offering.starts_at.desc().nulls_first(), Offering.id.desc())
        )
    )


def filter_providers() -> list[Organisation]:
    """Providers with an offering in the list, for the provider filter."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(
                Organisation.id.in_(
                    sa.select(Offering.provider_id).where(
                        Offering.status == OfferingStatus.PUBLISHED
                    )
                )
            )
            .order_by(Organisation.name)
        )
    )


def filter_themes() -> list[Theme]:
    return list(
        db.session.scalars(
            sa.select(Theme)
            .where(
                Theme.id.in_(
                    sa.select(offering_theme.c.theme_id)
                    .join(Offering, Offering.id == offering_theme.c.offering_id)
                    .where(Offering.status == OfferingStatus.PUBLISHED)
                )
            )
            .order_by(Theme.name_nl)
        )
    )


def enrolment_by_id(enrolment_id: int) -> Enrolment | None:
    return db.session.scalar(
        sa.select(Enrolment)
        .where(Enrolment.id == enrolment_id)
        .options(joinedload(Enrolment.offering), joinedload(Enrolment.user))
    )


# -- learning questions pages (questions helper) -----------------------------------------------


@dataclass
class QuestionFilters:
    """The question list's filters, by their public values (slugs and enum values)."""

    q: str = ""
    theme: str = ""
    domain: CompetenceDomain | None = None
    career_stage: CareerStage | None = None
    school_type: SchoolType | None = None
    #: None: every status.
    status: LearningQuestionStatus | None = LearningQuestionStatus.OPEN
    #: "mine" (asked by me or my school), "school" (asked at a school of mine), or "".
    who: str = ""
    #: "demand" (most "me too"s first) or "newest".
    sort: str = "demand"


def question_list_query(
    filters: QuestionFilters, viewer: Any
) -> sa.Select[tuple[LearningQuestion]]:
    """The questions the viewer may see, filtered; searched with QUESTION_SEARCH."""
    query = sa.select(LearningQuestion).where(visible_filter(viewer))
    if filters.theme:
        query = query.where(LearningQuestion.themes.any(Theme.slug == filters.theme))
    for column, value in (
        (LearningQuestion.domain, filters.domain),
        (LearningQuestion.career_stage, filters.career_stage),
        (LearningQuestion.school_type, filters.school_type),
        (LearningQuestion.status, filters.status),
    ):
        if value is not None:
            query = query.where(column == value)
    if filters.who and _is_user(viewer):
        my_schools = _memberships(viewer)
        if filters.who == "mine":
            query = query.where(
                sa.or_(
                    LearningQuestion.author_id == viewer.id,
                    LearningQuestion.school_id.in_(_memberships(viewer, SCHOOL_ROLES)),
                )
            )
        elif filters.who == "school":
            colleagues = sa.select(OrganisationMembership.user_id).where(
                OrganisationMembership.organisation_id.in_(my_schools),
                OrganisationMembership.status == MembershipStatus.APPROVED,
            )
            query = query.where(
                sa.or_(
                    LearningQuestion.school_id.in_(my_schools),
                    LearningQuestion.author_id.in_(colleagues),
                )
            )
    query = query.options(
        selectinload(LearningQuestion.themes), joinedload(LearningQuestion.school)
    )
    found = search_subquery(QUESTION_SEARCH, filters.q)
    if found is not None:
        return query.join(found, found.c.id == LearningQuestion.id).order_by(
            found.c.score.desc(), LearningQuestion.id.desc()
        )
    if filters.sort == "newest":
        return query.order_by(LearningQuestion.created_at.desc(), LearningQuestion.id.desc())
    return query.order_by(
        LearningQuestion.support_count.desc(),
        LearningQuestion.created_at.desc(),
        LearningQuestion.id.desc(),
    )
