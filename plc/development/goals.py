"""Personal development plans (*POP*) and the development goals of schools.

A teacher's goals are theirs alone. A goal can serve a development goal of one of the teacher's
schools; the teacher decides per goal whether that school's leaders and HR advisors see it
(`share_goal`), and can withdraw that again (`withdraw_goal`). Nothing is shared by default.

School leaders record their school's goals; they see, per goal, how many teachers' goals serve it
(a count, shown only from five up, so that it points at nobody) and the goals that were shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from plc.auth.models import User
from plc.core.errors import ServiceError
from plc.core.markdown import render_markdown
from plc.core.models import utcnow
from plc.development.models import (
    GoalStatus,
    PersonalGoal,
    SchoolGoal,
    SchoolGoalStatus,
)
from plc.extensions import db
from plc.organisations.models import (
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    OrganisationRole,
)
from plc.themes.models import CompetenceDomain
from plc.themes.services import chosen_themes

#: Who reads what teachers share, and who records a school's goals.
LEADER_ROLES = (OrganisationRole.SCHOOL_LEADER, OrganisationRole.HR_ADVISOR)
#: The smallest count of teachers' goals shown for a school goal.
MIN_GROUP = 5
MAX_TEXT = 5000


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
    ids = [organisation.id] + ([organisation.parent_id] if organisation.parent_id else [])
    found = db.session.scalar(
        _approved(user.id, LEADER_ROLES).where(OrganisationMembership.organisation_id.in_(ids))
    )
    return found is not None


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


def _check(fields: GoalFields, user: User) -> None:
    _check_texts(fields)
    if fields.school_goal_id is not None and fields.school_goal_id not in {
        goal.id for goal in school_goals_for(user)
    }:
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


def add_goal(user: User, fields: GoalFields) -> PersonalGoal:
    """A new goal in the teacher's plan; not shared."""
    _check(fields, user)
    goal = PersonalGoal(user_id=user.id)
    _apply(goal, fields)
    db.session.add(goal)
    db.session.flush()
    return goal


def _require_owner(goal: PersonalGoal, user: User) -> None:
    if goal.user_id != user.id:
        raise ServiceError(_l("This goal is not yours."))


def update_goal(goal: PersonalGoal, user: User, fields: GoalFields) -> None:
    _require_owner(goal, user)
    _check(fields, user)
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


def plan_of(user: User) -> list[PersonalGoal]:
    """The teacher's goals: open ones first, then by target date."""
    finished = PersonalGoal.status.in_([GoalStatus.ACHIEVED, GoalStatus.DROPPED])
    return list(
        db.session.scalars(
            sa.select(PersonalGoal)
            .where(PersonalGoal.user_id == user.id)
            .options(
                sa.orm.selectinload(PersonalGoal.themes),
                sa.orm.joinedload(PersonalGoal.school_goal),
            )
            .order_by(finished, PersonalGoal.target_date.is_(None), PersonalGoal.target_date)
        )
    )


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


def shared_goals(organisation: Organisation, viewer: User) -> list[PersonalGoal]:
    """Goals the organisation's teachers share with it; for its leaders and HR only."""
    if not leads(viewer, organisation):
        raise ServiceError(_l("Only the school's leaders and HR advisors see shared goals."))
    return list(
        db.session.scalars(
            sa.select(PersonalGoal)
            .where(
                PersonalGoal.user_id.in_(teachers_of(organisation)),
                PersonalGoal.shared_at.is_not(None),
            )
            .options(sa.orm.joinedload(PersonalGoal.school_goal))
            .order_by(PersonalGoal.shared_at.desc())
        )
    )


@dataclass(frozen=True)
class SchoolGoalRow:
    goal: SchoolGoal
    #: Teachers' goals that serve it; None when fewer than MIN_GROUP (not shown).
    personal_goals: int | None


def school_goal_overview(organisation: Organisation) -> list[SchoolGoalRow]:
    """The organisation's goals, each with how many teachers' goals serve it (from five up)."""
    goals = list(
        db.session.scalars(
            sa.select(SchoolGoal)
            .where(SchoolGoal.organisation_id == organisation.id)
            .options(sa.orm.selectinload(SchoolGoal.themes))
            .order_by(SchoolGoal.status, SchoolGoal.title)
        )
    )
    counts = dict(
        db.session.execute(
            sa.select(PersonalGoal.school_goal_id, sa.func.count())
            .where(PersonalGoal.school_goal_id.in_([goal.id for goal in goals] or [-1]))
            .group_by(PersonalGoal.school_goal_id)
        ).all()
    )
    return [
        SchoolGoalRow(goal, counts[goal.id] if counts.get(goal.id, 0) >= MIN_GROUP else None)
        for goal in goals
    ]


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


def add_school_goal(organisation: Organisation, user: User, fields: SchoolGoalFields) -> SchoolGoal:
    if not leads(user, organisation):
        raise ServiceError(_l("Only the school's leaders and HR advisors record its goals."))
    _check_school_goal(fields)
    goal = SchoolGoal(organisation_id=organisation.id, created_by_id=user.id)
    _apply_school_goal(goal, fields)
    db.session.add(goal)
    db.session.flush()
    return goal


def update_school_goal(goal: SchoolGoal, user: User, fields: SchoolGoalFields) -> None:
    if not leads(user, goal.organisation):
        raise ServiceError(_l("Only the school's leaders and HR advisors record its goals."))
    _check_school_goal(fields)
    _apply_school_goal(goal, fields)
    db.session.flush()
