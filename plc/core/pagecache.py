"""Whole pages for anonymous visitors, kept in each process's memory and checked against the
database on every use.

Most readers of the public pages (the knowledge base, its API, the directories) are not logged
in, and all of them get the same page. Rendering one costs 5–40 ms; handing back a kept copy
costs one small query. What makes a kept copy safe to hand back is knowing, for certain, that
nothing it shows has changed:

- While a cacheable page renders, every SQL statement's tables are noted, from the SQL as it
  is sent (so lazy loads, the ORM's eager-load joins and subqueries all count).
- Every transaction that writes notes the tables it wrote (the target of each INSERT, UPDATE
  and DELETE; `*` where it cannot be told, which every kept page checks) and, in the same transaction, just before its
  COMMIT, gives each of them a new random token in `cache_generation`. So the tokens change
  exactly when the data does, in every process and from the command line too, and a rollback
  changes nothing.
- A kept page holds the tokens its tables had before it was rendered. Using it costs one query
  (all tokens) and a comparison; any difference, or a table without a token, renders anew. A
  write that commits while a page renders leaves the older token with it, so the next visitor
  gets a fresh page.

Tokens are random, not counters, so an emptied table (a restore, the test suite) can never bring
an old token back. The body is kept per process (the tokens are shared): nothing to invalidate
across machines. Pages are also kept for at most `PAGE_CACHE_SECONDS`, which bounds what no
table shows: the time ("upcoming" sessions) and the counters written under `unseen_by_pages`.

Only anonymous GETs without pending flash messages are served from the cache, and only 200
answers without a cookie, without a change to the session, without a write and without a CSRF
token (a form is the visitor's own) are kept: the public pages give visitors who are not logged
in no form but GET ones (the language switch is a GET for them, plc/core/views.py), so they
need no session at all. That lets `KeptPages`, in front of the app, answer a visitor without a
session from the cache for the cost of one token query: the session, the login, the hooks and
the view do not run.

**Members' own copies** (`for_visitors(members=True)`: the main pages a teacher opens again and
again). A logged-in member's page is kept for exactly their session: the key holds a digest of
the signed session cookie's content (their login, their form token), which `KeptPages` reads
and checks with the app's own key, so a forged or changed cookie finds nothing. The copy
depends on every table their whole request read (the login with its header count, the hooks,
the view: `_request_reads`); the tokens come in the login's own statement, so keeping a copy
costs no statement. What the login statement itself reads is checked for the member alone, so
that other people's logins and notifications leave their copy be: their session must still be
open, and the login's figures (the header's unread count) must have the values the copy shows
(`LoginProbe`, one statement before the app runs). A session that ended never gets its copy
again, and a copy is never handed out after the login's end.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, cached_property, partial, wraps
from typing import Any, Generic, TypeVar, cast

import sqlalchemy as sa
from flask import (
    Flask,
    Response,
    current_app,
    g,
    has_request_context,
    make_response,
    request,
    session,
)
from flask_login import current_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from itsdangerous import BadSignature
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.http import parse_cookie

from plc.core.hooks import add_hook
from plc.core.i18n import visitor_language
from plc.core.models import Base

log = logging.getLogger(__name__)

TABLE = "cache_generation"
#: A write whose table cannot be told changes this token, which every kept page checks.
EVERYTHING = "*"
#: Says that an answer came from the cache.
HIT_HEADER = "X-Page-Cache"
_WRITTEN = "plc_written_tables"
#: Where `for_visitors` leaves a page to keep, for `KeptPages` to keep as it is sent.
_TO_KEEP = "plc.page_cache.keep"
_ALL_TOKENS = "SELECT name, token FROM cache_generation"
#: PostgreSQL's name for the connections that read tokens before the app runs.
READER_NAME = "plc-page-tokens"
#: Session cookies whose digest `KeptPages` remembers at most (then it starts afresh).
SESSIONS_REMEMBERED = 10_000
#: One new token per written table, as raw DBAPI SQL (sqlite3 and psycopg mark parameters
#: differently).
_UPSERT_QMARK = (
    "INSERT INTO cache_generation (name, token) VALUES (?, ?) "
    "ON CONFLICT (name) DO UPDATE SET token = excluded.token"
)
_UPSERT_FORMAT = _UPSERT_QMARK.replace("?", "%s")
_DML = re.compile(
    r"^\s*(insert|update|delete|replace)\b|^\s*with\b.*\b(insert|update|delete)\b",
    re.IGNORECASE | re.DOTALL,
)
_QUERY = re.compile(r"^\s*(select|with|values)\b", re.IGNORECASE)
#: The table an INSERT, UPDATE or DELETE names first (SQLite's OR REPLACE and the like too).
_TARGET = re.compile(
    r'^\s*(?:insert(?:\s+or\s+\w+)?\s+into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from)\s+["`]?(\w+)',
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z_]\w*")

#: Raw-SQL table names that stand for a model's table (full-text tables kept by triggers).
_DERIVED: dict[str, str] = {}

#: Engines whose database has the token table (checked once, again after any DDL).
_ready: weakref.WeakSet[sa.Engine] = weakref.WeakSet()

_reads: ContextVar[set[str] | None] = ContextVar("plc_page_reads", default=None)
#: Every table a GET read, from before the app's first hook (set by `KeptPages`): a member's
#: page depends on what the login and the hooks read too, before the view ran.
_request_reads: ContextVar[set[str] | None] = ContextVar("plc_request_reads", default=None)
#: While a page renders: whether anything was written (None: no page is rendering).
_wrote: ContextVar[bool | None] = ContextVar("plc_page_wrote", default=None)
_unseen: ContextVar[bool] = ContextVar("plc_unseen_by_pages", default=False)
#: The execution option that says which tables a statement's rows depend on (`page_reads`).
_PAGE_READS = "plc_page_reads"

F = TypeVar("F", bound=Callable[..., Any])
V = TypeVar("V")
#: See `Kept.front_write`.
FrontWrite = Callable[[dict[str, Any]], tuple[sa.Update, dict[str, Any]] | None]


class CacheGeneration(Base):
    """The current token of one table: a new random value whenever a transaction writes it."""

    __tablename__ = TABLE

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    token: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)


def derived_table(name: str, source: str) -> None:
    """Reading raw-SQL table `name` means reading `source` (its triggers follow `source`)."""
    _DERIVED[name] = source


def page_reads(*tables: str) -> dict[str, frozenset[str]]:
    """Execution options for a statement whose rows a kept page depends on through `tables`
    alone, the rest being checked another way: the login's statement (`LoginProbe`)."""
    return {_PAGE_READS: frozenset(tables)}


@dataclass(frozen=True)
class LoginProbe:
    """How a member's kept page is checked before the app runs: `statement` gives the login's
    figures by name (the tokens among them) for `params(session_key)`, and no row when the
    login no longer counts. Given by the accounts feature (`check_logins_with`)."""

    statement: sa.Select[Any]
    params: Callable[[str], dict[str, Any]]


def check_logins_with(app: Flask, probe: Callable[[], LoginProbe]) -> None:
    app.extensions["plc_login_probe"] = probe


@contextmanager
def unseen_by_pages() -> Iterator[None]:
    """Writes inside change nothing a kept page shows soon enough to matter (view counters,
    login bookkeeping): they lag by at most `PAGE_CACHE_SECONDS` instead of clearing pages."""
    reset = _unseen.set(True)
    try:
        yield
    finally:
        _unseen.reset(reset)


# -- which tables a statement reads or writes ----------------------------------------------------


def _written_table(context: Any, statement: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE writes (`*` if it cannot be told); None for a
    statement that writes nothing."""
    dml = bool(getattr(context, "isinsert", False) or getattr(context, "isupdate", False))
    # Anchored at the start, `_DML` gives up on a SELECT at its first letter: no cost to speak
    # of. (A SELECT may still write, through a data-modifying WITH.)
    if not (dml or getattr(context, "isdelete", False) or _DML.match(statement)):
        return None
    target = _TARGET.match(statement)
    return target.group(1) if target else EVERYTHING


def _read_tables(statement: str) -> set[str]:
    """The tables a query names, from the SQL as sent: what the ORM added while compiling
    (eager-load joins, subqueries) included. A word that only looks like a table name adds a
    needless dependency, never a missing one."""
    if not _QUERY.match(statement):
        return set()  # BEGIN, PRAGMA, SAVEPOINT: no rows read
    known = _known_tables()
    names: set[str] = set()
    for word in set(_WORD.findall(statement)):
        if word in known and word != TABLE:  # the tokens themselves: read to check the rest
            names.add(word)
        elif word in _DERIVED:
            names.add(_DERIVED[word])
    return names


@cache
def _known_tables() -> frozenset[str]:
    return frozenset(Base.metadata.tables)


def _after_execute(
    conn: sa.Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    context: Any,
    _executemany: bool,
) -> None:
    if getattr(context, "isddl", False):
        _ready.discard(conn.engine)  # a migration may have dropped the token table
        return
    written = _written_table(context, statement)
    if written is not None:
        if _wrote.get() is not None:
            _wrote.set(True)
        if written != TABLE and not _unseen.get():
            conn.info.setdefault(_WRITTEN, set()).add(written)
        return
    reads, request_reads = _reads.get(), _request_reads.get()
    if reads is not None or request_reads is not None:
        tables = context.execution_options.get(_PAGE_READS) if context is not None else None
        if tables is None:
            tables = _read_tables(statement)
        if reads is not None:
            reads.update(tables)
        if request_reads is not None:
            request_reads.update(tables)


def _has_tokens(conn: sa.Connection) -> bool:
    """Whether the token table exists: not yet while the migrations before it run."""
    if conn.engine not in _ready:
        if not sa.inspect(conn).has_table(TABLE):
            return False
        _ready.add(conn.engine)
    return True


def _new_tokens(conn: sa.Connection) -> None:
    """Just before COMMIT, in the same transaction: new tokens for the tables it wrote."""
    written = conn.info.pop(_WRITTEN, None)
    if not written or not _has_tokens(conn):
        return
    token = secrets.randbits(62)
    upsert = _UPSERT_QMARK if conn.dialect.paramstyle == "qmark" else _UPSERT_FORMAT
    # The raw DBAPI cursor: no SQLAlchemy events, nothing re-entered during the commit.
    cursor = conn.connection.cursor()
    try:
        # In name order, so that concurrent writers lock the rows in one order (no deadlock).
        cursor.executemany(upsert, [(name, token) for name in sorted(written)])
    finally:
        cursor.close()


def _forget_writes(conn: sa.Connection) -> None:
    if not conn.invalidated:  # a lost connection has no info left to read
        conn.info.pop(_WRITTEN, None)


def install(engine: sa.Engine) -> None:
    """Note reads and writes on this engine, and give written tables new tokens on commit."""
    event.listen(engine, "after_cursor_execute", _after_execute)
    event.listen(engine, "commit", _new_tokens)
    event.listen(engine, "rollback", _forget_writes)
    event.listen(engine, "begin", _forget_writes)  # nothing carried over from a lost transaction


# -- the kept pages --------------------------------------------------------------------------


@dataclass
class Kept:
    """One page as it was sent (status 200), and the tokens of the tables it read before it was
    rendered."""

    body: bytes
    headers: list[tuple[str, str]]
    tokens: dict[str, int]
    #: What the view writes besides the page, written for each answer given before the app
    #: runs (the knowledge output counts its readers): given the request's WSGI environ, an
    #: UPDATE and its parameters, or None (nothing to write for this request).
    front_write: FrontWrite | None = None
    stored: float = field(default_factory=time.monotonic)
    #: A member's page: when their login ends (it is never handed out after).
    valid_until: datetime | None = None
    #: A member's page: the login's figures it shows (`_figures`), checked by value.
    figures: tuple[tuple[str, Any], ...] | None = None

    @cached_property
    def pairs(self) -> frozenset[str]:
        """The tokens as the login's statement gives them ("name:token"), to check a member's
        copy without reading every token into numbers."""
        return frozenset(f"{name}:{token}" for name, token in self.tokens.items())


@dataclass
class KeptValue:
    """A value worked out from the database (`kept`), and the tokens of the tables it read."""

    value: Any
    tokens: dict[str, int]
    stored: float = field(default_factory=time.monotonic)


E = TypeVar("E", Kept, KeptValue)


class PageStore(Generic[E]):
    """A bounded, thread-safe LRU of kept pages or values (one per process)."""

    def __init__(self, entries: int, seconds: float) -> None:
        self.entries = entries
        self.seconds = seconds
        self._pages: OrderedDict[Hashable, E] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> E | None:
        with self._lock:
            kept = self._pages.get(key)
            if kept is None:
                return None
            if time.monotonic() - kept.stored > self.seconds:
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return kept

    def put(self, key: Hashable, kept: E) -> None:
        with self._lock:
            self._pages[key] = kept
            self._pages.move_to_end(key)
            while len(self._pages) > self.entries:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def _store() -> PageStore[Kept] | None:
    return cast(PageStore[Kept] | None, current_app.extensions.get("plc_page_cache"))


def current_tokens() -> dict[str, int]:
    from plc.extensions import db

    rows = db.session.execute(sa.select(CacheGeneration.name, CacheGeneration.token))
    return {name: token for name, token in rows}


def _key(environ: dict[str, Any], language: str) -> tuple[str, ...]:
    """The page's address, as the WSGI server passed it, and its language: the same key before
    the app runs (`KeptPages`) and inside it (`for_visitors`)."""
    return (
        environ.get("wsgi.url_scheme", "http"),
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        language,
    )


#: The tokens, read with the login (`login_figures`) for a member's page.
LOGIN_TOKENS = "page_tokens"


def _tokens_in_login() -> tuple[str, sa.ScalarSelect[str]]:
    """All tokens as one text, in the login's statement (a `login_columns` hook of
    plc.auth.services.load_session_user): a member's page checks its kept copy, or keeps a new
    one, without a statement of its own, and with tokens read no later than the login's rows."""
    pair = CacheGeneration.name + ":" + sa.cast(CacheGeneration.token, sa.String)
    return LOGIN_TOKENS, sa.select(sa.func.aggregate_strings(pair, ",")).scalar_subquery()


def _login_tokens() -> dict[str, int]:
    """The tokens read with the member's login; read now if the login did not bring them."""
    found = current_user.login_figures.get(LOGIN_TOKENS, False)
    if found is False:
        return current_tokens()
    return _parse_tokens(found)


def _parse_tokens(text: str | None) -> dict[str, int]:
    pairs = (item.rsplit(":", 1) for item in (text or "").split(",") if item)
    return {name: int(token) for name, token in pairs}


def _figures(figures: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The login's figures but the tokens, in one order: what a member's copy shows of them."""
    return tuple(sorted((name, value) for name, value in figures.items() if name != LOGIN_TOKENS))


def _session_digest(data: Mapping[str, Any]) -> str | None:
    """What a member's own copy is kept for: exactly this session (their login, their form
    token), as a digest of its content, the same before the app runs and inside it. None
    without a login, or while a message waits to be shown once."""
    if "_user_id" not in data or data.get("_flashes"):
        return None
    content = json.dumps(dict(data), sort_keys=True, default=str).encode()
    return hashlib.sha256(content).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _usable(kept: Kept | KeptValue, tokens: dict[str, int]) -> bool:
    return all(tokens.get(name) == token for name, token in kept.tokens.items())


def _servable(members: bool) -> bool:
    """GETs by visitors (and members, where the page is kept for them too), not while a
    message waits to be shown once."""
    return (
        request.method == "GET"
        and (members or not current_user.is_authenticated)
        and not session.get("_flashes")
    )


def _in_time(kept: Kept) -> bool:
    return kept.valid_until is None or _now() < kept.valid_until


def _answer(kept: Kept) -> Response:
    response = Response(kept.body, headers=kept.headers)
    response.headers[HIT_HEADER] = "hit"
    return response


def _render(
    view: Callable[..., Any], args: Any, kwargs: Any, member: bool
) -> tuple[Response, set[str], bool]:
    """Render, noting the tables read and whether anything was written or kept per visitor
    (a member's page is theirs anyway: its form token too)."""
    from plc.extensions import db

    had_csrf, before = "csrf_token" in g, dict(session)
    # Rows already in the session would be used without a query, and their tables go unnoted:
    # expired, they are read again (an anonymous GET has usually loaded nothing yet). A member's
    # page counts what the whole request read instead (their login's rows are in use). Unsaved
    # changes are not thrown away: a page with them is not kept.
    changed = bool(db.session.new or db.session.dirty or db.session.deleted)
    if not changed and not member:
        db.session.expire_all()
    response, reads, wrote = _noting(lambda: make_response(view(*args, **kwargs)))
    # The session compared, not its `modified` flag: Flask-Login marks that on its own. A page
    # with a CSRF token (a form) is the visitor's own.
    personal = changed or wrote or dict(session) != before
    if not member and not had_csrf and "csrf_token" in g:
        personal = True
    if member:
        request_reads = _request_reads.get()
        # Without the request's own reads (the login's among them) nothing says when the
        # member's copy goes out of date.
        personal = personal or request_reads is None
        reads |= request_reads or set()
    return response, reads, personal


def _noting(call: Callable[[], V]) -> tuple[V, set[str], bool]:
    """`call()`, with the tables it read and whether it wrote anything."""
    reads_reset, wrote_reset = _reads.set(set()), _wrote.set(False)
    try:
        result = call()
        return result, _reads.get() or set(), bool(_wrote.get())
    finally:
        _reads.reset(reads_reset)
        _wrote.reset(wrote_reset)


def _depends(response: Response, reads: set[str], tokens: dict[str, int]) -> dict[str, int] | None:
    """The tokens a plain 200 page is kept with, if every table it read has one to check it
    against; a write whose table could not be told (`*`) clears every copy."""
    if response.status_code != 200 or response.direct_passthrough:
        return None
    if "Set-Cookie" in response.headers or not reads:
        return None
    names = reads | {EVERYTHING}
    if not names <= tokens.keys():
        return None
    return {name: tokens[name] for name in names}


def for_visitors(
    view: F | None = None,
    *,
    front_write: Callable[..., tuple[sa.Update, dict[str, Any]] | None] | None = None,
    members: bool = False,
) -> Any:
    """Serve this view's page to anonymous visitors from the cache when nothing it shows has
    changed (see the module's docstring). A view that does more than render the page does that
    itself when it runs; for a kept page answered before the app runs, `KeptPages` sends the
    UPDATE that `front_write(environ, *args, **kwargs)` gives (with the view's arguments), if
    any, only when the page is still good: on PostgreSQL in the check's own statement.

    `members`: keep each logged-in member's own copy as well (`_member_key`), checked against
    every table their request read (the hooks, the view) and their login (`LoginProbe`), and
    never handed out after their login ends. (A member's copy is answered without a front
    write: the two do not go together.)"""
    if members and front_write is not None:
        raise ValueError("a page kept for members has no front write")
    if view is None:
        return lambda actual: for_visitors(actual, front_write=front_write, members=members)

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        store = _store()
        if store is None or not _servable(members):
            return view(*args, **kwargs)
        member = bool(current_user.is_authenticated)
        language = visitor_language(request.cookies, current_app.config)
        key = _key(request.environ, language)
        if member:
            digest = _session_digest(session)
            if digest is None:
                return view(*args, **kwargs)
            key = (*key, digest)
        # All tokens in one statement (for a member, the login's): a kept page checks its own,
        # a page rendered anew keeps those of whatever it reads (known only afterwards).
        tokens = _login_tokens() if member else current_tokens()
        kept = store.get(key)
        figures = _figures(current_user.login_figures) if member else None
        if (
            kept is not None
            and _usable(kept, tokens)
            and _in_time(kept)
            and kept.figures == figures
        ):
            return _answer(kept)
        response, reads, personal = _render(view, args, kwargs, member)
        depends = None if personal else _depends(response, reads, tokens)
        keep = request.environ.get(_TO_KEEP)
        ends = getattr(current_user, "current_session_ends_at", None) if member else None
        if depends is not None and keep is not None and (ends is not None or not member):
            write = partial(_with_arguments, front_write, args, kwargs) if front_write else None
            # Kept by `KeptPages` as it is sent: after the app's last hooks (headers) ran.
            fresh = Kept(b"", [], depends, write, valid_until=ends, figures=figures)
            keep.append((store, key, fresh))
        return response

    return wrapper


# -- kept values -------------------------------------------------------------------------------


def kept(key: Hashable, compute: Callable[[], V]) -> V:
    """`compute()`, or what it returned before for `key` while no table it read has been
    written since: for figures that cost far more to work out than the one token query that
    checks them (the dashboards' participation figures). Logged-in pages use it too, as
    nothing in such a value is anyone's own.

    `compute` must read what it returns through SQL (rows already in the session would be used
    without a statement, and their tables go unnoted), and nobody may change the value it
    returns: the next request gets the same object."""
    store = cast(PageStore[KeptValue] | None, current_app.extensions.get("plc_kept_values"))
    if store is None:
        return compute()
    member = has_request_context() and current_user.is_authenticated
    tokens = _login_tokens() if member else current_tokens()
    found = store.get(key)
    if found is not None and _usable(found, tokens):
        _note_reads(found.tokens.keys())
        return cast(V, found.value)
    outer, wrote_outer = _reads.get(), _wrote.get()
    value, reads, wrote = _noting(compute)
    if outer is not None:  # a kept page that shows the value depends on its tables too
        outer.update(reads)
        if wrote and wrote_outer is not None:
            _wrote.set(True)
    names = reads | {EVERYTHING}
    if reads and not wrote and names <= tokens.keys():
        store.put(key, KeptValue(value, {name: tokens[name] for name in names}))
    return value


def _note_reads(names: Iterable[str]) -> None:
    reads = _reads.get()
    if reads is not None:
        reads.update(name for name in names if name != EVERYTHING)


def _token_reader(engine: sa.Engine) -> sa.Engine:
    """Where `KeptPages` reads the tokens. SQLite: the app's own pool (in process, some 60 µs).
    PostgreSQL: a small pool of its own, in autocommit and without a ping, so that a read is
    one round trip; the app's pool pings each connection it hands out and ends each use with a
    ROLLBACK (three round trips, about three times the cost of the read). The pool drops a
    connection found broken, so going without the ping costs one failed read after a restart.

    What a view writes for a kept answer (`front_write`: the knowledge output's reader count)
    goes on the same pool, in the check's own statement, committed without waiting for
    the disk (`synchronous_commit=off`): a crash of the database server may lose the counts of
    its last fraction of a second, never more, and never a row of anything else."""
    if engine.dialect.name != "postgresql":
        return engine
    return sa.create_engine(
        engine.url,
        isolation_level="AUTOCOMMIT",
        pool_size=2,
        max_overflow=8,
        pool_timeout=1,
        connect_args={
            "application_name": READER_NAME,
            "options": "-c synchronous_commit=off -c jit=off",
        },
    )


def _with_arguments(
    action: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], environ: Any
) -> Any:
    return action(environ, *args, **kwargs)


@dataclass(frozen=True)
class _Raw:
    """A statement compiled once for one database, sent on a DBAPI cursor of the pool: the
    checks of a kept answer, where SQLAlchemy's execution would cost more than the round trip.
    `params` fills the statement's named parameters, in the driver's own style."""

    sql: str
    defaults: dict[str, Any]
    processors: Mapping[str, Callable[[Any], Any]]
    positions: tuple[str, ...] | None

    @classmethod
    def of(cls, statement: sa.Executable, dialect: sa.Dialect, **names: Any) -> _Raw:
        # Expanded: literals such as the tokens' separator are rendered into the SQL.
        state = statement.compile(dialect=dialect).construct_expanded_state(names)
        positions = tuple(state.positiontup) if state.positiontup is not None else None
        return cls(state.statement, dict(state.parameters), state.processors, positions)

    def params(self, **values: Any) -> Any:
        given = {**self.defaults, **values}
        ready = {
            name: self.processors[name](value) if name in self.processors else value
            for name, value in given.items()
        }
        if self.positions is not None:
            return tuple(ready[name] for name in self.positions)
        return ready


def _with_check(update: sa.Update) -> sa.Select[Any]:
    """PostgreSQL: `update` as a WITH of the token query, changing its rows only while every
    token of the JSON object in parameter `plc_kept` is still the database's. (PostgreSQL runs
    a WITH that writes whether or not the query reads it.)"""
    kept = (
        sa.func.json_each_text(sa.cast(sa.bindparam("plc_kept", ""), sa.JSON))
        .table_valued("key", "value")
        .alias("kept")
    )
    stale = (
        sa.exists()
        .select_from(kept.outerjoin(CacheGeneration, CacheGeneration.name == kept.c.key))
        .where(CacheGeneration.token.is_distinct_from(sa.cast(kept.c.value, sa.BigInteger)))
    )
    tokens = sa.select(CacheGeneration.name, CacheGeneration.token)
    return tokens.add_cte(update.where(~stale).cte("front_write"))


def _fetch(engine: sa.Engine, sql: str, params: Any = None) -> tuple[list[str], list[Any]]:
    """Column names and rows of one raw statement, on a pool connection, outside the ORM."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(sql, params) if params is not None else cursor.execute(sql)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
        cursor.close()
    finally:
        connection.close()
    return names, rows


class KeptPages:
    """WSGI middleware: a kept page for a visitor without a session, before the app runs.

    Most readers of the public pages carry no cookie but the language: they are nobody, and
    nothing of the app (session, login, roles, hooks) needs to run to answer them. A visitor
    with a session (or a remember-me cookie) goes through the app, where `for_visitors` serves
    the kept page if they turn out to be anonymous. The tokens are read on a connection of the
    pool, outside any transaction of the app; a database that cannot be read hands the request
    to the app, which answers as it does when the database is away.

    It also keeps what `for_visitors` marked as keepable, as it is sent: the body and every
    header the app added after the view (security headers, `Vary`)."""

    def __init__(self, wsgi_app: Any, app: Flask) -> None:
        from plc.extensions import db

        self.wsgi_app = wsgi_app
        self.app = app
        with app.app_context():
            self.reader = _token_reader(db.engine)
        # Cookies that may make a visitor someone (or carry a message for them).
        remember = app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE)
        self.private = {app.config["SESSION_COOKIE_NAME"], remember}
        #: Per session cookie: its `_session_digest` and login key, and when they were read.
        self._sessions: dict[str, tuple[str | None, str, float]] = {}
        #: The accounts feature's `LoginProbe`, made on first use (it needs the app's hooks).
        self._probe: _Raw | None = None
        self._probe_params: Callable[[str], dict[str, Any]] | None = None
        #: Per front write (its UPDATE): that UPDATE with the check (`_check_and_write`).
        self._writes: dict[sa.Update, _Raw] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        # Looked up on each request: tests and the bench take the store away and put it back.
        store = self.app.extensions.get("plc_page_cache")
        if store is None or environ.get("REQUEST_METHOD") != "GET":
            return self.wsgi_app(environ, start_response)
        cookies = parse_cookie(environ)
        language = visitor_language(cookies, self.app.config)
        key = _key(environ, language)
        visitor = self.private.isdisjoint(cookies)
        digest, login = (None, "") if visitor else self._session(cookies)
        kept = store.get(key if visitor else (*key, digest)) if visitor or digest else None
        if kept is not None and self._still_true(kept, login, environ):
            start_response("200 OK", [*kept.headers, (HIT_HEADER, "hit")])
            return [kept.body]
        if visitor:
            return self._keeping(environ, start_response)
        # Someone who may be logged in: note every table the request reads (`_render`).
        reads_reset = _request_reads.set(set())
        try:
            return self._keeping(environ, start_response)
        finally:
            _request_reads.reset(reads_reset)

    def _session(self, cookies: Mapping[str, str]) -> tuple[str | None, str]:
        """`_session_digest` of the signed session cookie, read as the app would read it (None:
        no such cookie, a forged one, or no login in it), and the key of its login. Remembered
        per cookie for a while: a member sends the same cookie with every page, and checking
        its signature costs more than the rest of a kept answer."""
        value = cookies.get(self.app.config["SESSION_COOKIE_NAME"])
        if not value:
            return None, ""
        now = time.monotonic()
        found = self._sessions.get(value)
        if found is not None and now - found[2] < self.app.config["PAGE_CACHE_SECONDS"]:
            return found[0], found[1]
        serializer = self.app.session_interface.get_signing_serializer(self.app)  # type: ignore[attr-defined]
        try:
            data = serializer.loads(
                value, max_age=int(self.app.permanent_session_lifetime.total_seconds())
            )
        except BadSignature:
            data = None
        digest = _session_digest(data) if isinstance(data, dict) else None
        login = str(data.get("_user_id", "")) if digest is not None and data else ""
        if len(self._sessions) >= SESSIONS_REMEMBERED:
            self._sessions.clear()
        self._sessions[value] = (digest, login, now)
        return digest, login

    def _still_true(self, kept: Kept, login: str, environ: dict[str, Any]) -> bool:
        """Whether the page's tokens are still the database's (and for a member's copy, their
        login still counts and its figures are those the copy shows); if so, the page's front
        write is done. Any failure to read them (the database away, a driver's own exception)
        says no: the app then answers as it does."""
        if not _in_time(kept):
            return False
        try:
            if kept.figures is not None:
                return self._login_still_true(kept, login)
            write = kept.front_write(environ) if kept.front_write is not None else None
            if write is not None and self.reader.dialect.name == "postgresql":
                return self._check_and_write(kept, *write)
            _, rows = _fetch(self.reader, _ALL_TOKENS)
        except Exception:
            return False
        if not _usable(kept, dict(rows)):
            return False
        if write is not None:
            self._write(*write)
        return True

    def _check_and_write(self, kept: Kept, update: sa.Update, params: dict[str, Any]) -> bool:
        """PostgreSQL: the check and the front write in one statement (one round trip instead of
        two): the UPDATE, as a WITH of the token query, changes its row only
        while every token of the page is the one it was kept with, and the tokens come back
        from the same snapshot."""
        raw = self._writes.get(update)
        if raw is None:
            raw = _Raw.of(_with_check(update), self.reader.dialect, **params, plc_kept="{}")
            self._writes[update] = raw
        _, rows = _fetch(
            self.reader, raw.sql, raw.params(**params, plc_kept=json.dumps(kept.tokens))
        )
        return _usable(kept, dict(rows))

    def _write(self, update: sa.Update, params: dict[str, Any]) -> None:
        """The front write in a transaction of its own, after the check (SQLite, in process):
        logged if it fails, and the reader still gets the page."""
        try:
            with unseen_by_pages(), self.reader.begin() as connection:
                connection.execute(update, params)
        except Exception:
            log.exception("page cache: the front write of a kept page failed")

    def _login_still_true(self, kept: Kept, login: str) -> bool:
        """A member's copy: their login's figures and the tokens, in one statement."""
        if self._probe is None or self._probe_params is None:
            with self.app.app_context():
                probe = cast(LoginProbe, self.app.extensions["plc_login_probe"]())
            self._probe = _Raw.of(probe.statement, self.reader.dialect, **probe.params(""))
            self._probe_params = probe.params
        names, rows = _fetch(
            self.reader, self._probe.sql, self._probe.params(**self._probe_params(login))
        )
        if not rows:  # the login ended, or its account did
            return False
        figures = dict(zip(names, rows[0], strict=True))
        tokens = (figures[LOGIN_TOKENS] or "").split(",")
        return kept.pairs.issubset(tokens) and kept.figures == _figures(figures)

    def _keeping(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """The app's answer; kept on the way out when `for_visitors` marked it."""
        sent: list[Any] = []

        def noting(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            sent[:] = [status, headers]
            return start_response(status, headers, *exc_info)

        # A list the view can add to: Socket.IO's middleware hands the app a copy of `environ`.
        keep: list[tuple[PageStore, tuple[str, ...], Kept]] = []
        environ[_TO_KEEP] = keep
        answer = self.wsgi_app(environ, noting)
        if not keep or not sent or not sent[0].startswith("200 "):
            return answer
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        store, key, kept = keep[0]
        kept.body = body
        # A cookie here is this visitor's own (their session, refreshed): the view set none
        # (`_depends`), and a kept page hands none out.
        kept.headers = [(name, value) for name, value in sent[1] if name.lower() != "set-cookie"]
        store.put(key, kept)
        return [body]


def init_app(app: Flask) -> None:
    seconds = app.config["PAGE_CACHE_SECONDS"]
    entries = app.config["PAGE_CACHE_ENTRIES"]
    if entries > 0:
        app.extensions["plc_page_cache"] = PageStore[Kept](entries, seconds)
        app.wsgi_app = KeptPages(app.wsgi_app, app)  # type: ignore[method-assign]
        add_hook(app, "login_columns", _tokens_in_login)
    values = app.config["KEPT_VALUES_ENTRIES"]
    if values > 0:
        app.extensions["plc_kept_values"] = PageStore[KeptValue](values, seconds)


def install_on(app: Flask) -> None:
    from plc.extensions import db

    with app.app_context():
        install(db.engine)
