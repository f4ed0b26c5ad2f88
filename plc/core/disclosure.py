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

**Those who did not take part** (`population`). Where the reader knows how many people the
facts are about — a school's teachers per school and per career stage are on the dashboards, and
a leader knows their staff anyway — each figure of people taking part also tells how many did
not: the population minus the figure. These absent are a group like any other, a category that
is never shown but is protected all the same:

- a cell is shown only when its absent are none or at least `MIN_GROUP` (12 teachers beside 11
  taking part point at one);
- a line whose absent are few hides the parts that would say where they are not (those that
  place people of the population: all of them took part there);
- beside a shown total, the absent whom no shown part accounts for are a rest, kept empty or big
  enough like the rest of those taking part;
- where the parts are what people did (themes, months) rather than who they are (career stages),
  the population minus what the shown parts count is a rest as well, whether the line's total is
  shown or not (12 teachers beside 11 in one theme).

**How a table is counted.** All the rule needs to know of a person is where their facts count
(their *profile*: the set of (rows, columns) their facts carry) and where the population places
them. So people are grouped by those two, and cells, lines, rests and absent are counted per
group, weighted by its size: everyone at one school and career stage is one group, however many
they are. The rule itself does not change with it (tests/dashboards/test_disclosure_reference.py
holds the person-by-person counting as the reference).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import product
from typing import Any, NamedTuple, TypeVar

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


class Fact(NamedTuple):
    """Something one person did (or is): it counts in each row and column whose key it carries,
    and once in the totals. (A named tuple: a page builds thousands, and tuples are the
    cheapest to make.)"""

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


#: Per person, the keys of the parts of a line that count each of their facts.
_Signature = frozenset[frozenset[Hashable]]


def _left_out(group: Counter[_Signature], shown: set[Hashable]) -> int:
    """People of `group` with something that none of the `shown` parts counts."""
    return sum(n for signature, n in group.items() if any(not keys & shown for keys in signature))


@dataclass
class _Line:
    """A row or column: its total cell, its parts, and the people of its total by what the
    parts count of them."""

    total: tuple[Any, Any]
    parts: dict[Hashable, tuple[Any, Any]]
    #: The people with a fact in the total.
    people: Counter[_Signature]
    #: The population's people with no fact in the total, by the parts whose population they
    #: are in.
    absent: Counter[_Signature] = field(default_factory=Counter)
    #: The population's people in no part's population (the parts count what people did, not
    #: who they are), by their facts; the absent among them have none.
    unplaced: Counter[_Signature] = field(default_factory=Counter)

    def order(self, key: Hashable) -> int:
        """Ties between parts go to the first in the table's order."""
        return list(self.parts).index(key)

    def rest(self, shown: set[Hashable]) -> int:
        """People with a fact in the total that none of the `shown` parts counts."""
        return _left_out(self.people, shown)

    def absent_rest(self, shown: set[Hashable]) -> int:
        """The absent whom no `shown` part's population accounts for (the total's absent minus
        those of the shown parts)."""
        return _left_out(self.absent, shown)

    def unplaced_rest(self, shown: set[Hashable]) -> int:
        """The population minus what the `shown` parts count, where the parts do not place it."""
        return _left_out(self.unplaced, shown)


Grid = dict[tuple[Any, Any], Cell]


def disclose(
    facts: Iterable[Fact],
    rows: Sequence[Hashable],
    columns: Sequence[Hashable] = (),
    hidden: Iterable[tuple[Any, Any]] = (),
    width: int = 0,
    population: Iterable[Fact] | None = None,
) -> Grid:
    """Cells for every (row, column) key, the total row and column included (key TOTAL), each
    with its people, distinct items and `width` summed values, and whether it may be shown.
    `hidden`: cells that are not shown whatever they count (see `disclose_linked`).

    `population`: everyone the facts are about, when the reader knows how many they are, one
    fact each with the keys the reader knows them by — their columns, and rows where the rows
    are who people are (a career stage) rather than what they did (a theme). Its people with no
    fact in a cell are that cell's absent, protected as a group that is never shown."""
    return _Table(facts, rows, columns, width, population).disclose(hidden)


class _Table:
    """What a table counts, per cell and per line, ready to be disclosed (again)."""

    def __init__(
        self,
        facts: Iterable[Fact],
        rows: Sequence[Hashable],
        columns: Sequence[Hashable],
        width: int,
        population: Iterable[Fact] | None,
    ) -> None:
        facts = list(facts)
        width = max([width, *(len(fact.values) for fact in facts)])
        places = _Places(rows, columns)
        took, sums = places.of_facts(facts)
        known = None if population is None else places.of_facts(population)[0]
        groups = _groups(took, known)
        people = _people_per_cell(places, groups)
        summed = _sums_per_cell(places, sums, width)
        self.cells = {key: Cell(people[key], *summed[key]) for key in places.cells}
        #: Per cell, the population's people in it, and those of them with no fact in it.
        self.placed: dict[tuple[Any, Any], int] = {}
        self.absent: dict[tuple[Any, Any], int] = {}
        if known is not None:
            self.placed, self.absent = _population_per_cell(places, groups)
        self.lines = _lines(places, groups, rows, columns)

    def disclose(self, hidden: Iterable[tuple[Any, Any]]) -> Grid:
        grid = {key: replace(cell) for key, cell in self.cells.items()}
        _hide_small(grid, self.lines, self.absent, self.placed)
        for key in hidden:
            grid[key].shown = False
        changed = True
        while changed:
            changed = False
            for line in self.lines:
                changed |= _protect(grid, line, self.absent)
        return grid


class Linked(NamedTuple):
    """One of the tables `disclose_linked` protects together."""

    facts: Sequence[Fact]
    rows: Sequence[Hashable]
    population: Sequence[Fact] | None = None


def disclose_linked(
    tables: Sequence[Linked | tuple[Sequence[Fact], Sequence[Hashable]]],
    columns: Sequence[Hashable] = (),
    width: int = 0,
) -> list[Grid]:
    """Tables of the same facts by different rows (per theme, per month, …): they share their
    total row, so a total hidden in one is hidden in all, and each is protected again with it
    until they agree."""
    prepared = [
        _Table(table.facts, table.rows, columns, width, table.population)
        for table in (Linked(*table) for table in tables)
    ]
    together: set[tuple[Any, Any]] = set()
    while True:
        grids = [table.disclose(together) for table in prepared]
        hidden = {
            (TOTAL, column)
            for grid in grids
            for column in [*columns, TOTAL]
            if not grid[(TOTAL, column)].shown
        }
        if hidden <= together:
            return grids
        together |= hidden


#: Where a fact counts in a table: its row keys and its column keys among the table's.
_Place = tuple[frozenset[Hashable], frozenset[Hashable]]
#: The places of all of one person's facts: the table needs no more about a person, so people
#: with the same profile (and the same place in the population) are counted together.
_Profile = frozenset[_Place]
_Key = tuple[Any, Any]

_NOWHERE: _Profile = frozenset()


@dataclass
class _Sums:
    """The distinct items and the summed values of the facts at one place."""

    items: set[Hashable] = field(default_factory=set)
    values: list[int] = field(default_factory=list)

    def add(self, fact: Fact) -> None:
        if fact.item is not None:
            self.items.add(fact.item)
        if len(self.values) < len(fact.values):
            self.values.extend([0] * (len(fact.values) - len(self.values)))
        for index, value in enumerate(fact.values):
            self.values[index] += value


class _Places:
    """A table's keys, and the cells each place (and each profile) counts in. Facts share their
    keys (a person's schools, a theme): each is intersected and expanded once."""

    def __init__(self, rows: Sequence[Hashable], columns: Sequence[Hashable]) -> None:
        self.row_keys, self.column_keys = frozenset(rows), frozenset(columns)
        self.cells = [(row, column) for row in [*rows, TOTAL] for column in [*columns, TOTAL]]
        self._rows: dict[frozenset[Hashable], frozenset[Hashable]] = {}
        self._columns: dict[frozenset[Hashable], frozenset[Hashable]] = {}
        self._cells: dict[_Place, frozenset[_Key]] = {}

    def place(self, fact: Fact) -> _Place:
        rows = self._rows.get(fact.rows)
        if rows is None:
            rows = self._rows[fact.rows] = fact.rows & self.row_keys
        columns = self._columns.get(fact.columns)
        if columns is None:
            columns = self._columns[fact.columns] = fact.columns & self.column_keys
        return rows, columns

    def of_facts(self, facts: Iterable[Fact]) -> tuple[dict[int, _Profile], dict[_Place, _Sums]]:
        """Per person, the places of their facts; per place, what its facts add up to. People
        with facts at one place only (most, in a table by who they are) share one profile."""
        alone: dict[_Place, _Profile] = {}
        by_person: dict[int, _Profile | set[_Place]] = {}
        sums: dict[_Place, _Sums] = {}
        for fact in facts:
            place = self.place(fact)
            found = by_person.get(fact.person)
            if found is None:
                profile = alone.get(place)
                if profile is None:
                    profile = alone[place] = frozenset({place})
                by_person[fact.person] = profile
            elif isinstance(found, set):
                found.add(place)
            elif place not in found:
                by_person[fact.person] = {*found, place}
            if fact.values or fact.item is not None:
                at = sums.get(place)
                if at is None:
                    at = sums[place] = _Sums()
                at.add(fact)
        profiles = {
            person: frozenset(found) if isinstance(found, set) else found
            for person, found in by_person.items()
        }
        return profiles, sums

    def cells_of(self, place: _Place) -> frozenset[_Key]:
        """The cells a fact at `place` counts in: its rows and the total row by its columns and
        the total column."""
        found = self._cells.get(place)
        if found is None:
            rows, columns = place
            found = self._cells[place] = frozenset(product([*rows, TOTAL], [*columns, TOTAL]))
        return found

    def cells_in(self, profile: _Profile) -> frozenset[_Key]:
        return frozenset().union(*(self.cells_of(place) for place in profile))


#: People grouped by what the table knows of them: the profile of their facts, and that of
#: their facts in the population (none without one).
_Groups = Counter[tuple[_Profile, _Profile]]


def _groups(took: dict[int, _Profile], known: dict[int, _Profile] | None) -> _Groups:
    known = known or {}
    return Counter(
        (took.get(person, _NOWHERE), known.get(person, _NOWHERE))
        for person in took.keys() | known.keys()
    )


def _people_per_cell(places: _Places, groups: _Groups) -> dict[_Key, int]:
    found = dict.fromkeys(places.cells, 0)
    for (took, _known), n in groups.items():
        for key in places.cells_in(took):
            found[key] += n
    return found


def _population_per_cell(
    places: _Places, groups: _Groups
) -> tuple[dict[_Key, int], dict[_Key, int]]:
    """Per cell, the population's people in it, and those of them with no fact in it."""
    placed, absent = dict.fromkeys(places.cells, 0), dict.fromkeys(places.cells, 0)
    for (took, known), n in groups.items():
        if not known:
            continue
        cells = places.cells_in(known)
        for key in cells:
            placed[key] += n
        for key in cells - places.cells_in(took):
            absent[key] += n
    return placed, absent


def _sums_per_cell(
    places: _Places, sums: dict[_Place, _Sums], width: int
) -> dict[_Key, tuple[int, tuple[int, ...]]]:
    """Per cell, the distinct items and the summed values of the facts counting in it."""
    items: dict[_Key, set[Hashable]] = {key: set() for key in places.cells}
    values: dict[_Key, list[int]] = {key: [0] * width for key in places.cells}
    for place, at in sums.items():
        for key in places.cells_of(place):
            items[key] |= at.items
            added = values[key]
            for index, value in enumerate(at.values):
                added[index] += value
    return {key: (len(items[key]), tuple(values[key])) for key in places.cells}


def _lines(
    places: _Places, groups: _Groups, rows: Sequence[Hashable], columns: Sequence[Hashable]
) -> list[_Line]:
    """Each row across the columns (when there are columns), each column down the rows."""
    found = []
    if columns:
        found += _lines_along(groups, rows, columns, 0, lambda k, p: (k, p))
    if rows:
        found += _lines_along(groups, columns, rows, 1, lambda k, p: (p, k))
    return found


def _entries(profile: _Profile, own: int) -> dict[Hashable, frozenset[frozenset[Hashable]]]:
    """Per line key (and TOTAL) with a fact of the profile: the keys of the parts that count
    each of those facts (`own`: which of a place's key sets says its lines)."""
    found: dict[Hashable, set[frozenset[Hashable]]] = {}
    for place in profile:
        across = place[1 - own]
        for key in (*place[own], TOTAL):
            entries = found.get(key)
            if entries is None:
                found[key] = {across}
            else:
                entries.add(across)
    return {key: frozenset(entries) for key, entries in found.items()}


def _lines_along(
    groups: _Groups,
    keys: Sequence[Hashable],
    parts: Sequence[Hashable],
    own: int,
    cell: Callable[[Hashable, Hashable], tuple[Any, Any]],
) -> list[_Line]:
    """A line per key (and the total): its cells across `parts`, and the people it counts (and
    leaves out of its population) with the parts that count (or place) them."""
    line_keys = [*keys, TOTAL]
    people: dict[Hashable, Counter[_Signature]] = {key: Counter() for key in line_keys}
    absent: dict[Hashable, Counter[_Signature]] = {key: Counter() for key in line_keys}
    unplaced: dict[Hashable, Counter[_Signature]] = {key: Counter() for key in line_keys}
    # Many people share a profile in one of the two (everyone at one school and stage has the
    # same place in the population): each profile's entries are worked out once.
    worked_out: dict[_Profile, dict[Hashable, frozenset[frozenset[Hashable]]]] = {}

    def entries_of(profile: _Profile) -> dict[Hashable, frozenset[frozenset[Hashable]]]:
        found = worked_out.get(profile)
        if found is None:
            found = worked_out[profile] = _entries(profile, own)
        return found

    for (took, known), n in groups.items():
        took_in = entries_of(took)
        for key, entries in took_in.items():
            people[key][entries] += n
        for key, entries in entries_of(known).items():
            placing: frozenset[Hashable] = frozenset().union(*entries)
            taking_part = took_in.get(key)
            if taking_part is None:
                absent[key][frozenset({placing})] += n
            if not placing:
                unplaced[key][taking_part or frozenset({placing})] += n
    return [
        _Line(
            cell(key, TOTAL),
            {part: cell(key, part) for part in parts},
            people[key],
            absent[key],
            unplaced[key],
        )
        for key in line_keys
    ]


def _hide_small(
    grid: Grid,
    lines: list[_Line],
    absent: Mapping[tuple[Any, Any], int],
    placed: Mapping[tuple[Any, Any], int],
) -> None:
    """Small groups, of people taking part or of the absent beside them; the empty parts of a
    line whose total is small, which would tell where its few people are by telling where they
    are not; and, for the same reason, the parts of a line with few absent that place people of
    the population (all of whom took part, or few of whom did not)."""
    for key, cell in grid.items():
        cell.shown = not is_small(cell.people) and not is_small(absent.get(key, 0))
    for line in lines:
        if is_small(grid[line.total].people):
            for key in line.parts.values():
                grid[key].shown = False
        elif is_small(absent.get(line.total, 0)):
            for key in line.parts.values():
                if placed.get(key, 0):
                    grid[key].shown = False


def _protect(grid: Grid, line: _Line, absent: Mapping[tuple[Any, Any], int]) -> bool:
    """Hide parts of the line until it lets nothing small be worked out; True if any was."""
    total_shown = grid[line.total].shown
    if total_shown and not grid[line.total].people:
        return False  # a total of none says every part is empty: nothing left to protect
    before = _shown_parts(grid, line)
    candidates = {key: grid[line.parts[key]].people for key in before}
    candidates = {key: people for key, people in candidates.items() if people}
    hidden = len(line.parts) - len(before) + (0 if total_shown else 1)

    def unknown(shown: set[Hashable]) -> int:
        """Hidden figures of the line, its total included."""
        return hidden + len(candidates) - len(shown)

    def too_revealing(shown: set[Hashable]) -> bool:
        if unknown(shown) == 1:
            return True  # the one hidden figure of the line follows from the others
        if is_small(line.unplaced_rest(shown)):
            return True  # the population minus what the shown parts count
        return total_shown and is_small(line.rest(shown))

    kept = keep_shown(candidates, too_revealing, line.order)
    _hide(grid, line, candidates.keys() - kept)
    if is_small(line.unplaced_rest(kept)):
        # A few in the population and nobody in the parts left shown: those empty parts would
        # say that the few did none of it.
        _hide(grid, line, before - candidates.keys())
    elif unknown(kept) == 1:
        _hide_another(grid, line)
    if grid[line.total].shown:
        _protect_absent(grid, line, absent)
    return _shown_parts(grid, line) != before or grid[line.total].shown != total_shown


def _protect_absent(grid: Grid, line: _Line, absent: Mapping[tuple[Any, Any], int]) -> None:
    """A shown total tells how many of the line's population are absent: hide parts that
    account for absent (the fewest first) until those of the hidden parts are none or enough.
    (The absent of a hidden total are unknown; its parts are protected as the line's rest.)"""
    shown = _shown_parts(grid, line)
    leaving = {key: absent.get(line.parts[key], 0) for key in shown}
    leaving = {key: n for key, n in leaving.items() if n}
    others = shown - leaving.keys()
    kept = keep_shown(leaving, lambda kept: is_small(line.absent_rest(kept | others)), line.order)
    _hide(grid, line, leaving.keys() - kept)


def _shown_parts(grid: Grid, line: _Line) -> set[Hashable]:
    return {key for key, cell in line.parts.items() if grid[cell].shown}


def _hide(grid: Grid, line: _Line, keys: Iterable[Hashable]) -> None:
    for key in keys:
        grid[line.parts[key]].shown = False


def _hide_another(grid: Grid, line: _Line) -> None:
    """One hidden figure is left alone in its line and only empty parts are shown beside it:
    an empty part is hidden with it (the two then share their sum), or, without one, the
    line's total (it is a part of the other direction's total line, where the loop goes on)."""
    empty = sorted(
        (key for key, cell in line.parts.items() if grid[cell].shown and not grid[cell].people),
        key=line.order,
    )
    if empty:
        grid[line.parts[empty[0]]].shown = False
    elif grid[line.total].shown and line.total != (TOTAL, TOTAL):
        grid[line.total].shown = False
