"""The site header in two rows from 992 px wide (a small laptop up to a wide screen): the brand
with the notifications, the language switch and the account links on the first, every item of
the main navigation on the second, each row on one line; for a teacher with a long name and for
an administrator (one more link), in Dutch and in English, in the site's normal type with the
logo's words. Narrower screens may wrap; the header's links stay reachable with the keyboard, in
the order they are seen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import log_in

LONG_NAME = "Annemarie van der Heijden-Bakker"
FIRST_ROW = (
    ".site-header .brand, .site-header .notifications-link, .site-header .language-switch,"
    " .site-header .account-nav .nav-item"
)
SECOND_ROW = ".site-header .main-nav .nav-item"


def _boxes(page: Page, selector: str) -> list[dict[str, Any]]:
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map((el) => {
            const box = el.getBoundingClientRect();
            return {text: el.textContent.trim().replace(/\\s+/g, ' '),
                    top: box.top, bottom: box.bottom};
        })""",
        selector,
    )


def _one_line(boxes: list[dict[str, Any]]) -> None:
    """Every part overlaps vertically with every other (a wrapped part starts below the
    bottom of the first line)."""
    lowest_top = max(box["top"] for box in boxes)
    highest_bottom = min(box["bottom"] for box in boxes)
    assert lowest_top < highest_bottom, [
        (box["text"], round(box["top"])) for box in boxes if box["top"] >= highest_bottom
    ]


def _assert_two_rows(page: Page, account_items: int) -> None:
    # After a click that loads a new page, its elements can be visible before its stylesheet
    # has loaded; boxes measured then are those of an unstyled page.
    page.wait_for_load_state("load")
    first, second = _boxes(page, FIRST_ROW), _boxes(page, SECOND_ROW)
    assert len(first) == 3 + account_items, first  # brand, notifications, language, account
    assert len(second) == 9, second
    _one_line(first)
    _one_line(second)
    assert min(box["top"] for box in second) >= max(box["bottom"] for box in first) - 1
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    rows = max(b["bottom"] for b in second) - min(b["top"] for b in first)
    assert header["height"] < rows + 32, header  # two rows and the padding: no third
    # The site's own type and the logo's words, as on every other page.
    expect(page.locator(".site-header .main-nav .nav-link").first).to_have_css("font-size", "16px")
    brand = page.locator(".site-header .brand span").bounding_box()
    assert brand is not None and brand["width"] > 100, brand


@pytest.fixture
def long_named_teacher(create_user) -> str:
    user = create_user(display_name=LONG_NAME, preferred_language="nl")
    return user.email  # read here: the browser's thread has no app context


@pytest.fixture
def administrator(create_user) -> str:
    return create_user(display_name="Beheerder Bos", is_admin=True, preferred_language="nl").email


@pytest.mark.parametrize("width", [1280, 992])
def test_the_header_has_two_rows_each_on_one_line(
    page: Page, live_server: str, long_named_teacher, width: int
):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server, long_named_teacher)
    expect(page.get_by_role("link", name=LONG_NAME)).to_be_visible()

    for path in ("/", "/gemeenschappen"):
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        _assert_two_rows(page, account_items=3)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    for path in ("/", "/gemeenschappen"):
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        _assert_two_rows(page, account_items=3)
    # The active page is still marked, and visibly so.
    active = page.locator(".main-nav .nav-link.active")
    expect(active).to_have_text("Communities")
    expect(active).to_have_attribute("aria-current", "page")
    expect(active).to_have_css("text-decoration-line", "underline")


def test_an_administrators_header_has_two_rows_in_english_at_992_px(
    page: Page, live_server: str, administrator
):
    page.set_viewport_size({"width": 992, "height": 800})
    log_in(page, live_server, administrator)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="Administration")).to_be_visible()
    _assert_two_rows(page, account_items=4)


def test_a_visitors_header_has_two_rows(page: Page, live_server: str):
    page.set_viewport_size({"width": 992, "height": 800})
    page.goto(f"{live_server}/kennisbank")
    first = _boxes(page, FIRST_ROW)
    assert len(first) == 4, first  # brand, language, log in, create account
    _one_line(first)
    _one_line(_boxes(page, SECOND_ROW))


def test_the_header_is_used_with_the_keyboard_at_1280_px(
    page: Page, live_server: str, long_named_teacher
):
    """Tab from the skip link through the header: every link and button in page order, each
    visible where it gets the focus, the first row before the second."""
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, long_named_teacher)

    focusable = page.locator(".site-header a, .site-header button")
    count = focusable.count()
    page.keyboard.press("Tab")  # the skip link
    for index in range(count):
        page.keyboard.press("Tab")
        expect(focusable.nth(index)).to_be_focused()
        expect(focusable.nth(index)).to_be_in_viewport()
