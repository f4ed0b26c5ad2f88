"""Who may see a live session, sign up for it, enter its room and run it.

Shared by the pages and the Socket.IO handlers, which re-check it on every join and every action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from plc.communities import services as communities
from plc.communities.models import Community, Visibility
from plc.extensions import db
from plc.live.models import Audience, LiveSession, RoomRemoval


@dataclass(frozen=True)
class SessionAccess:
    """What one person may do with one session."""

    session: LiveSession
    community: communities.Access
    removed: bool  #: removed from the room by a facilitator

    @property
    def logged_in(self) -> bool:
        return self.community.logged_in

    @property
    def is_open_to_all(self) -> bool:
        """Open to every teacher, in a community that is not hidden."""
        return (
            self.session.audience == Audience.EVERYONE
            and self.session.community.visibility != Visibility.INVITE
        )

    @property
    def can_see(self) -> bool:
        return self.community.can_read or (self.is_open_to_all and self.community.can_see)

    @property
    def can_facilitate(self) -> bool:
        return self.community.can_facilitate

    @property
    def may_come(self) -> bool:
        """May sign up and take part (the session's audience), whether or not it is still on."""
        if not self.logged_in:
            return False
        return (
            self.can_facilitate
            or self.community.is_member
            or (self.is_open_to_all and self.community.can_see)
        )

    @property
    def can_respond(self) -> bool:
        """May answer going / maybe / not going now."""
        return self.may_come and not self.session.is_cancelled and not self.session.is_past()

    @property
    def can_enter_room(self) -> bool:
        """May be in the live room now: facilitators always (to prepare); others while it is open
        and unless they were removed."""
        if self.can_facilitate:
            return self.logged_in and not self.session.is_cancelled
        return self.may_come and not self.removed and self.session.room_is_open()


def session_access(session: LiveSession, user: Any) -> SessionAccess:
    """Access to `session` for `user` (logged in or not), from the database as it is now."""
    community_access = communities.access_for(session.community, user)
    removed = False
    if community_access.logged_in:
        removed = (
            db.session.get(RoomRemoval, (session.id, user.id), populate_existing=True) is not None
        )
    return SessionAccess(session, community_access, removed)


def visible_sessions_filter(user: Any) -> sa.ColumnElement[bool]:
    """SQL twin of `SessionAccess.can_see` (join Community on LiveSession.community_id)."""
    open_to_all = sa.and_(
        LiveSession.audience == Audience.EVERYONE, Community.visibility != Visibility.INVITE
    )
    return sa.or_(communities.readable_filter(user), open_to_all)
