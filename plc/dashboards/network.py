"""The network dashboard: Amsterdam as a whole, month by month through a school year, for the
network's coordinators. Every figure is a GROUP BY in SQL (months, boards, themes, statuses), so
the page runs the same statements whatever the size of the network.

- **Communities** at the end of each month (those started by then; the platform keeps no date of
  closing), and how many of them are **cross-school**: co-owned by two or more organisations
  (accepted), or with active members from two or more schools (approved memberships). Both as
  they are today.
- **Participation per month**: credited session attendance and its hours (and the sessions it
  was in); enrolments in offerings that start that month, completions and their hours. Counts of
  activities across Amsterdam, not of people.
- **Participation per board**: teachers (approved members of schools) per board, each counted at
  one board (the lowest id among their schools' boards) so that the boards split the total. These
  count people, so a board's figures of a kind (communities, sessions, offerings) are shown only
  for at least `MIN_GROUP` teachers taking part, beside none or at least `MIN_GROUP` of its
  teachers not taking part (its teachers are in the table too), and not when a smaller group
  could be worked out from the totals (`plc.core.disclosure.disclose`).
- **Learning questions and offerings per theme**: questions asked in the year (not private ones),
  their "me too"s, and published offerings that start in the year.
- **Pilots** whose period touches the year, by their status today.
- **Knowledge outputs** published per month (still published), uses recorded per month (and by
  how many schools), and over the year: how many of the outputs published in it are in use, and
  at how many schools.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from plc.auth.models import User
from plc.catalogue.models import (
    PLACE_HOLDING,
    Enrolment,
    EnrolmentStatus,
    LearningQuestion,
    Offering,
    OfferingStatus,
    QuestionVisibility,
    offering_theme,
    question_theme,
)
from plc.communities.models import Community, CommunityMember, MemberStatus
from plc.core.disclosure import MIN_GROUP, TOTAL, Fact, disclose
from plc.core.i18n import current_language
from plc.dashboards.facts import BEFORE_YEAR, Year, offering_start
from plc.dashboards.participation import month_label
from plc.dashboards.tables import Column, Row, Table
from plc.development.models import RecordEntry, RecordSource
from plc.extensions import db
from plc.knowledge.models import KnowledgeOutput, OutputStatus, OutputUse
from plc.organisations.models import (
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
)
from plc.pilots.forms import STATUS_SHORT
from plc.pilots.models import Pilot, PilotStatus
from plc.themes.models import Theme

#: The row of teachers whose schools have no board.
NO_BOARD = "none"


def _month_rows(year: Year) -> list[tuple[date, str]]:
    return [(month, month_label(month)) for month in year.months]


def _by_month(rows: Sequence[Any]) -> dict[int, tuple[int, ...]]:
    return {int(row[0]): tuple(int(value or 0) for value in row[1:]) for row in rows}


def _united(*queries: sa.Select[Any]) -> list[list[Sequence[Any]]]:
    """The rows of several grouped SELECTs in one statement: united, each row led by its
    query's number and padded with zeros to the widest; given back query by query."""
    parts = [query.subquery() for query in queries]
    wide = max(len(part.c) for part in parts)
    united = sa.union_all(
        *(
            sa.select(
                sa.literal_column(str(number)),
                *part.c,
                *(sa.literal_column("0") for _ in range(wide - len(part.c))),
            )
            for number, part in enumerate(parts)
        )
    )
    found: list[list[Sequence[Any]]] = [[] for _ in parts]
    for number, *row in db.session.execute(united):
        found[number].append(row[: len(parts[number].c)])
    return found


# -- communities -------------------------------------------------------------------------------


def _member_schools() -> Any:
    """Per community: from how many schools its active members come."""
    school = aliased(Organisation)
    return (
        sa.select(
            CommunityMember.community_id,
            sa.func.count(sa.distinct(OrganisationMembership.organisation_id)).label("schools"),
        )
        .join(OrganisationMembership, OrganisationMembership.user_id == CommunityMember.user_id)
        .join(school, school.id == OrganisationMembership.organisation_id)
        .where(
            CommunityMember.status == MemberStatus.ACTIVE,
            OrganisationMembership.status == MembershipStatus.APPROVED,
            school.kind == OrganisationKind.SCHOOL,
        )
        .group_by(CommunityMember.community_id)
        .subquery()
    )


def communities_table(year: Year) -> Table:
    schools = _member_schools()
    month = year.bucket(Community.created_at)
    cross = sa.or_(Community.owner_count >= 2, sa.func.coalesce(schools.c.schools, 0) >= 2)
    counts = _by_month(
        db.session.execute(
            sa.select(month, sa.func.count(), sa.func.sum(sa.case((cross, 1), else_=0)))
            .outerjoin(schools, schools.c.community_id == Community.id)
            .where(Community.created_at < year.ends_at)
            .group_by(month)
        ).all()
    )
    total, crossing = counts.get(BEFORE_YEAR, (0, 0))
    rows = []
    for first, label in _month_rows(year):
        new, new_crossing = counts.get(first.month, (0, 0))
        total, crossing = total + new, crossing + new_crossing
        rows.append(Row(label, (new, total, crossing)))
    return Table(
        id="gemeenschappen",
        caption=_("Communities month by month"),
        row_header=_("Month"),
        columns=[
            Column("nieuw", _("New")),
            Column("totaal", _("At the end of the month"), charted=True),
            Column("schooloverstijgend", _("Of which cross-school"), charted=True),
        ],
        rows=rows,
        notes=[
            _(
                "Cross-school: co-owned by two or more organisations, or with members from two or more schools (as they are today)."
            ),
            _("At the end of the month: the communities started by then; closed ones still count."),
        ],
    )


# -- participation per month -------------------------------------------------------------------


def participation_table(year: Year) -> Table:
    month = sa.extract("month", RecordEntry.activity_date)
    held_query = (
        sa.select(
            month,
            sa.func.count(sa.distinct(RecordEntry.source_id)),
            sa.func.count(),
            sa.func.sum(RecordEntry.contact_minutes),
        )
        .where(
            RecordEntry.source == RecordSource.LIVE_SESSION,
            RecordEntry.school_year == year.name,
        )
        .group_by(month)
    )
    starts = offering_start()
    bucket = year.bucket(starts)
    done = Enrolment.status == EnrolmentStatus.COMPLETED
    enrolled_query = (
        sa.select(
            bucket,
            sa.func.count(),
            sa.func.sum(sa.case((done, 1), else_=0)),
            sa.func.sum(
                sa.case((done, Offering.contact_minutes + Offering.self_study_minutes), else_=0)
            ),
        )
        .join(Offering, Offering.id == Enrolment.offering_id)
        .where(
            Enrolment.status.in_(PLACE_HOLDING),
            starts >= year.starts_at,
            starts < year.ends_at,
        )
        .group_by(bucket)
    )
    # Sessions and enrolments month by month: one statement.
    session_rows, offering_rows = _united(held_query, enrolled_query)
    sessions, offerings = _by_month(session_rows), _by_month(offering_rows)
    rows = []
    for first, label in _month_rows(year):
        held, attended, minutes = sessions.get(first.month, (0, 0, 0))
        enrolled, completed, offering_minutes = offerings.get(first.month, (0, 0, 0))
        rows.append(
            Row(
                label,
                (held, attended, minutes / 60, enrolled, completed, offering_minutes / 60),
            )
        )
    return Table(
        id="deelname",
        caption=_("Participation month by month"),
        row_header=_("Month"),
        columns=[
            Column("sessies", _("Sessions with attendance")),
            Column("aanwezigheden", _("Attendances"), charted=True),
            Column("sessie-uren", _("Hours at sessions"), hours=True),
            Column("inschrijvingen", _("Enrolments in offerings"), charted=True),
            Column("afgerond", _("Completed")),
            Column("aanbod-uren", _("Hours of completed offerings"), hours=True),
        ],
        rows=rows,
        total=_sum_row(rows),
        notes=[_("Counts of activities across Amsterdam: a teacher who came twice counts twice.")],
    )


def _sum_row(rows: Sequence[Row]) -> Row:
    return Row(
        _("Total"),
        tuple(sum(row.values[i] or 0 for row in rows) for i in range(len(rows[0].values))),
    )


# -- participation per board -------------------------------------------------------------------


def _board_of_teacher() -> Any:
    """Per teacher of a school: one board (the lowest id among their schools' boards), or None
    when none of their schools has one."""
    school, board = aliased(Organisation), aliased(Organisation)
    return (
        sa.select(
            OrganisationMembership.user_id.label("user_id"),
            sa.func.min(board.id).label("board_id"),
        )
        .join(school, school.id == OrganisationMembership.organisation_id)
        .outerjoin(
            board, sa.and_(board.id == school.parent_id, board.kind == OrganisationKind.BOARD)
        )
        .join(User, User.id == OrganisationMembership.user_id)
        .where(
            school.kind == OrganisationKind.SCHOOL,
            OrganisationMembership.status == MembershipStatus.APPROVED,
            User.deleted_at.is_(None),
        )
        .group_by(OrganisationMembership.user_id)
        .subquery()
    )


BoardCounts = dict[Hashable, tuple[int, ...]]


def _boards_counts(year: Year) -> list[BoardCounts]:
    """Per board: teachers; in communities; at sessions, attendances, minutes; enrolled,
    enrolments, completed, minutes. One statement: the four grouped SELECTs united, each
    row led by its block's number and padded with zeros to the widest block."""
    teachers = _board_of_teacher()
    board = teachers.c.board_id

    def people(user_id: Any) -> Any:
        return sa.func.count(sa.distinct(user_id))

    done = Enrolment.status == EnrolmentStatus.COMPLETED
    starts = offering_start()
    blocks: list[tuple[list[Any], Any]] = [
        ([people(teachers.c.user_id)], lambda q: q.select_from(teachers)),
        (
            [people(CommunityMember.user_id)],
            lambda q: (
                q.select_from(CommunityMember)
                .join(teachers, teachers.c.user_id == CommunityMember.user_id)
                .where(
                    CommunityMember.status == MemberStatus.ACTIVE,
                    CommunityMember.joined_at < year.ends_at,
                )
            ),
        ),
        (
            [
                people(RecordEntry.user_id),
                sa.func.count(),
                sa.func.sum(RecordEntry.contact_minutes),
            ],
            lambda q: (
                q.select_from(RecordEntry)
                .join(teachers, teachers.c.user_id == RecordEntry.user_id)
                .where(
                    RecordEntry.source == RecordSource.LIVE_SESSION,
                    RecordEntry.school_year == year.name,
                )
            ),
        ),
        (
            [
                people(Enrolment.user_id),
                sa.func.count(),
                sa.func.sum(sa.case((done, 1), else_=0)),
                sa.func.sum(
                    sa.case((done, Offering.contact_minutes + Offering.self_study_minutes), else_=0)
                ),
            ],
            lambda q: (
                q.select_from(Enrolment)
                .join(Offering, Offering.id == Enrolment.offering_id)
                .join(teachers, teachers.c.user_id == Enrolment.user_id)
                .where(
                    Enrolment.status.in_(PLACE_HOLDING),
                    starts >= year.starts_at,
                    starts < year.ends_at,
                )
            ),
        ),
    ]
    wide = max(len(values) for values, _ in blocks)
    united = sa.union_all(
        *(
            joins(
                sa.select(
                    sa.literal_column(str(number)),
                    board,
                    *values,
                    *(sa.literal_column("0") for _ in range(wide - len(values))),
                )
            ).group_by(board)
            for number, (values, joins) in enumerate(blocks)
        )
    )
    found: list[BoardCounts] = [{} for _ in blocks]
    for number, key, *values in db.session.execute(united):
        width = len(blocks[number][0])
        found[number][key if key is not None else NO_BOARD] = tuple(
            int(value or 0) for value in values[:width]
        )
    return found


#: The per-board table's columns, block by block (the first of each counts people).
BOARD_COLUMNS: list[list[tuple[str, Any, bool]]] = [
    [("leraren", _l("Teachers"), False)],
    [("in-gemeenschappen", _l("In communities"), False)],
    [
        ("bij-sessies", _l("At live sessions"), False),
        ("aanwezigheden", _l("Attendances"), False),
        ("sessie-uren", _l("Hours at sessions"), True),
    ],
    [
        ("ingeschreven", _l("Enrolled in offerings"), False),
        ("inschrijvingen", _l("Enrolments"), False),
        ("afgerond", _l("Completed"), False),
        ("aanbod-uren", _l("Hours of completed offerings"), True),
    ],
]


def _disclosed(
    counts: BoardCounts, keys: Sequence[Hashable], width: int, teachers: BoardCounts | None
) -> tuple[dict[Hashable, tuple[int | None, ...]], tuple[int | None, ...]]:
    """Per board the block's figures, or Nones where its people may not be shown; and the
    total. Each teacher counts at one board, so a board's people are distinct from the others':
    the figures go to `plc.core.disclosure` as one fact per person (numbered here, carrying the
    board's sums on the first), against the `teachers` per board shown beside them (None for
    the teachers themselves). So a board's figures of a kind are hidden when they, or its
    teachers who did not take part, are fewer than MIN_GROUP, or could be worked out from the
    totals; a small total hides everything, empty boards included (they would say where the
    few are)."""
    empty = (0,) * width
    facts: list[Fact] = []
    absent: list[Fact] = []
    first = 0
    for key in keys:
        people, *values = counts.get(key, empty)
        everyone = people if teachers is None else teachers.get(key, (0,))[0]
        row = frozenset({key})
        facts += [
            Fact(first + n, row, values=tuple(values) if n == 0 else ()) for n in range(people)
        ]
        absent += [Fact(first + n, row) for n in range(people, everyone)]
        first += max(people, everyone)
    # The teachers: those taking part (their facts carry their board, as the teachers' do) and
    # those who do not.
    population = None if teachers is None else facts + absent
    grid = disclose(facts, keys, width=width - 1, population=population)

    def figures(key: Hashable) -> tuple[int | None, ...]:
        cell = grid[(key, TOTAL)]
        return (cell.people, *cell.values) if cell.shown else (None,) * width

    return {key: figures(key) for key in keys}, figures(TOTAL)


def boards_table(year: Year) -> Table:
    boards = list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.kind == OrganisationKind.BOARD)
            .order_by(Organisation.name, Organisation.id)
        )
    )
    counts = _boards_counts(year)
    keys = [key for key in [*(board.id for board in boards), NO_BOARD] if counts[0].get(key)]
    names = {board.id: board.name for board in boards} | {NO_BOARD: _("Schools without a board")}
    parts = [
        _disclosed(block, keys, len(columns), None if index == 0 else counts[0])
        for index, (block, columns) in enumerate(zip(counts, BOARD_COLUMNS, strict=True))
    ]
    hours = [flag for columns in BOARD_COLUMNS for _key, _label, flag in columns]

    def row(label: str, values: Sequence[int | None]) -> Row:
        return Row(
            label,
            tuple(
                None if value is None else value / 60 if in_hours else value
                for value, in_hours in zip(values, hours, strict=True)
            ),
        )

    return Table(
        id="besturen",
        caption=_("Participation per board"),
        row_header=_("Board"),
        columns=[
            Column(key, str(label), hours=in_hours, charted=index == 0 and block > 0)
            for block, columns in enumerate(BOARD_COLUMNS)
            for index, (key, label, in_hours) in enumerate(columns)
        ],
        rows=[
            row(names[key], [value for per_key, _total in parts for value in per_key[key]])
            for key in keys
        ],
        total=row(_("Amsterdam"), [value for _per_key, total in parts for value in total]),
        notes=[
            _(
                "Teachers of schools (approved members), each counted at one board. A board's figures of a kind are shown when they count at least %(num)d teachers and leave none or at least %(num)d of its teachers out, and only when no smaller group could be worked out from the totals.",
                num=MIN_GROUP,
            )
        ],
    )


# -- demand and supply per theme -----------------------------------------------------------------


def themes_table(year: Year) -> Table:
    # Questions and offerings per theme, with the themes' names: one statement, two grouped
    # SELECTs united (an offering has no "me too"s: 0).
    asked = (
        sa.select(
            sa.literal("q"),
            question_theme.c.theme_id,
            Theme.name_nl,
            Theme.name_en,
            sa.func.count(LearningQuestion.id),
            sa.func.sum(LearningQuestion.support_count),
        )
        .select_from(LearningQuestion)
        .outerjoin(question_theme, question_theme.c.question_id == LearningQuestion.id)
        .outerjoin(Theme, Theme.id == question_theme.c.theme_id)
        .where(
            LearningQuestion.visibility != QuestionVisibility.PRIVATE,
            LearningQuestion.created_at >= year.starts_at,
            LearningQuestion.created_at < year.ends_at,
        )
        .group_by(question_theme.c.theme_id, Theme.name_nl, Theme.name_en)
    )
    offered = (
        sa.select(
            sa.literal("o"),
            offering_theme.c.theme_id,
            Theme.name_nl,
            Theme.name_en,
            sa.func.count(Offering.id),
            sa.literal_column("0"),
        )
        .select_from(Offering)
        .outerjoin(offering_theme, offering_theme.c.offering_id == Offering.id)
        .outerjoin(Theme, Theme.id == offering_theme.c.theme_id)
        .where(
            Offering.status == OfferingStatus.PUBLISHED,
            Offering.starts_at >= year.starts_at,
            Offering.starts_at < year.ends_at,
        )
        .group_by(offering_theme.c.theme_id, Theme.name_nl, Theme.name_en)
    )
    locale = current_language()
    labels: dict[int | None, str] = {None: _("No theme")}
    questions: dict[int | None, tuple[int, int]] = {}
    offerings: dict[int | None, int] = {}
    for kind, theme_id, name_nl, name_en, count, supports in db.session.execute(
        sa.union_all(asked, offered)
    ):
        if theme_id is not None:
            labels[theme_id] = name_en if locale == "en" else name_nl
        if kind == "q":
            questions[theme_id] = (count, supports)
        else:
            offerings[theme_id] = count
    keys = sorted(
        set(questions) | set(offerings), key=lambda key: (key is None, labels[key].casefold())
    )
    return Table(
        id="thema",
        caption=_("Learning questions and offerings per theme"),
        row_header=_("Theme"),
        columns=[
            Column("leervragen", _("Learning questions asked"), charted=True),
            Column("ook", _("“Me too”s")),
            Column("aanbod", _("Offerings starting"), charted=True),
        ],
        rows=[
            Row(
                labels[key],
                (*(int(v or 0) for v in questions.get(key, (0, 0))), int(offerings.get(key, 0))),
            )
            for key in keys
        ],
        notes=[
            _(
                "A question or offering with several themes counts under each. Private questions do not count."
            ),
        ],
    )


# -- pilots and knowledge outputs --------------------------------------------------------------


def pilots_table(year: Year) -> Table:
    counts = Counter(
        dict(
            db.session.execute(
                sa.select(Pilot.status, sa.func.count())
                .where(Pilot.starts_on < year.end_day, Pilot.ends_on >= year.first_day)
                .group_by(Pilot.status)
            ).all()
        )
    )
    rows = [Row(str(STATUS_SHORT[status]), (counts[status],)) for status in PilotStatus]
    return Table(
        id="pilots",
        caption=_("Pilots by status"),
        row_header=_("Status"),
        columns=[Column("pilots", _("Pilots"), charted=True)],
        rows=rows,
        total=_sum_row(rows),
        notes=[_("Pilots whose period falls (partly) in the school year, by their status today.")],
    )


def outputs_table(year: Year) -> Table:
    published = year.bucket(KnowledgeOutput.published_at)
    recorded = year.bucket(OutputUse.created_at)
    # Outputs published and uses recorded month by month: one statement.
    output_rows, use_rows = _united(
        sa.select(published, sa.func.count())
        .where(
            KnowledgeOutput.status == OutputStatus.PUBLISHED,
            KnowledgeOutput.published_at >= year.starts_at,
            KnowledgeOutput.published_at < year.ends_at,
        )
        .group_by(published),
        sa.select(recorded, sa.func.count(), sa.func.count(sa.distinct(_school_using())))
        .outerjoin(Organisation, Organisation.id == OutputUse.organisation_id)
        .where(OutputUse.created_at >= year.starts_at, OutputUse.created_at < year.ends_at)
        .group_by(recorded),
    )
    outputs, uses = _by_month(output_rows), _by_month(use_rows)
    rows = [
        Row(label, (*outputs.get(first.month, (0,)), *uses.get(first.month, (0, 0))))
        for first, label in _month_rows(year)
    ]
    return Table(
        id="kennis",
        caption=_("Knowledge outputs month by month"),
        row_header=_("Month"),
        columns=[
            Column("gepubliceerd", _("Published"), charted=True),
            Column("gebruik", _("Uses recorded"), charted=True),
            Column("scholen", _("Schools recording a use")),
        ],
        rows=rows,
        notes=[_("A school that recorded uses in several months counts in each.")],
    )


def _school_using() -> sa.ColumnElement[int | None]:
    """The organisation of a use when it is a school (others, an academy say, do not count)."""
    return sa.case((Organisation.kind == OrganisationKind.SCHOOL, OutputUse.organisation_id))


@dataclass(frozen=True)
class OutputReach:
    """Over the year: outputs published, how many of them are in use, and at how many schools."""

    published: int
    used: int
    schools: int


def output_reach(year: Year) -> OutputReach:
    in_year = sa.and_(
        KnowledgeOutput.status == OutputStatus.PUBLISHED,
        KnowledgeOutput.published_at >= year.starts_at,
        KnowledgeOutput.published_at < year.ends_at,
    )
    published, used, schools = db.session.execute(
        sa.select(
            sa.select(sa.func.count())
            .select_from(KnowledgeOutput)
            .where(in_year)
            .scalar_subquery(),
            sa.select(sa.func.count(sa.distinct(OutputUse.output_id)))
            .join(KnowledgeOutput, KnowledgeOutput.id == OutputUse.output_id)
            .where(in_year)
            .scalar_subquery(),
            sa.select(sa.func.count(sa.distinct(OutputUse.organisation_id)))
            .join(KnowledgeOutput, KnowledgeOutput.id == OutputUse.output_id)
            .join(Organisation, Organisation.id == OutputUse.organisation_id)
            .where(in_year, Organisation.kind == OrganisationKind.SCHOOL)
            .scalar_subquery(),
        )
    ).one()
    return OutputReach(int(published), int(used), int(schools))


# -- the page ----------------------------------------------------------------------------------


@dataclass
class NetworkDashboard:
    year: Year
    tables: list[Table]
    reach: OutputReach

    def find(self, table_id: str) -> Table | None:
        return next((table for table in self.tables if table.id == table_id), None)


def network_dashboard(year: Year) -> NetworkDashboard:
    return NetworkDashboard(
        year=year,
        tables=[
            communities_table(year),
            participation_table(year),
            boards_table(year),
            themes_table(year),
            pilots_table(year),
            outputs_table(year),
        ],
        reach=output_reach(year),
    )
