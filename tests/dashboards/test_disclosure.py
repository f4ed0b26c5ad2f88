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
    Linked,
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


# -- against a population the reader knows (those who did not take part) ----------------------


def school_of_twelve(starters_taking_part: int) -> tuple[list[Fact], list[Fact]]:
    """Twelve teachers at school "A": 1–6 starters, 7–12 experienced. The experienced all take
    part; of the starters, the first `starters_taking_part`. Facts by career stage, and the
    teachers as the reader knows them (by career stage and school)."""
    stage = {person: "starter" if person <= 6 else "experienced" for person in range(1, 13)}
    population = [Fact(p, frozenset({s}), frozenset({"A"})) for p, s in stage.items()]
    taking_part = [p for p in stage if p > 6 or p <= starters_taking_part]
    facts = [Fact(p, frozenset({stage[p]}), frozenset({"A"}), (1,)) for p in taking_part]
    return facts, population


def test_teachers_minus_those_taking_part_never_leaves_a_few():
    # 11 of 12 take part: every figure beside its teachers would point at the one starter who
    # does not, and the experienced all taking part would say where that one is
    facts, population = school_of_twelve(starters_taking_part=5)
    grid = disclose(facts, ["starter", "experienced"], ["A"], population=population)
    assert not any(cell.shown for key, cell in grid.items() if key[0] != "student"), grid
    # without the population it all shows: no group of fewer than five takes part anywhere
    grid = disclose(facts, ["starter", "experienced"], ["A"])
    assert grid[(TOTAL, "A")].shown and grid[(TOTAL, "A")].people == 11
    assert grid[("starter", "A")].shown and grid[("starter", "A")].people == 5


def test_none_or_five_left_out_may_be_shown():
    facts, population = school_of_twelve(starters_taking_part=6)  # none left out
    grid = disclose(facts, ["starter", "experienced"], ["A"], population=population)
    assert shown(grid, ["starter", "experienced", TOTAL], "A") == {
        "starter": 6,
        "experienced": 6,
        TOTAL: 12,
    }
    # five left out: the total may be shown; the one starter taking part may not (nor the
    # experienced, who are the total minus that one)
    facts, population = school_of_twelve(starters_taking_part=1)
    grid = disclose(facts, ["starter", "experienced"], ["A"], population=population)
    assert shown(grid, ["starter", "experienced", TOTAL], "A") == {TOTAL: 7}


def test_rows_of_what_people_did_are_protected_against_the_population_too():
    # one theme for the 11 who take part: 12 teachers minus the theme's 11 is the one who does
    # not, even with the total hidden
    facts, population = school_of_twelve(starters_taking_part=5)
    by_theme = [Fact(f.person, frozenset({"t"}), f.columns) for f in facts]
    unplaced = [Fact(p.person, frozenset(), p.columns) for p in population]
    grid = disclose(by_theme, ["t"], ["A"], hidden=[(TOTAL, "A")], population=unplaced)
    assert not grid[("t", "A")].shown and not grid[("t", TOTAL)].shown
    # with five of the twelve taking part in nothing, the theme may be shown
    facts, population = school_of_twelve(starters_taking_part=1)
    by_theme = [Fact(f.person, frozenset({"t"}), f.columns) for f in facts]
    unplaced = [Fact(p.person, frozenset(), p.columns) for p in population]
    grid = disclose(by_theme, ["t"], ["A"], population=unplaced)
    assert grid[("t", "A")].shown and grid[("t", "A")].people == 7


def test_the_absent_of_hidden_parts_are_a_rest_too():
    # Stages a, b, c of 10 teachers each; absent 0, 3 and 6. The total's 9 absent minus c's 6
    # would be b's 3 (with b hidden for them): so c is hidden too, leaving 9.
    population, facts = [], []
    for index, (row, absent) in enumerate((("a", 0), ("b", 3), ("c", 6))):
        for n in range(10):
            person = 10 * index + n
            population.append(Fact(person, frozenset({row})))
            if n >= absent:
                facts.append(Fact(person, frozenset({row})))
    grid = disclose(facts, ["a", "b", "c"], population=population)
    assert shown(grid, ["a", "b", "c"]) == {"a": 10}
    assert grid[(TOTAL, TOTAL)].shown and grid[(TOTAL, TOTAL)].people == 21


def test_an_empty_part_that_leaves_people_out_is_hidden_for_them():
    # Boards X (10 teachers, none taking part), Y (12, 11 taking part), Z (1, taking part). The
    # total (12 of 23) with X's 0 would leave Y's one absent teacher by subtraction.
    sizes = {"X": (10, 0), "Y": (12, 11), "Z": (1, 1)}
    population, facts, first = [], [], 0
    for row, (everyone, taking_part) in sizes.items():
        population += [Fact(first + n, frozenset({row})) for n in range(everyone)]
        facts += [Fact(first + n, frozenset({row})) for n in range(taking_part)]
        first += everyone
    grid = disclose(facts, list(sizes), population=population)
    assert shown(grid, list(sizes)) == {}
    assert grid[(TOTAL, TOTAL)].shown and grid[(TOTAL, TOTAL)].people == 12


def _absent_in(population: list[Fact], facts: list[Fact], key: tuple[Hashable, Hashable]) -> int:
    row, column = key

    def inside(fact: Fact) -> bool:
        return (row is TOTAL or row in fact.rows) and (column is TOTAL or column in fact.columns)

    taking_part = {fact.person for fact in facts if inside(fact)}
    return len({fact.person for fact in population if inside(fact)} - taking_part)


def test_random_tables_never_show_a_few_left_out_of_their_population():
    generator = random.Random(7)
    for _ in range(300):
        rows = [f"r{n}" for n in range(generator.randint(1, 4))]
        columns = [f"s{n}" for n in range(generator.randint(0, 3))]
        placed = generator.random() < 0.5  # rows are who people are (a career stage), or not
        population, facts = [], []
        for person in range(generator.randint(0, 40)):
            schools = frozenset(generator.sample(columns, k=min(len(columns), 1)))
            stage = frozenset({generator.choice(rows)})
            population.append(Fact(person, stage if placed else frozenset(), schools))
            if generator.random() < 0.8:
                for _activity in range(generator.randint(1, 2)):
                    keys = stage if placed else frozenset(generator.sample(rows, k=1))
                    facts.append(Fact(person, keys, schools, (1,)))
        grid = disclose(facts, rows, columns, population=population)
        _check_lines(grid, rows, columns)
        for key, cell in grid.items():
            if cell.shown:
                assert not is_small(_absent_in(population, facts, key)), key
        # a shown total's absent, minus the absent of its shown parts (where the rows place
        # them): none or enough; and, where they do not, the population minus what the shown
        # parts count (as the rest of a shown total: people with something no shown part counts)
        for column in [*columns, TOTAL]:
            inside = [f for f in population if column is TOTAL or column in f.columns]
            scope = [f for f in facts if column is TOTAL or column in f.columns]
            keep = {row for row in rows if grid[(row, column)].shown}
            taking_part = {f.person for f in scope}
            absent = {f.person for f in inside if f.person not in taking_part}
            if placed and grid[(TOTAL, column)].shown and grid[(TOTAL, column)].people:
                rest = {f.person for f in inside if f.person in absent and not f.rows & keep}
                assert not is_small(len(rest)), (column, rest)
            if not placed and keep:
                rest = absent | {f.person for f in scope if not f.rows & keep}
                assert not is_small(len(rest)), (column, rest)


def test_linked_tables_against_a_population_hide_the_same_totals():
    generator = random.Random(13)
    for _ in range(100):
        people = [
            (p, generator.choice("ab"), generator.choice([1, 2, 3]), generator.choice(["A", "B"]))
            for p in range(generator.randint(5, 40))
        ]
        taking_part = [person for person in people if generator.random() < 0.8]
        by_stage = [Fact(p, frozenset({s}), frozenset({c})) for p, s, _m, c in taking_part]
        by_month = [Fact(p, frozenset({m}), frozenset({c})) for p, _s, m, c in taking_part]
        stages = [Fact(p, frozenset({s}), frozenset({c})) for p, s, _m, c in people]
        schools = [Fact(p, frozenset(), frozenset({c})) for p, _s, _m, c in people]
        stage_grid, month_grid = disclose_linked(
            [Linked(by_stage, ["a", "b"], stages), Linked(by_month, [1, 2, 3], schools)],
            ["A", "B"],
        )
        for column in ["A", "B", TOTAL]:
            assert stage_grid[(TOTAL, column)].shown == month_grid[(TOTAL, column)].shown
            absent = {p for p, _s, _m, c in people if column in (TOTAL, c)} - {
                p for p, _s, _m, c in taking_part
            }
            if stage_grid[(TOTAL, column)].shown:
                assert not is_small(len(absent)), column
