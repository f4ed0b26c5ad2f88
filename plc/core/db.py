"""Database behaviour that every feature relies on.

SQLite (the embedded mode) is tuned so that concurrent requests neither fail with
"database is locked" nor lose updates: WAL, a busy timeout, foreign keys, and write transactions
that take the write lock up front with `BEGIN IMMEDIATE` (SQLAlchemy's documented pysqlite
recipe). With pysqlite's default deferred transactions, a request that reads and then writes
while another request commits fails at once with SQLITE_BUSY: the busy timeout cannot help a
transaction whose snapshot is already stale.

Read-only requests (GET, HEAD, OPTIONS) keep deferred transactions so that readers never wait
for writers. Code outside a request (CLI, background delivery) always writes immediately. A
GET-like context that must write (a socket event) calls `intend_write()` before its first query;
`g.plc_db_write = False` asks for deferred transactions explicitly (the test suite's own reads).

Side effects that depend on a write (mail, socket events) are registered with `on_commit` and run
only after the surrounding transaction commits; a rollback discards them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_ON_COMMIT_KEY = "plc_on_commit"


def sqlite_engine_options(options: dict[str, Any]) -> dict[str, Any]:
    """Engine options for a SQLite file: wait for locks in the driver, share across threads."""
    connect_args = dict(options.get("connect_args", {}))
    connect_args.setdefault("timeout", 10)  # seconds; the busy handler behind busy_timeout
    connect_args.setdefault("check_same_thread", False)
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
    """Attach the pragmas and the BEGIN IMMEDIATE recipe to a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so that the "begin" hook decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write() else "BEGIN")


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
