"""`flask --app wsgi plc create-admin EMAIL`."""

from __future__ import annotations

import click

from plc.auth.services import create_or_promote_admin, find_user_by_email
from plc.core.cli import plc_cli
from plc.core.errors import ServiceError
from plc.extensions import db


@plc_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Beheerder", show_default=True, help="Name for a new account.")
def create_admin_command(email: str, name: str) -> None:
    """Create a platform administrator, or promote an existing account.

    No consent to the privacy statement is recorded for a new account: the operator makes it,
    and its owner has not read the statement. Recording one here would claim a consent nobody
    gave; instead the new administrator is asked to accept the statement at the first login,
    as every account without a consent is (plc/auth/consents.py). A promoted account keeps the
    consents it has."""
    existing = find_user_by_email(email)
    password = None
    if existing is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user, created = create_or_promote_admin(email, name, password)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"{'Created' if created else 'Promoted'} administrator {user.email}")
    if created:
        click.echo("At the first login they are asked to accept the privacy statement.")
