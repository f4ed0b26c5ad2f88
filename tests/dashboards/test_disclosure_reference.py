"""The disclosure counts a table's people by what the table knows of them (the places of their
facts), not person by person: the same cells, lines and absent as counting each person on their
own, which this file keeps as the reference and compares on many random tables. The rule that
hides cells works on those counts unchanged, so equal counts give equal pages."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Any

from plc.core.disclosure import TOTAL, Fact, Linked, _Line, _Table, disclose_linked

Key = tuple[Any, Any]


def reference_cells(
    facts: list[Fact], rows: Sequence[Hashable], columns: Sequence[Hashable], width: int
) -> dict[Key, tuple[int, int, tuple[int, ...]]]:
    """Per cell: its people, distinct items and summed values, fact by fact."""
    people: dict[Key, set[int]] = {}
    items: dict[Key, set[Hashable]] = {}
    values: dict[Key, list[int]] = {}
    for key in cells_of(rows, columns):
        people[key], items[key], values[key] = set(), set(), [0] * width
    for fact in facts:
        for key in fact_cells(fact, rows, columns):
            people[key].add(fact.person)
            if fact.item is not None:
                items[key].add(fact.item)
            for index, value in enumerate(fact.values):
                values[key][index] += value
    return {
        key: (len(people[key]), len(items[key]), tuple(values[key]))
        for key in cells_of(rows, columns)
    }


def cells_of(rows: Sequence[Hashable], columns: Sequence[Hashable]) -> list[Key]:
    return [(row, column) for row in [*rows, TOTAL] for column in [*columns, TOTAL]]


def fact_cells(fact: Fact, rows: Sequence[Hashable], columns: Sequence[Hashable]) -> list[Key]:
    in_rows = [*(key for key in rows if key in fact.rows), TOTAL]
    in_columns = [*(key for key in columns if key in fact.columns), TOTAL]
    return [(row, column) for row in in_rows for column in in_columns]


def reference_population(
    facts: list[Fact], population: list[Fact], rows: Sequence[Hashable], columns: Sequence[Hashable]
) -> tuple[dict[Key, int], dict[Key, int]]:
    """Per cell, the population's people in it, and those of them with no fact in it."""
    took: dict[Key, set[int]] = {key: set() for key in cells_of(rows, columns)}
    known: dict[Key, set[int]] = {key: set() for key in cells_of(rows, columns)}
    for fact in facts:
        for key in fact_cells(fact, rows, columns):
            took[key].add(fact.person)
    for fact in population:
        for key in fact_cells(fact, rows, columns):
            known[key].add(fact.person)
    return (
        {key: len(people) for key, people in known.items()},
        {key: len(people - took[key]) for key, people in known.items()},
    )


def reference_lines(
    facts: list[Fact],
    population: list[Fact],
    keys: Sequence[Hashable],
    parts: Sequence[Hashable],
    along_rows: bool,
) -> dict[Hashable, tuple[Counter, Counter, Counter]]:
    """Per line key: its people by the parts that count each of their facts, its absent by the
    parts whose population they are in, and its unplaced by their facts, person by person."""

    def entries(of: list[Fact]) -> dict[Hashable, dict[int, set[frozenset[Hashable]]]]:
        found: dict[Hashable, dict[int, set[frozenset[Hashable]]]] = {k: {} for k in [*keys, TOTAL]}
        for fact in of:
            own, across = (fact.rows, fact.columns) if along_rows else (fact.columns, fact.rows)
            entry = frozenset(across & frozenset(parts))
            for key in [*(k for k in keys if k in own), TOTAL]:
                found[key].setdefault(fact.person, set()).add(entry)
        return found

    took, known = entries(facts), entries(population)
    lines = {}
    for key in [*keys, TOTAL]:
        people = Counter(frozenset(found) for found in took[key].values())
        absent: Counter = Counter()
        unplaced: Counter = Counter()
        for person, found in known[key].items():
            placing = frozenset().union(*found)
            if person not in took[key]:
                absent[frozenset({placing})] += 1
            if not placing:
                unplaced[frozenset(took[key].get(person, {placing}))] += 1
        lines[key] = (people, absent, unplaced)
    return lines


def counted(line: _Line) -> tuple[Counter, Counter, Counter]:
    return (
        +Counter(line.people),
        +Counter(line.absent),
        +Counter(line.unplaced),
    )


def random_table(
    generator: random.Random,
) -> tuple[list[Fact], list[Fact] | None, list[Hashable], list[Hashable]]:
    """People at one or more schools, with facts in one or more rows (a few in rows the table
    does not have), values and items; a population that places people in rows or not, or
    none."""
    rows: list[Hashable] = [f"r{n}" for n in range(generator.randint(0, 4))]
    columns: list[Hashable] = [f"s{n}" for n in range(generator.randint(0, 3))]
    placed = generator.random() < 0.5
    with_population = generator.random() < 0.7
    width = generator.randint(0, 2)
    facts, population = [], []
    for person in range(generator.randint(0, 30)):
        schools = frozenset(generator.sample(columns, k=generator.randint(0, len(columns))))
        stage = frozenset({generator.choice([*rows, "elsewhere"])})
        population.append(Fact(person, stage if placed else frozenset(), schools))
        if generator.random() < 0.25:
            continue  # took part in nothing
        for _activity in range(generator.randint(1, 4)):
            keys = (
                stage
                if placed
                else frozenset(
                    generator.sample(
                        [*rows, "elsewhere"], k=generator.randint(0, min(2, len(rows)))
                    )
                )
            )
            facts.append(
                Fact(
                    person,
                    keys,
                    schools,
                    tuple(generator.randint(0, 90) for _ in range(width)),
                    generator.choice([None, 1, 2, 3]),
                )
            )
    return facts, population if with_population else None, rows, columns


def test_random_tables_count_as_person_by_person():
    generator = random.Random(23)
    for _ in range(1500):
        facts, population, rows, columns = random_table(generator)
        width = max([0, *(len(fact.values) for fact in facts)])
        table = _Table(facts, rows, columns, 0, population)

        expected = reference_cells(facts, rows, columns, width)
        assert {
            key: (cell.people, cell.items, cell.values) for key, cell in table.cells.items()
        } == expected
        if population is None:
            assert (table.placed, table.absent) == ({}, {})
        else:
            placed, absent = reference_population(facts, population, rows, columns)
            assert (table.placed, table.absent) == (placed, absent)

        lines: list[tuple[Key, tuple[Counter, Counter, Counter]]] = []
        if columns:
            for key, found in reference_lines(facts, population or [], rows, columns, True).items():
                lines.append(((key, TOTAL), found))
        if rows:
            for key, found in reference_lines(
                facts, population or [], columns, rows, False
            ).items():
                lines.append(((TOTAL, key), found))
        assert [(line.total, counted(line)) for line in table.lines] == lines


def test_linked_random_tables_agree_with_their_reference_counts():
    """End to end: linked tables disclosed from the new counts hide their totals together, and
    every cell's figures are the reference's."""
    generator = random.Random(29)
    for _ in range(200):
        facts, population, rows, columns = random_table(generator)
        by_month = [Fact(f.person, frozenset({f.person % 3}), f.columns, f.values) for f in facts]
        grids = disclose_linked(
            [Linked(facts, rows, population), Linked(by_month, [0, 1, 2])], columns
        )
        width = max([0, *(len(fact.values) for fact in facts)])
        expected = reference_cells(facts, rows, columns, width)
        assert {
            key: (cell.people, cell.items, cell.values) for key, cell in grids[0].items()
        } == expected
        for column in [*columns, TOTAL]:
            assert grids[0][(TOTAL, column)].shown == grids[1][(TOTAL, column)].shown
