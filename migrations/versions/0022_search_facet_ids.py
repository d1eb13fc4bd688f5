"""PostgreSQL search counts facets over integers: each "facet:value" key gets an id

Migration 0021 gave each document its "facet:value" keys in one text array; a search
unnests the keys of every match and counts them (55,000 keys for a common word at 20,000
stories), and hashing text was a third of that count, with a test of each key's facet for
the facets that count public stories only. Keys now have ids (search_facet_value), each
document holds the ids it counts under (organisations and workshops only if the story is
public, decided when the story is written, as its access tokens are), and a search names
the few values it keeps. Filled here from the documents already indexed. Only on
PostgreSQL (the search tables exist there only).

Revision ID: 0022_search_facet_ids
Revises: 0021_search_posting
Create Date: 2026-12-02

"""

from alembic import op

revision = "0022_search_facet_ids"
down_revision = "0021_search_posting"
branch_labels = None
depends_on = None

UPGRADE = [
    # Ids given by the backend's writer (no sequence: see its _ADD_FACET_VALUES).
    "CREATE TABLE search_facet_value (id integer PRIMARY KEY, key text NOT NULL UNIQUE)",
    "INSERT INTO search_facet_value (id, key) SELECT row_number() OVER (ORDER BY key), key "
    "FROM (SELECT DISTINCT unnest(facet_keys) AS key FROM search_document) AS keys",
    "ALTER TABLE search_document ADD COLUMN facet_ids integer[] NOT NULL DEFAULT '{}'",
    # As the backend writes them: PUBLIC_FACETS' keys for public stories only.
    """
    UPDATE search_document SET facet_ids = ARRAY(
        SELECT v.id FROM unnest(facet_keys) AS k(key) JOIN search_facet_value AS v USING (key)
        WHERE 'public' = ANY(tokens)
           OR split_part(k.key, ':', 1) NOT IN ('organisation', 'workshop'))
    """,
    "ALTER TABLE search_document DROP COLUMN facet_keys",
]

DOWNGRADE = [
    "ALTER TABLE search_document ADD COLUMN facet_keys text[] NOT NULL DEFAULT '{}'",
    # Migration 0021's definition: every facet's keys, whoever may see the story.
    """
    UPDATE search_document SET facet_keys =
        ARRAY(SELECT 'place:' || v FROM unnest(place_ids) AS v)
        || ARRAY(SELECT 'theme:' || v FROM unnest(theme_slugs) AS v)
        || array_remove(ARRAY['decade:' || decade, 'kind:' || kind,
                              'language:' || story_language], NULL)
        || ARRAY(SELECT 'narrator:' || v FROM unnest(narrator_ids) AS v)
        || ARRAY(SELECT 'organisation:' || v FROM unnest(organisation_ids) AS v)
        || ARRAY(SELECT 'workshop:' || v FROM unnest(workshop_ids) AS v)
    """,
    "ALTER TABLE search_document DROP COLUMN facet_ids",
    "DROP TABLE search_facet_value",
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
