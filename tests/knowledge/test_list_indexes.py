"""The lists of published outputs read an index, not the outputs' long rows.

At 20,000 outputs the newest published outputs of a community took 200 ms and more (every
published row of the community read, bodies included) before migration 0012; see
docs/BENCHMARKS.md.
"""

from __future__ import annotations

import sqlalchemy as sa

from plc.extensions import db
from plc.knowledge.models import KnowledgeOutput, OutputStatus

INDEXES = {
    "ix_knowledge_output_community_status_published": ["community_id", "status", "published_at"],
    "ix_knowledge_output_status_published": ["status", "published_at"],
}


def test_the_migrations_create_the_list_indexes(app):
    found = {
        index["name"]: index["column_names"]
        for index in sa.inspect(db.engine).get_indexes("knowledge_output")
    }

    assert {name: found.get(name) for name in INDEXES} == INDEXES


def test_the_newest_published_outputs_of_a_community_come_from_the_index(app):
    newest = (
        sa.select(KnowledgeOutput.id, KnowledgeOutput.published_at)
        .where(KnowledgeOutput.community_id == 1, KnowledgeOutput.status == OutputStatus.PUBLISHED)
        .order_by(KnowledgeOutput.published_at.desc())
        .limit(5)
    )
    compiled = newest.compile(db.engine, compile_kwargs={"literal_binds": True})
    explain = "EXPLAIN " if db.engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    # PostgreSQL's planner prefers a scan of an empty table; no sequential scans, as with rows.
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET enable_seqscan = off")
        plan = " ".join(str(row) for row in connection.exec_driver_sql(explain + str(compiled)))

    # Which of the two depends on the planner's statistics; either keeps the rows' bodies out.
    assert any(name in plan for name in INDEXES), plan
