"""A login checks the password (some 100 ms of scrypt) without holding the write lock.

On SQLite one writer at a time holds the database's write lock (and, before it, the process's
write queue in plc.core.db). A login that took it before checking the password made every other
writing request, other logins included, wait behind its scrypt. The check now runs in a read
transaction; only recording a successful login writes, after reading the account again.
"""

from __future__ import annotations

import contextvars
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask

from plc.auth import services
from plc.auth.models import LoginSession, User
from plc.auth.passwords import hash_password
from plc.core.db import _HOLDS_WRITE_LOCK, intend_write
from plc.extensions import db
from tests.conftest import BACKEND, PASSWORD
from tests.support.statements import Statements


@contextmanager
def _during_password_check(
    monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]
) -> Iterator[None]:
    """Run `action` in the middle of each password check the login makes."""
    real = services.verify_password

    def checking(password_hash: str | None, password: str) -> bool:
        action()
        return real(password_hash, password)

    monkeypatch.setattr(services, "verify_password", checking)
    yield
    monkeypatch.setattr(services, "verify_password", real)


def _in_another_request(app: Flask, statement: sa.Executable) -> None:
    """Commit `statement` as a writing request of its own would (own context, own session)."""

    def write() -> None:
        with app.app_context():
            intend_write()
            db.session.execute(statement)
            db.session.commit()
            db.session.remove()

    contextvars.Context().run(write)


def _write_lock_state() -> dict[str, bool]:
    """Whether this request's transaction holds the process's write queue, and whether another
    connection could take SQLite's write lock at this moment (without waiting)."""
    in_queue = db.session().in_transaction() and bool(
        db.session.connection().info.get(_HOLDS_WRITE_LOCK)
    )
    other = sqlite3.connect(db.engine.url.database or "", timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        database_lock_free = True
    except sqlite3.OperationalError:  # "database is locked"
        database_lock_free = False
    finally:
        other.close()
    return {"holds_write_queue": in_queue, "database_lock_free": database_lock_free}


@pytest.fixture
def member(create_user: Callable[..., User]) -> User:
    user = create_user(email="inlog@example.org")
    user.password_hash = hash_password(PASSWORD)  # the production hash: scrypt
    db.session.commit()
    return user


def _login_record(user_id: int) -> tuple[int, int]:
    db.session.commit()  # a fresh snapshot
    count = db.session.scalar(sa.select(User.login_count).where(User.id == user_id))
    sessions = db.session.scalar(
        sa.select(sa.func.count(LoginSession.id)).where(LoginSession.user_id == user_id)
    )
    return count or 0, sessions or 0


def test_the_password_check_holds_no_write_lock(client, member, monkeypatch):
    if BACKEND != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL locks rows only when writing them")
    seen: list[dict[str, bool]] = []
    with _during_password_check(monkeypatch, lambda: seen.append(_write_lock_state())):
        response = client.login("inlog@example.org")
    assert response.status_code == 302
    assert seen == [{"holds_write_queue": False, "database_lock_free": True}]
    assert _login_record(member.id) == (1, 1)


def test_another_request_writes_while_a_password_is_checked(app, client, member, monkeypatch):
    other = User(email="ander@example.org", display_name="Ander", password_hash="x")
    db.session.add(other)
    db.session.commit()
    meanwhile = sa.update(User).where(User.id == other.id).values(bio="Geschreven tijdens")
    with _during_password_check(monkeypatch, lambda: _in_another_request(app, meanwhile)):
        response = client.login("inlog@example.org")
    assert response.status_code == 302
    db.session.commit()
    assert db.session.scalar(sa.select(User.bio).where(User.id == other.id)) == "Geschreven tijdens"
    assert _login_record(member.id) == (1, 1)


@pytest.mark.parametrize(
    "change",
    [{"active": False}, {"password_hash": hash_password("Een-ander-wachtwoord-2026")}],
    ids=["deactivated", "new-password"],
)
def test_an_account_changed_during_the_check_is_not_logged_in(
    app, client, member, monkeypatch, change
):
    meanwhile = sa.update(User).where(User.id == member.id).values(**change)
    with _during_password_check(monkeypatch, lambda: _in_another_request(app, meanwhile)):
        response = client.login("inlog@example.org")
    assert response.status_code == 200
    assert "Het e-mailadres of wachtwoord klopt niet." in response.get_data(as_text=True)
    assert _login_record(member.id) == (0, 0)
    assert client.get("/profiel").status_code == 302  # not logged in


@pytest.mark.parametrize(
    ("email", "password"),
    [("inlog@example.org", "Niet-het-goede-wachtwoord-1"), ("onbekend@example.org", PASSWORD)],
    ids=["wrong-password", "unknown-address"],
)
def test_a_failed_login_writes_nothing(client, member, email, password):
    with Statements() as statements:
        response = client.login(email, password)
    assert response.status_code == 200
    assert "Het e-mailadres of wachtwoord klopt niet." in response.get_data(as_text=True)
    assert any("FROM USER_ACCOUNT" in statement for statement in statements.all)  # it looked
    assert statements.writes() == []
    assert _login_record(member.id) == (0, 0)
