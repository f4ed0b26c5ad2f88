"""Headers, cookies, CSRF and the health check."""

from __future__ import annotations

import sqlalchemy as sa

from plc.auth.models import User
from plc.extensions import db
from tests.conftest import PASSWORD

HTML_PAGES = ["/", "/inloggen", "/registreren", "/wachtwoord-vergeten", "/privacy", "/bestaat-niet"]


def test_every_html_response_has_the_security_headers(client):
    for path in HTML_PAGES:
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script(client):
    for path in HTML_PAGES:
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and " onclick=" not in page, path
        for tag in page.split("<script")[1:]:
            assert " src=" in tag.split(">")[0], path


def test_session_cookie_is_httponly_and_samesite(client, create_user):
    user = create_user()
    response = client.login(user.email, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    remember_cookie = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session_cookie, remember_cookie):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookies_are_secure_outside_development(app, client, create_user):
    app.config["SESSION_COOKIE_SECURE"] = True
    app.config["REMEMBER_COOKIE_SECURE"] = True
    user = create_user()
    response = client.login(user.email, remember="y")
    for cookie in response.headers.getlist("Set-Cookie"):
        if cookie.startswith(("session=", "remember_token=")):
            assert "Secure" in cookie


def test_state_changing_requests_without_csrf_token_are_refused(client, login_client, create_user):
    form = {
        "display_name": "Zonder Token",
        "email": "zonder@example.org",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    assert client.post("/registreren", data=form).status_code == 400
    assert client.post("/registreren", data={**form, "csrf_token": "vervalst"}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0

    user = create_user()
    member = login_client(user)
    response = member.post("/profiel/bewerken", data={"display_name": "Gekaapt"})
    assert response.status_code == 400
    assert member.post("/uitloggen").status_code == 400
    db.session.refresh(user)
    assert user.display_name != "Gekaapt"
    assert member.get("/profiel").status_code == 200  # still logged in


def test_healthz_reports_database_state(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_says_503_when_the_database_is_away(tmp_path):
    from plc import create_app
    from tests.conftest import app_config

    missing = tmp_path / "no-such-dir" / "db.sqlite3"
    broken = create_app(app_config(f"sqlite:///{missing}"), instance_path=str(tmp_path))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"
