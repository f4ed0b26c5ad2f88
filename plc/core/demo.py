"""Demo data: each feature adds a loader; `flask plc demo` runs them in order."""

from __future__ import annotations

import importlib

import sqlalchemy as sa

from plc.core import pagecache
from plc.extensions import db

#: Loaders in dependency order; each module has `load() -> str` (a line for the summary).
DEMO_LOADERS = [
    "plc.themes.demo",
    "plc.auth.demo",
    "plc.organisations.demo",
    "plc.communities.demo",
    "plc.discussions.demo",
    "plc.resources.demo",
    "plc.live.demo",
    "plc.knowledge.demo",
    "plc.catalogue.demo",
    "plc.pilots.demo",
    "plc.development.demo",
]


class DemoRefused(RuntimeError):
    """The demo must not be loaded into this database."""


def wipe_all_data() -> None:
    """Delete every row of every table (children first). Development databases only.

    The page cache's tokens stay: deleting a table's rows gives it a new one. Deleted, the
    token of a write whose table cannot be told (`*`) would not come back, and no page or
    figure would ever be kept again (plc/core/pagecache.py)."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name != pagecache.TABLE:
            db.session.execute(table.delete())


def database_has_users() -> bool:
    from plc.auth.models import User

    return db.session.scalar(sa.select(User.id).limit(1)) is not None


def load_demo(*, force: bool, environment: str) -> str:
    if environment == "production":
        raise DemoRefused(
            "The demo is never loaded into a production database (PLC_ENV=production)."
        )
    if database_has_users():
        if not force:
            raise DemoRefused(
                "The database already has users; nothing was loaded (use --force on a development database)."
            )
        wipe_all_data()
    lines = [importlib.import_module(name).load() for name in DEMO_LOADERS]
    # The demo's made-up people have all accepted the privacy statement, as if each had signed
    # up: logging in as one shows the platform, not the consent question (plc/auth/consents.py).
    from plc.auth.consents import accept_for_demo_accounts

    accept_for_demo_accounts()
    return "\n".join(lines)
