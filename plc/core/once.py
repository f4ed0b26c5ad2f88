"""One submission, one row: forms sent twice (a double click, a resend, a second tab) add once.

Each form carries an idempotency key, stored with the row under a unique constraint per
person. A submission first looks for the row its key already added; if two arrive at the same
moment, the second one's insert breaks the constraint inside a SAVEPOINT (the rest of its
transaction stays intact) and it answers with the row the first one added.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute

from plc.extensions import db

T = TypeVar("T")


def submitted(owner: InstrumentedAttribute[int], owner_id: int, key: str | None) -> Any:
    """The row that this person's submission with `key` added, if any (the owner column names
    the model: `Post.author_id`, `PersonalGoal.user_id`)."""
    if not key:
        return None
    model = owner.class_
    return db.session.scalar(
        sa.select(model).where(owner == owner_id, model.idempotency_key == key)
    )


def add_once(add: Callable[[], T], find: Callable[[], T | None]) -> tuple[T, bool]:
    """`add()` in a SAVEPOINT, and True; when that breaks a unique constraint because the same
    submission got there first, the row `find()` finds instead, and False (what comes after a
    first insert, counters say, is not done again). Any other constraint error is raised."""
    try:
        with db.session.begin_nested():
            return add(), True
    except sa.exc.IntegrityError:
        if (existing := find()) is None:
            raise
        return existing, False


def added(row: T) -> T:
    """`row`, added to the session: for `add_once(lambda: added(row), …)`."""
    db.session.add(row)
    return row
