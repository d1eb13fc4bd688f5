"""Archive generation counters: the validators of cached maps, one row per audience

Revision ID: 0020_archive_generation
Revises: 0019_search_network
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

revision = "0020_archive_generation"
down_revision = "0019_search_network"
branch_labels = None
depends_on = None


def upgrade():
    # No rows: the first change writes each at a random value (memoire.stories.generation.bump),
    # and `memoire move-to` needs every table of a migrated target empty.
    op.create_table(
        "archive_generation",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_archive_generation")),
    )


def downgrade():
    op.drop_table("archive_generation")
