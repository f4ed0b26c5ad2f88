"""An account's life in a real browser: register, log out and in, switch language, edit the
profile, log out; every page checked with axe-core, forms driven with the keyboard where a
person would."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from tests.conftest import PASSWORD

Check = Callable[[Page], None]


def fresh_email() -> str:
    return f"leraar-{uuid.uuid4().hex[:10]}@example.org"


def account_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Account")


def expect_path(page: Page, path: str) -> None:
    expect(page).to_have_url(re.compile(rf"^[^?#]*//[^/]+{re.escape(path)}(?:[?#].*)?$"))


def test_account_journey(page: Page, live_server: str, check_accessibility: Check) -> None:
    email = fresh_email()
    name = "Fatima de Vries"

    # -- register: the skip link comes first and moves focus to the content ------------------
    page.goto(f"{live_server}/registreren")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Account aanmaken")
    check_accessibility(page)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Naar de inhoud")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_attribute("href", "#main")
    expect(skip_link).to_be_in_viewport()  # shown once focused
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("E-mailadres", exact=True).fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    repeat = page.get_by_label("Herhaal wachtwoord", exact=True)
    repeat.fill(PASSWORD)
    # Accepting the privacy statement: a real checkbox, ticked with the space bar.
    consent = page.locator("#accept_privacy")
    consent.focus()
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    repeat.press("Enter")

    # -- lands on the profile form, logged in -------------------------------------------------
    expect_path(page, "/profiel/bewerken")
    expect(page.locator(".flash-area")).to_contain_text("Welkom bij Leernetwerk Amsterdam!")
    expect(page.get_by_role("heading", level=1)).to_have_text("Profiel bewerken")
    expect(account_nav(page).get_by_role("link", name=name)).to_be_visible()
    check_accessibility(page)

    # -- log out --------------------------------------------------------------------------------
    page.get_by_role("button", name="Uitloggen").click()
    expect_path(page, "/")
    expect(page.locator(".flash-area")).to_contain_text("Je bent uitgelogd.")
    expect(account_nav(page).get_by_role("link", name="Inloggen")).to_be_visible()
    check_accessibility(page)

    # -- log in with the same account (submitted with Enter) ------------------------------------
    account_nav(page).get_by_role("link", name="Inloggen").click()
    expect_path(page, "/inloggen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    check_accessibility(page)
    page.get_by_label("E-mailadres", exact=True).fill(email)
    password = page.get_by_label("Wachtwoord", exact=True)
    password.fill(PASSWORD)
    password.press("Enter")

    expect_path(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom terug, {name}")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    check_accessibility(page)

    # -- switch to English and back -------------------------------------------------------------
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect_path(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome back, {name}")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("link", name="Skip to content")).to_be_attached()
    check_accessibility(page)

    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom terug, {name}")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    check_accessibility(page)

    # -- edit the profile -----------------------------------------------------------------------
    account_nav(page).get_by_role("link", name=name).click()
    expect_path(page, "/profiel")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    check_accessibility(page)

    page.get_by_role("link", name="Profiel bewerken").click()
    expect_path(page, "/profiel/bewerken")
    expect(page.get_by_label("Naam", exact=True)).to_have_value(name)
    check_accessibility(page)

    bio = "Ik geef wiskunde in Nieuw-West en werk graag samen aan formatief evalueren."
    page.get_by_label("Loopbaanfase", exact=True).select_option(label="Ervaren leraar")
    page.get_by_label("Schooltype", exact=True).select_option(label="Voortgezet onderwijs (vo)")
    page.get_by_label("Vakken", exact=True).fill("wiskunde, natuurkunde")
    page.get_by_label("Over mij", exact=True).fill(bio)
    page.get_by_role("button", name="Profiel opslaan").click()

    expect_path(page, "/profiel")
    expect(page.locator(".flash-area")).to_contain_text("Je profiel is opgeslagen.")
    facts = page.locator(".profile-facts")
    for term, value in [
        ("Loopbaanfase", "Ervaren leraar"),
        ("Schooltype", "Voortgezet onderwijs (vo)"),
        ("Vakken", "wiskunde, natuurkunde"),
        ("Over mij", bio),
        ("E-mailadres", email),
    ]:
        term_element = facts.locator("dt", has_text=re.compile(rf"^{re.escape(term)}$"))
        expect(term_element.locator("xpath=following-sibling::dd[1]")).to_have_text(value)
    check_accessibility(page)

    # -- log out: the header offers logging in again ----------------------------------------------
    page.get_by_role("button", name="Uitloggen").click()
    expect_path(page, "/")
    expect(page.locator(".flash-area")).to_contain_text("Je bent uitgelogd.")
    expect(account_nav(page).get_by_role("link", name="Inloggen")).to_be_visible()
    expect(account_nav(page).get_by_role("link", name="Account aanmaken")).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)
    expect(page.get_by_role("link", name=name)).to_have_count(0)
    check_accessibility(page)


def test_form_error_keeps_input_and_is_tied_to_its_field(
    page: Page, live_server: str, check_accessibility: Check
) -> None:
    email = fresh_email()
    name = "Daan Jansen"
    error_text = "Gebruik minimaal 12 tekens."

    page.goto(f"{live_server}/registreren")
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("E-mailadres", exact=True).fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill("kort")
    page.get_by_label("Herhaal wachtwoord", exact=True).fill("kort")
    page.locator("#accept_privacy").check()
    page.get_by_role("button", name="Account aanmaken").click()

    expect_path(page, "/registreren")
    summary = page.locator("#form-errors")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()  # app.js moves keyboard and screen-reader users there

    # What the user typed is still there (passwords excepted, by design).
    expect(page.get_by_label("Naam", exact=True)).to_have_value(name)
    expect(page.get_by_label("E-mailadres", exact=True)).to_have_value(email)

    password = page.get_by_label("Wachtwoord", exact=True)
    expect(password).to_have_value("")
    expect(password).to_have_attribute("aria-invalid", "true")
    described_by = (password.get_attribute("aria-describedby") or "").split()
    assert described_by, "the password field has no aria-describedby"
    texts = [page.locator(f"#{ident}").inner_text() for ident in described_by]
    assert any(error_text in text for text in texts), (described_by, texts)
    expect(password).to_have_accessible_description(re.compile(re.escape(error_text)))

    # The fields without a problem are not marked invalid.
    expect(page.get_by_label("Naam", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("E-mailadres", exact=True)).not_to_have_attribute(
        "aria-invalid", "true"
    )
    check_accessibility(page)
