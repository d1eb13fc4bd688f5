"""PostgreSQL search ranks from postings and counts facets from one array per story

Ranking with ts_rank_cd read every matching story's whole tsvector (an oral history's
holds its whole transcript: ~16 KB): a common word at 20,000 stories read ~40 MB of
vectors per search (issue 20). A posting row per (story, lexeme) holds the story's weight
for that lexeme (its occurrences weighted by field, divided by the log of the story's
length); a search reads the postings of its words from one index, with no table access,
and weighs each word by how rare it is among public stories (BM25's inverse document
frequency; counted over public stories only, so that no score depends on what hidden
stories say). Facets likewise: each document carries its "facet:value"
keys in one array, counted in one pass instead of eight columns unnested one by one.
Filled here from the documents already indexed. Only on PostgreSQL (the search tables
exist there only).

Revision ID: 0021_search_posting
Revises: 0020_archive_generation
Create Date: 2026-12-02

"""

from alembic import op

revision = "0021_search_posting"
down_revision = "0020_archive_generation"
branch_labels = None
depends_on = None

UPGRADE = [
    "ALTER TABLE search_document ADD COLUMN facet_keys text[] NOT NULL DEFAULT '{}'",
    # As the backend's `facet_keys` writes them, in FACET_COLUMNS' order.
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
    """
    CREATE TABLE search_posting (
        story_id integer NOT NULL,
        lexeme text COLLATE "C" NOT NULL,
        weight real NOT NULL,
        -- Whether the story is public: how rare a word is counts public stories only, or
        -- a visible story's score would tell what hidden stories say.
        public boolean NOT NULL,
        CONSTRAINT fk_search_posting_story_id_search_document FOREIGN KEY (story_id)
            REFERENCES search_document (story_id) ON DELETE CASCADE
    )
    """,
    # Filled before the indexes are built: faster than growing them row by row.
    "INSERT INTO search_posting (story_id, lexeme, weight, public) "
    "SELECT p.story_id, p.lexeme, p.weight, 'public' = ANY(d.tokens) FROM search_document AS d, "
    "LATERAL search_postings_of(d.story_id, d.document_tsv) AS p",
    # Searches: a word's postings from the index alone (an index-only scan).
    "CREATE INDEX ix_search_posting_lexeme ON search_posting (lexeme, story_id) "
    "INCLUDE (weight, public)",
    # Writes and the foreign key's cascade: a story's postings (small: deduplicated keys).
    "CREATE INDEX ix_search_posting_story_id ON search_posting (story_id)",
    # How many stories are public: the N of the rarity, kept by every write (one row).
    "CREATE TABLE search_stats (id integer PRIMARY KEY, public_documents integer NOT NULL)",
    "INSERT INTO search_stats SELECT 1, count(*) FROM search_document WHERE 'public' = ANY(tokens)",
]

#: One definition of a story's weight for a lexeme, used by the backend's writes too.
POSTINGS_FUNCTION = """
    CREATE OR REPLACE FUNCTION search_postings_of(story integer, vector tsvector)
    RETURNS TABLE (story_id integer, lexeme text, weight real)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT story, u.lexeme,
               CAST((SELECT coalesce(sum(CASE w WHEN 'A' THEN 1.0 WHEN 'B' THEN 0.5 ELSE 0.3 END),
                                     0.3)
                     FROM unnest(u.weights) AS w) / ln(2 + length(vector)) AS real)
        FROM unnest(vector) AS u
    $$
"""

DOWNGRADE = [
    "DROP TABLE IF EXISTS search_stats",
    "DROP TABLE IF EXISTS search_posting",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS facet_keys",
    "DROP FUNCTION IF EXISTS search_postings_of(integer, tsvector)",
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(POSTINGS_FUNCTION)
    for statement in UPGRADE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DOWNGRADE:
        op.execute(statement)
