"""`flask --app wsgi plc import-schools FILE… [--gemeente AMSTERDAM] [--dry-run]`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from plc.core.cli import plc_cli
from plc.extensions import db
from plc.organisations.duo import DuoFileError, FileKind
from plc.organisations.importer import Counts, ImportReport, import_files


@plc_cli.command("import-schools")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--gemeente",
    default="AMSTERDAM",
    show_default=True,
    help="Keep the schools of this municipality (DUO GEMEENTENAAM, any case).",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
def import_schools_command(files: tuple[Path, ...], gemeente: str, dry_run: bool) -> None:
    """Load DUO school-location (vestigingen) and board (besturen) files, of either generation.

    Safe to run again: what did not change is reported unchanged and not written.
    """

    def progress(items: Sequence[Any]) -> Iterator[Any]:
        with click.progressbar(items, label="Importing", show_pos=True) as bar:
            yield from bar

    try:
        report = import_files(files, gemeente=gemeente, dry_run=dry_run, progress=progress)
    except DuoFileError as error:
        db.session.rollback()
        raise click.ClickException(f"{error} — nothing was imported.") from error
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in report_lines(report):
        click.echo(line)


def _counts(counts: Counts) -> str:
    return (
        f"{counts.added} added, {counts.updated} updated, {counts.unchanged} unchanged, "
        f"{counts.rejected} rejected"
    )


def report_lines(report: ImportReport) -> Iterator[str]:
    """The summary the command prints."""
    for file in report.files:
        what = "school locations" if file.kind is FileKind.SCHOOLS else "boards"
        kind = (
            f" ({file.school_type})" if file.kind is FileKind.SCHOOLS and file.school_type else ""
        )
        delimiter = "comma" if file.delimiter == "," else "semicolon"
        yield (
            f"Read {file.name}: {file.row_count} rows of {what}{kind}, "
            f"{file.encoding}, {delimiter}-separated"
        )
    yield f"Schools in {report.gemeente}: {_counts(report.schools)}"
    yield f"Boards: {_counts(report.boards)}"
    skipped = report.schools.skipped + report.boards.skipped
    if skipped:
        yield (
            f"Left out: {report.schools.skipped} schools of other municipalities, "
            f"{report.boards.skipped} boards without schools in {report.gemeente}"
        )
    if report.updated:
        yield "Updated:"
        for change in report.updated:
            yield f"  {change.kind} {change.key} {change.name}: {', '.join(change.fields)}"
    if report.rejections:
        yield "Rejected:"
        for rejection in report.rejections:
            yield f"  {rejection.file}, row {rejection.row}: {rejection.reason}"
    if report.dry_run:
        yield "Dry run: nothing was written."
