"""A community's life in a real browser: a teacher finds a cross-school community in the
directory, joins and leaves it; a facilitator approves a request to join an on-request
community. Every page is checked with axe-core; forms are driven with the keyboard where a
person would."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from plc.communities import services
from plc.communities.models import MemberRole, Visibility
from plc.extensions import db
from plc.organisations.models import OrganisationRole
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.conftest import PASSWORD

Check = Callable[[Page], None]

CROSS_SCHOOL = "Formatief evalueren in de onderbouw"
SAME_WORD_ONE_SCHOOL = "Formatief handelen in het mbo"
OTHER = "Rekenen met jonge kinderen"


def expect_path(page: Page, path: str) -> None:
    expect(page).to_have_url(re.compile(rf"^[^?#]*//[^/]+{re.escape(path)}(?:[?#].*)?$"))


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Hoofdnavigatie")


def flash(page: Page) -> Locator:
    return page.locator(".flash-area")


def log_in(page: Page, live_server: str, email: str, name: str) -> None:
    """Through the real login form, submitted with Enter."""
    page.goto(f"{live_server}/inloggen")
    page.get_by_label("E-mailadres", exact=True).fill(email)
    password = page.get_by_label("Wachtwoord", exact=True)
    password.fill(PASSWORD)
    password.press("Enter")
    expect_path(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom terug, {name}")


def test_find_join_and_leave_a_community(
    page: Page,
    live_server: str,
    check_accessibility: Check,
    create_user,
    create_organisation,
    give_role,
    create_community,
) -> None:
    lyceum = create_organisation(name="Amstel Lyceum")
    college = create_organisation(name="Zuiderzee College")
    owner = create_user(display_name="Joost Visser")
    give_role(owner, lyceum)
    leader = create_user(display_name="Mirjam de Boer")
    give_role(leader, college, OrganisationRole.SCHOOL_LEADER)
    community = create_community(
        owner,
        lyceum,
        name=CROSS_SCHOOL,
        summary="Samen feedback geven die leerlingen verder helpt.",
    )
    row = services.invite_co_owner(community, college, owner)
    services.decide_co_ownership(row, accept=True, contact=leader, acting=leader)
    db.session.commit()
    create_community(name=SAME_WORD_ONE_SCHOOL, summary="Feedback in de beroepspraktijk.")
    create_community(name=OTHER, summary="Gecijferdheid in groep 1 tot en met 4.")
    teacher = create_user(display_name="Sanne Bakker")
    give_role(teacher, create_organisation(name="Basisschool De Pijp"))

    log_in(page, live_server, teacher.email, teacher.display_name)
    check_accessibility(page)

    # -- the directory, through the main navigation ---------------------------------------------
    main_nav(page).get_by_role("link", name="Leergemeenschappen").click()
    expect_path(page, "/gemeenschappen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leergemeenschappen")
    expect(page.get_by_role("heading", name="3 leergemeenschappen")).to_be_visible()
    check_accessibility(page)

    # -- search by a word, submitted with Enter --------------------------------------------------
    search = page.get_by_role("searchbox", name="Zoeken")
    search.fill("formatief")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=formatief(?:&|$)"))
    results = page.get_by_role("region", name="2 leergemeenschappen")
    expect(results).to_be_visible()
    cards = results.get_by_role("article")
    expect(cards).to_have_count(2)
    expect(cards.get_by_role("link", name=CROSS_SCHOOL)).to_be_visible()
    expect(cards.get_by_role("link", name=SAME_WORD_ONE_SCHOOL)).to_be_visible()
    expect(results.get_by_role("link", name=OTHER)).to_have_count(0)
    cross_card = cards.filter(has=page.get_by_role("link", name=CROSS_SCHOOL))
    expect(cross_card.get_by_text("School-overstijgend", exact=True)).to_be_visible()
    expect(cross_card).to_contain_text("Amstel Lyceum, Zuiderzee College")
    single_card = cards.filter(has=page.get_by_role("link", name=SAME_WORD_ONE_SCHOOL))
    expect(single_card.get_by_text("School-overstijgend", exact=True)).to_have_count(0)
    expect(search).to_have_value("formatief")
    check_accessibility(page)

    # -- only cross-school ones: the search word is kept -----------------------------------------
    cross_only = page.get_by_label("Alleen school-overstijgende leergemeenschappen", exact=True)
    expect(cross_only).not_to_be_checked()
    cross_only.check()
    page.get_by_role("button", name="Tonen").click()
    expect(page).to_have_url(re.compile(r"[?&]schooloverstijgend=1(?:&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]q=formatief(?:&|$)"))
    results = page.get_by_role("region", name="1 leergemeenschap")
    expect(results.get_by_role("article")).to_have_count(1)
    expect(results.get_by_role("link", name=CROSS_SCHOOL)).to_be_visible()
    expect(page.get_by_label("Alleen school-overstijgende leergemeenschappen")).to_be_checked()
    check_accessibility(page)

    # -- the community: badge and co-owners ------------------------------------------------------
    results.get_by_role("link", name=CROSS_SCHOOL).click()
    expect_path(page, f"/gemeenschappen/{community.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text(CROSS_SCHOOL)
    main = page.get_by_role("main")
    expect(main.get_by_text("School-overstijgend", exact=True)).to_be_visible()
    co_owners = page.get_by_role("region", name="Mede-eigenaren")
    expect(co_owners.get_by_role("listitem")).to_have_text(
        [
            re.compile(r"Amstel Lyceum\s+Contactpersoon: Joost Visser"),
            re.compile(r"Zuiderzee College\s+Contactpersoon: Mirjam de Boer"),
        ]
    )
    expect(co_owners.get_by_role("link", name="Zuiderzee College")).to_be_visible()
    leave_button = page.get_by_role("button", name="Deze leergemeenschap verlaten")
    expect(leave_button).to_have_count(0)
    check_accessibility(page)

    # -- join -------------------------------------------------------------------------------------
    page.get_by_role("button", name="Lid worden van deze leergemeenschap").click()
    expect_path(page, f"/gemeenschappen/{community.slug}")
    expect(flash(page)).to_contain_text("Welkom! Je bent nu lid van deze leergemeenschap.")
    expect(leave_button).to_be_visible()
    expect(page.get_by_role("button", name="Lid worden van deze leergemeenschap")).to_have_count(0)
    facts = page.get_by_role("region", name="In het kort")
    expect(facts.get_by_role("link", name="2 leden")).to_be_visible()  # the member count
    check_accessibility(page)

    # -- the start page (the brand link) lists it --------------------------------------------------
    page.get_by_role("link", name="Leernetwerk Amsterdam", exact=True).click()
    expect_path(page, "/")
    mine = page.get_by_role("region", name="Mijn leergemeenschappen")
    expect(mine.get_by_role("article")).to_have_count(1)
    expect(mine.get_by_role("link", name=CROSS_SCHOOL)).to_be_visible()
    expect(mine).not_to_contain_text("Je bent nog geen lid van een leergemeenschap.")
    check_accessibility(page)

    # -- leave it again, from the community page ---------------------------------------------------
    mine.get_by_role("link", name=CROSS_SCHOOL).click()
    expect_path(page, f"/gemeenschappen/{community.slug}")
    page.get_by_role("button", name="Deze leergemeenschap verlaten").click()
    expect_path(page, f"/gemeenschappen/{community.slug}")
    expect(flash(page)).to_contain_text("Je hebt de leergemeenschap verlaten.")
    expect(page.get_by_role("button", name="Lid worden van deze leergemeenschap")).to_be_visible()
    expect(page.get_by_role("button", name="Deze leergemeenschap verlaten")).to_have_count(0)
    check_accessibility(page)

    # -- and it is gone from the start page ("Home" in the main navigation) ------------------------
    main_nav(page).get_by_role("link", name="Home", exact=True).click()
    expect_path(page, "/")
    mine = page.get_by_role("region", name="Mijn leergemeenschappen")
    expect(mine.get_by_role("article")).to_have_count(0)
    expect(mine.get_by_role("link", name=CROSS_SCHOOL)).to_have_count(0)
    expect(mine).to_contain_text("Je bent nog geen lid van een leergemeenschap.")
    check_accessibility(page)


def _second_context(browser: Browser) -> tuple[BrowserContext, Page, list[str]]:
    """Another person's browser: its own cookies; console errors collected as `page` does."""
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    other = context.new_page()
    problems: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            problems.append(f"console error on {other.url}: {message.text}")

    other.on("console", on_console)
    other.on("pageerror", lambda error: problems.append(f"uncaught error on {other.url}: {error}"))
    return context, other, problems


def test_facilitator_approves_a_request_to_join(
    page: Page,
    browser: Browser,
    live_server: str,
    check_accessibility: Check,
    create_user,
    create_organisation,
    give_role,
    create_community,
    add_member,
) -> None:
    school = create_organisation(name="Montessori Oost")
    owner = create_user(display_name="Kees Mulder")
    give_role(owner, school)
    community = create_community(
        owner,
        school,
        name="Begrijpend lezen in groep 5 tot 8",
        summary="Teksten kiezen en bespreken die kinderen uitdagen.",
        description="We lezen elke maand een artikel en proberen het uit in de klas.",
        visibility=Visibility.REQUEST,
    )
    facilitator = create_user(display_name="Fleur Jansen")
    add_member(community, facilitator, MemberRole.FACILITATOR)
    teacher = create_user(display_name="Noor El Amrani")
    note = "Ik geef les in groep 6 en wil graag meelezen."
    home = f"{live_server}/gemeenschappen/{community.slug}"
    members = f"{home}/leden"

    # -- teacher A asks to join (keyboard: Tab from the note to the button, Enter) ---------------
    log_in(page, live_server, teacher.email, teacher.display_name)
    page.goto(home)
    expect(page.get_by_role("heading", level=1)).to_have_text(community.name)
    expect(page.get_by_role("main").get_by_text("Op aanvraag", exact=True)).to_be_visible()
    expect(
        page.get_by_text("Alleen leden kunnen lezen wat er in deze leergemeenschap gebeurt.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Over deze leergemeenschap")).to_have_count(0)
    check_accessibility(page)

    note_field = page.get_by_label("Waarom wil je lid worden? (optioneel)", exact=True)
    note_field.fill(note)
    note_field.press("Tab")
    ask = page.get_by_role("button", name="Vragen om lid te worden")
    expect(ask).to_be_focused()
    ask.press("Enter")

    expect_path(page, f"/gemeenschappen/{community.slug}")
    expect(flash(page)).to_contain_text("Je aanvraag is naar de begeleiders gestuurd.")
    expect(
        page.get_by_text(
            "Je hebt gevraagd om lid te worden. Een begeleider beslist daar binnenkort over."
        )
    ).to_be_visible()
    expect(page.get_by_role("button", name="Vragen om lid te worden")).to_have_count(0)
    expect(page.get_by_role("button", name="Deze leergemeenschap verlaten")).to_have_count(0)
    check_accessibility(page)

    # -- not a member yet: the member list does not exist for A -----------------------------------
    response = page.goto(members)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    expect(page.get_by_text(note)).to_have_count(0)
    check_accessibility(page)
    page.go_back()
    expect_path(page, f"/gemeenschappen/{community.slug}")

    # -- the facilitator approves, in a second browser ---------------------------------------------
    context, other, problems = _second_context(browser)
    try:
        log_in(other, live_server, facilitator.email, facilitator.display_name)
        other.goto(home)
        facts = other.get_by_role("region", name="In het kort")
        expect(facts).to_contain_text("Fleur Jansen, Kees Mulder")  # the facilitators
        check_accessibility(other)
        facts.get_by_role("link", name="2 leden").click()  # the member count links to the list

        expect_path(other, f"/gemeenschappen/{community.slug}/leden")
        expect(other.get_by_role("heading", level=1)).to_have_text("Leden")
        requests = other.get_by_role("region", name="Aanvragen om lid te worden")
        request = requests.get_by_role("listitem").filter(has_text="Noor El Amrani")
        expect(request).to_contain_text(note)
        table = other.get_by_role("table", name="Leden")
        expect(table.get_by_role("cell", name="Noor El Amrani", exact=True)).to_have_count(0)
        check_accessibility(other)

        approve = request.get_by_role("button", name="Goedkeuren Noor El Amrani")
        expect(approve).to_have_text(re.compile(r"^\s*Goedkeuren\s+Noor El Amrani\s*$"))
        approve.click()

        expect_path(other, f"/gemeenschappen/{community.slug}/leden")
        expect(flash(other)).to_contain_text("De aanvraag is goedgekeurd.")
        expect(other.get_by_role("region", name="Aanvragen om lid te worden")).to_have_count(0)
        row = table.get_by_role("row").filter(
            has=other.get_by_role("cell", name="Noor El Amrani", exact=True)
        )
        expect(row).to_have_count(1)
        expect(row.get_by_role("cell").nth(3)).to_have_text("Lid")
        expect(table.get_by_role("row")).to_have_count(4)  # a header row and three members
        check_accessibility(other)
    finally:
        context.close()
    assert not problems, "The facilitator's browser reported errors:\n" + "\n".join(problems)

    # -- back in A's browser: reloading the community page shows a member's view ------------------
    page.reload()
    expect_path(page, f"/gemeenschappen/{community.slug}")
    expect(page.get_by_role("heading", name="Over deze leergemeenschap")).to_be_visible()
    expect(page.get_by_text("We lezen elke maand een artikel")).to_be_visible()
    expect(page.get_by_role("button", name="Deze leergemeenschap verlaten")).to_be_visible()
    expect(
        page.get_by_text("Je hebt gevraagd om lid te worden. Een begeleider beslist daar")
    ).to_have_count(0)
    expect(
        page.get_by_role("region", name="In het kort").get_by_role("link", name="3 leden")
    ).to_be_visible()
    check_accessibility(page)
