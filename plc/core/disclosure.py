"""Figures about people without pointing at anyone (statistical disclosure control).

A figure that counts people — or sums what they did — is shown only for a group of at least
`MIN_GROUP` people (or of none). Hiding the small groups is not enough on its own: where a total
is shown beside its parts, the total minus the parts shown is itself a group, and when that rest
is small, what its people did can be worked out by subtraction. So the rest is kept empty or at
least `MIN_GROUP` big: while it is small, the smallest part shown joins it (complementary
suppression). One loop, `keep_shown`, does that for every kind of table:

- `shown_groups`: groups that split one total (survey responses per organisation).
- `disclose`: a table of cells built from facts about people, with a total row and a total
  column (a school's figures per theme; a board's per theme and per school side by side). Each
  row and each column is a line with its own total, and the loop runs per line until no line
  changes. Per line, the rest is counted in people: those with a fact in the line's total that no
  shown part of the line counts. A part is never left as the only hidden cell of a line either
  (it would be its total minus the others), and a hidden total keeps at least one hidden part
  beside it (else it is the sum of its parts).

Tables of the same facts by different rows share their total row (`disclose_linked`): a total
hidden in one is hidden in all.

Facts may count in several rows (an activity with two themes) or columns (a teacher at two
schools); then rows add up to more than their total, and the rest still counts exactly the people
that the shown rows leave out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

#: The smallest group of people shown on its own.
MIN_GROUP = 5

K = TypeVar("K", bound=Hashable)


def is_small(people: int) -> bool:
    """A group that may not be shown: some people, but fewer than MIN_GROUP."""
    return 0 < people < MIN_GROUP


def keep_shown(
    sizes: Mapping[K, int],
    too_revealing: Callable[[set[K]], bool],
    order: Callable[[K], Any] = lambda key: key,
) -> set[K]:
    """Of the groups `sizes` (all big enough to be shown on their own), those that stay shown:
    while what the shown groups let a reader work out is `too_revealing`, the smallest of them
    (ties: the first in `order`) is hidden as well."""
    shown = set(sizes)
    while shown and too_revealing(shown):
        shown.remove(min(shown, key=lambda key: (sizes[key], order(key))))
    return shown


def shown_groups(responses: Mapping[Any, int], total: int) -> set[Any]:
    """The groups whose figures may be shown on their own: at least MIN_GROUP each, and a rest
    (total minus the groups shown) of 0 or at least MIN_GROUP, so that nothing smaller can be
    derived by subtraction. Counts under the key None (no group) belong to the rest."""
    candidates = {key: n for key, n in responses.items() if key is not None and n >= MIN_GROUP}
    return keep_shown(
        candidates, lambda shown: is_small(total - sum(candidates[key] for key in shown))
    )


# -- tables of facts about people ------------------------------------------------------------


class _Total:
    """The key of the total row and of the total column."""

    def __repr__(self) -> str:
        return "TOTAL"


TOTAL: Any = _Total()


@dataclass(frozen=True)
class Fact:
    """Something one person did (or is): it counts in each row and column whose key it carries,
    and once in the totals."""

    person: int
    rows: frozenset[Hashable] = frozenset()
    columns: frozenset[Hashable] = frozenset()
    #: Figures added up per cell (attendances, minutes, …).
    values: tuple[int, ...] = ()
    #: What was done (a community, say), for counting distinct items per cell.
    item: Hashable | None = None


@dataclass
class Cell:
    """The figures of one cell. `shown` False: not shown (a small group, or one that would
    reveal another by subtraction)."""

    people: int = 0
    items: int = 0
    values: tuple[int, ...] = ()
    shown: bool = True


@dataclass
class _Accumulator:
    people: set[int] = field(default_factory=set)
    items: set[Hashable] = field(default_factory=set)
    values: list[int] = field(default_factory=list)

    def add(self, fact: Fact) -> None:
        self.people.add(fact.person)
        if fact.item is not None:
            self.items.add(fact.item)
        if len(self.values) < len(fact.values):
            self.values.extend([0] * (len(fact.values) - len(self.values)))
        for index, value in enumerate(fact.values):
            self.values[index] += value

    def cell(self, width: int) -> Cell:
        values = tuple(self.values) + (0,) * (width - len(self.values))
        return Cell(len(self.people), len(self.items), values)


@dataclass
class _Line:
    """A row or column: its total cell, its parts, and per fact in its total the person and the
    keys of the parts that count the fact."""

    total: tuple[Any, Any]
    parts: dict[Hashable, tuple[Any, Any]]
    scope: list[tuple[int, frozenset[Hashable]]]

    def order(self, key: Hashable) -> int:
        """Ties between parts go to the first in the table's order."""
        return list(self.parts).index(key)

    def rest(self, shown: set[Hashable]) -> int:
        """People with a fact in the total that none of the `shown` parts counts."""
        return len({person for person, keys in self.scope if not keys & shown})


Grid = dict[tuple[Any, Any], Cell]


def disclose(
    facts: Iterable[Fact],
    rows: Sequence[Hashable],
    columns: Sequence[Hashable] = (),
    hidden: Iterable[tuple[Any, Any]] = (),
    width: int = 0,
) -> Grid:
    """Cells for every (row, column) key, the total row and column included (key TOTAL), each
    with its people, distinct items and `width` summed values, and whether it may be shown.
    `hidden`: cells that are not shown whatever they count (see `disclose_linked`)."""
    facts = list(facts)
    width = max([width, *(len(fact.values) for fact in facts)])
    grid = _count(facts, rows, columns, width)
    lines = _lines(facts, rows, columns)
    _hide_small(grid, lines)
    for key in hidden:
        grid[key].shown = False
    changed = True
    while changed:
        changed = False
        for line in lines:
            changed |= _protect(grid, line)
    return grid


def disclose_linked(
    tables: Sequence[tuple[Sequence[Fact], Sequence[Hashable]]],
    columns: Sequence[Hashable] = (),
    width: int = 0,
) -> list[Grid]:
    """Tables of the same facts by different rows (per theme, per month, …): they share their
    total row, so a total hidden in one is hidden in all, and each is protected again with it
    until they agree."""
    together: set[tuple[Any, Any]] = set()
    while True:
        grids = [disclose(facts, rows, columns, together, width) for facts, rows in tables]
        hidden = {
            (TOTAL, column)
            for grid in grids
            for column in [*columns, TOTAL]
            if not grid[(TOTAL, column)].shown
        }
        if hidden <= together:
            return grids
        together |= hidden


def _count(
    facts: list[Fact], rows: Sequence[Hashable], columns: Sequence[Hashable], width: int
) -> Grid:
    row_keys, column_keys = set(rows), set(columns)
    totals: dict[tuple[Any, Any], _Accumulator] = {
        (row, column): _Accumulator() for row in [*rows, TOTAL] for column in [*columns, TOTAL]
    }
    for fact in facts:
        for row in [*(fact.rows & row_keys), TOTAL]:
            for column in [*(fact.columns & column_keys), TOTAL]:
                totals[(row, column)].add(fact)
    return {key: accumulator.cell(width) for key, accumulator in totals.items()}


def _lines(facts: list[Fact], rows: Sequence[Hashable], columns: Sequence[Hashable]) -> list[_Line]:
    """Each row across the columns (when there are columns), each column down the rows."""
    found = []
    if columns:
        found += _lines_along(
            facts, rows, columns, lambda f: f.rows, lambda f: f.columns, lambda k, p: (k, p)
        )
    if rows:
        found += _lines_along(
            facts, columns, rows, lambda f: f.columns, lambda f: f.rows, lambda k, p: (p, k)
        )
    return found


def _lines_along(
    facts: list[Fact],
    keys: Sequence[Hashable],
    parts: Sequence[Hashable],
    own: Callable[[Fact], frozenset[Hashable]],
    across: Callable[[Fact], frozenset[Hashable]],
    cell: Callable[[Hashable, Hashable], tuple[Any, Any]],
) -> list[_Line]:
    """A line per key (and the total): its cells across `parts`, and the facts it counts with
    the parts that count them too."""
    part_keys, line_keys = frozenset(parts), frozenset(keys)
    scopes: dict[Hashable, set[tuple[int, frozenset[Hashable]]]] = {
        key: set() for key in [*keys, TOTAL]
    }
    for fact in facts:
        entry = (fact.person, across(fact) & part_keys)
        scopes[TOTAL].add(entry)
        for key in own(fact) & line_keys:
            scopes[key].add(entry)
    return [
        _Line(cell(key, TOTAL), {part: cell(key, part) for part in parts}, list(scopes[key]))
        for key in [*keys, TOTAL]
    ]


def _hide_small(grid: Grid, lines: list[_Line]) -> None:
    """Small groups; and the empty parts of a line whose total is small, which would tell
    where its few people are by telling where they are not."""
    for cell in grid.values():
        cell.shown = not is_small(cell.people)
    for line in lines:
        if is_small(grid[line.total].people):
            for key in line.parts.values():
                grid[key].shown = False


def _protect(grid: Grid, line: _Line) -> bool:
    """Hide parts of the line until it lets nothing small be worked out; True if any was."""
    total_shown = grid[line.total].shown
    if total_shown and not grid[line.total].people:
        return False  # a total of none says every part is empty: nothing left to protect
    candidates = {
        key: grid[cell].people
        for key, cell in line.parts.items()
        if grid[cell].shown and grid[cell].people
    }
    hidden = sum(1 for cell in line.parts.values() if not grid[cell].shown)

    def unknown(shown: set[Hashable]) -> int:
        """Hidden figures of the line, its total included."""
        return hidden + len(candidates) - len(shown) + (0 if total_shown else 1)

    def too_revealing(shown: set[Hashable]) -> bool:
        if unknown(shown) == 1:
            return True  # the one hidden figure of the line follows from the others
        return total_shown and is_small(line.rest(shown))

    kept = keep_shown(candidates, too_revealing, line.order)
    for key in candidates.keys() - kept:
        grid[line.parts[key]].shown = False
    if unknown(kept) == 1:
        return _hide_another(grid, line) or len(kept) < len(candidates)
    return len(kept) < len(candidates)


def _hide_another(grid: Grid, line: _Line) -> bool:
    """One hidden figure is left alone in its line and only empty parts are shown beside it:
    an empty part is hidden with it (the two then share their sum), or, without one, the
    line's total (it is a part of the other direction's total line, where the loop goes on)."""
    empty = sorted(
        (key for key, cell in line.parts.items() if grid[cell].shown and not grid[cell].people),
        key=line.order,
    )
    if empty:
        grid[line.parts[empty[0]]].shown = False
        return True
    if grid[line.total].shown and line.total != (TOTAL, TOTAL):
        grid[line.total].shown = False
        return True
    return False
