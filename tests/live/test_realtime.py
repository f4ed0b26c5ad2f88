"""The live room's Socket.IO handlers, through Flask-SocketIO's test client and the real
database: who may connect, join and act, and what everyone else receives.

Concurrency tests run each client in its own thread (its own app context and database session,
as on a real server) against the real database.
"""

from __future__ import annotations

import contextvars
import itertools
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, has_app_context

from plc.auth.models import User
from plc.communities.models import MemberRole, Visibility
from plc.extensions import db, socketio
from plc.live.models import (
    Attendance,
    ChatMessage,
    LiveSession,
    PollBallot,
    QuestionVote,
    RoomRemoval,
    RoomState,
)
from tests.support.statements import Statements

NS = "/live"


class RoomClient:
    """A Socket.IO client of /live for one person, sharing the cookie of a logged-in HTTP
    client. Like the HTTP test client, every call runs in an empty `contextvars.Context`, so the
    handler gets its own app context and database session, as it would on a server."""

    def __init__(self, app: Flask, http_client: Any = None, headers: dict | None = None) -> None:
        self.client = self._run(
            socketio.test_client,
            app,
            namespace=NS,
            flask_test_client=http_client,
            headers=headers,
        )

    @staticmethod
    def _run(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            db.session.commit()  # the test's transaction ends: no lock held, fresh reads after
        return contextvars.Context().run(function, *args, **kwargs)

    @property
    def connected(self) -> bool:
        return self.client.is_connected(NS)

    def emit(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        return self._run(self.client.emit, event, payload, callback=True, namespace=NS)

    def join(self, session: LiveSession, since: int = 0) -> dict[str, Any]:
        return self.emit("room:join", {"session_id": session.id, "since": since})

    def received(self) -> list[tuple[str, Any]]:
        return [(packet["name"], packet["args"][0]) for packet in self.client.get_received(NS)]

    def events(self, name: str) -> list[Any]:
        return [data for event, data in self.received() if event == name]

    def disconnect(self) -> None:
        self._run(self.client.disconnect, namespace=NS)


@pytest.fixture(autouse=True)
def _restore_socketio_server() -> Iterator[None]:
    """The test client patches the shared Socket.IO server (packet senders, synchronous
    handlers); undo that, so a real server in a later test works as in production."""
    server = socketio.server
    before = dict(vars(server))
    eio_before = server.eio.async_handlers
    yield
    for name in set(vars(server)) - set(before):
        delattr(server, name)
    vars(server).update(before)
    server.eio.async_handlers = eio_before


@pytest.fixture
def room_client(app: Flask, login_client) -> Callable[..., RoomClient]:
    logged_in: dict[int, Any] = {}  # one login per person (a password check is slow on purpose)

    def make(user: User | None, headers: dict | None = None) -> RoomClient:
        http = None
        if user is not None:
            http = logged_in.get(user.id) or logged_in.setdefault(user.id, login_client(user))
        return RoomClient(app, http, headers)

    return make


@pytest.fixture
def room(create_user, create_community, add_member, create_session) -> Any:
    """A session starting now (room open) of a public community: a facilitator (the owner), two
    members and an outsider."""

    class Room:
        facilitator = create_user(display_name="Daan Facilitator")
        community = create_community(owner=facilitator)
        teacher = create_user(display_name="Fatima Leraar")
        colleague = create_user(display_name="Sanne Collega")
        outsider = create_user(display_name="Olaf Buitenstaander")
        add_member(community, teacher)
        add_member(community, colleague)
        session = create_session(community)

    return Room


def ok(answer: dict[str, Any]) -> dict[str, Any]:
    assert answer["ok"] is True, answer
    return answer


def error_code(answer: dict[str, Any]) -> str:
    assert answer["ok"] is False, answer
    assert answer["error"]["message"]
    return answer["error"]["code"]


# -- who may connect, join and act ---------------------------------------------------------------


def test_a_connection_without_login_is_refused(room_client, room):
    assert not room_client(None).connected


def test_a_page_of_another_site_cannot_connect_but_this_site_can(app, room_client, room):
    assert not room_client(room.teacher, headers={"Origin": "https://evil.example"}).connected
    assert not room_client(room.teacher, headers={"Origin": "null"}).connected
    site = f"{app.config['PREFERRED_URL_SCHEME']}://{app.config['PLC_SERVER_NAME']}"
    assert room_client(room.teacher, headers={"Origin": site}).connected
    assert room_client(room.teacher, headers={"Origin": "https://localhost"}).connected  # as asked


def test_an_outsider_can_neither_join_nor_act(room_client, room):
    outsider = room_client(room.outsider)
    assert outsider.connected  # logged in; the session itself is for members only
    assert error_code(outsider.join(room.session)) == "forbidden"
    answer = outsider.emit(
        "chat:send", {"session_id": room.session.id, "client_id": "x1", "body": "Hallo"}
    )
    assert error_code(answer) == "forbidden"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChatMessage)) == 0


def test_a_session_of_an_invite_only_community_does_not_exist_for_outsiders(
    room_client, create_user, create_community, create_session
):
    hidden = create_session(create_community(visibility=Visibility.INVITE))
    outsider = room_client(create_user())
    assert error_code(outsider.join(hidden)) == "not_found"
    assert error_code(outsider.emit("room:join", {"session_id": 999_999})) == "not_found"


def test_acting_before_joining_is_refused(room_client, room):
    teacher = room_client(room.teacher)
    answer = teacher.emit(
        "chat:send", {"session_id": room.session.id, "client_id": "x1", "body": "Hallo"}
    )
    assert error_code(answer) == "not_joined"


def test_a_participant_cannot_use_facilitator_controls(room_client, room):
    teacher = room_client(room.teacher)
    ok(teacher.join(room.session))
    sid = room.session.id
    attempts = {
        "poll:create": {"question": "Welke?", "options": ["A", "B"]},
        "room:close": {},
        "room:open": {},
        "room:remove": {"user_id": room.colleague.id},
        "chat:pin": {"message_id": None},
        "hand:lower": {"user_id": room.colleague.id},
    }
    for event, payload in attempts.items():
        assert error_code(teacher.emit(event, {"session_id": sid, **payload})) == "forbidden", event
    db.session.refresh(room.session)
    assert room.session.room_state == RoomState.AUTO
    assert db.session.get(RoomRemoval, (sid, room.colleague.id)) is None


def test_a_logout_ends_the_right_to_act_on_an_open_connection(app, login_client, room):
    http = login_client(room.teacher)
    teacher = RoomClient(app, http)
    ok(teacher.join(room.session))
    http.submit("/uitloggen")
    answer = teacher.emit(
        "chat:send", {"session_id": room.session.id, "client_id": "x1", "body": "Hallo"}
    )
    assert error_code(answer) == "unauthenticated"


# -- chat ----------------------------------------------------------------------------------------


def test_a_message_is_stored_acknowledged_and_broadcast_once(room_client, room):
    teacher, colleague = room_client(room.teacher), room_client(room.colleague)
    ok(teacher.join(room.session))
    ok(colleague.join(room.session))
    colleague.received()
    payload = {"session_id": room.session.id, "client_id": "abc-1", "body": "  Goedemorgen!  "}

    first = ok(teacher.emit("chat:send", payload))
    message = first["message"]
    assert message["body"] == "Goedemorgen!"
    assert message["author"] == {"id": room.teacher.id, "name": "Fatima Leraar"}
    assert first["duplicate"] is False
    assert db.session.get(ChatMessage, message["id"]).body == "Goedemorgen!"
    assert colleague.events("chat:message") == [{"message": message}]

    again = ok(teacher.emit("chat:send", payload))  # a resend after a lost acknowledgement
    assert again["message"]["id"] == message["id"]
    assert again["duplicate"] is True
    assert colleague.events("chat:message") == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChatMessage)) == 1


def test_an_empty_or_too_long_message_is_refused_with_its_field(room_client, room):
    teacher = room_client(room.teacher)
    ok(teacher.join(room.session))
    for body in ("   ", "x" * 2001):
        answer = teacher.emit(
            "chat:send", {"session_id": room.session.id, "client_id": "c", "body": body}
        )
        assert error_code(answer) == "invalid"
        assert answer["error"]["field"] == "body"


def test_a_rejoining_client_gets_what_it_missed(room_client, room):
    teacher, colleague = room_client(room.teacher), room_client(room.colleague)
    ok(teacher.join(room.session))
    ok(colleague.join(room.session))
    seen = ok(
        teacher.emit("chat:send", {"session_id": room.session.id, "client_id": "m1", "body": "Eén"})
    )["message"]["id"]
    colleague.disconnect()
    for n, body in enumerate(["Twee", "Drie"]):
        ok(
            teacher.emit(
                "chat:send", {"session_id": room.session.id, "client_id": f"m{n + 2}", "body": body}
            )
        )

    back = room_client(room.colleague)
    snapshot = ok(back.join(room.session, since=seen))
    assert [m["body"] for m in snapshot["messages"]] == ["Twee", "Drie"]
    assert snapshot["last_message_id"] == snapshot["messages"][-1]["id"]
    assert [m["body"] for m in ok(back.join(room.session))["messages"]] == ["Eén", "Twee", "Drie"]


def test_a_facilitator_pins_and_removes_messages(room_client, room):
    facilitator, teacher = room_client(room.facilitator), room_client(room.teacher)
    ok(facilitator.join(room.session))
    ok(teacher.join(room.session))
    sid = room.session.id
    message = ok(teacher.emit("chat:send", {"session_id": sid, "client_id": "p", "body": "Tip"}))
    message_id = message["message"]["id"]
    teacher.received()

    ok(facilitator.emit("chat:pin", {"session_id": sid, "message_id": message_id}))
    assert teacher.events("chat:pinned")[0]["message"]["body"] == "Tip"
    assert ok(room_client(room.colleague).join(room.session))["pinned"]["id"] == message_id

    ok(facilitator.emit("chat:remove", {"session_id": sid, "message_id": message_id}))
    received = teacher.received()
    assert ("chat:removed", {"message_id": message_id}) in received
    assert ("chat:pinned", {"message": None}) in received
    snapshot = ok(room_client(room.colleague).join(room.session))
    assert snapshot["messages"] == []
    assert snapshot["removed_message_ids"] == [message_id]
    assert snapshot["pinned"] is None


# -- questions -----------------------------------------------------------------------------------


def test_questions_are_voted_once_per_person_and_sorted_by_votes(room_client, room):
    teacher, colleague = room_client(room.teacher), room_client(room.colleague)
    ok(teacher.join(room.session))
    ok(colleague.join(room.session))
    sid = room.session.id
    first = ok(teacher.emit("question:ask", {"session_id": sid, "client_id": "q1", "body": "Wat?"}))
    second = ok(
        teacher.emit("question:ask", {"session_id": sid, "client_id": "q2", "body": "Hoe?"})
    )
    assert colleague.events("question:new")[0]["question"]["body"] == "Wat?"

    question_id = second["question"]["id"]
    voted = ok(colleague.emit("question:vote", {"session_id": sid, "question_id": question_id}))
    assert voted["question"]["votes"] == 1
    assert voted["question"]["voted"] is True
    assert (
        ok(colleague.emit("question:vote", {"session_id": sid, "question_id": question_id}))[
            "question"
        ]["votes"]
        == 1
    )
    updates = teacher.events("question:updated")
    assert [u["question"]["votes"] for u in updates] == [1]  # the second vote changed nothing

    snapshot = ok(colleague.join(room.session))
    assert [(q["body"], q["votes"], q["voted"]) for q in snapshot["questions"]] == [
        ("Hoe?", 1, True),
        ("Wat?", 0, False),
    ]
    assert first["question"]["id"] != question_id


def test_a_hidden_question_is_gone_for_others_and_marked_for_its_asker(room_client, room):
    facilitator = room_client(room.facilitator)
    teacher, colleague = room_client(room.teacher), room_client(room.colleague)
    for client in (facilitator, teacher, colleague):
        ok(client.join(room.session))
    sid = room.session.id
    asked = ok(teacher.emit("question:ask", {"session_id": sid, "client_id": "q", "body": "Hm"}))
    question_id = asked["question"]["id"]
    colleague.received()

    answer = teacher.emit(
        "question:mark", {"session_id": sid, "question_id": question_id, "status": "hidden"}
    )
    assert error_code(answer) == "forbidden"
    ok(
        facilitator.emit(
            "question:mark", {"session_id": sid, "question_id": question_id, "status": "hidden"}
        )
    )
    assert colleague.events("question:hidden") == [{"question_id": question_id}]
    assert ok(colleague.join(room.session))["questions"] == []
    assert [q["status"] for q in ok(teacher.join(room.session))["questions"]] == ["hidden"]
    assert [q["status"] for q in ok(facilitator.join(room.session))["questions"]] == ["hidden"]
    answer = colleague.emit("question:vote", {"session_id": sid, "question_id": question_id})
    assert error_code(answer) == "question_not_open"

    ok(
        facilitator.emit(
            "question:mark", {"session_id": sid, "question_id": question_id, "status": "answered"}
        )
    )
    assert colleague.events("question:updated")[0]["question"]["status"] == "answered"


# -- polls ---------------------------------------------------------------------------------------


def test_a_poll_is_prepared_opened_voted_and_closed_with_live_results(room_client, room):
    facilitator, teacher = room_client(room.facilitator), room_client(room.teacher)
    ok(facilitator.join(room.session))
    ok(teacher.join(room.session))
    sid = room.session.id
    poll = ok(
        facilitator.emit(
            "poll:create",
            {"session_id": sid, "question": "Welke aanpak?", "options": ["Exit tickets", "Quiz"]},
        )
    )["poll"]
    assert poll["status"] == "draft"
    assert ok(teacher.join(room.session))["polls"] == []  # a draft is for facilitators only
    assert teacher.events("poll:updated") == []
    option_a, option_b = (option["id"] for option in poll["options"])

    vote = {"session_id": sid, "poll_id": poll["id"], "option_ids": [option_a]}
    assert error_code(teacher.emit("poll:vote", vote)) == "poll_not_open"
    ok(facilitator.emit("poll:open", {"session_id": sid, "poll_id": poll["id"]}))
    assert teacher.events("poll:updated")[0]["poll"]["status"] == "open"

    both = {**vote, "option_ids": [option_a, option_b]}
    assert error_code(teacher.emit("poll:vote", both)) == "invalid"  # single choice
    assert ok(teacher.emit("poll:vote", vote))["my_choices"] == [option_a]
    results = facilitator.events("poll:results")
    assert results[-1] == {
        "poll_id": poll["id"],
        "ballots": 1,
        "counts": [{"option_id": option_a, "count": 1}, {"option_id": option_b, "count": 0}],
    }
    assert error_code(teacher.emit("poll:vote", {**vote, "option_ids": [option_b]})) == (
        "already_voted"
    )

    closed = ok(facilitator.emit("poll:close", {"session_id": sid, "poll_id": poll["id"]}))
    assert closed["poll"]["status"] == "closed"
    assert closed["poll"]["options"][0]["count"] == 1
    assert error_code(room_client(room.colleague).emit("poll:vote", vote)) in {
        "not_joined",
        "poll_not_open",
    }
    colleague = room_client(room.colleague)
    snapshot = ok(colleague.join(room.session))
    assert snapshot["polls"][0]["status"] == "closed"
    assert error_code(colleague.emit("poll:vote", vote)) == "poll_not_open"
    assert ok(teacher.join(room.session))["polls"][0]["my_choices"] == [option_a]


def _in_threads(work: list[Callable[[], Any]]) -> list[Any]:
    """Run every callable in its own thread, all released at the same moment."""
    db.session.commit()  # the test holds no transaction meanwhile, and reads fresh afterwards
    barrier = threading.Barrier(len(work))
    results: list[Any] = [None] * len(work)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work[index]()
        except Exception as error:  # reported by the assertions of the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.commit()
    return results


@pytest.fixture
def crowd(room, create_user, add_member, room_client) -> list[tuple[User, RoomClient]]:
    """Six members in the room, each with their own connection."""
    people = []
    for n in range(6):
        user = create_user(display_name=f"Deelnemer {n}")
        add_member(room.community, user)
        client = room_client(user)
        ok(client.join(room.session))
        people.append((user, client))
    return people


def test_concurrent_poll_votes_give_one_ballot_per_person(room, room_client, crowd):
    facilitator = room_client(room.facilitator)
    ok(facilitator.join(room.session))
    sid = room.session.id
    poll = ok(
        facilitator.emit(
            "poll:create", {"session_id": sid, "question": "Ja of nee?", "options": ["Ja", "Nee"]}
        )
    )["poll"]
    ok(facilitator.emit("poll:open", {"session_id": sid, "poll_id": poll["id"]}))
    option = poll["options"][0]["id"]
    # The first person votes over a second connection at the same moment as over the first.
    first_user, _ = crowd[0]
    second_connection = room_client(first_user)
    ok(second_connection.join(room.session))
    clients = [client for _user, client in crowd] + [second_connection]
    vote = {"session_id": sid, "poll_id": poll["id"], "option_ids": [option]}

    answers = _in_threads([lambda c=client: c.emit("poll:vote", vote) for client in clients])

    assert sorted(answer["ok"] for answer in answers) == [False] + [True] * len(crowd), answers
    assert [a["error"]["code"] for a in answers if not a["ok"]] == ["already_voted"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PollBallot)) == len(crowd)
    final = ok(facilitator.emit("poll:close", {"session_id": sid, "poll_id": poll["id"]}))
    assert final["poll"]["ballots"] == len(crowd)
    # Results broadcasts may arrive in any order; the one with the most ballots is complete.
    results = facilitator.events("poll:results")
    assert max(r["ballots"] for r in results) == len(crowd)


def test_concurrent_question_votes_count_once_per_person(room, room_client, crowd):
    teacher = room_client(room.teacher)
    ok(teacher.join(room.session))
    sid = room.session.id
    question = ok(
        teacher.emit("question:ask", {"session_id": sid, "client_id": "q", "body": "Waarom?"})
    )["question"]
    first_user, _ = crowd[0]
    second_connection = room_client(first_user)
    ok(second_connection.join(room.session))
    clients = [client for _user, client in crowd] + [second_connection]
    vote = {"session_id": sid, "question_id": question["id"]}

    answers = _in_threads([lambda c=client: c.emit("question:vote", vote) for client in clients])

    assert all(answer["ok"] for answer in answers), answers
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuestionVote)) == len(crowd)
    snapshot = ok(teacher.join(room.session))
    assert snapshot["questions"][0]["votes"] == len(crowd)


def test_concurrent_resends_of_one_message_store_it_once(room, room_client):
    first, second = room_client(room.teacher), room_client(room.teacher)
    ok(first.join(room.session))
    ok(second.join(room.session))
    payload = {"session_id": room.session.id, "client_id": "same", "body": "Dubbel?"}

    answers = _in_threads([lambda c=c: c.emit("chat:send", payload) for c in (first, second)])

    assert all(answer["ok"] for answer in answers), answers
    assert len({answer["message"]["id"] for answer in answers}) == 1
    assert sorted(answer["duplicate"] for answer in answers) == [False, True]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChatMessage)) == 1


# -- raised hands, presence, controls ------------------------------------------------------------


def test_raised_hands_form_a_queue_that_facilitators_clear(room_client, room):
    facilitator = room_client(room.facilitator)
    teacher, colleague = room_client(room.teacher), room_client(room.colleague)
    for client in (facilitator, teacher, colleague):
        ok(client.join(room.session))
    sid = room.session.id
    ok(colleague.emit("hand:raise", {"session_id": sid}))
    ok(teacher.emit("hand:raise", {"session_id": sid}))
    queue = facilitator.events("hands")[-1]["queue"]
    assert [hand["user"]["name"] for hand in queue] == ["Sanne Collega", "Fatima Leraar"]

    ok(teacher.emit("hand:lower", {"session_id": sid}))
    ok(facilitator.emit("hand:lower", {"session_id": sid, "user_id": room.colleague.id}))
    assert facilitator.events("hands")[-1]["queue"] == []


def test_presence_follows_joins_and_disconnects_and_attendance_is_recorded(room_client, room):
    teacher, colleague = room_client(room.teacher), room_client(room.colleague)
    ok(teacher.join(room.session))
    snapshot = ok(colleague.join(room.session))
    assert [p["name"] for p in snapshot["presence"]["people"]] == [
        "Fatima Leraar",
        "Sanne Collega",
    ]
    teacher.received()

    colleague.disconnect()
    [step] = teacher.events("presence:left")
    assert step == {
        "previous": snapshot["presence"]["version"],
        "version": step["version"],
        "user_ids": [room.colleague.id],
    }
    assert step["version"] > step["previous"]
    stays = db.session.scalars(sa.select(Attendance).order_by(Attendance.id)).all()
    assert [(s.user_id, s.left_at is None) for s in stays] == [
        (room.teacher.id, True),
        (room.colleague.id, False),
    ]


def test_a_removed_participant_is_taken_out_and_cannot_come_back(room_client, room):
    facilitator = room_client(room.facilitator)
    teacher, colleague = room_client(room.teacher), room_client(room.colleague)
    for client in (facilitator, teacher, colleague):
        ok(client.join(room.session))
    sid = room.session.id
    answer = facilitator.emit("room:remove", {"session_id": sid, "user_id": room.facilitator.id})
    assert error_code(answer) == "forbidden"
    teacher.received()

    ok(facilitator.emit("room:remove", {"session_id": sid, "user_id": room.teacher.id}))
    assert teacher.events("room:removed") == [{"session_id": sid}]
    ok(colleague.emit("chat:send", {"session_id": sid, "client_id": "c", "body": "Na"}))
    assert teacher.events("chat:message") == []  # no longer in the room
    [step] = colleague.events("presence:left")
    assert step["user_ids"] == [room.teacher.id]
    assert error_code(teacher.join(room.session)) == "removed"
    answer = teacher.emit("chat:send", {"session_id": sid, "client_id": "t", "body": "Hoi"})
    assert error_code(answer) == "removed"
    assert error_code(room_client(room.teacher).join(room.session)) == "removed"


def test_closing_the_room_ends_attendance_and_tells_everyone(room_client, room):
    facilitator, teacher = room_client(room.facilitator), room_client(room.teacher)
    ok(facilitator.join(room.session))
    ok(teacher.join(room.session))
    sid = room.session.id
    teacher.received()

    closed = ok(facilitator.emit("room:close", {"session_id": sid}))
    assert closed["room"] == {"state": "closed", "open": False}
    assert teacher.events("room:state") == [{"room": {"state": "closed", "open": False}}]
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Attendance).where(Attendance.left_at.is_(None))
        )
        == 0
    )
    assert error_code(teacher.join(room.session)) == "room_closed"
    answer = teacher.emit("chat:send", {"session_id": sid, "client_id": "c", "body": "Hoi"})
    assert error_code(answer) == "room_closed"

    # A facilitator may enter a closed room and open it again.
    assert ok(facilitator.join(room.session))["room"]["state"] == "closed"
    ok(facilitator.emit("room:open", {"session_id": sid}))
    assert ok(teacher.join(room.session))["room"] == {"state": "open", "open": True}


def test_a_room_that_has_not_opened_yet_is_closed_to_participants_not_to_facilitators(
    room_client, create_session, room
):
    from datetime import timedelta

    later = create_session(room.community, starts_in=timedelta(hours=2))
    assert error_code(room_client(room.teacher).join(later)) == "room_closed"
    assert ok(room_client(room.facilitator).join(later))["you"]["facilitator"] is True


def test_the_heartbeat_reports_the_last_message_so_a_client_can_catch_up(room_client, room):
    teacher, colleague = room_client(room.teacher), room_client(room.colleague)
    ok(teacher.join(room.session))
    ok(colleague.join(room.session))
    sid = room.session.id
    sent = ok(teacher.emit("chat:send", {"session_id": sid, "client_id": "h", "body": "Hoi"}))
    beat = ok(colleague.emit("room:ping", {"session_id": sid}))
    assert beat["last_message_id"] == sent["message"]["id"]


def test_a_facilitator_role_in_presence(room_client, room, add_member, create_user):
    helper = create_user(display_name="Henk Helper")
    add_member(room.community, helper, role=MemberRole.FACILITATOR)
    ok(room_client(helper).join(room.session))
    snapshot = ok(room_client(room.teacher).join(room.session))
    assert [(p["name"], p["facilitator"]) for p in snapshot["presence"]["people"]] == [
        ("Fatima Leraar", False),
        ("Henk Helper", True),
    ]


def test_closing_the_room_credits_the_attended_time(room_client, room, create_session):
    from datetime import timedelta

    from plc.development.models import RecordEntry

    session = create_session(room.community, starts_in=timedelta(minutes=-40))
    earlier = Attendance(
        session_id=session.id,
        user_id=room.teacher.id,
        connection_id="eerder",
        joined_at=session.starts_at,
        seen_at=session.starts_at + timedelta(minutes=25),
        left_at=session.starts_at + timedelta(minutes=25),
    )
    db.session.add(earlier)
    facilitator = room_client(room.facilitator)
    ok(facilitator.join(session))
    ok(facilitator.emit("room:close", {"session_id": session.id}))
    entry = db.session.scalar(sa.select(RecordEntry).where(RecordEntry.user_id == room.teacher.id))
    assert entry is not None and entry.contact_minutes == 25
    assert entry.title == session.title


# -- presence in steps, a light heartbeat -------------------------------------------------------


class PresenceKeeper:
    """The presence rules of docs/REALTIME.md, as a client in another language would keep them:
    a whole list with its version, steps applied on the version they start from, a step that
    came early kept, and the whole list fetched when a step stays missing."""

    def __init__(self, client: RoomClient, snapshot: dict[str, Any]) -> None:
        self.client = client
        self.session_id = snapshot["session"]["id"]
        self.version = -1
        self.people: dict[int, str] = {}
        self.pending: dict[int, dict[str, Any]] = {}
        self.fetches = 0
        self.take(snapshot["presence"])
        client.received()  # its own join's step: in the snapshot already (and ignored by `step`)

    def take(self, presence: dict[str, Any]) -> None:
        if presence["version"] > self.version:
            self.version = presence["version"]
            self.people = {person["id"]: person["name"] for person in presence["people"]}
            self._apply()

    def step(self, event: str, data: dict[str, Any]) -> None:
        if data["version"] > self.version:
            self.pending[data["previous"]] = {"event": event, **data}
            self._apply()

    def _apply(self) -> None:
        self.pending = {p: step for p, step in self.pending.items() if p >= self.version}
        while (step := self.pending.pop(self.version, None)) is not None:
            if step["event"] == "presence:joined":
                self.people[step["person"]["id"]] = step["person"]["name"]
            else:
                for user_id in step["user_ids"]:
                    self.people.pop(user_id, None)
            self.version = step["version"]

    def recover(self) -> None:
        """What a client does when a kept step found no place after a moment."""
        if self.pending:
            self.fetches += 1
            self.take(
                ok(self.client.emit("presence:get", {"session_id": self.session_id}))["presence"]
            )

    def names(self) -> list[str]:
        return sorted(self.people.values())


def _steps(client: RoomClient) -> list[tuple[str, dict[str, Any]]]:
    return [(e, d) for e, d in client.received() if e.startswith("presence")]


def test_a_join_sends_the_room_one_step_with_the_person_not_the_whole_list(room_client, room):
    teacher, colleague = room_client(room.teacher), room_client(room.colleague)
    first = ok(teacher.join(room.session))
    teacher.received()
    second = ok(colleague.join(room.session))

    assert _steps(teacher) == [
        (
            "presence:joined",
            {
                "previous": first["presence"]["version"],
                "version": second["presence"]["version"],
                "person": {"id": room.colleague.id, "name": "Sanne Collega", "facilitator": False},
            },
        )
    ]
    # The whole list only in the joiner's answer.
    assert [p["name"] for p in second["presence"]["people"]] == ["Fatima Leraar", "Sanne Collega"]


def _two_join_and_the_first_leaves(
    room_client: Callable[..., RoomClient], room: Any
) -> tuple[RoomClient, PresenceKeeper, list[tuple[str, dict[str, Any]]]]:
    """The facilitator in the room, keeping its list; then Fatima and Sanne join and Fatima
    leaves. The facilitator's client, its keeper and the presence steps it was sent."""
    facilitator = room_client(room.facilitator)
    keeper = PresenceKeeper(facilitator, ok(facilitator.join(room.session)))
    teacher, colleague = room_client(room.teacher), room_client(room.colleague)
    ok(teacher.join(room.session))
    ok(colleague.join(room.session))
    teacher.disconnect()
    return facilitator, keeper, _steps(facilitator)


def test_presence_steps_chain_so_a_client_keeps_the_right_list_in_any_order(room_client, room):
    _facilitator, keeper, steps = _two_join_and_the_first_leaves(room_client, room)
    assert [event for event, _data in steps] == [
        "presence:joined",
        "presence:joined",
        "presence:left",
    ]
    for (_e1, before), (_e2, after) in itertools.pairwise(steps):
        assert after["previous"] == before["version"]

    for event, data in reversed(steps):  # the broadcasts crossed: the last came first
        keeper.step(event, data)
    assert keeper.names() == ["Daan Facilitator", "Sanne Collega"]
    assert keeper.fetches == 0 and not keeper.pending


def test_a_client_that_missed_a_step_recovers_the_right_list(room_client, room):
    facilitator, keeper, steps = _two_join_and_the_first_leaves(room_client, room)
    for event, data in steps[1:]:  # the first step (Fatima joining) got lost
        keeper.step(event, data)
    assert keeper.pending  # the client knows it missed something: no wrong list is shown as done

    keeper.recover()
    assert keeper.fetches == 1 and not keeper.pending
    assert keeper.names() == ["Daan Facilitator", "Sanne Collega"]
    beat = ok(facilitator.emit("room:ping", {"session_id": room.session.id}))
    assert beat["presence_version"] == keeper.version


def test_concurrent_joins_and_leaves_form_one_chain_of_steps(room, room_client, crowd):
    observer = room_client(room.facilitator)
    keeper = PresenceKeeper(observer, ok(observer.join(room.session)))
    newcomers = [room_client(room.teacher), room_client(room.colleague)]
    join = {"session_id": room.session.id, "since": 0}
    work = [lambda c=c: c.emit("room:join", join) for c in newcomers]
    work += [lambda c=c: c.disconnect() for _user, c in crowd[:4]]
    results = _in_threads(work)
    assert [isinstance(a, dict) and a["ok"] for a in results[:2]] == [True, True], repr(results)

    steps = _steps(observer)
    assert len(steps) == 6
    versions = [data["previous"] for _e, data in steps] + [data["version"] for _e, data in steps]
    chain = sorted(steps, key=lambda step: step[1]["previous"])
    assert chain[0][1]["previous"] == keeper.version
    for (_e1, before), (_e2, after) in itertools.pairwise(chain):
        assert after["previous"] == before["version"], versions
    for event, data in steps:  # in the order they arrived
        keeper.step(event, data)
    assert keeper.fetches == 0 and not keeper.pending
    expected = ok(observer.emit("presence:get", {"session_id": room.session.id}))["presence"]
    assert keeper.version == expected["version"]
    assert keeper.names() == sorted(p["name"] for p in expected["people"])
    assert len(keeper.people) == 1 + 2 + 2  # the facilitator, the newcomers, two of the crowd


def test_a_second_tab_sends_steps_but_the_person_stays_until_the_last_tab_leaves(
    room_client, room, login_client
):
    facilitator = room_client(room.facilitator)
    keeper = PresenceKeeper(facilitator, ok(facilitator.join(room.session)))
    first_tab, second_tab = room_client(room.teacher), room_client(room.teacher)
    ok(first_tab.join(room.session))
    ok(second_tab.join(room.session))
    first_tab.disconnect()
    steps = _steps(facilitator)
    assert [(e, d.get("user_ids")) for e, d in steps] == [
        ("presence:joined", None),
        ("presence:joined", None),
        ("presence:left", []),  # the version moves; Fatima is still here
    ]
    for event, data in steps:
        keeper.step(event, data)
    assert keeper.names() == ["Daan Facilitator", "Fatima Leraar"]
    second_tab.disconnect()
    [(event, data)] = _steps(facilitator)
    assert (event, data["user_ids"]) == ("presence:left", [room.teacher.id])


def _seen_at(session_id: int) -> Any:
    db.session.commit()
    return db.session.scalar(
        sa.select(Attendance.seen_at).where(Attendance.session_id == session_id)
    )


def test_a_heartbeat_of_a_connection_seen_recently_writes_nothing(room_client, room):
    teacher = room_client(room.teacher)
    snapshot = ok(teacher.join(room.session))
    seen = _seen_at(room.session.id)
    with Statements() as statements:
        beat = ok(teacher.emit("room:ping", {"session_id": room.session.id}))
    assert statements.writes() == []
    assert _seen_at(room.session.id) == seen
    # The versions, not the lists.
    assert beat == {
        "ok": True,
        "room": {"state": "auto", "open": True},
        "last_message_id": 0,
        "presence_version": snapshot["presence"]["version"],
        "hands_version": snapshot["hands"]["version"],
    }


def test_a_heartbeat_writes_seen_at_when_it_is_older_than_half_a_heartbeat(room_client, room):
    from datetime import timedelta

    from plc.live import room as room_services

    teacher = room_client(room.teacher)
    ok(teacher.join(room.session))
    old = _seen_at(room.session.id) - room_services.TOUCH_AFTER - timedelta(seconds=1)
    db.session.execute(sa.update(Attendance).values(seen_at=old))
    db.session.commit()
    teacher.received()
    with Statements() as statements:
        ok(teacher.emit("room:ping", {"session_id": room.session.id}))
    updates = [s for s in statements.writes() if s.startswith("UPDATE")]
    assert len(updates) == 1 and "LIVE_ATTENDANCE" in updates[0]
    assert _seen_at(room.session.id) > old
    assert teacher.received() == []  # a sign of life changes nobody's list


def test_a_heartbeat_closes_the_stays_of_connections_gone_silent(room_client, room):
    from datetime import timedelta

    from plc.live import room as room_services

    teacher, colleague = room_client(room.teacher), room_client(room.colleague)
    ok(teacher.join(room.session))
    snapshot = ok(colleague.join(room.session))
    teacher.received()
    # Fatima's server crashed: her stay stays open, without signs of life.
    silent = _seen_at(room.session.id) - room_services.STALE_AFTER - timedelta(seconds=5)
    db.session.execute(
        sa.update(Attendance).where(Attendance.user_id == room.teacher.id).values(seen_at=silent)
    )
    db.session.commit()
    beat = ok(colleague.emit("room:ping", {"session_id": room.session.id}))
    [step] = colleague.events("presence:left")
    assert step["previous"] == snapshot["presence"]["version"]
    assert step["user_ids"] == [room.teacher.id]
    assert beat["presence_version"] == step["version"]
    stay = db.session.scalar(sa.select(Attendance).where(Attendance.user_id == room.teacher.id))
    assert stay.left_at == silent


def test_hands_are_sent_only_when_the_queue_changes_and_the_heartbeat_has_their_version(
    room_client, room
):
    teacher, colleague = room_client(room.teacher), room_client(room.colleague)
    ok(teacher.join(room.session))
    ok(colleague.join(room.session))
    sid = room.session.id
    teacher.received()
    ok(teacher.emit("hand:raise", {"session_id": sid}))
    ok(teacher.emit("hand:raise", {"session_id": sid}))  # raised already: no change
    ok(colleague.emit("hand:lower", {"session_id": sid}))  # not raised: no change
    [hands] = teacher.events("hands")
    assert [hand["user"]["id"] for hand in hands["queue"]] == [room.teacher.id]
    beat = ok(colleague.emit("room:ping", {"session_id": sid}))
    assert beat["hands_version"] == hands["version"]
    assert ok(colleague.emit("hands:get", {"session_id": sid}))["hands"] == hands

    colleague.disconnect()  # no hand of hers: the queue did not change
    assert teacher.events("hands") == []
    other = room_client(room.colleague)
    ok(other.join(room.session))
    teacher.disconnect()  # her hand goes down with her
    [hands] = other.events("hands")
    assert hands["queue"] == []
    assert ok(other.emit("room:ping", {"session_id": sid}))["hands_version"] == hands["version"]


def test_presence_and_hands_requests_need_a_joined_connection(room_client, room):
    teacher = room_client(room.teacher)
    for event in ("presence:get", "hands:get", "room:ping"):
        assert error_code(teacher.emit(event, {"session_id": room.session.id})) == "not_joined"
