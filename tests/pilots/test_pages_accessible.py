"""The pilot pages in a real browser: no serious or critical axe-core violations, no console
errors (a Content-Security-Policy violation is one), and a contact approves with the keyboard.

Playwright's sync API runs one instance per thread, and tests/browser keeps one open for the
whole session in the main thread; this test therefore drives its own Chromium from a thread of
its own, with the same settings (tests/browser/conftest.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from plc.pilots.models import PilotStatus
from tests.browser.conftest import CHROMIUM_ARGS, DEFAULT_TIMEOUT_MS
from tests.conftest import PASSWORD, chromium_path, require_service

pytestmark = pytest.mark.browser
Check = Callable[[Page], None]


@contextmanager
def _chromium_page() -> Iterator[Page]:
    """A page in a fresh Chromium; console errors and uncaught script errors fail the test."""
    executable = chromium_path()
    if executable is None:
        require_service(False, "Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page = context.new_page()
        problems: list[str] = []

        def on_console(message: Any) -> None:
            if message.type != "error":
                return
            where = (message.location or {}).get("url") or page.url
            if where == page.url and message.text.startswith("Failed to load resource"):
                return  # the page's own status: a form with errors answers 400 on purpose
            problems.append(f"console error on {where}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"uncaught error: {error}"))
        try:
            yield page
        finally:
            browser.close()
        if problems:
            pytest.fail("The browser reported errors:\n" + "\n".join(problems), pytrace=False)


def _in_own_thread(work: Callable[[], None]) -> None:
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # re-raised in the test's own thread
            failures.append(error)

    thread = threading.Thread(target=run, name="pilot-browser")
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def _log_in(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord", exact=True).press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()  # English from now on


def _visit(page: Page, live_server: str, check: Check, *paths: str) -> None:
    for path in paths:
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        check(page)


def test_pilot_pages(
    live_server: str, check_accessibility: Check, world, make_pilot, make_survey
) -> None:
    running = make_pilot(PilotStatus.RUNNING, title="Tafels in de praktijk")
    make_survey(running, responses=2, users=[world.member])
    proposal = make_pilot(title="Tafels voor iedereen")
    # Read here: the browser's thread has no app context.
    lead, contact = world.proposer.email, world.contact_school.email
    running_path, proposal_path = f"/pilots/{running.slug}", f"/pilots/{proposal.slug}"
    propose_path = f"/pilots/voorstellen?gemeenschap={world.community.slug}"

    def journey() -> None:
        with _chromium_page() as page:
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

    _in_own_thread(journey)
