"""The record's hours add up from their sources: attended live-session minutes, completed
offerings' hours and the teacher's own entries, per school year (from 1 August) and overall;
contributed knowledge outputs are listed per school year, without hours."""

from __future__ import annotations

from datetime import date

import pytest

from plc.core.errors import ServiceError
from plc.development import services
from plc.development.models import RecordSource, school_year
from plc.extensions import db
from plc.knowledge import services as knowledge
from tests.development import record_world as shared
from tests.development.record_world import add_manual, entry_form

world = shared.world
english_messages = shared.english_messages
attend_session = shared.attend_session
complete_offering = shared.complete_offering
upload_folder = shared.upload_folder


def test_hours_add_up_per_school_year_and_overall(
    world, attend_session, complete_offering, login_client
) -> None:
    teacher = world.teacher
    # School year 2025-2026 ends on 31 July 2026.
    attend_session(teacher, date(2026, 7, 31), 45, title="Zomersessie lezen")
    add_manual(
        teacher,
        title="Zomercursus",
        activity_date=date(2026, 7, 31),
        contact_minutes=90,
        self_study_minutes=120,
    )
    # School year 2026-2027 starts on 1 August 2026.
    attend_session(teacher, date(2026, 8, 1), 30, title="Startsessie")
    complete_offering(teacher, date(2026, 10, 5), contact=240, self_study=60)
    client = login_client(teacher)
    response = client.submit(
        "/mijn-professionalisering/nieuw",
        entry_form(
            title="Congres",
            activity_date="2026-08-01",
            contact_hours="1,5",
            self_study_hours="0:45",
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    # Someone else's hours count for them, not here.
    add_manual(world.colleague, contact_minutes=600)

    years = services.record_of(teacher)
    by_year = {year.name: year for year in years}
    assert [year.name for year in years] == ["2026-2027", "2025-2026"]
    # By hand: 2025-2026 contact 45 + 90 = 135, self-study 120.
    assert by_year["2025-2026"].contact_minutes == 135
    assert by_year["2025-2026"].self_study_minutes == 120
    assert by_year["2025-2026"].total_minutes == 255
    # 2026-2027 contact 30 + 240 + 90 = 360, self-study 60 + 45 = 105.
    assert by_year["2026-2027"].contact_minutes == 360
    assert by_year["2026-2027"].self_study_minutes == 105
    assert by_year["2026-2027"].total_minutes == 465
    overall = services.totals(years)
    assert (overall.contact_minutes, overall.self_study_minutes, overall.total_minutes) == (
        495,
        225,
        720,
    )
    sources = {(e.title, e.source) for year in years for e in year.entries}
    assert sources == {
        ("Zomersessie lezen", RecordSource.LIVE_SESSION),
        ("Zomercursus", RecordSource.MANUAL),
        ("Startsessie", RecordSource.LIVE_SESSION),
        ("Rekendidactiek", RecordSource.OFFERING),
        ("Congres", RecordSource.MANUAL),
    }

    # The page shows the same totals, in hours:minutes.
    page = client.get("/mijn-professionalisering").get_data(as_text=True)
    assert "Contact hours 8:15, self-study 3:45, together 12:00" in page
    assert "Contact hours 2:15, self-study 2:00, together 4:15" in page
    assert "Contact hours 6:00, self-study 1:45, together 7:45" in page


def test_31_july_and_1_august_fall_in_different_school_years(world, login_client) -> None:
    client = login_client(world.teacher)
    for day, title in (("2026-07-31", "Laatste dag"), ("2026-08-01", "Eerste dag")):
        response = client.submit(
            "/mijn-professionalisering/nieuw",
            entry_form(title=title, activity_date=day),
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
    years = {
        year.name: [e.title for e in year.entries] for year in services.record_of(world.teacher)
    }
    assert years == {"2025-2026": ["Laatste dag"], "2026-2027": ["Eerste dag"]}


def test_platform_entries_name_where_they_took_place(
    world, attend_session, complete_offering
) -> None:
    session_entry = attend_session(world.teacher, date(2026, 9, 10), 60)
    offering_entry = complete_offering(world.teacher, date(2026, 9, 20), 120, 0)
    [year] = services.record_of(world.teacher)
    assert year.provider(session_entry).startswith("Leesgroep ")
    assert year.provider(offering_entry).startswith("School ")  # the provider's name


def test_one_school_year_of_the_record(world) -> None:
    add_manual(world.teacher, title="Oud", activity_date=date(2025, 3, 1))
    add_manual(world.teacher, title="Nieuw", activity_date=date(2026, 9, 1))
    [year] = services.record_of(world.teacher, "2024-2025")
    assert [e.title for e in year.entries] == ["Oud"]
    assert services.record_of(world.teacher, "2019-2020") == []


def test_contributed_outputs_are_listed_per_school_year_without_hours(
    world, create_output, create_community, add_member, create_user
) -> None:
    owner = create_user()
    community = create_community(owner=owner, name="Rekenen in de onderbouw")
    add_member(community, world.teacher)
    published = create_output(community, author=world.teacher, title="Tafels oefenen")
    create_output(community, author=world.teacher, state="draft", title="Nog een concept")
    create_output(community, title="Van iemand anders")
    withdrawn = create_output(community, author=world.teacher, title="Ingetrokken")
    knowledge.withdraw(withdrawn, owner, "Verouderd.")
    db.session.commit()

    years = services.record_of(world.teacher)
    [year] = years
    assert year.name == school_year(services.amsterdam_today())
    assert [(o.title, o.community) for o in year.outputs] == [
        ("Tafels oefenen", "Rekenen in de onderbouw")
    ]
    assert year.outputs[0].slug == published.slug
    assert year.entries == [] and services.totals(years).total_minutes == 0


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("1:30", 90),
        ("1,5", 90),
        ("1.5", 90),
        (" 2 ", 120),
        ("0:05", 5),
        ("1,25", 75),
        (",5", 30),
        ("3,", 180),
        ("", 0),
        ("1000", 60_000),
    ],
)
def test_hours_are_read_as_hours_and_minutes_or_as_a_decimal(typed, minutes) -> None:
    assert services.parse_hours(typed) == minutes


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "Hours cannot be negative."),
        ("-0:30", "Hours cannot be negative."),
        ("1:75", "Enter the hours as 1:30 or as 1,5."),
        ("1:5", "Enter the hours as 1:30 or as 1,5."),
        ("anderhalf", "Enter the hours as 1:30 or as 1,5."),
        ("1,5,0", "Enter the hours as 1:30 or as 1,5."),
        ("1u30", "Enter the hours as 1:30 or as 1,5."),
        ("1001", "At most 1000 hours per activity."),
    ],
)
def test_other_hours_get_a_clear_error(typed, message) -> None:
    with pytest.raises(ServiceError) as raised:
        services.parse_hours(typed)
    assert str(raised.value.message) == message
