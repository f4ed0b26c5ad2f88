"""The `plc` command group: `flask --app wsgi plc …`. Each command commits once at its end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from plc.extensions import db

plc_cli = AppGroup("plc", help="Leernetwerk Amsterdam: set-up, demo data and maintenance.")


@plc_cli.command("install-defaults")
def install_defaults_command() -> None:
    """Add the default themes that are missing (safe to run again)."""
    from plc.themes.services import install_default_themes

    added = install_default_themes()
    db.session.commit()
    click.echo(f"Themes added: {added}")


@plc_cli.command("demo")
@click.option("--force", is_flag=True, help="Wipe a development database and load the demo anew.")
@click.option(
    "--if-empty", is_flag=True, help="Do nothing (and succeed) when there are users already."
)
def demo_command(force: bool, if_empty: bool) -> None:
    """Load the demo data into an empty database."""
    from plc.core.demo import DemoRefused, database_has_users, load_demo

    if if_empty and not force and database_has_users():
        click.echo("The database has users already; the demo was not loaded.")
        return
    try:
        summary = load_demo(force=force, environment=current_app.config["PLC_ENV"])
    except DemoRefused as refusal:
        raise click.ClickException(str(refusal)) from refusal
    db.session.commit()
    click.echo(summary)


@plc_cli.command("send-mail")
def send_mail_command() -> None:
    """Deliver the queued mail whose time has come (safe to run from cron)."""
    from plc.core.outbox import deliver_due

    sent = deliver_due(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"Mails delivered: {sent}")


@plc_cli.command("send-digests")
def send_digests_command() -> None:
    """Write the e-mail digests (notifications; knowledge outputs on followed themes, weekly from
    Monday 07:00), session reminders, and the invitations and reminders of surveys that are due,
    credit the attendance of sessions that ended, then deliver queued mail. Safe to run from
    cron: what a digest carried and each reminder are stamped, so a second run sends nothing
    again."""
    from plc.catalogue.matching import notify_new_matches_for_all
    from plc.core.outbox import deliver_due
    from plc.knowledge.digest import send_knowledge_digests
    from plc.live.services import credit_finished_sessions, send_reminders
    from plc.notifications.services import users_with_news, write_digest
    from plc.surveys.services import send_due_survey_mail

    written = 0
    notify_new_matches_for_all()  # before the digests, so that new matches go in this one
    for user in users_with_news():
        if write_digest(user):
            db.session.commit()  # one person at a time: a failure later keeps what went before
            written += 1
    knowledge = send_knowledge_digests()  # commits after each person itself
    reminders = send_reminders()
    db.session.commit()
    survey_invitations, survey_reminders = send_due_survey_mail()
    db.session.commit()
    credited = credit_finished_sessions()
    db.session.commit()
    delivered = deliver_due(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(
        f"Digests written: {written}; knowledge digests: {knowledge}; "
        f"session reminders: {reminders}; "
        f"survey invitations: {survey_invitations}; survey reminders: {survey_reminders}; "
        f"sessions credited: {credited}; mails delivered: {delivered}"
    )


@plc_cli.command("backup")
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database and the uploaded files into the new folder PATH,
    while the app runs (see docs/backup.md)."""
    from plc.core.backup import BackupError, make_backup

    @contextmanager
    def bar(total: int) -> Iterator[Callable[[int], None]]:
        with click.progressbar(length=total, label="Files") as progress:
            yield progress.update

    try:
        manifest = make_backup(db.engine, path, progress=bar)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    rows = sum(manifest.tables.values())
    click.echo(
        f"Backup written to {path}: {manifest.backend} database ({len(manifest.tables)} tables, "
        f"{rows} rows), {len(manifest.files)} files."
    )
    if manifest.missing_files:
        click.echo(
            f"Warning: {len(manifest.missing_files)} files the database refers to were not in "
            "the storage (listed under missing_files in manifest.json).",
            err=True,
        )


@plc_cli.command("restore")
@click.argument(
    "path", type=click.Path(path_type=Path, file_okay=False, exists=True, readable=True)
)
@click.option("--force", is_flag=True, help="Replace a database that is not empty.")
def restore_command(path: Path, force: bool) -> None:
    """Restore the backup in PATH into the configured database and upload storage, then compare
    the row counts with the backup's manifest (stop the app first; see docs/backup.md)."""
    from plc.core.backup import BackupError, restore_backup

    db.session.remove()
    try:
        differences = restore_backup(db.engine, path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    if differences:
        raise click.ClickException(
            "Restored, but the row counts differ from the manifest:\n  " + "\n  ".join(differences)
        )
    click.echo(f"Restored {path}; every table has the row count of the manifest.")
