"""Database behaviour that every feature relies on.

SQLite (the embedded mode) is tuned so that concurrent requests neither fail with
"database is locked" nor lose updates: WAL, a busy timeout, foreign keys, and write transactions
that take the write lock up front with `BEGIN IMMEDIATE` (SQLAlchemy's documented pysqlite
recipe). With pysqlite's default deferred transactions, a request that reads and then writes
while another request commits fails at once with SQLITE_BUSY: the busy timeout cannot help a
transaction whose snapshot is already stale.

Within one process, write transactions also queue for a process-wide lock before `BEGIN
IMMEDIATE`. SQLite's busy handler polls with growing sleeps (up to 100 ms), so a writer that has
waited long polls rarely and loses the lock, again and again, to newcomers: with 16 requests
writing at once, some waited past the busy timeout and failed with "database is locked". A lock
that wakes one waiter at a time keeps the wait about as long as the queue ahead of it; the busy
timeout still covers writers in other processes (the CLI, a second server).

Read-only requests (GET, HEAD, OPTIONS) keep deferred transactions so that readers never wait
for writers. Code outside a request (CLI, background delivery) always writes immediately. A
GET-like context that must write (a socket event) calls `intend_write()` before its first query;
`g.plc_db_write = False` asks for deferred transactions explicitly (the test suite's own reads).

Side effects that depend on a write (mail, socket events) are registered with `on_commit` and run
only after the surrounding transaction commits; a rollback discards them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_ON_COMMIT_KEY = "plc_on_commit"
#: Seconds a SQLite writer waits: for the process's write lock, then for the database's.
BUSY_TIMEOUT = 10
#: Marks a DBAPI connection whose transaction holds the process's write lock.
_HOLDS_WRITE_LOCK = "plc_holds_write_lock"


def sqlite_engine_options(options: dict[str, Any]) -> dict[str, Any]:
    """Engine options for a SQLite file: wait for locks in the driver, share across threads."""
    connect_args = dict(options.get("connect_args", {}))
    connect_args.setdefault("timeout", BUSY_TIMEOUT)  # seconds; the busy handler
    connect_args.setdefault("check_same_thread", False)
    return {**options, "connect_args": connect_args}


def postgres_engine_options(options: dict[str, Any]) -> dict[str, Any]:
    """Engine options for PostgreSQL: no JIT compilation of queries.

    PostgreSQL compiles a query whose estimated cost passes `jit_above_cost` (100,000) before
    running it. Our page queries run in milliseconds but some are estimated high at city size:
    the matching page's took 7.4 s of JIT for 0.2 s of work at M (docs/BENCHMARKS.md). JIT pays
    off for long analytical queries, which the app does not run."""
    connect_args = dict(options.get("connect_args", {}))
    connect_args["options"] = " ".join(filter(None, [connect_args.get("options"), "-c jit=off"]))
    return {**options, "connect_args": connect_args}


def intend_write() -> None:
    """Declare that this request context will write, before its first query (see module doc)."""
    g.plc_db_write = True


def _wants_write() -> bool:
    explicit = g.get("plc_db_write") if has_app_context() else None
    if explicit is not None:
        return bool(explicit)
    if has_request_context():
        return request.method not in SAFE_METHODS
    return True


def install_sqlite_tuning(engine: sa.Engine) -> None:
    """Attach the pragmas, the BEGIN IMMEDIATE recipe and the write queue to a SQLite engine."""
    # A semaphore, not a Lock: a connection may be handed back to the pool (and its transaction
    # ended) by another thread than the one that began it.
    write_lock = threading.BoundedSemaphore(1)

    def release(info: dict[str, Any]) -> None:
        if info.pop(_HOLDS_WRITE_LOCK, False):
            write_lock.release()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so that the "begin" hook decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        if not _wants_write():
            connection.exec_driver_sql("BEGIN")
            return
        # Past the timeout, go on without the lock: the busy handler then decides, as it would
        # for a writer in another process.
        if not connection.info.get(_HOLDS_WRITE_LOCK) and write_lock.acquire(timeout=BUSY_TIMEOUT):
            connection.info[_HOLDS_WRITE_LOCK] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            release(connection.info)
            raise

    # These fire just before the COMMIT or ROLLBACK itself; the next writer's BEGIN IMMEDIATE
    # meets the lock for that instant and its busy handler retries after a millisecond.
    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(connection: sa.Connection) -> None:
        release(connection.info)

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        release(record.info)  # a connection given back without a commit or rollback event


def on_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the session's current transaction has committed."""
    session.info.setdefault(_ON_COMMIT_KEY, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_on_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT was released: the real commit is still to come
    callbacks = session.info.pop(_ON_COMMIT_KEY, [])
    for callback in callbacks:
        try:
            callback()
        except Exception:  # one failing side effect must not hide the others
            log.exception("after-commit callback failed")


@event.listens_for(Session, "after_rollback")
def _drop_on_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # only a SAVEPOINT was rolled back; the outer transaction may still commit
    session.info.pop(_ON_COMMIT_KEY, None)


def init_app(app: Flask) -> None:
    from plc.extensions import db

    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        install_sqlite_tuning(engine)
