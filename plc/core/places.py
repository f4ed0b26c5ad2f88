"""Limited places (a session's seats, an offering's places) counted without locks in Python.

A counter column changes only through conditional UPDATEs (`count < capacity`), which SQLite
(one writer, `BEGIN IMMEDIATE`) and PostgreSQL (row lock, re-check under READ COMMITTED) both
serialise, so concurrent requests never take more places than there are. A CHECK constraint on
the table backs this up.

The counter alone cannot keep the waiting list right: under PostgreSQL's READ COMMITTED, a
request that found no place may put someone on the waiting list just as a cancellation, not yet
seeing that person, frees a place and gives it to no one; and two requests of one person (a
double click) may both read "not enrolled" and take two places. So every change to the places of
one row (an offering, a session) first locks that row (`lock_places`) and then reads the people
concerned afresh: such changes take turns per row, as they do on SQLite, whose write
transactions take turns anyway (`BEGIN IMMEDIATE`, plc/core/db.py).
"""

from __future__ import annotations

import sqlalchemy as sa

from plc.extensions import db


def lock_places(table: sa.Table, row_id: int) -> None:
    """Wait for, then hold until the commit, the right to change this row's places
    (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's write lock is held already)."""
    db.session.execute(sa.select(table.c.id).where(table.c.id == row_id).with_for_update())


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
