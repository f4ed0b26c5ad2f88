"""The session pages in a real browser, on the demo data: accessible, and signing up works."""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from plc.auth.demo import DEMO_PASSWORD
from plc.extensions import db
from tests.support.browser import log_in

Check = Callable[[Page], None]


def _log_in(page: Page, live_server: str, email: str) -> None:
    log_in(page, live_server, email, password=DEMO_PASSWORD)


def _demo(demo_data: Callable[[], str]) -> dict[str, object]:
    from plc.live.models import LiveSession, RoomState

    demo_data()
    sessions = db.session.scalars(sa.select(LiveSession).order_by(LiveSession.starts_at)).all()
    # The live demo's past sessions have notes; the development demo's meetings have none.
    past = next(s for s in sessions if s.room_state == RoomState.CLOSED and s.notes)
    upcoming = next(s for s in sessions if s.title == "Leesgesprekken voeren")
    return {"past": past, "upcoming": upcoming, "slug": upcoming.community.slug}


def test_session_pages_pass_the_axe_check(
    page: Page, live_server: str, check_accessibility: Check, demo_data: Callable[[], str]
) -> None:
    demo = _demo(demo_data)
    slug, past, upcoming = demo["slug"], demo["past"], demo["upcoming"]
    for path in ("/sessies", f"/gemeenschappen/{slug}/sessies"):
        page.goto(f"{live_server}{path}")
        check_accessibility(page)

    _log_in(page, live_server, "daan@example.org")
    base = f"/gemeenschappen/{slug}/sessies"
    for path in (
        "/sessies",
        base,
        f"{base}/nieuw",
        f"{base}/{upcoming.id}",
        f"{base}/{upcoming.id}/bewerken",
        f"{base}/{upcoming.id}/annuleren",
        f"/gemeenschappen/{past.community.slug}/sessies/{past.id}/verslag",
        "/agenda",
        "/mijn-professionalisering",
    ):
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        check_accessibility(page)

    page.goto(f"{live_server}/gemeenschappen/{past.community.slug}/sessies/{past.id}/verslag")
    page.get_by_role("button", name="Maak van dit verslag een concept-kennisopbrengst").click()
    expect(page.get_by_role("heading", name=f"Concept: {past.title}")).to_be_visible()
    check_accessibility(page)


def test_a_student_teacher_signs_up_for_an_open_session_and_finds_it_in_his_agenda(
    page: Page, live_server: str, check_accessibility: Check, demo_data: Callable[[], str]
) -> None:
    demo = _demo(demo_data)
    upcoming = demo["upcoming"]
    _log_in(page, live_server, "milan@example.org")
    page.goto(f"{live_server}/sessies")
    # Milan is no member of the assessment community; its hybrid session is open to everyone.
    page.get_by_role("link", name="Feedback die leerlingen gebruiken").click()
    page.get_by_role("button", name="Ik kom", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Je komt. Tot dan!")).to_be_visible()
    expect(page.get_by_text("Je komt.", exact=True)).to_be_visible()
    page.goto(f"{live_server}/agenda")
    expect(page.get_by_role("link", name="Feedback die leerlingen gebruiken")).to_be_visible()
    page.get_by_role("button", name="Maak mijn agenda-adres").click()
    expect(page.get_by_label("Je persoonlijke agenda-adres")).to_have_value(
        re.compile(r"/agenda/[\w-]+\.ics$")
    )
    check_accessibility(page)
    # A members-only session of a community he is not in offers no sign-up.
    page.goto(f"{live_server}/gemeenschappen/{demo['slug']}/sessies/{upcoming.id}")
    expect(page.get_by_role("button", name="Ik kom", exact=True)).to_have_count(0)
