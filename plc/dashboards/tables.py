"""The tables every dashboard shows: the same object draws the bar chart, fills the HTML table and
writes the CSV file, so the three always carry the same numbers and hide the same cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal
from flask_babel import gettext as _

from plc.core.disclosure import MIN_GROUP
from plc.core.spreadsheet import safe_cell


def hidden_text() -> str:
    """What a cell that is not shown says, on the page and in the CSV file."""
    return _("fewer than %(num)d", num=MIN_GROUP)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    #: Hours with one decimal (other figures are counts).
    hours: bool = False
    #: Drawn as a bar in the chart above the table.
    charted: bool = False


@dataclass(frozen=True)
class Row:
    label: str
    #: One per column; None: not shown (a group of fewer than MIN_GROUP people, or one that
    #: would give such a group away).
    values: tuple[float | None, ...]
    #: Where the label links to, if anywhere.
    url: str | None = None
    #: Hours with one decimal, in every column (a summary has a row per figure).
    hours: bool = False


@dataclass(frozen=True)
class Bar:
    column: Column
    #: The column's position among the charted ones (its colour).
    series: int
    value: float | None
    #: Share of the chart's width, 0–100.
    width: float


@dataclass
class Table:
    #: Identifies the table on its page and names its CSV file.
    id: str
    caption: str
    #: The header of the first column, which names the rows.
    row_header: str
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    #: A sentence under the table (how to read it).
    notes: list[str] = field(default_factory=list)

    @property
    def charted(self) -> list[tuple[int, Column]]:
        return [(index, column) for index, column in enumerate(self.columns) if column.charted]

    @property
    def has_hidden(self) -> bool:
        return any(value is None for row in self.all_rows for value in row.values)

    @property
    def all_rows(self) -> list[Row]:
        return [*self.rows, *([self.total] if self.total else [])]

    def bars(self, row: Row) -> list[Bar]:
        """The bars of one row, on one scale for the whole chart (the total row is not drawn)."""
        charted = self.charted
        largest = max([1.0, *(r.values[i] or 0.0 for r in self.rows for i, _column in charted)])
        return [
            Bar(column, series, row.values[index], 100.0 * (row.values[index] or 0) / largest)
            for series, (index, column) in enumerate(charted)
        ]


# -- CSV ---------------------------------------------------------------------------------------


def _figure(value: float | None, hours: bool) -> Any:
    if value is None:
        return hidden_text()
    # A decimal comma, whatever the reader's language: the file is made for Dutch Excel (see
    # `csv_of`), which reads "1,5" as a number and "1.5" as a date or text. Counts are whole
    # numbers without thousands separators, which every spreadsheet reads.
    return format_decimal(round(value, 1), format="0.0", locale="nl") if hours else int(value)


def _lines(table: Table) -> Iterable[Sequence[Any]]:
    yield [table.row_header, *(column.label for column in table.columns)]
    for row in table.all_rows:
        yield [
            row.label,
            *(
                _figure(value, row.hours or column.hours)
                for value, column in zip(row.values, table.columns, strict=True)
            ),
        ]


def csv_of(table: Table) -> str:
    """The table as CSV: the same rows, columns and hidden cells as on the page.

    Made for Excel as Dutch school leaders have it, like the development record's export
    (`plc.development.export.record_csv`): a byte order mark, so that Excel reads UTF-8, and `;`
    between fields, the list separator of Dutch Windows, so that a double click opens the file
    in columns; hours with a decimal comma for the same reason."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in _lines(table):
        writer.writerow([safe_cell(value) for value in line])
    return buffer.getvalue()
