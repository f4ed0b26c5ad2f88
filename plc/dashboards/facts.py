"""What the school and board dashboards count: the schools' teachers, and per teacher what they
took part in during a school year. A fixed number of statements for any number of schools and
teachers.

The queries group in SQL per person and activity (a community, a community's sessions in one
month, an enrolment), not further: whether a cell may be shown depends on how many *different*
people it counts and on who would be left over by subtraction (`plc.core.disclosure`), and only
rows that still name the person can tell. Nothing here leaves this package: the pages only show
what `disclose` lets through.

What counts:
- **Teachers**: approved members of the school (any role), accounts not deleted.
- **Communities**: active memberships that began before the end of the school year. The
  platform keeps no history of leaving, so someone who left is no longer counted.
- **Live sessions**: attendance as credited to the development record (after the session), with
  its minutes, in the school year of the session.
- **Offerings**: enrolments that hold a place (enrolled or completed) in offerings that start in
  the school year (in its month), with their hours (contact and self-study) once completed.
Activities teachers add to their own record themselves are not counted: the record is theirs, and
their school sees it only when they share it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, NamedTuple

import sqlalchemy as sa

from plc.auth.models import CareerStage, User
from plc.catalogue.models import (
    PLACE_HOLDING,
    Enrolment,
    EnrolmentStatus,
    Offering,
    offering_theme,
)
from plc.communities.models import CommunityMember, MemberStatus, community_theme
from plc.core.models import utcnow
from plc.development.models import RecordEntry, RecordSource, school_year
from plc.extensions import db
from plc.live.models import LiveSession
from plc.live.services import amsterdam_moment, to_local
from plc.organisations.models import MembershipStatus, Organisation, OrganisationMembership
from plc.themes.models import Theme

#: The school year starts on 1 August (as `plc.development.models.school_year` has it).
FIRST_MONTH = 8
#: The oldest school year a dashboard offers.
OLDEST_YEAR = 2020
#: `Year.bucket` of a moment before or after the year.
BEFORE_YEAR = 0
AFTER_YEAR = 13


@dataclass(frozen=True)
class Year:
    """A Dutch school year, 1 August to 31 July."""

    start: int  #: the calendar year it starts in

    @property
    def name(self) -> str:
        return f"{self.start}-{self.start + 1}"

    @property
    def first_day(self) -> date:
        return date(self.start, FIRST_MONTH, 1)

    @property
    def end_day(self) -> date:
        """The first day after it."""
        return date(self.start + 1, FIRST_MONTH, 1)

    @property
    def starts_at(self) -> datetime:
        return amsterdam_moment(self.first_day, time(0))

    @property
    def ends_at(self) -> datetime:
        return amsterdam_moment(self.end_day, time(0))

    @property
    def months(self) -> list[date]:
        """The first day of each month, August to July."""
        return [self.month_of(month) for month in [*range(FIRST_MONTH, 13), *range(1, FIRST_MONTH)]]

    def month_of(self, month: int) -> date:
        return date(self.start if month >= FIRST_MONTH else self.start + 1, month, 1)

    def bucket(self, moment: Any) -> sa.Case[Any]:
        """SQL: the Amsterdam month (1–12) of a moment in the year; BEFORE_YEAR before it. The
        bounds are computed here, so both databases agree without a time-zone table."""
        ends = [*self.months[1:], self.end_day]
        return sa.case(
            (moment < self.starts_at, BEFORE_YEAR),
            *(
                (moment < amsterdam_moment(end, time(0)), month.month)
                for month, end in zip(self.months, ends, strict=True)
            ),
            else_=AFTER_YEAR,
        )

    def contains(self, day: date) -> bool:
        return self.first_day <= day < self.end_day


def current_year(today: date | None = None) -> Year:
    return Year(int(school_year(today or to_local(utcnow()).date())[:4]))


def recent_years(today: date | None = None) -> list[Year]:
    """The school years a dashboard offers, newest first."""
    newest = current_year(today).start
    return [Year(start) for start in range(newest, OLDEST_YEAR - 1, -1)]


def year_named(name: str | None, today: date | None = None) -> Year | None:
    """The offered school year called `name` ("2025-2026"); the current one for no name; None
    for anything else."""
    if not name:
        return current_year(today)
    return next((year for year in recent_years(today) if year.name == name), None)


# -- people and what they did -----------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    stage: CareerStage | None
    #: The schools of the dashboard's scope the person is an approved member of.
    schools: frozenset[int]


class Activity(NamedTuple):
    """What one person took part in, with the themes and the month it counts under. (A named
    tuple: a board's teachers have thousands, and tuples are the cheapest to make.)"""

    person: int
    #: Theme ids; None for an activity without a theme.
    themes: frozenset[int | None]
    #: The first day of its month; None: before the school year (community memberships).
    month: date | None
    #: Figures that add up: attendances and minutes, or enrolments, completions and minutes.
    values: tuple[int, ...] = ()
    #: The community of a membership (communities are counted once per cell).
    item: int | None = None


@dataclass
class Participation:
    #: The scope's schools, by id.
    schools: list[int]
    people: dict[int, Person]
    communities: list[Activity]
    sessions: list[Activity]
    offerings: list[Activity]
    #: The names of the themes the activities have.
    themes: dict[int, ThemeName]


#: A scope: school ids, or a SELECT of them (a board's schools, read in the same statement).
Scope = Sequence[int] | sa.Select[Any]


def _teacher_ids(school_ids: Scope) -> sa.Select[Any]:
    """The scope's teachers, as `_people` counts them. Not `plc.development.goals.teachers_of`:
    for a board that also takes the board's own members (its HR advisors and board members, who
    teach at none of its schools), and it keeps deleted accounts, which the figures leave out."""
    return (
        sa.select(OrganisationMembership.user_id)
        .join(User, User.id == OrganisationMembership.user_id)
        .where(
            OrganisationMembership.organisation_id.in_(school_ids),
            OrganisationMembership.status == MembershipStatus.APPROVED,
            User.deleted_at.is_(None),
        )
    )


#: Career stages as small numbers, so that the people's rows fit the activities' integer columns
#: (0: no stage).
_STAGES: dict[int, CareerStage | None] = {0: None} | dict(enumerate(CareerStage, start=1))


def _people_query(school_ids: Scope) -> sa.Select[Any]:
    """(person, school, career stage as its `_STAGES` number), once per person and school: two
    roles at one school are one teacher there."""
    stage = sa.case(
        *((User.career_stage == value, number) for number, value in _STAGES.items() if value),
        else_=0,
    )
    return (
        sa.select(OrganisationMembership.user_id, OrganisationMembership.organisation_id, stage)
        .join(User, User.id == OrganisationMembership.user_id)
        .where(
            OrganisationMembership.organisation_id.in_(school_ids),
            OrganisationMembership.status == MembershipStatus.APPROVED,
            User.deleted_at.is_(None),
        )
        .group_by(
            OrganisationMembership.user_id,
            OrganisationMembership.organisation_id,
            User.career_stage,
        )
    )


def _people(rows: list[tuple[int, int, int]]) -> dict[int, Person]:
    schools: dict[int, set[int]] = defaultdict(set)
    stages: dict[int, CareerStage | None] = {}
    for user_id, school_id, stage in rows:
        schools[user_id].add(school_id)
        stages[user_id] = _STAGES[stage]
    return {user_id: Person(stages[user_id], frozenset(ids)) for user_id, ids in schools.items()}


def _memberships_query(school_ids: Scope, year: Year) -> sa.Select[Any]:
    """(person, community, month joined: BEFORE_YEAR before the year)."""
    return sa.select(
        CommunityMember.user_id,
        CommunityMember.community_id,
        year.bucket(CommunityMember.joined_at),
    ).where(
        CommunityMember.user_id.in_(_teacher_ids(school_ids)),
        CommunityMember.status == MemberStatus.ACTIVE,
        CommunityMember.joined_at < year.ends_at,
    )


def _sessions_query(school_ids: Scope, year: Year) -> sa.Select[Any]:
    """(person, community, month, attendances, minutes), grouped per person, community and month."""
    month = sa.extract("month", RecordEntry.activity_date)
    return (
        sa.select(
            RecordEntry.user_id,
            LiveSession.community_id,
            month,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(RecordEntry.contact_minutes), 0),
        )
        .join(LiveSession, LiveSession.id == RecordEntry.source_id)
        .where(
            RecordEntry.source == RecordSource.LIVE_SESSION,
            RecordEntry.school_year == year.name,
            RecordEntry.user_id.in_(_teacher_ids(school_ids)),
        )
        .group_by(RecordEntry.user_id, LiveSession.community_id, month)
    )


def _enrolments_query(school_ids: Scope, year: Year) -> sa.Select[Any]:
    """(person, offering, month it starts, completed: 1 or 0, minutes) per enrolment that holds
    a place in an offering starting in the year."""
    starts = offering_start()
    return (
        sa.select(
            Enrolment.user_id,
            Enrolment.offering_id,
            year.bucket(starts),
            sa.case((Enrolment.status == EnrolmentStatus.COMPLETED, 1), else_=0),
            Offering.contact_minutes + Offering.self_study_minutes,
        )
        .select_from(Enrolment)
        .join(Offering, Offering.id == Enrolment.offering_id)
        .where(
            Enrolment.user_id.in_(_teacher_ids(school_ids)),
            Enrolment.status.in_(PLACE_HOLDING),
            starts >= year.starts_at,
            starts < year.ends_at,
        )
    )


Membership = tuple[int, int, date | None]
SessionRow = tuple[int, int, date, int, int]
EnrolmentRow = tuple[int, int, date, bool, int]

#: The row kinds of `_activities`' statement.
PEOPLE, MEMBERSHIPS, SESSIONS, ENROLMENTS, SCHOOLS, COMMUNITY_THEMES, OFFERING_THEMES = range(7)
#: Its columns after the kind: five numbers, then two texts (the names of a theme).
NUMBERS, TEXTS = 5, 2


def _padded(kind: int, numbers: Sequence[Any], texts: Sequence[Any] = ()) -> list[Any]:
    """A row of `_activities`' statement: its kind, its numbers and texts, padded with 0 and
    NULL to the same columns for every kind."""
    return [
        sa.literal_column(str(kind)),
        *numbers,
        *(sa.literal_column("0") for _ in range(NUMBERS - len(numbers))),
        *texts,
        *(sa.null() for _ in range(TEXTS - len(texts))),
    ]


def _themes_parts(
    memberships: sa.CTE, sessions: sa.CTE, enrolments: sa.CTE
) -> list[sa.Select[Any]]:
    """(community or offering, theme, its names) of the communities and offerings the
    activities are about."""
    communities = sa.union(
        sa.select(memberships.c.community_id), sa.select(sessions.c.community_id)
    )
    return [
        sa.select(
            *_padded(
                COMMUNITY_THEMES,
                [community_theme.c.community_id, Theme.id],
                [Theme.name_nl, Theme.name_en],
            )
        )
        .join(Theme, Theme.id == community_theme.c.theme_id)
        .where(community_theme.c.community_id.in_(communities)),
        sa.select(
            *_padded(
                OFFERING_THEMES,
                [offering_theme.c.offering_id, Theme.id],
                [Theme.name_nl, Theme.name_en],
            )
        )
        .join(Theme, Theme.id == offering_theme.c.theme_id)
        .where(offering_theme.c.offering_id.in_(sa.select(enrolments.c.offering_id))),
    ]


@dataclass
class _Found:
    """What `_activities` read, by kind."""

    schools: list[int] = field(default_factory=list)
    people: list[tuple[int, int, int]] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    sessions: list[SessionRow] = field(default_factory=list)
    enrolments: list[EnrolmentRow] = field(default_factory=list)
    community_themes: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    offering_themes: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    theme_names: dict[int, ThemeName] = field(default_factory=dict)


def _activities(scope: Scope, year: Year) -> _Found:
    """The scope's schools and teachers, their memberships (month joined; None before the year),
    session attendances and enrolments, and the themes of those communities and offerings, in
    one statement: the SELECTs united, each row led by its kind and padded to the same columns."""
    # Each read once, for its rows and for the themes of its communities or offerings.
    memberships = _memberships_query(scope, year).cte("memberships").prefix_with("MATERIALIZED")
    sessions = _sessions_query(scope, year).cte("sessions").prefix_with("MATERIALIZED")
    enrolments = _enrolments_query(scope, year).cte("enrolments").prefix_with("MATERIALIZED")
    people = _people_query(scope).subquery()
    united = sa.union_all(
        sa.select(*_padded(PEOPLE, list(people.c))),
        sa.select(*_padded(MEMBERSHIPS, list(memberships.c))),
        sa.select(*_padded(SESSIONS, list(sessions.c))),
        sa.select(*_padded(ENROLMENTS, list(enrolments.c))),
        sa.select(*_padded(SCHOOLS, [Organisation.id])).where(Organisation.id.in_(scope)),
        *_themes_parts(memberships, sessions, enrolments),
    )
    found = _Found()
    for kind, person, item, number, count, minutes, name_nl, name_en in db.session.execute(
        united
    ).all():
        if kind == PEOPLE:
            found.people.append((person, item, int(number)))
        elif kind == MEMBERSHIPS:
            number = int(number)
            month = None if number == BEFORE_YEAR else year.month_of(number)
            found.memberships.append((person, item, month))
        elif kind == SESSIONS:
            found.sessions.append(
                (person, item, year.month_of(int(number)), int(count), int(minutes))
            )
        elif kind == ENROLMENTS:
            done = bool(count)
            found.enrolments.append(
                (person, item, year.month_of(int(number)), done, minutes if done else 0)
            )
        elif kind == SCHOOLS:
            found.schools.append(person)
        else:  # a theme (`person` is the community or offering, `item` the theme)
            themes = found.community_themes if kind == COMMUNITY_THEMES else found.offering_themes
            themes[person].add(item)
            found.theme_names[item] = ThemeName(name_nl, name_en)
    return found


def offering_start() -> sa.ColumnElement[datetime]:
    """When an enrolment counts: its offering's first meeting (or, without meetings, the
    enrolment itself)."""
    return sa.func.coalesce(Offering.starts_at, Enrolment.created_at)


@dataclass(frozen=True)
class ThemeName:
    """A theme's names, labelled as `Theme.name` does."""

    name_nl: str
    name_en: str

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_nl


def participation(scope: Scope, year: Year) -> Participation:
    """The scope's schools, their teachers and what they took part in during `year`, in one
    statement."""
    found = _activities(scope, year)
    people = _people(found.people)
    memberships, sessions, enrolments = found.memberships, found.sessions, found.enrolments

    # One set per community or offering, not one per activity.
    none: frozenset[int | None] = frozenset({None})
    community_sets = {key: frozenset(ids) for key, ids in found.community_themes.items()}
    offering_sets = {key: frozenset(ids) for key, ids in found.offering_themes.items()}

    def themes(sets: dict[int, frozenset[int | None]], item: int) -> frozenset[int | None]:
        return sets.get(item, none)

    return Participation(
        schools=sorted(found.schools),
        people=people,
        communities=[
            Activity(person, themes(community_sets, community), month, item=community)
            for person, community, month in memberships
            if person in people  # the scope's teachers, as the same statement found them
        ],
        sessions=[
            Activity(person, themes(community_sets, community), month, (count, minutes))
            for person, community, month, count, minutes in sessions
            if person in people
        ],
        offerings=[
            Activity(person, themes(offering_sets, offering), month, (1, int(completed), minutes))
            for person, offering, month, completed, minutes in enrolments
            if person in people
        ],
        themes=found.theme_names,
    )
