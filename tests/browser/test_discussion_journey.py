"""A discussion in a real browser, with two people in two browsers: Fatima starts a thread (after a
preview), Daan replies quoting her and mentioning her; she follows the notifications to his reply,
marks it as the answer, and he finds her question useful. Then she shares a file in the library and
downloads it again; an outsider gets 404. Every page is checked with axe-core; forms are submitted
with the keyboard where a person would.

Texts are looked up in Dutch through the catalogue (`nl`), so the test holds both before and
after the new strings are translated."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask_babel import force_locale, ngettext
from playwright.sync_api import Browser, Locator, Page, expect

from plc.communities.models import Visibility
from plc.resources.demo import tiny_pdf
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.browser.test_community_journey import _second_context, expect_path, flash, log_in
from tests.browser.test_resource_journey import nl

Check = Callable[[Page], None]

TITLE = "Exit tickets in de brugklas"
BODY = "Wie gebruikt **exit tickets** na elke les?\n\n- wat werkt\n- wat *niet*"


def nl_plural(singular: str, plural: str, number: int, **values: Any) -> str:
    with force_locale("nl"):
        return ngettext(singular, plural, number, **values)


def notifications_link(page: Page) -> Locator:
    """The header's link to the notification centre (its name grows with the unread badge)."""
    name = re.compile(rf"^{re.escape(nl('Notifications'))}\b")
    return page.get_by_role("banner").get_by_role("link", name=name)


def unread_name(count: int) -> str:
    return f"{nl('Notifications')} {count} {nl('unread')}"


def post_id_from(url: str) -> str:
    match = re.search(r"#(bericht-\d+)$", url)
    assert match, url
    return match.group(1)


def useful_button(page: Page, author: str) -> Locator:
    name = rf"^{re.escape(nl('Useful'))} \(\d+\) — {re.escape(nl('message of %(name)s', name=author))}$"
    return page.get_by_role("button", name=re.compile(name))


def test_discuss_get_notified_answer_and_share(
    page: Page,
    browser: Browser,
    live_server: str,
    check_accessibility: Check,
    tmp_path: Path,
    create_user,
    create_community,
    add_member,
) -> None:
    owner = create_user(display_name="Joost Visser")
    community = create_community(
        owner,
        name="Formatief evalueren in de onderbouw",
        summary="Samen feedback geven die leerlingen verder helpt.",
        visibility=Visibility.INVITE,
    )
    fatima = create_user(display_name="Fatima El Amrani")
    add_member(community, fatima)
    daan = create_user(display_name="Daan de Wit")
    add_member(community, daan)
    outsider = create_user(display_name="Kees Mulder")
    home = f"/gemeenschappen/{community.slug}"
    discussions = f"{home}/gesprekken"
    library = f"{home}/materiaal"

    # -- 1. Fatima opens the community from the start page, and its discussions ----------------
    log_in(page, live_server, fatima.email, fatima.display_name)  # submitted with Enter
    expect(notifications_link(page)).to_have_accessible_name(nl("Notifications"))  # no badge
    check_accessibility(page)
    mine = page.get_by_role("region", name=nl("My communities"))
    mine.get_by_role("link", name=community.name).click()
    expect_path(page, home)
    expect(page.get_by_role("heading", level=1)).to_have_text(community.name)
    recent = page.get_by_role("region", name=nl("Recent discussions"))
    expect(recent).to_contain_text(nl("No discussions yet."))
    check_accessibility(page)
    recent.get_by_role("link", name=nl("All discussions")).click()
    expect_path(page, discussions)
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Discussions"))
    expect(page.get_by_text(nl("No discussions yet. Start the first one!"))).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name=nl("Start a discussion")).click()
    expect_path(page, f"{discussions}/nieuw")
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Start a discussion"))
    check_accessibility(page)

    # -- a preview first: the Markdown rendered, the form kept ------------------------------------
    form = page.get_by_role("main").locator("form")
    title_field = form.get_by_label(nl("Title"), exact=True)
    body_field = form.get_by_label(nl("Message"), exact=True)
    title_field.fill(TITLE)
    body_field.fill(BODY)
    form.get_by_role("button", name=nl("Preview"), exact=True).click()
    expect_path(page, f"{discussions}/nieuw")
    preview = page.get_by_role("region", name=nl("Preview"))
    expect(preview.locator("strong")).to_have_text("exit tickets")
    expect(preview.get_by_role("listitem")).to_have_text(["wat werkt", "wat niet"])
    expect(preview.locator("em")).to_have_text("niet")
    expect(preview).not_to_contain_text("**")
    expect(title_field).to_have_value(TITLE)
    expect(body_field).to_have_value(BODY)
    check_accessibility(page)

    # -- posted with Enter in the title field (the form's first button is "Post") -----------------
    title_field.press("Enter")
    expect(page).to_have_url(re.compile(rf"{re.escape(discussions)}/\d+$"))
    thread_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    opening = page.get_by_role("article")
    expect(opening).to_have_count(1)
    expect(opening.locator(".markdown strong")).to_have_text("exit tickets")
    expect(opening).to_contain_text(fatima.display_name)
    expect(page.get_by_role("region", name=nl("Preview"))).to_have_count(0)
    check_accessibility(page)

    # -- 2. Daan, in his own browser, finds the thread and replies -------------------------------
    context, other, problems = _second_context(browser)
    try:
        log_in(other, live_server, daan.email, daan.display_name)
        other.goto(live_server + home)
        recent = other.get_by_role("region", name=nl("Recent discussions"))
        check_accessibility(other)
        recent.get_by_role("link", name=TITLE).click()
        expect(other).to_have_url(thread_url)
        check_accessibility(other)

        # quoting Fatima's question: the form says whom he quotes
        other.get_by_role("article").get_by_role("link", name=nl("Quote"), exact=True).click()
        expect(other).to_have_url(re.compile(r"[?&]citeer=\d+#reageren$"))
        reply_field = other.get_by_label(nl("Your reply"), exact=True)
        expect(other.locator("#reageren .quote")).to_contain_text(
            nl("You quote %(name)s:", name=fatima.display_name)
        )
        expect(other.locator("#reageren .quote")).to_contain_text(
            "Wie gebruikt exit tickets na elke les?"
        )
        quoted = ""
        expect(reply_field).to_have_value(quoted)
        check_accessibility(other)

        # ... he adds a line that mentions her, then Tab to "Post reply" and Enter
        mention = f"@{fatima.display_name} ik sluit elke les af met drie vragen op een briefje."
        reply_field.focus()
        reply_field.press("Control+End")
        other.keyboard.insert_text(mention)
        expect(reply_field).to_have_value(quoted + mention)
        reply_field.press("Tab")
        post_reply = other.get_by_role("button", name=nl("Post reply"), exact=True)
        expect(post_reply).to_be_focused()
        post_reply.press("Enter")

        expect(other).to_have_url(re.compile(rf"^{re.escape(thread_url)}#bericht-\d+$"))
        answer_id = post_id_from(other.url)
        answer = other.locator(f"#{answer_id}")
        expect(answer).to_contain_text(mention)
        expect(answer.locator("blockquote.quote")).to_contain_text(
            nl("%(name)s wrote:", name=fatima.display_name)
        )
        expect(answer.locator("blockquote.quote")).to_contain_text(
            "Wie gebruikt exit tickets na elke les?"
        )
        check_accessibility(other)

        # ... and a second reply, without a mention (a mention replaces the reply notification)
        follow_up = "Mijn sjabloon zet ik straks in de bibliotheek."
        other.get_by_label(nl("Your reply"), exact=True).fill(follow_up)
        other.get_by_role("button", name=nl("Post reply"), exact=True).click()
        expect(other).to_have_url(re.compile(rf"^{re.escape(thread_url)}#bericht-\d+$"))
        expect(other.get_by_role("article")).to_have_count(3)
        expect(other.locator(f"#{post_id_from(other.url)}")).to_contain_text(follow_up)
        check_accessibility(other)

        # -- 3. Fatima reloads: two unread lines, a mention and a reply ----------------------------
        page.reload()
        link = notifications_link(page)
        expect(link).to_have_accessible_name(unread_name(2))
        check_accessibility(page)
        link.click()
        expect_path(page, "/meldingen")
        expect(page.get_by_role("heading", level=1)).to_have_text(nl("Notifications"))
        lines = page.get_by_role("main").get_by_role("listitem")
        expect(lines).to_have_count(2)
        mention_text = nl(
            "%(name)s mentioned you in “%(thread)s”", name=daan.display_name, thread=TITLE
        )
        reply_text = nl_plural(
            "%(num)d new reply in “%(thread)s”",
            "%(num)d new replies in “%(thread)s”",
            1,
            thread=TITLE,
        )
        mention_line = lines.filter(has_text=mention_text)
        reply_line = lines.filter(has_text=reply_text)
        for line in (mention_line, reply_line):
            expect(line).to_have_count(1)
            expect(line.get_by_text(nl("new"), exact=True)).to_be_visible()
            expect(line).to_contain_text(community.name)
        check_accessibility(page)

        # opening the mention leads to Daan's reply in the thread; the badge drops to 1
        mention_line.get_by_role("link", name=mention_text).click()
        expect(page).to_have_url(f"{thread_url}#{answer_id}")
        expect(page.locator(f"#{answer_id}")).to_contain_text(mention)
        expect(notifications_link(page)).to_have_accessible_name(unread_name(1))
        check_accessibility(page)

        # -- 4. Fatima marks Daan's reply as the answer -------------------------------------------
        answer = page.locator(f"#{answer_id}")
        answered = page.get_by_role("main").get_by_text(nl("Answered"), exact=True)
        expect(answered).to_have_count(0)
        answer.get_by_role("button", name=nl("Mark as answer"), exact=True).click()
        expect(page).to_have_url(f"{thread_url}#{answer_id}")
        expect(flash(page)).to_contain_text(nl("Marked as the answer."))
        expect(answered).to_be_visible()
        expect(answer.get_by_text(nl("Answer"), exact=True)).to_be_visible()
        expect(answer.get_by_role("button", name=nl("Not the answer"), exact=True)).to_be_visible()
        check_accessibility(page)

        # ... and Daan finds her question useful
        other.reload()
        expect(other.get_by_role("main").get_by_text(nl("Answered"), exact=True)).to_be_visible()
        useful = useful_button(other, fatima.display_name)
        expect(useful).to_have_attribute("aria-pressed", "false")
        expect(useful).to_contain_text(f"{nl('Useful')} (0)")
        useful.click()
        expect(other).to_have_url(re.compile(rf"^{re.escape(thread_url)}#bericht-\d+$"))
        expect(useful).to_contain_text(f"{nl('Useful')} (1)")
        expect(useful).to_have_attribute("aria-pressed", "true")
        check_accessibility(other)
    finally:
        context.close()
    assert not problems, "Daan's browser reported errors:\n" + "\n".join(problems)

    # -- 5. Fatima shares a small PDF in the library and downloads it again ------------------------
    content = tiny_pdf("Exit tickets", ["Wat heb je vandaag geleerd?", "Wat vond je lastig?"])
    upload = tmp_path / "Exit tickets brugklas.pdf"
    upload.write_bytes(content)
    page.goto(live_server + home)
    check_accessibility(page)
    page.get_by_role("region", name=nl("Newest resources")).get_by_role(
        "link", name=nl("All resources in the library")
    ).click()
    expect_path(page, library)
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Resources"))
    check_accessibility(page)
    page.get_by_role("main").get_by_role("link", name=nl("Share a file or link")).click()
    expect_path(page, f"{library}/nieuw")
    check_accessibility(page)
    form = page.get_by_role("main").locator("form")
    expect(form.get_by_label(nl("A file"), exact=True)).to_be_checked()
    form.get_by_label(nl("File"), exact=True).set_input_files(str(upload))
    form.get_by_label(nl("Title"), exact=True).fill("Exit tickets voor de brugklas")
    form.get_by_role("button", name=nl("Share"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"{re.escape(library)}/\d+$"))
    expect(flash(page)).to_contain_text(
        nl("Thank you for sharing. The resource is in the library.")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Exit tickets voor de brugklas")
    check_accessibility(page)

    download_link = page.get_by_role("link", name=re.compile(rf"^{re.escape(nl('Download'))}\b"))
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == "Exit tickets brugklas.pdf"
    assert Path(download.path()).read_bytes() == content
    href = download_link.get_attribute("href")
    assert href is not None and href.startswith(library)
    check_accessibility(page)

    # -- an outsider, logged in, gets 404 for the file ---------------------------------------------
    stranger = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    stranger.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        third = stranger.new_page()
        log_in(third, live_server, outsider.email, outsider.display_name)
        response = third.goto(live_server + href)
        assert response is not None and response.status == 404
        expect(third.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
        check_accessibility(third)
        assert third.request.get(live_server + href).status == 404
    finally:
        stranger.close()
