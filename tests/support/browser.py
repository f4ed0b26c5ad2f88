"""Browser steps that many pages' tests share."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD


def log_in(
    page: Page,
    live_server: str,
    email: str,
    *,
    password: str = PASSWORD,
    log_out_button: str = "Uitloggen",
) -> None:
    """Log in through the login form, and wait until the header offers to log out: in Dutch,
    or in the person's own language (`log_out_button="Log out"` for someone who chose English)."""
    page.goto(f"{live_server}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_label("Wachtwoord", exact=True).press("Enter")
    expect(page.get_by_role("button", name=log_out_button)).to_be_visible()
