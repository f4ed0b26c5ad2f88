"""The demand-and-supply page passes the axe check, per theme and per career stage, in Dutch
and in English, with a chart of several rows (and an empty network, which has no chart)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from plc.auth.models import CareerStage
from plc.catalogue import services
from plc.communities import services as community_services
from plc.communities.models import CommunityStatus
from plc.extensions import db
from tests.support.browser import log_in

Check = Callable[[Page], None]
PATHS = ("/vraag-en-aanbod", "/vraag-en-aanbod?per=loopbaanfase")


def test_demand_and_supply_pages(
    page: Page,
    live_server: str,
    check_accessibility: Check,
    create_user,
    create_theme,
    create_question,
    create_offering,
    create_community,
) -> None:
    formatief = create_theme("Formatief evalueren", name_en="Formative assessment")
    taal = create_theme("Taalgericht vakonderwijs", name_en="Language-oriented teaching")
    burgerschap = create_theme("Burgerschap", name_en="Citizenship")
    create_theme("Digitale geletterdheid", name_en="Digital literacy")
    question = create_question(themes=[formatief], career_stage=CareerStage.STARTER)
    services.support(question, create_user())
    create_question(themes=[formatief, taal], career_stage=CareerStage.EXPERIENCED)
    create_offering(themes=[taal], career_stages=[CareerStage.EXPERIENCED])
    create_offering(themes=[burgerschap])
    community = create_community(theme_ids=[burgerschap.id])
    community_services.set_status(community, CommunityStatus.ACTIVE)
    db.session.commit()
    coordinator = create_user(email="coordinator@example.org", is_coordinator=True)

    log_in(page, live_server, coordinator.email)
    for language_button in ("English", "Nederlands"):
        for path in PATHS:
            response = page.goto(f"{live_server}{path}")
            assert response is not None and response.status == 200, path
            expect(page.get_by_role("img", name="per")).to_be_visible()
            expect(page.get_by_role("table")).to_be_visible()
            check_accessibility(page)
        page.get_by_role("button", name=language_button).click()


def test_demand_and_supply_page_without_data(
    page: Page, live_server: str, check_accessibility: Check, create_user, create_provider
) -> None:
    _, staff = create_provider()
    log_in(page, live_server, staff.email)
    response = page.goto(f"{live_server}/vraag-en-aanbod")
    assert response is not None and response.status == 200
    expect(page.get_by_role("img", name="per")).to_have_count(0)
    check_accessibility(page)
