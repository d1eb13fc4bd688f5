"""The PostgreSQL profile's index: full-text search in the archive's own database.

Tables (migration 0002; derived data, not SQLAlchemy models):

    search_document  one row per story: a weighted tsvector of all its text (title A;
                     places, themes and narrators B; summary and body C; transcripts D),
                     one tsvector per field people may name (`lieu:`...), facet columns,
                     points, access tokens, and the surface words for "did you mean"
    search_segment   one row per transcript segment or chapter (migration 0017), so a hit
                     leads to its second
    search_posting   one row per (story, lexeme) with the story's weight for it (migration
                     0021): what ranks a hit, read from one index without the vectors
    search_term      every lexeme of the archive, trigram-indexed: misspelling tolerance
    search_word      every surface word, trigram-indexed: "did you mean"

Text is analysed by PostgreSQL with `memoire_fr`, `memoire_nl` (unaccent, then the
Snowball stemmer) and `memoire_name` (unaccent, no stemming); the query text is parsed
by `postgres_query` and its words analysed by the same configurations, and every value
reaches SQL as a bound parameter.

Writers hold a session-level advisory lock: one writer at a time across processes and
hosts, released by the server if the process dies. Searches take no lock. A rebuild
replaces every row in one transaction: searches read the old rows until it commits.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from whoosh.support.levenshtein import levenshtein

from memoire.search import postgres_query as pq
from memoire.search.analysis import (
    WORD_PATTERN,
    fold,
    name_analyzer,
    spelling_analyzer,
    words,
)
from memoire.search.backend import (
    FACET_NAMES,
    PUBLIC_FACETS,
    PUBLIC_TOKEN,
    Hit,
    IndexBusy,
    SearchQuery,
    SearchResults,
    SegmentHit,
    batched,
)
from memoire.search.documents import SEGMENT_SEPARATOR
from memoire.search.query import OPERATOR_WORDS

FRENCH, DUTCH, NAMES = "memoire_fr", "memoire_nl", "memoire_name"
#: Analysis language of a document → text search configuration.
CONFIGS = {"fr": FRENCH, "nl": DUTCH}
#: Advisory lock key of the single writer ("memoire" in ASCII).
WRITER_LOCK = 0x6D656D6F697265
#: A posting's weight (migration 0021's `search_postings_of`): its occurrences weighted by
#: field in the proportions of the Whoosh field boosts (title 1.0; places, themes, narrators
#: 0.5; body and transcripts 0.3), divided by the log of the story's length, so that a long
#: interview does not win by length alone. A search multiplies it by the word's rarity.
_LEXEME_IN_TSQUERY = re.compile(r"'((?:[^']|'')*)'(:\*)?")
#: A tsquery's phrase operators: followed by (<->) or N words after (<N>, past a stop word).
_PHRASE_OPERATOR = re.compile(r"<(?:-|\d+)>")
FACET_LIMIT = 50
#: Nearest lexemes a misspelt word may stand for.
FUZZY_CANDIDATES = 20
#: Surface words weighed as "did you mean" candidates for one word.
SUGGESTION_CANDIDATES = 100
#: Visible stories counted per candidate: among words as near, the more used wins, and a
#: word used this often counts as common (ties then go alphabetically).
SUGGESTION_USES = 50
#: A word as PostgreSQL's default parser cuts running text: letters and digits, ended by
#: anything else (a hyphenated word's parts, the two sides of an apostrophe are words).
_TOKEN = re.compile(r"[^\W_]+")
#: Words whose analysis a process keeps (see `_Lexicon`): about 27 MB when full.
LEXICON_SIZE = 100_000
WRITE_BATCH = 200
_INTEGER_FILTERS = ("places", "decades", "narrators", "organisations", "workshops")
_INT4_MIN, _INT4_MAX = -(2**31), 2**31 - 1
_WORD_IN_QUERY = re.compile(rf"({WORD_PATTERN})([:*~]?)")
#: Facet name → (column, holds an array).
FACET_COLUMNS = {
    "place": ("place_ids", True),
    "theme": ("theme_slugs", True),
    "decade": ("decade", False),
    "kind": ("kind", False),
    "language": ("story_language", False),
    "narrator": ("narrator_ids", True),
    "organisation": ("organisation_ids", True),
    "workshop": ("workshop_ids", True),
}
#: Field a query may name → (tsvector column, configurations its words are analysed with).
FIELD_COLUMNS = {
    None: ("document_tsv", (FRENCH, DUTCH, NAMES)),
    "place": ("place_tsv", (FRENCH,)),
    "theme": ("theme_tsv", (FRENCH,)),
    "narrator": ("narrator_tsv", (NAMES,)),
}
_DOCUMENT_COLUMNS = (
    "version, tokens, language, story_language, kind, decade, period_start, added, place_ids, "
    "theme_slugs, narrator_ids, lats, lons, title, body, words, document_tsv, place_tsv, "
    "theme_tsv, narrator_tsv, organisation_ids, workshop_ids, facet_ids"
)

_UPSERT_DOCUMENT = text(
    f"""
    INSERT INTO search_document (story_id, {_DOCUMENT_COLUMNS})
    SELECT :id, :version, CAST(:tokens AS text[]), :language, :story_language, :kind,
           :decade, :period_start, :added, CAST(:place_ids AS integer[]),
           CAST(:theme_slugs AS text[]), CAST(:narrator_ids AS integer[]),
           CAST(:lats AS double precision[]), CAST(:lons AS double precision[]),
           :title, :body, CAST(:words AS text[]),
           setweight(to_tsvector(c.config, :title), 'A')
           || setweight(f.places || f.themes || f.narrators, 'B')
           || setweight(to_tsvector(c.config, :body), 'C')
           || setweight(to_tsvector('memoire_fr', :transcript_fr)
                        || to_tsvector('memoire_nl', :transcript_nl), 'D'),
           f.places, f.themes, f.narrators,
           CAST(:organisation_ids AS integer[]), CAST(:workshop_ids AS integer[]),
           ARRAY(SELECT v.id FROM search_facet_value AS v
                 WHERE v.key = ANY(CAST(:facet_keys AS text[])))
    FROM (SELECT CAST(:config AS regconfig) AS config) AS c,
         (SELECT to_tsvector('memoire_fr', :places) AS places,
                 to_tsvector('memoire_fr', :themes) AS themes,
                 to_tsvector('memoire_name', :narrators) AS narrators) AS f
    ON CONFLICT (story_id) DO UPDATE SET
    ({_DOCUMENT_COLUMNS}) = ROW({", ".join(f"EXCLUDED.{c.strip()}" for c in _DOCUMENT_COLUMNS.split(","))})
    """
)
#: Ids for the "facet:value" keys a batch names that have none yet, given before its
#: documents use them. Numbered here, not by a sequence: the writer lock makes the writer
#: alone, and a purge copies the table (a serial's sequence belongs to the table it drops).
_ADD_FACET_VALUES = text(
    """
    INSERT INTO search_facet_value (id, key)
    SELECT coalesce((SELECT max(id) FROM search_facet_value), 0)
           + row_number() OVER (ORDER BY new.key), new.key
    FROM (SELECT unnest(CAST(:keys AS text[])) AS key
          EXCEPT SELECT key FROM search_facet_value) AS new
    """
)
_INSERT_SEGMENT = text(
    """
    INSERT INTO search_segment (story_id, segment_id, chapter_id, position, language, text, tsv)
    VALUES (:story_id, :segment_id, :chapter_id, :position, :language, :text,
            to_tsvector(CAST(:config AS regconfig), :text))
    """
)
_ADD_TERMS = text(
    """
    INSERT INTO search_term (term)
    SELECT DISTINCT unnest(tsvector_to_array(document_tsv)) FROM search_document
    WHERE story_id = ANY(CAST(:ids AS integer[]))
    ON CONFLICT DO NOTHING
    """
)
_ADD_POSTINGS = text(
    """
    INSERT INTO search_posting (story_id, lexeme, weight, public)
    SELECT p.story_id, p.lexeme, p.weight, CAST(:public_token AS text) = ANY(d.tokens)
    FROM search_document AS d, LATERAL search_postings_of(d.story_id, d.document_tsv) AS p
    WHERE d.story_id = ANY(CAST(:ids AS integer[]))
    """
)
#: The N of a word's rarity: public stories, counted again after each write.
_COUNT_PUBLIC = text(
    """
    INSERT INTO search_stats (id, public_documents)
    SELECT 1, count(*) FROM search_document WHERE tokens && ARRAY[CAST(:public_token AS text)]
    ON CONFLICT (id) DO UPDATE SET public_documents = EXCLUDED.public_documents
    """
)
_ADD_WORDS = text(
    """
    INSERT INTO search_word (word)
    SELECT DISTINCT unnest(words) FROM search_document
    WHERE story_id = ANY(CAST(:ids AS integer[]))
    ON CONFLICT DO NOTHING
    """
)
_ANALYSE = text(
    """
    SELECT a.i,
           CASE WHEN a.phrase THEN phraseto_tsquery(CAST(a.config AS regconfig), a.words)::text END,
           CASE WHEN NOT a.phrase
                THEN tsvector_to_array(to_tsvector(CAST(a.config AS regconfig), a.words)) END
    FROM unnest(CAST(:configs AS text[]), CAST(:texts AS text[]), CAST(:phrases AS boolean[]))
         WITH ORDINALITY AS a(config, words, phrase, i),
         -- The search that follows in this transaction asks the GIN indexes (see _find):
         -- said here, it costs no round trip of its own. Sequential scans priced out make
         -- some plans look costly enough to compile (JIT): 100 ms for a 2 ms query.
         (SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true))
         AS planner
    """
)


#: The search tables, parents first; `purge_deleted` rewrites them all.
SEARCH_TABLES = (
    "search_facet_value",
    "search_document",
    "search_segment",
    "search_posting",
    "search_term",
    "search_word",
    "search_stats",
)
_SWAP = "_swap"
#: What each table holds after a purge: the live rows, the vocabulary anew from documents.
_LIVE_ROWS = {
    "search_document": "SELECT * FROM search_document",
    "search_segment": "SELECT * FROM search_segment",
    "search_posting": "SELECT * FROM search_posting",
    "search_stats": "SELECT * FROM search_stats",
    # The values live documents count under, ids unchanged (documents hold the ids); an
    # erased story's theme or place must not stay here by name.
    "search_facet_value": "SELECT * FROM search_facet_value "
    "WHERE id IN (SELECT unnest(facet_ids) FROM search_document)",
    "search_term": "SELECT DISTINCT unnest(tsvector_to_array(document_tsv)) FROM search_document",
    "search_word": "SELECT DISTINCT unnest(words) FROM search_document",
}


def _build_copy(conn: Connection, table: str) -> None:
    """`table`_swap: the same columns, only the live rows, the same indexes (built after
    the rows: faster than growing them row by row)."""
    swap = table + _SWAP
    conn.execute(text(f"DROP TABLE IF EXISTS {swap}"))
    conn.execute(text(f"CREATE TABLE {swap} (LIKE {table} INCLUDING DEFAULTS INCLUDING STORAGE)"))
    conn.execute(text(f"INSERT INTO {swap} {_LIVE_ROWS[table]}"))
    keys = conn.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = CAST(:t AS regclass) AND contype IN ('p', 'u')"
        ),
        {"t": table},
    ).all()
    for name, definition in keys:
        conn.execute(text(f"ALTER TABLE {swap} ADD CONSTRAINT {name}{_SWAP} {definition}"))
    key_names = {name for name, _ in keys}
    indexes = conn.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = :t"
        ),
        {"t": table},
    ).all()
    for name, definition in indexes:
        if name in key_names:
            continue
        head, _on, rest = definition.partition(" ON ")
        relation, _space, tail = rest.partition(" ")
        schema = relation.rpartition(".")[0]
        target = f"{schema}.{swap}" if schema else swap
        conn.execute(text(f"{head.replace(name, name + _SWAP, 1)} ON {target} {tail}"))


def _swap_tables(conn: Connection) -> list[tuple[str, str]]:
    """Put the copies in place of the tables; return the foreign keys to validate.

    Foreign keys come back NOT VALID (no scan under the exclusive lock) and are
    validated afterwards under a lock that lets searches and writes go on."""
    foreign = conn.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(CAST(:tables AS regclass[]))"
        ),
        {"tables": list(SEARCH_TABLES)},
    ).all()
    names: dict[str, list[tuple[str, str]]] = {}
    for table in SEARCH_TABLES:
        names[table] = [
            (f"{name}{_SWAP}", name)
            for (name,) in conn.execute(
                text(
                    "SELECT relname FROM pg_class WHERE oid IN ("
                    "SELECT indexrelid FROM pg_index WHERE indrelid = CAST(:t AS regclass))"
                ),
                {"t": table},
            )
        ]
    conn.execute(text(f"LOCK TABLE {', '.join(SEARCH_TABLES)} IN ACCESS EXCLUSIVE MODE"))
    conn.execute(text(f"DROP TABLE {', '.join(reversed(SEARCH_TABLES))}"))
    for table in SEARCH_TABLES:
        conn.execute(text(f"ALTER TABLE {table}{_SWAP} RENAME TO {table}"))
        for temporary, final in names[table]:
            conn.execute(text(f"ALTER INDEX {temporary} RENAME TO {final}"))
        for (name,) in conn.execute(
            text(
                "SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) "
                "AND conname LIKE :pattern"
            ),
            {"t": table, "pattern": f"%{_SWAP}"},
        ).all():
            conn.execute(
                text(f"ALTER TABLE {table} RENAME CONSTRAINT {name} TO {name[: -len(_SWAP)]}")
            )
    for table, name, definition in foreign:
        conn.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition} NOT VALID"))
    return [(table, name) for table, name, _ in foreign]


def document_rows(document: dict) -> tuple[dict, list[dict]]:
    """Parameters of a document's row and of its segments' rows."""
    transcripts = document["transcripts"]
    points = document["points"]
    row = {
        "id": document["id"],
        "version": document["version"],
        "tokens": list(document["access"]),
        "language": document["language"],
        "config": CONFIGS.get(document["language"], FRENCH),
        "story_language": document["story_language"],
        "kind": document["kind"],
        "decade": document["decade"],
        "period_start": document["period_start"],
        "added": document["added"],
        "place_ids": list(document["place_ids"]),
        "theme_slugs": list(document["theme_slugs"]),
        "narrator_ids": list(document["narrator_ids"]),
        "organisation_ids": list(document["organisation_ids"]),
        "workshop_ids": list(document["workshop_ids"]),
        "lats": [float(lat) for lat, _ in points],
        "lons": [float(lon) for _, lon in points],
        "title": document["title"],
        "body": document["body"],
        "words": surface_words(document),
        "places": "\n".join(document["places"]),
        "themes": "\n".join(document["themes"]),
        "narrators": "\n".join(document["narrators"]),
        "transcript_fr": transcripts.get("fr", {}).get("text", ""),
        "transcript_nl": transcripts.get("nl", {}).get("text", ""),
    }
    row["facet_keys"] = facet_keys(row)
    return row, list(segment_rows(document))


def facet_keys(row: dict) -> list[str]:
    """Each "facet:value" the story counts under, in each facet; organisations and
    workshops (PUBLIC_FACETS) only if the story is public (migration 0022 fills existing
    rows with the same SQL). Stored as the keys' ids (search_facet_value), the search
    counts every facet in one pass over one array of integers."""
    public = PUBLIC_TOKEN in row["tokens"]
    keys = []
    for name, (column, is_array) in FACET_COLUMNS.items():
        if name in PUBLIC_FACETS and not public:
            continue
        values = row[column] if is_array else [row[column]]
        keys.extend(f"{name}:{value}" for value in values if value is not None)
    return keys


def segment_rows(document: dict) -> Iterator[dict]:
    """One row per transcript segment (and per chapter), cut from the document's transcript
    text; a translated segment has a row per language, hence the key on `position`."""
    position = 0
    for language, transcript in sorted(document["transcripts"].items()):
        whole = transcript["text"]
        starts = transcript["segments"]
        for index, (offset, piece_id, *kind) in enumerate(starts):
            end = starts[index + 1][0] - len(SEGMENT_SEPARATOR) if index + 1 < len(starts) else None
            yield {
                "story_id": document["id"],
                "segment_id": None if kind else piece_id,
                "chapter_id": piece_id if kind else None,
                "position": position,
                "language": language,
                "config": CONFIGS.get(language, FRENCH),
                "text": whole[offset:end],
            }
            position += 1


def surface_words(document: dict) -> list[str]:
    """Each word of the document once, folded but not stemmed: what "did you mean" offers."""
    texts = [document["title"], document["body"], *document["places"], *document["themes"]]
    texts += document["narrators"]
    texts += [t["text"] for t in document["transcripts"].values()]
    unique: set[str] = set()
    for value in texts:
        unique.update(words(fold(value)))
    # The embedded profile's spelling analysis: the same vocabulary on both engines.
    return sorted({token.text for token in spelling_analyzer()(" ".join(sorted(unique)))})


def tsquery_operands(query: str) -> tuple[set[str], set[str]]:
    """The lexemes a tsquery string names: (exact ones, prefixes)."""
    exact: set[str] = set()
    prefixes: set[str] = set()
    for match in _LEXEME_IN_TSQUERY.finditer(query):
        lexeme = match.group(1).replace("''", "'").replace("\\\\", "\\")
        if lexeme:
            (prefixes if match.group(2) else exact).add(lexeme)
    return exact, prefixes


class _Lexicon:
    """Each word's lexemes under each text search configuration, asked of PostgreSQL once
    per process: what highlighting needs to mark a text's words without parsing the text
    in the database. ts_headline parsed each hit's whole body on every search (7 ms of
    every query at 20,000 stories: PostgreSQL's parser, not the matching, was the cost),
    where the words of a page are mostly ones the process has already seen. A word's
    lexemes depend on the configuration alone (its dictionaries come from migrations)."""

    def __init__(self, size: int = LEXICON_SIZE) -> None:
        self.size = size
        self._known: dict[tuple[str, str], tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def lexemes(self, conn: Connection, wanted: set[tuple[str, str]]) -> dict:
        """(configuration, word) → its lexemes, for every pair in `wanted`."""
        known = self._known
        missing = [pair for pair in wanted if pair not in known]
        if not missing:
            return known
        rows = conn.execute(
            text(
                "SELECT x.config, x.word, "
                "tsvector_to_array(to_tsvector(CAST(x.config AS regconfig), x.word)) "
                "FROM unnest(CAST(:configs AS text[]), CAST(:words AS text[])) AS x(config, word)"
            ),
            {"configs": [c for c, _ in missing], "words": [w for _, w in missing]},
        ).all()
        with self._lock:
            if len(known) + len(rows) > self.size:
                known = self._known = {}
            for config, word, lexemes in rows:
                known[(config, word)] = tuple(lexemes or ())
        return known


def mark_words(
    texts: list[tuple[str, str]],
    operands: tuple[set[str], set[str]],
    analyse: Callable[[set[tuple[str, str]]], dict],
) -> list[list[tuple[int, int]]]:
    """Character spans, in each (configuration, text), of the words one of whose lexemes
    is an operand of the query (exact, or beginning with a prefix): the words ts_headline
    marks with HighlightAll. `analyse` gives the lexemes of (configuration, word) pairs."""
    exact, prefixes = operands
    starts = tuple(prefixes)
    words: dict[str, set[str]] = {}
    for config, value in texts:
        words.setdefault(config, set()).update(_TOKEN.findall(value))
    lexemes = analyse({(config, word) for config, found in words.items() for word in found})
    marked: dict[str, set[str]] = {}
    for config, found in words.items():
        for word in found:
            analysed = lexemes[(config, word)]
            if not exact.isdisjoint(analysed) or (
                starts and any(x.startswith(starts) for x in analysed)
            ):
                marked.setdefault(config, set()).add(word)
    # The marked words found again in one pass per configuration (few words: a short
    # alternation), as whole words: not preceded or followed by a letter or a digit.
    patterns = {
        config: re.compile(
            r"(?<![^\W_])(?:"
            + "|".join(map(re.escape, sorted(chosen, key=len, reverse=True)))
            + r")(?![^\W_])"
        )
        for config, chosen in marked.items()
    }
    return [
        [m.span() for m in patterns[config].finditer(value)] if config in patterns else []
        for config, value in texts
    ]


@dataclass
class _Found:
    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=lambda: {n: {} for n in FACET_NAMES})
    hits: list[Hit] = field(default_factory=list)


@dataclass
class _Compiled:
    """A query tree turned into SQL: a condition, its parameters, and tsqueries for ranking
    (`rank`), highlighting (`highlight`) and scoring segments (`leaves`)."""

    where: str | None
    params: dict = field(default_factory=dict)
    rank: str | None = None
    highlight: str | None = None
    leaves: list[str] = field(default_factory=list)
    #: Whether the analysis of the words already turned sequential scans off.
    seqscan_off: bool = False


class _Compiler:
    """Turns a query tree into SQL once the words have been analysed by PostgreSQL."""

    def __init__(self, conn: Connection, tree) -> None:
        self.conn = conn
        self.tree = tree
        self.params: dict = {}
        self.term_queries: dict[pq.Term, str | None] = {}
        self.seqscan_off = False
        self._analyse(pq.terms(tree))

    def _analyse(self, terms: list[pq.Term]) -> None:
        requests: list[tuple[pq.Term, str]] = []
        for term in terms:
            if term.prefix:
                continue
            for config in FIELD_COLUMNS[term.field][1]:
                requests.append((term, config))
        analysed: dict[tuple[pq.Term, str], object] = {}
        if requests:
            rows = self.conn.execute(
                _ANALYSE,
                {
                    "configs": [config for _, config in requests],
                    "texts": [term.text for term, _ in requests],
                    "phrases": [term.phrase for term, _ in requests],
                },
            )
            self.seqscan_off = True
            for index, phrase_query, lexemes in rows:
                term, config = requests[index - 1]
                analysed[(term, config)] = phrase_query if term.phrase else list(lexemes or [])
        candidates = self._fuzzy_candidates(
            {
                (lexeme, term.fuzzy)
                for (term, _config), value in analysed.items()
                if term.fuzzy and isinstance(value, list)
                for lexeme in value
            }
        )
        for term in terms:
            self.term_queries[term] = self._term_query(term, analysed, candidates)

    def _term_query(self, term: pq.Term, analysed: dict, candidates: dict) -> str | None:
        """The tsquery of one term in its field, or None for stop words and empty words."""
        if term.prefix:
            folded = [token.text for token in name_analyzer()(term.text)]
            return pq.all_of([pq.quote(word, prefix=True) for word in folded]) or None
        per_config = []
        for config in FIELD_COLUMNS[term.field][1]:
            value = analysed.get((term, config))
            if term.phrase:
                query = value or ""
            elif term.fuzzy:
                query = pq.all_of(
                    [
                        pq.any_of(
                            [pq.quote(lexeme)]
                            + [pq.quote(c) for c in candidates.get((lexeme, term.fuzzy), [])]
                        )
                        for lexeme in value or []
                    ]
                )
            else:
                query = pq.lexemes_query(value or [])
            # A stop word in one of the archive's languages is no word to look for: it
            # must not demand its Dutch form in French text, nor the other way round.
            if not query and config != NAMES:
                return None
            per_config.append(query)
        return pq.any_of(per_config) or None

    def _fuzzy_candidates(self, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], list[str]]:
        """Lexemes of the archive within `distance` edits of each lexeme, nearest first."""
        if not wanted:
            return {}
        self.conn.execute(text("SELECT set_config('pg_trgm.similarity_threshold', '0.2', true)"))
        found: dict[tuple[str, int], list[str]] = {}
        for lexeme, distance in wanted:
            if not lexeme:
                continue
            first = lexeme[0]
            bounds = {
                "first": first,
                "next": chr(ord(first) + 1),
                "low": len(lexeme) - distance,
                "high": len(lexeme) + distance,
                "lexeme": lexeme,
            }
            # Short words share too few trigrams with their misspellings: read all the
            # lexemes of their first letter and length instead.
            condition = "term % :lexeme" if len(lexeme) > 4 else "TRUE"
            rows = self.conn.scalars(
                text(
                    f"SELECT term FROM search_term WHERE term >= :first AND term < :next "
                    f"AND length(term) BETWEEN :low AND :high AND {condition}"
                ),
                bounds,
            )
            near = [(levenshtein(lexeme, term), term) for term in rows if term != lexeme]
            near = sorted((d, t) for d, t in near if d <= distance)
            found[(lexeme, distance)] = [t for _, t in near[:FUZZY_CANDIDATES]]
        return found

    # --- the tree as SQL -----------------------------------------------------------------

    def compile(self) -> _Compiled:
        part = self._part(self.tree)
        compiled = _Compiled(
            where=self._sql(part) if part else None,
            params=self.params,
            seqscan_off=self.seqscan_off,
        )
        compiled.rank = self._rank(self.tree) or None
        highlights = [
            self.term_queries.get(t) for t in pq.positive_terms(self.tree) if t.field is None
        ]
        compiled.leaves = [q for q in dict.fromkeys(highlights) if q]
        compiled.highlight = pq.any_of(compiled.leaves) or None
        return compiled

    def _part(self, node):
        """("tsq", column, tsquery) or ("sql", fragment) or None when nothing is searchable."""
        if node is None:
            return None
        if isinstance(node, pq.Term):
            query = self.term_queries.get(node)
            return ("tsq", FIELD_COLUMNS[node.field][0], query) if query else None
        if isinstance(node, pq.Not):
            child = self._part(node.child)
            if child is None:
                return None
            if child[0] == "tsq":
                return ("tsq", child[1], f"!({child[2]})")
            return ("sql", f"NOT ({child[1]})")
        parts = [p for p in (self._part(c) for c in node.children) if p is not None]
        if not parts:
            return None
        joiner = " & " if node.op == "and" else " | "
        by_column: dict[str, list[str]] = {}
        others: list[str] = []
        for part in parts:
            if part[0] == "tsq":
                by_column.setdefault(part[1], []).append(part[2])
            else:
                others.append(part[1])
        merged = [
            ("tsq", column, joiner.join(f"({q})" for q in queries))
            for column, queries in by_column.items()
        ]
        if len(merged) == 1 and not others:
            return merged[0]
        fragments = [self._sql(p) for p in merged] + others
        return ("sql", (" AND " if node.op == "and" else " OR ").join(f"({f})" for f in fragments))

    def _sql(self, part) -> str:
        if part[0] == "sql":
            return part[1]
        name = f"q{len(self.params)}"
        self.params[name] = part[2]
        return f"{part[1]} @@ CAST(:{name} AS tsquery)"

    def _rank(self, node) -> str:
        """The query without its NOT parts, over the weighted vector: what ranks a hit."""
        if node is None or isinstance(node, pq.Not):
            return ""
        if isinstance(node, pq.Term):
            return self.term_queries.get(node) or ""
        ranks = [self._rank(c) for c in node.children]
        return pq.all_of(ranks) if node.op == "and" else pq.any_of(ranks)


class _BesideWriter:
    """Batches of a bulk run applied by one thread, in order, on the locked connection
    (which the caller's thread leaves alone until `finish`)."""

    def __init__(self, backend: PostgresBackend, conn: Connection) -> None:
        self.backend = backend
        self.conn = conn
        self.error: BaseException | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._thread = threading.Thread(target=self._run, name="memoire-index-writer",
                                         daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is None:
                return
            if self.error is not None:
                continue  # drained, not written: the caller learns of the error
            try:
                if self.conn.in_transaction():
                    self.conn.rollback()
                with self.conn.begin():
                    self.backend._apply(self.conn, *batch)
            except BaseException as error:  # noqa: BLE001  (handed to the caller's thread)
                self.error = error

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def put(self, documents: list[dict], deleted_ids: list[int]) -> None:
        self._raise()
        if documents or deleted_ids:
            self._queue.put((documents, deleted_ids))

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def finish(self) -> None:
        self.stop()
        self._raise()


class PostgresBackend:
    """SearchBackend on PostgreSQL full-text search (see module docstring)."""

    def __init__(self, engine: Engine, lock_timeout: float = 2.0) -> None:
        self.engine = engine
        self.lock_timeout = lock_timeout
        self._local = threading.local()
        self._lexicon = _Lexicon()

    # --- the writer lock -----------------------------------------------------------------

    @contextmanager
    def exclusive(self, timeout: float | None = None) -> Iterator[None]:
        """The single-writer lock, across processes and hosts; re-entrant in one thread."""
        if getattr(self._local, "connection", None) is not None:
            yield
            return
        wait = self.lock_timeout if timeout is None else timeout
        conn = self.engine.connect()
        try:
            self._lock(conn, wait)
        except BaseException:
            conn.close()
            raise
        self._local.connection = conn
        try:
            yield
        finally:
            self._local.connection = None
            self._unlock(conn)

    @staticmethod
    def _lock(conn: Connection, wait: float) -> None:
        key = {"key": WRITER_LOCK}
        if wait <= 0:
            taken = conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), key)
        else:
            conn.execute(
                text("SELECT set_config('lock_timeout', :ms, true)"),
                {"ms": f"{int(wait * 1000) or 1}ms"},
            )
            try:
                conn.execute(text("SELECT pg_advisory_lock(:key)"), key)
                taken = True
            except OperationalError as error:
                if getattr(error.orig, "sqlstate", None) != "55P03":  # lock_not_available
                    raise
                taken = False
        if taken:
            conn.commit()
        else:
            conn.rollback()
            raise IndexBusy("the search index is being written by another process")

    @staticmethod
    def _unlock(conn: Connection) -> None:
        try:
            conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": WRITER_LOCK})
            conn.commit()
        except Exception:
            conn.invalidate()  # the server releases the lock with the session
        finally:
            conn.close()

    @contextmanager
    def _writing(self, timeout: float | None = None) -> Iterator[Connection]:
        """A transaction on the writer's connection, holding the writer lock."""
        with self.exclusive(timeout):
            conn = self._local.connection
            if conn.in_transaction():
                conn.rollback()
            with conn.begin():
                yield conn

    # --- writing -------------------------------------------------------------------------

    def ensure(self) -> None:
        """The tables come from the migrations (`memoire init`); say so if they are missing."""
        with self.engine.connect() as conn:
            if conn.scalar(text("SELECT to_regclass('search_document')")) is None:
                raise RuntimeError(
                    "the PostgreSQL search tables are missing: run `memoire init` (migrations)"
                )

    def apply(self, documents: list[dict], deleted_ids: list[int]) -> None:
        if not documents and not deleted_ids:
            return
        with self._writing() as conn:
            self._apply(conn, documents, deleted_ids)

    def _apply(self, conn: Connection, documents: list[dict], deleted_ids: list[int]) -> None:
        if deleted_ids:
            conn.execute(
                text("DELETE FROM search_document WHERE story_id = ANY(CAST(:ids AS integer[]))"),
                {"ids": sorted(set(deleted_ids))},
            )
        for batch in batched(documents, WRITE_BATCH):
            self._write(conn, batch)
        conn.execute(_COUNT_PUBLIC, {"public_token": PUBLIC_TOKEN})

    def _write(self, conn: Connection, documents: list[dict], replace: bool = True) -> None:
        rows, segments = [], []
        for document in documents:
            row, segment_list = document_rows(document)
            rows.append(row)
            segments.extend(segment_list)
        ids = sorted({row["id"] for row in rows})
        keys = sorted({key for row in rows for key in row["facet_keys"]})
        conn.execute(_ADD_FACET_VALUES, {"keys": keys})
        conn.execute(_UPSERT_DOCUMENT, rows)
        if replace:
            for table in ("search_segment", "search_posting"):
                conn.execute(
                    text(f"DELETE FROM {table} WHERE story_id = ANY(CAST(:ids AS integer[]))"),
                    {"ids": ids},
                )
        if segments:
            conn.execute(_INSERT_SEGMENT, segments)
        conn.execute(_ADD_POSTINGS, {"ids": ids, "public_token": PUBLIC_TOKEN})
        conn.execute(_ADD_TERMS, {"ids": ids})
        conn.execute(_ADD_WORDS, {"ids": ids})

    def rebuild(self, documents: Iterable[dict], size: int | None = None) -> int:
        count = 0
        with self._writing(timeout=max(self.lock_timeout, 120.0)) as conn:
            # DELETE, not TRUNCATE: searches go on reading the old rows until the commit.
            for table in reversed(SEARCH_TABLES):
                conn.execute(text(f"DELETE FROM {table}"))
            for batch in batched(documents, WRITE_BATCH):
                self._write(conn, batch, replace=False)
                count += len(batch)
            conn.execute(_COUNT_PUBLIC, {"public_token": PUBLIC_TOKEN})
        # The caller compacts once its own transaction has ended (`service.rebuild`).
        return count

    def purge_deleted(self) -> None:
        """Make removed text unrecoverable from the search tables (erasure, redaction),
        without stopping searches.

        PostgreSQL keeps a deleted or replaced row's bytes in the table's files until the
        table is rewritten, and VACUUM FULL, which rewrites it, holds an exclusive lock
        for the whole rewrite: every search waited (seconds on a large archive). Instead,
        holding the writer lock (so no index work changes the tables meanwhile), each
        search table is copied to a new table with only its live rows (the vocabulary
        rebuilt from the remaining documents), its indexes are built there, and the new
        tables replace the old ones in one short transaction: searches go on reading the
        old tables during the copy and wait only for the swap (catalogue changes,
        milliseconds). Dropping the old tables removes their files. The removed text
        stays in the write-ahead log until the next checkpoint recycles it (and in WAL
        archives or replicas if the server keeps them): a CHECKPOINT is asked for when
        the role may run one.
        """
        with self.exclusive(timeout=max(self.lock_timeout, 120.0)):
            engine = self.engine
            with engine.begin() as conn:
                for table in SEARCH_TABLES:
                    _build_copy(conn, table)
            with engine.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '30s'"))
                foreign_keys = _swap_tables(conn)
            with engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                for table, name in foreign_keys:
                    conn.execute(text(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}"))
                conn.execute(text("ANALYZE " + ", ".join(SEARCH_TABLES)))
                try:
                    conn.execute(text("CHECKPOINT"))
                except Exception:  # needs superuser or pg_checkpoint: the next one comes anyway
                    pass

    @contextmanager
    def writer(
        self, size: int | None = None, *, beside: bool = False
    ) -> Iterator[Callable[[list[dict], list[int]], None]]:
        """Rows, not files: each batch is applied in a transaction of its own as it comes.

        `beside` (a bulk import fed as it reads): the batches are written by a thread of
        the writer's own, on the connection holding the writer lock, while the caller reads
        its next lines. The caller waited for each batch's statements before, and the
        server's analysis of 500 stories (to_tsvector of every segment, postings, GIN
        entries) took about a fifth of an import; the thread mostly waits on the server,
        so the two overlap on two cores. One batch at most waits for the thread (memory
        stays flat); an error in the thread is raised by the next call or at the end."""
        if not beside:
            yield self.apply
            return
        with self.exclusive():
            batches = _BesideWriter(self, self._local.connection)
            try:
                yield batches.put
            except BaseException:
                batches.stop()
                raise
            batches.finish()

    def compact(self) -> None:
        """After a bulk run or a rebuild: dead rows' space reusable, the planner's statistics
        current, and the postings' pages marked all-visible, without which ranking reads
        each posting from the table instead of the index alone (plain VACUUM: no lock that
        stops searches). A page is marked only if no open transaction could still miss its
        rows: call this after the caller's own transaction ended."""
        vacuum = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        with vacuum:
            vacuum.execute(text("VACUUM (ANALYZE) " + ", ".join(SEARCH_TABLES)))

    def document_versions(self) -> dict[int, str]:
        with self.engine.connect() as conn:
            return dict(conn.execute(text("SELECT story_id, version FROM search_document")).all())

    def close(self) -> None:
        """Nothing to release: connections belong to the app's engine pool."""

    # --- searching -----------------------------------------------------------------------

    def search(self, query: SearchQuery, tokens: list[str]) -> SearchResults:
        with self.engine.connect() as conn:
            return self._search(conn, query, list(tokens))

    def _search(self, conn: Connection, query: SearchQuery, tokens: list[str]) -> SearchResults:
        tree = pq.parse(query.text) if query.text else None
        compiled = _Compiler(conn, tree).compile() if tree is not None else None
        searchable = not query.text or (compiled is not None and compiled.where is not None)
        fuzzy = False
        found = _Found()
        if searchable:
            found = self._find(conn, query, tokens, compiled)
        if query.text and searchable and found.total == 0 and query.fuzzy_fallback:
            approximate_tree = pq.with_fuzzy_words(tree, _fallback_distance)
            if approximate_tree != tree:
                approximate = _Compiler(conn, approximate_tree).compile()
                if approximate.where is not None:
                    found = self._find(conn, query, tokens, approximate)
                    if found.total:
                        compiled, fuzzy = approximate, True
        if query.highlights and compiled is not None and compiled.highlight and found.hits:
            self._highlight(conn, compiled, found.hits, query.segments_per_hit)
        suggestion = None
        if query.text and (found.total == 0 or fuzzy):
            suggestion = self._suggest(conn, query.text, tokens)
        return SearchResults(
            hits=found.hits,
            total=found.total,
            facets=found.facets if query.facets else {},
            suggestion=suggestion,
            fuzzy=fuzzy,
        )

    @staticmethod
    def _where(
        query: SearchQuery, tokens: list[str], compiled: _Compiled | None
    ) -> tuple[str | None, str, dict]:
        """(the words' condition or None, the visibility and filters' condition, parameters)."""
        conditions = ["tokens && CAST(:tokens AS text[])"]
        params: dict = {"tokens": tokens}
        filters = {
            "places": ("place_ids && CAST(:places AS integer[])", list(query.places)),
            "themes": ("theme_slugs && CAST(:themes AS text[])", list(query.themes)),
            "decades": ("decade = ANY(CAST(:decades AS integer[]))", list(query.decades)),
            "kinds": ("kind = ANY(CAST(:kinds AS text[]))", list(query.kinds)),
            "languages": (
                "story_language = ANY(CAST(:languages AS text[]))",
                list(query.languages),
            ),
            "narrators": ("narrator_ids && CAST(:narrators AS integer[])", list(query.narrators)),
            "organisations": (
                "organisation_ids && CAST(:organisations AS integer[])",
                list(query.organisations),
            ),
            "workshops": ("workshop_ids && CAST(:workshops AS integer[])", list(query.workshops)),
        }
        for name, (condition, values) in filters.items():
            if not values:
                continue
            if name in _INTEGER_FILTERS:
                # An id PostgreSQL's integer cannot hold names nothing (and must not fail).
                values = [v for v in values if _INT4_MIN <= v <= _INT4_MAX]
                if not values:
                    return None, "FALSE", params
            conditions.append(condition)
            params[name] = values
        if query.bbox is not None:
            west, south, east, north = query.bbox
            # A story's first two points tested in place, the others (rare) by unnesting:
            # unnesting every story's points, one subquery per story, was 25 of a map
            # area's 40 ms at 20,000 stories.
            inside = " OR ".join(
                f"(lats[{i}] BETWEEN :south AND :north AND lons[{i}] BETWEEN :west AND :east)"
                for i in (1, 2)
            )
            conditions.append(
                f"({inside} OR (cardinality(lats) > 2 AND "
                "EXISTS (SELECT 1 FROM unnest(lats, lons) AS p(lat, lon) "
                "WHERE p.lat BETWEEN :south AND :north AND p.lon BETWEEN :west AND :east)))"
            )
            params.update(west=west, south=south, east=east, north=north)
        if compiled is not None and compiled.where is not None:
            params.update(compiled.params)
            return compiled.where, " AND ".join(conditions), params
        return None, " AND ".join(conditions), params

    def _find(
        self, conn: Connection, query: SearchQuery, tokens: list[str], compiled: _Compiled | None
    ) -> _Found:
        """Total, facet counts and the requested page of hits, in one statement: the matches
        are found once, over the documents the viewer may see."""
        words, where, params = self._where(query, tokens, compiled)
        ranked, order = self._order(query, compiled, params)
        documents = "search_document"
        if words is not None:
            # The words first, through their GIN indexes alone; the visibility and the
            # filters then read the rows found. OFFSET 0 keeps the planner from pushing
            # them down: given the choice, it walked the access tokens' index (every visible
            # story) and unpacked each story's vector to test the words (110 ms against
            # 12 ms at 5,000 stories for a common word), and an ARRAY of the words' matches
            # looked up again by key cost 18 ms at 20,000 stories against 4 ms for this.
            documents = (
                f"(SELECT * FROM search_document WHERE {words} OFFSET 0) AS search_document"
            )
        if compiled is not None and not compiled.seqscan_off:
            # The planner prices matching a tsvector as cheap and would rather read the whole
            # table, unpacking every story's vector, than ask the GIN index: forbid it here.
            conn.execute(
                text("SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)")
            )
        scored = (
            "(SELECT m.*, coalesce(r.score, 0.0) AS score FROM matched AS m "
            "LEFT JOIN ranked AS r ON r.story_id = m.story_id) AS scored"
            if ranked
            else "(SELECT m.*, 0.0 AS score FROM matched AS m) AS scored"
        )
        parts = [
            "SELECT 'total' AS part, '' AS value, count(*) AS n, 0.0 AS score FROM matched",
            # The page first (a top-N sort of the matches), then each hit's position on it,
            # numbered over its few rows: UNION ALL keeps no order. Numbering every match
            # before taking the page sorted them all (3-4 ms at 7,000 matches).
            f"(SELECT 'hit', CAST(story_id AS text) AS value, "
            f"row_number() OVER (ORDER BY {order}) AS position, score "
            f"FROM (SELECT story_id, period_start, added, score FROM {scored} "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset) AS page)",
        ]
        params.update(limit=query.per_page, offset=query.offset)
        if query.facets:
            # Every facet in one pass: the ids of the stories' "facet:value" keys counted
            # together, then named, the most frequent FACET_LIMIT values of each facet
            # kept. Organisations and workshops count public stories only: only those
            # hold their ids (`facet_keys`).
            parts.append(
                "(SELECT name, value, n, 0.0 FROM ("
                "SELECT name, value, n, row_number() OVER (PARTITION BY name "
                "ORDER BY n DESC, value) AS r FROM ("
                "SELECT split_part(v.key, ':', 1) AS name, "
                "substr(v.key, strpos(v.key, ':') + 1) AS value, c.n "
                "FROM (SELECT f, count(*) AS n FROM "
                "(SELECT unnest(facet_ids) AS f FROM matched) AS u GROUP BY f) AS c "
                "JOIN search_facet_value AS v ON v.id = c.f) AS named) AS counted "
                f"WHERE r <= {FACET_LIMIT})"
            )
        statement = (
            f"WITH matched AS MATERIALIZED (SELECT story_id, period_start, added, facet_ids "
            f"FROM {documents} WHERE {where})"
            + (f", ranked AS MATERIALIZED ({ranked})" if ranked else "")
            + " "
            + " UNION ALL ".join(parts)
        )
        found = _Found()
        ranked_hits: list[tuple[int, Hit]] = []
        for part, value, count, hit_score in conn.execute(text(statement), params):
            if part == "total":
                found.total = int(count)
            elif part == "hit":
                ranked_hits.append((int(count), Hit(story_id=int(value), score=float(hit_score))))
            else:
                found.facets[part][value] = int(count)
        found.hits = [hit for _, hit in sorted(ranked_hits, key=lambda item: item[0])]
        return found

    @staticmethod
    def _order(
        query: SearchQuery, compiled: _Compiled | None, params: dict
    ) -> tuple[str | None, str]:
        """The ranking of the matches (SQL giving each story's score, or None when the sort
        needs none) and the ORDER BY of the requested sort."""
        sort = query.sort
        rank = compiled.rank if compiled is not None else None
        if sort == "relevance" and compiled is None:
            sort = "added"  # nothing typed: the newest first
        ranked = None
        if sort == "relevance" and rank is not None:
            ranked = _ranking(rank, params)
        order = {
            "relevance": "score DESC, story_id",
            "oldest": "period_start ASC NULLS LAST, story_id",
            "newest": "period_start DESC NULLS LAST, story_id",
            "added": "added DESC, story_id DESC",
        }[sort]
        return ranked, order

    def _highlight(
        self, conn: Connection, compiled: _Compiled, hits: list[Hit], per_hit: int
    ) -> None:
        """Spans of the matched words in titles, bodies and the best transcript segments.

        One statement reads the texts (one round trip: on a busy server each costs a
        wait); the words are marked here, from each word's lexemes (`_Lexicon`)."""
        by_id = {hit.story_id: hit for hit in hits}
        params = {
            "ids": list(by_id),
            "q": compiled.highlight,
            "leaves": compiled.leaves,
            "per_hit": per_hit,
        }
        segments = "search_segment"
        if _PHRASE_OPERATOR.search(compiled.highlight):
            # A phrase: the GIN index cannot check positions, so asking it returns every
            # segment of the archive holding the words, each then rechecked (31 ms at
            # 20,000 stories); the hits' own segments are fewer (7 ms). OFFSET 0 keeps the
            # planner from asking the index.
            segments = (
                "(SELECT * FROM search_segment "
                "WHERE story_id = ANY(CAST(:ids AS integer[])) OFFSET 0) AS s"
            )
        rows = conn.execute(
            text(
                f"""
                WITH matching AS (
                    SELECT story_id, segment_id, chapter_id, position, language, text,
                           (SELECT count(*) FROM unnest(CAST(:leaves AS text[])) AS l(q)
                            WHERE tsv @@ CAST(l.q AS tsquery)) AS words,
                           ts_rank_cd(tsv, CAST(:q AS tsquery)) AS rank
                    FROM {segments}
                    WHERE story_id = ANY(CAST(:ids AS integer[])) AND tsv @@ CAST(:q AS tsquery)
                ), best AS (
                    SELECT *, row_number() OVER (
                        PARTITION BY story_id ORDER BY words DESC, rank DESC, position) AS n
                    FROM matching
                )
                SELECT 'title' AS part, story_id, CAST(NULL AS integer) AS segment_id,
                       CAST(NULL AS integer) AS chapter_id, 0 AS position,
                       CAST(0 AS bigint) AS words, language, title AS text
                FROM search_document WHERE story_id = ANY(CAST(:ids AS integer[]))
                UNION ALL
                SELECT 'body', story_id, NULL, NULL, 0, 0, language, body
                FROM search_document WHERE story_id = ANY(CAST(:ids AS integer[]))
                UNION ALL
                SELECT 'segment', story_id, segment_id, chapter_id, position, words, language,
                       text
                FROM best WHERE n <= :per_hit
                """
            ),
            params,
        ).all()
        all_spans = mark_words(
            [(CONFIGS.get(row.language, FRENCH), row.text or "") for row in rows],
            tsquery_operands(compiled.highlight),
            lambda wanted: self._lexicon.lexemes(conn, wanted),
        )
        found: dict[int, list[tuple[float, int, SegmentHit]]] = {}
        for row, spans in zip(rows, all_spans, strict=True):
            part, story_id = row.part, row.story_id
            if part != "segment":
                if spans:
                    by_id[story_id].spans[part] = spans
                continue
            # As in the embedded profile: the different words said there first, then how often.
            score = float(row.words * 10 + len(spans))
            segment = SegmentHit(
                segment_id=row.segment_id, chapter_id=row.chapter_id, score=score, spans=spans
            )
            found.setdefault(story_id, []).append((-score, row.position, segment))
        for story_id, segments in found.items():
            by_id[story_id].segments = [s for _, _, s in sorted(segments, key=lambda x: x[:2])]

    # --- did you mean --------------------------------------------------------------------

    def suggest(self, text_: str, tokens: list[str]) -> str | None:
        with self.engine.connect() as conn:
            return self._suggest(conn, text_, list(tokens))

    def _suggest(self, conn: Connection, typed: str, tokens: list[str]) -> str | None:
        """Replace words the viewer's stories never use by the nearest ones they do use."""
        analyzer = spelling_analyzer()
        forms: dict[str, str] = {}
        for match in _WORD_IN_QUERY.finditer(typed):
            word, following = match.group(1), match.group(2)
            # Operators, field prefixes (lieu:) and prefixes (char*) are not misspellings.
            if word in OPERATOR_WORDS or following in (":", "*") or any(c.isdigit() for c in word):
                continue
            analysed = [t.text for t in analyzer(word)]
            if len(analysed) == 1:
                forms.setdefault(word, analysed[0])
        if not forms:
            return None
        known = self._visible_counts(conn, sorted(set(forms.values())), tokens, cap=1)
        replacements: dict[str, str] = {}
        for word, form in forms.items():
            if known.get(form):
                continue
            correction = self._nearest_visible(conn, form, tokens)
            if correction:
                replacements[word] = correction
        if not replacements:
            return None
        return _WORD_IN_QUERY.sub(
            lambda m: replacements.get(m.group(1), m.group(1)) + m.group(2), typed
        )

    @staticmethod
    def _visible_counts(
        conn: Connection, candidates: list[str], tokens: list[str], cap: int
    ) -> dict[str, int]:
        """How many stories the viewer may see use each word, counted up to `cap`: enough to
        tell a known word (1) or to prefer a common one; counting every story that uses
        a common word read thousands of rows per candidate (~10 ms a suggestion)."""
        if not candidates:
            return {}
        rows = conn.execute(
            text(
                "SELECT w, (SELECT count(*) FROM (SELECT 1 FROM search_document AS d "
                "WHERE d.words @> ARRAY[w] AND d.tokens && CAST(:tokens AS text[]) "
                "LIMIT :cap) AS used) "
                "FROM unnest(CAST(:words AS text[])) AS c(w)"
            ),
            {"words": candidates, "tokens": tokens, "cap": cap},
        )
        return {word: int(count) for word, count in rows}

    def _nearest_visible(self, conn: Connection, form: str, tokens: list[str]) -> str | None:
        distance = 1 if len(form) <= 4 else 2
        conn.execute(text("SELECT set_config('pg_trgm.similarity_threshold', '0.2', true)"))
        condition = "word % :form" if len(form) > 4 else "TRUE"
        rows = conn.scalars(
            text(
                f"SELECT word FROM search_word WHERE word >= :first AND word < :next "
                f"AND length(word) BETWEEN :low AND :high AND {condition}"
            ),
            {
                "first": form[0],
                "next": chr(ord(form[0]) + 1),
                "low": len(form) - distance,
                "high": len(form) + distance,
                "form": form,
            },
        )
        near = sorted(
            (d, word)
            for word in rows
            if word != form and (d := levenshtein(form, word)) <= distance
        )[:SUGGESTION_CANDIDATES]
        if not near:
            return None
        counts = self._visible_counts(conn, [word for _, word in near], tokens, SUGGESTION_USES)
        visible = [(d, -counts[word], word) for d, word in near if counts.get(word)]
        return min(visible)[2] if visible else None


def _ranking(rank: str, params: dict) -> str | None:
    """Each story's score for the words of `rank` (a tsquery), from their postings: the
    sum over the words of the story's weight for the word times the word's rarity (BM25's
    inverse document frequency, from how many public stories use it). Reads one index, never the
    stories' vectors (which ts_rank_cd unpacked whole: issue 20). A phrase ranks by its
    words; which stories hold the phrase itself is the match's business. The statement
    that runs it names the stories found `matched` (a CTE)."""
    exact, prefixes = tsquery_operands(rank)
    conditions = []
    if exact:
        conditions.append("p.lexeme = ANY(CAST(:rank_lexemes AS text[]))")
        params["rank_lexemes"] = sorted(exact)
    for index, prefix in enumerate(sorted(prefixes)):
        # A range of the index (the column sorts bytewise: COLLATE "C").
        conditions.append(f"(p.lexeme >= :rank_from{index} AND p.lexeme < :rank_to{index})")
        params[f"rank_from{index}"] = prefix
        params[f"rank_to{index}"] = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    if not conditions:
        return None
    where = " OR ".join(conditions)
    # Rarity among public stories only: a word hidden stories use must not move the score
    # (nor the order) of a story the viewer sees. N is read by its key: searches price
    # sequential scans out (see _find), and one priced-out scan, even of this one-row
    # table, made every plan cost about the same to the planner (it compares within 1 %),
    # which then ranked two lexemes by walking all 4 million postings in story order
    # (460 ms instead of 0.5 at 20,000 stories). Counts are doubles: with integers the
    # rarity was numeric (its literals are), and the planner computes it for each
    # posting it joins, in numeric: 18-20 ms for a common word's 8,000 postings.
    idf = f"""
        SELECT lexeme, ln(1 + (greatest(n, df) - df + 0.5) / (df + 0.5)) AS idf
        FROM (SELECT p.lexeme, CAST(count(*) FILTER (WHERE p.public) AS double precision) AS df
              FROM search_posting AS p WHERE {where} GROUP BY p.lexeme) AS counts,
             (SELECT CAST(coalesce((SELECT public_documents FROM search_stats WHERE id = 1), 0)
                          AS double precision) AS n) AS documents
    """
    if len(exact) == 1 and not prefixes:
        # One word (the commonest search): a score per posting, nothing to add up. Its
        # rarity is one value (a subquery run once): joined as a table, the planner
        # guessed thousands of rarity rows and sorted 50 million rows' worth for the hits
        # (20 ms of a common word's 60 at 20,000 stories).
        return f"""
            SELECT p.story_id, p.weight * (SELECT i.idf FROM ({idf}) AS i) AS score
            FROM search_posting AS p WHERE {where}
        """
    # Several words: the postings of the stories that matched only (a CTE of the caller's
    # statement). Every story using any of the words was scored before: for "les enfants",
    # the 20,000 stories saying "les" (27 ms) where 1,700 hold the phrase.
    return f"""
        SELECT p.story_id, sum(p.weight * i.idf) AS score
        FROM search_posting AS p JOIN ({idf}) AS i ON i.lexeme = p.lexeme
        WHERE ({where}) AND p.story_id IN (SELECT story_id FROM matched) GROUP BY p.story_id
    """


def _fallback_distance(word: str) -> int:
    """Edits allowed when nothing matched as typed: one for short words, two for long ones."""
    return 1 if len(fold(word)) <= 5 else 2
