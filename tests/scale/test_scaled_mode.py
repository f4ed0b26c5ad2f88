"""The scaled mode for real, set up as docs/deploy.md says: two gunicorn gevent processes (the
systemd unit's `ExecStart`, the page's environment file) on a fresh PostgreSQL database migrated
with `flask db upgrade`, sharing the local Redis, behind a real nginx running the page's block
with TLS on a self-signed certificate. Over real HTTP:

- a login through the form on one process is served by the other;
- a live-room message from a Socket.IO client on one reaches a client on the other;
- failed logins split over both hit the limit at the configured number, not twice it;
- through nginx: http goes to https, HSTS, a login with Secure cookies, a Socket.IO client
  upgrading from polling to WebSocket, every visitor address sticking to one process while both
  processes serve someone, the per-address login limit counting per visitor, not per proxy;
- two `flask plc send-digests` processes at once send each waiting mail once.

PostgreSQL always, in both passes of `make test`: skipped outside CI without
PLC_TEST_DATABASE_URL, Redis or nginx, failing in CI.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
import requests
import socketio
from aiosmtpd.controller import Controller

from tests.conftest import PASSWORD, require_service, temporary_postgres_database
from tests.scale import scaled_setup as setup

NS = "/live"
WAIT = 15  # seconds: only bounds a failure
#: The live session's id: chosen far from the ids other tests' rooms have, because Redis
#: publishes Socket.IO messages to every database number alike.
SESSION_ID = 48151
#: Limits of this module's processes (per hour: a slow machine cannot slip into a new window).
LOGIN_PER_ADDRESS = 10
LOGIN_PER_ACCOUNT = 3
_CSRF_FIELD = 'name="csrf_token"'

# Run with the app's environment: people, a community with a live session starting now.
SETUP = """
import json, sys
from datetime import timedelta
from plc import create_app
from plc.auth.consents import record_consent
from plc.auth.models import User
from plc.auth.passwords import hash_password
from plc.communities import services
from plc.communities.models import CommunityMember, MemberStatus, Visibility
from plc.core.models import utcnow
from plc.extensions import db
from plc.live.models import LiveSession, SessionMode
from plc.organisations.models import Organisation, OrganisationKind

app = create_app()
with app.app_context():
    password = hash_password(sys.argv[1])
    people = [User(email=f"{name.lower()}@example.org", display_name=f"{name} Schaal",
                   password_hash=password, is_admin=name == "Anna")
              for name in ("Anna", "Bram")]
    db.session.add_all(people)
    school = Organisation(kind=OrganisationKind.SCHOOL, name="School", slug="school")
    db.session.add(school)
    db.session.flush()
    for person in people:  # as at sign-up: their pages, not the consent question
        record_consent(person)
    community = services.create_community(people[0], school, services.CommunityFields(
        name="Samen schalen", summary="Samen", description="", visibility=Visibility.PUBLIC))
    db.session.add(CommunityMember(community_id=community.id, user_id=people[1].id,
                                   status=MemberStatus.ACTIVE, joined_at=utcnow()))
    start = utcnow()
    db.session.add(LiveSession(id=int(sys.argv[2]), uid="scaled@test", community_id=community.id,
                               title="Sessie", starts_at=start, ends_at=start + timedelta(hours=1),
                               mode=SessionMode.ONLINE))
    db.session.commit()
"""

# Mail waiting for the background command: queued outbox mail, and unread notifications that
# make a digest each.
QUEUE_MAIL = """
import sys
from plc import create_app
from plc.auth.models import User
from plc.core.outbox import queue_mail
from plc.extensions import db
from plc.notifications.models import Notification, NotificationKind

app = create_app()
with app.app_context():
    for n in range(int(sys.argv[1])):
        queue_mail(f"wachtend{n}@example.org", f"Bericht {n}", "Tekst")
    for n in range(int(sys.argv[2])):
        reader = User(email=f"lezer{n}@example.org", display_name=f"Lezer {n}", password_hash="x")
        db.session.add(reader)
        db.session.flush()
        db.session.add(Notification(user_id=reader.id, kind=NotificationKind.SURVEY_OPEN,
                                    detail="Vragenlijst", link="/"))
    db.session.commit()
"""


@dataclass
class Scaled:
    folder: Path
    env: dict[str, str]
    redis_url: str
    a: str  # http://127.0.0.1:port of process A
    b: str
    app_ports: tuple[int, int]
    site: str  # https://localhost:port through nginx
    plain_site: str  # http://localhost:port through nginx
    cert: Path
    access_log: Path


def _redis_url() -> str:
    """The test Redis server with a database number of this module's own (the limit counters);
    emptied before and after."""
    base = urlsplit(os.environ.get("PLC_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    return urlunsplit(base._replace(path="/12"))  # 15: the other tests; 14: bench/


def _redis_available(url: str) -> bool:
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=1) as client:
            return bool(client.ping())
    except redis.RedisError:
        return False


def _empty_redis(url: str) -> None:
    with redis.Redis.from_url(url) as client:
        client.flushdb()


def _run(command: list[str], env: dict[str, str], timeout: int = 120) -> str:
    result = subprocess.run(
        command, cwd=setup.ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _base_environment() -> dict[str, str]:
    """What systemd gives a service: a plain PATH and locale, nothing of the test's own."""
    return {
        "PATH": f"{setup.VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": str(Path.home()),
    }


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scaled]:
    redis_url = _redis_url()
    require_service(_redis_available(redis_url), f"Redis is not reachable at {redis_url}")
    require_service(setup.nginx_binary() is not None, "nginx is not installed")
    folder = tmp_path_factory.mktemp("scaled")
    folder.chmod(0o755)
    with temporary_postgres_database() as database_url:
        _empty_redis(redis_url)
        app_ports = (setup.free_port(), setup.free_port())
        http_port, https_port = setup.free_port(), setup.free_port()
        env = {
            **_base_environment(),
            **setup.doc_environment(),
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SERVER_NAME": f"localhost:{https_port}",
            "LOGIN_RATE_LIMIT": f"{LOGIN_PER_ADDRESS}/hour",
            "LOGIN_ACCOUNT_RATE_LIMIT": f"{LOGIN_PER_ACCOUNT}/hour",
        }
        flask = [str(setup.VENV_BIN / "flask"), "--app", "wsgi"]
        _run([*flask, "db", "upgrade"], env)
        _run([sys.executable, "-c", SETUP, PASSWORD, str(SESSION_ID)], env)

        processes: list[subprocess.Popen[bytes]] = []
        logs = [folder / f"app-{port}.log" for port in app_ports]
        try:
            for port, log in zip(app_ports, logs, strict=True):
                with log.open("wb") as output:
                    processes.append(
                        subprocess.Popen(
                            setup.doc_app_command(port),
                            cwd=setup.ROOT,
                            env=env,
                            stdout=output,
                            stderr=subprocess.STDOUT,
                        )
                    )
            cert, key = setup.self_signed_certificate(folder)
            site = setup.doc_nginx_site(
                app_ports=app_ports, http_port=http_port, https_port=https_port, cert=cert, key=key
            )
            processes.append(setup.start_nginx(folder, setup.nginx_config(folder, site)))
            logs.append(folder / "error.log")
            a, b = (f"http://127.0.0.1:{port}" for port in app_ports)
            https_site = f"https://localhost:{https_port}"
            setup.wait_until_healthy([a, b, https_site], processes, logs, verify=str(cert))
            yield Scaled(
                folder=folder,
                env=env,
                redis_url=redis_url,
                a=a,
                b=b,
                app_ports=app_ports,
                site=https_site,
                plain_site=f"http://localhost:{http_port}",
                cert=cert,
                access_log=folder / "access.log",
            )
        finally:
            for process in processes:
                setup.stop(process)
            _empty_redis(redis_url)


# -- clients ---------------------------------------------------------------------------------------


class _LoopbackSession(requests.Session):
    """Sends the Secure cookies over plain HTTP too: the test talks to an app process directly
    on loopback, as nginx does; browsers reach it only through https."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        answer = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return answer


def _browser(*, cert: Path | None = None, address: str | None = None) -> requests.Session:
    http = _LoopbackSession() if cert is None else requests.Session()
    http.trust_env = False
    if cert is not None:
        http.verify = str(cert)
    if address is not None:
        http.mount("https://", setup.FromAddress(address))
        http.mount("http://", setup.FromAddress(address))
    return http


def _csrf_token(http: requests.Session, url: str) -> str:
    with http.get(url, timeout=WAIT) as page:
        html = page.text
    start = html.index(_CSRF_FIELD)
    return html[start:].split('value="', 1)[1].split('"', 1)[0]


def _log_in(http: requests.Session, base: str, email: str, password: str = PASSWORD) -> int:
    """The login form, as a browser fills it in: token, then POST with a same-origin Referer."""
    token = _csrf_token(http, base + "/inloggen")
    with http.post(
        base + "/inloggen",
        data={"csrf_token": token, "email": email, "password": password},
        headers={"Referer": base + "/inloggen"},
        allow_redirects=False,
        timeout=WAIT,
    ) as answer:
        return answer.status_code


def _page(http: requests.Session, url: str, **kwargs: Any) -> tuple[int, str]:
    with http.get(url, allow_redirects=False, timeout=WAIT, **kwargs) as answer:
        return answer.status_code, answer.text


class RoomClient:
    """A live-room client as docs/REALTIME.md describes: log in, connect to /live with the
    cookies, `room:join`, then `chat:send`; keeps the `chat:message` bodies it receives."""

    def __init__(self, http: requests.Session) -> None:
        self.received: list[str] = []
        self.sio = socketio.Client(reconnection=False, http_session=http)
        self.sio.on("chat:message", self._on_message, namespace=NS)

    def _on_message(self, data: dict[str, Any]) -> None:
        self.received.append(data["message"]["body"])

    def join(self, url: str, transports: list[str] | None = None) -> RoomClient:
        self.sio.connect(url, namespaces=[NS], transports=transports, wait_timeout=WAIT)
        answer = self.call("room:join", {"since": 0})
        assert answer["ok"], answer
        return self

    def call(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        data = {"session_id": SESSION_ID, **payload}
        return self.sio.call(event, data, namespace=NS, timeout=WAIT)  # type: ignore[no-any-return]

    def send(self, body: str) -> None:
        answer = self.call("chat:send", {"client_id": uuid.uuid4().hex, "body": body})
        assert answer["ok"], answer

    def wait_for(self, body: str) -> None:
        deadline = time.monotonic() + WAIT
        while body not in self.received and time.monotonic() < deadline:
            time.sleep(0.02)
        assert body in self.received, f"{body!r} did not arrive; got {self.received}"


@pytest.fixture
def room_clients() -> Iterator[Callable[[requests.Session], RoomClient]]:
    made: list[RoomClient] = []

    def make(http: requests.Session) -> RoomClient:
        made.append(RoomClient(http))
        return made[-1]

    yield make
    for client in made:
        client.sio.disconnect()


# -- two processes, one site -----------------------------------------------------------------------


def test_a_login_through_one_process_is_served_by_the_other(scaled):
    with _browser() as anna, _browser() as stranger:
        assert _log_in(anna, scaled.a, "anna@example.org") == 302
        status, html = _page(anna, scaled.b + "/profiel")
        assert status == 200
        assert "Anna Schaal" in html
        # Without the cookie the other process knows no one.
        assert _page(stranger, scaled.b + "/profiel")[0] == 302


def test_a_live_room_message_crosses_from_one_process_to_the_other(scaled, room_clients):
    with _browser() as anna_http, _browser() as bram_http:
        assert _log_in(anna_http, scaled.a, "anna@example.org") == 302
        assert _log_in(bram_http, scaled.b, "bram@example.org") == 302
        anna = room_clients(anna_http).join(scaled.a, transports=["websocket"])
        bram = room_clients(bram_http).join(scaled.b, transports=["websocket"])

        anna.send("Via proces A")
        bram.wait_for("Via proces A")
        bram.send("Terug via proces B")
        anna.wait_for("Terug via proces B")


def test_login_limits_count_across_both_processes(scaled):
    account = f"druk-{uuid.uuid4().hex[:8]}@example.org"
    codes = []
    with _browser() as http:
        for attempt in range(LOGIN_PER_ACCOUNT + 2):
            process = scaled.a if attempt % 2 == 0 else scaled.b
            token = _csrf_token(http, process + "/inloggen")
            with http.post(
                process + "/inloggen",
                data={"csrf_token": token, "email": account, "password": "Verkeerd-wachtwoord-1"},
                timeout=WAIT,
            ) as answer:
                codes.append(answer.status_code)
    # Attempts 1 and 3 went to A, 2 to B: the fourth (on B) is over the limit of three.
    assert codes == [200] * LOGIN_PER_ACCOUNT + [429, 429]


# -- nginx in front --------------------------------------------------------------------------------


def test_nginx_sends_http_to_https_and_serves_pages_with_hsts(scaled):
    with _browser(cert=scaled.cert) as http:
        with http.get(scaled.plain_site + "/inloggen", allow_redirects=False, timeout=WAIT) as old:
            assert old.status_code == 301
            assert old.headers["Location"] == "https://localhost/inloggen"
        with http.get(scaled.site + "/", timeout=WAIT) as page:
            assert page.status_code == 200
            assert page.headers["Strict-Transport-Security"] == "max-age=63072000"
            assert "Leernetwerk" in page.text


def test_a_login_through_nginx_uses_secure_cookies_and_works(scaled):
    def log_in(http: requests.Session, referer: str) -> requests.Response:
        token = _csrf_token(http, scaled.site + "/inloggen")
        return http.post(
            scaled.site + "/inloggen",
            data={"csrf_token": token, "email": "bram@example.org", "password": PASSWORD},
            headers={"Referer": referer},
            allow_redirects=False,
            timeout=WAIT,
        )

    with _browser(cert=scaled.cert, address="127.0.5.1") as http:
        # The app sees https (X-Forwarded-Proto), so the CSRF check also compares the Referer
        # with the site: a form posted from another site's page is refused.
        with log_in(http, "https://elders.example.com/inloggen") as forged:
            assert forged.status_code == 400
        with log_in(http, scaled.site + "/inloggen") as answer:
            assert answer.status_code == 302, answer.text[:500]
            cookies = answer.headers["Set-Cookie"]
        assert "Secure" in cookies
        assert "Bram Schaal" in _page(http, scaled.site + "/profiel")[1]


def test_the_live_room_works_through_nginx_and_each_visitor_sticks_to_one_process(
    scaled, room_clients
):
    with _browser(cert=scaled.cert) as anna_http, _browser() as bram_http:
        assert _log_in(anna_http, scaled.site, "anna@example.org") == 302
        assert _log_in(bram_http, scaled.b, "bram@example.org") == 302
        # Polling first, then the upgrade: both must reach the process holding the connection.
        anna = room_clients(anna_http).join(scaled.site)
        bram = room_clients(bram_http).join(scaled.b, transports=["websocket"])
        deadline = time.monotonic() + WAIT
        while anna.sio.transport() != "websocket" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert anna.sio.transport() == "websocket"
        anna.send("Door nginx heen")
        bram.wait_for("Door nginx heen")
        bram.send("En weer terug")
        anna.wait_for("En weer terug")
        anna.sio.disconnect()  # nginx logs the WebSocket request when it ends

    # More visitors, from other /24 networks (ip_hash looks at the first three bytes).
    for n in range(1, 17):
        with _browser(cert=scaled.cert, address=f"127.0.{n}.1") as http:
            for _ in range(2):
                assert _page(http, scaled.site + "/healthz")[0] == 200

    by_client = _upstreams_when_logged(scaled, expected_clients=17)
    assert all(len(upstreams) == 1 for upstreams in by_client.values()), by_client
    served = set().union(*by_client.values())
    assert served == {f"127.0.0.1:{port}" for port in scaled.app_ports}


def _upstreams_when_logged(scaled: Scaled, expected_clients: int) -> dict[str, set[str]]:
    deadline = time.monotonic() + WAIT
    while True:
        by_client = setup.upstreams_by_client(scaled.access_log)
        if len(by_client) >= expected_clients or time.monotonic() > deadline:
            return by_client
        time.sleep(0.05)


def test_the_per_address_login_limit_counts_per_visitor_behind_nginx(scaled):
    def failed_login(address: str) -> int:
        with _browser(cert=scaled.cert, address=address) as http:
            account = f"{uuid.uuid4().hex[:8]}@example.org"
            return _log_in(http, scaled.site, account, "Verkeerd-wachtwoord-1")

    codes = [failed_login("127.0.3.1") for _ in range(LOGIN_PER_ADDRESS + 1)]
    assert codes == [200] * LOGIN_PER_ADDRESS + [429]
    # Another visitor behind the same nginx is not held back by the first one's attempts.
    assert failed_login("127.0.4.1") == 200


def test_without_a_proxy_a_forged_forwarded_address_is_not_believed(app, client):
    """The default (PROXY_COUNT=0, the embedded mode): X-Forwarded-For is the client's own
    word, so changing it for each attempt must not get round the per-address limit."""
    assert app.config["PROXY_COUNT"] == 0
    app.config["LOGIN_RATE_LIMIT"] = "2/hour"
    codes = [
        client.submit(
            "/inloggen",
            {"email": f"{n}@example.org", "password": "Verkeerd-wachtwoord-1"},
            headers={"X-Forwarded-For": f"203.0.113.{n}", "X-Forwarded-Proto": "https"},
        ).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


# -- background work -------------------------------------------------------------------------------


class _Inbox:
    """A real SMTP server on loopback that keeps the Message-ID and recipient of each mail."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.02)  # a real server's moment per mail: the two runs meet
        message = message_from_bytes(envelope.content)
        with self.lock:
            self.received.append((message["Message-ID"], envelope.rcpt_tos[0]))
        return "250 OK"


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=setup.free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def _queue(scaled: Scaled, mails: int = 0, readers: int = 0) -> None:
    command = [sys.executable, "-c", QUEUE_MAIL, str(mails), str(readers)]
    _run(command, {**scaled.env, "MAIL_DELIVERY": "cron"})


def _two_background_runs_at_once(scaled: Scaled, smtp_port: int) -> list[str]:
    """`flask plc send-digests` twice at once, with the page's environment; their outputs."""
    env = {**scaled.env, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port)}
    command = [str(setup.VENV_BIN / "flask"), "--app", "wsgi", "plc", "send-digests"]
    runs = [
        subprocess.Popen(
            command, cwd=setup.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=180) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err.decode()[-3000:]
    return [out.decode() for out, _err in outputs]


def _assert_each_once(inbox: _Inbox, recipients: list[str]) -> None:
    ids = [message_id for message_id, _to in inbox.received]
    assert len(ids) == len(set(ids)), "a mail was sent twice"
    assert sorted(to for _id, to in inbox.received) == sorted(recipients)


def test_two_background_runs_at_once_send_each_waiting_mail_once(scaled, smtp_inbox):
    inbox, port = smtp_inbox
    _queue(scaled, mails=40)

    outputs = _two_background_runs_at_once(scaled, port)

    _assert_each_once(inbox, [f"wachtend{n}@example.org" for n in range(40)])
    delivered = [int(out.rsplit("mails delivered: ", 1)[1]) for out in outputs]
    assert sum(delivered) == 40


def test_two_background_runs_at_once_write_each_digest_once(scaled, smtp_inbox):
    inbox, port = smtp_inbox
    _queue(scaled, readers=20)

    _two_background_runs_at_once(scaled, port)

    _assert_each_once(inbox, [f"lezer{n}@example.org" for n in range(20)])
