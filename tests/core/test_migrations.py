"""Every schema change is a migration: upgrade → downgrade → upgrade, and nothing left to generate."""

from __future__ import annotations

from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from plc import create_app
from plc.core.search import include_object
from plc.extensions import db
from tests.conftest import app_config, temporary_postgres_database


def _round_trip(url: str, instance: Path) -> None:
    app = create_app(app_config(url), instance_path=str(instance))
    with app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        remaining = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "render_as_batch": True,
                    "include_object": include_object,
                },
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        db.engine.dispose()


def test_migrations_round_trip_on_sqlite(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'migrations.sqlite3'}", tmp_path)


@pytest.mark.postgres
def test_migrations_round_trip_on_postgres(tmp_path):
    with temporary_postgres_database() as url:
        _round_trip(url, tmp_path)
