"""Personal development plans (*POP*) and the development goals of schools.

A teacher's goals are theirs alone. A goal can serve a development goal of one of the teacher's
schools; the teacher decides per goal whether that school's leaders and HR advisors see it
(`share_goal`), and can withdraw that again (`withdraw_goal`). Nothing is shared by default.

A goal gathers activities (things on the platform the teacher does for it: a community, a live
session, an offering, a knowledge output, a learning question) and reflections. What a shared goal
shows its school's leaders: the goal itself, its status and target date, the school goal it serves
and those of its activities the leader may see on the platform anyway. Reflections never: the
queries of the leaders' pages do not even load them.

School leaders record their school's goals; they see, per goal, how many teachers' goals serve it
(a count, shown only from five up, so that it points at nobody), the goals that were shared, and
the communities, offerings and knowledge outputs that serve it by sharing its themes.

Functions change the session and flush; the request (or the CLI) commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, raiseload, selectinload

from plc.auth.models import User
from plc.catalogue import services as catalogue
from plc.catalogue.models import (
    Enrolment,
    EnrolmentStatus,
    LearningQuestion,
    Offering,
    OfferingStatus,
    offering_theme,
)
from plc.communities import services as communities
from plc.communities.models import (
    Community,
    CommunityMember,
    CommunityStatus,
    MemberStatus,
    Visibility,
    community_theme,
)
from plc.core.errors import ServiceError
from plc.core.markdown import render_markdown
from plc.core.models import utcnow
from plc.core.once import add_once, added, submitted
from plc.development.models import (
    ActivityKind,
    GoalActivity,
    GoalReflection,
    GoalStatus,
    PersonalGoal,
    SchoolGoal,
    SchoolGoalStatus,
    school_goal_theme,
)
from plc.extensions import db
from plc.knowledge import services as knowledge
from plc.knowledge.models import KnowledgeOutput, output_theme
from plc.live.access import visible_sessions_filter
from plc.live.models import Attendance, LiveSession, Rsvp, RsvpStatus, SessionStatus
from plc.organisations.models import (
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    OrganisationRole,
)
from plc.organisations.roles import holds
from plc.themes.models import CompetenceDomain
from plc.themes.services import chosen_themes

#: Who reads what teachers share, and who records a school's goals.
LEADER_ROLES = (OrganisationRole.SCHOOL_LEADER, OrganisationRole.HR_ADVISOR)
#: The smallest count of teachers' goals shown for a school goal.
MIN_GROUP = 5
MAX_TEXT = 5000
#: Suggestions of each sort the activity picker offers at most.
SUGGESTED = 10
#: Communities, offerings and outputs of each sort shown for a school goal.
SERVING_SHOWN = 5
#: The same reflection sent again within this time is a resubmitted form, not a new reflection.
REPLAY_WINDOW = timedelta(minutes=10)


@dataclass
class GoalFields:
    """What a teacher fills in for a goal of their plan."""

    title: str
    description: str = ""
    domain: CompetenceDomain | None = None
    target_date: date | None = None
    status: GoalStatus = GoalStatus.PLANNED
    theme_ids: list[int] = field(default_factory=list)
    school_goal_id: int | None = None


@dataclass
class SchoolGoalFields:
    title: str
    description: str = ""
    plan_period: str = ""
    status: SchoolGoalStatus = SchoolGoalStatus.ACTIVE
    theme_ids: list[int] = field(default_factory=list)


# -- whose schools ----------------------------------------------------------------------------


def _approved(user_id: int, roles: Sequence[OrganisationRole] | None = None) -> sa.Select:
    query = sa.select(OrganisationMembership.organisation_id).where(
        OrganisationMembership.user_id == user_id,
        OrganisationMembership.status == MembershipStatus.APPROVED,
    )
    if roles is not None:
        query = query.where(OrganisationMembership.role.in_(roles))
    return query


def school_goals_for(user: User) -> list[SchoolGoal]:
    """The active goals of the teacher's schools (and of their boards) a goal may serve."""
    own = _approved(user.id)
    boards = sa.select(Organisation.parent_id).where(
        Organisation.id.in_(own), Organisation.parent_id.is_not(None)
    )
    return list(
        db.session.scalars(
            sa.select(SchoolGoal)
            .where(
                sa.or_(SchoolGoal.organisation_id.in_(own), SchoolGoal.organisation_id.in_(boards)),
                SchoolGoal.status == SchoolGoalStatus.ACTIVE,
            )
            .options(sa.orm.joinedload(SchoolGoal.organisation))
            .order_by(SchoolGoal.organisation_id, SchoolGoal.title)
        )
    )


def organisations_of(user: User) -> list[Organisation]:
    """The organisations the person is an approved member of."""
    return list(
        db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(_approved(user.id))))
    )


def leads(user: User | None, organisation: Organisation) -> bool:
    """A school leader or HR advisor of the organisation, or of its board."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return holds(user, [organisation.id, organisation.parent_id], LEADER_ROLES)


def reads_figures(user: User | None, organisation: Organisation) -> bool:
    """A board member of the board (or of the school's board): reads its goals and how many
    teachers serve them, never what teachers share (as on the dashboards)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return holds(user, [organisation.id, organisation.parent_id], (OrganisationRole.BOARD_MEMBER,))


# -- a teacher's own goals --------------------------------------------------------------------


def _check_texts(fields: GoalFields | SchoolGoalFields) -> None:
    """Title and description of a personal or a school goal."""
    fields.title = fields.title.strip()
    if not fields.title:
        raise ServiceError(_l("Give the goal a title."), "title")
    if len(fields.title) > 200:
        raise ServiceError(_l("The title can be at most %(num)d characters.", num=200), "title")
    if len(fields.description) > MAX_TEXT:
        raise ServiceError(
            _l("The description can be at most %(num)d characters.", num=MAX_TEXT), "description"
        )


def _check(fields: GoalFields, user: User, kept_school_goal_id: int | None = None) -> None:
    """`kept_school_goal_id`: the school goal the goal serves already, which it may keep after
    the school archived it (an edit of the title should not fail on that)."""
    _check_texts(fields)
    if fields.school_goal_id in (None, kept_school_goal_id):
        return
    if fields.school_goal_id not in {goal.id for goal in school_goals_for(user)}:
        raise ServiceError(_l("Choose a goal of one of your schools."), "school_goal")


def _apply(goal: PersonalGoal, fields: GoalFields) -> None:
    goal.title = fields.title
    goal.description = fields.description
    goal.description_html = render_markdown(fields.description)
    goal.domain = fields.domain
    goal.target_date = fields.target_date
    goal.status = fields.status
    goal.school_goal_id = fields.school_goal_id
    goal.themes = chosen_themes(fields.theme_ids, goal.themes)


def add_goal(user: User, fields: GoalFields, idempotency_key: str | None = None) -> PersonalGoal:
    """A new goal in the teacher's plan; not shared. The same form sent twice (the same
    `idempotency_key`) adds it once: the second answer is the goal the first one added."""
    if (existing := submitted(PersonalGoal.user_id, user.id, idempotency_key)) is not None:
        return existing
    _check(fields, user)
    goal = PersonalGoal(user_id=user.id, idempotency_key=idempotency_key or None)
    _apply(goal, fields)
    goal, _new = add_once(
        lambda: added(goal), lambda: submitted(PersonalGoal.user_id, user.id, idempotency_key)
    )
    return goal


def _require_owner(goal: PersonalGoal, user: User) -> None:
    if goal.user_id != user.id:
        raise ServiceError(_l("This goal is not yours."))


def update_goal(goal: PersonalGoal, user: User, fields: GoalFields) -> None:
    _require_owner(goal, user)
    _check(fields, user, kept_school_goal_id=goal.school_goal_id)
    _apply(goal, fields)
    db.session.flush()


def share_goal(goal: PersonalGoal, user: User) -> None:
    """The teacher's schools' leaders and HR advisors may see the goal from now on."""
    _require_owner(goal, user)
    if goal.shared_at is None:
        goal.shared_at = utcnow()
        db.session.flush()


def withdraw_goal(goal: PersonalGoal, user: User) -> None:
    """No longer shared: gone from every leader's view at once."""
    _require_owner(goal, user)
    goal.shared_at = None
    db.session.flush()


def delete_goal(goal: PersonalGoal, user: User) -> None:
    _require_owner(goal, user)
    db.session.delete(goal)
    db.session.flush()


#: Goals that are done with, one way or the other; shown after the open ones.
FINISHED = (GoalStatus.ACHIEVED, GoalStatus.DROPPED)


def _goal_options() -> list[Any]:
    """Everything the teacher's own pages show of a goal, in a fixed number of statements."""
    return [
        selectinload(PersonalGoal.themes),
        joinedload(PersonalGoal.school_goal).joinedload(SchoolGoal.organisation),
        selectinload(PersonalGoal.activities),
        selectinload(PersonalGoal.reflections),
    ]


def plan_of(user: User) -> list[PersonalGoal]:
    """The teacher's goals: open ones first, then by target date."""
    finished = PersonalGoal.status.in_(FINISHED)
    return list(
        db.session.scalars(
            sa.select(PersonalGoal)
            .where(PersonalGoal.user_id == user.id)
            .options(*_goal_options())
            .order_by(
                finished,
                PersonalGoal.target_date.is_(None),
                PersonalGoal.target_date,
                PersonalGoal.id,
            )
        )
    )


def goal_of(goal_id: int, user: User) -> PersonalGoal | None:
    """The teacher's own goal; None for anyone else's, which their pages then answer with 404."""
    return db.session.scalar(
        sa.select(PersonalGoal)
        .where(PersonalGoal.id == goal_id, PersonalGoal.user_id == user.id)
        .options(*_goal_options())
    )


def sharing_audience(user: User) -> list[Organisation]:
    """Whose leaders and HR advisors see what the teacher shares: the teacher's own schools
    (any organisation they are an approved member of) and those schools' boards."""
    own = _approved(user.id)
    boards = sa.select(Organisation.parent_id).where(Organisation.id.in_(own))
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(sa.or_(Organisation.id.in_(own), Organisation.id.in_(boards)))
            .order_by(Organisation.name)
        )
    )


# -- reflections ------------------------------------------------------------------------------


def add_reflection(goal: PersonalGoal, user: User, body: str) -> GoalReflection:
    """A reflection on the goal, rendered and sanitised now. The same text sent again shortly
    after (a double click, a resubmitted form) is the reflection already there."""
    _require_owner(goal, user)
    body = body.strip()
    if not body:
        raise ServiceError(_l("Write your reflection first."), "body")
    if len(body) > MAX_TEXT:
        raise ServiceError(
            _l("A reflection can be at most %(num)d characters.", num=MAX_TEXT), "body"
        )
    replayed = db.session.scalar(
        sa.select(GoalReflection).where(
            GoalReflection.goal_id == goal.id,
            GoalReflection.body == body,
            GoalReflection.created_at > utcnow() - REPLAY_WINDOW,
        )
    )
    if replayed is not None:
        return replayed
    reflection = GoalReflection(goal_id=goal.id, body=body, body_html=render_markdown(body))
    db.session.add(reflection)
    db.session.flush()
    return reflection


def _delete_part(goal: PersonalGoal, user: User, part: GoalActivity | GoalReflection) -> None:
    """An activity or a reflection of the goal, deleted by the goal's owner."""
    _require_owner(goal, user)
    if part.goal_id != goal.id:
        raise ServiceError(_l("This is not part of the goal."))
    db.session.delete(part)
    db.session.flush()


def delete_reflection(goal: PersonalGoal, user: User, reflection: GoalReflection) -> None:
    _delete_part(goal, user, reflection)


# -- activities -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityTarget:
    """What an activity points at: as much as a page needs to name it and link to it."""

    kind: ActivityKind
    target_id: int
    title: str
    #: The slug of its address; for a session, its community's; a learning question has none.
    slug: str | None

    @property
    def key(self) -> tuple[ActivityKind, int]:
        return (self.kind, self.target_id)


def _kind_column(kind: ActivityKind | str, name: str = "kind") -> sa.ColumnElement[str]:
    # A constant written into the statement rather than a parameter: PostgreSQL cannot type an
    # untyped parameter in the select list of a UNION. The values are our own enum's.
    return sa.literal_column(f"'{kind}'", sa.String).label(name)


def _rows(kind: ActivityKind, id_column: Any, title: Any, slug: Any) -> sa.Select[Any]:
    """(kind, target_id, title, slug): the shape of every part of the targets' UNION."""
    return sa.select(
        _kind_column(kind), id_column.label("target_id"), title.label("title"), slug.label("slug")
    )


def _community_rows(viewer: User) -> sa.Select[Any]:
    return _rows(ActivityKind.COMMUNITY, Community.id, Community.name, Community.slug).where(
        communities.visible_filter(viewer)
    )


def _session_rows(viewer: User) -> sa.Select[Any]:
    return (
        _rows(ActivityKind.SESSION, LiveSession.id, LiveSession.title, Community.slug)
        .join(Community, Community.id == LiveSession.community_id)
        .where(visible_sessions_filter(viewer))
    )


def _offering_rows(viewer: User) -> sa.Select[Any]:
    return _rows(ActivityKind.OFFERING, Offering.id, Offering.title, Offering.slug).where(
        catalogue.published_filter()
    )


def _output_rows(viewer: User) -> sa.Select[Any]:
    return _rows(
        ActivityKind.OUTPUT, KnowledgeOutput.id, KnowledgeOutput.title, KnowledgeOutput.slug
    ).where(knowledge.published_filter())


def _question_rows(viewer: User) -> sa.Select[Any]:
    no_slug = sa.cast(sa.null(), sa.String)
    return _rows(ActivityKind.QUESTION, LearningQuestion.id, LearningQuestion.title, no_slug).where(
        catalogue.visible_filter(viewer)
    )


#: Per kind: the things of that kind a person may see (kind, target_id, title, slug), and the
#: column that identifies one. The pages link to exactly these: what they may open.
_TARGETS: dict[ActivityKind, tuple[Callable[[User], sa.Select[Any]], Any]] = {
    ActivityKind.COMMUNITY: (_community_rows, Community.id),
    ActivityKind.SESSION: (_session_rows, LiveSession.id),
    ActivityKind.OFFERING: (_offering_rows, Offering.id),
    ActivityKind.OUTPUT: (_output_rows, KnowledgeOutput.id),
    ActivityKind.QUESTION: (_question_rows, LearningQuestion.id),
}


def _union(parts: Sequence[sa.Select[Any]]) -> list[Any]:
    if not parts:
        return []
    statement = parts[0] if len(parts) == 1 else sa.union_all(*parts)
    return list(db.session.execute(statement).all())


def _target(row: Any) -> ActivityTarget:
    return ActivityTarget(ActivityKind(row.kind), row.target_id, row.title, row.slug)


def _targets_by_id(
    wanted: dict[ActivityKind, set[int]], viewer: User
) -> dict[tuple[ActivityKind, int], ActivityTarget]:
    parts = []
    for kind, ids in wanted.items():
        rows, id_column = _TARGETS[kind]
        parts.append(rows(viewer).where(id_column.in_(sorted(ids))))
    return {target.key: target for target in map(_target, _union(parts))}


def activity_targets(
    activities: Iterable[GoalActivity], viewer: User
) -> dict[tuple[ActivityKind, int], ActivityTarget]:
    """What these activities point at, as far as `viewer` may see it, in one statement. An
    activity whose target is gone, or hidden from the viewer, has no entry."""
    wanted: dict[ActivityKind, set[int]] = {}
    for activity in activities:
        wanted.setdefault(ActivityKind(activity.kind), set()).add(activity.target_id)
    return _targets_by_id(wanted, viewer)


def add_activity(
    goal: PersonalGoal, user: User, kind: ActivityKind | str, target_id: int
) -> GoalActivity:
    """Link something on the platform to the goal: it must exist and the teacher must be able
    to see it."""
    _require_owner(goal, user)
    try:
        kind = ActivityKind(kind)
    except ValueError as error:
        raise ServiceError(
            _l("Choose a community, session, offering, output or question.")
        ) from error
    if (kind, target_id) not in _targets_by_id({kind: {target_id}}, user):
        raise ServiceError(_l("That activity does not exist, or you cannot see it."))
    if any(a.kind == kind and a.target_id == target_id for a in goal.activities):
        raise ServiceError(_l("This activity is already part of the goal."))
    activity = GoalActivity(goal_id=goal.id, kind=kind, target_id=target_id)
    try:
        with db.session.begin_nested():
            db.session.add(activity)
    except sa.exc.IntegrityError as error:  # a double click or a second tab got there first
        raise ServiceError(_l("This activity is already part of the goal.")) from error
    return activity


def remove_activity(goal: PersonalGoal, user: User, activity: GoalActivity) -> None:
    _delete_part(goal, user, activity)


class SuggestionGroup(StrEnum):
    """The picker's groups, in the order it shows them: the teacher's own doings first."""

    COMMUNITIES = "communities"  #: communities the teacher is a member of
    SESSIONS = "sessions"  #: live sessions they signed up for or attended
    ENROLMENTS = "enrolments"  #: offerings they enrolled in
    QUESTIONS = "questions"  #: their own learning questions
    OFFERINGS = "offerings"  #: published offerings on the goal's themes
    OUTPUTS = "outputs"  #: published knowledge outputs on the goal's themes


#: Enrolments that count as taking part (not a cancelled or declined one).
TAKING_PART = (
    EnrolmentStatus.AWAITING_APPROVAL,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.COMPLETED,
)


def _shared_themes(link: sa.Table, item_column: str, theme_ids: Sequence[int]) -> sa.Subquery:
    """Per item of a theme link table: how many of these themes it shares."""
    item = link.c[item_column]
    return (
        sa.select(item.label("item_id"), sa.func.count().label("shared"))
        .where(link.c.theme_id.in_(theme_ids))
        .group_by(item)
        .subquery()
    )


def _suggestion_parts(
    goal: PersonalGoal, user: User
) -> list[tuple[SuggestionGroup, sa.Select[Any], list[Any]]]:
    """Per group: the visible targets it draws from, narrowed, and their order."""
    member_of = sa.select(CommunityMember.community_id).where(
        CommunityMember.user_id == user.id, CommunityMember.status == MemberStatus.ACTIVE
    )
    signed_up = sa.select(Rsvp.session_id).where(
        Rsvp.user_id == user.id,
        Rsvp.status.in_([RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.WAITLISTED]),
    )
    attended = sa.select(Attendance.session_id).where(Attendance.user_id == user.id)
    enrolled = sa.select(Enrolment.offering_id).where(
        Enrolment.user_id == user.id, Enrolment.status.in_(TAKING_PART)
    )
    parts = [
        (
            SuggestionGroup.COMMUNITIES,
            _community_rows(user).where(Community.id.in_(member_of)),
            [Community.name, Community.id],
        ),
        (
            SuggestionGroup.SESSIONS,
            _session_rows(user).where(
                sa.or_(LiveSession.id.in_(signed_up), LiveSession.id.in_(attended)),
                LiveSession.status == SessionStatus.SCHEDULED,
            ),
            [LiveSession.starts_at.desc(), LiveSession.id],
        ),
        (
            SuggestionGroup.ENROLMENTS,
            _offering_rows(user).where(Offering.id.in_(enrolled)),
            [Offering.starts_at.desc(), Offering.id],
        ),
        (
            SuggestionGroup.QUESTIONS,
            _question_rows(user).where(LearningQuestion.author_id == user.id),
            [LearningQuestion.created_at.desc(), LearningQuestion.id],
        ),
    ]
    theme_ids = [theme.id for theme in goal.themes]
    if theme_ids:
        offerings = _shared_themes(offering_theme, "offering_id", theme_ids)
        outputs = _shared_themes(output_theme, "output_id", theme_ids)
        parts += [
            (
                SuggestionGroup.OFFERINGS,
                _offering_rows(user)
                .join(offerings, offerings.c.item_id == Offering.id)
                .where(
                    Offering.status == OfferingStatus.PUBLISHED,
                    sa.or_(Offering.ends_at.is_(None), Offering.ends_at > utcnow()),
                ),
                [offerings.c.shared.desc(), Offering.starts_at, Offering.id],
            ),
            (
                SuggestionGroup.OUTPUTS,
                _output_rows(user).join(outputs, outputs.c.item_id == KnowledgeOutput.id),
                [outputs.c.shared.desc(), KnowledgeOutput.published_at.desc(), KnowledgeOutput.id],
            ),
        ]
    return parts


def activity_suggestions(
    goal: PersonalGoal, user: User
) -> dict[SuggestionGroup, list[ActivityTarget]]:
    """What the teacher could add to the goal, by group, in one statement: their own
    communities, sessions, enrolments and learning questions, then published offerings and
    knowledge on the goal's themes. Leaves out what the goal has already; each thing once."""
    linked = {(ActivityKind(a.kind), a.target_id) for a in goal.activities}
    parts = []
    for group, rows, order in _suggestion_parts(goal, user):
        ranked = rows.add_columns(
            _kind_column(group, "suggestion_group"),
            sa.func.row_number().over(order_by=order).label("position"),
        )
        limited = ranked.order_by(*order).limit(SUGGESTED + len(linked)).subquery()
        parts.append(sa.select(*limited.c))
    by_group: dict[str, list[ActivityTarget]] = {}
    for row in sorted(_union(parts), key=lambda row: row.position):
        by_group.setdefault(row.suggestion_group, []).append(_target(row))
    found: dict[SuggestionGroup, list[ActivityTarget]] = {group: [] for group in SuggestionGroup}
    seen = set(linked)
    for group in SuggestionGroup:  # in the groups' order: what the teacher does keeps a thing
        for target in by_group.get(group, []):
            if target.key not in seen and len(found[group]) < SUGGESTED:
                seen.add(target.key)
                found[group].append(target)
    return found


# -- what a school sees -----------------------------------------------------------------------


def teachers_of(organisation: Organisation) -> sa.Select:
    """Approved members of the school (or of the schools of a board)."""
    schools = sa.select(Organisation.id).where(
        sa.or_(Organisation.id == organisation.id, Organisation.parent_id == organisation.id)
    )
    return sa.select(OrganisationMembership.user_id).where(
        OrganisationMembership.organisation_id.in_(schools),
        OrganisationMembership.status == MembershipStatus.APPROVED,
    )


def _shared_with(organisation: Organisation, viewer: User) -> sa.ColumnElement[bool]:
    """SQL condition: goals the organisation's teachers share with it; for its leaders and HR
    advisors only."""
    if not leads(viewer, organisation):
        raise ServiceError(_l("Only the school's leaders and HR advisors see shared goals."))
    return sa.and_(
        PersonalGoal.user_id.in_(teachers_of(organisation)),
        PersonalGoal.shared_at.is_not(None),
    )


def shared_goals(organisation: Organisation, viewer: User) -> list[PersonalGoal]:
    """Goals the organisation's teachers share with it; for its leaders and HR only."""
    return list(
        db.session.scalars(
            sa.select(PersonalGoal)
            .where(_shared_with(organisation, viewer))
            .options(sa.orm.joinedload(PersonalGoal.school_goal))
            .order_by(PersonalGoal.shared_at.desc())
        )
    )


def shared_goals_with_teachers(
    organisation: Organisation, viewer: User
) -> list[tuple[PersonalGoal, User]]:
    """`shared_goals`, each with its teacher (deleted accounts left out), in one statement."""
    rows = db.session.execute(
        sa.select(PersonalGoal, User)
        .join(User, User.id == PersonalGoal.user_id)
        .where(_shared_with(organisation, viewer), User.deleted_at.is_(None))
        .options(sa.orm.joinedload(PersonalGoal.school_goal))
        .order_by(PersonalGoal.shared_at.desc())
    )
    return [(goal, teacher) for goal, teacher in rows]


@dataclass(frozen=True)
class SharedGoal:
    """A goal a teacher shares, with the teacher, as the school's leaders read it."""

    goal: PersonalGoal
    owner: User


def shared_goals_with_owners(organisation: Organisation, viewer: User) -> list[SharedGoal]:
    """The shared goals with their teachers, themes and activities, for the leaders' page. The
    reflections stay unloaded, and cannot be loaded by accident: they are never shared."""
    rows = (
        db.session.execute(
            sa.select(PersonalGoal, User)
            .join(User, User.id == PersonalGoal.user_id)
            .where(_shared_with(organisation, viewer))
            .options(
                joinedload(PersonalGoal.school_goal),
                joinedload(PersonalGoal.themes),  # a handful a goal: joined, not a statement more
                selectinload(PersonalGoal.activities),
                raiseload(PersonalGoal.reflections),
            )
            .order_by(User.display_name, User.id, PersonalGoal.title, PersonalGoal.id)
        )
        .unique()
        .all()
    )
    return [SharedGoal(goal, owner) for goal, owner in rows]


@dataclass(frozen=True)
class SchoolGoalRow:
    goal: SchoolGoal
    #: How many teachers have goals that serve it; None when not shown (see below).
    personal_goals: int | None


#: Active goals first, then achieved, then archived (not the alphabet of the stored values).
_STATUS_ORDER = sa.case(
    {SchoolGoalStatus.ACTIVE: 0, SchoolGoalStatus.ACHIEVED: 1}, value=SchoolGoal.status, else_=2
)


def _shown_count(teachers: int, sharing: int) -> int | None:
    """The count of teachers whose goals serve a school goal, when it points at nobody: five or
    more, and the teachers who did not share such a goal (the count minus the shared goals'
    owners, whom the leaders see listed) none or five or more as well."""
    unshared = teachers - sharing
    if teachers < MIN_GROUP or 0 < unshared < MIN_GROUP:
        return None
    return teachers


def school_goal_overview(organisation: Organisation) -> list[SchoolGoalRow]:
    """The organisation's goals, each with how many teachers' goals serve it (from five up)."""
    # People, not goals: one teacher with five goals must not make a "five". The counts and
    # the themes come with the goals, in one statement.
    serving = sa.select(PersonalGoal.school_goal_id).where(
        PersonalGoal.school_goal_id == SchoolGoal.id
    )
    sharing_owner = sa.case((PersonalGoal.shared_at.is_not(None), PersonalGoal.user_id))
    teachers = serving.with_only_columns(sa.func.count(sa.distinct(PersonalGoal.user_id)))
    sharing = serving.with_only_columns(sa.func.count(sa.distinct(sharing_owner)))
    rows = db.session.execute(
        sa.select(SchoolGoal, teachers.scalar_subquery(), sharing.scalar_subquery())
        .where(SchoolGoal.organisation_id == organisation.id)
        .options(joinedload(SchoolGoal.themes))
        .order_by(_STATUS_ORDER, SchoolGoal.title)
    ).unique()
    return [SchoolGoalRow(goal, _shown_count(count, shared)) for goal, count, shared in rows]


def is_member(user: User, organisation: Organisation) -> bool:
    """An approved member of the organisation, or (for a board) of one of its schools: someone
    whose own goals may serve its goals."""
    members = teachers_of(organisation).where(OrganisationMembership.user_id == user.id)
    return bool(db.session.scalar(sa.select(members.exists())))


def active_school_goals(organisation: Organisation) -> list[SchoolGoal]:
    """The goals a school's teachers read: the active ones, without any counts."""
    return list(
        db.session.scalars(
            sa.select(SchoolGoal)
            .where(
                SchoolGoal.organisation_id == organisation.id,
                SchoolGoal.status == SchoolGoalStatus.ACTIVE,
            )
            .options(selectinload(SchoolGoal.themes))
            .order_by(SchoolGoal.title, SchoolGoal.id)
        )
    )


def school_goal_of(organisation: Organisation, goal_id: int) -> SchoolGoal | None:
    return db.session.scalar(
        sa.select(SchoolGoal)
        .where(SchoolGoal.id == goal_id, SchoolGoal.organisation_id == organisation.id)
        .options(selectinload(SchoolGoal.themes))
    )


@dataclass
class Serving:
    """What serves a school goal by sharing its themes: the most fitting few of each sort, and
    how many there are in all."""

    communities: list[Community] = field(default_factory=list)
    community_count: int = 0
    offerings: list[Offering] = field(default_factory=list)
    offering_count: int = 0
    outputs: list[KnowledgeOutput] = field(default_factory=list)
    output_count: int = 0


def _ranked_for_goals(
    goal_ids: Sequence[int],
    link: sa.Table,
    item_column: str,
    entity: Any,
    conditions: Sequence[sa.ColumnElement[bool]],
    order: Sequence[Any],
    options: Sequence[Any] = (),
) -> list[Any]:
    """(goal id, total, item) for the first SERVING_SHOWN items per school goal that share its
    themes (most shared themes first, then `order`), with how many there are in all: one
    statement for all the goals, through window functions."""
    shared = (
        sa.select(
            school_goal_theme.c.school_goal_id.label("goal_id"),
            link.c[item_column].label("item_id"),
            sa.func.count().label("shared"),
        )
        .join(link, link.c.theme_id == school_goal_theme.c.theme_id)
        .where(school_goal_theme.c.school_goal_id.in_(goal_ids))
        .group_by(school_goal_theme.c.school_goal_id, link.c[item_column])
        .subquery()
    )
    ranked = (
        sa.select(
            shared.c.goal_id,
            shared.c.item_id,
            sa.func.row_number()
            .over(partition_by=shared.c.goal_id, order_by=[shared.c.shared.desc(), *order])
            .label("position"),
            sa.func.count().over(partition_by=shared.c.goal_id).label("total"),
        )
        .select_from(shared)
        .join(entity, entity.id == shared.c.item_id)
        .where(*conditions)
        .subquery()
    )
    return list(
        db.session.execute(
            sa.select(ranked.c.goal_id, ranked.c.total, entity)
            .select_from(ranked)
            .join(entity, entity.id == ranked.c.item_id)
            .where(ranked.c.position <= SERVING_SHOWN)
            .options(*options)
            .order_by(ranked.c.goal_id, ranked.c.position)
        ).all()
    )


def serving(goals: Sequence[SchoolGoal]) -> dict[int, Serving]:
    """Per school goal: the communities (listed, not closed), published offerings (not over)
    and published knowledge outputs that share its themes. Three statements, however many goals
    and items there are."""
    found = {goal.id: Serving() for goal in goals}
    if not found:
        return found
    ids = list(found)
    for goal_id, total, community in _ranked_for_goals(
        ids,
        community_theme,
        "community_id",
        Community,
        [Community.visibility != Visibility.INVITE, Community.status != CommunityStatus.CLOSED],
        [Community.member_count.desc(), Community.name, Community.id],
    ):
        found[goal_id].communities.append(community)
        found[goal_id].community_count = total
    for goal_id, total, offering in _ranked_for_goals(
        ids,
        offering_theme,
        "offering_id",
        Offering,
        [
            Offering.status == OfferingStatus.PUBLISHED,
            sa.or_(Offering.ends_at.is_(None), Offering.ends_at > utcnow()),
        ],
        [Offering.starts_at, Offering.id],
        [joinedload(Offering.provider)],
    ):
        found[goal_id].offerings.append(offering)
        found[goal_id].offering_count = total
    for goal_id, total, output in _ranked_for_goals(
        ids,
        output_theme,
        "output_id",
        KnowledgeOutput,
        [knowledge.published_filter()],
        [KnowledgeOutput.published_at.desc(), KnowledgeOutput.id.desc()],
        [joinedload(KnowledgeOutput.community)],
    ):
        found[goal_id].outputs.append(output)
        found[goal_id].output_count = total
    return found


def _check_school_goal(fields: SchoolGoalFields) -> None:
    _check_texts(fields)
    if len(fields.plan_period) > 20:
        raise ServiceError(
            _l("The period can be at most %(num)d characters.", num=20), "plan_period"
        )


def _apply_school_goal(goal: SchoolGoal, fields: SchoolGoalFields) -> None:
    goal.title = fields.title
    goal.description = fields.description
    goal.description_html = render_markdown(fields.description)
    goal.plan_period = fields.plan_period.strip()
    goal.status = fields.status
    goal.themes = chosen_themes(fields.theme_ids, goal.themes)


def add_school_goal(
    organisation: Organisation,
    user: User,
    fields: SchoolGoalFields,
    idempotency_key: str | None = None,
) -> SchoolGoal:
    """Record a goal of the school. The same form sent twice records it once."""
    if not leads(user, organisation):
        raise ServiceError(_l("Only the school's leaders and HR advisors record its goals."))
    # Keyed per person, like the constraint: the key is the submission of one form.
    if (existing := submitted(SchoolGoal.created_by_id, user.id, idempotency_key)) is not None:
        return existing
    _check_school_goal(fields)
    goal = SchoolGoal(
        organisation_id=organisation.id,
        created_by_id=user.id,
        idempotency_key=idempotency_key or None,
    )
    _apply_school_goal(goal, fields)
    goal, _new = add_once(
        lambda: added(goal),
        lambda: submitted(SchoolGoal.created_by_id, user.id, idempotency_key),
    )
    return goal


def update_school_goal(goal: SchoolGoal, user: User, fields: SchoolGoalFields) -> None:
    if not leads(user, goal.organisation):
        raise ServiceError(_l("Only the school's leaders and HR advisors record its goals."))
    _check_school_goal(fields)
    _apply_school_goal(goal, fields)
    db.session.flush()
