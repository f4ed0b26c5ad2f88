"""A community's page lists its threads from an index in the list's own order: the first page
costs the same for a community with ten threads as for one with thousands (docs/BENCHMARKS.md)."""

from __future__ import annotations

import sqlalchemy as sa

from plc.discussions import services
from plc.extensions import db


def _plan(statement: sa.Select, *, postgres_settings: tuple[str, ...] = ()) -> list[str]:
    compiled = statement.compile(db.engine)
    with db.engine.connect() as connection:
        for setting in postgres_settings:
            connection.exec_driver_sql(setting)
        rows = connection.exec_driver_sql(
            "EXPLAIN "
            + ("QUERY PLAN " if db.engine.dialect.name == "sqlite" else "")
            + str(compiled),
            compiled.params
            if db.engine.dialect.name != "sqlite"
            else tuple(compiled.params.values()),
        )
        return [str(row[-1]) for row in rows]


def test_the_first_page_of_threads_is_read_from_the_listing_index(create_community):
    community = create_community()
    first_page = services.thread_list_query(community).limit(20)
    if db.engine.dialect.name == "sqlite":
        plan = _plan(first_page)
        assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan
        assert any("ix_thread_community_listing" in step for step in plan), plan
    else:
        # On a small test table a sequential scan is cheapest: told not to scan or sort, the
        # planner shows whether an index serves this order.
        plan = _plan(
            first_page,
            postgres_settings=("SET enable_seqscan = off", "SET enable_sort = off"),
        )
        text = "\n".join(plan)
        assert "ix_thread_community_listing" in text and "Sort" not in text, text
