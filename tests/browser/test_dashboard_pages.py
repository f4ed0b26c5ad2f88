"""The dashboards in a real browser: the overview, a school's page (each part), its board's
page and the network page, with charts, tables and hidden small groups, in English and in
Dutch; no console errors (the CSP forbids inline scripts and styles) and no serious axe
violations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from playwright.sync_api import Page, expect

from plc.auth.models import CareerStage
from plc.core.models import utcnow
from plc.development.models import PersonalGoal, RecordSharing
from plc.extensions import db
from tests.conftest import PASSWORD
from tests.dashboards import conftest as dashboard_fixtures

Check = Callable[[Page], None]

# The dashboard tests' builders, shared with this module.
person = dashboard_fixtures.person
world = dashboard_fixtures.world
add_teachers = dashboard_fixtures.add_teachers
join = dashboard_fixtures.join
attend = dashboard_fixtures.attend
enrol = dashboard_fixtures.enrol


def _log_in(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/inloggen")
    page.locator("input[name=email]").fill(email)  # in whichever language the browser chose
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page.locator("form[action='/uitloggen'] button")).to_be_visible()


def _visit_in_both_languages(page: Page, live_server: str, check: Check, paths: list[str]) -> None:
    for language in ("Nederlands", "English"):  # these people read English first
        for path in paths:
            response = page.goto(f"{live_server}{path}")
            assert response is not None and response.status == 200, path
            check(page)
        page.get_by_role("button", name=language).click()


def test_dashboards_in_both_languages(
    page: Page,
    live_server: str,
    check_accessibility: Check,
    world,
    add_teachers,
    join,
    attend,
    enrol,
    create_offering,
) -> None:
    experienced = add_teachers(world.school, 8, CareerStage.EXPERIENCED)
    starters = add_teachers(world.school, 3, CareerStage.STARTER)  # a group too small to show
    others = add_teachers(world.other, 6, CareerStage.EXPERT)
    join(experienced + starters + others, world.community)
    attend(experienced + starters)
    attend(experienced + others, day=world.day + timedelta(days=30), minutes=90)
    enrol(experienced, create_offering(themes=[world.theme], contact_minutes=180), completed=True)
    db.session.add(PersonalGoal(user_id=experienced[0].id, title="Feedback", shared_at=utcnow()))
    db.session.add(RecordSharing(user_id=experienced[0].id, shared_at=utcnow()))
    db.session.commit()
    school, board = world.school.slug, world.board.slug

    _log_in(page, live_server, world.hr.email)
    _visit_in_both_languages(
        page,
        live_server,
        check_accessibility,
        [
            "/dashboard",
            f"/dashboard/school/{school}",
            f"/dashboard/school/{school}?onderdeel=sessies",
            f"/dashboard/school/{school}?onderdeel=aanbod",
            f"/dashboard/bestuur/{board}?onderdeel=sessies",
        ],
    )
    page.goto(f"{live_server}/dashboard/school/{school}?onderdeel=sessies")
    expect(page.locator("rect.dash-fill-0").first).to_be_attached()
    expect(page.get_by_role("table").first).to_be_visible()
    expect(page.get_by_role("cell", name="fewer than 5").first).to_be_visible()
    # the year can be chosen without script
    page.locator("#jaar").select_option(index=1)
    page.locator("form.dash-year-form button[type=submit]").click()
    expect(page).to_have_url(
        f"{live_server}/dashboard/school/{school}?jaar={world.year.start - 1}-{world.year.start}&onderdeel=sessies"
    )

    page.locator("form[action='/uitloggen'] button").click()
    _log_in(page, live_server, world.coordinator.email)
    _visit_in_both_languages(
        page, live_server, check_accessibility, ["/dashboard", "/dashboard/netwerk"]
    )
