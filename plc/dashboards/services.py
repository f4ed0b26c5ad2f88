"""What the school and board dashboards show, each in a fixed number of statements, however many
schools, teachers or activities there are.

Only aggregates of people, disclosed by `plc.core.disclosure` (see `participation`). Lists name
what is the school's own or public anyway: its published knowledge outputs, the outputs it uses,
its learning questions, the pilots it takes part in, its development goals. Individual teachers
appear only where they chose to share with the school's leaders: their shared goals and their
shared record.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import partial
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from plc.auth.models import User
from plc.catalogue.models import (
    LearningQuestion,
    LearningQuestionStatus,
    MatchKind,
    QuestionMatch,
    QuestionVisibility,
)
from plc.catalogue.services import visible_filter
from plc.core.pagecache import kept
from plc.dashboards import facts, participation
from plc.dashboards.facts import Year
from plc.dashboards.participation import Block, Dimension, Figures
from plc.dashboards.tables import Table
from plc.development.goals import SchoolGoalRow, school_goal_overview, teachers_of
from plc.development.models import GoalStatus, PersonalGoal, RecordSharing, SchoolGoal
from plc.extensions import db
from plc.knowledge.models import (
    KnowledgeOutput,
    OutputAuthor,
    OutputOrganisation,
    OutputStatus,
    OutputUse,
)
from plc.organisations.models import Organisation, OrganisationKind
from plc.pilots.models import PROPOSAL_STATUSES, Pilot, PilotOrganisation


@dataclass
class Tables:
    """The participation tables of a page, by id; the page shows one block's at a time."""

    summary: Table
    teachers: Table
    by_block: dict[Block, list[Table]]

    def find(self, table_id: str) -> Table | None:
        every = [self.summary, self.teachers, *(t for ts in self.by_block.values() for t in ts)]
        return next((table for table in every if table.id == table_id), None)


# -- scope -------------------------------------------------------------------------------------


def schools_of_board(board: Organisation) -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.parent_id == board.id, Organisation.kind == OrganisationKind.SCHOOL)
            .order_by(Organisation.name, Organisation.id)
        )
    )


def _board_of(school: Organisation) -> Organisation | None:
    parent = school.parent
    return parent if parent is not None and parent.kind == OrganisationKind.BOARD else None


def _scope(school: Organisation) -> tuple[facts.Scope, Hashable]:
    """The schools whose figures are disclosed together with the school's: its board's (as a
    SELECT, read with the figures), or the school alone; and what names that scope."""
    board = _board_of(school)
    if board is None:
        return [school.id], ("school", school.id)
    schools = sa.select(Organisation.id).where(
        Organisation.parent_id == board.id, Organisation.kind == OrganisationKind.SCHOOL
    )
    return schools, ("board", board.id)


def _figures(scope: facts.Scope, named: Hashable, year: Year) -> Figures:
    """The scope's disclosed figures, kept while no activity, person or school they count
    changes (`pagecache.kept`): working them out grows with the teachers and what they did
    (some 90 ms for a large board), checking them is one small query."""

    def work_out() -> Figures:
        part = facts.participation(scope, year)
        return participation.figures(part, part.schools, year)

    return kept(("dashboard figures", named, year.name), work_out)


# -- the school's own lists ----------------------------------------------------------------------

#: Items each list of the school dashboard shows unless the reader asks for all of it: a large
#: school contributes to hundreds of outputs a year and has a hundred teachers sharing goals,
#: and the page should not grow with them. The reader sees how many there are in all.
LISTED = 25

T = TypeVar("T")


class List(StrEnum):
    """The school dashboard's lists that show their first `LISTED` items (the value names the
    query parameter that asks for all: ?alle-kennis)."""

    OUTPUTS = "kennis"
    GOALS = "doelen"
    RECORDS = "dossiers"
    QUESTIONS = "leervragen"

    @property
    def parameter(self) -> str:
        return f"alle-{self.value}"


@dataclass(frozen=True)
class Listed(Generic[T]):
    """The first items of a list, and how many there are in all."""

    items: list[T]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _limit(name: List, everything: Collection[List]) -> int | None:
    return None if name in everything else LISTED


@dataclass(frozen=True)
class QuestionRow:
    question: LearningQuestion
    #: Matches per kind (offering, community, output) the platform found for it.
    matches: dict[MatchKind, int]


@dataclass(frozen=True)
class SharedGoalLine:
    """A goal a teacher shares: what the dashboard shows of it."""

    teacher_name: str
    title: str
    status: GoalStatus
    target_date: date | None
    #: The title of the school goal it serves.
    serves: str | None


@dataclass(frozen=True)
class SharedRecord:
    """A teacher who shares their development record."""

    user_id: int
    display_name: str


@dataclass
class Shared:
    """What the school's teachers share with its leaders and HR advisors."""

    goals: Listed[SharedGoalLine]
    records: Listed[SharedRecord]


@dataclass(frozen=True)
class OutputLine:
    """What the dashboard shows of an output: its link, title and date, not its text."""

    slug: str
    title: str
    published_at: datetime


@dataclass(frozen=True)
class UseLine:
    """An output the school uses: its link and title, the school's note and when it said so."""

    slug: str
    title: str
    note: str | None
    created_at: datetime


@dataclass(frozen=True)
class PilotLine:
    """A pilot the school takes part in: its link, title, status and period."""

    slug: str
    title: str
    status: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class SchoolLists:
    """The outputs the school contributed to and uses, and the pilots it takes part in."""

    outputs: Listed[OutputLine]
    uses: list[UseLine]
    pilots: list[PilotLine]


#: The row kinds of `school_lists`' statement.
CONTRIBUTED, USED, PILOT = 0, 1, 2


def _contributed(school: Organisation, year: Year, limit: int | None) -> sa.Select[Any]:
    """The newest `limit` (None: all) outputs published in the year that the school's people
    (its approved members, `plc.development.goals.teachers_of`) wrote or the school is named
    on, each with how many there are (a window over the same rows). The first of the united
    statement: its columns give the types (the pilots' dates)."""
    return (
        sa.select(
            sa.literal_column(str(CONTRIBUTED)).label("kind"),
            KnowledgeOutput.slug.label("slug"),
            KnowledgeOutput.title.label("title"),
            KnowledgeOutput.published_at.label("moment"),
            sa.null().label("note"),
            sa.func.count().over().label("total"),
            KnowledgeOutput.id.label("tiebreak"),
            # Typed: PostgreSQL takes a bare NULL out of a subquery as text.
            sa.cast(sa.null(), sa.Date).label("starts"),
            sa.cast(sa.null(), sa.Date).label("ends"),
        )
        .where(
            KnowledgeOutput.status == OutputStatus.PUBLISHED,
            KnowledgeOutput.published_at >= year.starts_at,
            KnowledgeOutput.published_at < year.ends_at,
            sa.or_(
                KnowledgeOutput.id.in_(
                    sa.select(OutputAuthor.output_id).where(
                        OutputAuthor.user_id.in_(teachers_of(school))
                    )
                ),
                KnowledgeOutput.id.in_(
                    sa.select(OutputOrganisation.output_id).where(
                        OutputOrganisation.organisation_id == school.id
                    )
                ),
            ),
        )
        .order_by(KnowledgeOutput.published_at.desc(), KnowledgeOutput.id)
        .limit(limit)
    )


def _used(school: Organisation, year: Year) -> sa.Select[Any]:
    """Published outputs the school said, during the year, that it uses."""
    return (
        sa.select(
            sa.literal_column(str(USED)),
            KnowledgeOutput.slug,
            KnowledgeOutput.title,
            OutputUse.created_at,
            OutputUse.note,
            sa.literal_column("0"),
            OutputUse.id,
            sa.null(),
            sa.null(),
        )
        .join(KnowledgeOutput, KnowledgeOutput.id == OutputUse.output_id)
        .where(
            OutputUse.organisation_id == school.id,
            OutputUse.created_at >= year.starts_at,
            OutputUse.created_at < year.ends_at,
            KnowledgeOutput.status == OutputStatus.PUBLISHED,
        )
    )


def _pilots(school: Organisation, year: Year) -> sa.Select[Any]:
    """Pilots the school takes part in whose period touches the year; proposals not (only
    their own people see those)."""
    return (
        sa.select(
            sa.literal_column(str(PILOT)),
            Pilot.slug,
            Pilot.title,
            sa.null(),
            Pilot.status,
            sa.literal_column("0"),
            Pilot.id,
            Pilot.starts_on,
            Pilot.ends_on,
        )
        .join(PilotOrganisation, PilotOrganisation.pilot_id == Pilot.id)
        .where(
            PilotOrganisation.organisation_id == school.id,
            Pilot.status.not_in(PROPOSAL_STATUSES),
            Pilot.starts_on < year.end_day,
            Pilot.ends_on >= year.first_day,
        )
    )


def school_lists(
    school: Organisation, year: Year, everything: Collection[List] = ()
) -> SchoolLists:
    """The outputs the school contributed to in the year (`_contributed`), those it uses and
    the pilots it takes part in, in one statement: the lists united, each row led by its kind.
    Pilots newest first, by their start."""
    united = sa.union_all(
        sa.select(_contributed(school, year, _limit(List.OUTPUTS, everything)).subquery()),
        _used(school, year),
        _pilots(school, year),
    )
    columns = united.selected_columns
    rows = db.session.execute(
        united.order_by(
            columns.kind, columns.moment.desc(), columns.starts.desc(), columns.tiebreak
        )
    ).all()
    contributed = [row for row in rows if row.kind == CONTRIBUTED]
    return SchoolLists(
        outputs=Listed(
            [OutputLine(row.slug, row.title, row.moment) for row in contributed],
            contributed[0].total if contributed else 0,
        ),
        uses=[
            UseLine(row.slug, row.title, row.note, row.moment) for row in rows if row.kind == USED
        ],
        pilots=[
            PilotLine(row.slug, row.title, row.note, row.starts, row.ends)
            for row in rows
            if row.kind == PILOT
        ],
    )


def _school_questions(school: Organisation, year: Year, viewer: User) -> sa.Select:
    """The school's questions asked in the year, and older ones still open, as far as the
    viewer may read them on the platform (`plc.catalogue.services.visible_filter`): those for
    the school's members not for the board's people, who are none; a private one only for the
    leader who asked it."""
    return sa.select(LearningQuestion.id).where(
        LearningQuestion.school_id == school.id,
        LearningQuestion.created_at < year.ends_at,
        sa.or_(
            LearningQuestion.created_at >= year.starts_at,
            LearningQuestion.status == LearningQuestionStatus.OPEN,
        ),
        sa.or_(
            LearningQuestion.visibility != QuestionVisibility.PRIVATE,
            LearningQuestion.author_id == viewer.id,
        ),
        visible_filter(viewer),
    )


def _matches(kind: MatchKind) -> sa.ScalarSelect[int]:
    return (
        sa.select(sa.func.count())
        .where(QuestionMatch.question_id == LearningQuestion.id, QuestionMatch.kind == kind)
        .scalar_subquery()
    )


def school_questions(
    school: Organisation, year: Year, viewer: User, limit: int | None = LISTED
) -> Listed[QuestionRow]:
    """The school's newest `limit` (None: all) learning questions with their matches counted
    per kind, and how many there are, in one statement."""
    kinds = list(MatchKind)
    rows = db.session.execute(
        sa.select(LearningQuestion, sa.func.count().over(), *(_matches(kind) for kind in kinds))
        .where(LearningQuestion.id.in_(_school_questions(school, year, viewer)))
        .order_by(LearningQuestion.created_at.desc(), LearningQuestion.id)
        .limit(limit)
    ).all()
    return Listed(
        [
            QuestionRow(question, dict(zip(kinds, counts, strict=True)))
            for question, _total, *counts in rows
        ],
        rows[0][1] if rows else 0,
    )


#: The row kinds of `shared_with_leaders`' statement.
SHARED_GOAL, SHARED_RECORD = 0, 1


def shared_with_leaders(school: Organisation, everything: Collection[List] = ()) -> Shared:
    """The goals and records the school's teachers share, for its leaders and HR advisors (the
    caller checked the viewer is one: `access.reads_shared`), in one statement: the newest
    goals shared (`plc.development.goals.shared_goals`) and the first teachers by name who
    share their record (`plc.development.services.sharing_teachers`), each with how many."""
    teachers = sa.and_(User.id.in_(teachers_of(school)), User.deleted_at.is_(None))
    goal_only = {
        "title": PersonalGoal.title,
        "status": PersonalGoal.status,
        "target_date": PersonalGoal.target_date,
        "serves": SchoolGoal.title,
        "shared_at": PersonalGoal.shared_at,
        "tiebreak": PersonalGoal.id,
    }
    goals = (
        sa.select(
            sa.literal_column(str(SHARED_GOAL)).label("kind"),
            User.id.label("user_id"),
            User.display_name.label("name"),
            *(column.label(name) for name, column in goal_only.items()),
            sa.func.count().over().label("total"),
        )
        .join(User, User.id == PersonalGoal.user_id)
        .outerjoin(SchoolGoal, SchoolGoal.id == PersonalGoal.school_goal_id)
        .where(teachers, PersonalGoal.shared_at.is_not(None))
        .order_by(PersonalGoal.shared_at.desc(), PersonalGoal.id)
        .limit(_limit(List.GOALS, everything))
    )
    records = (
        sa.select(
            sa.literal_column(str(SHARED_RECORD)).label("kind"),
            User.id.label("user_id"),
            User.display_name.label("name"),
            # Typed: PostgreSQL takes a bare NULL out of a subquery as text.
            *(sa.cast(sa.null(), column.type).label(name) for name, column in goal_only.items()),
            sa.func.count().over().label("total"),
        )
        .join(RecordSharing, RecordSharing.user_id == User.id)
        .where(teachers, RecordSharing.shared_at.is_not(None))
        .order_by(User.display_name, User.id)
        .limit(_limit(List.RECORDS, everything))
    )
    rows = db.session.execute(
        sa.union_all(sa.select(goals.subquery()), sa.select(records.subquery()))
    ).all()
    goal_rows = sorted(
        (row for row in rows if row.kind == SHARED_GOAL),
        key=lambda row: (-row.shared_at.timestamp(), row.tiebreak),
    )
    record_rows = sorted(
        (row for row in rows if row.kind == SHARED_RECORD), key=lambda row: (row.name, row.user_id)
    )
    return Shared(
        goals=Listed(
            [
                SharedGoalLine(row.name, row.title, row.status, row.target_date, row.serves)
                for row in goal_rows
            ],
            goal_rows[0].total if goal_rows else 0,
        ),
        records=Listed(
            [SharedRecord(row.user_id, row.name) for row in record_rows],
            record_rows[0].total if record_rows else 0,
        ),
    )


# -- the pages -----------------------------------------------------------------------------------


@dataclass
class SchoolDashboard:
    school: Organisation
    board: Organisation | None
    year: Year
    tables: Tables
    lists: SchoolLists
    questions: Listed[QuestionRow]
    goals: list[SchoolGoalRow]
    #: None: the viewer is a board member, with whom nothing is shared.
    shared: Shared | None


def _tables(summary: Table, teachers: Table, table: Callable[[Block, Dimension], Table]) -> Tables:
    return Tables(
        summary=summary,
        teachers=teachers,
        by_block={block: [table(block, dimension) for dimension in Dimension] for block in Block},
    )


def school_tables(school: Organisation, year: Year) -> Tables:
    """The participation tables of a school: its column of its board's figures."""
    figures = _figures(*_scope(school), year)
    return _tables(
        participation.school_summary(figures, school.id),
        participation.school_teachers(figures, school.id),
        partial(participation.school_table, figures, school.id),
    )


def school_dashboard(
    school: Organisation,
    viewer: User,
    year: Year,
    reads_shared: bool,
    everything: Collection[List] = (),
) -> SchoolDashboard:
    """`reads_shared`: the viewer is one of those the school's teachers share with
    (`access.reads_shared`), as the view found out checking access. `everything`: the lists
    shown whole, not only their first `LISTED` items."""
    return SchoolDashboard(
        school=school,
        board=_board_of(school),
        year=year,
        tables=school_tables(school, year),
        lists=school_lists(school, year, everything),
        questions=school_questions(school, year, viewer, _limit(List.QUESTIONS, everything)),
        goals=school_goal_overview(school),
        shared=shared_with_leaders(school, everything) if reads_shared else None,
    )


@dataclass
class BoardDashboard:
    board: Organisation
    schools: list[Organisation]
    year: Year
    tables: Tables


def board_tables(schools: list[Organisation], year: Year) -> Tables:
    """The board's schools side by side, with the board's total."""
    ids = [school.id for school in schools]
    figures = _figures(ids, ("schools", *ids), year)
    return _tables(
        participation.board_summary(figures, schools),
        participation.board_teachers(figures, schools),
        partial(participation.board_table, figures, schools),
    )


def board_dashboard(board: Organisation, year: Year) -> BoardDashboard:
    schools = schools_of_board(board)
    return BoardDashboard(board, schools, year, board_tables(schools, year))
