"""Jobs carry a lease: the worker running one and its last heartbeat, so that a job whose
worker died is taken over instead of staying "running" forever.

Revision ID: 0010_job_heartbeat
Revises: 0009_ids_never_reused
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0010_job_heartbeat'
down_revision = '0009_ids_never_reused'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('worker')
