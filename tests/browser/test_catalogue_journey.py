"""Browser journey of demand meeting supply: a teacher asks a learning question, sees the
offerings that fit it with their reasons, and enrols; a provider publishes an offering and sees
the open questions it answers, and the teacher is told. Every page is checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser, Page, expect

from plc.auth.models import CareerStage, SchoolType
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.browser.test_community_journey import flash, log_in

Check = Callable[[Page], None]


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context.new_page()


def test_ask_see_matches_enrol_and_a_provider_sees_the_demand(
    page: Page,
    browser: Browser,
    live_server: str,
    check_accessibility: Check,
    create_user,
    create_theme,
    create_provider,
    create_offering,
) -> None:
    theme = create_theme("Formatief evalueren")
    create_theme("Rekendidactiek")
    provider, staff = create_provider(name="Opleidingsschool Amsterdam-West")
    staff.display_name = "Ravi Staf"
    fitting = create_offering(
        provider,
        staff,
        themes=[theme],
        title="Feedback die werkt in de onderbouw",
        summary="Zo geef je feedback waar leerlingen iets mee doen.",
        career_stages=[CareerStage.EXPERIENCED],
        school_types=[SchoolType.SECONDARY],
        capacity=12,
    )
    draft = create_offering(
        provider,
        staff,
        themes=[theme],
        title="Masterclass formatief toetsen",
        summary="Toetsen die leerlingen helpen leren.",
        publish=False,
    )
    teacher = create_user(
        display_name="Fatima El Amrani",
        career_stage=CareerStage.EXPERIENCED,
        school_type=SchoolType.SECONDARY,
    )
    question_title = "Hoe geef ik feedback die leerlingen echt gebruiken?"

    # The teacher asks, and sees fitting offerings with the reasons they were suggested.
    log_in(page, live_server, teacher.email, "Fatima El Amrani")
    page.goto(f"{live_server}/leervragen")
    check_accessibility(page)
    page.get_by_role("link", name="Stel een leervraag").first.click()
    check_accessibility(page)
    page.get_by_label("Wat wil je leren?").fill(question_title)
    page.get_by_label("Toelichting").fill("Mijn onderbouwklassen lezen de feedback niet.")
    page.get_by_label("Formatief evalueren").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(flash(page)).to_contain_text("Je leervraag is opgeslagen.")
    check_accessibility(page)
    suggestion = page.get_by_role("link", name="Feedback die werkt in de onderbouw")
    expect(suggestion).to_be_visible()
    expect(page.locator("main")).to_contain_text("zelfde thema: Formatief evalueren")
    suggestion.click()
    check_accessibility(page)
    page.get_by_role("button", name="Schrijf je in").click()
    expect(flash(page)).to_contain_text("Je bent ingeschreven")
    check_accessibility(page)

    # The provider publishes another offering and sees the question it could answer.
    provider_page = _new_page(browser)
    log_in(provider_page, live_server, staff.email, staff.display_name)
    provider_page.goto(f"{live_server}/aanbod/{draft.slug}")
    provider_page.get_by_role("button", name="Publiceer").click()
    expect(flash(provider_page)).to_contain_text("Het aanbod is gepubliceerd")
    expect(provider_page.locator("main")).to_contain_text(question_title)
    check_accessibility(provider_page)
    provider_page.goto(f"{live_server}/aanbod/{fitting.slug}/deelnemers")
    expect(provider_page.locator("main")).to_contain_text("Fatima El Amrani")
    check_accessibility(provider_page)
    provider_page.context.close()

    # The teacher is told about the new fitting offering.
    page.goto(f"{live_server}/meldingen")
    expect(page.locator("main")).to_contain_text(question_title)
    check_accessibility(page)
