"""Places memoire finds named in transcript segments, waiting for a person to confirm them

Revision ID: 0011_place_suggestions
Revises: 0010_job_heartbeat
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0011_place_suggestions'
down_revision = '0010_job_heartbeat'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('transcript_place_suggestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('segment_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('matched', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['account.id'], name=op.f('fk_transcript_place_suggestion_decided_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_transcript_place_suggestion_place_id_place'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['segment_id'], ['transcript_segment.id'], name=op.f('fk_transcript_place_suggestion_segment_id_transcript_segment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript_place_suggestion')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('transcript_place_suggestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcript_place_suggestion_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transcript_place_suggestion_segment_id'), ['segment_id'], unique=False)


def downgrade():
    op.drop_table('transcript_place_suggestion')
