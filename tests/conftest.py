"""Test equipment every feature reuses.

- One database per test session, built by the real migrations (SQLite file, or a fresh
  PostgreSQL database when PLC_TEST_BACKEND=postgres), emptied after each test.
- Builders (`create_user`), a client that carries CSRF tokens (`client.submit`), a logged-in
  client (`login_client`), a SQL statement counter (`count_queries`).
- A live server and a real browser live in tests/browser/conftest.py.
"""

from __future__ import annotations

import contextvars
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from plc import create_app
from plc.auth.models import User
from plc.core import pagecache
from plc.extensions import db, limiter, socketio

IN_CI = os.environ.get("CI") == "true"
BACKEND = os.environ.get("PLC_TEST_BACKEND", "sqlite")
#: A password that passes the policy; builders use it unless told otherwise.
PASSWORD = "Grachtengordel-fiets-2026"


def require_service(available: bool, reason: str) -> None:
    """Skip with a one-line reason when a service is missing, except in CI where it must run."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


# -- running in parallel (pytest-xdist) --------------------------------------------------------

#: Test files that mention it hand REDIS_URL to app processes. Socket.IO's message queue is a
#: Redis pub/sub channel, and pub/sub is server-wide whatever the database number: two such files
#: running at once on two workers would hear each other's rooms. They share one work unit.
_REDIS_MARKER = "REDIS_URL"
_REDIS_UNIT = "tests using Redis pub/sub"


@cache
def _uses_redis(path: Path) -> bool:
    try:
        return _REDIS_MARKER in path.read_text(encoding="utf-8")
    except OSError:
        return False


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadfile`, but every test file that uses Redis runs on the same worker, one after
    the other (each file still runs whole on one worker: its module fixtures are made once)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class RedisAwareFileScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return _REDIS_UNIT if _uses_redis(config.rootpath / path) else path

    return RedisAwareFileScheduling(config, log)


# -- databases ---------------------------------------------------------------------------------


def postgres_admin_url() -> str | None:
    return os.environ.get("PLC_TEST_DATABASE_URL") or None


@contextmanager
def temporary_postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the configured server; dropped afterwards."""
    from plc.config import normalise_database_url

    base = postgres_admin_url()
    require_service(base is not None, "PLC_TEST_DATABASE_URL is not set (PostgreSQL tests)")
    admin_url = sa.make_url(normalise_database_url(base))  # type: ignore[arg-type]
    name = f"plc_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if BACKEND == "postgres":
        with temporary_postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'plc.sqlite3'}"


def app_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "PLC_ENV": "testing",
        "SECRET_KEY": "only-for-tests-" + "x" * 32,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_DELIVERY": "sync",
        "MAIL_SERVER": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PLC_SERVER_NAME": "leernetwerk.example.org",
        "PREFERRED_URL_SCHEME": "https",
        **overrides,
    }


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = create_app(
        app_config(database_url), instance_path=str(tmp_path_factory.mktemp("instance"))
    )
    with app.app_context():
        flask_migrate.upgrade()
    _session_extension_state.update(
        {id(ext): (ext, dict(vars(ext))) for ext in (socketio, limiter)}
    )
    yield app
    with app.app_context():
        db.engine.dispose()


#: PostgreSQL: every sequence of the schema back to 1, in one statement, so ids start at 1 again.
_RESET_SEQUENCES = sa.text(
    "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
)


def _tables_with_rows() -> set[str]:
    """The names of the tables that hold at least one row, in one statement: most tests touch
    a handful of the ~90 tables, and asking is cheaper than a DELETE per empty table."""
    return set(db.session.scalars(_rows_probe(db.engine.dialect.name)))


@cache
def _rows_probe(dialect: str) -> sa.TextClause:
    # Built once as plain SQL: compiling ~90 subqueries per test would cost more than it saves.
    preparer = db.engine.dialect.identifier_preparer
    return sa.text(
        " UNION ALL ".join(
            # The names are our own schema's, quoted by the dialect.
            f"SELECT '{table.name}' WHERE EXISTS (SELECT 1 FROM {preparer.format_table(table)})"  # noqa: S608
            for table in db.metadata.sorted_tables
        )
    )


#: PostgreSQL's code for a transaction it ended to break a deadlock.
_DEADLOCK = "40P01"


def _empty_all_tables(attempts: int = 5) -> None:
    """Every table emptied. A live server's thread may still be writing as a browser test ends
    (the live room notes who left as the page closes): on PostgreSQL the two can deadlock, and
    the one PostgreSQL ends is retried."""
    for attempt in range(attempts):
        try:
            _delete_all_rows()
            return
        except sa.exc.OperationalError as error:
            db.session.rollback()
            if getattr(error.orig, "sqlstate", None) != _DEADLOCK or attempt == attempts - 1:
                raise


def _delete_all_rows() -> None:
    # DELETE in dependency order rather than TRUNCATE: on PostgreSQL a TRUNCATE of ~70 tables
    # costs some 140 ms per test, the DELETEs of a test's few rows about 12 ms.
    # The page cache's tokens stay: emptying a table gives it a new one (plc/core/pagecache.py),
    # and a kept page must never meet an older token again.
    filled = _tables_with_rows() - {pagecache.TABLE}
    for table in reversed(db.metadata.sorted_tables):
        if table.name in filled:
            db.session.execute(table.delete())
    if db.engine.dialect.name == "postgresql":
        db.session.execute(_RESET_SEQUENCES)
    db.session.commit()


#: Socket.IO's and Flask-Limiter's extension objects are global, and `init_app` points them at
#: the newest app: a test that builds a second app in this process (another database, a Redis it
#: then stops) would leave the session's app emitting through that app's Socket.IO server. Put
#: back after each test.
_session_extension_state: dict[int, tuple[Any, dict[str, Any]]] = {}


def _restore_extensions() -> None:
    for extension, state in _session_extension_state.values():
        if vars(extension) != state:
            vars(extension).clear()
            vars(extension).update(state)


@pytest.fixture(autouse=True)
def app_context(app: Flask) -> Iterator[None]:
    """Every test runs inside an app context, and leaves the database and limits empty."""
    config = dict(app.config)
    with app.app_context():
        g.plc_db_write = False  # the test's own reads must not hold SQLite's write lock
        yield
        db.session.rollback()
        # A write from the start: a read-then-write transaction fails at once on SQLite when a
        # live server's thread has written meanwhile.
        g.plc_db_write = True
        _empty_all_tables()
        db.session.remove()
    app.config.clear()
    app.config.update(config)
    _restore_extensions()
    limiter.reset()


@pytest.fixture
def without_page_cache(app: Flask) -> Iterator[None]:
    """Pages rendered on every request: for tests that change the code's settings between
    requests (a kept page only knows about the data it shows, see plc/core/pagecache.py)."""
    store = app.extensions.pop("plc_page_cache", None)
    yield
    if store is not None:
        store.clear()
        app.extensions["plc_page_cache"] = store


# -- demo data ---------------------------------------------------------------------------------


@dataclass
class _DemoSnapshot:
    """The rows and stored files one run of the demo loaders made, with when it ran."""

    summary: str
    rows: dict[str, list[dict[str, Any]]]
    files: dict[str, bytes]
    made_at: float
    day: date


#: Per test process: the demo costs some 8 s of CPU to load through its services; putting the
#: same rows back costs a fraction of a second.
_demo_snapshots: list[_DemoSnapshot] = []
#: The demo places sessions relative to the time it is loaded ("on now", "in a week"): a snapshot
#: is reused only shortly after it was made and on the same Amsterdam day, so what it shows is
#: what a fresh load would show.
DEMO_SNAPSHOT_MAX_AGE_S = 15 * 60


def _upload_files() -> dict[str, bytes]:
    root = Path(current_app.config["UPLOAD_FOLDER"])
    if not root.is_dir():
        return {}
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def _amsterdam_day() -> date:
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def _snapshot_demo() -> _DemoSnapshot:
    from plc.core.demo import load_demo

    files_before = _upload_files()
    summary = load_demo(force=False, environment="testing")
    db.session.commit()
    rows = {
        table.name: [
            dict(row)
            for row in db.session.execute(
                table.select().order_by(*table.primary_key.columns)
            ).mappings()
        ]
        for table in db.metadata.sorted_tables
    }
    files = {key: data for key, data in _upload_files().items() if key not in files_before}
    return _DemoSnapshot(summary, rows, files, time.monotonic(), _amsterdam_day())


#: PostgreSQL: a serial column's sequence carries on after `value` (nothing for a column
#: without a sequence: setval of NULL is NULL).
_SET_SEQUENCE = sa.text(
    "SELECT setval(CAST(pg_get_serial_sequence(:table, :column) AS regclass), :value)"
)


def _keys_to_set_later(table: sa.Table, inserted: set[str]) -> list[str]:
    """The foreign-key columns that may point at a row not there yet: at the table itself, or at
    a table of a cycle (a thread's answer post, a post's thread) that comes later."""
    return sorted(
        {
            key.parent.name
            for key in table.foreign_keys
            if key.column.table is table or key.column.table.name not in inserted
        }
    )


def _restore_demo(snapshot: _DemoSnapshot) -> None:
    inserted: set[str] = set()
    later: list[tuple[sa.Table, list[str]]] = []
    for table in db.metadata.sorted_tables:
        if table.name == pagecache.TABLE:
            continue  # the tokens are never emptied; restoring the rows gives new ones
        rows = snapshot.rows[table.name]
        columns = _keys_to_set_later(table, inserted)
        inserted.add(table.name)
        if not rows:
            continue
        if columns:
            later.append((table, columns))
            rows = [{**row, **dict.fromkeys(columns)} for row in rows]
        db.session.execute(table.insert(), rows)
    for table, columns in later:  # every row is in: now the keys that point ahead
        [key] = table.primary_key.columns
        statement = (
            table.update()
            .where(key == sa.bindparam("row_key"))
            .values({column: sa.bindparam(f"new_{column}") for column in columns})
        )
        updates = [
            {"row_key": row[key.name], **{f"new_{column}": row[column] for column in columns}}
            for row in snapshot.rows[table.name]
            if any(row[column] is not None for column in columns)
        ]
        if updates:
            db.session.execute(statement, updates)
    if db.engine.dialect.name == "postgresql":
        # The rows came back with their ids: each sequence carries on after the highest one.
        for table in db.metadata.sorted_tables:
            keys = list(table.primary_key.columns)
            if (
                snapshot.rows[table.name]
                and len(keys) == 1
                and isinstance(keys[0].type, sa.Integer)
            ):
                highest = max(row[keys[0].name] for row in snapshot.rows[table.name])
                db.session.execute(
                    _SET_SEQUENCE, {"table": table.name, "column": keys[0].name, "value": highest}
                )
    db.session.commit()
    root = Path(current_app.config["UPLOAD_FOLDER"])
    for key, data in snapshot.files.items():
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


@pytest.fixture
def demo_data(app: Flask) -> Callable[[], str]:
    """`demo_data()` loads the demo (`load_demo`, as `flask plc demo` does) into the empty test
    database, with its stored files, and returns the loaders' summary.

    The first call in a test process runs the loaders and keeps what they made; later calls put
    the same rows and files back, unless the snapshot is older than DEMO_SNAPSHOT_MAX_AGE_S or
    from another day in Amsterdam (then the loaders run again)."""

    def load() -> str:
        snapshot = _demo_snapshots[-1] if _demo_snapshots else None
        fresh = (
            snapshot is not None
            and time.monotonic() - snapshot.made_at < DEMO_SNAPSHOT_MAX_AGE_S
            and snapshot.day == _amsterdam_day()
        )
        if fresh:
            assert snapshot is not None
            _restore_demo(snapshot)
            return snapshot.summary
        _demo_snapshots[:] = [_snapshot_demo()]
        return _demo_snapshots[0].summary

    return load


# -- builders ----------------------------------------------------------------------------------


#: werkzeug's scrypt with a 32 times smaller work factor (N=2**10 instead of 2**15). The cost is
#: stored in the hash and `verify_password` reads it from there, so logging in as a built user
#: takes ~3 ms instead of ~100 ms; the suite logs in some thousand times. Accounts the app makes
#: itself (registration, password change) keep the production cost.
TEST_HASH_METHOD = "scrypt:1024:8:1"


@cache
def _hash(password: str) -> str:
    # scrypt is slow by design; tests reuse one hash per password.
    return generate_password_hash(password, method=TEST_HASH_METHOD)


def add_consent(user: User) -> None:
    """The account's consent to the current privacy statement, as registration records it (the
    caller commits). Accounts without one are asked for it before their next page."""
    from plc.auth.consents import current_privacy_version
    from plc.auth.models import Consent, ConsentDocument

    db.session.add(
        Consent(
            user_id=user.id,
            document=ConsentDocument.PRIVACY_STATEMENT,
            version=current_privacy_version(),
        )
    )


@pytest.fixture
def create_user() -> Callable[..., User]:
    """`create_user(**fields)`: an account with the test password that has accepted the current
    privacy statement, as if it had signed up; `consent=False` for an account without any
    consent (as `plc create-admin` makes one)."""
    counter = iter(range(1, 1_000_000))

    def build(*, consent: bool = True, **fields: Any) -> User:
        n = next(counter)
        password = fields.pop("password", PASSWORD)
        fields.setdefault("email", f"leraar{n}@example.org")
        fields.setdefault("display_name", f"Leraar {n}")
        user = User(password_hash=_hash(password), **fields)
        db.session.add(user)
        if consent:
            db.session.flush()
            add_consent(user)
        db.session.commit()
        return user

    return build


# -- clients -----------------------------------------------------------------------------------

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class PlcClient(FlaskClient):
    """A test client that fetches a CSRF token for its form posts, as a browser would.

    Each request runs in an empty `contextvars.Context`, so it gets its own app context (its
    own `g` and database session) instead of reusing the test's, as a real request would.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:  # type: ignore[override]
        if has_app_context():
            db.session.commit()  # the test's own transaction ends: no lock held, no stale snapshot
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self, path: str | None = None, base_url: str = "https://localhost") -> str:
        """The token of a page with a form: `path`, else the start page (its logout form) or,
        for a visitor who is not logged in (whose pages have no form that needs one), the login
        page."""
        for page in [path] if path else ["/", "/inloggen"]:
            match = _CSRF.search(self.get(page, base_url=base_url).get_data(as_text=True))
            if match:
                return match.group(1)
        raise AssertionError(f"no CSRF token on {path or '/ or /inloggen'}")

    def submit(
        self,
        path: str,
        data: dict[str, Any] | None = None,
        base_url: str = "https://localhost",
        **kwargs: Any,
    ) -> TestResponse:
        """POST a form with a valid CSRF token and the same-origin Referer a browser sends."""
        payload = {"csrf_token": self.csrf_token(base_url=base_url), **(data or {})}
        headers = {"Referer": base_url + "/", **kwargs.pop("headers", {})}
        return self.post(path, data=payload, headers=headers, base_url=base_url, **kwargs)

    def login(self, email: str, password: str = PASSWORD, **extra: Any) -> TestResponse:
        return self.submit("/inloggen", {"email": email, "password": password, **extra})


@pytest.fixture
def client(app: Flask) -> PlcClient:
    app.test_client_class = PlcClient
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def login_client(app: Flask) -> Callable[[User], PlcClient]:
    """A new client, logged in as `user` (through the real login form)."""

    def make(user: User, password: str = PASSWORD) -> PlcClient:
        app.test_client_class = PlcClient
        new_client: PlcClient = app.test_client()  # type: ignore[assignment]
        response = new_client.login(user.email, password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return new_client

    return make


# -- measuring ---------------------------------------------------------------------------------


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """`with count_queries() as counted: …` then `counted.count` is the number of statements."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
                counter.statements.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)

    return counting


def chromium_path() -> str | None:
    return (
        shutil.which("chromium")
        or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium")
        or None
    )


# -- organisation and community builders ---------------------------------------------------------


@pytest.fixture
def create_organisation() -> Callable[..., Any]:
    from plc.organisations.models import Organisation, OrganisationKind

    counter = iter(range(1, 1_000_000))

    def build(**fields: Any) -> Organisation:
        n = next(counter)
        fields.setdefault("kind", OrganisationKind.SCHOOL)
        fields.setdefault("name", f"School {n}")
        fields.setdefault("slug", f"school-{n}-{uuid.uuid4().hex[:6]}")
        organisation = Organisation(**fields)
        db.session.add(organisation)
        db.session.commit()
        return organisation

    return build


@pytest.fixture
def give_role() -> Callable[..., Any]:
    """An approved role for `user` in `organisation` (what an admin's approval produces)."""
    from plc.organisations.models import MembershipStatus, OrganisationMembership, OrganisationRole

    def build(
        user: User, organisation: Any, role: Any = OrganisationRole.TEACHER
    ) -> OrganisationMembership:
        membership = OrganisationMembership(
            organisation_id=organisation.id,
            user_id=user.id,
            role=role,
            status=MembershipStatus.APPROVED,
        )
        db.session.add(membership)
        db.session.commit()
        return membership

    return build


@pytest.fixture
def create_community(create_user, create_organisation, give_role) -> Callable[..., Any]:
    """A community started through the real service: its owner belongs to its first organisation."""
    from plc.communities import services
    from plc.communities.models import Visibility

    counter = iter(range(1, 1_000_000))

    def build(owner: User | None = None, organisation: Any = None, **fields: Any) -> Any:
        n = next(counter)
        owner = owner or create_user()
        if organisation is None:
            organisation = create_organisation()
            give_role(owner, organisation)
        values = {
            "name": f"Leergemeenschap {n}",
            "summary": f"Samenvatting {n}",
            "description": "",
            "visibility": Visibility.PUBLIC,
            **fields,
        }
        community = services.create_community(
            owner, organisation, services.CommunityFields(**values)
        )
        db.session.commit()
        return community

    return build


@pytest.fixture
def add_member() -> Callable[..., Any]:
    """An active member (of some role), with the member count kept right."""
    from plc.communities.models import CommunityMember, MemberRole, MemberStatus
    from plc.core.models import utcnow

    def build(community: Any, user: User, role: Any = MemberRole.MEMBER) -> CommunityMember:
        member = CommunityMember(
            community_id=community.id,
            user_id=user.id,
            role=role,
            status=MemberStatus.ACTIVE,
            joined_at=utcnow(),
        )
        db.session.add(member)
        community.member_count = community.member_count + 1
        db.session.commit()
        return member

    return build


@pytest.fixture
def create_theme() -> Callable[..., Any]:
    from plc.themes.models import Theme

    counter = iter(range(1, 1_000_000))

    def build(name_nl: str | None = None, **fields: Any) -> Theme:
        n = next(counter)
        name_nl = name_nl or f"Thema {n}"
        fields.setdefault("slug", re.sub(r"[^a-z0-9]+", "-", name_nl.lower()).strip("-"))
        fields.setdefault("name_en", f"Theme {n}")
        theme = Theme(name_nl=name_nl, **fields)
        db.session.add(theme)
        db.session.commit()
        return theme

    return build


@pytest.fixture
def create_output(create_user, create_community, create_theme, add_member) -> Callable[..., Any]:
    """A knowledge output through the real services. `state` is "draft", "in_review" or
    "published" (the default): written by a member, approved by the community's owner."""
    from plc.communities.models import MemberRole
    from plc.knowledge import services
    from plc.knowledge.models import OutputType

    counter = iter(range(1, 1_000_000))

    def build(
        community: Any = None,
        author: User | None = None,
        reviewer: User | None = None,
        state: str = "published",
        themes: list[Any] | None = None,
        **fields: Any,
    ) -> Any:
        n = next(counter)
        community = community or create_community()
        if author is None:
            author = create_user()
            add_member(community, author)
        if reviewer is None:
            reviewer = create_user()
            add_member(community, reviewer, MemberRole.FACILITATOR)
        themes = themes if themes is not None else [create_theme()]
        values = {
            "title": f"Kennisopbrengst {n}",
            "output_type": OutputType.PRACTICE_EXAMPLE,
            "summary": f"Samenvatting van opbrengst {n}.",
            "body": f"## Aanpak\n\nTekst van opbrengst {n}.",
            "theme_ids": [theme.id for theme in themes],
            **fields,
        }
        output = services.create_output(community, author, services.OutputFields(**values))
        if state in ("in_review", "published"):
            services.submit_for_review(output, author)
        if state == "published":
            services.approve(output, reviewer)
        db.session.commit()
        return output

    return build


@pytest.fixture
def create_provider(create_user, create_organisation, give_role) -> Callable[..., Any]:
    """A training school (or other provider kind) with one staff member: (provider, staff)."""
    from plc.organisations.models import OrganisationKind, OrganisationRole

    def build(kind: Any = OrganisationKind.TRAINING_SCHOOL, **fields: Any) -> tuple[Any, User]:
        provider = create_organisation(kind=kind, **fields)
        staff = create_user()
        give_role(staff, provider, OrganisationRole.PROVIDER_STAFF)
        return provider, staff

    return build


@pytest.fixture
def create_offering(create_provider, create_theme) -> Callable[..., Any]:
    """A published offering through the real services, with one meeting a week from now
    (unless `meetings` are given). Returns the offering; its provider's staff is `created_by`."""
    from datetime import timedelta

    from plc.catalogue import services
    from plc.core.models import utcnow

    counter = iter(range(1, 1_000_000))

    def build(
        provider: Any = None,
        staff: User | None = None,
        themes: list[Any] | None = None,
        publish: bool = True,
        **fields: Any,
    ) -> Any:
        n = next(counter)
        if provider is None:
            provider, staff = create_provider()
        assert staff is not None
        themes = themes if themes is not None else [create_theme()]
        start = utcnow().replace(microsecond=0) + timedelta(days=7)
        values = {
            "title": f"Aanbod {n}",
            "summary": f"Samenvatting van aanbod {n}.",
            "location": "Amsterdam",
            "theme_ids": [theme.id for theme in themes],
            "meetings": [services.Meeting(start, start + timedelta(hours=2))],
            **fields,
        }
        offering = services.create_offering(provider, staff, services.OfferingFields(**values))
        if publish:
            services.publish_offering(offering, staff)
        db.session.commit()
        return offering

    return build


@pytest.fixture
def create_question(create_user, create_theme) -> Callable[..., Any]:
    """A learning question through the real service (personal unless `school` is given)."""
    from plc.catalogue import services

    counter = iter(range(1, 1_000_000))

    def build(
        author: User | None = None,
        school: Any = None,
        themes: list[Any] | None = None,
        **fields: Any,
    ) -> Any:
        n = next(counter)
        author = author or create_user()
        themes = themes if themes is not None else [create_theme()]
        values = {"title": f"Leervraag {n}", "theme_ids": [t.id for t in themes], **fields}
        question = services.ask(author, services.QuestionFields(**values), school=school)
        db.session.commit()
        return question

    return build
