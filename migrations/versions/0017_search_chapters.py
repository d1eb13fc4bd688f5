"""Search segments keyed by position: a translated segment and a chapter have rows of their own

A segment of a translated transcript is indexed twice (once per language), which the key
(story_id, segment_id) refused: such stories never reached the PostgreSQL index. Chapters
(OHMS index segments) are searched with their time like segments: a row holds a segment id
or a chapter id. Only on PostgreSQL (the search tables exist there only).

Revision ID: 0017_search_chapters
Revises: 0016_consent_scans
Create Date: 2026-12-02

"""

from alembic import op

revision = "0017_search_chapters"
down_revision = "0016_consent_scans"
branch_labels = None
depends_on = None

UPGRADE = [
    "ALTER TABLE search_segment DROP CONSTRAINT pk_search_segment",
    "ALTER TABLE search_segment ALTER COLUMN segment_id DROP NOT NULL",
    "ALTER TABLE search_segment ADD COLUMN chapter_id integer",
    "ALTER TABLE search_segment ADD CONSTRAINT pk_search_segment PRIMARY KEY (story_id, position)",
]

DOWNGRADE = [
    # Derived data: the rows the old key cannot hold go; `memoire index rebuild` refills.
    "DELETE FROM search_segment",
    "ALTER TABLE search_segment DROP CONSTRAINT pk_search_segment",
    "ALTER TABLE search_segment DROP COLUMN chapter_id",
    "ALTER TABLE search_segment ALTER COLUMN segment_id SET NOT NULL",
    "ALTER TABLE search_segment ADD CONSTRAINT pk_search_segment PRIMARY KEY (story_id, segment_id)",
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in UPGRADE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DOWNGRADE:
        op.execute(statement)
