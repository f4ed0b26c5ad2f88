"""Limited places (a session's seats, an offering's places) counted without locks in Python.

A counter column changes only through conditional UPDATEs (`count < capacity`), which SQLite
(one writer, `BEGIN IMMEDIATE`) and PostgreSQL (row lock, re-check under READ COMMITTED) both
serialise, so concurrent requests never take more places than there are. A CHECK constraint on
the table backs this up.
"""

from __future__ import annotations

import sqlalchemy as sa

from plc.extensions import db


def take_place(table: sa.Table, row_id: int, count: str, capacity: str = "capacity") -> bool:
    """Count one more, if a place is free (no capacity is no limit); atomic in the database."""
    counter, limit = table.c[count], table.c[capacity]
    result = db.session.execute(
        table.update()
        .where(table.c.id == row_id, sa.or_(limit.is_(None), counter < limit))
        .values({count: counter + 1})
    )
    return result.rowcount == 1


def free_place(table: sa.Table, row_id: int, count: str) -> None:
    """Count one less (never below zero)."""
    counter = table.c[count]
    db.session.execute(
        table.update().where(table.c.id == row_id, counter > 0).values({count: counter - 1})
    )
