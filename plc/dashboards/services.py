"""What the school and board dashboards show, each in a fixed number of statements, however many
schools, teachers or activities there are.

Only aggregates of people, disclosed by `plc.core.disclosure` (see `participation`). Lists name
what is the school's own or public anyway: its published knowledge outputs, the outputs it uses,
its learning questions, the pilots it takes part in, its development goals. Individual teachers
appear only where they chose to share with the school's leaders: their shared goals and their
shared record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from plc.auth.models import User
from plc.catalogue.models import (
    LearningQuestion,
    LearningQuestionStatus,
    MatchKind,
    QuestionMatch,
    QuestionVisibility,
)
from plc.catalogue.services import visible_filter
from plc.dashboards import facts, participation
from plc.dashboards.facts import Year
from plc.dashboards.participation import Block, Dimension, Figures
from plc.dashboards.tables import Table
from plc.development.goals import SchoolGoalRow, school_goal_overview, teachers_of
from plc.development.models import PersonalGoal, RecordSharing
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


def _scope(school: Organisation) -> facts.Scope:
    """The schools whose figures are disclosed together with the school's: its board's (as a
    SELECT, read with the figures), or the school alone."""
    board = _board_of(school)
    if board is None:
        return [school.id]
    return sa.select(Organisation.id).where(
        Organisation.parent_id == board.id, Organisation.kind == OrganisationKind.SCHOOL
    )


def _figures(scope: facts.Scope, year: Year) -> Figures:
    part = facts.participation(scope, year)
    return participation.figures(part, part.schools, year)


# -- the school's own lists ----------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionRow:
    question: LearningQuestion
    #: Matches per kind (offering, community, output) the platform found for it.
    matches: dict[MatchKind, int]


@dataclass(frozen=True)
class SharedGoalRow:
    goal: PersonalGoal
    teacher: User


@dataclass
class Shared:
    """What the school's teachers share with its leaders and HR advisors."""

    goals: list[SharedGoalRow] = field(default_factory=list)
    records: list[User] = field(default_factory=list)


#: Outputs the school dashboard lists unless the reader asks for all of them: a large school
#: contributes to hundreds a year, and the page should not grow with them.
LISTED_OUTPUTS = 25


@dataclass(frozen=True)
class OutputLine:
    """What the dashboard shows of an output: its link, title and date, not its text."""

    slug: str
    title: str
    published_at: datetime


@dataclass(frozen=True)
class Listed:
    """The first items of a list, and how many there are in all."""

    items: list[OutputLine]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class UseLine:
    """An output the school uses: its link and title, the school's note and when it said so."""

    slug: str
    title: str
    note: str | None
    created_at: datetime


#: The row kinds of `school_outputs`' statement.
CONTRIBUTED, USED = 0, 1


def _contributed(school: Organisation, year: Year, limit: int | None) -> sa.Select[Any]:
    """The newest `limit` (None: all) outputs published in the year that the school's people
    (its approved members, `plc.development.goals.teachers_of`) wrote or the school is named
    on, each with how many there are (a window over the same rows)."""
    return (
        sa.select(
            sa.literal_column(str(CONTRIBUTED)).label("kind"),
            KnowledgeOutput.slug.label("slug"),
            KnowledgeOutput.title.label("title"),
            KnowledgeOutput.published_at.label("moment"),
            sa.null().label("note"),
            sa.func.count().over().label("total"),
            KnowledgeOutput.id.label("tiebreak"),
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
        )
        .join(KnowledgeOutput, KnowledgeOutput.id == OutputUse.output_id)
        .where(
            OutputUse.organisation_id == school.id,
            OutputUse.created_at >= year.starts_at,
            OutputUse.created_at < year.ends_at,
            KnowledgeOutput.status == OutputStatus.PUBLISHED,
        )
    )


def school_outputs(
    school: Organisation, year: Year, limit: int | None = LISTED_OUTPUTS
) -> tuple[Listed, list[UseLine]]:
    """The outputs the school contributed to in the year (`_contributed`) and those it uses,
    in one statement: the two lists united, each row led by its kind."""
    united = sa.union_all(
        sa.select(_contributed(school, year, limit).subquery()), _used(school, year)
    )
    columns = united.selected_columns
    rows = db.session.execute(
        united.order_by(columns.kind, columns.moment.desc(), columns.tiebreak)
    ).all()
    contributed = [row for row in rows if row.kind == CONTRIBUTED]
    listed = Listed(
        [OutputLine(row.slug, row.title, row.moment) for row in contributed],
        contributed[0].total if contributed else 0,
    )
    uses = [UseLine(row.slug, row.title, row.note, row.moment) for row in rows if row.kind == USED]
    return listed, uses


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


def school_questions(school: Organisation, year: Year, viewer: User) -> list[QuestionRow]:
    """The school's learning questions with their matches counted per kind, in one statement."""
    kinds = list(MatchKind)
    rows = db.session.execute(
        sa.select(LearningQuestion, *(_matches(kind) for kind in kinds))
        .where(LearningQuestion.id.in_(_school_questions(school, year, viewer)))
        .order_by(LearningQuestion.created_at.desc(), LearningQuestion.id)
    )
    return [
        QuestionRow(question, dict(zip(kinds, counts, strict=True))) for question, *counts in rows
    ]


def school_pilots(school: Organisation, year: Year) -> list[Pilot]:
    """Pilots the school takes part in whose period touches the year; proposals not (only
    their own people see those)."""
    return list(
        db.session.scalars(
            sa.select(Pilot)
            .join(PilotOrganisation, PilotOrganisation.pilot_id == Pilot.id)
            .where(
                PilotOrganisation.organisation_id == school.id,
                Pilot.status.not_in(PROPOSAL_STATUSES),
                Pilot.starts_on < year.end_day,
                Pilot.ends_on >= year.first_day,
            )
            .order_by(Pilot.starts_on.desc(), Pilot.id)
        )
    )


def shared_with_leaders(school: Organisation) -> Shared:
    """The goals and records the school's teachers share, for its leaders and HR advisors (the
    caller checked the viewer is one: `access.reads_shared`), in one statement: each teacher
    who shares either, with each goal they share (`plc.development.goals.shared_goals`) and
    whether they share their record (`plc.development.services.sharing_teachers`)."""
    record_shared = RecordSharing.shared_at.is_not(None)
    rows = db.session.execute(
        sa.select(User, PersonalGoal, record_shared)
        .outerjoin(
            PersonalGoal,
            sa.and_(PersonalGoal.user_id == User.id, PersonalGoal.shared_at.is_not(None)),
        )
        .outerjoin(RecordSharing, RecordSharing.user_id == User.id)
        .where(
            User.id.in_(teachers_of(school)),
            User.deleted_at.is_(None),
            sa.or_(PersonalGoal.id.is_not(None), record_shared),
        )
        .options(joinedload(PersonalGoal.school_goal))
        .order_by(User.display_name, User.id)
    ).all()
    goals = [SharedGoalRow(goal, teacher) for teacher, goal, _record in rows if goal is not None]
    # The newest shared first, as the teachers' own lists have them.
    goals.sort(key=lambda row: row.goal.shared_at, reverse=True)  # type: ignore[arg-type,return-value]
    records = list({teacher.id: teacher for teacher, _goal, record in rows if record}.values())
    return Shared(goals=goals, records=records)


# -- the pages -----------------------------------------------------------------------------------


@dataclass
class SchoolDashboard:
    school: Organisation
    board: Organisation | None
    year: Year
    tables: Tables
    outputs: Listed
    uses: list[UseLine]
    questions: list[QuestionRow]
    pilots: list[Pilot]
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
    figures = _figures(_scope(school), year)
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
    all_outputs: bool = False,
) -> SchoolDashboard:
    """`reads_shared`: the viewer is one of those the school's teachers share with
    (`access.reads_shared`), as the view found out checking access. `all_outputs`: list every
    output the school contributed to, not only the newest `LISTED_OUTPUTS`."""
    outputs, uses = school_outputs(school, year, None if all_outputs else LISTED_OUTPUTS)
    return SchoolDashboard(
        school=school,
        board=_board_of(school),
        year=year,
        tables=school_tables(school, year),
        outputs=outputs,
        uses=uses,
        questions=school_questions(school, year, viewer),
        pilots=school_pilots(school, year),
        goals=school_goal_overview(school),
        shared=shared_with_leaders(school) if reads_shared else None,
    )


@dataclass
class BoardDashboard:
    board: Organisation
    schools: list[Organisation]
    year: Year
    tables: Tables


def board_tables(schools: list[Organisation], year: Year) -> Tables:
    """The board's schools side by side, with the board's total."""
    figures = _figures([school.id for school in schools], year)
    return _tables(
        participation.board_summary(figures, schools),
        participation.board_teachers(figures, schools),
        partial(participation.board_table, figures, schools),
    )


def board_dashboard(board: Organisation, year: Year) -> BoardDashboard:
    schools = schools_of_board(board)
    return BoardDashboard(board, schools, year, board_tables(schools, year))
