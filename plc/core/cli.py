"""The `plc` command group: `flask --app wsgi plc …`. Each command commits once at its end."""

from __future__ import annotations

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
