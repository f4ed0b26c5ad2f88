"""Activities the teacher adds: checked input that stores nothing when refused and keeps what
was typed; evidence checked like every upload; edit and delete only one's own, never the
platform's entries; an entry's evidence file goes with it."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa

from plc.core.errors import ServiceError
from plc.development import services
from plc.development.models import RecordEntry
from plc.extensions import db
from tests.development import record_world as shared
from tests.development.record_world import (
    DUTCH_TITLE,
    PDF,
    PNG,
    add_manual,
    entry_form,
    manual_entries,
    stored_files,
)
from tests.resources.conftest import SVG_WITH_SCRIPT, docx_bytes

world = shared.world
english_messages = shared.english_messages
upload_folder = shared.upload_folder
attend_session = shared.attend_session
complete_offering = shared.complete_offering

NEW = "/mijn-professionalisering/nieuw"


def _post(client, path: str, **fields):
    return client.submit(path, entry_form(**fields), content_type="multipart/form-data")


def _page(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'")


def test_an_activity_with_evidence_is_added(world, login_client, upload_folder) -> None:
    client = login_client(world.teacher)
    assert client.get(NEW).status_code == 200
    response = _post(client, NEW, evidence=(PDF, "Certificaat Taalgericht.pdf"))
    assert response.status_code == 302
    [entry] = manual_entries()
    assert (entry.user_id, entry.title, entry.activity_date, entry.school_year) == (
        world.teacher.id,
        DUTCH_TITLE,
        date(2026, 10, 1),
        "2026-2027",
    )
    assert (entry.contact_minutes, entry.self_study_minutes) == (90, 150)
    assert (entry.provider, entry.description) == (
        "Hogeschool van Amsterdam",
        "Eerste regel.\nTweede regel.",
    )
    assert (entry.evidence_filename, entry.evidence_content_type, entry.evidence_size) == (
        "Certificaat Taalgericht.pdf",
        "application/pdf",
        len(PDF),
    )
    assert stored_files(upload_folder) == [upload_folder / entry.evidence_key]
    page = client.get("/mijn-professionalisering").get_data(as_text=True)
    assert DUTCH_TITLE in page and "Certificaat Taalgericht.pdf" in page
    assert "Eerste regel.<br>Tweede regel." in page


#: Small enough that the test client keeps the request in memory.
LIMIT = 300 * 1024


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "Enter what the activity was."),
        ({"contact_hours": "1:75"}, "Enter the hours as 1:30 or as 1,5."),
        ({"self_study_hours": "twee"}, "Enter the hours as 1:30 or as 1,5."),
        ({"contact_hours": "-2"}, "Hours cannot be negative."),
        (
            {"contact_hours": "", "self_study_hours": "0:00"},
            "Enter how long it took: contact hours, self-study hours or both.",
        ),
        (
            {"activity_date": "2099-09-01"},
            "This date is in the future. Add an activity once it has taken place.",
        ),
        ({"activity_date": "2026-02-31"}, "Enter a valid date."),
        ({"activity_date": "1026-10-01"}, "Check the year of this date."),
        (
            {"evidence": (b"MZ\x90\x00", "certificaat.exe")},
            "Evidence can be a PDF or an image (JPEG, PNG, GIF or WebP).",
        ),
        (
            {"evidence": (docx_bytes(), "certificaat.docx")},
            "Evidence can be a PDF or an image (JPEG, PNG, GIF or WebP).",
        ),
        (
            {"evidence": (SVG_WITH_SCRIPT, "certificaat.svg")},
            "Evidence can be a PDF or an image (JPEG, PNG, GIF or WebP).",
        ),
        (
            {"evidence": (PNG, "certificaat.pdf")},
            "the name ends in .pdf, but the file is a PNG image",
        ),
        (
            {"evidence": (SVG_WITH_SCRIPT, "certificaat.png")},
            "HTML and SVG files cannot be shared here",
        ),
        ({"evidence": (b"", "leeg.pdf")}, "The file is empty."),
        (
            {"evidence": (PDF + b"%" * LIMIT, "groot.pdf")},
            "The file is too large: at most 300 kB.",
        ),
    ],
)
def test_bad_input_is_refused_stores_nothing_and_keeps_the_form(
    world, login_client, upload_folder, monkeypatch, fields, message
) -> None:
    monkeypatch.setattr(services, "MAX_EVIDENCE_SIZE", LIMIT)
    client = login_client(world.teacher)
    values = {"contact_hours": "1:30", "self_study_hours": "2,5", **fields}
    response = _post(client, NEW, **values)
    assert response.status_code == 400
    page = _page(response)
    assert message in page
    assert 'aria-invalid="true"' in page
    for name in ("title", "contact_hours", "self_study_hours", "activity_date"):
        typed = entry_form(**values)[name]
        assert re.search(rf'name="{name}"[^>]*value="{re.escape(typed)}"', page), name
    assert "Eerste regel.\nTweede regel.</textarea>" in page
    assert manual_entries() == []
    assert stored_files(upload_folder) == []


def test_an_oversized_request_is_refused_before_it_is_read(
    app, world, login_client, upload_folder
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = _post(login_client(world.teacher), NEW, evidence=(PDF + b"%" * 8192, "a.pdf"))
    assert response.status_code == 413
    assert manual_entries() == []
    assert stored_files(upload_folder) == []


def test_a_failed_write_stores_nothing_and_says_so(
    world, login_client, upload_folder, monkeypatch
) -> None:
    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", full_disk)
    response = _post(login_client(world.teacher), NEW, evidence=(PDF, "a.pdf"))
    assert response.status_code == 400
    assert "The file could not be stored, so nothing was saved." in _page(response)
    assert manual_entries() == []
    assert stored_files(upload_folder) == []


def test_without_a_csrf_token_nothing_is_added(world, login_client) -> None:
    client = login_client(world.teacher)
    response = client.post(
        NEW, data=entry_form(), content_type="multipart/form-data", base_url="https://localhost"
    )
    assert response.status_code == 400
    assert manual_entries() == []


def test_a_repeated_submission_adds_the_activity_once(world, login_client, upload_folder) -> None:
    client = login_client(world.teacher)
    for _repeat in range(2):
        assert _post(client, NEW, evidence=(PDF, "a.pdf")).status_code == 302
    [entry] = manual_entries()
    assert stored_files(upload_folder) == [upload_folder / entry.evidence_key]


def test_the_same_activity_again_with_a_certificate_keeps_the_certificate(
    world, login_client, upload_folder
) -> None:
    """Not a repeated click: the second time brings the evidence the first lacked."""
    client = login_client(world.teacher)
    assert _post(client, NEW).status_code == 302
    assert _post(client, NEW, evidence=(PDF, "a.pdf")).status_code == 302
    entries = manual_entries()
    assert len(entries) == 2
    assert [e.evidence_filename for e in entries if e.evidence_key] == ["a.pdf"]


# -- changing and deleting ----------------------------------------------------------------------


def _edit_path(entry: RecordEntry) -> str:
    return f"/mijn-professionalisering/{entry.id}/bewerken"


def _delete_path(entry: RecordEntry) -> str:
    return f"/mijn-professionalisering/{entry.id}/verwijderen"


def test_the_owner_changes_an_activity_and_replaces_its_evidence(
    world, login_client, upload_folder
) -> None:
    entry = add_manual(world.teacher, evidence=(PDF, "oud.pdf"), self_study_minutes=45)
    old_key = entry.evidence_key
    client = login_client(world.teacher)
    form = client.get(_edit_path(entry)).get_data(as_text=True)
    assert 'value="2:00"' in form and 'value="0:45"' in form  # hours as the record shows them
    assert 'value="2026-10-01"' in form and "oud.pdf" in form

    response = _post(
        client,
        _edit_path(entry),
        title="Studiedag – herzien",
        activity_date="2026-07-15",
        contact_hours="3",
        self_study_hours="",
        evidence=(PNG, "nieuw.png"),
    )
    assert response.status_code == 302
    db.session.refresh(entry)
    assert (entry.title, entry.school_year, entry.contact_minutes, entry.self_study_minutes) == (
        "Studiedag – herzien",
        "2025-2026",
        180,
        0,
    )
    assert (entry.evidence_filename, entry.evidence_content_type) == ("nieuw.png", "image/png")
    assert entry.evidence_key != old_key
    assert stored_files(upload_folder) == [upload_folder / entry.evidence_key]


def test_a_refused_change_keeps_the_entry_and_its_evidence(
    world, login_client, upload_folder
) -> None:
    entry = add_manual(world.teacher, evidence=(PDF, "oud.pdf"))
    response = _post(
        login_client(world.teacher),
        _edit_path(entry),
        title="Nieuwe titel",
        evidence=(PNG, "vermomd.pdf"),
    )
    assert response.status_code == 400
    assert 'value="Nieuwe titel"' in _page(response)
    db.session.refresh(entry)
    assert (entry.title, entry.evidence_filename) == ("Studiedag formatief handelen", "oud.pdf")
    assert stored_files(upload_folder) == [upload_folder / entry.evidence_key]


def test_the_owner_removes_the_evidence(world, login_client, upload_folder) -> None:
    entry = add_manual(world.teacher, evidence=(PDF, "oud.pdf"))
    response = _post(login_client(world.teacher), _edit_path(entry), remove_evidence="y")
    assert response.status_code == 302
    db.session.refresh(entry)
    assert entry.evidence_key is None and entry.evidence_filename is None
    assert stored_files(upload_folder) == []


def test_deleting_an_activity_deletes_its_evidence_file(world, login_client, upload_folder) -> None:
    entry = add_manual(world.teacher, evidence=(PDF, "bewijs.pdf"))
    keep = add_manual(world.teacher, title="Blijft", evidence=(PNG, "blijft.png"))
    client = login_client(world.teacher)
    assert client.submit(_delete_path(entry)).status_code == 302
    assert [e.id for e in manual_entries()] == [keep.id]
    assert stored_files(upload_folder) == [upload_folder / keep.evidence_key]


def test_a_deletion_that_is_not_committed_keeps_the_file(world, upload_folder) -> None:
    entry = add_manual(world.teacher, evidence=(PDF, "bewijs.pdf"))
    services.delete_entry(entry, world.teacher)
    db.session.rollback()
    assert len(manual_entries()) == 1
    assert stored_files(upload_folder) == [upload_folder / entry.evidence_key]


def test_others_cannot_change_or_delete_an_activity(world, login_client, upload_folder) -> None:
    entry = add_manual(world.teacher, evidence=(PDF, "bewijs.pdf"))
    for who in (world.colleague, world.leader):
        client = login_client(who)
        assert client.get(_edit_path(entry)).status_code == 404
        assert _post(client, _edit_path(entry), title="Gekaapt").status_code == 404
        assert client.submit(_delete_path(entry)).status_code == 404
    with pytest.raises(ServiceError):
        services.delete_entry(entry, world.colleague)
    db.session.rollback()
    [kept] = manual_entries()
    assert kept.title == "Studiedag formatief handelen"
    assert stored_files(upload_folder) == [upload_folder / kept.evidence_key]


def test_the_platforms_entries_cannot_be_changed_or_deleted(
    world, login_client, attend_session, complete_offering
) -> None:
    session_entry = attend_session(world.teacher, date(2026, 9, 10), 60)
    offering_entry = complete_offering(world.teacher, date(2026, 9, 20), 120, 30)
    client = login_client(world.teacher)
    page = client.get("/mijn-professionalisering").get_data(as_text=True)
    for entry in (session_entry, offering_entry):
        assert _edit_path(entry) not in page
        assert client.get(_edit_path(entry)).status_code == 404
        assert _post(client, _edit_path(entry), title="Anders").status_code == 404
        assert client.submit(_delete_path(entry)).status_code == 404
        fields = services.EntryFields(title="Anders", activity_date=date(2026, 9, 1))
        with pytest.raises(ServiceError, match="Only activities you added yourself"):
            services.update_entry(entry, world.teacher, fields)
        with pytest.raises(ServiceError, match="Only activities you added yourself"):
            services.delete_entry(entry, world.teacher)
        db.session.rollback()
    titles = db.session.scalars(sa.select(RecordEntry.title).order_by(RecordEntry.id)).all()
    assert titles == ["Intervisie lezen", "Rekendidactiek"]


def test_the_service_checks_what_the_form_does(world) -> None:
    fields = services.EntryFields(title="x" * 201, activity_date=date(2026, 1, 1))
    with pytest.raises(ServiceError) as raised:
        services.add_entry(world.teacher, fields)
    assert raised.value.field == "title"
    fields = services.EntryFields(title="Cursus", activity_date=None, contact_minutes=60)
    with pytest.raises(ServiceError) as raised:
        services.add_entry(world.teacher, fields)
    assert raised.value.field == "activity_date"
    fields = services.EntryFields(
        title="Cursus", activity_date=date(2026, 1, 1), self_study_minutes=-5
    )
    with pytest.raises(ServiceError) as raised:
        services.add_entry(world.teacher, fields)
    assert raised.value.field == "self_study_hours"
    assert services.parse_hours("1:00") == 60
    evidence = services.Evidence(io.BytesIO(PDF), "bewijs.pdf")
    fields = services.EntryFields(title="  ", activity_date=date(2026, 1, 1), contact_minutes=60)
    with pytest.raises(ServiceError, match="Enter what the activity was"):
        services.add_entry(world.teacher, fields, evidence)
    assert manual_entries() == []
