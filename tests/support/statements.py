"""Recording the SQL statements the app sends, to see whether something wrote (or locked)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from plc.extensions import db


class Statements:
    """Every statement the server sends to the database meanwhile, BEGIN included."""

    def __init__(self) -> None:
        self.all: list[str] = []

    def __enter__(self) -> Statements:
        sa.event.listen(db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_exc: Any) -> None:
        sa.event.remove(db.engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.all.append(" ".join(statement.split()).upper())

    def writes(self) -> list[str]:
        return [
            statement
            for statement in self.all
            if statement.startswith(("INSERT", "UPDATE", "DELETE", "BEGIN IMMEDIATE"))
            or "FOR UPDATE" in statement
            or "FOR NO KEY UPDATE" in statement
        ]
