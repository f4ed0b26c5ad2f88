"""Loading DUO school and board files into `Organisation` rows.

All files are parsed before anything is written, so a malformed file stops the run with nothing
changed. Then, for the chosen municipality:

- schools (kind school, keyed by `vestigingscode`) whose DUO municipality is the chosen one;
- boards (kind board, keyed by `bevoegd_gezag_nummer`) that such a school, or a school imported
  earlier, belongs to, and boards whose own address lies in the municipality.

Boards are written first, then schools, each linked to its board (`parent_id`) when the board is
known; schools imported in an earlier run are linked once their board arrives. Only fields that
differ are written, so a second run of the same files reports everything unchanged and issues no
UPDATE. A value DUO leaves empty does not erase what is stored. Slugs are made once, when an
organisation is added, and never changed by an import.

The session is flushed, never committed: the caller commits. With `dry_run` everything happens
inside a savepoint that is rolled back, so the report is the same and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, count
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from plc.auth.models import SchoolType
from plc.extensions import db
from plc.organisations.duo import (
    BoardRow,
    FileKind,
    ParsedFile,
    Rejection,
    SchoolRow,
    display_name,
    normalise_postcode,
    normalise_website,
    parse_file,
    sentence_case,
    street_address,
)
from plc.organisations.models import Organisation, OrganisationKind
from plc.themes.services import slugify

#: Wraps the rows being written, e.g. in a progress bar; gets a list, yields its items.
Progress = Callable[[Sequence[Any]], Iterable[Any]]

#: How changed fields are called in the report.
FIELD_LABELS = {
    "name": "name",
    "street": "street",
    "postcode": "postcode",
    "city": "city",
    "municipality": "municipality",
    "website": "website",
    "denomination": "denomination",
    "school_type": "school type",
    "instellingscode": "instellingscode",
    "duo_board_number": "board number",
    "parent_id": "board",
}

_CHUNK = 500  # keys per IN (...) query


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    #: Rows left out: schools of other municipalities, boards no kept school belongs to.
    skipped: int = 0


@dataclass(frozen=True)
class Change:
    """An organisation the import added or updated."""

    kind: OrganisationKind
    #: vestigingscode of a school, bevoegd gezag nummer of a board.
    key: str
    name: str
    #: What changed (labels of `FIELD_LABELS`); empty for an added organisation.
    fields: tuple[str, ...] = ()


@dataclass
class ImportReport:
    gemeente: str
    dry_run: bool
    files: list[ParsedFile]
    schools: Counts = field(default_factory=Counts)
    boards: Counts = field(default_factory=Counts)
    #: Rows not imported that concern the municipality, in file and row order.
    rejections: list[Rejection] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)

    def counts(self, kind: FileKind) -> Counts:
        return self.schools if kind is FileKind.SCHOOLS else self.boards


def import_files(
    paths: Iterable[str | Path],
    gemeente: str = "AMSTERDAM",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import DUO files of either generation; raises `DuoFileError` before writing anything."""
    files = [parse_file(path) for path in paths]
    wanted = " ".join(gemeente.split()).casefold()
    report = ImportReport(gemeente=" ".join(gemeente.split()).upper(), dry_run=dry_run, files=files)
    selection = _Selection(report, wanted)
    schools = selection.schools()
    referenced = {row.board_number for row, _ in schools if row.board_number}
    referenced |= _board_numbers_of_stored_schools(
        {row.board_number for file in files for row in file.boards}
    )
    boards = selection.boards(referenced)
    selection.add_parse_rejections(referenced)

    savepoint = db.session.begin_nested() if dry_run else None
    try:
        _Writer(report).write(boards, schools, progress)
    finally:
        if savepoint is not None:
            savepoint.rollback()
    order = {file.name: index for index, file in reversed(list(enumerate(files)))}
    report.rejections.sort(key=lambda rejection: (order[rejection.file], rejection.row))
    for rejection in report.rejections:
        report.counts(rejection.kind).rejected += 1
    return report


# -- choosing the rows -------------------------------------------------------------------------

_LENGTHS = {
    column.key: column.type.length
    for column in Organisation.__table__.columns
    if isinstance(column.type, sa.String) and column.type.length
}


def school_values(row: SchoolRow) -> dict[str, Any]:
    """The `Organisation` fields a DUO school row sets, in readable form."""
    return {
        "name": display_name(row.name),
        "instellingscode": row.instellingscode,
        "vestigingscode": row.vestigingscode,
        "duo_board_number": row.board_number,
        "street": street_address(row.street, row.house_number),
        "postcode": normalise_postcode(row.postcode),
        "city": display_name(row.city),
        "municipality": row.municipality,
        "denomination": sentence_case(row.denomination),
        "website": normalise_website(row.website),
        "school_type": SchoolType(row.school_type) if row.school_type else None,
    }


def board_values(row: BoardRow) -> dict[str, Any]:
    """The `Organisation` fields a DUO board row sets, in readable form."""
    return {
        "name": display_name(row.name),
        "bevoegd_gezag_nummer": row.board_number,
        "street": street_address(row.street, row.house_number),
        "postcode": normalise_postcode(row.postcode),
        "city": display_name(row.city),
        "municipality": row.municipality,
        "denomination": sentence_case(row.denomination),
        "website": normalise_website(row.website),
    }


def _too_long(values: dict[str, Any]) -> str | None:
    for key, value in values.items():
        limit = _LENGTHS.get(key)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            return f"{FIELD_LABELS.get(key, key)} longer than {limit} characters"
    return None


def _reject(report: ImportReport, row: SchoolRow | BoardRow, reason: str) -> None:
    kind = FileKind.SCHOOLS if isinstance(row, SchoolRow) else FileKind.BOARDS
    report.rejections.append(
        Rejection(row.file, row.row, reason, kind, row.municipality, row.board_number)
    )


class _Selection:
    """The rows of the chosen municipality, each code once."""

    def __init__(self, report: ImportReport, wanted: str) -> None:
        self.report = report
        self.wanted = wanted

    def _here(self, municipality: str | None) -> bool:
        return municipality is not None and municipality.casefold() == self.wanted

    def schools(self) -> list[tuple[SchoolRow, dict[str, Any]]]:
        chosen: dict[str, tuple[SchoolRow, dict[str, Any]]] = {}
        for file in self.report.files:
            for row in file.schools:
                if not self._here(row.municipality):
                    self.report.schools.skipped += 1
                    continue
                self._choose(chosen, row.vestigingscode, row, school_values(row), "vestigingscode")
        return list(chosen.values())

    def boards(self, referenced: set[str]) -> list[tuple[BoardRow, dict[str, Any]]]:
        chosen: dict[str, tuple[BoardRow, dict[str, Any]]] = {}
        for file in self.report.files:
            for row in file.boards:
                if row.board_number not in referenced and not self._here(row.municipality):
                    self.report.boards.skipped += 1
                    continue
                self._choose(chosen, row.board_number, row, board_values(row), "board number")
        return list(chosen.values())

    def _choose(
        self,
        chosen: dict[str, Any],
        key: str,
        row: SchoolRow | BoardRow,
        values: dict[str, Any],
        label: str,
    ) -> None:
        problem = _too_long(values)
        if problem:
            _reject(self.report, row, problem)
            return
        earlier = chosen.get(key)
        if earlier is None:
            chosen[key] = (row, values)
        elif not earlier[0].same_data(row):  # type: ignore[arg-type]
            _reject(
                self.report,
                row,
                f"{label} {key} appears earlier with other values "
                f"({earlier[0].file}, row {earlier[0].row})",
            )
        # the same row twice (a board in both besturenbo and besturenvo) is imported once

    def add_parse_rejections(self, referenced: set[str]) -> None:
        """The parser's rejections that concern the municipality (or cannot tell)."""
        for file in self.report.files:
            for rejection in file.rejections:
                if rejection.kind is FileKind.SCHOOLS:
                    relevant = rejection.municipality is None or self._here(rejection.municipality)
                else:
                    relevant = (
                        self._here(rejection.municipality)
                        or rejection.board_number in referenced
                        or (rejection.municipality is None and rejection.board_number is None)
                    )
                if relevant:
                    self.report.rejections.append(rejection)


def _chunks(keys: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(keys)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _board_numbers_of_stored_schools(numbers: set[str]) -> set[str]:
    """Which of these board numbers schools already in the database belong to."""
    found: set[str] = set()
    for chunk in _chunks(numbers):
        found.update(
            db.session.scalars(
                sa.select(Organisation.duo_board_number)
                .where(Organisation.kind == OrganisationKind.SCHOOL)
                .where(Organisation.duo_board_number.in_(chunk))
                .distinct()
            )
        )
    return found


def _stored(column: Any, keys: Iterable[str]) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for chunk in _chunks(keys):
        for organisation in db.session.scalars(sa.select(Organisation).where(column.in_(chunk))):
            found[getattr(organisation, column.key)] = organisation
    return found


# -- writing -----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.slugs = set(db.session.scalars(sa.select(Organisation.slug)))
        self.boards: dict[str, Organisation] = {}

    def write(
        self,
        boards: list[tuple[BoardRow, dict[str, Any]]],
        schools: list[tuple[SchoolRow, dict[str, Any]]],
        progress: Progress | None,
    ) -> None:
        stored_boards = _stored(
            Organisation.bevoegd_gezag_nummer, [row.board_number for row, _ in boards]
        )
        stored_schools = _stored(
            Organisation.vestigingscode, [row.vestigingscode for row, _ in schools]
        )
        items: list[tuple[SchoolRow | BoardRow, dict[str, Any]]] = [*boards, *schools]
        boards_done = False
        written: set[str] = set()
        for row, values in progress(items) if progress is not None else items:
            if isinstance(row, BoardRow):
                self._board(row, values, stored_boards.get(row.board_number))
                continue
            if not boards_done:
                self._boards_done({r.board_number for r, _ in schools if r.board_number})
                boards_done = True
            self._school(row, values, stored_schools.get(row.vestigingscode))
            written.add(row.vestigingscode)
        if not boards_done:
            self._boards_done(set())
        self._link_earlier_schools(written)
        db.session.flush()

    def _board(self, row: BoardRow, values: dict[str, Any], stored: Organisation | None) -> None:
        counts = self.report.boards
        if stored is not None and stored.kind != OrganisationKind.BOARD:
            _reject(
                self.report,
                row,
                f"board number {row.board_number} belongs to {stored.kind} {stored.slug!r}",
            )
            return
        if stored is None:
            stored = self._add(OrganisationKind.BOARD, values, row.board_number)
            counts.added += 1
        elif changed := _apply(stored, values):
            self._updated(stored, row.board_number, changed)
            counts.updated += 1
        else:
            counts.unchanged += 1
        self.boards[row.board_number] = stored

    def _boards_done(self, referenced: set[str]) -> None:
        """Give new boards their ids; find the stored boards that schools refer to."""
        db.session.flush()
        missing = referenced - set(self.boards)
        for number, board in _stored(Organisation.bevoegd_gezag_nummer, missing).items():
            if board.kind == OrganisationKind.BOARD:
                self.boards[number] = board

    def _school(self, row: SchoolRow, values: dict[str, Any], stored: Organisation | None) -> None:
        counts = self.report.schools
        if stored is not None and stored.kind != OrganisationKind.SCHOOL:
            _reject(
                self.report,
                row,
                f"vestigingscode {row.vestigingscode} belongs to {stored.kind} {stored.slug!r}",
            )
            return
        board = self.boards.get(row.board_number) if row.board_number else None
        if board is not None:
            values = {**values, "parent_id": board.id}
        if stored is None:
            self._add(OrganisationKind.SCHOOL, values, row.vestigingscode)
            counts.added += 1
        elif changed := _apply(stored, values):
            self._updated(stored, row.vestigingscode, changed)
            counts.updated += 1
        else:
            counts.unchanged += 1

    def _link_earlier_schools(self, written: set[str]) -> None:
        """Schools imported before their board: link them now that the board is here."""
        board_ids = {number: board.id for number, board in self.boards.items()}
        for chunk in _chunks(board_ids):
            query = (
                sa.select(Organisation)
                .where(Organisation.kind == OrganisationKind.SCHOOL)
                .where(Organisation.duo_board_number.in_(chunk))
                .order_by(Organisation.vestigingscode, Organisation.id)
            )
            for school in db.session.scalars(query):
                board_id = board_ids[school.duo_board_number]  # type: ignore[index]
                if school.vestigingscode in written or school.parent_id == board_id:
                    continue
                school.parent_id = board_id
                self._updated(school, school.vestigingscode or school.slug, ["parent_id"])
                self.report.schools.updated += 1

    def _add(self, kind: OrganisationKind, values: dict[str, Any], key: str) -> Organisation:
        organisation = Organisation(
            kind=kind,
            slug=self._slug(values["name"], key),
            **{name: value for name, value in values.items() if value is not None},
        )
        db.session.add(organisation)
        self.report.added.append(Change(kind, key, organisation.name))
        return organisation

    def _updated(self, organisation: Organisation, key: str, changed: list[str]) -> None:
        labels = tuple(FIELD_LABELS.get(name, name) for name in changed)
        self.report.updated.append(Change(organisation.kind, key, organisation.name, labels))

    def _slug(self, name: str, key: str) -> str:
        """From the name; with the code or board number, then a number, when that is taken."""
        base = slugify(name) or "organisatie"
        candidates = chain([base, f"{base}-{slugify(key)}"], (f"{base}-{n}" for n in count(2)))
        slug = next(candidate for candidate in candidates if candidate not in self.slugs)
        self.slugs.add(slug)
        return slug


def _apply(organisation: Organisation, values: dict[str, Any]) -> list[str]:
    """Set the fields that differ; an empty DUO value keeps what is stored. Returns their names."""
    changed = []
    for name, value in values.items():
        if value is not None and getattr(organisation, name) != value:
            setattr(organisation, name, value)
            changed.append(name)
    return changed
