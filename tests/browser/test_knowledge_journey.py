"""Browser journey of a knowledge output: a facilitator drafts it with a file and sends it for
review; a colleague approves it; an anonymous visitor finds it by searching the knowledge base
and downloads the file; a school leader says the school uses it, and the community sees which
school. Every page is checked with axe-core, as are the API docs and the follow page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from plc.communities.models import MemberRole
from plc.organisations.models import OrganisationRole
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.browser.test_community_journey import expect_path, flash, log_in

Check = Callable[[Page], None]
CSV = "week;oefening\n1;tafel van 3\n2;tafel van 4\n"


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context.new_page()


def test_draft_review_find_download_and_use(
    page: Page,
    browser: Browser,
    live_server: str,
    check_accessibility: Check,
    tmp_path: Path,
    create_user,
    create_community,
    create_organisation,
    create_theme,
    give_role,
    add_member,
) -> None:
    owner = create_user(display_name="Wouter Lammers")
    community = create_community(owner, name="Rekenen in de bovenbouw")
    facilitator = create_user(display_name="Daan Visser")
    add_member(community, facilitator, MemberRole.FACILITATOR)
    create_theme("Rekendidactiek")
    school = create_organisation(name="Het Amsterdams Lyceum")
    leader = create_user(display_name="Yusuf Demir")
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    knowledge = f"{live_server}/gemeenschappen/{community.slug}/kennis"
    handout = tmp_path / "oefenschema tafels.csv"
    handout.write_text(CSV, encoding="utf-8")

    # The facilitator writes a draft, attaches a file and sends it for review.
    log_in(page, live_server, facilitator.email, "Daan Visser")
    page.goto(knowledge)
    check_accessibility(page)
    page.get_by_role("link", name="Schrijf een kennisopbrengst").click()
    check_accessibility(page)
    page.get_by_label("Soort").select_option(label="Handreiking")
    page.get_by_label("Titel", exact=True).fill("Zo automatiseer je de tafels")
    page.get_by_label("Samenvatting").fill("Tien minuten per dag, in vaste stappen.")
    page.get_by_label("Tekst", exact=True).fill("## Aanpak\n\nElke dag tien minuten oefenen.")
    page.get_by_label("Rekendidactiek").check()
    page.get_by_role("button", name="Concept opslaan").click()
    expect(flash(page)).to_contain_text("Het concept is opgeslagen.")
    check_accessibility(page)
    page.get_by_label("Bestand", exact=True).set_input_files(str(handout))
    page.get_by_role("button", name="Voeg het bestand toe").click()
    expect(flash(page)).to_contain_text("“oefenschema tafels.csv” is toegevoegd.")
    page.get_by_role("link", name="Annuleren").click()
    check_accessibility(page)
    page.get_by_role("button", name="Stuur ter beoordeling").click()
    expect(flash(page)).to_contain_text("Ter beoordeling gestuurd.")
    expect(page.get_by_role("button", name="Goedkeuren en publiceren")).to_have_count(0)
    review_url = page.url

    # A colleague who did not write it approves it, from the review notification.
    colleague = _new_page(browser)
    log_in(colleague, live_server, owner.email, "Wouter Lammers")
    colleague.goto(f"{live_server}/meldingen")
    colleague.get_by_role(
        "link", name="Daan Visser vraagt je “Zo automatiseer je de tafels” te beoordelen"
    ).click()
    expect_path(colleague, review_url.removeprefix(live_server))
    check_accessibility(colleague)
    colleague.get_by_label("Toelichting voor de auteurs").fill("Helder en bruikbaar.")
    colleague.get_by_role("button", name="Goedkeuren en publiceren").click()
    expect(flash(colleague)).to_contain_text("Goedgekeurd en gepubliceerd")
    colleague.context.close()

    # An anonymous visitor finds it by searching and downloads the file.
    visitor = _new_page(browser)
    visitor.goto(f"{live_server}/kennisbank")
    check_accessibility(visitor)
    visitor.get_by_label("Zoeken", exact=True).fill("tafels automatiseer")
    visitor.get_by_role("button", name="Tonen").click()
    check_accessibility(visitor)
    visitor.get_by_role("link", name="Zo automatiseer je de tafels").click()
    expect_path(visitor, "/kennisbank/zo-automatiseer-je-de-tafels")
    expect(visitor.locator("body")).to_contain_text("Daan Visser")
    check_accessibility(visitor)
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="oefenschema tafels.csv").click()
    download = download_info.value
    assert download.suggested_filename == "oefenschema tafels.csv"
    assert Path(download.path()).read_text(encoding="utf-8") == CSV
    visitor.context.close()

    # A school leader says the school uses it; the community sees which school.
    leader_page = _new_page(browser)
    log_in(leader_page, live_server, leader.email, "Yusuf Demir")
    leader_page.goto(f"{live_server}/kennisbank/zo-automatiseer-je-de-tafels")
    leader_page.get_by_label("Hoe gebruikt je school het? (niet verplicht)").fill(
        "In alle brugklassen bij rekenen."
    )
    leader_page.get_by_role("button", name="Wij gebruiken dit").click()
    expect(flash(leader_page)).to_contain_text("Het Amsterdams Lyceum telt mee als gebruiker.")
    check_accessibility(leader_page)
    leader_page.goto(f"{live_server}/kennisbank/volgen")
    check_accessibility(leader_page)
    leader_page.context.close()

    page.goto(review_url)
    expect(page.locator("body")).to_contain_text("Het Amsterdams Lyceum")
    expect(page.locator("body")).to_contain_text("In alle brugklassen bij rekenen.")
    page.goto(f"{live_server}/api/docs")
    check_accessibility(page)
