"""The survey pages in a real browser: answering (with errors, then corrected), then the
owner's overview, question form and results with their charts; no console errors (the CSP
forbids inline scripts and styles) and no serious axe violations, in Dutch and English."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.surveys import conftest as survey_fixtures
from tests.surveys.conftest import choice, scale, text

Check = Callable[[Page], None]

# The survey tests' fixtures, shared with this module.
create_session = survey_fixtures.create_session
rsvp = survey_fixtures.rsvp
session_setup = survey_fixtures.session_setup
make_survey = survey_fixtures.make_survey
give_answers = survey_fixtures.give_answers


def test_answer_then_read_the_results(
    page: Page,
    live_server: str,
    check_accessibility: Check,
    session_setup,
    make_survey,
    give_answers,
) -> None:
    setup = session_setup(participants=2)
    survey = make_survey(
        setup.session,
        setup.owner,
        [
            scale("nut", "Hoe nuttig was de bijeenkomst?"),
            choice("vorm", ["Online", "Op school"]),
            choice("hielp", ["Uitleg", "Oefenen"], multiple=True, required=False),
            text("tip", required=True),
        ],
    )
    give_answers(survey, setup.people[1], {"nut": 2, "vorm": "Online", "tip": "Eerder beginnen"})
    first, tip = survey.questions[0].id, survey.questions[3].id
    participant, owner = setup.people[0].email, setup.owner.email

    def log_in(page: Page, email: str) -> None:
        page.goto(f"{live_server}/inloggen")
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
        page.get_by_label("Wachtwoord", exact=True).press("Enter")
        expect(page.locator("form[action='/uitloggen'] button")).to_be_visible()

    log_in(page, participant)
    page.goto(f"{live_server}/vragenlijsten/{survey.id}/invullen")
    check_accessibility(page)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    check_accessibility(page)  # with the errors shown
    page.locator(f"#q-{first}-4").check()
    page.get_by_label("Op school").check()
    page.get_by_label("Oefenen").check()
    page.locator(f"#q-{tip}").fill("Meer oefentijd")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator(".flash-area .alert-success")).to_be_visible()
    expect(page.locator(f"#q-{first}-4")).to_be_checked()

    page.locator("form[action='/uitloggen'] button").click()
    log_in(page, owner)
    for language in ("Nederlands", "English"):  # the owner reads English first
        for path in ("", "/resultaten", "/vragen/nieuw", "/bewerken"):
            response = page.goto(f"{live_server}/vragenlijsten/{survey.id}{path}")
            assert response is not None and response.status == 200, path
            check_accessibility(page)
        page.get_by_role("button", name=language).click()
    page.goto(f"{live_server}/vragenlijsten/{survey.id}/resultaten")
    expect(page.get_by_role("table").first).to_be_visible()
    expect(page.get_by_text("Meer oefentijd")).to_be_visible()
    expect(page.locator("rect.survey-bar-fill").first).to_be_attached()
    page.goto(f"{live_server}/vragenlijsten/{survey.id}/vragen/nieuw")
    page.locator("#kind").select_option("text")
    expect(page.locator(".survey-scale-settings")).to_be_hidden()
    page.locator("#kind").select_option("choice")
    expect(page.locator(".survey-options-settings")).to_be_visible()
