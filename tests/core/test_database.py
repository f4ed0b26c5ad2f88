"""The database loses nothing: SQLite tuning, concurrent writers, counters in SQL."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from plc.auth.models import LoginSession, User
from plc.auth.passwords import hash_password
from plc.extensions import db
from tests.conftest import BACKEND, PASSWORD, PlcClient

THREADS = 12
ROUNDS = 4


def test_sqlite_connections_are_tuned(app):
    if BACKEND != "sqlite":
        pytest.skip("SQLite pragmas only apply to the embedded mode")
    with db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") >= 5000
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 1  # NORMAL


def test_postgresql_connections_compile_no_queries_with_jit(app):
    if BACKEND != "postgres":
        pytest.skip("JIT is PostgreSQL's")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW jit").scalar() == "off"


def test_foreign_keys_are_enforced(app):
    db.session.add(LoginSession(key_hash="x" * 64, user_id=999_999, expires_at=sa.func.now()))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def _run_in_threads(work, count: int) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def runner(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_concurrent_logins_read_then_write_without_errors_or_lost_counts(app, create_user):
    """Each login reads the account, then writes a session row and bumps a counter."""
    user = create_user(email="druk@example.org")
    # The production cost of checking the password (the builders' hashes are cheaper): each
    # login takes as long as it would on a real server.
    user.password_hash = hash_password(PASSWORD)
    db.session.commit()
    statuses: list[int] = []  # list.append is atomic; Counter's += is not
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = app.config["LOGIN_RATE_LIMIT"] = "1000/minute"

    def work(_index: int) -> None:
        app.test_client_class = PlcClient
        client = app.test_client()
        for _ in range(ROUNDS):
            statuses.append(client.login("druk@example.org", PASSWORD).status_code)
            statuses.append(client.submit("/uitloggen").status_code)

    errors = _run_in_threads(work, THREADS)
    assert errors == []
    assert Counter(statuses) == Counter({302: THREADS * ROUNDS * 2})
    db.session.refresh(user)
    assert user.login_count == THREADS * ROUNDS
    sessions = db.session.scalars(sa.select(LoginSession)).all()
    assert len(sessions) == THREADS * ROUNDS
    assert all(s.ended_at is not None for s in sessions)


def test_concurrent_registrations_of_one_address_create_one_account(app):
    outcomes: list[int] = []
    app.config["REGISTER_RATE_LIMIT"] = "1000/minute"

    def work(index: int) -> None:
        app.test_client_class = PlcClient
        client = app.test_client()
        response = client.submit(
            "/registreren",
            {
                "display_name": f"Dubbel {index}",
                "email": "dubbel@example.org",
                "password": PASSWORD,
                "password_confirm": PASSWORD,
                "accept_privacy": "y",
            },
        )
        outcomes.append(response.status_code)

    errors = _run_in_threads(work, THREADS)
    assert errors == []
    assert Counter(outcomes) == Counter(
        {302: 1, 200: THREADS - 1}
    )  # the others see a clear message
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
