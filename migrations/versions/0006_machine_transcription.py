"""Machine transcription: runs with their progress, drafts' review state, word times and flags

Revision ID: 0006_machine_transcription
Revises: 0005_network
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0006_machine_transcription'
down_revision = '0005_network'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('transcript', schema=None) as batch_op:
        batch_op.add_column(sa.Column('machine_review', sa.String(length=20), nullable=True))
    with op.batch_alter_table('transcript_segment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('words', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('flag', sa.String(length=30), nullable=True))

    op.create_table('transcription_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('engine', sa.String(length=120), nullable=False),
    sa.Column('audio_seconds', sa.Float(), nullable=False),
    sa.Column('done_seconds', sa.Float(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('transcript_id', sa.Integer(), nullable=True),
    sa.Column('side_draft', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['media_id'], ['media.id'], name=op.f('fk_transcription_run_media_id_media'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['account.id'], name=op.f('fk_transcription_run_requested_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], name=op.f('fk_transcription_run_story_id_story'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['transcript_id'], ['transcript.id'], name=op.f('fk_transcription_run_transcript_id_transcript'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcription_run'))
    )
    with op.batch_alter_table('transcription_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcription_run_media_id'), ['media_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transcription_run_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_transcription_run_story_id'), ['story_id'], unique=False)


def downgrade():
    op.drop_table('transcription_run')
    with op.batch_alter_table('transcript_segment', schema=None) as batch_op:
        batch_op.drop_column('flag')
        batch_op.drop_column('words')
    with op.batch_alter_table('transcript', schema=None) as batch_op:
        batch_op.drop_column('machine_review')
