"""Password reset: a signed, expiring, single-use link built from the configured server name."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from plc.auth.models import LoginSession
from plc.core.outbox import MailState, OutboxMessage
from plc.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "Zuidas-tram-regen-2027"


def _reset_link(client, email: str) -> str:
    # Sent with a forged Host: the link must still name the configured server.
    response = client.submit(
        "/wachtwoord-vergeten", {"email": email}, base_url="https://evil.example.com"
    )
    assert response.status_code == 302
    message = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message is not None
    match = re.search(r"https://\S+", message.body_text)
    assert match
    return match.group(0)


def test_reset_link_uses_configured_server_and_works_once(client, login_client, create_user):
    user = create_user(email="bram@example.org")
    elsewhere = login_client(user)
    link = _reset_link(client, "Bram@Example.org")
    # Built from PLC_SERVER_NAME, never from the request's Host header.
    assert link.startswith("https://leernetwerk.example.org/wachtwoord-herstellen/")
    path = link.removeprefix("https://leernetwerk.example.org")

    assert client.get(path).status_code == 200
    response = client.submit(path, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.login(user.email, NEW_PASSWORD).status_code == 302
    # The link is single-use, and every earlier session has ended.
    assert client.get(path).status_code == 400
    assert elsewhere.get("/profiel").status_code == 302


def test_expired_and_tampered_links_are_refused(app, client, create_user):
    create_user(email="bram@example.org")
    link = _reset_link(client, "bram@example.org")
    path = link.removeprefix("https://leernetwerk.example.org")
    forged = path.rsplit(".", 1)[0] + "." + "A" * 27  # same payload, another signature
    assert client.get(forged).status_code == 400
    app.config["PASSWORD_RESET_MAX_AGE"] = timedelta(seconds=-1)
    assert client.get(path).status_code == 400


def test_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.submit("/wachtwoord-vergeten", {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_reset_mail_is_stored_then_delivered(client, create_user):
    create_user(email="bram@example.org", preferred_language="en")
    _reset_link(client, "bram@example.org")
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    # No SMTP server in this test: delivered to the log, after the commit.
    assert message.state == MailState.LOGGED
    assert message.subject == "Reset your password for Leernetwerk Amsterdam"
    assert message.body_html and "Set a new password" in message.body_html


def test_weak_new_password_is_refused_and_link_stays_valid(client, create_user):
    create_user(email="bram@example.org")
    path = _reset_link(client, "bram@example.org").removeprefix("https://leernetwerk.example.org")
    response = client.submit(path, {"password": "password1234", "password_confirm": "password1234"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_reset_is_rate_limited(client, create_user):
    create_user(email="bram@example.org")
    statuses = [
        client.submit("/wachtwoord-vergeten", {"email": "bram@example.org"}).status_code
        for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 3


def test_change_password_keeps_this_session_and_ends_others(login_client, create_user):
    user = create_user()
    here = login_client(user)
    there = login_client(user)
    response = here.submit(
        "/profiel/wachtwoord",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert here.get("/profiel").status_code == 200
    assert there.get("/profiel").status_code == 302
    assert (
        db.session.scalar(
            sa.select(sa.func.count(LoginSession.id)).where(LoginSession.ended_at.is_(None))
        )
        == 1
    )
