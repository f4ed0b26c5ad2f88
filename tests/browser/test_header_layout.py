"""The site header fits on one line at 1280 px wide (a common laptop screen), logged in as a
teacher with a long name, in Dutch and in English: the brand, every item of the main navigation,
the notifications, the language switch and the account links share one line. Narrower screens
may wrap; the header's links stay reachable with the keyboard, in page order."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

LONG_NAME = "Annemarie van der Heijden-Bakker"
#: Everything in the header a visitor sees; each must sit on the header's one line.
HEADER_PARTS = (
    ".site-header .brand, .site-header .nav-item, .site-header .notifications-link,"
    " .site-header .language-switch"
)


def _boxes(page: Page) -> list[dict[str, Any]]:
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map((el) => {
            const box = el.getBoundingClientRect();
            return {text: el.textContent.trim().replace(/\\s+/g, ' '),
                    top: box.top, bottom: box.bottom};
        })""",
        HEADER_PARTS,
    )


def _assert_one_line(page: Page) -> None:
    boxes = _boxes(page)
    assert len(boxes) >= 14, boxes  # brand, 9 main items, notifications, language, 3 account
    # One line: every part overlaps vertically with every other (a second line starts below
    # the bottom of the first).
    lowest_top = max(box["top"] for box in boxes)
    highest_bottom = min(box["bottom"] for box in boxes)
    assert lowest_top < highest_bottom, [
        (box["text"], round(box["top"])) for box in boxes if box["top"] >= highest_bottom
    ]
    tallest = max(box["bottom"] - box["top"] for box in boxes)
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    # One line of the tallest part, plus the header's padding and border.
    assert header["height"] < tallest + 32, header


@pytest.fixture
def long_named_teacher(create_user) -> str:
    user = create_user(display_name=LONG_NAME, preferred_language="nl")
    return user.email  # read here: the browser's thread has no app context


def test_the_header_fits_on_one_line_at_1280_px(page: Page, live_server: str, long_named_teacher):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/inloggen")
    page.get_by_label("E-mailadres").fill(long_named_teacher)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord", exact=True).press("Enter")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    expect(page.get_by_role("link", name=LONG_NAME)).to_be_visible()

    for path in ("/", "/gemeenschappen"):
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        _assert_one_line(page)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    for path in ("/", "/gemeenschappen"):
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        _assert_one_line(page)
    # The active page is still marked, and visibly so.
    active = page.locator(".main-nav .nav-link.active")
    expect(active).to_have_text("Communities")
    expect(active).to_have_attribute("aria-current", "page")
    expect(active).to_have_css("text-decoration-line", "underline")


def test_the_header_is_used_with_the_keyboard_at_1280_px(
    page: Page, live_server: str, long_named_teacher
):
    """Tab from the skip link through the header: every link and button in page order, each
    visible where it gets the focus."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/inloggen")
    page.get_by_label("E-mailadres").fill(long_named_teacher)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord", exact=True).press("Enter")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    focusable = page.locator(".site-header a, .site-header button")
    count = focusable.count()
    page.keyboard.press("Tab")  # the skip link
    for index in range(count):
        page.keyboard.press("Tab")
        expect(focusable.nth(index)).to_be_focused()
        expect(focusable.nth(index)).to_be_in_viewport()
