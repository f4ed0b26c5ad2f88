"""page-cache tokens

One row per table: a random token that every writing transaction replaces for the tables it
wrote, just before its commit (plc/core/pagecache.py). Every table that exists gets a first token
here, so pages that read them can be kept from the start.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 13:40:00

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "cache_generation",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("token", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_cache_generation")),
    )
    names = sorted(set(sa.inspect(op.get_bind()).get_table_names()) | {"*"})
    op.bulk_insert(table, [{"name": name, "token": secrets.randbits(62)} for name in names])


def downgrade():
    op.drop_table("cache_generation")
