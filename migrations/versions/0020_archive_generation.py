"""Archive generation counters: the validators of cached maps, one row per audience

Revision ID: 0020_archive_generation
Revises: 0019_search_network
Create Date: 2026-12-02

"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0020_archive_generation"
down_revision = "0019_search_network"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "archive_generation",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_archive_generation")),
    )
    # Random starts: an archive made anew never repeats the validators of an old one.
    op.bulk_insert(
        table,
        [{"scope": scope, "counter": secrets.randbelow(2**40)} for scope in ("all", "public")],
    )


def downgrade():
    op.drop_table("archive_generation")
