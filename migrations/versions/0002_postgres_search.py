"""PostgreSQL full-text search: analysis configurations, search tables, GIN and trigram indexes

Only on PostgreSQL (the scale profile, MEMOIRE_SEARCH=postgres); on SQLite it does nothing.
The tables are derived data written by memoire.search.postgres_backend and rebuilt by
`memoire index rebuild`; they are not SQLAlchemy models, so that the models and the
SQLite schema stay the same on both engines.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The word types PostgreSQL's parser gives accented words; ascii words need no unaccent.
_ACCENTED = "hword, hword_part, word"
_ALL_WORDS = "asciiword, asciihword, hword_asciipart, hword, hword_part, word"

UPGRADE = [
    # Both are "trusted" extensions: a database owner may create them without superuser rights.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # French: accents and case folded before the Snowball stemmer, French stop words.
    "CREATE TEXT SEARCH CONFIGURATION memoire_fr (COPY = pg_catalog.french)",
    f"ALTER TEXT SEARCH CONFIGURATION memoire_fr ALTER MAPPING FOR {_ACCENTED} WITH unaccent, french_stem",
    # Dutch, the same way.
    "CREATE TEXT SEARCH CONFIGURATION memoire_nl (COPY = pg_catalog.dutch)",
    f"ALTER TEXT SEARCH CONFIGURATION memoire_nl ALTER MAPPING FOR {_ACCENTED} WITH unaccent, dutch_stem",
    # People's names: folded, never stemmed, no stop words (Dupont is not a plural).
    "CREATE TEXT SEARCH CONFIGURATION memoire_name (COPY = pg_catalog.simple)",
    f"ALTER TEXT SEARCH CONFIGURATION memoire_name ALTER MAPPING FOR {_ALL_WORDS} WITH unaccent, simple",
    # One row per story: what memoire.search.documents.story_document says, as searchable columns.
    """
    CREATE TABLE search_document (
        story_id integer NOT NULL,
        version varchar(40) NOT NULL,
        tokens text[] NOT NULL,
        language varchar(8) NOT NULL,
        story_language varchar(8),
        kind varchar(20),
        decade integer,
        period_start integer,
        added bigint NOT NULL DEFAULT 0,
        place_ids integer[] NOT NULL DEFAULT '{}',
        theme_slugs text[] NOT NULL DEFAULT '{}',
        narrator_ids integer[] NOT NULL DEFAULT '{}',
        lats double precision[] NOT NULL DEFAULT '{}',
        lons double precision[] NOT NULL DEFAULT '{}',
        title text NOT NULL DEFAULT '',
        body text NOT NULL DEFAULT '',
        words text[] NOT NULL DEFAULT '{}',
        document_tsv tsvector NOT NULL,
        place_tsv tsvector NOT NULL,
        theme_tsv tsvector NOT NULL,
        narrator_tsv tsvector NOT NULL,
        CONSTRAINT pk_search_document PRIMARY KEY (story_id)
    )
    """,
    "CREATE INDEX ix_search_document_document_tsv ON search_document USING gin (document_tsv)",
    "CREATE INDEX ix_search_document_place_tsv ON search_document USING gin (place_tsv)",
    "CREATE INDEX ix_search_document_theme_tsv ON search_document USING gin (theme_tsv)",
    "CREATE INDEX ix_search_document_narrator_tsv ON search_document USING gin (narrator_tsv)",
    "CREATE INDEX ix_search_document_tokens ON search_document USING gin (tokens)",
    "CREATE INDEX ix_search_document_words ON search_document USING gin (words)",
    "CREATE INDEX ix_search_document_place_ids ON search_document USING gin (place_ids)",
    "CREATE INDEX ix_search_document_theme_slugs ON search_document USING gin (theme_slugs)",
    "CREATE INDEX ix_search_document_narrator_ids ON search_document USING gin (narrator_ids)",
    # Transcript segments, so that a hit leads to the second the words were said.
    """
    CREATE TABLE search_segment (
        story_id integer NOT NULL,
        segment_id integer NOT NULL,
        position integer NOT NULL,
        language varchar(8) NOT NULL,
        text text NOT NULL,
        tsv tsvector NOT NULL,
        CONSTRAINT pk_search_segment PRIMARY KEY (story_id, segment_id),
        CONSTRAINT fk_search_segment_story_id_search_document FOREIGN KEY (story_id)
            REFERENCES search_document (story_id) ON DELETE CASCADE
    )
    """,
    "CREATE INDEX ix_search_segment_tsv ON search_segment USING gin (tsv)",
    # The archive's vocabulary: lexemes (for misspelling tolerance) and surface words
    # (for "did you mean"), with trigram indexes. Whether a viewer may see a word is
    # checked against search_document, never here.
    'CREATE TABLE search_term (term text COLLATE "C" NOT NULL, CONSTRAINT pk_search_term PRIMARY KEY (term))',
    "CREATE INDEX ix_search_term_trgm ON search_term USING gin (term gin_trgm_ops)",
    'CREATE TABLE search_word (word text COLLATE "C" NOT NULL, CONSTRAINT pk_search_word PRIMARY KEY (word))',
    "CREATE INDEX ix_search_word_trgm ON search_word USING gin (word gin_trgm_ops)",
]

DOWNGRADE = [
    "DROP TABLE IF EXISTS search_word",
    "DROP TABLE IF EXISTS search_term",
    "DROP TABLE IF EXISTS search_segment",
    "DROP TABLE IF EXISTS search_document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS memoire_name",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS memoire_nl",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS memoire_fr",
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
