"""Participation of a board's schools (or of one school without a board), as tables for the
school and board dashboards.

The figures are disclosed once for the whole board, with a column per school: a school's page
shows its own column of those grids. So what a board's leaders read on the board page and on
the pages of its schools hides the same cells, and neither gives away what the other hides.
Cells are hidden in the same way for every language: ties go by ids, never by translated names.

The pages show the teachers (per school and career stage) beside those taking part, so each block
splits the teachers into those who took part and those who did not, and the second group is
protected too (`plc.core.disclosure`, `population`): "12 teachers, 11 in communities" is not
shown, as it points at one teacher who is in none.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from plc.auth.forms import career_stage_pairs
from plc.auth.models import CareerStage
from plc.core.disclosure import TOTAL, Cell, Fact, Grid, Linked, disclose, disclose_linked
from plc.core.i18n import current_language
from plc.dashboards.facts import Activity, Participation, Year
from plc.dashboards.tables import Column, Row, Table
from plc.organisations.models import Organisation


class Block(StrEnum):
    """What teachers take part in; the values appear in URLs (?onderdeel=sessies)."""

    COMMUNITIES = "gemeenschappen"
    SESSIONS = "sessies"
    OFFERINGS = "aanbod"


class Dimension(StrEnum):
    THEME = "thema"
    STAGE = "loopbaanfase"
    MONTH = "maand"


BLOCK_LABELS = {
    Block.COMMUNITIES: _l("Communities"),
    Block.SESSIONS: _l("Live sessions"),
    Block.OFFERINGS: _l("Offerings"),
}
DIMENSION_LABELS = {
    Dimension.THEME: _l("by theme"),
    Dimension.STAGE: _l("by career stage"),
    Dimension.MONTH: _l("by month"),
}
#: The row of community memberships that began before the school year.
BEFORE = "before"
#: Table ids that are not a block by a dimension.
SUMMARY = "samenvatting"
TEACHERS = "leraren"


@dataclass(frozen=True)
class Measure:
    key: str
    #: Column header in the block's tables.
    label: LazyString
    #: Row label in the summary.
    summary: LazyString
    read: Callable[[Cell], float]
    hours: bool = False


def _people(cell: Cell) -> float:
    return cell.people


def _value(index: int, hours: bool = False) -> Callable[[Cell], float]:
    return lambda cell: cell.values[index] / 60 if hours else cell.values[index]


MEASURES = {
    Block.COMMUNITIES: [
        Measure("leraren", _l("Teachers"), _l("Teachers in communities"), _people),
        Measure(
            "gemeenschappen",
            _l("Communities"),
            _l("Communities they are members of"),
            lambda cell: cell.items,
        ),
    ],
    Block.SESSIONS: [
        Measure("leraren", _l("Teachers"), _l("Teachers at live sessions"), _people),
        Measure("aanwezigheden", _l("Attendances"), _l("Session attendances"), _value(0)),
        Measure("uren", _l("Hours"), _l("Hours at live sessions"), _value(1, True), True),
    ],
    Block.OFFERINGS: [
        Measure("leraren", _l("Teachers"), _l("Teachers enrolled in offerings"), _people),
        Measure("inschrijvingen", _l("Enrolments"), _l("Enrolments"), _value(0)),
        Measure("afgerond", _l("Completed"), _l("Enrolments completed"), _value(1)),
        Measure("uren", _l("Hours"), _l("Hours of completed offerings"), _value(2, True), True),
    ],
}
#: How many figures each block's activities add up (`Activity.values`).
VALUES = {Block.COMMUNITIES: 0, Block.SESSIONS: 2, Block.OFFERINGS: 3}
TEACHER_MEASURE = Measure("leraren", _l("Teachers"), _l("Teachers on the platform"), _people)


# -- disclosing --------------------------------------------------------------------------------


@dataclass
class Figures:
    """The disclosed grids of a scope; columns are school ids."""

    year: Year
    participation: Participation
    columns: list[int]
    #: Teachers by career stage.
    teachers: Grid
    grids: dict[tuple[Block, Dimension], Grid]
    rows: dict[tuple[Block, Dimension], list[Hashable]]


def _activities(part: Participation, block: Block) -> list[Activity]:
    return {
        Block.COMMUNITIES: part.communities,
        Block.SESSIONS: part.sessions,
        Block.OFFERINGS: part.offerings,
    }[block]


def _keys(part: Participation, dimension: Dimension) -> Callable[[Activity], frozenset[Hashable]]:
    """The row keys of an activity in the dimension's table."""
    if dimension == Dimension.THEME:
        return lambda activity: activity.themes  # type: ignore[return-value]
    # One set per key, not one per activity: a board's teachers have thousands of activities.
    if dimension == Dimension.STAGE:
        by_stage = {stage: frozenset({stage}) for stage in STAGES}
        stages = {person: by_stage[p.stage] for person, p in part.people.items()}
        return lambda activity: stages[activity.person]
    months: dict[date | None, frozenset[Hashable]] = {None: frozenset({BEFORE})}

    def month(activity: Activity) -> frozenset[Hashable]:
        found = months.get(activity.month)
        if found is None:
            found = months[activity.month] = frozenset({activity.month})
        return found

    return month


STAGES: list[CareerStage | None] = [*CareerStage, None]


def _row_keys(
    year: Year, block: Block, dimension: Dimension, activities: list[Activity]
) -> list[Hashable]:
    """Rows in an order that is the same in every language (ties in hiding go by it)."""
    if dimension == Dimension.STAGE:
        return list(STAGES)
    if dimension == Dimension.MONTH:
        return [*([BEFORE] if block == Block.COMMUNITIES else []), *year.months]
    found = {theme for activity in activities for theme in activity.themes}
    return [
        *sorted(theme for theme in found if theme is not None),
        *([None] if None in found else []),
    ]


def _populations(part: Participation) -> dict[Dimension, list[Fact]]:
    """The scope's teachers, as every reader of a block's figures knows them: per school, and
    per career stage (the teachers table shows them; a leader knows their staff anyway). Each
    block's figures are protected against them, so that teachers minus those taking part never
    gives away a few who did not. Themes and months are what teachers did, not who they are:
    there the teachers are placed in no row. Made once for all blocks."""
    stages = {stage: frozenset({stage}) for stage in STAGES}
    by_stage = [
        Fact(person_id, stages[person.stage], person.schools)
        for person_id, person in part.people.items()
    ]
    unplaced = [
        Fact(person_id, frozenset(), fact.columns)
        for person_id, fact in zip(part.people, by_stage, strict=True)
    ]
    return {Dimension.THEME: unplaced, Dimension.STAGE: by_stage, Dimension.MONTH: unplaced}


KeysOf = Callable[[Activity], frozenset[Hashable]]


def _block_grids(
    part: Participation,
    block: Block,
    year: Year,
    columns: list[int],
    keys: dict[Dimension, KeysOf],
    populations: dict[Dimension, list[Fact]],
) -> list[tuple[Dimension, Grid, list[Hashable]]]:
    """The block's grids by each dimension, disclosed together (they share their totals), each
    against the teachers who did not take part in the block."""
    activities = _activities(part, block)
    rows = {dimension: _row_keys(year, block, dimension, activities) for dimension in Dimension}
    schools = [part.people[activity.person].schools for activity in activities]
    tables = []
    for dimension in Dimension:
        keys_of = keys[dimension]
        facts = [
            Fact(activity.person, keys_of(activity), at, activity.values, activity.item)
            for activity, at in zip(activities, schools, strict=True)
        ]
        tables.append(Linked(facts, rows[dimension], populations[dimension]))
    grids = disclose_linked(tables, columns, VALUES[block])
    return [
        (dimension, grid, rows[dimension]) for dimension, grid in zip(Dimension, grids, strict=True)
    ]


def figures(part: Participation, school_ids: Sequence[int], year: Year) -> Figures:
    columns = sorted(school_ids)
    populations = _populations(part)
    # The teachers by career stage and school are the stage tables' population.
    teachers = disclose(populations[Dimension.STAGE], STAGES, columns)
    keys = {dimension: _keys(part, dimension) for dimension in Dimension}
    grids: dict[tuple[Block, Dimension], Grid] = {}
    rows: dict[tuple[Block, Dimension], list[Hashable]] = {}
    for block in Block:
        found = _block_grids(part, block, year, columns, keys, populations)
        for dimension, grid, row_keys in found:
            grids[(block, dimension)], rows[(block, dimension)] = grid, row_keys
    return Figures(year, part, columns, teachers, grids, rows)


# -- labels ------------------------------------------------------------------------------------


def _stage_label(stage: CareerStage | None) -> str:
    return str(dict(career_stage_pairs())[stage.value if stage else ""])


def month_label(month: date) -> str:
    return format_date(month, "LLLL y")


def _row_label(figures: Figures, dimension: Dimension, key: Hashable) -> str:
    if dimension == Dimension.STAGE:
        return _stage_label(key)  # type: ignore[arg-type]
    if dimension == Dimension.MONTH:
        return _("Before this school year") if key == BEFORE else month_label(key)  # type: ignore[arg-type]
    if key is None:
        return _("No theme")
    return figures.participation.themes[key].name(current_language())  # type: ignore[index]


def _display_order(figures: Figures, dimension: Dimension, keys: list[Hashable]) -> list[Hashable]:
    """Themes by their name in the reader's language (no theme last); others as they are."""
    if dimension != Dimension.THEME:
        return keys
    return sorted(
        keys, key=lambda key: (key is None, _row_label(figures, dimension, key).casefold())
    )


def _caption(block: Block, dimension: Dimension) -> str:
    return f"{BLOCK_LABELS[block]} {DIMENSION_LABELS[dimension]}"


def table_id(block: Block, dimension: Dimension) -> str:
    return f"{block.value}-{dimension.value}"


# -- one school's tables -----------------------------------------------------------------------


def _measured(
    grid: Grid, key: tuple[Hashable, Hashable], measures: list[Measure]
) -> tuple[float | None, ...]:
    cell = grid[key]
    return tuple(measure.read(cell) if cell.shown else None for measure in measures)


def _measure_columns(measures: list[Measure]) -> list[Column]:
    return [
        Column(m.key, str(m.label), hours=m.hours, charted=index == 0)
        for index, m in enumerate(measures)
    ]


def school_table(figures: Figures, school_id: int, block: Block, dimension: Dimension) -> Table:
    """One block by one dimension for one school: a row per key, a column per measure."""
    grid, measures = figures.grids[(block, dimension)], MEASURES[block]
    keys = _display_order(figures, dimension, figures.rows[(block, dimension)])
    return Table(
        id=table_id(block, dimension),
        caption=_caption(block, dimension),
        row_header=_row_header(dimension),
        columns=_measure_columns(measures),
        rows=[
            Row(_row_label(figures, dimension, key), _measured(grid, (key, school_id), measures))
            for key in keys
        ],
        total=Row(_("Total"), _measured(grid, (TOTAL, school_id), measures)),
        notes=_notes(block, dimension),
    )


def _row_header(dimension: Dimension) -> str:
    return {
        Dimension.THEME: _("Theme"),
        Dimension.STAGE: _("Career stage"),
        Dimension.MONTH: _("Month"),
    }[dimension]


def _notes(block: Block, dimension: Dimension) -> list[str]:
    notes = []
    if dimension == Dimension.THEME:
        notes.append(
            _(
                "An activity with several themes counts under each, so the rows can add up to more than the total."
            )
        )
    elif dimension == Dimension.MONTH and block == Block.COMMUNITIES:
        notes.append(_("Communities by the month teachers joined them."))
    if dimension != Dimension.STAGE:
        notes.append(
            _("A teacher who took part in several rows counts in each; the total counts them once.")
        )
    return notes


def _summary_measures(figures: Figures) -> list[tuple[Measure, Grid]]:
    """Every figure of the summary with the grid it comes from: the teachers, then each block's
    measures (their totals are the same in each of the block's grids)."""
    found = [(TEACHER_MEASURE, figures.teachers)]
    for block in Block:
        grid = figures.grids[(block, Dimension.STAGE)]
        found += [(measure, grid) for measure in MEASURES[block]]
    return found


def school_summary(figures: Figures, school_id: int) -> Table:
    return Table(
        id=SUMMARY,
        caption=_("The school year in figures"),
        row_header=_("Figure"),
        columns=[Column("aantal", _("Number"))],
        rows=[
            Row(
                str(measure.summary),
                _measured(grid, (TOTAL, school_id), [measure]),
                hours=measure.hours,
            )
            for measure, grid in _summary_measures(figures)
        ],
    )


def school_teachers(figures: Figures, school_id: int) -> Table:
    return Table(
        id=TEACHERS,
        caption=_("Teachers on the platform by career stage"),
        row_header=_("Career stage"),
        columns=[Column("leraren", _("Teachers"), charted=True)],
        rows=[
            Row(
                _stage_label(stage),
                _measured(figures.teachers, (stage, school_id), [TEACHER_MEASURE]),
            )
            for stage in STAGES
        ],
        total=Row(_("Total"), _measured(figures.teachers, (TOTAL, school_id), [TEACHER_MEASURE])),
    )


# -- the board's tables: its schools side by side ----------------------------------------------


def _school_columns(schools: Sequence[Organisation], charted_total: bool) -> list[Column]:
    return [
        *(Column(str(school.id), school.name) for school in schools),
        Column("bestuur", _("Board total"), charted=charted_total),
    ]


def _across(
    grid: Grid, row: Hashable, schools: Sequence[Organisation], read: Callable[[Cell], float]
) -> tuple[float | None, ...]:
    cells = [grid[(row, school.id)] for school in schools] + [grid[(row, TOTAL)]]
    return tuple(read(cell) if cell.shown else None for cell in cells)


def board_table(
    figures: Figures, schools: Sequence[Organisation], block: Block, dimension: Dimension
) -> Table:
    """One block by one dimension: a row per key, the teachers taking part per school."""
    grid = figures.grids[(block, dimension)]
    keys = _display_order(figures, dimension, figures.rows[(block, dimension)])
    return Table(
        id=table_id(block, dimension),
        caption=_("%(what)s: teachers taking part per school", what=_caption(block, dimension)),
        row_header=_row_header(dimension),
        columns=_school_columns(schools, charted_total=True),
        rows=[
            Row(_row_label(figures, dimension, key), _across(grid, key, schools, _people))
            for key in keys
        ],
        total=Row(_("Total"), _across(grid, TOTAL, schools, _people)),
        notes=_notes(block, dimension),
    )


def board_summary(figures: Figures, schools: Sequence[Organisation]) -> Table:
    return Table(
        id=SUMMARY,
        caption=_("The school year in figures, per school"),
        row_header=_("Figure"),
        columns=_school_columns(schools, charted_total=False),
        rows=[
            Row(
                str(measure.summary),
                _across(grid, TOTAL, schools, measure.read),
                hours=measure.hours,
            )
            for measure, grid in _summary_measures(figures)
        ],
    )


def board_teachers(figures: Figures, schools: Sequence[Organisation]) -> Table:
    return Table(
        id=TEACHERS,
        caption=_("Teachers on the platform by career stage, per school"),
        row_header=_("Career stage"),
        columns=_school_columns(schools, charted_total=True),
        rows=[
            Row(_stage_label(stage), _across(figures.teachers, stage, schools, _people))
            for stage in STAGES
        ],
        total=Row(_("Total"), _across(figures.teachers, TOTAL, schools, _people)),
    )
