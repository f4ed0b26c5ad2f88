"""A live server and a real browser: the equipment for tests that drive Chromium.

- `live_server`: the session's `app`, served over plain HTTP on 127.0.0.1 (a free port) by
  Werkzeug in a background thread, for the whole session. Each request gets its own thread and
  its own app context, as in production; the database is the session's (SQLite file or
  PostgreSQL), emptied after each test by the autouse `app_context` fixture.
- `browser`: the system's Chromium through Playwright (never downloaded), one per session.
- `page`: a fresh browser context per test (Dutch locale, Amsterdam time). Any console error
  (a Content-Security-Policy violation, a failed resource) or uncaught script error fails the test.
- `check_accessibility(page)`: runs axe-core (served from our own /static, so the CSP allows it)
  against WCAG 2.0/2.1 A and AA and fails on every serious or critical violation.

Every test in this folder is marked `browser`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import chromium_path, require_service

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

HERE = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Playwright waits at most this long (ms) for an element or a navigation: a local server answers
#: in milliseconds, so a longer wait only delays the report of a real failure.
DEFAULT_TIMEOUT_MS = 10_000

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_BLOCKING_IMPACTS = ("serious", "critical")
AXE_MAX_TARGETS = 3


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


# -- server ------------------------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request (pytest would show them all on a failure)."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """Base URL (no trailing slash) of the app served over HTTP in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


# -- browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        require_service(False, "Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a dev dependency
        require_service(False, "Playwright is not installed (pip install -e '.[dev]')")
        raise
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A page in a fresh context; fails the test on console errors and uncaught script errors."""
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            where = location.get("url") or page.url
            if where == page.url and message.text.startswith("Failed to load resource"):
                return  # the page's own status (a 404 page on purpose); tests assert it themselves
            problems.append(f"console error on {where}: {message.text}")

    def on_page_error(error: Any) -> None:
        problems.append(f"uncaught error on {page.url}: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        yield page
    finally:
        context.close()
    if problems:
        pytest.fail("The browser reported errors:\n" + "\n".join(problems), pytrace=False)


# -- accessibility -----------------------------------------------------------------------------


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core: {len(violations)} serious/critical WCAG 2.1 A/AA violation(s) on {url}"]
    for violation in violations:
        nodes = violation.get("nodes", [])
        targets = [" ".join(map(str, node.get("target", []))) for node in nodes]
        shown = ", ".join(targets[:AXE_MAX_TARGETS])
        more = (
            f" (+{len(targets) - AXE_MAX_TARGETS} more)" if len(targets) > AXE_MAX_TARGETS else ""
        )
        lines.append(
            f"- [{violation.get('impact')}] {violation.get('id')}: {violation.get('help')}"
            f" — {len(nodes)} element(s): {shown}{more}"
        )
        if nodes and nodes[0].get("failureSummary"):
            summary = " ".join(str(nodes[0]["failureSummary"]).split())
            lines.append(f"    first: {summary}")
        lines.append(f"    see {violation.get('helpUrl')}")
    return "\n".join(lines)


@pytest.fixture
def check_accessibility(live_server: str) -> Callable[[Page], None]:
    """`check_accessibility(page)`: fail on serious or critical axe-core violations."""
    axe_url = f"{live_server}/static/vendor/axe-core/axe.min.js"

    def check(page: Page) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.add_script_tag(url=axe_url)
        results = page.evaluate(
            """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})""",
            AXE_TAGS,
        )
        blocking = [v for v in results["violations"] if v.get("impact") in AXE_BLOCKING_IMPACTS]
        if blocking:
            pytest.fail(format_violations(page.url, blocking), pytrace=False)

    return check
