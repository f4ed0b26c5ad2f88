"""The development record in a real browser, in English and in Dutch: the record page, the
add-activity form (one error shown next to its field, then fixed, with an evidence upload), the
share toggle, and the record as the school's leader reads it once shared. Every page is checked
with axe-core; console errors (a Content-Security-Policy violation is one) fail the test."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from plc.auth.models import User
from plc.development import services
from plc.development.models import RecordEntry, RecordSource
from plc.extensions import db
from tests.browser.test_pilot_pages import Check, _log_in, _visit
from tests.development import record_world as shared
from tests.development.record_world import DUTCH_TITLE, PDF

world = shared.world
upload_folder = shared.upload_folder
attend_session = shared.attend_session
complete_offering = shared.complete_offering


def _to_dutch(page: Page) -> None:
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def test_the_teacher_adds_an_activity_and_shares_the_record(
    page: Page,
    live_server: str,
    check_accessibility: Check,
    tmp_path: Path,
    world,
    upload_folder,
    attend_session,
    complete_offering,
) -> None:
    attend_session(world.teacher, date(2026, 9, 10), 50, title="Leesgesprekken")
    complete_offering(world.teacher, date(2026, 9, 20), 240, 60, title="Rekendidactiek")
    certificate = tmp_path / "Certificaat één dag.pdf"
    certificate.write_bytes(PDF)
    # Read here: the browser's thread has no app context.
    teacher_id, email = world.teacher.id, world.teacher.email

    _log_in(page, live_server, email)
    _visit(page, live_server, check_accessibility, "/mijn-professionalisering")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="School year 2026-2027")).to_be_visible()
    expect(main).to_contain_text("Contact hours 4:50, self-study 1:00, together 5:50")
    expect(main).to_contain_text("Not shared: only you see this record.")

    # -- the form: one error, shown next to its field; what was typed stays ----------------------
    main.get_by_role("link", name="Add an activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an activity")
    check_accessibility(page)
    form = page.get_by_role("main").locator("form").first
    form.get_by_label("Activity", exact=True).fill(DUTCH_TITLE)
    form.get_by_label("Date", exact=True).fill("2026-10-01")
    form.get_by_label("Provider (optional)").fill("Hogeschool van Amsterdam")
    form.get_by_label("Contact hours", exact=True).fill("1:75")
    form.get_by_label("Self-study hours", exact=True).fill("2,5")
    form.get_by_label("Evidence (optional)").set_input_files(str(certificate))
    form.get_by_role("button", name="Save").click()
    contact = page.get_by_label("Contact hours", exact=True)
    expect(contact).to_have_attribute("aria-invalid", "true")
    expect(contact).to_have_accessible_description(re.compile("Enter the hours as 1:30 or as 1,5."))
    expect(page.get_by_label("Activity", exact=True)).to_have_value(DUTCH_TITLE)
    expect(page.get_by_label("Self-study hours", exact=True)).to_have_value("2,5")
    check_accessibility(page)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(RecordEntry.id))) == 2  # the platform's
    assert not upload_folder.exists() or not any(upload_folder.iterdir())

    # -- fixed, with the evidence chosen again ---------------------------------------------------
    contact.fill("1:30")
    page.get_by_label("Evidence (optional)").set_input_files(str(certificate))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-area")).to_contain_text("is in your record.")
    main = page.get_by_role("main")
    expect(main.get_by_role("row", name=re.compile("Taalgericht vakonderwijs"))).to_contain_text(
        "Certificaat één dag.pdf"
    )
    expect(main).to_contain_text("Contact hours 6:20, self-study 3:30, together 9:50")
    check_accessibility(page)
    db.session.rollback()
    entry = db.session.scalar(
        sa.select(RecordEntry).where(RecordEntry.source == RecordSource.MANUAL)
    )
    assert entry is not None and entry.title == DUTCH_TITLE
    assert (entry.contact_minutes, entry.self_study_minutes) == (90, 150)
    assert entry.evidence_filename == "Certificaat één dag.pdf"
    assert (upload_folder / str(entry.evidence_key)).read_bytes() == PDF

    # -- sharing, with the keyboard ----------------------------------------------------------------
    page.get_by_role("button", name="Share my record").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flash-area")).to_contain_text("Your record is shared")
    expect(page.get_by_role("button", name="Stop sharing")).to_be_visible()
    check_accessibility(page)
    db.session.rollback()
    assert services.record_shared_since(db.session.get(User, teacher_id)) is not None

    # -- the same pages in Dutch ---------------------------------------------------------------
    _to_dutch(page)
    _visit(
        page,
        live_server,
        check_accessibility,
        "/mijn-professionalisering",
        "/mijn-professionalisering/nieuw",
        f"/mijn-professionalisering/{entry.id}/bewerken",
    )


def test_the_leader_reads_the_shared_record(
    page: Page,
    live_server: str,
    check_accessibility: Check,
    world,
    upload_folder,
    attend_session,
    create_output,
    create_community,
    add_member,
) -> None:
    attend_session(world.teacher, date(2026, 9, 10), 50, title="Leesgesprekken")
    shared.add_manual(world.teacher, title=DUTCH_TITLE, evidence=(PDF, "certificaat.pdf"))
    community = create_community(name="Rekenen in de onderbouw")
    add_member(community, world.teacher)
    create_output(community, author=world.teacher, title="Tafels oefenen")
    services.share_record(world.teacher)
    db.session.commit()
    path, email = f"/professionalisering/{world.teacher.id}", world.leader.email

    _log_in(page, live_server, email)
    _visit(page, live_server, check_accessibility, path)
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Development record of Zoë de Vries")
    expect(main.get_by_role("link", name="certificaat.pdf")).to_be_visible()
    expect(main.get_by_role("link", name="Tafels oefenen")).to_be_visible()
    expect(main.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
    _to_dutch(page)
    _visit(page, live_server, check_accessibility, path)
