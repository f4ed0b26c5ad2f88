"""Consents: registration records the privacy statement's version with its time; a new version
is asked for once; the your-data page lists them. And the statements themselves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from plc.auth.consents import record_consent
from plc.auth.models import Consent, ConsentDocument, User
from plc.extensions import db
from tests.conftest import PASSWORD

FORM = {
    "display_name": "Noa van Dijk",
    "email": "noa@example.org",
    "password": PASSWORD,
    "password_confirm": PASSWORD,
}


def test_registration_records_the_current_version_with_its_time(client) -> None:
    response = client.submit("/registreren", {**FORM, "accept_privacy": "y"})
    assert response.status_code == 302
    consent = db.session.scalar(sa.select(Consent))
    assert consent.user_id == db.session.scalar(sa.select(User.id))
    assert (consent.document, consent.version) == (ConsentDocument.PRIVACY_STATEMENT, "2026-11")
    assert consent.given_at is not None and consent.withdrawn_at is None


def test_registration_without_accepting_keeps_what_was_typed(client) -> None:
    response = client.submit("/registreren", FORM)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="accept_privacy-error"' in page
    assert "Accepteer de privacyverklaring om een account aan te maken." in page  # Dutch first
    assert 'value="Noa van Dijk"' in page and 'value="noa@example.org"' in page
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    assert 'href="/privacy"' in page  # the statement is one click away


def test_the_checkbox_is_required_by_the_service_too() -> None:
    from plc.auth import services
    from plc.core.errors import ServiceError

    with pytest.raises(ServiceError) as refused:
        services.register("Noa", "noa@example.org", PASSWORD, accepted_privacy=False)
    assert refused.value.field == "accept_privacy"


def submit_from(client, page: str, path: str, data: dict | None = None):
    """Like `client.submit`, with the CSRF token of a page that is open while "/" redirects."""
    token = client.csrf_token(page)
    return client.post(
        path,
        data={"csrf_token": token, **(data or {})},
        headers={"Referer": "https://localhost/"},
        base_url="https://localhost",
    )


CONSENT_PAGE = "/mijn-gegevens/privacyverklaring"


@pytest.fixture
def accepted_earlier(create_user):
    person = create_user(consent=False)
    record_consent(person, "2025-01")
    db.session.commit()
    return person


def test_a_new_version_is_asked_for_once(accepted_earlier, login_client) -> None:
    client = login_client(accepted_earlier)
    response = client.get("/gemeenschappen")
    assert response.status_code == 302
    assert response.headers["Location"] == "/mijn-gegevens/privacyverklaring?next=/gemeenschappen"
    assert client.get("/mijn-gegevens/privacyverklaring").status_code == 200
    accepted = submit_from(client, CONSENT_PAGE, CONSENT_PAGE + "?next=/gemeenschappen")
    assert accepted.headers["Location"] == "/gemeenschappen"
    versions = db.session.scalars(
        sa.select(Consent.version).where(Consent.user_id == accepted_earlier.id)
    ).all()
    assert sorted(versions) == ["2025-01", "2026-11"]
    assert client.get("/gemeenschappen").status_code == 200
    # Asked once: a later login is not asked again.
    assert login_client(accepted_earlier).get("/gemeenschappen").status_code == 200


def test_reading_leaving_and_the_api_stay_open_meanwhile(accepted_earlier, login_client) -> None:
    client = login_client(accepted_earlier)
    for path in ("/privacy", "/toegankelijkheid", "/mijn-gegevens", "/api/v1/themes", "/healthz"):
        assert client.get(path).status_code == 200, path
    assert client.get("/static/css/app.css").status_code == 200
    assert submit_from(client, "/privacy", "/uitloggen").status_code == 302
    assert client.get("/gemeenschappen").status_code == 200  # logged out: nothing to ask


def test_a_version_change_reaches_people_already_logged_in(app, client, login_client, create_user):
    person = create_user()
    record_consent(person)
    db.session.commit()
    logged_in = login_client(person)
    assert logged_in.get("/gemeenschappen").status_code == 200
    app.config["PRIVACY_STATEMENT_VERSION"] = "2027-03"
    assert logged_in.get("/gemeenschappen").status_code == 302


def test_accounts_with_the_current_consent_are_not_asked(create_user, login_client) -> None:
    assert login_client(create_user()).get("/gemeenschappen").status_code == 200


def test_the_check_costs_no_query_once_settled(accepted_earlier, login_client, count_queries):
    client = login_client(accepted_earlier)
    submit_from(client, CONSENT_PAGE, CONSENT_PAGE)
    with count_queries() as counted:
        client.get("/gemeenschappen")
    assert not [s for s in counted.statements if "consent" in s.lower()]


def test_the_your_data_page_lists_consents_with_versions_and_times(create_user, login_client):
    person = create_user(preferred_language="en", consent=False)
    record_consent(person, "2025-01")
    db.session.flush()
    db.session.execute(sa.update(Consent).values(given_at=datetime(2025, 1, 6, 9, 30, tzinfo=UTC)))
    record_consent(person)
    db.session.commit()
    page = login_client(person).get("/mijn-gegevens").get_data(as_text=True)
    assert "2025-01" in page and "2026-11" in page
    assert "Jan 6, 2025" in page  # the time it was given
    assert "Current version" in page and "Earlier version" in page


# -- the statements ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "language", "heading", "version"),
    [
        ("/privacy", "nl", "Privacyverklaring", "Versie 2026-11"),
        ("/privacy", "en", "Privacy statement", "Version 2026-11"),
        ("/toegankelijkheid", "nl", "Toegankelijkheidsverklaring", "Versie 2026-11"),
        ("/toegankelijkheid", "en", "Accessibility statement", "Version 2026-11"),
    ],
)
def test_statements_render_in_both_languages_with_their_version(
    client, path, language, heading, version
) -> None:
    client.set_cookie("plc_lang", language)
    page = client.get(path)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'<html lang="{language}">' in text
    assert f"<h1>{heading}</h1>" in text
    assert version in text


def test_the_privacy_statement_shows_the_configured_version(app, client) -> None:
    app.config["PRIVACY_STATEMENT_VERSION"] = "2027-03"
    assert "Versie 2027-03" in client.get("/privacy").get_data(as_text=True)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_privacy_statement_covers_what_it_must(client, language) -> None:
    client.set_cookie("plc_lang", language)
    text = client.get("/privacy").get_data(as_text=True)
    for needed in ("privacy@leernetwerk.example", "/mijn-gegevens", "Autoriteit Persoonsgegevens"):
        assert needed in text
    words = {
        "nl": ("standaard privé", "minder dan vijf", "anoniem", "Hoe lang", "Oud-lid"),
        "en": ("private by default", "fewer than five", "anonymous", "How long", "Former member"),
    }[language]
    for word in words:
        assert word in text, word
