"""Accounts get a session token: logout, password change and reset end every session

Existing accounts start with an empty token: sessions opened before the upgrade name no
token and end at once (everyone logs in again once).

Revision ID: 0004_session_token
Revises: 0003_transcript_revisions
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_session_token'
down_revision = '0003_transcript_revisions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('session_token')
