"""output version state index

Which version of an output is in review (or published) was read from the versions themselves,
texts and all: the start page's list of outputs waiting for someone's review checks every
output of their communities, 36 ms for the busiest community at size L (docs/BENCHMARKS.md).
An index on (output, state) answers it; it also serves every lookup by output, so the index on
the output alone goes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 17:30:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_output_version_output_state", "output_version", ["output_id", "state"], unique=False
    )
    op.drop_index("ix_output_version_output_id", table_name="output_version")


def downgrade():
    op.create_index(
        "ix_output_version_output_id", "output_version", ["output_id"], unique=False
    )
    op.drop_index("ix_output_version_output_state", table_name="output_version")
