"""@mention suggestions while typing: keyboard only, announced, and inserted in full."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from plc.communities.models import MemberRole
from tests.conftest import PASSWORD


def test_mention_suggestions_with_the_keyboard(
    page: Page,
    live_server: str,
    check_accessibility: Callable[[Page], None],
    create_user,
    create_community,
    add_member,
) -> None:
    author = create_user(display_name="Sem Schrijver", email="sem@example.org")
    community = create_community(owner=author)
    add_member(community, create_user(display_name="Anouk Akkerman"), MemberRole.MEMBER)
    add_member(community, create_user(display_name="Anton Aarts"), MemberRole.MEMBER)
    page.goto(f"{live_server}/inloggen")
    page.locator("#email").fill("sem@example.org")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.goto(f"{live_server}/gemeenschappen/{community.slug}/gesprekken/nieuw")
    body = page.locator("#body")
    body.click()
    body.press_sequentially("Wat vind jij, @An")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(2)
    check_accessibility(page)
    body.press("ArrowDown")
    expect(listbox.get_by_role("option", name="Anton Aarts")).to_have_attribute(
        "aria-selected", "true"
    )
    body.press("Enter")
    expect(body).to_have_value("Wat vind jij, @Anton Aarts ")
    expect(listbox).to_be_hidden()
    expect(body).to_be_focused()
