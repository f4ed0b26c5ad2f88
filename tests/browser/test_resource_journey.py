"""Browser journey for the resource library: a member shares a file through the form (after a
refused one), finds it in the library, downloads it with the safe headers; an outsider gets 404.
Every page is checked with axe-core.

Texts are looked up in Dutch through the catalogue (`nl`), so the test holds both before and
after the new strings are translated."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import Browser, Page, expect

from plc.communities.models import Visibility
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.browser.test_community_journey import expect_path, flash, log_in
from tests.resources.conftest import PDF, PNG

Check = Callable[[Page], None]


def nl(message: str, **values: Any) -> str:
    """What the Dutch page shows for `message` (the English text while it is untranslated)."""
    with force_locale("nl"):
        return gettext(message, **values)


def nl_count(singular: str, plural: str, number: int) -> str:
    with force_locale("nl"):
        return ngettext(singular, plural, number)


def test_share_find_and_download_a_file(
    page: Page,
    browser: Browser,
    live_server: str,
    check_accessibility: Check,
    tmp_path: Path,
    create_user,
    create_community,
    add_member,
) -> None:
    owner = create_user(display_name="Wouter Lammers")
    community = create_community(
        owner,
        name="Lesson study wiskunde",
        summary="Samen een wiskundeles ontwerpen, geven en bespreken.",
        visibility=Visibility.INVITE,
    )
    member = create_user(display_name="Priya Ramsaran")
    add_member(community, member)
    outsider = create_user(display_name="Kees Mulder")
    home = f"/gemeenschappen/{community.slug}"
    library = f"{home}/materiaal"
    title = "Sjabloon lesontwerp"
    good = tmp_path / "Sjabloon lesontwerp.pdf"
    good.write_bytes(PDF)
    wrong = tmp_path / "foto.pdf"
    wrong.write_bytes(PNG)

    # -- the community home: an empty panel with the way to share -------------------------------
    log_in(page, live_server, member.email, member.display_name)
    page.goto(live_server + home)
    panel = page.get_by_role("region", name=nl("Newest resources"))
    expect(panel).to_contain_text(nl("Nothing has been shared here yet."))
    check_accessibility(page)
    panel.get_by_role("link", name=nl("Share a file or link")).click()
    expect_path(page, f"{library}/nieuw")
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Share a file or link"))
    check_accessibility(page)

    # -- a PNG named .pdf is refused; what was typed stays ---------------------------------------
    form = page.get_by_role("main").locator("form")
    expect(form.get_by_label(nl("A file"), exact=True)).to_be_checked()
    form.get_by_label(nl("File"), exact=True).set_input_files(str(wrong))
    form.get_by_label(nl("Title"), exact=True).fill(title)
    form.get_by_label(nl("Description"), exact=True).fill("Met een kolom voor **voorspellingen**.")
    form.get_by_role("button", name=nl("Share"), exact=True).click()
    expect_path(page, f"{library}/nieuw")
    file_field = form.get_by_label(nl("File"), exact=True)
    expect(file_field).to_have_attribute("aria-invalid", "true")
    refusal = nl(
        "The content of this file does not match its name: the name ends in .%(extension)s, but the file is %(found)s. Check that you chose the right file.",
        extension="pdf",
        found=nl("a PNG image"),
    )
    expect(page.locator(f"#{file_field.get_attribute('id')}-error")).to_have_text(refusal)
    expect(form.get_by_label(nl("Title"), exact=True)).to_have_value(title)
    expect(form.get_by_label(nl("Description"), exact=True)).to_have_value(
        "Met een kolom voor **voorspellingen**."
    )
    check_accessibility(page)

    # -- the right file -----------------------------------------------------------------------------
    file_field.set_input_files(str(good))
    form.get_by_role("button", name=nl("Share"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"{re.escape(library)}/\d+$"))
    expect(flash(page)).to_contain_text(
        nl("Thank you for sharing. The resource is in the library.")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".markdown strong")).to_have_text("voorspellingen")
    history = page.get_by_role("table", name=nl("Versions"))
    expect(history.get_by_role("row")).to_have_count(2)  # a header row and version 1
    expect(history).to_contain_text("Priya Ramsaran")
    check_accessibility(page)
    resource_url = page.url

    # -- the library lists it ----------------------------------------------------------------------
    page.get_by_role("link", name=re.compile(re.escape(nl("Resources")))).first.click()
    expect_path(page, library)
    results = page.get_by_role("region", name=nl_count("%(num)d resource", "%(num)d resources", 1))
    expect(results.get_by_role("article")).to_have_count(1)
    expect(results.get_by_role("link", name=title)).to_be_visible()
    check_accessibility(page)
    results.get_by_role("link", name=title).click()
    expect(page).to_have_url(resource_url)

    # -- download: the same bytes, as an attachment with the safe headers -------------------------
    download_link = page.get_by_role("link", name=re.compile(nl("Download")))
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == "Sjabloon lesontwerp.pdf"
    assert Path(download.path()).read_bytes() == PDF
    href = download_link.get_attribute("href")
    response = page.request.get(live_server + href)
    assert response.status == 200 and response.body() == PDF
    headers = response.headers
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"] == 'attachment; filename="Sjabloon lesontwerp.pdf"'
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == "sandbox; default-src 'none'"
    assert headers["cache-control"] == "private"
    check_accessibility(page)

    # -- an outsider: the file, the page and the library do not exist ------------------------------
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    other = context.new_page()
    try:
        log_in(other, live_server, outsider.email, outsider.display_name)
        for path in (href, resource_url.removeprefix(live_server), library):
            response = other.goto(live_server + path)
            assert response is not None and response.status == 404, path
            expect(other.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
            check_accessibility(other)
        assert other.request.get(live_server + href).status == 404
    finally:
        context.close()
