"""Transcript chapters (OHMS index segments) with keywords, subjects, GPS and a place

Revision ID: 0007_transcript_chapters
Revises: 0006_machine_transcription
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0007_transcript_chapters'
down_revision = '0006_machine_transcription'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('transcript_chapter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transcript_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Float(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('synopsis', sa.Text(), nullable=False),
    sa.Column('partial_transcript', sa.Text(), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('subjects', sa.JSON(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('gps_text', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_transcript_chapter_place_id_place'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['transcript_id'], ['transcript.id'], name=op.f('fk_transcript_chapter_transcript_id_transcript'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript_chapter')),
    )
    with op.batch_alter_table('transcript_chapter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcript_chapter_transcript_id'), ['transcript_id'], unique=False)


def downgrade():
    op.drop_table('transcript_chapter')
