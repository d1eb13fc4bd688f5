"""A second language track of a transcript, aligned to its segments

Revision ID: 0012_transcript_translations
Revises: 0011_place_suggestions
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0012_transcript_translations'
down_revision = '0011_place_suggestions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('transcript_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transcript_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['transcript_id'], ['transcript.id'], name=op.f('fk_transcript_translation_transcript_id_transcript'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript_translation')),
    sa.UniqueConstraint('transcript_id', 'language', name=op.f('uq_transcript_translation_transcript_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('transcript_translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcript_translation_transcript_id'), ['transcript_id'], unique=False)


def downgrade():
    op.drop_table('transcript_translation')
