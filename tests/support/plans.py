"""SQLite's query plans as it would make them for a city's data: the statements a piece of code
runs, planned in an empty copy of the schema that holds the statistics (`sqlite_stat1`) of the
generated data set L (bench/). Plans depend on statistics: on a test database of a few rows
SQLite picks differently than on a city's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from plc.extensions import db

#: `sqlite_stat1` rows of data set L (seed 1): 100,000 outputs in 2,500 communities, 20,000
#: live sessions, 149,255 memberships.
CITY_STATISTICS = [
    ("knowledge_output", "ix_knowledge_output_status_published", "100000 25000 2"),
    ("knowledge_output", "ix_knowledge_output_community_status_published", "100000 40 16 1"),
    ("knowledge_output", "ix_knowledge_output_published_at", "100000 2"),
    ("knowledge_output", "ix_knowledge_output_status", "100000 25000"),
    ("knowledge_output", "ix_knowledge_output_community_id", "100000 40"),
    ("community", "ix_community_visibility", "2500 834"),
    ("community", "ix_community_status", "2500 834"),
    ("community_member", "ix_community_member_user_id", "149255 4"),
    ("community_member", "ix_community_member_status", "149255 74628"),
    ("community_member", "ix_community_member_community_id", "149255 60"),
    ("community_owner", "ix_community_owner_contact_id", "4921 3"),
    ("community_owner", "ix_community_owner_community_id", "4921 2"),
    ("live_session", "ix_live_session_starts_at", "20000 3"),
    ("live_session", "ix_live_session_community_id", "20000 9"),
    ("live_session", "ix_live_session_status", "20000 10000"),
]


def statements_of(work: Callable[[], Any], containing: str = "") -> list[tuple[str, Any]]:
    """The SELECT statements (with their parameters) that `work()` runs, naming `containing`."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.startswith("SELECT") and containing in statement:
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return seen


def city_plan(statement: str, parameters: Any, folder: Path) -> list[str]:
    """The steps of the plan SQLite makes for `statement` with a city's statistics."""
    city = sa.create_engine(f"sqlite:///{folder / 'city.sqlite3'}")
    db.metadata.create_all(city)
    with city.begin() as connection:
        connection.exec_driver_sql("ANALYZE")  # makes sqlite_stat1
        connection.exec_driver_sql("DELETE FROM sqlite_stat1")
        for table, index, stat in CITY_STATISTICS:
            connection.exec_driver_sql(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", (table, index, stat)
            )
    try:
        with city.connect() as connection:
            connection.exec_driver_sql("ANALYZE sqlite_schema")  # read the statistics anew
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            return [row[3] for row in rows]
    finally:
        city.dispose()
