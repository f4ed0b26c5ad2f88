"""The live room over Socket.IO, namespace "/live". The protocol is docs/REALTIME.md.

Every event goes through the same steps:

1. **authenticate**: a connection without a valid login, or from a page of another origin, is
   refused; the login is loaded afresh for every event, so one that ended stops working at once;
2. **re-check access**, fresh from the database (`session_access`), on every join and every
   action: a removal, a closed room or a lost membership takes effect on the next event;
3. **act** through `plc.live.room` (services that flush) and **commit once**;
4. only then **broadcast**, and answer with an acknowledgement: `{"ok": true, ...}` or
   `{"ok": false, "error": {"code": ..., "message": ...}}`, the message in the person's language;
5. `db.session.remove()`: Flask's teardown does not run for socket events.

Writes on SQLite: a socket event runs in the context of the GET that opened the connection, so
each writing handler calls `intend_write()` before its first query (the login's included). The
two frequent events keep the write lock short: `room:join` checks in a read transaction and
starts the stay in a write transaction of a few statements; `room:ping` reads, and writes only
when it must (see `on_ping`).

Presence goes out in steps (`presence:joined`, `presence:left`, each from one version to the
next, made one at a time per session by `room.change_presence`); the whole list only in the join
answer and on `presence:get`. The hand queue goes out whole, only when it changed.

Rooms (Socket.IO's, shared across processes through the message queue in scaled mode):
`live:<session id>` everyone in the room, `live:<id>:facilitators`, `live:<id>:user:<user id>`
every connection of one person (for "you were removed").
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import Any

from flask import Flask, current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_socketio import join_room, leave_room, rooms

from plc.auth.models import User
from plc.core.db import intend_write
from plc.core.health import redis_available
from plc.core.models import utcnow
from plc.extensions import db, socketio
from plc.live import room, services
from plc.live.access import SessionAccess, session_access
from plc.live.models import ChatMessage, LiveSession, Poll, Question, QuestionStatus, RaisedHand
from plc.live.room import ErrorCode, RoomError

log = logging.getLogger(__name__)

NAMESPACE = "/live"


# -- rooms and payloads -------------------------------------------------------------------------


def session_room(session_id: int) -> str:
    return f"live:{session_id}"


def facilitators_room(session_id: int) -> str:
    return f"live:{session_id}:facilitators"


def person_room(session_id: int, user_id: int) -> str:
    return f"live:{session_id}:user:{user_id}"


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.id, "name": user.display_name}


def message_payload(message: ChatMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "client_id": message.client_id,
        "body": message.body,
        "created_at": _time(message.created_at),
        "author": _person(message.user),
    }


def question_payload(question: Question, voted: bool | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": question.id,
        "client_id": question.client_id,
        "body": question.body,
        "status": question.status.value,
        "votes": question.vote_count,
        "created_at": _time(question.created_at),
        "author": _person(question.user),
    }
    if voted is not None:
        data["voted"] = voted
    return data


def results_payload(poll_id: int, results: room.PollResults) -> dict[str, Any]:
    return {
        "poll_id": poll_id,
        "ballots": results.ballots,
        "counts": [
            {"option_id": option_id, "count": count} for option_id, count in results.counts.items()
        ],
    }


def poll_payload(
    poll: Poll, results: room.PollResults, my_choices: list[int] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": poll.id,
        "question": poll.question,
        "multiple": poll.multiple,
        "status": poll.status.value,
        "ballots": results.ballots,
        "options": [
            {"id": option.id, "label": option.label, "count": results.counts.get(option.id, 0)}
            for option in poll.options
        ],
    }
    if my_choices is not None:
        data["my_choices"] = my_choices
    return data


def hands_payload(hands: list[RaisedHand]) -> dict[str, Any]:
    return {
        "version": room.hands_version_of(hands),
        "queue": [
            {"user": _person(hand.user), "raised_at": _time(hand.raised_at)} for hand in hands
        ],
    }


def person_payload(person: room.PresentPerson) -> dict[str, Any]:
    return {"id": person.user_id, "name": person.name, "facilitator": person.facilitator}


def presence_payload(presence: room.Presence) -> dict[str, Any]:
    return {
        "version": presence.version,
        "people": [person_payload(person) for person in presence.people],
    }


def room_payload(session: LiveSession) -> dict[str, Any]:
    return {"state": session.room_state.value, "open": session.room_is_open()}


def _failure(error: RoomError) -> dict[str, Any]:
    detail: dict[str, Any] = {"code": error.code.value, "message": str(error.message)}
    if error.field:
        detail["field"] = error.field
    return {"ok": False, "error": detail}


# -- what a handler publishes after its commit --------------------------------------------------


@dataclass
class Broadcasts:
    """Events collected while a handler works, sent once its transaction has committed: a
    rolled-back action broadcasts nothing."""

    emits: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    #: (connection, rooms) to take out of rooms, after the emits (a removal is told first).
    pulls: list[tuple[str, list[str]]] = field(default_factory=list)
    closes: list[str] = field(default_factory=list)
    #: Read again after the commit, so concurrent changes end in the newest state everywhere.
    hands: set[int] = field(default_factory=set)
    results: set[tuple[int, int]] = field(default_factory=set)  #: (session id, poll id)

    def emit(self, event: str, data: dict[str, Any], to: str) -> None:
        self.emits.append((event, data, to))

    def joined(
        self, session_id: int, person: room.PresentPerson, change: room.PresenceChange | None
    ) -> None:
        """`presence:joined`: one step of the presence list (docs/REALTIME.md), the person who
        came in (also when they were here already with another connection)."""
        if change is None:
            return
        data = {
            "previous": change.previous,
            "version": change.version,
            "person": person_payload(person),
        }
        self.emit("presence:joined", data, session_room(session_id))

    def left(self, session_id: int, change: room.PresenceChange | None) -> None:
        """`presence:left`: one step of the presence list, the people no longer in the room
        (none when another connection of the same person is still there)."""
        if change is None:
            return
        data = {"previous": change.previous, "version": change.version, "user_ids": change.left}
        self.emit("presence:left", data, session_room(session_id))
        if change.hands_changed:
            self.hands.add(session_id)


def _publish(out: Broadcasts) -> None:
    try:
        for event, data, to in out.emits:
            socketio.emit(event, data, to=to, namespace=NAMESPACE)
        for sid, names in out.pulls:
            for name in names:  # also on another server process, through the message queue
                socketio.server.leave_room(sid, name, namespace=NAMESPACE)
        for name in out.closes:
            socketio.close_room(name, namespace=NAMESPACE)
        if not (out.hands or out.results):
            return
        # Fresh reads in a new (read) transaction, which sees every commit before it: of two
        # concurrent changes, at least the later broadcast carries both.
        g.plc_db_write = False
        for session_id in out.hands:
            session = db.session.get(LiveSession, session_id)
            if session is not None:
                data = hands_payload(room.hand_queue(session))
                socketio.emit("hands", data, to=session_room(session_id), namespace=NAMESPACE)
        for session_id, poll_id in out.results:
            poll = db.session.get(Poll, poll_id)
            if poll is not None:
                results = room.poll_results([poll])[poll.id]
                socketio.emit(
                    "poll:results",
                    results_payload(poll.id, results),
                    to=session_room(session_id),
                    namespace=NAMESPACE,
                )
        db.session.rollback()
    except Exception:  # the action itself has committed: its sender still gets "ok"
        log.exception("live room: broadcasting failed")


_turns: dict[int, threading.Lock] = {}
_turns_guard = threading.Lock()


@contextmanager
def _presence_turn(session_ids: Iterable[int]) -> Iterator[None]:
    """In this process, the presence steps of a session are made *and published* one at a time,
    so they leave in the order of their versions and a client seldom sees a gap (a gap costs it
    a `presence:get`, which under a join storm costs the server a whole list per client). The
    database already makes the steps one at a time (`room.lock_presence`), so this costs no
    concurrency. Taken before any write transaction begins, never inside one: a thread that
    waits here holds no database lock."""
    with _turns_guard:
        locks = [_turns.setdefault(sid, threading.Lock()) for sid in sorted(set(session_ids))]
    for lock in locks:
        lock.acquire()
    try:
        yield
    finally:
        for lock in reversed(locks):
            lock.release()


# -- authentication and access ------------------------------------------------------------------


@dataclass
class Context:
    """The person, the session and what they may do, loaded fresh for one event."""

    user: User
    session: LiveSession
    access: SessionAccess
    sid: str


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _origin_allowed() -> bool:
    """Only pages of this site may connect: a browser sends the page's Origin with the WebSocket
    handshake (and with cross-site polling), so another site cannot ride on the person's cookie.
    Without an Origin (a non-browser client, a same-origin GET) the cookie alone decides."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    config = current_app.config
    allowed = {
        f"{request.scheme}://{request.host}",
        f"{config['PREFERRED_URL_SCHEME']}://{config['PLC_SERVER_NAME']}",
    }
    return origin in allowed


def _user() -> User:
    if not current_user.is_authenticated:
        raise RoomError(ErrorCode.UNAUTHENTICATED, _l("Log in again to take part in the room."))
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _load(payload: Any, *, facilitator: bool = False, joined: bool = True) -> Context:
    """Who asks, for which session, and whether they may: fresh from the database."""
    if not isinstance(payload, dict):
        raise RoomError(ErrorCode.INVALID, _l("The request is not valid."))
    user = _user()
    session_id = payload.get("session_id")
    session = (
        db.session.get(LiveSession, session_id, populate_existing=True)
        if _is_id(session_id)
        else None
    )
    if session is None:
        raise RoomError(ErrorCode.NOT_FOUND, _l("This session does not exist."))
    access = session_access(session, user)
    if not access.can_see:
        raise RoomError(ErrorCode.NOT_FOUND, _l("This session does not exist."))
    if access.removed and not access.can_facilitate:
        raise RoomError(ErrorCode.REMOVED, _l("A facilitator has removed you from this room."))
    if not (access.may_come or access.can_facilitate):
        raise RoomError(ErrorCode.FORBIDDEN, _l("This session is for members of the community."))
    if not access.can_enter_room:
        raise RoomError(ErrorCode.ROOM_CLOSED, _l("The room is closed."))
    if facilitator and not access.can_facilitate:
        raise RoomError(ErrorCode.FORBIDDEN, _l("Only facilitators can do this."))
    if joined and session_room(session.id) not in rooms():
        raise RoomError(ErrorCode.NOT_JOINED, _l("Enter the room first."))
    return Context(user, session, access, request.sid)  # type: ignore[attr-defined]


def _room_names(context: Context) -> list[str]:
    names = [session_room(context.session.id), person_room(context.session.id, context.user.id)]
    if context.access.can_facilitate:
        names.append(facilitators_room(context.session.id))
    return names


# -- the handler frame --------------------------------------------------------------------------

Action = Callable[[Context, dict[str, Any], Broadcasts], dict[str, Any]]
HANDLERS: dict[str, Callable[..., dict[str, Any]]] = {}


def _internal_error() -> dict[str, Any]:
    event = getattr(request, "event", {}).get("message", "?")
    log.exception("live room: %s failed", event)
    return _failure(RoomError(ErrorCode.INTERNAL, _l("Something went wrong. Please try again.")))


def action(
    event: str, *, facilitator: bool = False, joined: bool = True
) -> Callable[[Action], Action]:
    """Register `event`: load and check, act, commit, broadcast, answer, clean up."""

    def decorate(act: Action) -> Action:
        @wraps(act)
        def handle(payload: Any = None) -> dict[str, Any]:
            intend_write()
            out = Broadcasts()
            try:
                context = _load(payload, facilitator=facilitator, joined=joined)
                if joined and not room.touch_attendance(context.session, context.sid):
                    _rejoin(context, out)
                answer = act(context, payload, out)
                db.session.commit()
            except RoomError as error:
                db.session.rollback()
                return _failure(error)
            except Exception:
                db.session.rollback()
                return _internal_error()
            else:
                _publish(out)
                return {"ok": True, **answer}
            finally:
                db.session.remove()

        HANDLERS[event] = handle
        return act

    return decorate


def _rejoin(context: Context, out: Broadcasts) -> None:
    """Still connected, but the stay was closed as stale (a long network hiccup, a laptop
    asleep): it starts again."""
    person = room.present_person(context.session, context.user)
    _stay, change = room.change_presence(
        context.session,
        lambda: room.record_join(context.session, context.user, context.sid),
        diff=False,
    )
    out.joined(context.session.id, person, change)


def read_action(event: str) -> Callable[[Action], Action]:
    """Register `event` that only reads (from a joined connection): no write lock, no sign of
    life recorded, nothing broadcast."""

    def decorate(act: Action) -> Action:
        @wraps(act)
        def handle(payload: Any = None) -> dict[str, Any]:
            g.plc_db_write = False
            try:
                answer = act(_load(payload), payload, Broadcasts())
            except RoomError as error:
                return _failure(error)
            except Exception:
                return _internal_error()
            else:
                return {"ok": True, **answer}
            finally:
                db.session.rollback()
                db.session.remove()

        HANDLERS[event] = handle
        return act

    return decorate


# -- connecting, joining, leaving ---------------------------------------------------------------


def on_connect(auth: Any = None) -> None:
    """Refuse a connection from another site's page or without a valid login."""
    try:
        if not _origin_allowed():
            raise ConnectionRefusedError(
                {
                    "code": ErrorCode.BAD_ORIGIN.value,
                    "message": str(_l("Only pages of this site can use the live room.")),
                }
            )
        if not current_user.is_authenticated:
            raise ConnectionRefusedError(
                {
                    "code": ErrorCode.UNAUTHENTICATED.value,
                    "message": str(_l("Log in to take part in the live room.")),
                }
            )
    finally:
        db.session.remove()


def on_disconnect(reason: Any = None) -> None:
    """The connection is gone: its stays end, the others see it."""
    sid: str = request.sid  # type: ignore[attr-defined]
    try:
        g.plc_db_write = False
        sessions = room.sessions_of_connection(sid)
        db.session.rollback()
        if not sessions:
            return
        with _presence_turn(sessions):
            g.plc_db_write = True
            out = Broadcasts()
            for session_id in sessions:
                session = db.session.get(LiveSession, session_id)
                if session is not None:
                    _ended, change = room.change_presence(
                        session, lambda s=session: room.record_leave(s, sid)
                    )
                    out.left(session_id, change)
            db.session.commit()
            _publish(out)
    except Exception:
        db.session.rollback()
        log.exception("live room: closing the stays of a connection failed")
    finally:
        db.session.remove()


def _since(payload: dict[str, Any]) -> int:
    since = payload.get("since", 0)
    if since is None:
        return 0
    if not isinstance(since, int) or isinstance(since, bool) or since < 0:
        raise RoomError(ErrorCode.INVALID, _l("The request is not valid."), field="since")
    return since


def _snapshot_payload(context: Context, snapshot: room.RoomSnapshot) -> dict[str, Any]:
    session = context.session
    return {
        "session": {
            "id": session.id,
            "title": session.title,
            "starts_at": _time(session.starts_at),
            "ends_at": _time(session.ends_at),
        },
        "room": room_payload(session),
        "you": {
            "id": context.user.id,
            "name": context.user.display_name,
            "facilitator": context.access.can_facilitate,
        },
        "heartbeat_seconds": room.HEARTBEAT_SECONDS,
        "messages": [message_payload(message) for message in snapshot.messages],
        "removed_message_ids": snapshot.removed_message_ids,
        "last_message_id": snapshot.last_message_id,
        "pinned": message_payload(snapshot.pinned) if snapshot.pinned else None,
        "questions": [question_payload(q, voted) for q, voted in snapshot.questions],
        "polls": [
            poll_payload(poll, snapshot.results[poll.id], snapshot.my_choices.get(poll.id, []))
            for poll in snapshot.polls
        ],
        "hands": hands_payload(snapshot.hands),
        "presence": presence_payload(snapshot.presence),
    }


def _undo_join(session_id: int, names: list[str], out: Broadcasts) -> None:
    for name in names:
        leave_room(name)
    try:
        g.plc_db_write = True
        session = db.session.get(LiveSession, session_id)
        if session is not None:
            _ended, change = room.change_presence(
                session,
                lambda: room.record_leave(session, request.sid),  # type: ignore[attr-defined]
            )
            out.left(session_id, change)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("live room: undoing a join failed")
    _publish(out)  # the join's step and the leave's: the chain of versions stays whole


def on_join(payload: Any = None) -> dict[str, Any]:
    """Enter the room: the stay starts, then the connection joins the Socket.IO rooms, then it
    gets the snapshot. In this order no message falls between the snapshot and the broadcasts
    (at worst one arrives twice; clients keep messages by id)."""
    g.plc_db_write = False  # the checks only read: the write transaction stays short
    entered: list[str] = []
    session_id = 0
    out = Broadcasts()
    try:
        context = _load(payload, joined=False)
        since = _since(payload)
        session_id, sid = context.session.id, context.sid
        person = room.present_person(context.session, context.user)
        stale = room.has_stale_stays(context.session)
        db.session.rollback()
        # The stay starts (and silent ones end) in a write transaction of a few statements. A
        # removal or closing committed meanwhile is seen by the second check below.
        with _presence_turn([session_id]):
            g.plc_db_write = True
            session = db.session.get(LiveSession, session_id)
            if session is None:  # pragma: no cover - deleted between the two transactions
                raise RoomError(ErrorCode.NOT_FOUND, _l("This session does not exist."))
            if stale:
                _closed, change = room.change_presence(
                    session, lambda: room.close_stale_attendance(session)
                )
                out.left(session_id, change)
            _stay, change = room.change_presence(
                session, lambda: room.record_join(session, context.user, sid), diff=False
            )
            out.joined(session_id, person, change)
            db.session.commit()
            _publish(out)  # at once, in version order (the joiner has it in its snapshot)
            out = Broadcasts()
        entered = _room_names(context)
        for name in entered:
            join_room(name)
        # Access once more, now that this connection is in the room: a removal or a closing
        # that committed meanwhile is either seen here, or has seen this connection's stay and
        # takes it out of the room itself.
        g.plc_db_write = False
        context = _load(payload, joined=False)
        snapshot = room.room_snapshot(context.session, context.user, context.access, since)
        answer = _snapshot_payload(context, snapshot)
        db.session.rollback()
    except RoomError as error:
        db.session.rollback()
        if entered:
            _undo_join(session_id, entered, out)
        return _failure(error)
    except Exception:
        failure = _internal_error()
        db.session.rollback()
        if entered:
            _undo_join(session_id, entered, out)
        return failure
    else:
        _publish(out)
        return {"ok": True, **answer}
    finally:
        db.session.remove()


@action("room:leave")
def _leave(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    _ended, change = room.change_presence(
        context.session, lambda: room.record_leave(context.session, context.sid)
    )
    out.pulls.append((context.sid, _room_names(context)))
    out.left(context.session.id, change)
    return {}


def on_ping(payload: Any = None) -> dict[str, Any]:
    """The heartbeat, made cheap: 1,000 connections send 33 a second. It reads (no write lock)
    what a client may have missed — the last message id, the presence and hand versions —
    and writes only when it must, in its own short transaction: `seen_at` when older than
    TOUCH_AFTER (a conditional UPDATE), a stay closed as stale that starts again, the stale
    stays of others that it closes (a crashed server's connections)."""
    g.plc_db_write = False
    out = Broadcasts()
    try:
        context = _load(payload)
        session_id, now = context.session.id, utcnow()
        pulse = room.pulse(context.session, context.sid, now)
        answer = {
            "room": room_payload(context.session),
            "last_message_id": pulse.last_message_id,
            "presence_version": pulse.presence_version,
            "hands_version": pulse.hands_version,
        }
        db.session.rollback()  # the read ends here
        touch = pulse.seen_at is not None and pulse.seen_at < now - room.TOUCH_AFTER
        if pulse.seen_at is None or touch or pulse.stale:
            g.plc_db_write = True
            session = db.session.get(LiveSession, session_id)
            if session is None:  # pragma: no cover - deleted between the two transactions
                raise RoomError(ErrorCode.NOT_FOUND, _l("This session does not exist."))
            context.session = session
            if pulse.seen_at is None:
                _rejoin(context, out)
            elif (
                touch
                and not room.touch_attendance(
                    session, context.sid, now, older_than=now - room.TOUCH_AFTER
                )
                and room.pulse(session, context.sid, now).seen_at is None
            ):
                _rejoin(context, out)  # closed as stale between the two transactions
            if pulse.stale:
                _closed, change = room.change_presence(
                    session, lambda: room.close_stale_attendance(session, now)
                )
                out.left(session_id, change)
            if out.emits:
                answer["presence_version"] = room.presence_version(session)
                answer["hands_version"] = room.hands_version(session)
            db.session.commit()
    except RoomError as error:
        db.session.rollback()
        return _failure(error)
    except Exception:
        failure = _internal_error()
        db.session.rollback()
        return failure
    else:
        _publish(out)
        return {"ok": True, **answer}
    finally:
        db.session.remove()


@read_action("presence:get")
def _get_presence(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    """The whole list, for a client that missed a step."""
    return {"presence": presence_payload(room.presence(context.session))}


@read_action("hands:get")
def _get_hands(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    """The whole hand queue, for a client whose version differs from the heartbeat's."""
    return {"hands": hands_payload(room.hand_queue(context.session))}


# -- chat ---------------------------------------------------------------------------------------


@action("chat:send")
def _send(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    message, new = room.send_message(
        context.session, context.user, payload.get("client_id"), payload.get("body")
    )
    data = message_payload(message)
    if new:  # a resend gets the stored message back and is not broadcast again
        out.emit("chat:message", {"message": data}, session_room(context.session.id))
    return {"message": data, "duplicate": not new}


@action("chat:remove", facilitator=True)
def _remove_message(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    was_pinned = context.session.pinned_message_id
    message = room.remove_message(context.session, payload.get("message_id"))
    to = session_room(context.session.id)
    out.emit("chat:removed", {"message_id": message.id}, to)
    if was_pinned == message.id:
        out.emit("chat:pinned", {"message": None}, to)
    return {"message_id": message.id}


@action("chat:pin", facilitator=True)
def _pin(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    message = room.pin_message(context.session, payload.get("message_id"))
    data = {"message": message_payload(message) if message else None}
    out.emit("chat:pinned", data, session_room(context.session.id))
    return data


# -- questions ----------------------------------------------------------------------------------


@action("question:ask")
def _ask(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    question, new = room.ask_question(
        context.session, context.user, payload.get("client_id"), payload.get("body")
    )
    if new:
        out.emit(
            "question:new",
            {"question": question_payload(question)},
            session_room(question.session_id),
        )
    return {"question": question_payload(question, voted=False), "duplicate": not new}


@action("question:vote")
def _vote_question(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    question, new = room.vote_question(context.session, context.user, payload.get("question_id"))
    if new:
        out.emit(
            "question:updated",
            {"question": question_payload(question)},
            session_room(context.session.id),
        )
    return {"question": question_payload(question, voted=True)}


@action("question:mark", facilitator=True)
def _mark_question(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    question = room.set_question_status(
        context.session, payload.get("question_id"), payload.get("status")
    )
    to = session_room(context.session.id)
    if question.status == QuestionStatus.HIDDEN:
        # Only the id: participants drop it, the asker and facilitators (who have it) mark it.
        out.emit("question:hidden", {"question_id": question.id}, to)
    else:
        out.emit("question:updated", {"question": question_payload(question)}, to)
    return {"question": question_payload(question)}


# -- polls --------------------------------------------------------------------------------------


def _poll_with_results(poll: Poll) -> dict[str, Any]:
    return poll_payload(poll, room.poll_results([poll])[poll.id])


@action("poll:create", facilitator=True)
def _create_poll(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    poll = room.create_poll(
        context.session,
        context.user,
        payload.get("question"),
        payload.get("options"),
        payload.get("multiple", False),
    )
    data = _poll_with_results(poll)
    out.emit("poll:updated", {"poll": data}, facilitators_room(context.session.id))
    return {"poll": data}


@action("poll:open", facilitator=True)
def _open_poll(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    data = _poll_with_results(room.open_poll(context.session, payload.get("poll_id")))
    out.emit("poll:updated", {"poll": data}, session_room(context.session.id))
    return {"poll": data}


@action("poll:close", facilitator=True)
def _close_poll(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    data = _poll_with_results(room.close_poll(context.session, payload.get("poll_id")))
    out.emit("poll:updated", {"poll": data}, session_room(context.session.id))
    return {"poll": data}


@action("poll:vote")
def _vote_poll(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    option_ids = payload.get("option_ids")
    poll = room.vote_poll(context.session, context.user, payload.get("poll_id"), option_ids)
    out.results.add((context.session.id, poll.id))
    return {"poll_id": poll.id, "my_choices": sorted(set(option_ids))}


# -- raised hands -------------------------------------------------------------------------------


@action("hand:raise")
def _raise_hand(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    if room.raise_hand(context.session, context.user):
        out.hands.add(context.session.id)
    return {"raised": True}


@action("hand:lower")
def _lower_hand(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    user_id = payload.get("user_id", context.user.id)
    if user_id != context.user.id and not context.access.can_facilitate:
        raise RoomError(ErrorCode.FORBIDDEN, _l("Only facilitators can do this."))
    if not _is_id(user_id):
        raise RoomError(ErrorCode.INVALID, _l("The request is not valid."), field="user_id")
    if room.lower_hand(context.session, user_id):
        out.hands.add(context.session.id)
    return {"user_id": user_id, "raised": False}


# -- facilitator controls -----------------------------------------------------------------------


@action("room:open", facilitator=True, joined=False)
def _open_room(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    room.open_room(context.session)
    data = {"room": room_payload(context.session)}
    out.emit("room:state", data, session_room(context.session.id))
    return data


@action("room:close", facilitator=True, joined=False)
def _close_room(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    room.close_room(context.session)
    # The session is over: attended time counts toward everyone's development record now.
    services.credit_attendance(context.session)
    data = {"room": room_payload(context.session)}
    out.emit("room:state", data, session_room(context.session.id))
    # Everyone out, facilitators too: their stays have ended; they may enter again to reopen.
    out.closes += [session_room(context.session.id), facilitators_room(context.session.id)]
    return data


@action("room:remove", facilitator=True)
def _remove(context: Context, payload: dict[str, Any], out: Broadcasts) -> dict[str, Any]:
    user_id = payload.get("user_id")
    connections, change = room.change_presence(
        context.session, lambda: room.remove_participant(context.session, user_id, context.user)
    )
    session_id = context.session.id
    out.emit("room:removed", {"session_id": session_id}, person_room(session_id, user_id))  # type: ignore[arg-type]
    names = [
        session_room(session_id),
        facilitators_room(session_id),
        person_room(session_id, user_id),  # type: ignore[arg-type]
    ]
    out.pulls += [(sid, names) for sid in connections]
    out.left(session_id, change)
    out.hands.add(session_id)  # a raised hand goes down with the removal, stays or not
    return {"user_id": user_id}


# -- registration -------------------------------------------------------------------------------


def message_queue_available() -> bool:
    """In the scaled mode (REDIS_URL), whether Redis, which carries the room's messages between
    the processes, answers now; always True in one process."""
    return redis_available()


def init_app(app: Flask) -> None:
    """Register the handlers on the app's Socket.IO server."""
    socketio.on_event("connect", on_connect, namespace=NAMESPACE)
    socketio.on_event("disconnect", on_disconnect, namespace=NAMESPACE)
    socketio.on_event("room:join", on_join, namespace=NAMESPACE)
    socketio.on_event("room:ping", on_ping, namespace=NAMESPACE)
    for event, handler in HANDLERS.items():
        socketio.on_event(event, handler, namespace=NAMESPACE)
