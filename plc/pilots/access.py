"""Who may do what with a pilot. Shared by the pilot pages and by surveys about a pilot.

- The *leads* (whoever proposed it, each organisation's contact, the facilitators of its
  communities, platform admins) edit the charter, move it through its lifecycle, and run its
  surveys.
- The *owners* are the leads plus the sponsors (school leaders and HR): they read survey
  results and non-responders, and write on the timeline.
- Each organisation's contact approves the charter, or asks for changes, for that organisation.
- A proposal (proposed, or changes requested) is seen by its owners only; from approval on,
  everyone can read the pilot, because what a pilot learns is for all of Amsterdam.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context

from plc.auth.models import User
from plc.communities.models import CommunityMember, MemberRole, MemberStatus
from plc.extensions import db
from plc.pilots.models import (
    PROPOSAL_STATUSES,
    Pilot,
    PilotOrganisation,
    PilotStatus,
    pilot_community,
)


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _members(pilot: Pilot) -> list[tuple[int, MemberRole]]:
    """The active members of the pilot's communities with their roles. Kept for the rest of
    the request: the pilot page, its surveys panel and the checks behind them all ask, some for
    the facilitators, some for everyone."""
    if not has_request_context():
        return _read_members(pilot)
    cache: dict[int, list[tuple[int, MemberRole]]] = g.setdefault("plc_pilot_members", {})
    if pilot.id not in cache:
        cache[pilot.id] = _read_members(pilot)
    return cache[pilot.id]


def _read_members(pilot: Pilot) -> list[tuple[int, MemberRole]]:
    rows = db.session.execute(
        sa.select(CommunityMember.user_id, CommunityMember.role)
        .join(pilot_community, pilot_community.c.community_id == CommunityMember.community_id)
        .where(
            pilot_community.c.pilot_id == pilot.id,
            CommunityMember.status == MemberStatus.ACTIVE,
        )
    )
    return [(user_id, role) for user_id, role in rows]


def facilitator_ids(pilot: Pilot) -> set[int]:
    """Facilitators and owners of the pilot's communities."""
    leading = (MemberRole.FACILITATOR, MemberRole.OWNER)
    return {user_id for user_id, role in _members(pilot) if role in leading}


def lead_ids(pilot: Pilot) -> set[int]:
    contacts = {p.contact_id for p in pilot.participants if p.contact_id}
    proposer = {pilot.proposed_by_id} if pilot.proposed_by_id else set()
    return contacts | proposer | facilitator_ids(pilot)


def owner_ids(pilot: Pilot) -> set[int]:
    sponsors = {p.sponsor_id for p in pilot.participants if p.sponsor_id}
    return lead_ids(pilot) | sponsors


def people_ids(pilot: Pilot) -> set[int]:
    """Everyone taking part: the owners and the active members of the pilot's communities
    (the people a pilot survey invites)."""
    return {user_id for user_id, _role in _members(pilot)} | owner_ids(pilot)


@dataclass(frozen=True)
class PilotAccess:
    """What one person may do with one pilot; computed once per request."""

    pilot: Pilot
    user_id: int | None
    is_admin: bool
    leads: frozenset[int]
    owners: frozenset[int]

    @property
    def is_lead(self) -> bool:
        return self.is_admin or self.user_id in self.leads

    @property
    def is_owner(self) -> bool:
        return self.is_admin or self.user_id in self.owners

    @property
    def can_see(self) -> bool:
        return self.pilot.status not in PROPOSAL_STATUSES or self.is_owner

    def contact_row(self) -> PilotOrganisation | None:
        """The participating organisation this person is the contact for, if any."""
        if self.user_id is None:
            return None
        return next((p for p in self.pilot.participants if p.contact_id == self.user_id), None)

    def contact_rows(self) -> list[PilotOrganisation]:
        """Every participating organisation this person speaks for (one person can be the
        contact of a school and of its board)."""
        if self.user_id is None:
            return []
        return [p for p in self.pilot.participants if p.contact_id == self.user_id]


def access_for(pilot: Pilot, user: Any) -> PilotAccess:
    if not _is_user(user):
        return PilotAccess(pilot, None, False, frozenset(), frozenset())
    leads = lead_ids(pilot)
    owners = leads | {p.sponsor_id for p in pilot.participants if p.sponsor_id}
    return PilotAccess(pilot, user.id, bool(user.is_admin), frozenset(leads), frozenset(owners))


def people(pilot: Pilot) -> list[User]:
    ids = people_ids(pilot)
    if not ids:
        return []
    return list(db.session.scalars(sa.select(User).where(User.id.in_(ids)).order_by(User.id)))


# -- the same rules in SQL, for lists ------------------------------------------------------------


def owned_pilot_ids(user_id: int) -> sa.CompoundSelect:
    """SQL: ids of the pilots this person owns (proposer, contact, sponsor, or facilitator of one
    of the pilot's communities); the twin of `owner_ids` for lists. Admins are not included: they
    see every pilot, but own none of them."""
    return sa.union(
        sa.select(Pilot.id).where(Pilot.proposed_by_id == user_id),
        sa.select(PilotOrganisation.pilot_id).where(
            sa.or_(PilotOrganisation.contact_id == user_id, PilotOrganisation.sponsor_id == user_id)
        ),
        sa.select(pilot_community.c.pilot_id)
        .join(
            CommunityMember,
            CommunityMember.community_id == pilot_community.c.community_id,
        )
        .where(
            CommunityMember.user_id == user_id,
            CommunityMember.status == MemberStatus.ACTIVE,
            CommunityMember.role.in_([MemberRole.FACILITATOR, MemberRole.OWNER]),
        ),
    )


def visible_filter(user: Any) -> sa.ColumnElement[bool]:
    """SQL twin of `PilotAccess.can_see`: pilots past their proposal for everyone, proposals for
    their owners, everything for platform admins."""
    public = Pilot.status.not_in(PROPOSAL_STATUSES)
    if not _is_user(user):
        return public
    if user.is_admin:
        return sa.true()
    return sa.or_(public, Pilot.id.in_(owned_pilot_ids(user.id)))


def awaiting_approval_of(user_id: int) -> sa.ColumnElement[bool]:
    """SQL: the pilot waits for this person's approval (they are the contact of an organisation
    that has not approved the current version of the proposed charter)."""
    return sa.and_(
        Pilot.status == PilotStatus.PROPOSED,
        sa.exists().where(
            PilotOrganisation.pilot_id == Pilot.id,
            PilotOrganisation.contact_id == user_id,
            sa.or_(
                PilotOrganisation.approved_version.is_(None),
                PilotOrganisation.approved_version != Pilot.charter_version,
            ),
        ),
    )
