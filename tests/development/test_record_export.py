"""The record as a PDF (read back with pypdf) and as a CSV file (read back with `csv`), whole or
for one school year, with filenames for the competence file."""

from __future__ import annotations

import csv
import io
from datetime import date

import pypdf
import pytest

from plc.development import services
from plc.extensions import db
from tests.development import record_world as shared
from tests.development.record_world import DUTCH_TITLE, PDF, add_manual

world = shared.world
english_messages = shared.english_messages
upload_folder = shared.upload_folder
attend_session = shared.attend_session
complete_offering = shared.complete_offering

OWN = "/mijn-professionalisering"


@pytest.fixture
def record(world, attend_session, complete_offering, create_output, create_community, add_member):
    """Two school years: 2026-2027 with an own activity (with evidence), a session, an
    offering and a contributed output; 2025-2026 with one own activity."""
    add_manual(
        world.teacher,
        title=DUTCH_TITLE,
        provider="Hogeschool van Amsterdam",
        contact_minutes=90,
        self_study_minutes=150,
        evidence=(PDF, "Certificaat één.pdf"),
    )
    attend_session(world.teacher, date(2026, 9, 10), 50, title="Leesgesprekken")
    complete_offering(world.teacher, date(2026, 9, 20), 240, 60, title="Rekendidactiek")
    add_manual(
        world.teacher,
        title="=SUM(A1:A9)",  # a formula, to see that a spreadsheet will not run it
        activity_date=date(2026, 7, 31),
        provider="Congres “Onderwijs & Taal”",
        contact_minutes=45,
    )
    community = create_community(name="Rekenen in de onderbouw")
    add_member(community, world.teacher)
    create_output(community, author=world.teacher, title="Tafels – oefenen met flitsen")
    # Someone else's record stays out of it.
    add_manual(world.colleague, title="Van een collega")
    return world


def _pdf_text(body: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def _csv_rows(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _download(client, path: str) -> tuple[bytes, dict[str, str]]:
    with client.get(path) as response:
        assert response.status_code == 200, path
        return response.data, dict(response.headers)


def test_the_pdf_holds_the_name_the_activities_and_the_totals(record, login_client) -> None:
    body, headers = _download(login_client(record.teacher), f"{OWN}/overzicht.pdf")
    assert body.startswith(b"%PDF-")
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == (
        "attachment; filename=professionaliseringsoverzicht.pdf"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "private, no-store"
    reader = pypdf.PdfReader(io.BytesIO(body))
    assert reader.metadata.author == "Zoë de Vries"
    text = _pdf_text(body)
    assert "Professional development record" in text
    assert "Zoë de Vries" in text
    assert DUTCH_TITLE in " ".join(text.split())  # a long title may wrap in its cell
    assert "Hogeschool van Amsterdam" in text and "Live session – " in text
    # 2026-2027: contact 90 + 50 + 240 = 380 (6:20), self-study 150 + 60 = 210 (3:30).
    assert "School year 2026-2027" in text and "Total 2026-2027 6:20 3:30" in text
    assert "Contact hours 6:20, self-study 3:30, together 9:50." in text
    # 2025-2026: 45 minutes; overall: contact 425 (7:05), self-study 210 (3:30).
    assert "Total 2025-2026 0:45 0:00" in text
    assert "Contact hours 7:05, self-study 3:30, together 10:35." in text
    assert "Contributed knowledge outputs" in text and "Tafels – oefenen met flitsen" in text
    assert "Van een collega" not in text


def test_the_pdf_of_one_school_year(record, login_client) -> None:
    body, headers = _download(login_client(record.teacher), f"{OWN}/overzicht.pdf?jaar=2025-2026")
    assert headers["Content-Disposition"] == (
        "attachment; filename=professionaliseringsoverzicht-2025-2026.pdf"
    )
    text = _pdf_text(body)
    assert "School year 2025-2026" in text and "=SUM(A1:A9)" in text
    assert "2026-2027" not in text and DUTCH_TITLE not in " ".join(text.split())
    assert "All school years" not in text


def test_the_pdf_in_dutch(record, login_client) -> None:
    record.teacher.preferred_language = "nl"
    db.session.commit()
    body, _headers = _download(login_client(record.teacher), f"{OWN}/overzicht.pdf")
    reader = pypdf.PdfReader(io.BytesIO(body))
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert "Zoë de Vries" in _pdf_text(body)


def test_an_empty_record_still_exports(world, login_client) -> None:
    client = login_client(world.teacher)
    body, _headers = _download(client, f"{OWN}/overzicht.pdf")
    assert "Nothing recorded yet." in _pdf_text(body)
    body, _headers = _download(client, f"{OWN}/overzicht.csv")
    assert len(_csv_rows(body)) == 1  # the header only


def test_the_csv_has_one_row_per_entry_and_output(record, login_client) -> None:
    body, headers = _download(login_client(record.teacher), f"{OWN}/overzicht.csv")
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Disposition"] == (
        "attachment; filename=professionaliseringsoverzicht.csv"
    )
    header, *rows = _csv_rows(body)
    assert header == [
        "School year",
        "Date",
        "Title",
        "Source",
        "Provider",
        "Contact minutes",
        "Contact hours",
        "Self-study minutes",
        "Self-study hours",
        "Evidence",
    ]
    offering_provider, session_provider = rows[1][4], rows[2][4]
    assert rows == [
        [
            "2026-2027",
            "2026-10-01",
            DUTCH_TITLE,
            "Own entry",
            "Hogeschool van Amsterdam",
            "90",
            "1,5",
            "150",
            "2,5",
            "Certificaat één.pdf",
        ],
        [
            "2026-2027",
            "2026-09-20",
            "Rekendidactiek",
            "Offering",
            offering_provider,
            "240",
            "4",
            "60",
            "1",
            "",
        ],
        [
            "2026-2027",
            "2026-09-10",
            "Leesgesprekken",
            "Live session",
            session_provider,
            "50",
            "0,83",
            "0",
            "0",
            "",
        ],
        [
            "2026-2027",
            services.amsterdam_today().isoformat(),
            "Tafels – oefenen met flitsen",
            "Knowledge output",
            "Rekenen in de onderbouw",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "2025-2026",
            "2026-07-31",
            "'=SUM(A1:A9)",
            "Own entry",
            "Congres “Onderwijs & Taal”",
            "45",
            "0,75",
            "0",
            "0",
            "",
        ],
    ]
    assert session_provider.startswith("Leesgroep ") and offering_provider.startswith("School ")


def test_the_csv_of_one_school_year(record, login_client) -> None:
    body, headers = _download(login_client(record.teacher), f"{OWN}/overzicht.csv?jaar=2025-2026")
    assert headers["Content-Disposition"] == (
        "attachment; filename=professionaliseringsoverzicht-2025-2026.csv"
    )
    _header, *rows = _csv_rows(body)
    assert [row[2] for row in rows] == ["'=SUM(A1:A9)"]


def test_a_leaders_copy_names_the_teacher(record, login_client) -> None:
    services.share_record(record.teacher)
    db.session.commit()
    client = login_client(record.hr)
    base = f"/professionalisering/{record.teacher.id}/overzicht"
    body, headers = _download(client, f"{base}.pdf?jaar=2026-2027")
    assert headers["Content-Disposition"] == (
        "attachment; filename=professionaliseringsoverzicht-zoe-de-vries-2026-2027.pdf"
    )
    assert "Zoë de Vries" in _pdf_text(body)
    body, headers = _download(client, f"{base}.csv")
    assert headers["Content-Disposition"] == (
        "attachment; filename=professionaliseringsoverzicht-zoe-de-vries.csv"
    )
    assert len(_csv_rows(body)) == 6
