"""Who may open which dashboard. Anyone else gets a 404, as if the page did not exist.

- **A school's dashboard**: its school leaders and HR advisors, and those of its board
  (`plc.development.goals.leads`); and the board members of its board, who read the figures
  but not what teachers share (teachers share with their school's leaders and HR advisors only).
- **A board's dashboard**: its school leaders, HR advisors and board members (roles held at the
  board itself; a leader of one school reads that school's dashboard, not the board's).
- **The network dashboard**: network coordinators and platform administrators.

Administrators and coordinators read no school's or board's dashboard by virtue of that alone:
those figures are for the people responsible for the school.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from plc.development.goals import LEADER_ROLES, leads, reads_figures
from plc.extensions import db
from plc.organisations.models import (
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    OrganisationRole,
)
from plc.organisations.roles import holds

#: Roles at a board that open its dashboard (and, for board members, the figures of its schools).
BOARD_ROLES = (*LEADER_ROLES, OrganisationRole.BOARD_MEMBER)


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _roles_at(user: Any, organisation_id: int | None, roles: tuple[OrganisationRole, ...]) -> bool:
    return organisation_id is not None and holds(user, [organisation_id], roles)


def reads_shared(user: Any, school: Organisation) -> bool:
    """Reads the goals and records the school's teachers share: its leaders and HR advisors and
    its board's."""
    return _is_user(user) and leads(user, school)


@dataclass(frozen=True)
class SchoolAccess:
    can_read: bool = False
    #: Also reads what the school's teachers share (not so for board members).
    reads_shared: bool = False


def school_access(user: Any, school: Organisation) -> SchoolAccess:
    if school.kind != OrganisationKind.SCHOOL:
        return SchoolAccess()
    if reads_shared(user, school):
        return SchoolAccess(can_read=True, reads_shared=True)
    return SchoolAccess(can_read=reads_figures(user, school))


def may_read_board(user: Any, board: Organisation) -> bool:
    return board.kind == OrganisationKind.BOARD and _roles_at(user, board.id, BOARD_ROLES)


def may_read_network(user: Any) -> bool:
    return _is_user(user) and bool(user.is_coordinator or user.is_admin)


@dataclass
class Available:
    """The dashboards a person may open, for the overview page and their profile."""

    schools: list[Organisation] = field(default_factory=list)
    boards: list[Organisation] = field(default_factory=list)
    network: bool = False

    def __bool__(self) -> bool:
        return bool(self.schools or self.boards or self.network)


def dashboards_for(user: Any) -> Available:
    """In two statements: the person's organisations with a dashboard role, and the schools."""
    if not _is_user(user):
        return Available()
    held = db.session.execute(
        sa.select(Organisation, OrganisationMembership.role)
        .join(OrganisationMembership, OrganisationMembership.organisation_id == Organisation.id)
        .where(
            OrganisationMembership.user_id == user.id,
            OrganisationMembership.status == MembershipStatus.APPROVED,
            OrganisationMembership.role.in_(BOARD_ROLES),
        )
    ).all()
    boards = {org.id: org for org, _role in held if org.kind == OrganisationKind.BOARD}
    led = {org.id for org, role in held if role in LEADER_ROLES}
    schools: list[Organisation] = []
    if led or boards:  # most people lead nothing: no statement for them
        schools = list(
            db.session.scalars(
                sa.select(Organisation).where(
                    Organisation.kind == OrganisationKind.SCHOOL,
                    sa.or_(
                        Organisation.id.in_(led),
                        # leads() also lets the leaders of any parent organisation in; boards
                        # are the parents schools have.
                        Organisation.parent_id.in_(led | set(boards)),
                    ),
                )
            )
        )
    return Available(
        schools=sorted(schools, key=lambda org: org.name.casefold()),
        boards=sorted(boards.values(), key=lambda org: org.name.casefold()),
        network=may_read_network(user),
    )
