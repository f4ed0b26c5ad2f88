"""thread listing index

A community's page lists its threads pinned first, then by last activity. Without an index in
that order, the busiest community's page read and sorted every thread it has (9 ms of a 30 ms
page on PostgreSQL at size M, growing with the community: docs/BENCHMARKS.md). Partial, like the
list: deleted threads are never listed. Plain CREATE INDEX (no batch mode): on SQLite a table
rebuild would drop the search triggers.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 17:10:00.000000

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_thread_community_listing",
        "thread",
        ["community_id", "pinned", "last_activity_at", "id"],
        unique=False,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade():
    op.drop_index("ix_thread_community_listing", table_name="thread")
