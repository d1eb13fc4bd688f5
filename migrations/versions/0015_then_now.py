"""Then and now: an archive photo paired with a photo of the same view today, at a place

Revision ID: 0015_then_now
Revises: 0014_walks
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op

revision = '0015_then_now'
down_revision = '0014_walks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('then_now_pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('then_media_id', sa.Integer(), nullable=False),
    sa.Column('now_media_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['then_media_id'], ['media.id'], name=op.f('fk_then_now_pair_then_media_id_media'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['now_media_id'], ['media.id'], name=op.f('fk_then_now_pair_now_media_id_media'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_then_now_pair_place_id_place'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], name=op.f('fk_then_now_pair_created_by_id_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_then_now_pair')),
    sa.UniqueConstraint('then_media_id', 'now_media_id', name=op.f('uq_then_now_pair_then_media_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('then_now_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_then_now_pair_then_media_id'), ['then_media_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_then_now_pair_now_media_id'), ['now_media_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_then_now_pair_place_id'), ['place_id'], unique=False)


def downgrade():
    with op.batch_alter_table('then_now_pair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_then_now_pair_place_id'))
        batch_op.drop_index(batch_op.f('ix_then_now_pair_now_media_id'))
        batch_op.drop_index(batch_op.f('ix_then_now_pair_then_media_id'))
    op.drop_table('then_now_pair')
