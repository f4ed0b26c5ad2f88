"""What the record tests share (no tests of its own; the other test_record modules import it):
a school of a board with a teacher, a colleague, the school's leader and the board's HR advisor,
a leader of another school; builders for entries from each source, credited by the platform's
own services; a fresh upload folder per test.

Everyone reads English (`preferred_language="en"`), and so do the services' messages.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

from plc.auth.models import User
from plc.catalogue import services as catalogue
from plc.development import services
from plc.development.models import RecordEntry, RecordSource
from plc.extensions import db
from plc.live.models import Attendance, Audience, LiveSession, SessionMode
from plc.live.services import amsterdam_moment, credit_attendance
from plc.organisations.models import OrganisationKind, OrganisationRole
from tests.resources.conftest import PDF, PNG, stored_files

__all__ = ["PDF", "PNG", "stored_files"]

#: A title with what a Latin-1 font could not show: “quotes”, an en-dash, é and ë.
DUTCH_TITLE = "Cursus “Taalgericht vakonderwijs” – één dag over ideeën"


@dataclass
class World:
    board: Any
    school: Any  #: "Het Noordlicht", a school of the board
    other_school: Any
    teacher: User  #: "Zoë de Vries", teacher at the school
    colleague: User  #: another teacher at the school
    leader: User  #: school leader of the school
    hr: User  #: HR advisor of the board
    stranger: User  #: school leader of the other school


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Autouse wherever it is imported: the services' messages in English."""
    with force_locale("en"):
        yield


@pytest.fixture
def world(create_user, create_organisation, give_role) -> World:
    def person(name: str, login: str) -> User:
        email = f"{login}@example.org"
        return create_user(display_name=name, email=email, preferred_language="en")

    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Noord")
    school = create_organisation(name="Het Noordlicht", parent=board)
    other_school = create_organisation(name="De Zuidster")
    world = World(
        board=board,
        school=school,
        other_school=other_school,
        teacher=person("Zoë de Vries", "zoe"),
        colleague=person("Cas Collega", "cas"),
        leader=person("Lena Leider", "lena"),
        hr=person("Hugo Hofman", "hugo"),
        stranger=person("Sven Elders", "sven"),
    )
    give_role(world.teacher, school, OrganisationRole.TEACHER)
    give_role(world.colleague, school, OrganisationRole.TEACHER)
    give_role(world.leader, school, OrganisationRole.SCHOOL_LEADER)
    give_role(world.hr, board, OrganisationRole.HR_ADVISOR)
    give_role(world.stranger, other_school, OrganisationRole.SCHOOL_LEADER)
    return world


@pytest.fixture
def upload_folder(app: Flask, tmp_path: Path) -> Path:
    """Each test stores its files in a folder of its own (the config is restored afterwards)."""
    folder = tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = str(folder)
    return folder


# -- entries from each source ---------------------------------------------------------------------


@pytest.fixture
def attend_session(create_community) -> Callable[..., RecordEntry]:
    """`attend_session(user, day, minutes)`: a live session at 15:00 in Amsterdam on `day`, the
    person in its room for `minutes`, credited by the live feature's own service."""

    def build(user: User, day: date, minutes: int, title: str = "Intervisie lezen") -> RecordEntry:
        community = create_community(name=f"Leesgroep {uuid.uuid4().hex[:6]}")
        start = amsterdam_moment(day, time(15, 0))
        session = LiveSession(
            uid=f"{uuid.uuid4()}@leernetwerk.amsterdam",
            community_id=community.id,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            mode=SessionMode.ONLINE,
            audience=Audience.MEMBERS,
        )
        db.session.add(session)
        db.session.flush()
        left = start + timedelta(minutes=minutes)
        db.session.add(
            Attendance(
                session_id=session.id,
                user_id=user.id,
                connection_id=uuid.uuid4().hex,
                joined_at=start,
                seen_at=left,
                left_at=left,
            )
        )
        credit_attendance(session)
        db.session.commit()
        return _platform_entry(user, RecordSource.LIVE_SESSION, session.id)

    return build


@pytest.fixture
def complete_offering(create_offering) -> Callable[..., RecordEntry]:
    """`complete_offering(user, day, contact, self_study)`: an offering the person enrolled in,
    whose last meeting ended on `day`, completed by its provider (the catalogue's own service)."""

    def build(
        user: User, day: date, contact: int, self_study: int, title: str = "Rekendidactiek"
    ) -> RecordEntry:
        offering = create_offering(
            title=title, contact_minutes=contact, self_study_minutes=self_study
        )
        catalogue.enrol(offering, user)
        end = datetime.combine(day, time(12, 0), tzinfo=UTC)
        for meeting in offering.meetings:
            meeting.starts_at, meeting.ends_at = end - timedelta(hours=2), end
        offering.starts_at, offering.ends_at = end - timedelta(hours=2), end
        db.session.flush()
        catalogue.complete_offering(offering, offering.created_by)
        db.session.commit()
        return _platform_entry(user, RecordSource.OFFERING, offering.id)

    return build


def _platform_entry(user: User, source: RecordSource, source_id: int) -> RecordEntry:
    entry = db.session.scalar(
        sa.select(RecordEntry).where(
            RecordEntry.user_id == user.id,
            RecordEntry.source == source,
            RecordEntry.source_id == source_id,
        )
    )
    assert entry is not None
    return entry


def add_manual(user: User, evidence: tuple[bytes, str] | None = None, **fields: Any) -> RecordEntry:
    """An activity of the person's own, through the service (committed)."""
    values: dict[str, Any] = {
        "title": "Studiedag formatief handelen",
        "activity_date": date(2026, 10, 1),
        "provider": "Hogeschool van Amsterdam",
        "contact_minutes": 120,
        **fields,
    }
    upload = services.Evidence(io.BytesIO(evidence[0]), evidence[1]) if evidence else None
    entry = services.add_entry(user, services.EntryFields(**values), upload)
    db.session.commit()
    return entry


def entry_form(**fields: Any) -> dict[str, Any]:
    """The add/edit form as a browser posts it; `evidence=(bytes, name)` adds a file."""
    evidence = fields.pop("evidence", None)
    values: dict[str, Any] = {
        "title": DUTCH_TITLE,
        "activity_date": "2026-10-01",
        "provider": "Hogeschool van Amsterdam",
        "description": "Eerste regel.\nTweede regel.",
        "contact_hours": "1:30",
        "self_study_hours": "2,5",
        **fields,
    }
    if evidence is not None:
        values["evidence"] = (io.BytesIO(evidence[0]), evidence[1])
    return values


def manual_entries() -> list[RecordEntry]:
    return list(
        db.session.scalars(
            sa.select(RecordEntry)
            .where(RecordEntry.source == RecordSource.MANUAL)
            .order_by(RecordEntry.id)
        )
    )
