"""Registration, login sessions, logout, remember me, deactivation."""

from __future__ import annotations

from urllib.parse import quote

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from plc.auth import services
from plc.auth.models import LoginSession, User
from plc.extensions import db
from tests.conftest import PASSWORD


def _register(client, **data):
    form = {
        "display_name": "Noa van Dijk",
        "email": "Noa.vanDijk@Example.org ",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_privacy": "y",
        **data,
    }
    return client.submit("/registreren", form)


def test_register_creates_account_with_normalised_email_and_scrypt_hash(client):
    response = _register(client)
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User))
    assert user.email == "noa.vandijk@example.org"
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    assert check_password_hash(user.password_hash, PASSWORD)
    # Registered and logged in at once: the profile page opens.
    assert client.get("/profiel").status_code == 200


def test_same_address_in_other_spelling_is_refused_and_form_keeps_input(client, create_user):
    create_user(email="noa.vandijk@example.org")
    response = _register(client, email="  NOA.VANDIJK@example.org")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Er bestaat al een account met dit e-mailadres." in page
    assert 'value="Noa van Dijk"' in page  # nothing the user typed is lost
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_short_common_and_guessable_passwords_are_refused(client):
    for weak in (
        "kort-wachtw",
        "password1234",
        "qwertyuiopasdf",
        "aaaaaaaaaaaaaaaa",
        "noavandijk2026",
    ):
        response = _register(client, password=weak, password_confirm=weak)
        assert response.status_code == 200, weak
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_invalid_email_gets_message_next_to_field(client):
    response = _register(client, email="geen-adres")
    page = response.get_data(as_text=True)
    assert 'id="email-error"' in page
    assert 'aria-describedby="email-error"' in page
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_login_starts_a_new_session_each_time_and_logout_ends_it(client, create_user):
    user = create_user()
    assert client.login(user.email).status_code == 302
    first = db.session.scalars(sa.select(LoginSession)).all()
    assert len(first) == 1
    old_cookie = client.get_cookie("session").value

    client.submit("/uitloggen")
    assert client.get("/profiel").status_code == 302  # back to the login page
    db.session.expire_all()
    assert db.session.scalars(sa.select(LoginSession)).one().ended_at is not None

    # Replaying the cookie from before the logout logs nobody in: the server ended that session.
    client.set_cookie("session", old_cookie)
    assert client.get("/profiel").status_code == 302

    client.login(user.email)
    keys = db.session.scalars(sa.select(LoginSession.key_hash)).all()
    assert len(set(keys)) == 2


def test_login_counts_and_wrong_password_is_refused(client, create_user):
    user = create_user(email="ada@example.org")
    response = client.login("ada@example.org", "verkeerd-wachtwoord-123")
    assert response.status_code == 200
    assert "Het e-mailadres of wachtwoord klopt niet." in response.get_data(as_text=True)
    assert client.login(" ADA@example.org ").status_code == 302
    db.session.refresh(user)
    assert user.login_count == 1
    assert user.last_login_at is not None


def test_remember_me_sets_a_lasting_cookie_that_logout_revokes(app, client, create_user):
    user = create_user()
    client.login(user.email, remember="y")
    remember = client.get_cookie("remember_token")
    assert remember is not None and remember.expires is not None
    # A new browser session (session cookie gone) is still logged in through the remember cookie.
    client.delete_cookie("session")
    assert client.get("/profiel").status_code == 200
    token = client.get_cookie("remember_token").value
    client.submit("/uitloggen")
    app.test_client_class = type(client)
    other = app.test_client()
    other.set_cookie("remember_token", token)
    assert other.get("/profiel").status_code == 302


def test_without_remember_me_there_is_no_lasting_cookie(client, create_user):
    user = create_user()
    client.login(user.email)
    assert client.get_cookie("remember_token") is None


def test_deactivated_account_cannot_log_in_and_its_sessions_end(client, login_client, create_user):
    user = create_user()
    logged_in = login_client(user)
    assert logged_in.get("/profiel").status_code == 200
    services.set_active(user, False)
    db.session.commit()
    assert logged_in.get("/profiel").status_code == 302
    response = client.login(user.email)
    assert response.status_code == 200  # refused, same message as a wrong password


def test_next_is_followed_only_to_same_site_paths(client, create_user):
    user = create_user()
    for target, expected in [
        ("/profiel/bewerken", "/profiel/bewerken"),
        ("https://evil.example.com/", "/"),
        ("//evil.example.com/x", "/"),
        ("/\\evil.example.com", "/"),
        ("javascript:alert(1)", "/"),
    ]:
        response = client.submit(
            "/inloggen?next=" + quote(target, safe=""), {"email": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == expected, target
        client.submit("/uitloggen")


def test_login_page_redirect_keeps_the_page_asked_for(client):
    response = client.get("/profiel/bewerken")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen?next=/profiel/bewerken")


def test_login_is_rate_limited_per_account(client, create_user):
    user = create_user()
    statuses = [client.login(user.email, "verkeerd-wachtwoord-123").status_code for _ in range(6)]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    # Even the right password is refused while the limit holds.
    assert client.login(user.email).status_code == 429


def test_login_is_rate_limited_per_address(app, client, create_user):
    app.config["LOGIN_RATE_LIMIT"] = "3/minute"
    statuses = [
        client.login(f"iemand{n}@example.org", "verkeerd-wachtwoord-123").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
