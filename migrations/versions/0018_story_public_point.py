"""Stories keep the coarsened point public maps show (public_lat, public_lon), backfilled

Revision ID: 0018_story_public_point
Revises: 0017_search_chapters
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

revision = "0018_story_public_point"
down_revision = "0017_search_chapters"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_lat", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("public_lon", sa.Float(), nullable=True))
    # The same coarsening the application applies on every write, over the stories already
    # there: without it, the map would show no public story until each was saved again.
    from memoire.maps.points import backfill_public_points

    backfill_public_points(op.get_bind())


def downgrade():
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.drop_column("public_lon")
        batch_op.drop_column("public_lat")
