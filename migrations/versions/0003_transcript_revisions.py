"""Transcript workbench: a version on each transcript, revisions and proposed corrections

Revision ID: 0003_transcript_revisions
Revises: 0002
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0003_transcript_revisions'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('transcript', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='0', nullable=False))

    op.create_table('transcript_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transcript_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['account.id'], name=op.f('fk_transcript_revision_author_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['transcript_id'], ['transcript.id'], name=op.f('fk_transcript_revision_transcript_id_transcript'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript_revision')),
    sa.UniqueConstraint('transcript_id', 'number', name=op.f('uq_transcript_revision_transcript_id')),
    )
    with op.batch_alter_table('transcript_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcript_revision_transcript_id'), ['transcript_id'], unique=False)

    op.create_table('transcript_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transcript_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['account.id'], name=op.f('fk_transcript_proposal_author_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['account.id'], name=op.f('fk_transcript_proposal_decided_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['transcript_id'], ['transcript.id'], name=op.f('fk_transcript_proposal_transcript_id_transcript'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript_proposal')),
    )
    with op.batch_alter_table('transcript_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcript_proposal_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transcript_proposal_transcript_id'), ['transcript_id'], unique=False)


def downgrade():
    op.drop_table('transcript_proposal')
    op.drop_table('transcript_revision')
    with op.batch_alter_table('transcript', schema=None) as batch_op:
        batch_op.drop_column('version')
