"""The rule that hides small groups (plc.core.disclosure), on its own: tables of facts about
people with a total row and column, the lines they protect, and the survey's form of it."""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence

from plc.core.disclosure import (
    MIN_GROUP,
    TOTAL,
    Fact,
    Grid,
    disclose,
    disclose_linked,
    is_small,
    shown_groups,
)


def facts_in(groups: dict[Hashable, int], column: Hashable | None = None) -> list[Fact]:
    """`n` different people in each row key (one fact each)."""
    found, person = [], 0
    for key, n in groups.items():
        for _ in range(n):
            person += 1
            columns = frozenset({column}) if column is not None else frozenset()
            found.append(Fact(person, frozenset({key}), columns, (1, 30)))
    return found


def shown(grid: Grid, rows: Sequence[Hashable], column: Hashable = TOTAL) -> dict[Hashable, int]:
    return {row: grid[(row, column)].people for row in rows if grid[(row, column)].shown}


def test_four_people_are_hidden_and_five_shown():
    grid = disclose(facts_in({"a": 4, "b": 0}), ["a", "b"])
    assert not grid[("a", TOTAL)].shown
    assert not grid[(TOTAL, TOTAL)].shown  # the total is those four
    grid = disclose(facts_in({"a": 5, "b": 0}), ["a", "b"])
    assert shown(grid, ["a", "b"]) == {"a": 5, "b": 0}
    assert grid[("a", TOTAL)].values == (5, 150)


def test_a_small_rest_takes_the_smallest_shown_group_with_it():
    # total 16 - 7 - 6 would be the 3 hidden: 6 is hidden too, leaving a rest of 9
    grid = disclose(facts_in({"a": 7, "b": 6, "c": 3}), ["a", "b", "c"])
    assert shown(grid, ["a", "b", "c"]) == {"a": 7}
    assert grid[(TOTAL, TOTAL)].shown and grid[(TOTAL, TOTAL)].people == 16
    # a rest of 5 or more may stay
    grid = disclose(facts_in({"a": 7, "b": 6, "c": 3, "d": 2}), ["a", "b", "c", "d"])
    assert shown(grid, ["a", "b", "c", "d"]) == {"a": 7, "b": 6}


def test_empty_rows_of_a_small_total_are_hidden_too():
    # three people, all in "a": showing b = 0 and c = 0 would say where they are
    grid = disclose(facts_in({"a": 3, "b": 0, "c": 0}), ["a", "b", "c"])
    assert shown(grid, ["a", "b", "c"]) == {}


def test_people_are_counted_once_and_their_activities_summed():
    facts = [
        Fact(1, frozenset({"x"}), values=(2, 90), item=10),
        Fact(1, frozenset({"x", "y"}), values=(1, 60), item=11),
        *(Fact(p, frozenset({"y"}), values=(1, 60), item=11) for p in range(2, 7)),
    ]
    grid = disclose(facts, ["x", "y"])
    total = grid[(TOTAL, TOTAL)]
    assert (total.people, total.items, total.values) == (6, 2, (8, 450))
    assert (grid[("y", TOTAL)].people, grid[("y", TOTAL)].items) == (6, 1)
    assert not grid[("x", TOTAL)].shown


def test_a_rest_counts_people_whose_activities_no_shown_row_counts():
    # Rows overlap: x has people 1–10, y has 1–7 and 11–13, z (hidden) has 11–13. Subtracting
    # counts (13 - 10 - 10) finds no rest, but z's activities are in no shown row: a rest of
    # three people. So x goes too, and the rest (8–13, six people) is big enough.
    facts = [Fact(p, frozenset({"x"})) for p in range(1, 11)]
    facts += [Fact(p, frozenset({"y"})) for p in [*range(1, 8), *range(11, 14)]]
    facts += [Fact(p, frozenset({"z"})) for p in range(11, 14)]
    grid = disclose(facts, ["x", "y", "z"])
    assert shown(grid, ["x", "y", "z"]) == {"y": 10}


def test_board_with_schools_side_by_side_hides_what_the_total_column_would_give_away():
    # Theme t: 7 at school A, 3 at school B. The board total (10) minus A (7) would be B's 3.
    facts = facts_in({"t": 7}, column="A") + [
        Fact(100 + n, frozenset({"t"}), frozenset({"B"})) for n in range(3)
    ]
    grid = disclose(facts, ["t"], ["A", "B"])
    assert not grid[("t", "B")].shown
    assert not grid[("t", "A")].shown
    assert grid[("t", TOTAL)].shown and grid[("t", TOTAL)].people == 10


def _check_lines(grid: Grid, rows: Sequence[Hashable], columns: Sequence[Hashable]) -> None:
    lines = []
    if columns:
        lines += [((r, TOTAL), [(r, c) for c in columns]) for r in [*rows, TOTAL]]
    if rows:
        lines += [((TOTAL, c), [(r, c) for r in rows]) for c in [*columns, TOTAL]]
    for key, cell in grid.items():
        assert not (cell.shown and is_small(cell.people)), key
    for total, parts in lines:
        if grid[total].shown and grid[total].people == 0:
            continue
        hidden = sum(not grid[part].shown for part in parts) + (not grid[total].shown)
        assert hidden != 1, (total, parts)


def test_random_tables_never_show_a_small_group_nor_leave_one_figure_to_subtract():
    generator = random.Random(5)
    for _ in range(300):
        rows = list(range(generator.randint(1, 5)))
        columns = [f"s{n}" for n in range(generator.randint(0, 4))]
        facts = []
        for person in range(generator.randint(0, 40)):
            schools = frozenset(generator.sample(columns, k=min(len(columns), 1)))
            for _activity in range(generator.randint(1, 3)):
                keys = frozenset(generator.sample(rows, k=generator.randint(1, min(2, len(rows)))))
                facts.append(Fact(person, keys, schools, (1,)))
        grid = disclose(facts, rows, columns)
        _check_lines(grid, rows, columns)
        # a shown total row: its rest over the shown parts is empty or big enough
        for column in [*columns, TOTAL]:
            total = grid[(TOTAL, column)]
            if not total.shown or not rows:
                continue
            keep = {row for row in rows if grid[(row, column)].shown}
            scope = [f for f in facts if column is TOTAL or column in f.columns]
            rest = {f.person for f in scope if not f.rows & keep}
            assert not is_small(len(rest)), (column, rest)


def test_linked_tables_hide_the_same_totals():
    generator = random.Random(11)
    for _ in range(100):
        people = [
            (p, generator.choice("ab"), generator.choice([1, 2, 3]), generator.choice(["A", "B"]))
            for p in range(generator.randint(5, 30))
        ]
        by_stage = [Fact(p, frozenset({s}), frozenset({c})) for p, s, _m, c in people]
        by_month = [Fact(p, frozenset({m}), frozenset({c})) for p, _s, m, c in people]
        stage_grid, month_grid = disclose_linked(
            [(by_stage, ["a", "b"]), (by_month, [1, 2, 3])], ["A", "B"]
        )
        for column in ["A", "B", TOTAL]:
            assert stage_grid[(TOTAL, column)].shown == month_grid[(TOTAL, column)].shown


def test_the_surveys_form_is_the_same_rule():
    assert shown_groups({1: 5, 2: 6, 3: 4, None: 1}, 16) == {1, 2}
    assert shown_groups({1: 5, 2: 6, 3: 4}, 15) == {2}
    assert shown_groups({"board": 9, "none": 1}, 10) == set()
    assert MIN_GROUP == 5
