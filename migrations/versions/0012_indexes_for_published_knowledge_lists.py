"""indexes for published knowledge lists

The newest published outputs (of a community, of the knowledge base) and the filters' years and
counts read community, status and publication date only; without these indexes every such list
read the outputs' long rows (200 ms and more at 20,000 outputs, docs/BENCHMARKS.md). Plain
CREATE INDEX (no batch mode): on SQLite a table rebuild would drop the search triggers.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 09:56:33.828287

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_knowledge_output_community_status_published",
        "knowledge_output",
        ["community_id", "status", "published_at"],
        unique=False,
    )
    op.create_index(
        "ix_knowledge_output_status_published",
        "knowledge_output",
        ["status", "published_at"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_knowledge_output_status_published", table_name="knowledge_output")
    op.drop_index("ix_knowledge_output_community_status_published", table_name="knowledge_output")
