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

from plc.auth.models import User
from plc.communities.models import CommunityMember, MemberRole, MemberStatus
from plc.extensions import db
from plc.pilots.models import PROPOSAL_STATUSES, Pilot, PilotOrganisation, pilot_community


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def facilitator_ids(pilot: Pilot) -> set[int]:
    """Facilitators and owners of the pilot's communities."""
    return set(
        db.session.scalars(
            sa.select(CommunityMember.user_id)
            .join(
                pilot_community,
                pilot_community.c.community_id == CommunityMember.community_id,
            )
            .where(
                pilot_community.c.pilot_id == pilot.id,
                CommunityMember.status == MemberStatus.ACTIVE,
                CommunityMember.role.in_([MemberRole.FACILITATOR, MemberRole.OWNER]),
            )
        )
    )


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
    members = set(
        db.session.scalars(
            sa.select(CommunityMember.user_id)
            .join(
                pilot_community,
                pilot_community.c.community_id == CommunityMember.community_id,
            )
            .where(
                pilot_community.c.pilot_id == pilot.id,
                CommunityMember.status == MemberStatus.ACTIVE,
            )
        )
    )
    return members | owner_ids(pilot)


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
