"""The live room against real servers: python-socketio clients over WebSocket, app processes
started with `socketio.run` on a migrated SQLite file, logins over HTTP.

- a client that reconnects gets the messages sent while it was away;
- a server killed and started again loses nothing: clients rejoin with `since`, and a message
  whose acknowledgement was lost is resent and stored once;
- two server processes sharing Redis (the scaled mode): messages and removals cross.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import PASSWORD, require_service

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("PLC_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
NS = "/live"
WAIT = 10  # seconds: a local server answers in milliseconds; this only bounds a failure

CONFIG = """
import sys
from plc import create_app
config = {
    "PLC_ENV": "testing", "SECRET_KEY": "only-for-tests-" + "x" * 32,
    "SQLALCHEMY_DATABASE_URI": sys.argv[1], "RATELIMIT_ENABLED": False, "MAIL_DELIVERY": "cron",
}
app = create_app(config, instance_path=sys.argv[2])
"""

# Migrate the database and add a facilitator (a platform admin), two members and one session
# (starting now) per test; prints their ids.
SETUP = (
    CONFIG
    + """
import json
from datetime import timedelta
import flask_migrate
from plc.auth.models import User
from plc.auth.passwords import hash_password
from plc.communities import services
from plc.communities.models import CommunityMember, MemberStatus, Visibility
from plc.core.models import utcnow
from plc.extensions import db
from plc.live.models import LiveSession, SessionMode
from plc.organisations.models import Organisation, OrganisationKind

with app.app_context():
    flask_migrate.upgrade()
    password = hash_password(sys.argv[3])
    people = {
        name: User(email=f"{name}@example.org", display_name=name.title(), password_hash=password,
                   is_admin=name == "daan")
        for name in ("daan", "fatima", "sanne")
    }
    db.session.add_all(people.values())
    school = Organisation(kind=OrganisationKind.SCHOOL, name="School", slug="school")
    db.session.add(school)
    db.session.flush()
    community = services.create_community(people["daan"], school, services.CommunityFields(
        name="Formatief evalueren", summary="Samen", description="", visibility=Visibility.PUBLIC))
    for name in ("fatima", "sanne"):
        db.session.add(CommunityMember(community_id=community.id, user_id=people[name].id,
                                       status=MemberStatus.ACTIVE, joined_at=utcnow()))
    start = utcnow()
    sessions = [
        LiveSession(uid=f"s{n}@test", community_id=community.id, title=f"Sessie {n}",
                    starts_at=start, ends_at=start + timedelta(hours=1), mode=SessionMode.ONLINE)
        for n in range(3)
    ]
    db.session.add_all(sessions)
    db.session.commit()
    print(json.dumps({"sessions": [s.id for s in sessions],
                      "users": {name: user.id for name, user in people.items()}}))
"""
)

SERVER = (
    CONFIG
    + """
from plc.extensions import socketio
socketio.run(app, host="127.0.0.1", port=int(sys.argv[3]), allow_unsafe_werkzeug=True,
             log_output=False)
"""
)


# -- servers ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One migrated SQLite file for this module's servers, with people and sessions."""
    folder = tmp_path_factory.mktemp("realtime-server")
    url = f"sqlite:///{folder / 'plc.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-c", SETUP, url, str(folder), PASSWORD],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return {"url": url, "folder": str(folder), **json.loads(result.stdout.strip().splitlines()[-1])}


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    return {**env, "PLC_ENV": "testing", **extra}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """An app process serving HTTP and Socket.IO on a fixed port, so it can be restarted."""

    def __init__(self, world: dict[str, Any], **env: str) -> None:
        self.world = world
        self.env = env
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        return self.launch().wait_until_ready()

    def launch(self) -> Server:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, self.world["url"], self.world["folder"], str(self.port)],
            cwd=ROOT,
            env=_env(**self.env),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        return self

    def wait_until_ready(self) -> Server:
        assert self.process is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(self.process.stderr.read().decode()[-3000:])  # type: ignore[union-attr]
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.05)
        raise AssertionError(f"the server on {self.url} did not start")

    def kill(self) -> None:
        """As a crash: no goodbye to anyone."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        if self.process and self.process.stderr:
            self.process.stderr.close()


@pytest.fixture
def participants() -> Iterator[Callable[..., Participant]]:
    made: list[Participant] = []

    def make(name: str, session_id: int, **options: Any) -> Participant:
        made.append(Participant(name, session_id, **options))
        return made[-1]

    yield make
    closing = [participant.close_in_background() for participant in made]
    for thread in closing:
        thread.join(timeout=WAIT)


@pytest.fixture
def start_servers(
    world: dict[str, Any], participants: Callable[..., Participant]
) -> Iterator[Callable[..., list[Server]]]:
    """`start_servers(n, **env)`: n app processes, started side by side, killed afterwards
    (before the clients close: a client's goodbye to a live server waits for its answer)."""
    servers: list[Server] = []

    def start(count: int = 1, **env: str) -> list[Server]:
        started = [Server(world, **env).launch() for _ in range(count)]
        servers.extend(started)
        return [server.wait_until_ready() for server in started]

    yield start
    for server in servers:
        server.kill()


# -- clients ---------------------------------------------------------------------------------------

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def login(server: Server, name: str) -> str:
    """Log in through the form; returns the Cookie header a browser would send."""
    with requests.Session() as http:
        page = http.get(server.url + "/inloggen", timeout=WAIT)
        token = _CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        answer = http.post(
            server.url + "/inloggen",
            data={"csrf_token": token, "email": f"{name}@example.org", "password": PASSWORD},
            allow_redirects=False,
            timeout=WAIT,
        )
        assert answer.status_code == 302, answer.text[:500]
        return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


class Participant:
    """A client written from docs/REALTIME.md: keeps messages by id, rejoins with `since` on
    every (re)connect, and resends what was not acknowledged with the same client id."""

    def __init__(
        self,
        name: str,
        session_id: int,
        *,
        reconnect: bool = True,
        resume: Participant | None = None,
    ) -> None:
        self.name = name
        self.session_id = session_id
        # A client that carries on after its connection was lost keeps what it had.
        self.messages: dict[int, dict[str, Any]] = dict(resume.messages) if resume else {}
        self.outbox: dict[str, str] = dict(resume.outbox) if resume else {}
        self.events: list[tuple[str, Any]] = []
        self.lock = threading.Lock()
        self.joined = threading.Event()
        self.cookie = ""
        self.sio = socketio.Client(
            reconnection=reconnect,
            reconnection_delay=0.1,
            reconnection_delay_max=0.3,
            randomization_factor=0,
        )
        self.sio.on("connect", self._on_connect, namespace=NS)
        self.sio.on("chat:message", self._on_message, namespace=NS)
        self.sio.on("*", self._on_any, namespace=NS)

    # the protocol

    def _on_connect(self) -> None:
        self.joined.clear()
        with self.lock:
            since = max(self.messages, default=0)
        self.sio.emit(
            "room:join",
            {"session_id": self.session_id, "since": since},
            namespace=NS,
            callback=self._on_joined,
        )

    def _on_joined(self, answer: dict[str, Any]) -> None:
        assert answer["ok"], answer
        self._keep(answer["messages"])
        self.joined.set()
        for client_id, body in list(self.outbox.items()):
            self._send(client_id, body)

    def _on_message(self, data: dict[str, Any]) -> None:
        self._keep([data["message"]])

    def _on_any(self, event: str, data: Any = None) -> None:
        with self.lock:
            self.events.append((event, data))

    def _keep(self, messages: list[dict[str, Any]]) -> None:
        with self.lock:
            for message in messages:
                self.messages[message["id"]] = message

    def _send(self, client_id: str, body: str) -> None:
        def acknowledged(answer: dict[str, Any]) -> None:
            if answer["ok"]:
                self.outbox.pop(client_id, None)
                self._keep([answer["message"]])

        payload = {"session_id": self.session_id, "client_id": client_id, "body": body}
        self.sio.emit("chat:send", payload, namespace=NS, callback=acknowledged)

    # for the tests

    def connect(self, server: Server) -> Participant:
        self.cookie = self.cookie or login(server, self.name)
        self.sio.connect(
            server.url,
            namespaces=[NS],
            headers={"Cookie": self.cookie},
            transports=["websocket"],
            wait_timeout=WAIT,
        )
        assert self.joined.wait(WAIT), f"{self.name} did not get into the room"
        return self

    def send(self, body: str, client_id: str | None = None) -> str:
        client_id = client_id or uuid.uuid4().hex
        self.outbox[client_id] = body
        self._send(client_id, body)
        return client_id

    def call(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        return self.sio.call(
            event, {"session_id": self.session_id, **payload}, namespace=NS, timeout=WAIT
        )  # type: ignore[no-any-return]

    def bodies(self) -> list[str]:
        with self.lock:
            return [self.messages[key]["body"] for key in sorted(self.messages)]

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.02)
        raise AssertionError(f"{self.name}: {what} did not happen (messages: {self.bodies()})")

    def close_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self._close, daemon=True)
        thread.start()
        return thread

    def _close(self) -> None:
        self.sio.disconnect()
        # A client whose server is gone is reconnecting; python-socketio's reconnect loop clears
        # its abort signal when it starts, so a disconnect that came first leaves the loop
        # running for good (calling `random`, which upsets Hypothesis in a later test). Signal
        # until the loop has really stopped.
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            task = self.sio._reconnect_task
            if task is None or not task.is_alive():
                return
            self.sio._reconnect_abort.set()
            task.join(0.2)


# -- tests -----------------------------------------------------------------------------------------


def test_a_client_that_reconnects_gets_what_was_said_meanwhile(world, start_servers, participants):
    [server] = start_servers()
    session_id = world["sessions"][0]
    fatima = participants("fatima", session_id).connect(server)
    sanne = participants("sanne", session_id).connect(server)
    fatima_id = world["users"]["fatima"]
    sanne.send("Goedemorgen")
    fatima.wait_for(lambda: fatima.bodies() == ["Goedemorgen"], "the first message")

    fatima.close_in_background()  # her connection is gone: the room sees her leave
    sanne.wait_for(lambda: _left(sanne.events) == [fatima_id], "Fatima leaving")
    for body in ("Zijn jullie er?", "Ik begin alvast"):  # one at a time: the order is kept
        sanne.send(body)
        sanne.wait_for(lambda: not sanne.outbox, "the acknowledgement")
    back = participants("fatima", session_id, resume=fatima).connect(server)

    assert back.bodies() == ["Goedemorgen", "Zijn jullie er?", "Ik begin alvast"]


def _left(events: list[tuple[str, Any]]) -> list[int]:
    return [
        user_id for name, data in events if name == "presence:left" for user_id in data["user_ids"]
    ]


def test_nothing_is_lost_when_the_server_restarts(world, start_servers, participants):
    [server] = start_servers()
    session_id = world["sessions"][1]
    fatima = participants("fatima", session_id, reconnect=False).connect(server)
    sanne = participants("sanne", session_id).connect(server)
    sanne.send("Voor de herstart")
    fatima.wait_for(lambda: fatima.bodies() == ["Voor de herstart"], "the first message")

    # Fatima sends, and the server dies before or just after storing it: as if her
    # acknowledgement was lost either way, the message stays in her outbox.
    dropped = [fatima.sio.eio.ws, sanne.sio.eio.ws]
    pending = fatima.send("Net op tijd?")
    server.kill()
    fatima.wait_for(lambda: not fatima.sio.connected, "the disconnect")
    fatima.outbox[pending] = "Net op tijd?"

    server.start()  # the same port: Sanne's client reconnects and rejoins by itself
    sanne.wait_for(lambda: sanne.sio.connected and sanne.joined.is_set(), "the reconnect")
    sanne.send("Na de herstart")
    sanne.wait_for(lambda: not sanne.outbox, "the acknowledgement")

    fatima.connect(server)  # rejoins with `since`, then resends her outbox
    fatima.wait_for(lambda: not fatima.outbox, "the resend's acknowledgement")
    fatima.wait_for(lambda: "Net op tijd?" in fatima.bodies(), "her own message")
    assert "Na de herstart" in fatima.bodies()

    for websocket in dropped:  # the client library leaves a dead connection's socket open
        websocket.shutdown()

    everything = participants("daan", session_id).connect(server).bodies()
    assert everything.count("Net op tijd?") == 1
    assert set(everything) == {"Voor de herstart", "Net op tijd?", "Na de herstart"}
    assert fatima.bodies() == everything


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def test_two_server_processes_share_the_room_through_redis(world, start_servers, participants):
    require_service(_redis_available(), f"Redis is not reachable at {REDIS_URL}")
    first, second = start_servers(2, REDIS_URL=REDIS_URL)
    session_id = world["sessions"][2]
    daan = participants("daan", session_id).connect(first)
    fatima = participants("fatima", session_id).connect(first)
    sanne = participants("sanne", session_id).connect(second)

    fatima.send("Van server één")
    sanne.wait_for(lambda: "Van server één" in sanne.bodies(), "a message from the other server")
    sanne.send("Van server twee")
    fatima.wait_for(lambda: "Van server twee" in fatima.bodies(), "the answer")
    people = fatima.call("presence:get", {})["presence"]["people"]
    assert {person["name"] for person in people} == {"Daan", "Fatima", "Sanne"}

    # A facilitator on the first server removes someone connected to the second.
    users = world["users"]
    assert daan.call("room:remove", {"user_id": users["sanne"]})["ok"]
    sanne.wait_for(lambda: ("room:removed", {"session_id": session_id}) in sanne.events, "removal")
    fatima.send("Zonder Sanne")
    daan.wait_for(lambda: "Zonder Sanne" in daan.bodies(), "the next message")
    time.sleep(0.2)  # time enough for a broadcast that should not come
    assert "Zonder Sanne" not in sanne.bodies()
    assert sanne.call("room:join", {})["error"]["code"] == "removed"
