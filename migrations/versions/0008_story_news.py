"""Accounts choose whether they get e-mails about their own stories (on by default)

Revision ID: 0008_story_news
Revises: 0007_transcript_chapters
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_story_news'
down_revision = '0007_transcript_chapters'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('story_news', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('story_news')
