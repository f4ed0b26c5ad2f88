"""The command line: demo data, create-admin, install-defaults."""

from __future__ import annotations

import sqlalchemy as sa

from plc.auth.demo import DEMO_PASSWORD, DEMO_PEOPLE
from plc.auth.models import User
from plc.extensions import db
from plc.themes.defaults import DEFAULT_THEMES
from plc.themes.models import Theme


def _run(app, *args: str, **kwargs):
    return app.test_cli_runner().invoke(args=["plc", *args], **kwargs)


def test_demo_loads_people_for_every_role_and_refuses_a_second_time(app, client):
    result = _run(app, "demo")
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    demo_people = [users[person.email] for person in DEMO_PEOPLE]  # every role has its login
    assert any(u.is_admin for u in demo_people) and any(u.is_coordinator for u in demo_people)
    assert all(u.bio for u in demo_people)
    assert db.session.scalar(sa.select(sa.func.count(Theme.id))) == len(DEFAULT_THEMES)
    # A demo login works.
    assert client.login(DEMO_PEOPLE[0].email, DEMO_PASSWORD).status_code == 302

    again = _run(app, "demo")
    assert again.exit_code != 0 and "already has users" in again.output
    assert _run(app, "demo", "--if-empty").exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == len(users)


def test_demo_force_reloads_a_development_database(app, create_user):
    create_user(email="eigen@example.org")
    assert _run(app, "demo", "--force").exit_code == 0
    emails = set(db.session.scalars(sa.select(User.email)))
    assert "eigen@example.org" not in emails and {p.email for p in DEMO_PEOPLE} <= emails


def test_demo_force_leaves_the_page_cache_working(app, client, create_user):
    """Wiping the data keeps the page cache's tokens: without the one for writes whose table
    cannot be told, no page would ever be kept again."""
    create_user(email="eigen@example.org")
    assert _run(app, "demo", "--force").exit_code == 0
    client.get("/kennisbank").close()
    assert client.get("/kennisbank").headers.get("X-Page-Cache") == "hit"


def test_demo_is_refused_in_production(app):
    app.config["PLC_ENV"] = "production"
    result = _run(app, "demo", "--force")
    assert result.exit_code != 0 and "production" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_create_admin_creates_or_promotes(app, create_user):
    result = _run(
        app,
        "create-admin",
        "Nieuw.Beheer@Example.org",
        input="Keizersgracht-bootje-77\nKeizersgracht-bootje-77\n",
    )
    assert result.exit_code == 0, result.output
    admin = db.session.scalars(
        sa.select(User).where(User.email == "nieuw.beheer@example.org")
    ).one()
    assert admin.is_admin

    teacher = create_user(email="leraar@example.org")
    result = _run(app, "create-admin", "leraar@example.org")
    assert result.exit_code == 0 and "Promoted" in result.output
    db.session.refresh(teacher)
    assert teacher.is_admin


def test_create_admin_refuses_a_weak_password(app):
    result = _run(app, "create-admin", "zwak@example.org", input="password1234\npassword1234\n")
    assert result.exit_code != 0
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_install_defaults_is_idempotent(app):
    assert "Themes added: 18" in _run(app, "install-defaults").output
    assert "Themes added: 0" in _run(app, "install-defaults").output
    assert db.session.scalar(sa.select(sa.func.count(Theme.id))) == len(DEFAULT_THEMES)
