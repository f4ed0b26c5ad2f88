"""Pilot rules: proposing a charter, editing it, the approvals of the participating
organisations, the lifecycle, the timeline, and the queries of the pilot pages.

Lifecycle: proposed → approved (the contact of every participating organisation approves the
current version of the charter; any of them can ask for changes instead) → running → evaluating
→ concluded (with a published evaluation report). Leads can stop a pilot at any step before it
is concluded. Every step is a `PilotEvent` written in the same transaction as the step.

Editing rule:
- While the charter is a proposal (proposed, changes requested) or approved but not started,
  the leads may change all of it. Each change raises `charter_version` and records an EDITED
  event; approvals of an earlier version no longer count, and an approved charter goes back to
  proposed, so that every organisation approves what will actually run. Saving without a change
  changes nothing (no new version, no event).
- While the pilot runs or is being evaluated, only the activities, the evaluation plan, the
  sharing plan and the end date may change: the plan meets reality, but what the organisations
  agreed to (goals, who takes part and what each brings) stays as approved. Such a change
  records an EDITED event and needs no new approval; the version stays the same.
- A concluded or stopped pilot no longer changes; its timeline still takes comments.

Concurrency: each step locks the pilot's row (PostgreSQL; SQLite's write transactions are
serial already) and reads the status and version again, then moves the status with a conditional
UPDATE; a double click or two leads at once make one transition and one event, and the last two
approvals arriving together still approve the pilot.

Functions change the session and flush; the request (or the CLI) commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from plc.auth.models import User
from plc.auth.services import normalise_email
from plc.catalogue import services as catalogue
from plc.catalogue.models import (
    LearningQuestion,
    Offering,
    OfferingStatus,
    QuestionVisibility,
)
from plc.communities import services as communities
from plc.communities.models import (
    Community,
    CommunityMember,
    CommunityStatus,
    MemberRole,
    MemberStatus,
    Visibility,
)
from plc.core.errors import ServiceError
from plc.core.markdown import render_markdown
from plc.core.models import utcnow
from plc.core.urls import site_path
from plc.extensions import db
from plc.knowledge.models import KnowledgeOutput, OutputStatus, OutputType
from plc.knowledge.services import published_filter
from plc.live.access import visible_sessions_filter
from plc.live.models import LiveSession, RoomState, SessionStatus
from plc.notifications.models import NotificationKind
from plc.notifications.services import notify
from plc.organisations import services as organisations
from plc.organisations.models import (
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    OrganisationRole,
)
from plc.pilots.access import (
    access_for,
    awaiting_approval_of,
    lead_ids,
    owned_pilot_ids,
    owner_ids,
    visible_filter,
)
from plc.pilots.models import (
    PROPOSAL_STATUSES,
    Pilot,
    PilotEvent,
    PilotEventKind,
    PilotOrganisation,
    PilotStatus,
    pilot_community,
    pilot_theme,
)
from plc.themes.models import Theme
from plc.themes.services import chosen_themes, unique_slug

MIN_ORGANISATIONS = 2
#: Participating organisations on one charter; a bigger network makes several pilots.
MAX_ORGANISATIONS = 12
#: Longest Markdown text of the charter (goals, activities, plans).
MAX_TEXT = 20_000
#: Longest contribution or dependency of one organisation, and longest timeline comment.
MAX_SHORT = 2_000
MAX_REASON = 1_000
MAX_NOTE = 500
#: Roles that can sponsor a pilot for an organisation (held there or at its board).
SPONSOR_ROLES = (OrganisationRole.SCHOOL_LEADER, OrganisationRole.HR_ADVISOR)
#: Paths under /pilots that a pilot's slug must not take.
RESERVED_SLUGS = frozenset({"voorstellen"})
DEFAULT_SLUG = "pilot"

#: The whole charter may change (and needs approval again).
CHARTER_EDITABLE = (PilotStatus.PROPOSED, PilotStatus.CHANGES_REQUESTED, PilotStatus.APPROVED)
#: Only the running part may change (activities, plans, end date).
RUNNING_EDITABLE = (PilotStatus.RUNNING, PilotStatus.EVALUATING)
#: Statuses a pilot can be stopped from.
STOPPABLE = (
    PilotStatus.PROPOSED,
    PilotStatus.CHANGES_REQUESTED,
    PilotStatus.APPROVED,
    PilotStatus.RUNNING,
    PilotStatus.EVALUATING,
)
ENDED = (PilotStatus.CONCLUDED, PilotStatus.STOPPED)


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


# -- what a writer fills in ----------------------------------------------------------------------


@dataclass
class ParticipantFields:
    """One participating organisation: who speaks for it, who sponsors it, what it brings and
    what it needs from the others."""

    organisation_id: int
    contact_id: int | None = None
    sponsor_id: int | None = None
    contribution: str = ""
    dependency: str = ""


@dataclass
class CharterFields:
    title: str
    summary: str = ""
    goals: str = ""
    activities: str = ""
    evaluation_plan: str = ""
    sharing_plan: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    community_ids: list[int] = field(default_factory=list)
    theme_ids: list[int] = field(default_factory=list)
    question_ids: list[int] = field(default_factory=list)
    offering_ids: list[int] = field(default_factory=list)
    participants: list[ParticipantFields] = field(default_factory=list)
    #: What changed, for the timeline (edits only).
    change_note: str = ""


@dataclass
class RunningFields:
    """What may change while the pilot runs."""

    activities: str = ""
    evaluation_plan: str = ""
    sharing_plan: str = ""
    ends_on: date | None = None
    change_note: str = ""


def participant_field(index: int, name: str) -> str:
    """The error field of one participant's value: the view maps it to the row it came from."""
    return f"participants.{index}.{name}"


def fields_of(pilot: Pilot) -> CharterFields:
    """The charter as it is, to fill the edit form."""
    return CharterFields(
        title=pilot.title,
        summary=pilot.summary,
        goals=pilot.goals,
        activities=pilot.activities,
        evaluation_plan=pilot.evaluation_plan,
        sharing_plan=pilot.sharing_plan,
        starts_on=pilot.starts_on,
        ends_on=pilot.ends_on,
        community_ids=[c.id for c in pilot.communities],
        theme_ids=[t.id for t in pilot.themes],
        question_ids=[q.id for q in pilot.questions],
        offering_ids=[o.id for o in pilot.offerings],
        participants=[
            ParticipantFields(
                organisation_id=row.organisation_id,
                contact_id=row.contact_id,
                sponsor_id=row.sponsor_id,
                contribution=row.contribution,
                dependency=row.dependency,
            )
            for row in pilot.participants
        ],
    )


# -- finding organisations and people from what was typed ----------------------------------------


def find_organisation(text: str, field_name: str) -> Organisation:
    """The organisation with this exact name, DUO location code or slug."""
    try:
        return organisations.find_by_name_or_code(text)
    except ServiceError as error:
        error.field = field_name
        raise


def _people_with_roles(
    organisation_ids: list[int], roles: Sequence[OrganisationRole] | None
) -> sa.Select[tuple[int]]:
    query = sa.select(OrganisationMembership.user_id).where(
        OrganisationMembership.organisation_id.in_(organisation_ids),
        OrganisationMembership.status == MembershipStatus.APPROVED,
    )
    if roles is not None:
        query = query.where(OrganisationMembership.role.in_(roles))
    return query


def _sponsor_organisation_ids(organisation: Organisation) -> list[int]:
    return [organisation.id] + ([organisation.parent_id] if organisation.parent_id else [])


def find_person(
    text: str, organisation: Organisation, *, sponsor: bool, field_name: str
) -> User | None:
    """The person typed in a charter row, by e-mail address or by name, looked for among the
    approved members of the organisation (a contact) or its school leaders and HR advisors and
    those of its board (a sponsor). Empty text is nobody. Looking only there means a name
    shared with someone elsewhere does not matter, and typing an address says nothing about
    accounts outside the organisation."""
    text = text.strip()
    if not text:
        return None
    if sponsor:
        holders = _people_with_roles(_sponsor_organisation_ids(organisation), SPONSOR_ROLES)
    else:
        holders = _people_with_roles([organisation.id], None)
    query = sa.select(User).where(User.id.in_(holders), User.active.is_(True))
    if "@" in text:
        try:
            address = normalise_email(text)
        except ServiceError as error:
            error.field = field_name
            raise
        query = query.where(User.email == address)
    else:
        query = query.where(sa.func.lower(User.display_name) == text.lower())
    found = list(db.session.scalars(query.limit(2)))
    if len(found) > 1:
        raise ServiceError(
            _l(
                "Several people at %(organisation)s have that name: type their e-mail address.",
                organisation=organisation.name,
            ),
            field_name,
        )
    if not found:
        if sponsor:
            message = _l(
                "Nobody with that name or e-mail address is an approved school leader or HR "
                "advisor of %(organisation)s or its board.",
                organisation=organisation.name,
            )
        else:
            message = _l(
                "Nobody with that name or e-mail address is an approved member of "
                "%(organisation)s.",
                organisation=organisation.name,
            )
        raise ServiceError(message, field_name)
    return found[0]


def contact_suggestions(organisation: Organisation) -> list[User]:
    """Who can be the organisation's contact: its approved members."""
    return organisations.people_of([organisation.id])


def sponsor_suggestions(organisation: Organisation) -> list[User]:
    """Who can sponsor for the organisation: school leaders and HR advisors there or at its
    board."""
    return organisations.people_of(_sponsor_organisation_ids(organisation), list(SPONSOR_ROLES))


def organisation_names() -> list[str]:
    """Every organisation's name, for the suggestions of the organisation field."""
    return list(db.session.scalars(sa.select(Organisation.name).order_by(Organisation.name)))


# -- what a writer may choose ---------------------------------------------------------------------


def facilitated_communities(user: Any) -> list[Community]:
    """Communities this person facilitates (or owns), open ones only: where a pilot can start."""
    if not _is_user(user):
        return []
    return list(
        db.session.scalars(
            sa.select(Community)
            .join(CommunityMember, CommunityMember.community_id == Community.id)
            .where(
                CommunityMember.user_id == user.id,
                CommunityMember.status == MemberStatus.ACTIVE,
                CommunityMember.role.in_([MemberRole.FACILITATOR, MemberRole.OWNER]),
                Community.status != CommunityStatus.CLOSED,
            )
            .order_by(Community.name)
        )
    )


def can_propose_from(user: Any, community: Community) -> bool:
    """A facilitator (or owner) of the community, or a platform admin, while it is not closed."""
    if not _is_user(user) or community.is_closed:
        return False
    return communities.access_for(community, user).can_facilitate


def community_choices(user: Any, pilot: Pilot | None, extra: Community | None) -> list[Community]:
    """Communities a charter can name: those the writer facilitates, those already named, and
    the one the proposal started from."""
    found = {c.id: c for c in facilitated_communities(user)}
    if pilot is not None:
        found.update({c.id: c for c in pilot.communities})
    if extra is not None:
        found[extra.id] = extra
    return sorted(found.values(), key=lambda c: c.name.lower())


def question_choices(
    user: Any, chosen: Sequence[Community], kept: Iterable[LearningQuestion] = ()
) -> list[LearningQuestion]:
    """Learning questions to start from: the open ones that fit the communities (as the
    knowledge form suggests them), those the communities adopted, and those already linked —
    all of them ones the writer may see."""
    from plc.catalogue import matching

    found: dict[int, LearningQuestion] = {q.id: q for q in kept}
    for community in chosen:
        found.update({q.id: q for q in matching.questions_for_community(community, user, 15)})
    if chosen:
        adopted = db.session.scalars(
            sa.select(LearningQuestion)
            .where(
                LearningQuestion.adopted_by_id.in_([c.id for c in chosen]),
                catalogue.visible_filter(user),
            )
            .limit(50)
        )
        found.update({q.id: q for q in adopted})
    return sorted(found.values(), key=lambda q: q.title.lower())


def offering_choices(
    theme_ids: Collection[int], organisation_ids: Collection[int], kept: Iterable[Offering] = ()
) -> list[Offering]:
    """Published offerings a charter can link: those of the participating organisations, those
    on the pilot's themes, and those already linked."""
    from plc.catalogue.models import offering_theme

    found: dict[int, Offering] = {o.id: o for o in kept}
    conditions = []
    if organisation_ids:
        conditions.append(Offering.provider_id.in_(list(organisation_ids)))
    if theme_ids:
        conditions.append(
            Offering.id.in_(
                sa.select(offering_theme.c.offering_id).where(
                    offering_theme.c.theme_id.in_(list(theme_ids))
                )
            )
        )
    if conditions:
        rows = db.session.scalars(
            sa.select(Offering)
            .where(Offering.status == OfferingStatus.PUBLISHED, sa.or_(*conditions))
            .options(joinedload(Offering.provider))
            .order_by(Offering.title)
            .limit(60)
        )
        found.update({o.id: o for o in rows})
    return sorted(found.values(), key=lambda o: o.title.lower())


def visible_questions_by_id(ids: Collection[int], user: Any) -> list[LearningQuestion]:
    """The questions with these ids that this person may see (ticked in a re-shown form)."""
    return list(
        db.session.scalars(
            sa.select(LearningQuestion).where(
                LearningQuestion.id.in_(list(ids)), catalogue.visible_filter(user)
            )
        )
    )


def published_offerings_by_id(ids: Collection[int]) -> list[Offering]:
    return list(
        db.session.scalars(
            sa.select(Offering)
            .where(Offering.id.in_(list(ids)), Offering.status == OfferingStatus.PUBLISHED)
            .options(joinedload(Offering.provider))
        )
    )


# -- checking a charter ---------------------------------------------------------------------------


@dataclass
class _Checked:
    communities: list[Community]
    themes: list[Theme]
    questions: list[LearningQuestion]
    offerings: list[Offering]
    participants: list[ParticipantFields]


def _clean_texts(fields: CharterFields) -> None:
    fields.title = fields.title.strip()
    fields.summary = fields.summary.strip()
    fields.change_note = fields.change_note.strip()
    if not fields.title:
        raise ServiceError(_l("Give the pilot a title."), "title")
    if len(fields.title) > 200:
        raise ServiceError(_l("The title can be at most 200 characters."), "title")
    if len(fields.summary) > 500:
        raise ServiceError(_l("The summary can be at most 500 characters."), "summary")
    for name in ("goals", "activities", "evaluation_plan", "sharing_plan"):
        if len(getattr(fields, name)) > MAX_TEXT:
            raise ServiceError(
                _l("This text can be at most %(num)d characters.", num=MAX_TEXT), name
            )
    if len(fields.change_note) > MAX_NOTE:
        raise ServiceError(
            _l("The note can be at most %(num)d characters.", num=MAX_NOTE), "change_note"
        )


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is None:
        raise ServiceError(_l("Give the start date."), "starts_on")
    if ends_on is None:
        raise ServiceError(_l("Give the end date."), "ends_on")
    if ends_on < starts_on:
        raise ServiceError(_l("The end date cannot be before the start date."), "ends_on")


def _check_communities(fields: CharterFields, user: User, pilot: Pilot | None) -> list[Community]:
    wanted = list(dict.fromkeys(fields.community_ids))
    if not wanted:
        raise ServiceError(
            _l("Choose the community (or communities) the pilot grows from."), "communities"
        )
    kept = {c.id: c for c in pilot.communities} if pilot is not None else {}
    found = {
        c.id: c for c in db.session.scalars(sa.select(Community).where(Community.id.in_(wanted)))
    }
    allowed = set(kept)
    if user.is_admin:
        allowed |= set(found)
    else:
        allowed |= {c.id for c in facilitated_communities(user)}
    if any(community_id not in found or community_id not in allowed for community_id in wanted):
        raise ServiceError(
            _l("Choose communities you facilitate (or that the pilot already has)."),
            "communities",
        )
    return [found[community_id] for community_id in wanted]


def _check_questions(fields: CharterFields, user: User, pilot: Pilot | None) -> list[Any]:
    wanted = set(fields.question_ids)
    kept = [q for q in pilot.questions if q.id in wanted] if pilot is not None else []
    new_ids = wanted - {q.id for q in kept}
    found = list(
        db.session.scalars(
            sa.select(LearningQuestion).where(
                LearningQuestion.id.in_(new_ids or [-1]), catalogue.visible_filter(user)
            )
        )
    )
    if len(found) != len(new_ids):
        raise ServiceError(_l("Choose learning questions from the list."), "questions")
    return sorted(kept + found, key=lambda q: q.id)


def _check_offerings(fields: CharterFields, pilot: Pilot | None) -> list[Offering]:
    wanted = set(fields.offering_ids)
    kept = [o for o in pilot.offerings if o.id in wanted] if pilot is not None else []
    new_ids = wanted - {o.id for o in kept}
    found = list(
        db.session.scalars(
            sa.select(Offering).where(
                Offering.id.in_(new_ids or [-1]), Offering.status == OfferingStatus.PUBLISHED
            )
        )
    )
    if len(found) != len(new_ids):
        raise ServiceError(_l("Choose published offerings from the list."), "offerings")
    return sorted(kept + found, key=lambda o: o.id)


def _check_participants(rows: list[ParticipantFields]) -> list[ParticipantFields]:
    if len(rows) < MIN_ORGANISATIONS:
        raise ServiceError(
            _l(
                "Name at least two participating organisations: a pilot is owned together by "
                "two or more schools, academies or training schools."
            ),
            "organisations",
        )
    if len(rows) > MAX_ORGANISATIONS:
        raise ServiceError(
            _l("A pilot can have at most %(num)d organisations.", num=MAX_ORGANISATIONS),
            "organisations",
        )
    ids = [row.organisation_id for row in rows]
    found = {
        o.id: o for o in db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids)))
    }
    seen: set[int] = set()
    for index, row in enumerate(rows):
        organisation = found.get(row.organisation_id)
        if organisation is None:
            raise ServiceError(
                _l("Choose an organisation from the suggestions."),
                participant_field(index, "organisation"),
            )
        if organisation.id in seen:
            raise ServiceError(
                _l("%(name)s is named twice.", name=organisation.name),
                participant_field(index, "organisation"),
            )
        seen.add(organisation.id)
        _check_people(index, row, organisation)
        row.contribution = row.contribution.strip()
        row.dependency = row.dependency.strip()
        for name in ("contribution", "dependency"):
            if len(getattr(row, name)) > MAX_SHORT:
                raise ServiceError(
                    _l("This text can be at most %(num)d characters.", num=MAX_SHORT),
                    participant_field(index, name),
                )
    return rows


def _check_people(index: int, row: ParticipantFields, organisation: Organisation) -> None:
    if row.contact_id is None:
        raise ServiceError(
            _l(
                "Name the contact of %(organisation)s: the person who approves the charter for it.",
                organisation=organisation.name,
            ),
            participant_field(index, "contact"),
        )
    if not _holds_role(row.contact_id, [organisation.id], None):
        raise ServiceError(
            _l(
                "The contact must be an approved member of %(organisation)s.",
                organisation=organisation.name,
            ),
            participant_field(index, "contact"),
        )
    if row.sponsor_id is not None and not _holds_role(
        row.sponsor_id, _sponsor_organisation_ids(organisation), SPONSOR_ROLES
    ):
        raise ServiceError(
            _l(
                "The sponsor must be an approved school leader or HR advisor of "
                "%(organisation)s or its board.",
                organisation=organisation.name,
            ),
            participant_field(index, "sponsor"),
        )


def _holds_role(
    user_id: int, organisation_ids: list[int], roles: Sequence[OrganisationRole] | None
) -> bool:
    """An active account with an approved role (any, or one of `roles`) in the organisations."""
    holders = _people_with_roles(organisation_ids, roles)
    return (
        db.session.scalar(
            sa.select(User.id).where(
                User.id == user_id, User.active.is_(True), User.id.in_(holders)
            )
        )
        is not None
    )


def _check_charter(fields: CharterFields, user: User, pilot: Pilot | None) -> _Checked:
    """Everything a charter must be, before anything is written."""
    _clean_texts(fields)
    _check_dates(fields.starts_on, fields.ends_on)
    chosen = _check_communities(fields, user, pilot)
    themes = chosen_themes(fields.theme_ids, pilot.themes if pilot is not None else [])
    questions = _check_questions(fields, user, pilot)
    offerings = _check_offerings(fields, pilot)
    participants = _check_participants(fields.participants)
    return _Checked(chosen, themes, questions, offerings, participants)


# -- writing the charter --------------------------------------------------------------------------


def _apply_charter(pilot: Pilot, fields: CharterFields, checked: _Checked) -> None:
    pilot.title = fields.title
    pilot.summary = fields.summary
    for name in ("goals", "activities", "evaluation_plan", "sharing_plan"):
        source = getattr(fields, name)
        setattr(pilot, name, source)
        setattr(pilot, f"{name}_html", render_markdown(source))
    assert fields.starts_on is not None and fields.ends_on is not None
    pilot.starts_on, pilot.ends_on = fields.starts_on, fields.ends_on
    pilot.communities = checked.communities
    pilot.themes = checked.themes
    pilot.questions = checked.questions
    pilot.offerings = checked.offerings
    existing = {row.organisation_id: row for row in pilot.participants}
    rows = []
    for position, wanted in enumerate(checked.participants):
        row = existing.get(wanted.organisation_id) or PilotOrganisation(
            organisation_id=wanted.organisation_id
        )
        row.position = position
        row.contact_id = wanted.contact_id
        row.sponsor_id = wanted.sponsor_id
        row.contribution = wanted.contribution
        row.dependency = wanted.dependency
        rows.append(row)
    pilot.participants = rows


def _snapshot(pilot: Pilot) -> tuple[Any, ...]:
    """What the organisations approve, to tell a real change from a save without one."""
    return (
        pilot.title,
        pilot.summary,
        pilot.goals,
        pilot.activities,
        pilot.evaluation_plan,
        pilot.sharing_plan,
        pilot.starts_on,
        pilot.ends_on,
        tuple(sorted(c.id for c in pilot.communities)),
        tuple(sorted(t.id for t in pilot.themes)),
        tuple(sorted(q.id for q in pilot.questions)),
        tuple(sorted(o.id for o in pilot.offerings)),
        tuple(
            (r.organisation_id, r.contact_id, r.sponsor_id, r.contribution, r.dependency)
            for r in pilot.participants
        ),
    )


def _record(
    pilot: Pilot,
    kind: PilotEventKind,
    actor: User | None,
    *,
    organisation_id: int | None = None,
    comment: str = "",
    version: int | None = None,
) -> PilotEvent:
    event = PilotEvent(
        pilot_id=pilot.id,
        kind=kind,
        actor_id=actor.id if actor is not None else None,
        organisation_id=organisation_id,
        charter_version=version if version is not None else pilot.charter_version,
        comment=comment.strip()[:MAX_SHORT],
    )
    db.session.add(event)
    db.session.flush()
    return event


def pilot_path(pilot: Pilot) -> str:
    return site_path("pilots.show", slug=pilot.slug)


def _notify(user_ids: Iterable[int], kind: NotificationKind, actor: User, pilot: Pilot) -> None:
    link = pilot_path(pilot)
    for user_id in sorted(set(user_ids) - {actor.id}):
        notify(user_id, kind, actor_id=actor.id, detail=pilot.title, link=link)


def _contact_ids(pilot: Pilot) -> set[int]:
    return {row.contact_id for row in pilot.participants if row.contact_id is not None}


def propose(user: User, fields: CharterFields) -> Pilot:
    """A new charter, proposed to every participating organisation's contact for approval. The
    proposer facilitates the communities it grows from (or is a platform admin)."""
    checked = _check_charter(fields, user, None)
    now = utcnow()
    pilot = Pilot(
        slug=unique_slug(
            Pilot.slug, fields.title, default=DEFAULT_SLUG, reserved=RESERVED_SLUGS, suffix="pilot"
        ),
        status=PilotStatus.PROPOSED,
        charter_version=1,
        proposed_by_id=user.id,
        status_changed_at=now,
    )
    _apply_charter(pilot, fields, checked)
    db.session.add(pilot)
    db.session.flush()
    _record(pilot, PilotEventKind.PROPOSED, user, comment=fields.change_note)
    _notify(_contact_ids(pilot), NotificationKind.PILOT_APPROVAL, user, pilot)
    return pilot


def _require_lead(pilot: Pilot, user: User) -> None:
    if not access_for(pilot, user).is_lead:
        raise ServiceError(
            _l(
                "Only the pilot's leads can do this: its proposer, the organisations' contacts "
                "and the facilitators of its communities."
            )
        )


def _lock(pilot: Pilot) -> tuple[PilotStatus, int]:
    """Lock the pilot's row (PostgreSQL) and read its status and version as they are now:
    a step that waited for another one sees what that one did. SQLite needs no lock (its write
    transactions run one at a time) and ignores FOR UPDATE."""
    status, version = db.session.execute(
        sa.select(Pilot.status, Pilot.charter_version).where(Pilot.id == pilot.id).with_for_update()
    ).one()
    set_committed_value(pilot, "status", status)
    set_committed_value(pilot, "charter_version", version)
    return status, version


def _move(pilot: Pilot, allowed: Collection[PilotStatus], to: PilotStatus, **values: Any) -> None:
    """Change the status only if it is still one of `allowed` (a conditional UPDATE): of two
    simultaneous requests for the same step, one moves the pilot and the other is told it
    already moved."""
    now = utcnow()
    moved = db.session.execute(
        sa.update(Pilot)
        .where(Pilot.id == pilot.id, Pilot.status.in_(list(allowed)))
        .values(status=to, status_changed_at=now, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise ServiceError(_l("The pilot has already moved on; reload the page to see where."))
    for name, value in {
        "status": to,
        "status_changed_at": now,
        "updated_at": now,
        **values,
    }.items():
        set_committed_value(pilot, name, value)


def update_charter(pilot: Pilot, user: User, fields: CharterFields) -> bool:
    """Change the charter (see the editing rule above). Returns False when nothing changed."""
    _require_lead(pilot, user)
    status, version = _lock(pilot)
    if status not in CHARTER_EDITABLE:
        if status in RUNNING_EDITABLE:
            raise ServiceError(
                _l(
                    "While the pilot runs, only its activities, evaluation plan, sharing plan "
                    "and end date can change."
                )
            )
        raise ServiceError(_l("A concluded or stopped pilot can no longer change."))
    checked = _check_charter(fields, user, pilot)
    before = _snapshot(pilot)
    approved_before = {
        row.contact_id
        for row in pilot.participants
        if row.contact_id is not None and row.approved_version == version
    }
    _apply_charter(pilot, fields, checked)
    if _snapshot(pilot) == before:
        return False
    pilot.charter_version = version + 1
    db.session.flush()
    if status == PilotStatus.APPROVED:
        _move(pilot, [PilotStatus.APPROVED], PilotStatus.PROPOSED)
    _record(pilot, PilotEventKind.EDITED, user, comment=fields.change_note)
    if pilot.status == PilotStatus.PROPOSED:
        # Those who approved the earlier version must approve again; the others were asked
        # already and will find the new version when they open the charter.
        still_contacts = approved_before & _contact_ids(pilot)
        _notify(still_contacts, NotificationKind.PILOT_APPROVAL, user, pilot)
    return True


def update_running_charter(pilot: Pilot, user: User, fields: RunningFields) -> bool:
    """While the pilot runs or is being evaluated: the activities, plans and end date. No new
    approval; the timeline records the change. Returns False when nothing changed."""
    _require_lead(pilot, user)
    status, _version = _lock(pilot)
    if status not in RUNNING_EDITABLE:
        raise ServiceError(_l("Only a running pilot, or one being evaluated, changes this way."))
    fields.change_note = fields.change_note.strip()
    for name in ("activities", "evaluation_plan", "sharing_plan"):
        if len(getattr(fields, name)) > MAX_TEXT:
            raise ServiceError(
                _l("This text can be at most %(num)d characters.", num=MAX_TEXT), name
            )
    if len(fields.change_note) > MAX_NOTE:
        raise ServiceError(
            _l("The note can be at most %(num)d characters.", num=MAX_NOTE), "change_note"
        )
    _check_dates(pilot.starts_on, fields.ends_on)
    before = (pilot.activities, pilot.evaluation_plan, pilot.sharing_plan, pilot.ends_on)
    after = (fields.activities, fields.evaluation_plan, fields.sharing_plan, fields.ends_on)
    if before == after:
        return False
    for name in ("activities", "evaluation_plan", "sharing_plan"):
        source = getattr(fields, name)
        setattr(pilot, name, source)
        setattr(pilot, f"{name}_html", render_markdown(source))
    assert fields.ends_on is not None
    pilot.ends_on = fields.ends_on
    db.session.flush()
    _record(pilot, PilotEventKind.EDITED, user, comment=fields.change_note)
    return True


# -- approvals ------------------------------------------------------------------------------------


def _contact_row(pilot: Pilot, user: User, organisation_id: int) -> PilotOrganisation:
    row = next((r for r in pilot.participants if r.organisation_id == organisation_id), None)
    if row is None:
        raise ServiceError(_l("That organisation does not take part in this pilot."))
    if row.contact_id != user.id:
        raise ServiceError(
            _l(
                "Only the contact of %(organisation)s can approve or ask for changes for it.",
                organisation=row.organisation.name,
            )
        )
    return row


def is_approved(row: PilotOrganisation, pilot: Pilot) -> bool:
    """The organisation approved the charter as it is now."""
    return row.approved_version is not None and row.approved_version == pilot.charter_version


def approve(
    pilot: Pilot, user: User, organisation_id: int, version: int, comment: str = ""
) -> bool:
    """The contact approves the charter version they read, for their organisation. When it is
    the last approval, the pilot is approved and its owners hear so. Returns True then."""
    row = _contact_row(pilot, user, organisation_id)
    status, current = _lock(pilot)
    if status == PilotStatus.CHANGES_REQUESTED:
        raise ServiceError(
            _l("Changes were asked for: the charter will change before it is approved.")
        )
    if status != PilotStatus.PROPOSED:
        raise ServiceError(_l("This charter is no longer waiting for approval."))
    if version != current:
        raise ServiceError(
            _l(
                "The charter changed since you opened it (it is now version %(num)d). Read it "
                "again before you approve.",
                num=current,
            )
        )
    now = utcnow()
    approved = db.session.execute(
        sa.update(PilotOrganisation)
        .where(
            PilotOrganisation.id == row.id,
            sa.or_(
                PilotOrganisation.approved_version.is_(None),
                PilotOrganisation.approved_version != current,
            ),
        )
        .values(approved_version=current, approved_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if approved != 1:
        raise ServiceError(
            _l(
                "You already approved this version for %(organisation)s.",
                organisation=row.organisation.name,
            )
        )
    set_committed_value(row, "approved_version", current)
    set_committed_value(row, "approved_at", now)
    _record(
        pilot, PilotEventKind.APPROVED_BY, user, organisation_id=organisation_id, comment=comment
    )
    waiting = db.session.scalar(
        sa.select(sa.func.count(PilotOrganisation.id)).where(
            PilotOrganisation.pilot_id == pilot.id,
            sa.or_(
                PilotOrganisation.approved_version.is_(None),
                PilotOrganisation.approved_version != current,
            ),
        )
    )
    if waiting:
        return False
    _move(pilot, [PilotStatus.PROPOSED], PilotStatus.APPROVED)
    _record(pilot, PilotEventKind.APPROVED, user)
    _notify(owner_ids(pilot), NotificationKind.PILOT_STEP, user, pilot)
    return True


def request_changes(pilot: Pilot, user: User, organisation_id: int, comment: str) -> None:
    """A contact asks, for their organisation, for changes to the charter (what, in the
    comment). The leads hear so; the charter waits for their change and a resubmission."""
    comment = comment.strip()
    if not comment:
        raise ServiceError(_l("Say what should change in the charter."), "comment")
    if len(comment) > MAX_SHORT:
        raise ServiceError(
            _l("The comment can be at most %(num)d characters.", num=MAX_SHORT), "comment"
        )
    _contact_row(pilot, user, organisation_id)
    status, _version = _lock(pilot)
    if status not in (PilotStatus.PROPOSED, PilotStatus.APPROVED):
        raise ServiceError(_l("Changes can only be asked for before the pilot starts."))
    _move(pilot, [PilotStatus.PROPOSED, PilotStatus.APPROVED], PilotStatus.CHANGES_REQUESTED)
    _record(
        pilot,
        PilotEventKind.CHANGES_REQUESTED,
        user,
        organisation_id=organisation_id,
        comment=comment,
    )
    _notify(lead_ids(pilot), NotificationKind.PILOT_CHANGES, user, pilot)


def changes_requested_version(pilot: Pilot) -> int | None:
    """The charter version the last request for changes was about."""
    return db.session.scalar(
        sa.select(sa.func.max(PilotEvent.charter_version)).where(
            PilotEvent.pilot_id == pilot.id,
            PilotEvent.kind == PilotEventKind.CHANGES_REQUESTED,
        )
    )


def resubmit(pilot: Pilot, user: User, comment: str = "") -> None:
    """After the asked-for changes: the charter goes to every contact for approval again."""
    _require_lead(pilot, user)
    status, version = _lock(pilot)
    if status != PilotStatus.CHANGES_REQUESTED:
        raise ServiceError(_l("Only a charter with changes asked for can be sent again."))
    asked_on = changes_requested_version(pilot)
    if asked_on is not None and version <= asked_on:
        raise ServiceError(
            _l("Change the charter first: the organisations asked for changes to this version.")
        )
    _move(pilot, [PilotStatus.CHANGES_REQUESTED], PilotStatus.PROPOSED)
    _record(pilot, PilotEventKind.PROPOSED, user, comment=comment)
    _notify(_contact_ids(pilot), NotificationKind.PILOT_APPROVAL, user, pilot)


# -- the lifecycle --------------------------------------------------------------------------------


def _step(
    pilot: Pilot,
    user: User,
    allowed: Collection[PilotStatus],
    to: PilotStatus,
    kind: PilotEventKind,
    refusal: Any,
    comment: str = "",
    **values: Any,
) -> None:
    _require_lead(pilot, user)
    status, _version = _lock(pilot)
    if status not in allowed:
        raise ServiceError(refusal)
    _move(pilot, allowed, to, **values)
    _record(pilot, kind, user, comment=comment)
    _notify(owner_ids(pilot), NotificationKind.PILOT_STEP, user, pilot)


def start(pilot: Pilot, user: User, comment: str = "") -> None:
    """Approved → running."""
    _step(
        pilot,
        user,
        [PilotStatus.APPROVED],
        PilotStatus.RUNNING,
        PilotEventKind.STARTED,
        _l("Only an approved pilot can start."),
        comment,
    )


def start_evaluation(pilot: Pilot, user: User, comment: str = "") -> None:
    """Running → evaluating."""
    _step(
        pilot,
        user,
        [PilotStatus.RUNNING],
        PilotStatus.EVALUATING,
        PilotEventKind.EVALUATING,
        _l("Only a running pilot can move on to its evaluation."),
        comment,
    )


def _concluded_other(pilot: Pilot) -> sa.Select[tuple[int | None]]:
    """SQL: reports that concluded another pilot (they evaluate that one, not this one)."""
    return sa.select(Pilot.evaluation_report_id).where(
        Pilot.id != pilot.id, Pilot.evaluation_report_id.is_not(None)
    )


def evaluation_reports(pilot: Pilot) -> list[KnowledgeOutput]:
    """Published evaluation reports of the pilot's communities that the public may read and
    that did not conclude another pilot: what can conclude this one."""
    return list(
        db.session.scalars(
            sa.select(KnowledgeOutput)
            .where(
                published_filter(),
                KnowledgeOutput.output_type == OutputType.EVALUATION_REPORT,
                KnowledgeOutput.community_id.in_(
                    sa.select(pilot_community.c.community_id).where(
                        pilot_community.c.pilot_id == pilot.id
                    )
                ),
                KnowledgeOutput.id.not_in(_concluded_other(pilot)),
            )
            .options(joinedload(KnowledgeOutput.community))
            .order_by(KnowledgeOutput.published_at.desc(), KnowledgeOutput.id.desc())
        )
    )


def _check_report(pilot: Pilot, output_id: int | None) -> KnowledgeOutput:
    output = db.session.get(KnowledgeOutput, output_id) if output_id else None
    if output is None:
        if not evaluation_reports(pilot):
            raise ServiceError(
                _l(
                    "To conclude, one of the pilot's communities first publishes its evaluation "
                    "report in the knowledge base (a knowledge output of the type evaluation "
                    "report)."
                ),
                "report",
            )
        raise ServiceError(_l("Choose the evaluation report."), "report")
    community_ids = set(
        db.session.scalars(
            sa.select(pilot_community.c.community_id).where(pilot_community.c.pilot_id == pilot.id)
        )
    )
    if output.community_id not in community_ids:
        raise ServiceError(
            _l("That knowledge output does not come from one of the pilot's communities."),
            "report",
        )
    if output.output_type != OutputType.EVALUATION_REPORT:
        raise ServiceError(_l("That knowledge output is not an evaluation report."), "report")
    if output.status != OutputStatus.PUBLISHED:
        raise ServiceError(
            _l(
                "That evaluation report is not published yet: it is still being written or reviewed."
            ),
            "report",
        )
    if db.session.scalar(
        sa.select(sa.exists(_concluded_other(pilot).where(Pilot.evaluation_report_id == output.id)))
    ):
        raise ServiceError(_l("That evaluation report already concluded another pilot."), "report")
    if output.community.visibility == Visibility.INVITE:
        raise ServiceError(
            _l(
                "That evaluation report belongs to an invite-only community, so other schools "
                "cannot read it."
            ),
            "report",
        )
    return output


def conclude(pilot: Pilot, user: User, output_id: int | None, comment: str = "") -> None:
    """Evaluating → concluded, with its published evaluation report."""
    _require_lead(pilot, user)
    status, _version = _lock(pilot)
    if status != PilotStatus.EVALUATING:
        raise ServiceError(_l("Only a pilot that is being evaluated can be concluded."))
    report = _check_report(pilot, output_id)
    _move(pilot, [PilotStatus.EVALUATING], PilotStatus.CONCLUDED, evaluation_report_id=report.id)
    set_committed_value(pilot, "evaluation_report", report)
    _record(pilot, PilotEventKind.CONCLUDED, user, comment=comment)
    _notify(owner_ids(pilot), NotificationKind.PILOT_STEP, user, pilot)


def stop(pilot: Pilot, user: User, reason: str) -> None:
    """End the pilot early (at any step before its conclusion), saying why."""
    reason = reason.strip()
    if not reason:
        raise ServiceError(
            _l("Say why the pilot stops; everyone who reads it will see this."), "reason"
        )
    if len(reason) > MAX_REASON:
        raise ServiceError(
            _l("The reason can be at most %(num)d characters.", num=MAX_REASON), "reason"
        )
    _step(
        pilot,
        user,
        STOPPABLE,
        PilotStatus.STOPPED,
        PilotEventKind.STOPPED,
        _l("This pilot has already ended."),
        reason,
        stop_reason=reason,
    )


def add_comment(pilot: Pilot, user: User, text: str) -> PilotEvent:
    """A comment on the timeline, by one of the pilot's owners."""
    if not access_for(pilot, user).is_owner:
        raise ServiceError(_l("Only the pilot's owners write on its timeline."))
    text = text.strip()
    if not text:
        raise ServiceError(_l("Write a comment."), "comment")
    if len(text) > MAX_SHORT:
        raise ServiceError(
            _l("The comment can be at most %(num)d characters.", num=MAX_SHORT), "comment"
        )
    return _record(pilot, PilotEventKind.COMMENT, user, comment=text)


# -- loading for the pages -----------------------------------------------------------------------


def list_options() -> list[Any]:
    """What the overview (and the checklist) needs of each pilot, in a fixed number of
    statements."""
    return [
        selectinload(Pilot.themes),
        selectinload(Pilot.participants).options(
            joinedload(PilotOrganisation.organisation), joinedload(PilotOrganisation.sponsor)
        ),
    ]


def page_options() -> list[Any]:
    """Everything the pilot's page shows about the pilot itself. Its few themes, offerings and
    organisations come joined to the pilot's row (a few dozen rows; three statements fewer)."""
    return [
        joinedload(Pilot.themes),
        joinedload(Pilot.offerings).joinedload(Offering.provider),
        # Two to five organisations: joined as well.
        joinedload(Pilot.participants).options(
            joinedload(PilotOrganisation.organisation),
            joinedload(PilotOrganisation.sponsor),
            joinedload(PilotOrganisation.contact),
        ),
        joinedload(Pilot.evaluation_report).joinedload(KnowledgeOutput.community),
        joinedload(Pilot.proposed_by),
    ]


def pilot_by_slug(slug: str) -> Pilot | None:
    return (
        db.session.scalars(sa.select(Pilot).where(Pilot.slug == slug).options(*page_options()))
        .unique()
        .first()
    )


def timeline(pilot: Pilot) -> list[PilotEvent]:
    """The pilot's steps, oldest first, with who took them and for which organisation."""
    return list(
        db.session.scalars(
            sa.select(PilotEvent)
            .where(PilotEvent.pilot_id == pilot.id)
            .options(joinedload(PilotEvent.actor), joinedload(PilotEvent.organisation))
            .order_by(PilotEvent.created_at, PilotEvent.id)
        )
    )


def question_visibility(viewer: Any) -> sa.ColumnElement[bool]:
    """Learning questions this person may read; for visitors (and the API) the titles of those
    shared with everyone, as the public knowledge base shows them."""
    if _is_user(viewer):
        return catalogue.visible_filter(viewer)
    return LearningQuestion.visibility == QuestionVisibility.EVERYONE


def shown_offerings(pilot: Pilot) -> list[Offering]:
    """Linked offerings, drafts left out (a provider's draft is nobody else's business)."""
    return [o for o in pilot.offerings if o.status != OfferingStatus.DRAFT]


def upcoming_sessions(pilot: Pilot, viewer: Any, limit: int = 5) -> list[LiveSession]:
    """The next live sessions of the pilot's communities this person may see."""
    return list(
        db.session.scalars(
            sa.select(LiveSession)
            .join(Community, Community.id == LiveSession.community_id)
            .join(pilot_community, pilot_community.c.community_id == Community.id)
            .where(
                pilot_community.c.pilot_id == pilot.id,
                LiveSession.status == SessionStatus.SCHEDULED,
                LiveSession.ends_at > utcnow(),
                LiveSession.room_state != RoomState.CLOSED,
                visible_sessions_filter(viewer),
            )
            .options(joinedload(LiveSession.community))
            .order_by(LiveSession.starts_at)
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class QuestionLink:
    id: int
    title: str


@dataclass(frozen=True)
class CommunityLink:
    slug: str
    name: str
    visibility: Visibility


@dataclass(frozen=True)
class OutputLink:
    slug: str
    title: str
    output_type: OutputType


@dataclass
class PilotLinks:
    """What the pilot's page lists of its questions, communities and knowledge: their links."""

    questions: list[QuestionLink] = field(default_factory=list)
    communities: list[CommunityLink] = field(default_factory=list)
    outputs: list[OutputLink] = field(default_factory=list)


#: The row kinds of `pilot_links`' statement.
QUESTIONS, COMMUNITIES, OUTPUTS = range(3)


def _links_part(kind: int, columns: Sequence[Any], order_by: Sequence[Any]) -> sa.Select[Any]:
    """A part of `pilot_links`' statement: kind, id, slug, title, a kind of its own (visibility
    or output type) and its position in its list."""
    return sa.select(
        sa.literal_column(str(kind)).label("kind"),
        *(
            column.label(name)
            for column, name in zip(columns, ("id", "slug", "title", "sort"), strict=True)
        ),
        sa.func.row_number().over(order_by=order_by).label("position"),
    )


def pilot_links(pilot: Pilot, viewer: Any, outputs: int = 10) -> PilotLinks:
    """In one statement: the pilot's learning questions this person may see (by title); its
    communities this person may know exist (not invite-only ones of others; by name); and the
    newest `outputs` published knowledge outputs of its communities."""
    from plc.pilots.models import pilot_question

    questions = (
        _links_part(
            QUESTIONS,
            [LearningQuestion.id, sa.null(), LearningQuestion.title, sa.null()],
            [LearningQuestion.title],
        )
        .join(pilot_question, pilot_question.c.question_id == LearningQuestion.id)
        .where(pilot_question.c.pilot_id == pilot.id, question_visibility(viewer))
    )
    pilot_communities = (
        _links_part(
            COMMUNITIES,
            [Community.id, Community.slug, Community.name, Community.visibility],
            [Community.name],
        )
        .join(pilot_community, pilot_community.c.community_id == Community.id)
        .where(pilot_community.c.pilot_id == pilot.id, communities.visible_filter(viewer))
    )
    newest = (
        _links_part(
            OUTPUTS,
            [
                KnowledgeOutput.id,
                KnowledgeOutput.slug,
                KnowledgeOutput.title,
                KnowledgeOutput.output_type,
            ],
            [KnowledgeOutput.published_at.desc(), KnowledgeOutput.id.desc()],
        )
        .join(pilot_community, pilot_community.c.community_id == KnowledgeOutput.community_id)
        .where(pilot_community.c.pilot_id == pilot.id, published_filter())
        .subquery()
    )
    united = sa.union_all(
        questions,
        pilot_communities,
        sa.select(newest).where(newest.c.position <= outputs),
    )
    columns = united.selected_columns
    links = PilotLinks()
    for row in db.session.execute(united.order_by(columns.kind, columns.position)):
        if row.kind == QUESTIONS:
            links.questions.append(QuestionLink(row.id, row.title))
        elif row.kind == COMMUNITIES:
            links.communities.append(CommunityLink(row.slug, row.title, Visibility(row.sort)))
        else:
            links.outputs.append(OutputLink(row.slug, row.title, OutputType(row.sort)))
    return links


# -- the network overview -------------------------------------------------------------------------


@dataclass
class OverviewFilters:
    """By public identifiers: theme, organisation and community slugs, a status value."""

    theme: str | None = None
    organisation: str | None = None
    community: str | None = None
    status: PilotStatus | None = None


def overview_query(filters: OverviewFilters, viewer: Any) -> sa.Select[tuple[Pilot]]:
    """Pilots this person may see, matching the filters, the most recently moved first."""
    query = sa.select(Pilot).where(visible_filter(viewer))
    if filters.theme:
        query = query.where(
            Pilot.id.in_(
                sa.select(pilot_theme.c.pilot_id)
                .join(Theme, Theme.id == pilot_theme.c.theme_id)
                .where(Theme.slug == filters.theme)
            )
        )
    if filters.organisation:
        query = query.where(
            Pilot.id.in_(
                sa.select(PilotOrganisation.pilot_id)
                .join(Organisation, Organisation.id == PilotOrganisation.organisation_id)
                .where(Organisation.slug == filters.organisation)
            )
        )
    if filters.community:
        query = query.where(
            Pilot.id.in_(
                sa.select(pilot_community.c.pilot_id)
                .join(Community, Community.id == pilot_community.c.community_id)
                .where(Community.slug == filters.community, communities.visible_filter(viewer))
            )
        )
    if filters.status:
        query = query.where(Pilot.status == filters.status)
    return query.order_by(Pilot.status_changed_at.desc(), Pilot.id.desc())


def public_query() -> sa.Select[tuple[Pilot]]:
    """What anyone may see: pilots past their proposal (the API, the organisation page)."""
    return sa.select(Pilot).where(Pilot.status.not_in(PROPOSAL_STATUSES))


def filter_organisations(viewer: Any) -> list[Organisation]:
    """Organisations that take part in a pilot this person may see (the filter's choices)."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(
                Organisation.id.in_(
                    sa.select(PilotOrganisation.organisation_id)
                    .join(Pilot, Pilot.id == PilotOrganisation.pilot_id)
                    .where(visible_filter(viewer))
                )
            )
            .order_by(Organisation.name)
        )
    )


def filter_themes() -> list[Theme]:
    """Themes that some pilot has (hidden ones too: old pilots keep theirs)."""
    return list(
        db.session.scalars(
            sa.select(Theme)
            .where(Theme.id.in_(sa.select(pilot_theme.c.theme_id)))
            .order_by(Theme.name_nl)
        )
    )


@dataclass(frozen=True)
class MyPilot:
    pilot: Pilot
    #: The person is a contact whose approval of the current version is missing.
    waiting_for_me: bool


def my_pilots(user: Any, limit: int = 30) -> list[MyPilot]:
    """The pilots this person owns, those waiting for their approval first (one statement)."""
    if not _is_user(user):
        return []
    waiting = awaiting_approval_of(user.id).label("waiting")
    rows = db.session.execute(
        sa.select(Pilot, waiting)
        .where(Pilot.id.in_(owned_pilot_ids(user.id)))
        .order_by(waiting.desc(), Pilot.status_changed_at.desc(), Pilot.id.desc())
        .limit(limit)
    )
    return [MyPilot(pilot, bool(flag)) for pilot, flag in rows]


def awaiting_approval(user: Any, limit: int = 10) -> list[Pilot]:
    """Charters waiting for this person's approval (the start page)."""
    if not _is_user(user):
        return []
    return list(
        db.session.scalars(
            sa.select(Pilot)
            .where(awaiting_approval_of(user.id))
            .order_by(Pilot.status_changed_at.desc())
            .limit(limit)
        )
    )


def pilots_of_organisation(organisation: Organisation, limit: int = 10) -> list[Pilot]:
    """Pilots the organisation takes part in, past their proposal (its public page)."""
    return list(
        db.session.scalars(
            public_query()
            .where(
                Pilot.id.in_(
                    sa.select(PilotOrganisation.pilot_id).where(
                        PilotOrganisation.organisation_id == organisation.id
                    )
                )
            )
            .order_by(Pilot.status_changed_at.desc(), Pilot.id.desc())
            .limit(limit)
        )
    )
