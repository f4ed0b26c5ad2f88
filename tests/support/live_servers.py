"""Real app processes for tests: a migrated SQLite file with people and live sessions, app
processes serving HTTP and Socket.IO on it (`Server`), logins over HTTP, and a live-room client
written from docs/REALTIME.md (`Participant`). Used by tests/live/test_realtime_server.py and
tests/ops/test_failures.py.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
import socketio

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
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
from plc.auth.consents import record_consent
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
    for person in people.values():  # as at sign-up: their pages, not the consent question
        record_consent(person)
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


def build_world(folder: Path) -> dict[str, Any]:
    """Migrate a SQLite file in `folder` and add people and sessions (see SETUP): its URL, the
    folder (the servers' instance path) and the ids SETUP printed."""
    url = f"sqlite:///{folder / 'plc.sqlite3'}"
    return {"url": url, "folder": str(folder), **run_script(SETUP, url, str(folder), PASSWORD)}


def run_script(script: str, *args: str) -> Any:
    """Run `script` in a Python process of its own at the project root; the JSON it printed
    last."""
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def server_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    return {**env, "PLC_ENV": "testing", **extra}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """An app process serving HTTP and Socket.IO on a fixed port, so it can be restarted."""

    def __init__(self, world: dict[str, Any], **env: str) -> None:
        self.world = world
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        return self.launch().wait_until_ready()

    def launch(self) -> Server:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, self.world["url"], self.world["folder"], str(self.port)],
            cwd=ROOT,
            env=server_env(**self.env),
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
