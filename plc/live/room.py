"""The live room: chat, questions, polls, raised hands, facilitator controls and attendance.

Services flush and never commit: the Socket.IO handler (`plc/live/realtime.py`) commits once per
event and only then broadcasts. The rules that must hold under concurrent events rest on the
database, not on checks in Python:

- a chat message or question is stored once per (session, person, client_id): a resend after a
  dropped connection gets the stored row back (unique constraint, insert inside a SAVEPOINT);
- one vote per person per question and one ballot per person per poll (primary keys); a ballot
  is final: it cannot be changed or withdrawn, so counts only ever go up and a client can always
  tell the newer of two results (the one with more ballots);
- vote counts change in SQL (`vote_count = vote_count + 1`), never read-modify-write;
- a poll vote reads its poll `FOR SHARE` on PostgreSQL, so closing a poll waits for the votes in
  flight and a vote after the close sees it closed (SQLite's write transactions are serial).

Attendance is one row per connection and session. A connection shows it is alive with every
join and action, and with a heartbeat when `seen_at` is older than TOUCH_AFTER; a row left open
by a crash counts until its last sign of life and is closed there by the next join or heartbeat
in the room (`close_stale_attendance`). Who is here is everyone with an open stay; every change
of it is one step between two versions (`change_presence`). Attended minutes merge a
person's overlapping stays and are clipped to the scheduled start and end.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from plc.auth.models import User
from plc.communities.models import CommunityMember, MemberRole, MemberStatus
from plc.core.errors import ServiceError
from plc.core.models import utcnow
from plc.extensions import db
from plc.live.access import SessionAccess, session_access
from plc.live.models import (
    Attendance,
    ChatMessage,
    LiveSession,
    Poll,
    PollBallot,
    PollChoice,
    PollOption,
    PollStatus,
    Question,
    QuestionStatus,
    QuestionVote,
    RaisedHand,
    RoomRemoval,
    RoomState,
)

#: Clients send a heartbeat this often (seconds); the server tells them in the join answer.
HEARTBEAT_SECONDS = 30
#: A connection without a sign of life for this long is gone (a crash, a lost network).
STALE_AFTER = timedelta(seconds=3 * HEARTBEAT_SECONDS)
#: A heartbeat writes `seen_at` only when it is older than this; a connection seen more
#: recently (it joined or acted) costs the heartbeat no write at all.
TOUCH_AFTER = timedelta(seconds=HEARTBEAT_SECONDS / 2)

T = TypeVar("T")

MAX_MESSAGE = 2000
MAX_QUESTION = 1000
MAX_POLL_QUESTION = 300
MAX_POLL_OPTION = 200
MAX_POLL_OPTIONS = 10
_CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_FACILITATING_ROLES = (MemberRole.FACILITATOR, MemberRole.OWNER)


class ErrorCode(StrEnum):
    """The `error.code` values of the protocol (docs/REALTIME.md)."""

    UNAUTHENTICATED = "unauthenticated"
    BAD_ORIGIN = "bad_origin"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    REMOVED = "removed"
    ROOM_CLOSED = "room_closed"
    NOT_JOINED = "not_joined"
    INVALID = "invalid"
    QUESTION_NOT_OPEN = "question_not_open"
    POLL_NOT_OPEN = "poll_not_open"
    ALREADY_VOTED = "already_voted"
    INTERNAL = "internal"


class RoomError(ServiceError):
    """A rule of the room was broken; `code` is the protocol's error code, `message` (lazy) is
    for the person, in their language."""

    def __init__(self, code: ErrorCode, message: Any, field: str | None = None) -> None:
        super().__init__(message, field)
        self.code = code


def _not_found() -> RoomError:
    return RoomError(ErrorCode.NOT_FOUND, _l("This does not exist (any more)."))


# -- input -------------------------------------------------------------------------------------


def clean_client_id(value: Any) -> str:
    """The sender's own id for a message or question: 1–64 letters, digits, - or _."""
    if not isinstance(value, str) or not _CLIENT_ID.fullmatch(value):
        raise RoomError(
            ErrorCode.INVALID, _l("The message has no valid client id."), field="client_id"
        )
    return value


def _clean_text(value: Any, limit: int, field: str, empty: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RoomError(ErrorCode.INVALID, empty, field=field)
    text = value.strip()
    if len(text) > limit:
        raise RoomError(
            ErrorCode.INVALID, _l("Use at most %(n)d characters.", n=limit), field=field
        )
    return text


# -- attendance --------------------------------------------------------------------------------


def record_join(
    session: LiveSession, user: User, connection_id: str, now: datetime | None = None
) -> Attendance:
    """Start a stay for this connection, or keep the one it has (a second join is harmless)."""
    now = now or utcnow()
    stay = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.session_id == session.id,
            Attendance.connection_id == connection_id,
            Attendance.left_at.is_(None),
        )
    )
    if stay is None:
        stay = Attendance(
            session_id=session.id,
            user_id=user.id,
            connection_id=connection_id,
            joined_at=now,
            seen_at=now,
        )
        db.session.add(stay)
    else:
        stay.seen_at = now
    db.session.flush()
    return stay


def touch_attendance(
    session: LiveSession,
    connection_id: str,
    now: datetime | None = None,
    *,
    older_than: datetime | None = None,
) -> bool:
    """Record a sign of life of the connection; False when it has no open stay (any more).
    With `older_than`, only a `seen_at` before it is moved (the heartbeat's conditional touch:
    two pings at once write once)."""
    condition = [
        Attendance.session_id == session.id,
        Attendance.connection_id == connection_id,
        Attendance.left_at.is_(None),
    ]
    if older_than is not None:
        condition.append(Attendance.seen_at < older_than)
    result = db.session.execute(
        sa.update(Attendance).where(*condition).values(seen_at=now or utcnow())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _lower_hands_of_absent(session_id: int, user_ids: Iterable[int]) -> None:
    """A raised hand goes down with its person's last connection."""
    for user_id in set(user_ids):
        still_here = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Attendance)
            .where(
                Attendance.session_id == session_id,
                Attendance.user_id == user_id,
                Attendance.left_at.is_(None),
            )
        )
        if not still_here:
            db.session.execute(
                sa.delete(RaisedHand).where(
                    RaisedHand.session_id == session_id, RaisedHand.user_id == user_id
                )
            )


def _end_stays(where: sa.ColumnElement[bool], now: datetime) -> list[tuple[int, int]]:
    """Close the open stays matching `where`; returns their (session id, user id)."""
    ended = db.session.execute(
        sa.select(Attendance.session_id, Attendance.user_id).where(
            where, Attendance.left_at.is_(None)
        )
    ).all()
    if ended:
        db.session.execute(
            sa.update(Attendance)
            .where(where, Attendance.left_at.is_(None))
            .values(left_at=now, seen_at=now)
        )
        by_session: dict[int, list[int]] = defaultdict(list)
        for session_id, user_id in ended:
            by_session[session_id].append(user_id)
        for session_id, user_ids in by_session.items():
            _lower_hands_of_absent(session_id, user_ids)
    return [(session_id, user_id) for session_id, user_id in ended]


def record_leave(session: LiveSession, connection_id: str, now: datetime | None = None) -> bool:
    """End the connection's stay in this session; True when it had one."""
    ended = _end_stays(
        sa.and_(Attendance.session_id == session.id, Attendance.connection_id == connection_id),
        now or utcnow(),
    )
    return bool(ended)


def sessions_of_connection(connection_id: str) -> list[int]:
    """The sessions in which this connection has an open stay."""
    return sorted(
        set(
            db.session.scalars(
                sa.select(Attendance.session_id).where(
                    Attendance.connection_id == connection_id, Attendance.left_at.is_(None)
                )
            ).all()
        )
    )


def end_connection(connection_id: str, now: datetime | None = None) -> list[int]:
    """A connection dropped: end all its stays. Returns the ids of the sessions it was in."""
    ended = _end_stays(Attendance.connection_id == connection_id, now or utcnow())
    return sorted({session_id for session_id, _user_id in ended})


def close_stale_attendance(session: LiveSession, now: datetime | None = None) -> int:
    """Close the stays whose connection died without a goodbye (a crash, a lost network) at
    their last sign of life. Returns how many were closed."""
    cutoff = (now or utcnow()) - STALE_AFTER
    stale = sa.and_(Attendance.session_id == session.id, Attendance.seen_at < cutoff)
    user_ids = db.session.scalars(
        sa.select(Attendance.user_id).where(stale, Attendance.left_at.is_(None))
    ).all()
    if not user_ids:
        return 0
    db.session.execute(
        sa.update(Attendance)
        .where(stale, Attendance.left_at.is_(None))
        .values(left_at=Attendance.seen_at)
    )
    _lower_hands_of_absent(session.id, user_ids)
    return len(user_ids)


def connections_of(session: LiveSession, user_id: int) -> list[str]:
    """The connections (Socket.IO sids, on any server process) with which `user_id` is in the
    room now."""
    return list(
        db.session.scalars(
            sa.select(Attendance.connection_id).where(
                Attendance.session_id == session.id,
                Attendance.user_id == user_id,
                Attendance.left_at.is_(None),
            )
        ).all()
    )


# -- who is here: the list, its version, and each change as a step between versions ------------


@dataclass(frozen=True)
class PresentPerson:
    user_id: int
    name: str
    facilitator: bool


@dataclass(frozen=True)
class Presence:
    """Who is in the room: everyone with an open stay. `version` grows with every change of
    the session's stays (see `presence_version`)."""

    version: int
    people: list[PresentPerson]


@dataclass(frozen=True)
class PresenceChange:
    """One step of the presence list, made under `lock_presence`: from `previous` to
    `version`. Steps chain (the next one's `previous` is this one's `version`), so a client
    that applies them one after the other knows when it missed one."""

    previous: int
    version: int
    joined: list[int]  #: user ids in the room now that were not before
    left: list[int]  #: user ids no longer in the room (their last connection ended)
    hands_changed: bool  #: the hand queue changed too (a hand goes down with its person)


def _facilitator_ids(session: LiveSession, user_ids: Iterable[int]) -> set[int]:
    ids = set(user_ids)
    if not ids:
        return set()
    admins = db.session.scalars(
        sa.select(User.id).where(User.id.in_(ids), User.is_admin.is_(True))
    ).all()
    facilitators = db.session.scalars(
        sa.select(CommunityMember.user_id).where(
            CommunityMember.community_id == session.community_id,
            CommunityMember.user_id.in_(ids),
            CommunityMember.status == MemberStatus.ACTIVE,
            CommunityMember.role.in_(_FACILITATING_ROLES),
        )
    ).all()
    return set(admins) | set(facilitators)


def _version_row(session_id: int, stale_before: datetime | None = None) -> tuple[int, int]:
    """(version, open stays whose last sign of life is before `stale_before`)."""
    stale = (
        sa.func.count(
            sa.case((sa.and_(Attendance.left_at.is_(None), Attendance.seen_at < stale_before), 1))
        )
        if stale_before is not None
        else sa.literal(0)
    )
    last_id, ended, stale_count = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.max(Attendance.id), 0),
            sa.func.count(Attendance.left_at),
            stale,
        ).where(Attendance.session_id == session_id)
    ).one()
    return int(last_id) + int(ended), int(stale_count)


def presence_version(session: LiveSession) -> int:
    """Grows with every stay that starts (its id) and every stay that ends (the count of
    ended ones): the newest stay id plus the number of ended stays of the session."""
    return _version_row(session.id)[0]


def lock_presence(session: LiveSession) -> None:
    """Changes of one session's presence one at a time, so that each `PresenceChange` starts
    where the one before it ended. PostgreSQL: the session's row `FOR NO KEY UPDATE` (which
    leaves the inserts that refer to it alone); SQLite: write transactions are serial anyway
    (SQLAlchemy leaves out the FOR UPDATE clause)."""
    db.session.execute(
        sa.select(LiveSession.id)
        .where(LiveSession.id == session.id)
        .with_for_update(key_share=True)
    )


def _present_ids(session: LiveSession) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Attendance.user_id).where(
                Attendance.session_id == session.id, Attendance.left_at.is_(None)
            )
        ).all()
    )


def change_presence(
    session: LiveSession, act: Callable[[], T], *, diff: bool = True
) -> tuple[T, PresenceChange | None]:
    """Run `act` (which starts or ends stays) as one step of the presence list: under
    `lock_presence`, with the version (and, with `diff`, the people and the hand queue) before
    and after. None when the version did not move (a second join of the same connection, a
    leave without a stay). A join needs no `diff`: its step names the person who came, and a
    join changes no hands; that keeps a join's write transaction to a few statements."""
    lock_presence(session)
    before, _stale = _version_row(session.id)
    people = _present_ids(session) if diff else set()
    hands = hands_version(session) if diff else ""
    result = act()
    db.session.flush()
    after, _stale = _version_row(session.id)
    if after == before:
        return result, None
    now_here = _present_ids(session) if diff else set()
    return result, PresenceChange(
        previous=before,
        version=after,
        joined=sorted(now_here - people),
        left=sorted(people - now_here),
        hands_changed=diff and hands_version(session) != hands,
    )


def has_stale_stays(session: LiveSession, now: datetime | None = None) -> bool:
    """Whether an open stay of the session fell silent for longer than STALE_AFTER (reads)."""
    return _version_row(session.id, stale_before=(now or utcnow()) - STALE_AFTER)[1] > 0


def present_person(session: LiveSession, user: User) -> PresentPerson:
    """How `user` appears in the presence list."""
    return PresentPerson(
        user.id, user.display_name, user.id in _facilitator_ids(session, [user.id])
    )


def presence(session: LiveSession) -> Presence:
    """The people in the room now: everyone with an open stay, by name. A stay whose connection
    fell silent for longer than STALE_AFTER is closed (`close_stale_attendance`, on the next
    join or heartbeat in the room), which takes its person out with a `presence:left`."""
    # The version and the people in ONE statement, so both come from one snapshot. Read by two
    # statements, PostgreSQL (READ COMMITTED: a snapshot per statement) could give the list
    # before a join and the version after it; a client would then ignore that join's step as
    # already in its list (docs/REALTIME.md, rule 2) and miss the person for good.
    version = (
        sa.select(
            (
                sa.func.coalesce(sa.func.max(Attendance.id), 0) + sa.func.count(Attendance.left_at)
            ).label("version")
        )
        .where(Attendance.session_id == session.id)
        .subquery()
    )
    here = (
        sa.select(User.id.label("id"), User.display_name.label("name"))
        .join(Attendance, Attendance.user_id == User.id)
        .where(Attendance.session_id == session.id, Attendance.left_at.is_(None))
        .distinct()
        .subquery()
    )
    rows = db.session.execute(
        sa.select(version.c.version, here.c.id, here.c.name)
        .select_from(version.outerjoin(here, sa.true()))
        .order_by(here.c.name, here.c.id)
    ).all()
    people = [(user_id, name) for _version, user_id, name in rows if user_id is not None]
    facilitators = _facilitator_ids(session, (user_id for user_id, _name in people))
    return Presence(
        version=int(rows[0][0]),
        people=[PresentPerson(user_id, name, user_id in facilitators) for user_id, name in people],
    )


@dataclass(frozen=True)
class Pulse:
    """What a heartbeat needs, read without writing."""

    seen_at: datetime | None  #: the connection's open stay's last sign of life; None: no stay
    stale: int  #: open stays of the session silent for longer than STALE_AFTER
    presence_version: int
    hands_version: str
    last_message_id: int


def pulse(session: LiveSession, connection_id: str, now: datetime | None = None) -> Pulse:
    now = now or utcnow()
    version, stale = _version_row(session.id, stale_before=now - STALE_AFTER)
    seen_at = db.session.scalar(
        sa.select(Attendance.seen_at).where(
            Attendance.session_id == session.id,
            Attendance.connection_id == connection_id,
            Attendance.left_at.is_(None),
        )
    )
    return Pulse(
        seen_at=seen_at,
        stale=stale,
        presence_version=version,
        hands_version=hands_version(session),
        last_message_id=last_message_id(session),
    )


@dataclass(frozen=True)
class Stay:
    """One person's time in the room, for the summary."""

    user: User
    minutes: int
    first_join: datetime
    last_leave: datetime | None  #: None while still in the room


def _stay_end(stay: Attendance, now: datetime) -> datetime | None:
    """When a stay ended: its leave time; for an open one, now while the connection lives, else
    its last sign of life. None means still in the room."""
    if stay.left_at is not None:
        return stay.left_at
    if now - stay.seen_at <= STALE_AFTER:
        return None
    return stay.seen_at


def _merged_seconds(intervals: list[tuple[datetime, datetime]]) -> float:
    total = 0.0
    current_start: datetime | None = None
    current_end: datetime | None = None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_start is not None and current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        elif end > current_end:
            current_end = end
    if current_start is not None and current_end is not None:
        total += (current_end - current_start).total_seconds()
    return total


def _attendance(session: LiveSession, now: datetime) -> dict[int, tuple[int, list[Attendance]]]:
    stays = db.session.scalars(
        sa.select(Attendance)
        .where(Attendance.session_id == session.id)
        .order_by(Attendance.joined_at, Attendance.id)
    ).all()
    by_user: dict[int, list[Attendance]] = defaultdict(list)
    for stay in stays:
        by_user[stay.user_id].append(stay)
    result: dict[int, tuple[int, list[Attendance]]] = {}
    for user_id, rows in by_user.items():
        intervals = []
        for stay in rows:
            start = max(stay.joined_at, session.starts_at)
            end = min(_stay_end(stay, now) or now, session.ends_at)
            if end > start:
                intervals.append((start, end))
        seconds = _merged_seconds(intervals)
        result[user_id] = (int((seconds + 30) // 60), rows)  # whole minutes, half up
    return result


def attended_minutes(session: LiveSession, now: datetime | None = None) -> dict[int, int]:
    """Minutes each person (user id) spent in the room between the scheduled start and end,
    overlapping stays (two tabs, a reconnect) counted once. Everyone who entered is listed, also
    with 0 minutes (in the room only before the start). Reads only."""
    return {
        user_id: minutes
        for user_id, (minutes, _rows) in _attendance(session, now or utcnow()).items()
    }


# -- chat --------------------------------------------------------------------------------------


def _message_by_client_id(session: LiveSession, user: User, client_id: str) -> ChatMessage | None:
    return db.session.scalar(
        sa.select(ChatMessage).where(
            ChatMessage.session_id == session.id,
            ChatMessage.user_id == user.id,
            ChatMessage.client_id == client_id,
        )
    )


def send_message(
    session: LiveSession, user: User, client_id: Any, body: Any
) -> tuple[ChatMessage, bool]:
    """Store a chat message. Returns (message, True), or the message stored earlier under the
    same client id and False (a resend after a dropped connection), also when both arrive at the
    same moment over two connections."""
    client_id = clean_client_id(client_id)
    if (existing := _message_by_client_id(session, user, client_id)) is not None:
        return existing, False
    text = _clean_text(body, MAX_MESSAGE, "body", _l("Write a message."))
    message = ChatMessage(session_id=session.id, user_id=user.id, client_id=client_id, body=text)
    message.user = user
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except sa.exc.IntegrityError:  # the same message, stored by the other connection just now
        stored = _message_by_client_id(session, user, client_id)
        if stored is None:  # pragma: no cover - a failure other than the unique constraint
            raise
        return stored, False
    return message, True


def messages_since(session: LiveSession, since: int = 0) -> list[ChatMessage]:
    """The messages after message id `since` (not removed), oldest first: what a (re)joining
    client missed."""
    return list(
        db.session.scalars(
            sa.select(ChatMessage)
            .where(
                ChatMessage.session_id == session.id,
                ChatMessage.id > since,
                ChatMessage.removed_at.is_(None),
            )
            .options(joinedload(ChatMessage.user))
            .order_by(ChatMessage.id)
        ).all()
    )


def removed_message_ids(session: LiveSession) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(ChatMessage.id)
            .where(ChatMessage.session_id == session.id, ChatMessage.removed_at.is_not(None))
            .order_by(ChatMessage.id)
        ).all()
    )


def last_message_id(session: LiveSession) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(ChatMessage.id), 0)).where(
                ChatMessage.session_id == session.id
            )
        )
        or 0
    )


def _message_in(session: LiveSession, message_id: Any) -> ChatMessage:
    message = db.session.get(ChatMessage, message_id) if isinstance(message_id, int) else None
    if message is None or message.session_id != session.id:
        raise _not_found()
    return message


def remove_message(
    session: LiveSession, message_id: Any, now: datetime | None = None
) -> ChatMessage:
    """A facilitator takes a message out of the chat (kept, marked removed); unpinned too."""
    message = _message_in(session, message_id)
    if message.removed_at is None:
        message.removed_at = now or utcnow()
    if session.pinned_message_id == message.id:
        session.pinned_message_id = None
    db.session.flush()
    return message


def pin_message(session: LiveSession, message_id: Any) -> ChatMessage | None:
    """Pin a message above the chat (None unpins)."""
    if message_id is None:
        session.pinned_message_id = None
        db.session.flush()
        return None
    message = _message_in(session, message_id)
    if message.removed_at is not None:
        raise _not_found()
    session.pinned_message_id = message.id
    db.session.flush()
    return message


def pinned_message(session: LiveSession) -> ChatMessage | None:
    if session.pinned_message_id is None:
        return None
    return db.session.get(ChatMessage, session.pinned_message_id)


# -- questions ---------------------------------------------------------------------------------


def _question_by_client_id(session: LiveSession, user: User, client_id: str) -> Question | None:
    return db.session.scalar(
        sa.select(Question).where(
            Question.session_id == session.id,
            Question.user_id == user.id,
            Question.client_id == client_id,
        )
    )


def ask_question(
    session: LiveSession, user: User, client_id: Any, body: Any
) -> tuple[Question, bool]:
    """Store a question for the facilitators; a resend with the same client id returns the
    stored one and False (as `send_message`)."""
    client_id = clean_client_id(client_id)
    if (existing := _question_by_client_id(session, user, client_id)) is not None:
        return existing, False
    text = _clean_text(body, MAX_QUESTION, "body", _l("Write a question."))
    question = Question(session_id=session.id, user_id=user.id, client_id=client_id, body=text)
    question.user = user
    try:
        with db.session.begin_nested():
            db.session.add(question)
    except sa.exc.IntegrityError:
        stored = _question_by_client_id(session, user, client_id)
        if stored is None:  # pragma: no cover
            raise
        return stored, False
    return question, True


def _question_in(session: LiveSession, question_id: Any) -> Question:
    question = db.session.get(Question, question_id) if isinstance(question_id, int) else None
    if question is None or question.session_id != session.id:
        raise _not_found()
    return question


def vote_question(session: LiveSession, user: User, question_id: Any) -> tuple[Question, bool]:
    """One vote per person (the primary key decides, also for two votes at the same moment).
    Returns the question with its count and whether this vote was new. Votes are not withdrawn,
    so a question's count only grows."""
    question = _question_in(session, question_id)
    if question.status != QuestionStatus.OPEN:
        raise RoomError(
            ErrorCode.QUESTION_NOT_OPEN, _l("This question is no longer open for votes.")
        )
    try:
        with db.session.begin_nested():
            db.session.add(QuestionVote(question_id=question.id, user_id=user.id))
    except sa.exc.IntegrityError:
        db.session.refresh(question)
        return question, False
    count = db.session.execute(
        sa.update(Question)
        .where(Question.id == question.id)
        .values(vote_count=Question.vote_count + 1)
        .returning(Question.vote_count)
    ).scalar_one()
    set_committed_value(question, "vote_count", count)
    return question, True


def set_question_status(
    session: LiveSession, question_id: Any, status: Any, now: datetime | None = None
) -> Question:
    """A facilitator marks a question answered, hides it, or opens it again."""
    question = _question_in(session, question_id)
    try:
        new_status = QuestionStatus(status)
    except ValueError:
        raise RoomError(
            ErrorCode.INVALID, _l("Choose open, answered or hidden."), field="status"
        ) from None
    question.status = new_status
    question.decided_at = None if new_status == QuestionStatus.OPEN else (now or utcnow())
    db.session.flush()
    return question


def questions_for(
    session: LiveSession, user: User, *, facilitator: bool
) -> list[tuple[Question, bool]]:
    """The questions this person sees, most votes first, each with whether they voted for it.
    Hidden questions: only for facilitators and for the person who asked."""
    shown = (
        sa.true()
        if facilitator
        else sa.or_(Question.status != QuestionStatus.HIDDEN, Question.user_id == user.id)
    )
    questions = db.session.scalars(
        sa.select(Question)
        .where(Question.session_id == session.id, shown)
        .options(joinedload(Question.user))
        .order_by(Question.vote_count.desc(), Question.id)
    ).all()
    voted = set(
        db.session.scalars(
            sa.select(QuestionVote.question_id)
            .join(Question, Question.id == QuestionVote.question_id)
            .where(Question.session_id == session.id, QuestionVote.user_id == user.id)
        ).all()
    )
    return [(question, question.id in voted) for question in questions]


# -- polls -------------------------------------------------------------------------------------


def create_poll(
    session: LiveSession, user: User, question: Any, options: Any, multiple: Any = False
) -> Poll:
    """A facilitator prepares a poll (a draft: participants see it once it is opened)."""
    text = _clean_text(question, MAX_POLL_QUESTION, "question", _l("Write the poll question."))
    if not isinstance(options, list):
        options = []
    labels: list[str] = []
    for option in options:
        if isinstance(option, str) and option.strip():
            label = _clean_text(option, MAX_POLL_OPTION, "options", _l("Write the options."))
            if label not in labels:
                labels.append(label)
    if not 2 <= len(labels) <= MAX_POLL_OPTIONS:
        raise RoomError(
            ErrorCode.INVALID,
            _l("Give between 2 and %(n)d different options.", n=MAX_POLL_OPTIONS),
            field="options",
        )
    poll = Poll(
        session_id=session.id,
        question=text,
        multiple=bool(multiple),
        created_by_id=user.id,
        options=[PollOption(label=label, position=n) for n, label in enumerate(labels)],
    )
    db.session.add(poll)
    db.session.flush()
    return poll


def _poll_in(session: LiveSession, poll_id: Any, *, lock: bool = False) -> Poll:
    if not isinstance(poll_id, int):
        raise _not_found()
    query = (
        sa.select(Poll)
        .where(Poll.id == poll_id, Poll.session_id == session.id)
        .options(selectinload(Poll.options))
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(read=True)
    poll = db.session.scalar(query)
    if poll is None:
        raise _not_found()
    return poll


def _move_poll(
    session: LiveSession, poll_id: Any, source: PollStatus, target: PollStatus, now: datetime
) -> Poll:
    poll = _poll_in(session, poll_id)
    stamp = {"opened_at": now} if target == PollStatus.OPEN else {"closed_at": now}
    # Conditional: two facilitators clicking at once move it once; a close waits for the votes
    # in flight (they hold the row FOR SHARE on PostgreSQL).
    moved = db.session.execute(
        sa.update(Poll)
        .where(Poll.id == poll.id, Poll.status == source)
        .values(status=target, **stamp)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    db.session.refresh(poll)
    if not moved and poll.status != target:  # (the same move twice is no error)
        if target == PollStatus.CLOSED:
            raise RoomError(ErrorCode.POLL_NOT_OPEN, _l("This poll is not open for votes."))
        raise RoomError(ErrorCode.INVALID, _l("A closed poll cannot be opened again."))
    return poll


def open_poll(session: LiveSession, poll_id: Any, now: datetime | None = None) -> Poll:
    """Open a draft poll for votes."""
    return _move_poll(session, poll_id, PollStatus.DRAFT, PollStatus.OPEN, now or utcnow())


def close_poll(session: LiveSession, poll_id: Any, now: datetime | None = None) -> Poll:
    """Close an open poll; its results stay."""
    return _move_poll(session, poll_id, PollStatus.OPEN, PollStatus.CLOSED, now or utcnow())


def vote_poll(session: LiveSession, user: User, poll_id: Any, option_ids: Any) -> Poll:
    """Cast this person's ballot: one option, or one or more for a multiple-choice poll. A
    ballot is final (see the module doc); a second one fails with `already_voted`."""
    poll = _poll_in(session, poll_id, lock=True)
    if poll.status != PollStatus.OPEN:
        raise RoomError(ErrorCode.POLL_NOT_OPEN, _l("This poll is not open for votes."))
    valid = {option.id for option in poll.options}
    chosen = (
        sorted({o for o in option_ids if isinstance(o, int)})
        if isinstance(option_ids, list)
        else []
    )
    if (
        not chosen
        or not set(chosen) <= valid
        or (not poll.multiple and len(chosen) != 1)
        or len(chosen) != len(option_ids)
    ):
        raise RoomError(
            ErrorCode.INVALID,
            _l("Choose one or more options.") if poll.multiple else _l("Choose one option."),
            field="option_ids",
        )
    try:
        with db.session.begin_nested():
            db.session.add(PollBallot(poll_id=poll.id, user_id=user.id))
            db.session.flush()
            db.session.add_all(
                PollChoice(poll_id=poll.id, user_id=user.id, option_id=option_id)
                for option_id in chosen
            )
    except sa.exc.IntegrityError:
        raise RoomError(
            ErrorCode.ALREADY_VOTED, _l("You have already voted in this poll.")
        ) from None
    return poll


@dataclass(frozen=True)
class PollResults:
    ballots: int  #: people who voted
    counts: dict[int, int]  #: option id → times chosen


def poll_results(polls: Sequence[Poll]) -> dict[int, PollResults]:
    """Results of each poll, from the ballots (two statements, however many polls)."""
    ids = [poll.id for poll in polls]
    if not ids:
        return {}
    ballots = dict(
        db.session.execute(
            sa.select(PollBallot.poll_id, sa.func.count())
            .where(PollBallot.poll_id.in_(ids))
            .group_by(PollBallot.poll_id)
        ).all()
    )
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for poll_id, option_id, count in db.session.execute(
        sa.select(PollChoice.poll_id, PollChoice.option_id, sa.func.count())
        .where(PollChoice.poll_id.in_(ids))
        .group_by(PollChoice.poll_id, PollChoice.option_id)
    ).all():
        counts[poll_id][option_id] = count
    return {
        poll.id: PollResults(
            ballots=int(ballots.get(poll.id, 0)),
            counts={option.id: int(counts[poll.id].get(option.id, 0)) for option in poll.options},
        )
        for poll in polls
    }


def polls_for(session: LiveSession, *, facilitator: bool) -> list[Poll]:
    """The polls of the room, oldest first; drafts only for facilitators."""
    query = (
        sa.select(Poll)
        .where(Poll.session_id == session.id)
        .options(selectinload(Poll.options))
        .order_by(Poll.id)
    )
    if not facilitator:
        query = query.where(Poll.status != PollStatus.DRAFT)
    return list(db.session.scalars(query).all())


def my_choices(polls: Sequence[Poll], user: User) -> dict[int, list[int]]:
    """The options this person chose, per poll they voted in."""
    ids = [poll.id for poll in polls]
    if not ids:
        return {}
    chosen: dict[int, list[int]] = defaultdict(list)
    for poll_id, option_id in db.session.execute(
        sa.select(PollChoice.poll_id, PollChoice.option_id)
        .where(PollChoice.poll_id.in_(ids), PollChoice.user_id == user.id)
        .order_by(PollChoice.option_id)
    ).all():
        chosen[poll_id].append(option_id)
    return dict(chosen)


# -- raised hands ------------------------------------------------------------------------------


def raise_hand(session: LiveSession, user: User, now: datetime | None = None) -> bool:
    """Join the queue of raised hands (raising it again keeps the place). True when new."""
    try:
        with db.session.begin_nested():
            db.session.add(
                RaisedHand(session_id=session.id, user_id=user.id, raised_at=now or utcnow())
            )
    except sa.exc.IntegrityError:
        return False
    return True


def lower_hand(session: LiveSession, user_id: int) -> bool:
    """Take a hand out of the queue (one's own, or anyone's by a facilitator)."""
    result = db.session.execute(
        sa.delete(RaisedHand).where(
            RaisedHand.session_id == session.id, RaisedHand.user_id == user_id
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _hands_digest(hands: Iterable[tuple[int, datetime]]) -> str:
    text = ";".join(f"{user_id}@{raised_at.isoformat()}" for user_id, raised_at in hands)
    return hashlib.blake2s(text.encode(), digest_size=6).hexdigest()


def hands_version(session: LiveSession) -> str:
    """A short fingerprint of the hand queue (who, since when, in order): equal fingerprints,
    equal queues. Opaque: it tells a client whether its queue is current, not which is newer."""
    return _hands_digest(
        db.session.execute(
            sa.select(RaisedHand.user_id, RaisedHand.raised_at)
            .where(RaisedHand.session_id == session.id)
            .order_by(RaisedHand.raised_at, RaisedHand.user_id)
        ).all()
    )


def hands_version_of(hands: Sequence[RaisedHand]) -> str:
    """`hands_version` of a queue already read (in `hand_queue` order)."""
    return _hands_digest((hand.user_id, hand.raised_at) for hand in hands)


def hand_queue(session: LiveSession) -> list[RaisedHand]:
    """Raised hands in the order raised."""
    return list(
        db.session.scalars(
            sa.select(RaisedHand)
            .where(RaisedHand.session_id == session.id)
            .options(joinedload(RaisedHand.user))
            .order_by(RaisedHand.raised_at, RaisedHand.user_id)
        ).all()
    )


# -- facilitator controls ----------------------------------------------------------------------


def open_room(session: LiveSession) -> None:
    """Open the room now, whatever the clock says (also again after closing it)."""
    session.room_state = RoomState.OPEN
    session.room_closed_at = None
    db.session.flush()


def close_room(session: LiveSession, now: datetime | None = None) -> None:
    """Close the room: the session is over. Everyone's stay ends now and open polls close."""
    now = now or utcnow()
    session.room_state = RoomState.CLOSED
    session.room_closed_at = now
    _end_stays(Attendance.session_id == session.id, now)
    db.session.execute(
        sa.update(Poll)
        .where(Poll.session_id == session.id, Poll.status == PollStatus.OPEN)
        .values(status=PollStatus.CLOSED, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()


def remove_participant(
    session: LiveSession, user_id: Any, by: User, now: datetime | None = None
) -> list[str]:
    """Remove a participant: they cannot come back in. Facilitators cannot be removed (nor can
    one remove oneself). Returns the connections to take out of the room."""
    target = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if target is None:
        raise _not_found()
    if target.id == by.id or session_access(session, target).can_facilitate:
        raise RoomError(ErrorCode.FORBIDDEN, _l("A facilitator cannot be removed from the room."))
    connections = connections_of(session, target.id)
    if db.session.get(RoomRemoval, (session.id, target.id)) is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    RoomRemoval(session_id=session.id, user_id=target.id, removed_by_id=by.id)
                )
        except sa.exc.IntegrityError:  # removed by another facilitator at the same moment
            pass
    _end_stays(
        sa.and_(Attendance.session_id == session.id, Attendance.user_id == target.id),
        now or utcnow(),
    )
    lower_hand(session, target.id)
    return connections


# -- what a joining client gets ----------------------------------------------------------------


@dataclass(frozen=True)
class RoomSnapshot:
    """Everything a (re)joining client needs: the messages it missed and the current state."""

    messages: list[ChatMessage]
    removed_message_ids: list[int]
    last_message_id: int
    pinned: ChatMessage | None
    questions: list[tuple[Question, bool]]
    polls: list[Poll]
    results: dict[int, PollResults]
    my_choices: dict[int, list[int]]
    hands: list[RaisedHand]
    presence: Presence


def room_snapshot(
    session: LiveSession, user: User, access: SessionAccess, since: int = 0
) -> RoomSnapshot:
    facilitator = access.can_facilitate
    polls = polls_for(session, facilitator=facilitator)
    return RoomSnapshot(
        messages=messages_since(session, since),
        removed_message_ids=removed_message_ids(session),
        last_message_id=last_message_id(session),
        pinned=pinned_message(session),
        questions=questions_for(session, user, facilitator=facilitator),
        polls=polls,
        results=poll_results(polls),
        my_choices=my_choices(polls, user),
        hands=hand_queue(session),
        presence=presence(session),
    )


# -- after the session -------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryOption:
    id: int
    label: str
    count: int


@dataclass(frozen=True)
class SummaryPoll:
    poll: Poll
    ballots: int
    options: list[SummaryOption]


@dataclass(frozen=True)
class RoomSummary:
    """What happened in the room, for the page after the session."""

    messages: list[ChatMessage]  #: not removed, oldest first, `.user` loaded (None: deleted)
    questions: list[Question]  #: all, with `.status` and `.vote_count`, most votes first
    polls: list[SummaryPoll]  #: the ones that were opened (drafts left out), oldest first
    attendance: list[Stay]  #: one line per person, by first join


def room_summary(session: LiveSession, now: datetime | None = None) -> RoomSummary:
    """The room's messages, questions, polls with their results, and each person's attendance
    (minutes as `attended_minutes`). Reads only."""
    now = now or utcnow()
    questions = db.session.scalars(
        sa.select(Question)
        .where(Question.session_id == session.id)
        .options(joinedload(Question.user))
        .order_by(Question.vote_count.desc(), Question.id)
    ).all()
    polls = [poll for poll in polls_for(session, facilitator=True) if poll.opened_at is not None]
    results = poll_results(polls)
    summary_polls = [
        SummaryPoll(
            poll=poll,
            ballots=results[poll.id].ballots,
            options=[
                SummaryOption(option.id, option.label, results[poll.id].counts[option.id])
                for option in poll.options
            ],
        )
        for poll in polls
    ]
    attendance = _attendance(session, now)
    users = {
        user.id: user
        for user in db.session.scalars(sa.select(User).where(User.id.in_(list(attendance))))
    }
    stays = []
    for user_id, (minutes, rows) in attendance.items():
        ends = [_stay_end(row, now) for row in rows]
        stays.append(
            Stay(
                user=users[user_id],
                minutes=minutes,
                first_join=min(row.joined_at for row in rows),
                last_leave=None if any(end is None for end in ends) else max(ends),  # type: ignore[type-var]
            )
        )
    stays.sort(key=lambda stay: (stay.first_join, stay.user.id))
    return RoomSummary(
        messages=messages_since(session, 0),
        questions=list(questions),
        polls=summary_polls,
        attendance=stays,
    )
