"""A story may answer another ("Je me souviens aussi"), optionally at a moment of its recording

Revision ID: 0013_story_answers
Revises: 0012_transcript_translations
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op

revision = '0013_story_answers'
down_revision = '0012_transcript_translations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answers_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answers_at', sa.Float(), nullable=True))
        batch_op.create_index(batch_op.f('ix_story_answers_id'), ['answers_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_story_answers_id_story'), 'story', ['answers_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_story_answers_id_story'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_story_answers_id'))
        batch_op.drop_column('answers_at')
        batch_op.drop_column('answers_id')
