"""A small world for the dashboards: a board with two schools, a school without a board, the
people who may (and may not) read their dashboards, and quick builders for what teachers do
(join a community, attend a session, enrol in an offering), all in the current school year.

Everyone reads the site in English (`preferred_language="en"`), so tests can read page text.

De Linde and Het Baken each have five people who take part in nothing (their leaders, Lotte
Jansen, and colleagues without a career stage), as schools do: the dashboards protect those who
did not take part as well as those who did, and with one to four of them beside the teachers
taking part, the tests would find nothing shown.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from flask_babel import force_locale

from plc.auth.models import CareerStage, User
from plc.catalogue.models import Enrolment, EnrolmentStatus
from plc.communities.models import CommunityMember, MemberStatus
from plc.core.models import utcnow
from plc.dashboards.facts import Year, current_year
from plc.development.models import RecordEntry, RecordSource, school_year
from plc.extensions import db
from plc.live.models import LiveSession, SessionMode
from plc.live.services import amsterdam_moment
from plc.organisations.models import (
    MembershipStatus,
    OrganisationKind,
    OrganisationMembership,
    OrganisationRole,
)


@dataclass
class World:
    year: Year
    #: A day in September of the current school year.
    day: date
    board: Any  #: "Stichting Amstel"
    school: Any  #: "De Linde", of the board
    other: Any  #: "Het Baken", of the board
    lone: Any  #: "Het Eiland", without a board
    leader: Any  #: school leader of De Linde
    other_leader: Any  #: school leader of Het Baken
    hr: Any  #: HR advisor of the board
    board_member: Any  #: board member of the board
    teacher: Any  #: a teacher of De Linde
    outsider: Any
    coordinator: Any
    admin: Any
    theme: Any  #: "Formatief evalueren"
    community: Any  #: about the theme
    #: Colleagues without a career stage who take part in nothing: three at De Linde, four at
    #: Het Baken (with the leaders and Lotte Jansen, five at each).
    bystanders: list[Any]


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    with force_locale("en"):
        yield


@pytest.fixture
def person(create_user):
    def build(name: str, **fields: Any) -> User:
        email = name.lower().replace(" ", ".") + "@example.org"
        return create_user(display_name=name, email=email, preferred_language="en", **fields)

    return build


@pytest.fixture
def world(
    person, create_organisation, give_role, create_theme, create_community, add_teachers
) -> World:
    year = current_year()
    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Amstel")
    school = create_organisation(name="De Linde", parent_id=board.id)
    other = create_organisation(name="Het Baken", parent_id=board.id)
    lone = create_organisation(name="Het Eiland")
    leader = person("Mirjam Visser")
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    other_leader = person("Ruud Kok")
    give_role(other_leader, other, OrganisationRole.SCHOOL_LEADER)
    hr = person("Karim Haddou")
    give_role(hr, board, OrganisationRole.HR_ADVISOR)
    board_member = person("Els Bestuur")
    give_role(board_member, board, OrganisationRole.BOARD_MEMBER)
    teacher = person("Lotte Jansen")
    give_role(teacher, school)
    theme = create_theme("Formatief evalueren", name_en="Formative assessment")
    community = create_community(
        owner=person("Fatima El Amrani"),
        name="Formatief in de onderbouw",
        theme_ids=[theme.id],
    )
    return World(
        year=year,
        day=year.first_day + timedelta(days=40),
        board=board,
        school=school,
        other=other,
        lone=lone,
        leader=leader,
        other_leader=other_leader,
        hr=hr,
        board_member=board_member,
        teacher=teacher,
        outsider=person("Piet Buiten"),
        coordinator=person("Coby Netwerk", is_coordinator=True),
        admin=person("Beheerder", is_admin=True),
        theme=theme,
        community=community,
        bystanders=add_teachers(school, 3, None) + add_teachers(other, 4, None),
    )


@pytest.fixture
def add_teachers():
    """`n` teachers of `school` in one commit (no password: they never log in)."""

    def build(
        school: Any, n: int, stage: CareerStage | None = CareerStage.EXPERIENCED
    ) -> list[User]:
        people = [
            User(
                email=f"t-{uuid.uuid4().hex[:10]}@example.org",
                display_name=f"Teacher {index}",
                career_stage=stage,
            )
            for index in range(n)
        ]
        db.session.add_all(people)
        db.session.flush()
        db.session.add_all(
            OrganisationMembership(
                organisation_id=school.id,
                user_id=user.id,
                role=OrganisationRole.TEACHER,
                status=MembershipStatus.APPROVED,
            )
            for user in people
        )
        db.session.commit()
        return people

    return build


@pytest.fixture
def join():
    def build(users: Sequence[User], community: Any) -> None:
        db.session.add_all(
            CommunityMember(
                community_id=community.id,
                user_id=user.id,
                status=MemberStatus.ACTIVE,
                joined_at=utcnow(),
            )
            for user in users
        )
        community.member_count += len(users)
        db.session.commit()

    return build


@pytest.fixture
def attend(world):
    """A session of `community` on `day` that `users` attended for `minutes`, credited to their
    records as the live room does."""

    def build(
        users: Sequence[User], community: Any = None, day: date | None = None, minutes: int = 60
    ) -> LiveSession:
        community = community or world.community
        day = day or world.day
        starts_at = amsterdam_moment(day, time(15))
        session = LiveSession(
            uid=uuid.uuid4().hex,
            community_id=community.id,
            title="Bijeenkomst",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            mode=SessionMode.ONLINE,
            credited_at=utcnow(),
        )
        db.session.add(session)
        db.session.flush()
        db.session.add_all(
            RecordEntry(
                user_id=user.id,
                source=RecordSource.LIVE_SESSION,
                source_id=session.id,
                title=session.title,
                activity_date=day,
                school_year=school_year(day),
                contact_minutes=minutes,
            )
            for user in users
        )
        db.session.commit()
        return session

    return build


@pytest.fixture
def enrol():
    def build(users: Sequence[User], offering: Any, completed: bool = False) -> None:
        status = EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.ENROLLED
        db.session.add_all(
            Enrolment(offering_id=offering.id, user_id=user.id, status=status) for user in users
        )
        db.session.commit()

    return build


def read_csv(text: str) -> list[list[str]]:
    """The rows of a dashboard's CSV file, as Dutch Excel reads it: after the byte order mark,
    fields between `;` (hours then have a decimal comma)."""
    assert text.startswith("\ufeff"), "no byte order mark"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def row_of(rows: list[list[str]], label: str) -> list[str]:
    return next(row for row in rows if row and row[0] == label)


class _TableReader(HTMLParser):
    """The rows (cell texts) of the table labelled `tabel-<id>` on a dashboard page."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.label = f"tabel-{table_id}"
        self.inside = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("aria-labelledby") == self.label:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def page_table(page: str, table_id: str) -> list[list[str]]:
    reader = _TableReader(table_id)
    reader.feed(page)
    assert reader.rows, f"no table {table_id} on the page"
    return reader.rows
