"""The development demo: a school year and a term of activity at three Esprit schools, school
goals, plans and records; what the demo school leader, HR advisor and coordinator see, and the
demo teacher's record as a PDF."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from pypdf import PdfReader

from plc.auth.demo import DEMO_PASSWORD
from plc.auth.models import User
from plc.development.models import PersonalGoal, RecordEntry, RecordSharing, RecordSource
from plc.extensions import db

Login = Callable[..., Any]


def _user(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def _demo_has_a_year_of_activity_to_tell_a_story() -> None:
    per_year = dict(
        db.session.execute(
            sa.select(RecordEntry.school_year, sa.func.count())
            .where(RecordEntry.source != RecordSource.MANUAL)
            .group_by(RecordEntry.school_year)
        ).all()
    )
    assert len(per_year) >= 2 and min(per_year.values()) >= 50  # last year and this one
    months = {
        (day.year, day.month)
        for day in db.session.scalars(
            sa.select(RecordEntry.activity_date).where(
                RecordEntry.source == RecordSource.LIVE_SESSION
            )
        )
    }
    assert len(months) >= 10  # month by month, not one burst


def _last_school_year() -> str:
    this_year = max(db.session.scalars(sa.select(RecordEntry.school_year).distinct()))
    start = int(this_year[:4]) - 1
    return f"{start}-{start + 1}"


def _demo_teacher_keeps_a_plan_and_shares_one_goal_and_her_record(login: Login) -> None:
    fatima = _user("fatima@example.org")
    plan = list(
        db.session.scalars(sa.select(PersonalGoal).where(PersonalGoal.user_id == fatima.id))
    )
    assert len(plan) == 3
    assert [g.title for g in plan if g.shared_at] == [
        "Feedback tijdens de les in de onderbouw wiskunde"
    ]
    client = login(fatima, DEMO_PASSWORD)
    page = client.get("/mijn-ontwikkeling").get_data(as_text=True)
    assert "Taalgericht rekenen met nieuwkomers" in page
    assert 'href="/mijn-professionalisering"' in page  # the plan and the record link each other
    record = client.get("/mijn-professionalisering").get_data(as_text=True)
    assert "Masterclass taalgericht vakonderwijs" in record
    assert 'href="/mijn-ontwikkeling"' in record.split("<main", 1)[1]

    masterclass = db.session.scalars(
        sa.select(RecordEntry).where(RecordEntry.title == "Masterclass taalgericht vakonderwijs")
    ).one()
    certificate = client.get(f"/professionalisering/bewijs/{masterclass.id}")
    assert certificate.status_code == 200 and certificate.mimetype == "application/pdf"
    assert "Bewijs van deelname" in PdfReader(io.BytesIO(certificate.data)).pages[0].extract_text()
    certificate.close()  # a stored file is streamed from its open handle

    # Done when: the demo teacher exports her record as a readable PDF.
    response = client.get("/mijn-professionalisering/overzicht.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Fatima El Amrani" in text
    assert "Masterclass taalgericht vakonderwijs" in text
    assert "Nationaal congres formatief evalueren" in text


def _demo_starter_shares_nothing() -> None:
    sanne = _user("sanne@example.org")
    assert db.session.get(RecordSharing, sanne.id) is None
    assert not db.session.scalar(
        sa.select(sa.func.count())
        .select_from(PersonalGoal)
        .where(PersonalGoal.user_id == sanne.id, PersonalGoal.shared_at.is_not(None))
    )


def _demo_school_leader_sees_a_useful_and_privacy_respecting_picture(login: Login) -> None:
    client = login(_user("yusuf@example.org"), DEMO_PASSWORD)
    start = client.get("/").get_data(as_text=True)
    assert "/dashboard/school/mundus-college" in start  # found where he looks first
    page = client.get("/dashboard/school/mundus-college").get_data(as_text=True)
    assert "Mundus College" in page
    # Participation figures, by theme, career stage and month, with their tables.
    for heading in ("per thema", "per loopbaanfase", "per maand"):
        assert heading in page
    assert "<svg" in page and "<table" in page
    # The school's goals with the count of teachers' goals serving them (from five up).
    assert "Formatief handelen in alle secties" in page
    # What teachers chose to share, and only that.
    assert "Feedback tijdens de les in de onderbouw wiskunde" in page
    assert "Taalgericht rekenen met nieuwkomers" not in page
    assert "Coach worden voor een startende collega" not in page
    assert "Fatima El Amrani" in page  # she shares her record
    # Months of sessions, as a table to download: every month of last year's meetings shows.
    csv = client.get(
        "/dashboard/school/mundus-college/sessies-maand.csv?jaar=" + _last_school_year()
    )
    assert csv.status_code == 200
    rows = [line for line in csv.get_data(as_text=True).splitlines()[1:] if line.strip()]
    assert len(rows) >= 9


def _demo_board_and_network_dashboards(login: Login) -> None:
    board = login(_user("lotte@example.org"), DEMO_PASSWORD).get(
        "/dashboard/bestuur/esprit-scholen"
    )
    page = board.get_data(as_text=True)
    assert board.status_code == 200
    for school in ("Mundus College", "Berlage Lyceum", "Marcanti College"):
        assert school in page
    network = login(_user("emma@example.org"), DEMO_PASSWORD).get("/dashboard/netwerk")
    assert network.status_code == 200
    assert "Esprit Scholen" in network.get_data(as_text=True)


def test_the_development_demo(login_client, demo_data) -> None:
    """One load of the demo, then each part checked in turn."""
    demo_data()
    _demo_has_a_year_of_activity_to_tell_a_story()
    _demo_teacher_keeps_a_plan_and_shares_one_goal_and_her_record(login_client)
    _demo_starter_shares_nothing()
    _demo_school_leader_sees_a_useful_and_privacy_respecting_picture(login_client)
    _demo_board_and_network_dashboards(login_client)
