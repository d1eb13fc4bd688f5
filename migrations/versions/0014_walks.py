"""Walks (parcours): ordered stops, each a public story at its place

Revision ID: 0014_walks
Revises: 0013_story_answers
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op

revision = '0014_walks'
down_revision = '0013_story_answers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('walk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], name=op.f('fk_walk_created_by_id_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_walk')),
    sa.UniqueConstraint('slug', name=op.f('uq_walk_slug'))
    )
    op.create_table('walk_stop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('walk_id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('excerpt_start', sa.Float(), nullable=True),
    sa.Column('excerpt_end', sa.Float(), nullable=True),
    sa.Column('photo_media_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['walk_id'], ['walk.id'], name=op.f('fk_walk_stop_walk_id_walk'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['photo_media_id'], ['media.id'], name=op.f('fk_walk_stop_photo_media_id_media'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], name=op.f('fk_walk_stop_story_id_story'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_walk_stop'))
    )
    with op.batch_alter_table('walk_stop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_walk_stop_walk_id'), ['walk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_walk_stop_story_id'), ['story_id'], unique=False)


def downgrade():
    with op.batch_alter_table('walk_stop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_walk_stop_story_id'))
        batch_op.drop_index(batch_op.f('ix_walk_stop_walk_id'))
    op.drop_table('walk_stop')
    op.drop_table('walk')
