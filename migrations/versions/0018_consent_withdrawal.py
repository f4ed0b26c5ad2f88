"""consent withdrawal: one active consent per version, withdrawn ones kept

A person can withdraw their consent to the privacy statement and accept the same version again
later. The withdrawn row stays (it is the record of what happened), so the unique constraint on
(user, document, version) becomes a unique index on the rows not withdrawn: a double click still
stores one consent, and accepting again adds a row of its own. Batch mode on SQLite (a table
rebuild drops a constraint); the consent table has no triggers to lose.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_constraint("uq_consent_user_id_document_version", type_="unique")
    op.create_index(
        "uq_consent_active",
        "consent",
        ["user_id", "document", "version"],
        unique=True,
        sqlite_where=sa.text("withdrawn_at IS NULL"),
        postgresql_where=sa.text("withdrawn_at IS NULL"),
    )


def downgrade():
    # The old constraint allows one row per version: of a version accepted again after a
    # withdrawal, only the newest row stays.
    consent = sa.table(
        "consent",
        sa.column("id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("document", sa.String),
        sa.column("version", sa.String),
    )
    newer = consent.alias("newer")
    op.execute(
        consent.delete().where(
            sa.exists().where(
                newer.c.user_id == consent.c.user_id,
                newer.c.document == consent.c.document,
                newer.c.version == consent.c.version,
                newer.c.id > consent.c.id,
            )
        )
    )
    op.drop_index("uq_consent_active", table_name="consent")
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_consent_user_id_document_version", ["user_id", "document", "version"]
        )
