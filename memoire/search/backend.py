"""The search backend interface: what the service needs from an index, whatever engine holds it.

The embedded profile implements it with Whoosh (`whoosh_backend.py`); the PostgreSQL
profile implements the same methods with full-text search in the database.

Contract, for whoever writes a backend:

- Documents are plain dicts built by `memoire.search.documents.story_document`; the
  backend maps them onto its own fields and never decides what is indexed.
- `search` filters every query on the viewer's access tokens (a document is visible
  when it holds one of them), and so do its totals, facet counts and suggestions.
  The service still rehydrates hits from the database with the visibility rule.
- Hits carry character spans, not HTML: spans in the story's title and body text
  (`documents.title_text`, `documents.body_text`) and, per matching transcript
  segment, spans in that segment's indexed text (`transcripts.operations.index_text`);
  the same for a matching chapter (`chapter_index_text`), with `chapter_id` set.
  The service turns them into escaped snippets with `<mark>`.
- `apply` is idempotent (re-applying a document or a deletion changes nothing) and is
  called inside `exclusive()`, which serialises writers across processes and raises
  `IndexBusy` when the lock is not free within the timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

#: Sort orders the search accepts.
SORTS = ("relevance", "oldest", "newest", "added")
#: Facets every backend counts, in the order pages show them.
FACET_NAMES = (
    "place", "theme", "decade", "kind", "language", "narrator", "organisation", "workshop",
)  # fmt: skip
#: Facets counted over public, published matches only, whoever searches: a workshop's or a
#: house's name must never appear, nor its count grow, because of a story the public may
#: not see (the network's pages show the same public counts).
PUBLIC_FACETS = frozenset({"organisation", "workshop"})
#: The access token every public, published story holds (`visibility.access_tokens`).
PUBLIC_TOKEN = "public"


class IndexBusy(Exception):
    """Another writer holds the index; the work stays pending for the next one."""


@dataclass(frozen=True)
class SearchQuery:
    """A validated search: the words typed, the filters chosen, the page wanted."""

    text: str = ""
    places: tuple[int, ...] = ()
    themes: tuple[str, ...] = ()
    decades: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    narrators: tuple[int, ...] = ()
    organisations: tuple[int, ...] = ()
    workshops: tuple[int, ...] = ()
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    facets: bool = True
    highlights: bool = True
    segments_per_hit: int = 3
    # Retry with fuzzy matching when the words as typed find nothing.
    fuzzy_fallback: bool = True

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def filters(self) -> dict[str, tuple]:
        """Chosen facet values, by facet name."""
        return {
            "place": self.places,
            "theme": self.themes,
            "decade": self.decades,
            "kind": self.kinds,
            "language": self.languages,
            "narrator": self.narrators,
            "organisation": self.organisations,
            "workshop": self.workshops,
        }


@dataclass
class SegmentHit:
    """A transcript segment where the words were said, or a chapter that speaks of them
    (`chapter_id` set, `segment_id` None); spans are in its indexed text."""

    segment_id: int | None
    score: float
    spans: list[tuple[int, int]] = field(default_factory=list)
    chapter_id: int | None = None


@dataclass
class Hit:
    story_id: int
    score: float
    # "title" and "body" → character spans of the matched words in those texts.
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    segments: list[SegmentHit] = field(default_factory=list)


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    # facet name → {value: count}, counted over the visible matches only (PUBLIC_FACETS:
    # over the public ones only).
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    # True when the words as typed found nothing and the hits are approximate matches.
    fuzzy: bool = False


class SearchBackend(Protocol):
    def ensure(self) -> None:
        """Create the index if there is none."""

    def exclusive(self, timeout: float | None = None) -> AbstractContextManager[None]:
        """Hold the single-writer lock (re-entrant); raise IndexBusy after `timeout` seconds."""

    def apply(self, documents: list[dict], deleted_ids: list[int]) -> None:
        """Add or replace these documents and remove these story ids."""

    def writer(
        self, size: int | None = None, *, beside: bool = False
    ) -> AbstractContextManager[Callable[[list[dict], list[int]], None]]:
        """An `apply` for many batches whose changes the index takes once, when the block
        ends without error (a bulk run's work); each story at most once per block. `size`:
        how many stories will come, when known. `beside`: the caller goes on working
        between batches (a bulk import fed as it reads), so the index's own work should
        run beside it rather than compete with it."""

    def search(self, query: SearchQuery, tokens: list[str]) -> SearchResults:
        """Hits, total, facets and suggestion among the documents holding one of `tokens`."""

    def suggest(self, text: str, tokens: list[str]) -> str | None:
        """The query with misspelt words replaced by words the viewer may see, or None."""

    def purge_deleted(self) -> None:
        """Make deleted or replaced documents' text unrecoverable from the index's storage."""
        ...

    def compact(self) -> None:
        """Bring the index back to the shape a rebuild gives it, after a bulk run or a rebuild
        (PostgreSQL: vacuumed, so that postings are read from their index alone)."""
        ...

    def document_versions(self) -> dict[int, str]:
        """Story id → version of the document in the index, for `verify`."""

    def rebuild(self, documents: Iterable[dict], size: int | None = None) -> int:
        """Build a fresh index from `documents` and swap it in at once; return the count."""

    def close(self) -> None:
        """Release open files."""


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Lists of up to `size` items, so that large archives are read and written in slices."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
