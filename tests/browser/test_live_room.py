"""The live room in two real browsers: Daan facilitates, Fatima takes part. They chat (the cursor
stays in the message box), Fatima asks a question that Daan votes up, Daan opens a poll that
Fatima answers, and both see the results live. Both pages pass axe-core.

Texts are looked up in Dutch through the catalogue (`nl`), so the test holds both before and
after the new strings are translated."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from plc.core.models import utcnow
from plc.extensions import db
from plc.live.models import LiveSession, SessionMode
from tests.browser.test_community_journey import _second_context, log_in
from tests.browser.test_resource_journey import nl

Check = Callable[[Page], None]


def test_chat_question_and_poll_in_the_live_room(
    page: Page,
    browser: Browser,
    live_server: str,
    check_accessibility: Check,
    create_user,
    create_community,
    add_member,
) -> None:
    daan = create_user(display_name="Daan de Wit")
    community = create_community(daan, name="Formatief evalueren")
    fatima = create_user(display_name="Fatima El Amrani")
    add_member(community, fatima)
    starts_at = utcnow().replace(microsecond=0)  # now: the room is open
    session = LiveSession(
        uid=f"{uuid.uuid4()}@leernetwerk.amsterdam",
        community_id=community.id,
        title="Intervisie exit tickets",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        mode=SessionMode.ONLINE,
    )
    db.session.add(session)
    db.session.commit()
    room = f"{live_server}/gemeenschappen/{community.slug}/sessies/{session.id}/live"

    log_in(page, live_server, daan.email, "Daan de Wit")
    page.goto(room)
    expect(
        page.get_by_role("status").filter(has_text=nl("You are in the live room."))
    ).to_be_visible()
    context, other, problems = _second_context(browser)
    try:
        log_in(other, live_server, fatima.email, "Fatima El Amrani")
        other.goto(room)
        people = other.get_by_role("region", name=nl("In the room"))
        expect(people).to_contain_text("Daan de Wit")
        expect(page.get_by_role("region", name=nl("In the room"))).to_contain_text(
            "Fatima El Amrani"
        )

        # Chat: sent with Enter; the cursor stays in the box; the other side gets it live.
        box = other.get_by_label(nl("Your message"))
        box.fill("Goedemorgen allemaal!")
        box.press("Enter")
        expect(box).to_be_focused()
        expect(box).to_have_value("")
        daan_chat = page.get_by_role("log")
        expect(daan_chat).to_contain_text("Goedemorgen allemaal!")
        page.get_by_label(nl("Your message")).fill("Welkom, Fatima.")
        page.get_by_label(nl("Your message")).press("Enter")
        expect(other.get_by_role("log")).to_contain_text("Welkom, Fatima.")

        # A question, voted up by the facilitator: the count changes on both sides.
        ask = other.get_by_label(nl("Your question for the facilitators"))
        ask.fill("Hoe vaak gebruiken jullie exit tickets?")
        ask.press("Enter")
        vote = page.get_by_role(
            "button", name=f"{nl('Vote')}: Hoe vaak gebruiken jullie exit tickets?"
        )
        vote.click()
        expect(vote).to_have_attribute("aria-pressed", "true")
        questions = other.get_by_role("region", name=nl("Questions"))
        expect(questions).to_contain_text(nl("1 vote"))

        # A poll: prepared and opened by Daan, answered by Fatima, results live for both.
        page.get_by_text(nl("New poll")).click()
        page.get_by_label(nl("Question"), exact=True).fill("Wat werkt het best?")
        page.get_by_label(nl("Options, one per line")).fill("Exit tickets\nQuiz")
        page.get_by_role("button", name=nl("Save poll")).click()
        page.get_by_role("button", name=f"{nl('Open poll')}: Wat werkt het best?").click()
        poll = other.get_by_role("article", name="Wat werkt het best?")
        poll.get_by_label("Quiz").check()
        poll.get_by_role("button", name=nl("Vote")).click()
        expect(poll).to_contain_text("Quiz: 1 (100%)")
        expect(page.get_by_role("article", name="Wat werkt het best?")).to_contain_text(
            "Quiz: 1 (100%)"
        )

        check_accessibility(page)
        check_accessibility(other)
    finally:
        context.close()
    if problems:
        pytest.fail("The second browser reported errors:\n" + "\n".join(problems), pytrace=False)
