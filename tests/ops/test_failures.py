"""How the platform fails, with real failures of the parts it depends on:

- the database away (a PostgreSQL database that refuses connections, a SQLite file that cannot
  be opened, a connection lost or turned read-only in the middle of a form post): `/healthz`
  says 503 naming the database, pages answer a friendly 503 page in the visitor's language with
  the security headers, and a post that fails halfway leaves no row and no file behind;
- Redis away in the scaled mode (a Redis server of the test's own, stopped and started again):
  pages and logins keep working, `/healthz` names Redis, the live room's page says the room is
  unavailable, and all works again when Redis is back, without a restart;
- a full disk on upload (a small tmpfs as the upload folder): every form that takes a file says
  so clearly, and leaves no row and no partial file behind.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from flask import Flask

from plc import create_app
from plc.communities.models import MemberRole
from plc.config import normalise_database_url
from plc.development.models import RecordEntry
from plc.extensions import db
from plc.knowledge.models import OutputAttachment
from plc.resources.demo import tiny_pdf
from plc.resources.models import Resource, ResourceVersion
from tests.conftest import (
    BACKEND,
    app_config,
    postgres_admin_url,
    require_service,
    temporary_postgres_database,
)
from tests.support.live_servers import (
    Participant,
    Server,
    build_world,
    free_port,
    login,
    run_script,
)

PDF = tiny_pdf("Exit tickets", ["Wat heb je vandaag geleerd?"])
SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options")
STORE_FAILED = "The file could not be stored, so nothing was saved."


def files_in(folder: Path) -> list[Path]:
    """Every file in the folder, temporary ones included."""
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _count(model: Any) -> int:
    db.session.commit()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _share_file(
    browser: Any, community: Any, data: bytes, title: str = "Lesplan", name: str = "lesplan.pdf"
) -> Any:
    """Post the form for a new resource of the community: one file."""
    return browser.submit(
        f"/gemeenschappen/{community.slug}/materiaal/nieuw",
        {"kind": "file", "title": title, "licence": "cc-by-4.0", "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


# -- the database away ---------------------------------------------------------------------------


@contextmanager
def app_on_a_database_that_goes_away(tmp_path: Path) -> Iterator[tuple[Flask, Callable, Callable]]:
    """An app on a database of its own, with `away()` and `back()` that make the database
    refuse connections and accept them again (PostgreSQL: the server refuses new connections to
    it and ends the open ones; SQLite: the file's folder disappears, so it cannot be opened)."""
    if BACKEND == "postgres":
        with temporary_postgres_database() as url:
            admin = sa.create_engine(normalise_database_url(postgres_admin_url() or ""))
            name = sa.make_url(url).database

            def allow(allowed: bool) -> None:
                with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                    c.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {allowed}')
                    if not allowed:
                        c.execute(
                            sa.text(
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                " WHERE datname = :name AND pid <> pg_backend_pid()"
                            ),
                            {"name": name},
                        )

            app = create_app(app_config(url), instance_path=str(tmp_path / "instance"))
            try:
                yield app, lambda: allow(False), lambda: allow(True)
            finally:
                allow(True)
                with app.app_context():
                    db.engine.dispose()
                admin.dispose()
    else:
        folder = tmp_path / "database"
        folder.mkdir()
        url = f"sqlite:///{folder / 'plc.sqlite3'}"
        app = create_app(app_config(url), instance_path=str(tmp_path / "instance"))

        def away() -> None:
            with app.app_context():
                db.engine.dispose()  # the open connections go; new ones cannot open the file
            shutil.rmtree(folder)

        try:
            yield app, away, lambda: folder.mkdir()
        finally:
            with app.app_context():
                db.engine.dispose()


def test_database_away_healthz_and_pages_say_so_kindly(tmp_path):
    with app_on_a_database_that_goes_away(tmp_path) as (app, away, back):
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        away()

        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.get_json() == {"status": "error", "database": "unavailable"}

        page = client.get("/gemeenschappen")
        assert page.status_code == 503
        assert page.mimetype == "text/html"
        assert page.headers["Retry-After"]
        html = page.get_data(as_text=True)
        assert '<html lang="nl">' in html and "Naar de startpagina" in html
        assert "Traceback" not in html and "OperationalError" not in html
        for header in SECURITY_HEADERS:
            assert header in page.headers

        client.set_cookie("plc_lang", "en")
        english = client.get("/gemeenschappen").get_data(as_text=True)
        assert '<html lang="en">' in english
        assert "The platform is unavailable for a moment" in english

        api = client.get("/api/v1/themes")
        assert api.status_code == 503
        assert api.mimetype == "application/problem+json"
        assert api.get_json()["status"] == 503

        back()
        assert client.get("/healthz").status_code == 200  # no restart needed


@pytest.fixture
def english(app: Flask) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


@contextmanager
def connection_lost_at(statement_start: str) -> Iterator[list[str]]:
    """The database connection fails just before the first statement that starts with
    `statement_start`: PostgreSQL ends the connection (`pg_terminate_backend` from another
    one); SQLite turns it read-only, so the write is refused by SQLite itself."""
    engine = db.engine
    fired: list[str] = []
    admin = sa.create_engine(engine.url) if engine.dialect.name == "postgresql" else None

    def fail(connection: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if fired or not statement.lstrip().upper().startswith(statement_start):
            return
        fired.append(statement)
        if admin is None:
            cursor.connection.execute("PRAGMA query_only = ON")
            return
        pid = connection.connection.dbapi_connection.info.backend_pid
        with admin.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _ in range(100):  # until the server has ended it
            with admin.connect() as other:
                alive = other.execute(
                    sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": pid},
                ).scalar()
            if not alive:
                break
            time.sleep(0.02)

    sa.event.listen(engine, "before_cursor_execute", fail)
    try:
        yield fired
    finally:
        sa.event.remove(engine, "before_cursor_execute", fail)
        engine.dispose()  # no read-only or dead connection stays in the pool
        if admin is not None:
            admin.dispose()


def test_a_post_that_loses_the_database_halfway_leaves_nothing(
    upload_folder, member_of_a_community
):
    community, _member, browser = member_of_a_community
    # The file is stored and the resource row written; then the version's row fails.
    with connection_lost_at("INSERT INTO RESOURCE_VERSION") as fired:
        response = _share_file(browser, community, PDF)
    assert fired, "the connection never failed"
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Traceback" not in html and "Naar de startpagina" in html
    assert _count(Resource) == 0 and _count(ResourceVersion) == 0
    assert files_in(upload_folder) == []
    # The platform goes on: the same post now succeeds.
    again = _share_file(browser, community, PDF)
    assert again.status_code == 302
    assert _count(ResourceVersion) == 1 and len(files_in(upload_folder)) == 1


# -- a full disk ---------------------------------------------------------------------------------

SMALL_DISK = 64 * 1024
#: Fits in the request limit, not on the small disk.
TOO_BIG_FOR_THE_DISK = PDF + b"%" * (4 * SMALL_DISK)


@pytest.fixture
def full_disk(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs as the upload folder: writes beyond it fail with ENOSPC from the kernel."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command: cannot make a small filesystem")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SMALL_DISK}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a small tmpfs is not permitted here: {mounted.stderr.strip()}")
    app.config["UPLOAD_FOLDER"] = str(folder / "uploads")
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    try:
        yield folder / "uploads"
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def _page(response: Any) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'")


@pytest.fixture
def member_of_a_community(create_user, create_community, add_member, login_client):
    community = create_community()
    member = create_user()
    add_member(community, member)
    return community, member, login_client(member)


def test_full_disk_on_a_new_resource(member_of_a_community, full_disk):
    community, _member, browser = member_of_a_community
    response = _share_file(browser, community, TOO_BIG_FOR_THE_DISK, "Groot lesplan", "groot.pdf")
    assert response.status_code == 400
    assert STORE_FAILED in _page(response)
    assert 'value="Groot lesplan"' in _page(response)  # what was typed is kept
    assert _count(Resource) == 0
    assert files_in(full_disk) == []


def test_full_disk_on_a_new_version(member_of_a_community, full_disk):
    community, _member, browser = member_of_a_community
    first = _share_file(browser, community, PDF)
    assert first.status_code == 302
    [stored] = files_in(full_disk)
    resource_id = db.session.scalar(sa.select(Resource.id))
    response = browser.submit(
        f"/gemeenschappen/{community.slug}/materiaal/{resource_id}/versie",
        {"file": (io.BytesIO(TOO_BIG_FOR_THE_DISK), "lesplan-2.pdf"), "note": "Uitgebreid"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert STORE_FAILED in _page(response)
    assert _count(ResourceVersion) == 1
    assert files_in(full_disk) == [stored]
    assert stored.read_bytes() == PDF


def test_full_disk_on_an_output_attachment(
    create_output, create_community, create_user, add_member, login_client, full_disk
):
    community = create_community()
    author = create_user()
    add_member(community, author)
    facilitator = create_user()
    add_member(community, facilitator, MemberRole.FACILITATOR)
    output = create_output(community=community, author=author, reviewer=facilitator, state="draft")
    browser = login_client(author)
    response = browser.submit(
        f"/gemeenschappen/{community.slug}/kennis/{output.id}/bijlagen",
        {"file": (io.BytesIO(TOO_BIG_FOR_THE_DISK), "bijlage.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302  # back to the edit page, with the message
    edit = browser.get(response.headers["Location"])
    assert STORE_FAILED in _page(edit)
    assert _count(OutputAttachment) == 0
    assert files_in(full_disk) == []


def test_full_disk_on_record_evidence(
    create_user, create_organisation, give_role, login_client, full_disk
):
    teacher = create_user(preferred_language="en")
    give_role(teacher, create_organisation())
    browser = login_client(teacher)
    response = browser.submit(
        "/mijn-professionalisering/nieuw",
        {
            "title": "Cursus taalgericht vakonderwijs",
            "activity_date": "2026-10-01",
            "provider": "Hogeschool van Amsterdam",
            "description": "",
            "contact_hours": "1:30",
            "self_study_hours": "0",
            "evidence": (io.BytesIO(TOO_BIG_FOR_THE_DISK), "certificaat.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert STORE_FAILED in _page(response)
    assert _count(RecordEntry) == 0
    assert files_in(full_disk) == []


def test_the_small_disk_is_really_full(full_disk):
    """The failure above comes from the kernel, not from the app: a plain write fails too."""
    full_disk.mkdir()
    with pytest.raises(OSError, match="No space left"):
        (full_disk / "probe").write_bytes(TOO_BIG_FOR_THE_DISK)


# -- Redis away in the scaled mode ---------------------------------------------------------------


class RedisServer:
    """A redis-server of the test's own on a free port (the shared one is never stopped)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        try:
            for _ in range(100):
                try:
                    if client.ping():
                        return self
                except redis.RedisError:
                    time.sleep(0.05)
        finally:
            client.close()
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    require_service(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = RedisServer(free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def scaled_server(own_redis: RedisServer, tmp_path: Path) -> Iterator[Any]:
    """A real app process in the scaled mode (REDIS_URL: Socket.IO's message queue and the rate
    limits), on a migrated SQLite file with people and sessions starting now."""
    world = build_world(tmp_path)
    server = Server(world, REDIS_URL=own_redis.url).start()
    yield server
    server.kill()


def test_redis_away_pages_keep_serving_and_the_room_says_it_is_unavailable(
    own_redis, scaled_server
):
    server = scaled_server
    session_id = server.world["sessions"][0]
    room = f"/gemeenschappen/formatief-evalueren/sessies/{session_id}/live"
    cookie = login(server, "fatima")

    def get(path: str) -> requests.Response:
        return requests.get(
            server.url + path,
            headers={"Cookie": f"{cookie}; plc_lang=en"},  # read in English
            timeout=10,
            allow_redirects=False,
        )

    assert requests.get(server.url + "/healthz", timeout=10).json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
    }
    assert get(room).status_code == 200

    own_redis.stop()
    health = requests.get(server.url + "/healthz", timeout=10)
    assert health.status_code == 503
    assert health.json() == {"status": "error", "database": "ok", "redis": "unavailable"}
    assert get("/").status_code == 200
    assert get("/gemeenschappen").status_code == 200
    assert login(server, "sanne")  # the rate-limited login form works (limits in memory)
    unavailable = get(room)
    assert unavailable.status_code == 503
    assert unavailable.headers["Retry-After"]
    assert "live-room.js" not in unavailable.text  # no room that silently never connects
    assert "The live room is unavailable right now" in unavailable.text

    own_redis.start()  # the same port: Redis is back
    assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
    back = get(room)
    assert back.status_code == 200 and "live-room.js" in back.text
    # And the room carries messages through Redis again, without a restart (Socket.IO's
    # listener reconnects by itself, after at most a minute).
    people = [Participant(name, session_id) for name in ("fatima", "sanne")]
    try:
        fatima, sanne = (person.connect(server) for person in people)
        fatima.send("Weer verbonden")
        deadline = time.monotonic() + 90
        while "Weer verbonden" not in sanne.bodies() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "Weer verbonden" in sanne.bodies()
    finally:
        for thread in [person.close_in_background() for person in people]:
            thread.join(timeout=10)


def test_healthz_without_redis_keeps_its_contract(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


# One app process started while Redis is away: pages, the health check and the login form.
STARTED_WITHOUT_REDIS = """
import json, sys
import flask_migrate
from plc import create_app

url, instance, redis_url = sys.argv[1], sys.argv[2], sys.argv[3]
app = create_app({
    "PLC_ENV": "testing", "SECRET_KEY": "only-for-tests-" + "x" * 32,
    "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "MAIL_DELIVERY": "cron",
    "REDIS_URL": redis_url, "RATELIMIT_STORAGE_URI": redis_url,
}, instance_path=instance)
with app.app_context():
    flask_migrate.upgrade()
client = app.test_client()
login = {"email": "niemand@example.org", "password": "verkeerd-wachtwoord-1"}
print(json.dumps({
    "home": client.get("/").status_code,
    "healthz": [client.get("/healthz").status_code, client.get("/healthz").get_json()],
    "logins": [client.post("/inloggen", data=login).status_code for _ in range(3)],
}))
"""


def test_an_app_starts_while_redis_is_away(tmp_path):
    """A process that starts (or restarts) while Redis is down serves its pages; the rate
    limits of the login form go on in memory."""
    nobody = f"redis://127.0.0.1:{free_port()}/0"
    url = f"sqlite:///{tmp_path / 'plc.sqlite3'}"
    seen = run_script(STARTED_WITHOUT_REDIS, url, str(tmp_path), nobody)
    assert seen["home"] == 200
    assert seen["healthz"] == [503, {"status": "error", "database": "ok", "redis": "unavailable"}]
    assert seen["logins"] == [200, 200, 200]  # the form again with its message, not an error
