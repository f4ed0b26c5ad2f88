"""Your data in a real browser: the overview, the download, the delete confirmation (a wrong
password first, then for real), registration with the consent checkbox, a new statement version,
and the statements themselves; every page checked with axe-core, in Dutch and in English."""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from plc.auth.consents import record_consent
from plc.auth.models import Consent, User
from plc.extensions import db
from tests.conftest import PASSWORD

Check = Callable[[Page], None]


def expect_path(page: Page, path: str) -> None:
    expect(page).to_have_url(re.compile(rf"^[^?#]*//[^/]+{re.escape(path)}(?:[?#].*)?$"))


def log_in(page: Page, live_server: str, email: str, lands_on: str = "/") -> None:
    page.goto(f"{live_server}/inloggen")
    page.locator("#email").fill(email)
    password = page.locator("#password")
    password.fill(PASSWORD)
    password.press("Enter")
    expect_path(page, lands_on)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_your_data_page_and_download(
    page: Page, live_server: str, check_accessibility: Check, create_user, language: str
) -> None:
    person = create_user(preferred_language=language)
    record_consent(person)
    db.session.commit()
    log_in(page, live_server, person.email)

    page.goto(f"{live_server}/profiel")
    page.locator("a[href='/mijn-gegevens']").first.click()
    expect_path(page, "/mijn-gegevens")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("table")).to_contain_text("2026-11")
    check_accessibility(page)

    with page.expect_download() as download_info:
        page.locator("form[action='/mijn-gegevens/download'] button").click()
    download = download_info.value
    assert re.fullmatch(
        r"leernetwerk-mijn-gegevens-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename
    )
    with zipfile.ZipFile(download.path()) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["tables"]["user_account"][0]["email"] == person.email
    assert data["tables"]["consent"][0]["version"] == "2026-11"


def test_deleting_an_account_wrong_password_first(
    page: Page, live_server: str, check_accessibility: Check, create_user
) -> None:
    person = create_user(preferred_language="en", display_name="Mees Bakker")
    person_id, email = person.id, person.email
    log_in(page, live_server, email)

    page.goto(f"{live_server}/mijn-gegevens")
    page.get_by_role("link", name="Delete my account…").click()
    expect_path(page, "/mijn-gegevens/account-verwijderen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    check_accessibility(page)

    # A wrong password: an error next to the field, nothing deleted, still logged in.
    page.get_by_label("Your password").fill("niet-het-goede-wachtwoord")
    confirmation = page.get_by_label("Type DELETE to confirm")
    confirmation.fill("DELETE")
    confirmation.press("Enter")
    expect_path(page, "/mijn-gegevens/account-verwijderen")
    password = page.get_by_label("Your password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("This is not your password."))
    expect(page.get_by_label("Type DELETE to confirm")).to_have_value("DELETE")
    check_accessibility(page)
    db.session.rollback()
    assert db.session.get(User, person_id).deleted_at is None

    # Now for real, with the keyboard: the person is logged out and the account is gone.
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account for good").focus()
    page.keyboard.press("Enter")
    expect_path(page, "/")
    expect(page.locator(".flash-area")).to_contain_text(
        "Your account and your personal data have been deleted."
    )
    account = page.get_by_role("navigation", name=re.compile("Account"))
    expect(account.get_by_role("link", name=re.compile("Log in|Inloggen"))).to_be_visible()
    check_accessibility(page)
    db.session.rollback()
    deleted = db.session.get(User, person_id)
    assert deleted.deleted_at is not None and deleted.email != email
    page.goto(f"{live_server}/mijn-gegevens")
    expect_path(page, "/inloggen")


def test_registration_asks_for_the_privacy_statement(
    page: Page, live_server: str, check_accessibility: Check
) -> None:
    email = f"leraar-{uuid.uuid4().hex[:10]}@example.org"
    page.goto(f"{live_server}/registreren")
    expect(page.locator("a[href='/privacy']").first).to_be_visible()
    page.locator("#display_name").fill("Lotte Visser")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    repeat = page.locator("#password_confirm")
    repeat.fill(PASSWORD)
    repeat.press("Enter")

    # Not accepted: the error sits with the checkbox, and what was typed is still there.
    expect_path(page, "/registreren")
    consent = page.locator("#accept_privacy")
    expect(consent).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#display_name")).to_have_value("Lotte Visser")
    expect(page.locator("#email")).to_have_value(email)
    check_accessibility(page)

    page.locator("#password").fill(PASSWORD)
    page.locator("#password_confirm").fill(PASSWORD)
    consent.focus()
    page.keyboard.press("Space")
    page.locator("#password_confirm").press("Enter")
    expect_path(page, "/profiel/bewerken")
    db.session.rollback()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    assert db.session.scalar(sa.select(Consent.version).where(Consent.user_id == user.id)) == (
        "2026-11"
    )


def test_a_new_statement_version_is_asked_for(
    page: Page, live_server: str, check_accessibility: Check, create_user
) -> None:
    person = create_user(preferred_language="en", consent=False)
    record_consent(person, "2025-01")
    db.session.commit()
    # Even the start page after logging in asks first.
    log_in(page, live_server, person.email, lands_on="/mijn-gegevens/privacyverklaring")
    page.goto(f"{live_server}/gemeenschappen")
    expect_path(page, "/mijn-gegevens/privacyverklaring")
    expect(page.get_by_role("heading", level=1)).to_have_text("New privacy statement")
    check_accessibility(page)
    page.get_by_role("button", name="I have read the privacy statement and I accept it").click()
    expect_path(page, "/gemeenschappen")


WITHDRAW = {
    "nl": ("Mijn toestemming intrekken…", "Mijn toestemming intrekken", "Privacyverklaring"),
    "en": ("Withdraw my consent…", "Withdraw my consent", "Privacy statement"),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_withdrawing_consent_then_accepting_again(
    page: Page, live_server: str, check_accessibility: Check, create_user, language: str
) -> None:
    link, button, heading = WITHDRAW[language]
    person = create_user(preferred_language=language)
    log_in(page, live_server, person.email)
    page.goto(f"{live_server}/mijn-gegevens")
    page.get_by_role("link", name=link).click()
    expect_path(page, "/mijn-gegevens/toestemming-intrekken")
    check_accessibility(page)
    page.get_by_role("button", name=button, exact=True).click()
    expect_path(page, "/mijn-gegevens")
    expect(page.locator("#consent-missing")).to_be_visible()
    check_accessibility(page)
    # The next page asks at once; accepting leads on to where the person was going.
    page.goto(f"{live_server}/gemeenschappen")
    expect_path(page, "/mijn-gegevens/privacyverklaring")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_accessibility(page)
    page.locator("main form button[type=submit]").click()
    expect_path(page, "/gemeenschappen")
    db.session.rollback()
    withdrawn = db.session.scalars(
        sa.select(Consent.withdrawn_at).where(Consent.user_id == person.id).order_by(Consent.id)
    ).all()
    assert len(withdrawn) == 2 and withdrawn[0] is not None and withdrawn[1] is None


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("path", ["/privacy", "/toegankelijkheid"])
def test_statements_are_accessible(
    page: Page, live_server: str, check_accessibility: Check, language: str, path: str
) -> None:
    page.context.add_cookies([{"name": "plc_lang", "value": language, "url": live_server}])
    page.goto(f"{live_server}{path}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#statement-version")).to_contain_text("2026-11")
    check_accessibility(page)
