"""Scanned paper consent forms attached privately to a story (issue 16)

Revision ID: 0016_consent_scans
Revises: 0015_then_now
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

revision = "0016_consent_scans"
down_revision = "0015_then_now"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consent_scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mime", sa.String(length=50), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["story.id"],
            name=op.f("fk_consent_scan_story_id_story"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["account.id"],
            name=op.f("fk_consent_scan_uploaded_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_scan")),
    )
    with op.batch_alter_table("consent_scan") as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_scan_story_id"), ["story_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_consent_scan_storage_key"), ["storage_key"], unique=False
        )


def downgrade():
    with op.batch_alter_table("consent_scan") as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_scan_storage_key"))
        batch_op.drop_index(batch_op.f("ix_consent_scan_story_id"))
    op.drop_table("consent_scan")
