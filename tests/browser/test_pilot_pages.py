"""The pilot pages in a real browser: no serious or critical axe-core violations, no console
errors (a Content-Security-Policy violation is one), forms with errors tied to their fields, and
a contact who approves with the keyboard."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from plc.pilots.models import PilotStatus
from tests.pilots import conftest as pilot_fixtures
from tests.support.browser import log_in

Check = Callable[[Page], None]

# The pilot tests' fixtures, shared with this module.
world = pilot_fixtures.world
make_pilot = pilot_fixtures.make_pilot
make_survey = pilot_fixtures.make_survey


def _log_in(page: Page, live_server: str, email: str) -> None:
    log_in(page, live_server, email, log_out_button="Log out")


def _visit(page: Page, live_server: str, check: Check, *paths: str) -> None:
    for path in paths:
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        check(page)


def test_pilot_pages(
    page: Page, live_server: str, check_accessibility: Check, world, make_pilot, make_survey
) -> None:
    running = make_pilot(PilotStatus.RUNNING, title="Tafels in de praktijk")
    make_survey(running, responses=2, users=[world.member])
    proposal = make_pilot(title="Tafels voor iedereen")
    # Read here: the browser's thread has no app context.
    lead, contact = world.proposer.email, world.contact_school.email
    running_path, proposal_path = f"/pilots/{running.slug}", f"/pilots/{proposal.slug}"
    propose_path = f"/pilots/voorstellen?gemeenschap={world.community.slug}"

    _visit(page, live_server, check_accessibility, "/pilots", running_path)

    _log_in(page, live_server, lead)
    _visit(
        page,
        live_server,
        check_accessibility,
        "/pilots",
        proposal_path,
        running_path,
        f"{running_path}/bewerken",
        f"{proposal_path}/bewerken",
        propose_path,
    )
    # A form with errors: the messages are tied to their fields.
    page.get_by_label("Title").fill("Nog een pilot")
    page.get_by_role("button", name="Propose the pilot").click()
    expect(page.get_by_text("Please correct the fields marked below.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Add another organisation").click()
    expect(page.get_by_role("group", name="Organisation 4")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # A contact approves with the keyboard only.
    _log_in(page, live_server, contact)
    page.goto(f"{live_server}{proposal_path}")
    check_accessibility(page)
    page.get_by_role("button", name="Approve for Het Noordlicht").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your approval is recorded.")
    expect(page.get_by_role("heading", name="Waiting for your approval")).to_have_count(0)
    check_accessibility(page)
