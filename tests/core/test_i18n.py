"""Dutch first, English by the switch; remembered per browser and per user; complete catalogues."""

from __future__ import annotations

import contextvars
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.pofile import read_po

from plc.core import errors
from plc.extensions import db
from tests.conftest import PlcClient

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "plc/translations/nl/LC_MESSAGES/messages.po"


def _switch(client: PlcClient, lang: str, next_path: str = "/"):
    return client.submit("/taal", {"lang": lang, "next": next_path})


def test_dutch_by_default(client):
    page = client.get("/inloggen").get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert "Wachtwoord vergeten?" in page


def test_switch_to_english_is_remembered_by_the_browser(client, create_user):
    response = _switch(client, "en", "/inloggen")
    assert response.status_code == 302
    assert response.headers["Location"] == "/inloggen"
    page = client.get("/inloggen").get_data(as_text=True)
    assert '<html lang="en">' in page and "Forgot your password?" in page
    # Logging in and out again keeps the choice: it lives in its own cookie.
    user = create_user()
    client.login(user.email)
    client.submit("/uitloggen")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    _switch(client, "nl")
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)


def test_switch_is_remembered_for_the_user_on_another_browser(login_client, create_user):
    user = create_user()
    first = login_client(user)
    _switch(first, "en")
    db.session.refresh(user)
    assert user.preferred_language == "en"
    second = login_client(user)
    assert '<html lang="en">' in second.get("/").get_data(as_text=True)


def test_unknown_language_is_refused_and_changes_nothing(client):
    response = _switch(client, "fr")
    assert response.status_code == 400
    assert client.get_cookie("plc_lang") is None


def test_switch_does_not_redirect_off_site(client):
    response = _switch(client, "en", "https://evil.example.com/")
    assert response.headers["Location"] == "/"


def test_error_pages_in_both_languages(app, client):
    assert "Pagina niet gevonden" in client.get("/bestaat-niet").get_data(as_text=True)
    _switch(client, "en")
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)

    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/registreren", data={"bio": "x" * 4096})
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)


def test_server_error_page_in_both_languages(app):
    def render(lang: str) -> tuple[str, int]:
        with app.test_request_context("/", headers={"Cookie": f"plc_lang={lang}"}):
            return errors._handle_unexpected(RuntimeError("boom"))

    for lang, text in (("nl", "Er ging iets mis"), ("en", "Something went wrong")):
        # A context of its own, as a real request has (the locale is cached per app context).
        body, status = contextvars.Context().run(render, lang)
        assert status == 500
        assert text in body


def test_rate_limit_page_is_translated(app, client, create_user):
    app.config["LOGIN_RATE_LIMIT"] = "1/minute"
    client.login("een@example.org", "verkeerd-wachtwoord-123")
    response = client.login("twee@example.org", "verkeerd-wachtwoord-123")
    assert response.status_code == 429
    assert "Te veel pogingen" in response.get_data(as_text=True)


def test_dates_are_shown_in_amsterdam_time_in_the_users_language(login_client, create_user):
    # 22:30 UTC on 1 July is 00:30 on 2 July in Amsterdam (summer time).
    user = create_user(created_at=datetime(2026, 7, 1, 22, 30, tzinfo=UTC))
    member = login_client(user)
    assert "2 juli 2026" in member.get("/profiel").get_data(as_text=True)
    _switch(member, "en")
    assert "July 2, 2026" in member.get("/profiel").get_data(as_text=True)


def test_dutch_catalogue_is_complete(tmp_path):
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    untranslated = [m.id for m in catalogue if m.id and not m.string]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []

    # Every translatable string in the code and templates is in the catalogue.
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            Path(sys.executable).parent / "pybabel",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    missing = extracted - {m.id for m in catalogue if m.id}
    assert missing == set(), "run `make translations` and translate: " + repr(
        sorted(missing, key=str)[:10]
    )


def test_refused_form_page_in_both_languages(client):
    response = client.post("/registreren", data={"display_name": "Zonder token"})
    assert response.status_code == 400
    assert "Het verzoek kon niet worden verwerkt" in response.get_data(as_text=True)
    _switch(client, "en")
    response = client.post("/registreren", data={"display_name": "No token"})
    assert "The request could not be processed" in response.get_data(as_text=True)
