"""Search by workshop and organisation: search_document gains workshop_ids and organisation_ids

Researchers narrow a search to the stories collected at a workshop or by a neighbourhood
house (issue 16). The columns are filled here from the link tables, so the filters work
before the next `memoire index rebuild`; the documents' versions changed with them, so
`memoire index verify` lists the stories as stale until then. Only on PostgreSQL (the
search tables exist there only).

Revision ID: 0019_search_network
Revises: 0018_story_public_point
Create Date: 2026-12-02

"""

from alembic import op

revision = "0019_search_network"
down_revision = "0018_story_public_point"
branch_labels = None
depends_on = None

UPGRADE = [
    "ALTER TABLE search_document ADD COLUMN workshop_ids integer[] NOT NULL DEFAULT '{}'",
    "ALTER TABLE search_document ADD COLUMN organisation_ids integer[] NOT NULL DEFAULT '{}'",
    """
    UPDATE search_document AS d
    SET workshop_ids = ARRAY[ws.workshop_id],
        organisation_ids = COALESCE(
            (SELECT array_agg(wo.organisation_id ORDER BY wo.organisation_id)
             FROM workshop_organisation AS wo WHERE wo.workshop_id = ws.workshop_id),
            '{}')
    FROM workshop_story AS ws
    WHERE ws.story_id = d.story_id
    """,
    "CREATE INDEX ix_search_document_workshop_ids ON search_document USING gin (workshop_ids)",
    "CREATE INDEX ix_search_document_organisation_ids ON search_document "
    "USING gin (organisation_ids)",
]

DOWNGRADE = [
    "DROP INDEX IF EXISTS ix_search_document_organisation_ids",
    "DROP INDEX IF EXISTS ix_search_document_workshop_ids",
    "ALTER TABLE search_document DROP COLUMN organisation_ids",
    "ALTER TABLE search_document DROP COLUMN workshop_ids",
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
