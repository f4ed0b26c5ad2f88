"""goal idempotency keys

The form that adds a personal goal, or records a school goal, carries a key made when it is
shown; the goal keeps it, unique per owner, so that the same form sent twice (a double click, a
resent request) adds the goal once. As for threads and posts (0003).

On SQLite the unique constraints need a batch rebuild of the tables; neither table has
full-text search triggers that a rebuild would drop, and migrations/env.py turns foreign keys
off during the rebuild so that dropping the old table deletes no goal's activities.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 14:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pop_goal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_pop_goal_user_id_idempotency_key"), ["user_id", "idempotency_key"]
        )

    with op.batch_alter_table("school_goal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_school_goal_created_by_id_idempotency_key"),
            ["created_by_id", "idempotency_key"],
        )


def downgrade():
    with op.batch_alter_table("school_goal", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_school_goal_created_by_id_idempotency_key"), type_="unique"
        )
        batch_op.drop_column("idempotency_key")

    with op.batch_alter_table("pop_goal", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_pop_goal_user_id_idempotency_key"), type_="unique")
        batch_op.drop_column("idempotency_key")
