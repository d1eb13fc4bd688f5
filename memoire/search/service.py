"""Search service: the one place that talks to the search backend.

Reading: `search` asks the backend for story ids with the viewer's access tokens,
then loads the stories from the database with the visibility rule applied again,
in rank order, and turns character spans into escaped snippets.

Writing: index work rows are written in the same transaction as each change
(`tracking.py`); `process_pending` applies them under the backend's writer lock,
reading the stories only once it holds the lock, and deletes the rows it applied.
The index is not transactional: a crash between applying and deleting the rows
just applies them again, which changes nothing.
"""

from __future__ import annotations

import logging
import math
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace

from flask import current_app, has_request_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from memoire.extensions import db
from memoire.media.models import Media
from memoire.places import geo
from memoire.places.models import Place
from memoire.search import documents, tracking
from memoire.search.backend import (
    FACET_NAMES,
    IndexBusy,
    SearchBackend,
    SearchQuery,
    SearchResults,
    batched,
)
from memoire.search.models import IndexWork
from memoire.search.query import parse_params
from memoire.search.snippets import highlight
from memoire.stories.models import Person, Story, StoryPlace, Theme
from memoire.stories.visibility import viewer_tokens, visible_clause
from memoire.transcripts.models import Transcript, TranscriptChapter, TranscriptSegment
from memoire.transcripts.operations import chapter_index_text, index_text

log = logging.getLogger(__name__)

_EXTENSION = "memoire.search"
_backend_lock = threading.Lock()
#: Index work rows applied per batch.
BATCH_SIZE = 500
#: How long `memoire index process` and `rebuild` wait for the writer lock.
CLI_LOCK_WAIT = 120.0
#: Stories read at a time when a bulk run (`memoire import`) applies its index work.
BULK_EVERY = 500
#: Lines from which a bulk run feeds its writer as it goes (Whoosh's multiprocess writer
#: starts at the same size: below it, nothing would run beside the import).
FEED_FROM = 2000
#: Index work rows one application reads during a bulk run (a story leaves several).
BULK_BATCH_SIZE = 20_000
#: Most hits the map of a search shows.
MAP_LIMIT = 500
#: Place types listed in the place facet (a story in a street counts under its quartier).
FACET_PLACE_TYPES = ("commune", "quartier")


# --- the backend --------------------------------------------------------------------------


def backend() -> SearchBackend:
    """The app's search backend, made on first use as MEMOIRE_SEARCH says (`factory.py`)."""
    app = current_app._get_current_object()
    found = app.extensions.get(_EXTENSION)
    if found is not None:
        return found
    with _backend_lock:
        found = app.extensions.get(_EXTENSION)
        if found is None:
            from memoire.search.factory import make_backend

            found = make_backend(app)
            app.extensions[_EXTENSION] = found
    return found


def ensure_index() -> None:
    """Create the index if it does not exist yet."""
    backend().ensure()


# --- keeping the index true ---------------------------------------------------------------


def process_pending(
    limit: int | None = None, *, timeout: float | None = None, batch_size: int = BATCH_SIZE
) -> int:
    """Apply pending index work; return how many work rows were applied.

    Stops when the writer lock is busy (the holder applies the work). Work that fails
    stays pending with its error in `IndexWork.last_error`.
    """
    applied = 0
    while limit is None or applied < limit:
        size = batch_size if limit is None else min(batch_size, limit - applied)
        try:
            fetched, done = _process_batch(size, timeout)
        except IndexBusy:
            break
        applied += done
        if fetched < size or done == 0:  # the queue is empty, or what is left fails
            break
    return applied


def _claim(session: Session, size: int | None) -> list:
    """The oldest `size` work rows (all when None) that no other writer is applying."""
    claim = select(IndexWork.id, IndexWork.story_id, IndexWork.purge).order_by(IndexWork.id)
    if size is not None:
        claim = claim.limit(size)
    if session.get_bind().dialect.name == "postgresql":
        # Several workers: each claims rows the others are not applying; the row
        # locks are held until the rows are deleted (or the transaction ends).
        return session.execute(claim.with_for_update(skip_locked=True)).all()
    rows = session.execute(claim).all()
    session.commit()
    return rows


def _process_batch(size: int, timeout: float | None) -> tuple[int, int]:
    """(work rows read, work rows applied) for the oldest `size` rows."""
    with Session(db.engine) as session:
        rows = _claim(session, size)
        return len(rows), (_apply_rows(session, rows, timeout) if rows else 0)


def apply_all_pending(batch_size: int = BULK_EVERY, *, timeout: float | None = None) -> int:
    """Apply every pending work row through one backend writer, `batch_size` stories read
    at a time, and delete the rows once the index took them all (a crash leaves them
    pending). Returns the rows applied; 0 when something failed, the rows then left to
    `process_pending`, which isolates the story at fault."""
    search_backend = backend()
    with Session(db.engine) as session:
        rows = _claim(session, None)
        if not rows:
            return 0
        story_ids = sorted({row.story_id for row in rows})
        try:
            with search_backend.exclusive(timeout):
                with search_backend.writer(size=len(story_ids)) as write:
                    # Read under the lock, as `_apply_rows` does: ours is the newest state.
                    _write_stories(session, write, story_ids, batch_size)
                if any(row.purge for row in rows):
                    search_backend.purge_deleted()
        except IndexBusy:
            session.rollback()
            raise
        except Exception:
            session.rollback()
            log.exception("index work of a bulk run not applied at once")
            return 0
        _delete_work(session, [row.id for row in rows])
        session.commit()
        return len(rows)


def _write_stories(session: Session, write, story_ids: list[int], batch_size: int) -> None:
    """Hand these stories to a backend writer, `batch_size` read at a time."""
    for ids in batched(story_ids, batch_size):
        write(*documents.build_documents(session, ids))
        session.expunge_all()  # memory stays flat over a large run


def _delete_work(session: Session, row_ids: list[int]) -> None:
    """Delete work rows the index took, a thousand at a time (bound parameters are limited)."""
    for ids in batched(row_ids, 1_000):
        session.execute(delete(IndexWork).where(IndexWork.id.in_(ids)))


def _apply_rows(session: Session, rows, timeout: float | None) -> int:
    """Apply these work rows and delete them; on failure, story by story, so that one
    story the index cannot take does not hold back the others."""
    search_backend = backend()
    try:
        with search_backend.exclusive(timeout):
            # Read the stories only now: a writer that held the lock before us may have
            # applied an older state, and ours must be the newer one.
            docs, gone = documents.build_documents(session, {row.story_id for row in rows})
            search_backend.apply(docs, gone)
            if any(row.purge for row in rows):
                search_backend.purge_deleted()
    except IndexBusy:
        session.rollback()
        raise
    except Exception as error:
        session.rollback()
        by_story: dict[int, list] = {}
        for row in rows:
            by_story.setdefault(row.story_id, []).append(row)
        if len(by_story) > 1:
            return sum(_apply_rows(session, group, timeout) for group in by_story.values())
        log.exception("index work for story %s failed", rows[0].story_id)
        session.execute(
            update(IndexWork)
            .where(IndexWork.id.in_([row.id for row in rows]))
            .values(attempts=IndexWork.attempts + 1, last_error=repr(error)[:2000])
        )
        session.commit()
        return 0
    session.execute(delete(IndexWork).where(IndexWork.id.in_([row.id for row in rows])))
    session.commit()
    return len(rows)


def failing_work() -> list[tuple[int, int, str]]:
    """(story id, attempts, last error) of the index work that keeps failing."""
    rows = db.session.execute(
        select(IndexWork.story_id, IndexWork.attempts, IndexWork.last_error)
        .where(IndexWork.last_error.is_not(None))
        .order_by(IndexWork.story_id)
    )
    return [(r.story_id, r.attempts, r.last_error) for r in rows]


def apply_pending_after_commit() -> None:
    """Apply recorded index work after a commit (embedded profile).

    Runs inside SQLAlchemy's after_commit event, where the committing session cannot
    emit SQL: it works in a session of its own. Failures are logged and the work stays
    pending for `memoire index process` or the next writer.
    """
    try:
        process_pending(timeout=float(current_app.config["MEMOIRE_INDEX_LOCK_TIMEOUT"]))
    except Exception:
        log.exception("index work left pending after commit")


class BulkIndexing:
    """Index work of a bulk run: fed to one writer while the run goes on (a large run),
    or applied once at its end through one writer (a small one)."""

    def __init__(self, every: int, expected: int | None = None) -> None:
        self.every = every
        self.lines = 0
        self.expected = expected
        # A large run feeds its stories to the writer every `every` lines: the backend
        # analyses them (Whoosh: in its writer's processes, on the other cores) while the
        # next lines are read, instead of all of them after the last line, on one core.
        self.feeding = expected is not None and expected >= FEED_FROM
        self._writer: ExitStack | None = None
        self._write = None
        self._seen = 0  # the last work row read
        self._fed_rows: list[int] = []
        self._fed_stories: set[int] = set()
        self._purge = False

    def line_done(self) -> None:
        """One line committed (or rolled back): its work rows wait for the next feed."""
        self.lines += 1
        if self.feeding and self.lines % self.every == 0:
            self._feed()

    def _feed(self) -> None:
        """Give the writer the stories of the work recorded since the last feed. A story
        fed once is not fed again by this writer (Whoosh would keep both copies): a later
        change to it stays pending and is applied after the writer committed."""
        try:
            with Session(db.engine) as session:
                rows = session.execute(
                    select(IndexWork.id, IndexWork.story_id, IndexWork.purge)
                    .where(IndexWork.id > self._seen).order_by(IndexWork.id)
                ).all()
                if not rows:
                    return
                if self._writer is None:
                    search_backend = backend()
                    stack = ExitStack()
                    stack.enter_context(search_backend.exclusive(CLI_LOCK_WAIT))
                    self._write = stack.enter_context(
                        search_backend.writer(size=self.expected, beside=True)
                    )
                    self._writer = stack
                self._seen = rows[-1].id
                fresh = [row for row in rows if row.story_id not in self._fed_stories]
                story_ids = sorted({row.story_id for row in fresh})
                _write_stories(session, self._write, story_ids, self.every)
                self._fed_stories.update(story_ids)
                self._fed_rows += [row.id for row in fresh]
                self._purge = self._purge or any(row.purge for row in fresh)
        except IndexBusy:
            log.warning("index work of a bulk run left for its end: the writer lock is busy")
            self._stop_feeding(*sys.exc_info())
        except Exception:
            log.exception("index work of a bulk run left for its end")
            self._stop_feeding(*sys.exc_info())

    def _stop_feeding(self, *exc_info) -> None:
        """The writer is cancelled; every row stays pending for the end of the run."""
        self.feeding = False
        self._fed_rows, self._fed_stories = [], set()
        writer, self._writer = self._writer, None
        if writer is not None:
            try:
                writer.__exit__(*exc_info)
            except Exception:
                log.exception("the writer of a bulk run could not be cancelled")

    def _commit_fed(self) -> None:
        """Feed what is left, commit the writer, then delete the rows it took."""
        self._feed()
        writer, self._writer = self._writer, None
        if writer is None:
            return
        try:
            writer.close()
            if self._purge:
                backend().purge_deleted()
        except Exception:
            log.exception("the writer of a bulk run did not commit: its work stays pending")
            return
        with Session(db.engine) as session:
            _delete_work(session, self._fed_rows)
            session.commit()

    def apply(self) -> None:
        if self.feeding:
            self._commit_fed()
        try:
            # One writer for what is left, `every` stories read at a time; what it could
            # not take (a story the index refuses) goes through the usual batches.
            apply_all_pending(self.every, timeout=CLI_LOCK_WAIT)
            process_pending(timeout=CLI_LOCK_WAIT, batch_size=BULK_BATCH_SIZE)
        except Exception:
            log.exception("index work of a bulk run left pending")

    def finish(self) -> None:
        self.apply()
        if not self.lines:
            return
        try:
            backend().compact()
        except IndexBusy:
            log.warning("index not compacted after a bulk run: the writer lock is busy")
        except Exception:
            log.exception("index not compacted after a bulk run")


@contextmanager
def bulk_indexing(every: int | None = None, expected: int | None = None) -> Iterator[BulkIndexing]:
    """Apply the index work of a bulk run in one writer instead of after every commit.

    Each line of an import still commits on its own, with its index work rows; applying
    them after every commit opened a writer per line (a few stories per second), and
    applying them every few hundred lines wrote as many Whoosh segments, merged again
    and again and once more at the end: most of the run. One writer takes the work of
    every line instead: for a run of `expected` lines or more (FEED_FROM), fed every
    `every` lines as the run goes; for a smaller one, at its end, `every` stories read at
    a time. The rows go only once the writer committed (a crash leaves them for
    `memoire index process`); then the index is compacted (Whoosh: merged into one
    segment if the run was not the first to write it, as a rebuild leaves it;
    PostgreSQL: planner statistics refreshed).
    """
    session = db.session
    previous = session.info.get(tracking.BULK_FLAG)
    session.info[tracking.BULK_FLAG] = True
    bulk = BulkIndexing(every or BULK_EVERY, expected)
    try:
        yield bulk
    except BaseException:
        bulk._stop_feeding(*sys.exc_info())
        raise
    finally:
        if previous is None:
            session.info.pop(tracking.BULK_FLAG, None)
        bulk.finish()


def rebuild() -> int:
    """Rebuild the whole index from the database and swap it in; return the story count."""
    search_backend = backend()
    with Session(db.engine) as session:
        with search_backend.exclusive(timeout=CLI_LOCK_WAIT):
            # Work recorded before this point is covered by the documents read below.
            covered = list(session.scalars(select(IndexWork.id)))
            size = session.scalar(select(func.count()).select_from(Story))
            count = search_backend.rebuild(documents.iter_documents(session), size=size)
        if covered:
            session.execute(delete(IndexWork).where(IndexWork.id.in_(covered)))
        session.commit()
    # Changes committed while the rebuild ran left work rows: apply them to the new index.
    process_pending(timeout=CLI_LOCK_WAIT)
    # Only now, with no transaction of ours open: PostgreSQL's VACUUM could not mark the
    # new rows visible to every transaction while the session above still read (ranking
    # then read every posting from the table: 57 ms against 35 ms per search at 20,000
    # stories). Whoosh: a rebuilt index is one segment already.
    search_backend.compact()
    return count


@dataclass
class Drift:
    """Differences between the database and the index."""

    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    extra: list[int] = field(default_factory=list)  # in the index, gone from the database
    stale: list[int] = field(default_factory=list)  # indexed from an older state
    pending: list[int] = field(default_factory=list)  # with index work not applied yet

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def verify() -> Drift:
    """Compare every story's document with what the index holds."""
    versions = backend().document_versions()
    drift = Drift()
    with Session(db.engine) as session:
        pending = set(session.scalars(select(IndexWork.story_id)))
        seen: set[int] = set()
        for document in documents.iter_documents(session):
            story_id = document["id"]
            seen.add(story_id)
            indexed = versions.get(story_id)
            if story_id in pending:
                continue
            if indexed is None:
                drift.missing.append(story_id)
            elif indexed != document["version"]:
                drift.stale.append(story_id)
        drift.extra = sorted(set(versions) - seen - pending)
        drift.pending = sorted(pending)
    return drift


# --- searching ----------------------------------------------------------------------------


@dataclass
class SegmentResult:
    """Where in a recording the words are: a segment, or a chapter (`chapter_id` set,
    `segment_id` None, `chapter` its title) that starts at `start`."""

    segment_id: int | None
    start: float | None
    end: float | None
    speaker: str | None
    snippet: Markup
    url: str
    chapter_id: int | None = None
    chapter: str | None = None


@dataclass
class StoryResult:
    story: Story
    score: float
    url: str
    title: Markup
    snippet: Markup | None
    segments: list[SegmentResult]
    places: list[Place]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    type: str | None = None


@dataclass
class SearchPage:
    query: SearchQuery
    results: list[StoryResult]
    total: int
    facets: dict[str, list[FacetValue]]
    suggestion: str | None
    fuzzy: bool

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.query.per_page))


def story_url(story_id: int, t: float | None = None) -> str:
    """The story page, starting its recording at `t` seconds when given."""
    args = {} if t is None else {"t": int(t)}
    if has_request_context():
        return url_for("stories.show", story_id=story_id, **args)
    # Outside a request (CLI, jobs) there is no host to build on: a path, as the routes define it.
    return f"/stories/{story_id}" + (f"?t={args['t']}" if args else "")


def search(viewer, params: Mapping | SearchQuery) -> SearchPage:
    """Search what `viewer` may see; `params` are URL parameters or a SearchQuery.

    Raises ValidationError (a message for people) when the parameters cannot be used.
    """
    query = params if isinstance(params, SearchQuery) else parse_params(params)
    results = backend().search(query, viewer_tokens(viewer))
    return SearchPage(
        query=query,
        results=_rehydrate(viewer, results),
        total=results.total,
        facets=_label_facets(query, results.facets) if query.facets else {},
        suggestion=results.suggestion,
        fuzzy=results.fuzzy,
    )


def _load_visible(viewer, story_ids: list[int]) -> dict[int, Story]:
    """The stories among `story_ids` that `viewer` may see, by id."""
    if not story_ids:
        return {}
    stories = db.session.scalars(
        select(Story)
        .where(Story.id.in_(story_ids), visible_clause(viewer))
        .options(
            selectinload(Story.place_links).selectinload(StoryPlace.place),
            # Hits are shown with their first photo's thumbnail (the page's map, exports'
            # cards): loaded here at once, not one query per hit and per photo (on
            # PostgreSQL a round trip each, 18 ms of a 20-hit page).
            selectinload(Story.media).selectinload(Media.derivatives),
        )
    )
    return {story.id: story for story in stories}


def _load_segments(segment_ids: set[int]) -> dict[int, tuple[TranscriptSegment, int]]:
    """Segments by id, with the story each belongs to (checked against the hit)."""
    if not segment_ids:
        return {}
    rows = db.session.execute(
        select(TranscriptSegment, Transcript.story_id)
        .join(Transcript, TranscriptSegment.transcript_id == Transcript.id)
        .where(TranscriptSegment.id.in_(segment_ids))
    )
    return {segment.id: (segment, story_id) for segment, story_id in rows}


def _load_chapters(chapter_ids: set[int]) -> dict[int, tuple[TranscriptChapter, int]]:
    """Chapters by id, with the story each belongs to (checked against the hit)."""
    if not chapter_ids:
        return {}
    rows = db.session.execute(
        select(TranscriptChapter, Transcript.story_id)
        .join(Transcript, TranscriptChapter.transcript_id == Transcript.id)
        .where(TranscriptChapter.id.in_(chapter_ids))
    )
    return {chapter.id: (chapter, story_id) for chapter, story_id in rows}


def _chapter_result(story: Story, chapter: TranscriptChapter, spans) -> SegmentResult:
    return SegmentResult(
        segment_id=None,
        start=chapter.start,
        end=None,
        speaker=None,
        snippet=highlight(chapter_index_text(chapter), spans),
        url=story_url(story.id, chapter.start),
        chapter_id=chapter.id,
        chapter=chapter.title,
    )


def _rehydrate(viewer, results: SearchResults) -> list[StoryResult]:
    """Stories in rank order, visibility applied again; hits the viewer may not see are dropped."""
    stories = _load_visible(viewer, [hit.story_id for hit in results.hits])
    wanted = [s for hit in results.hits if hit.story_id in stories for s in hit.segments]
    segments = _load_segments({s.segment_id for s in wanted if s.segment_id is not None})
    chapters = _load_chapters({s.chapter_id for s in wanted if s.chapter_id is not None})
    found = []
    for hit in results.hits:
        story = stories.get(hit.story_id)
        if story is None:
            continue
        segment_results = []
        for segment_hit in hit.segments:
            if segment_hit.chapter_id is not None:
                chapter, owner = chapters.get(segment_hit.chapter_id, (None, None))
                if chapter is not None and owner == story.id:
                    segment_results.append(_chapter_result(story, chapter, segment_hit.spans))
                continue
            segment, owner = segments.get(segment_hit.segment_id, (None, None))
            if segment is None or owner != story.id:
                continue
            segment_results.append(
                SegmentResult(
                    segment_id=segment.id,
                    start=segment.start,
                    end=segment.end,
                    speaker=segment.speaker,
                    snippet=highlight(index_text(segment), segment_hit.spans),
                    url=story_url(story.id, segment.start),
                )
            )
        body_spans = hit.spans.get("body", [])
        body = documents.body_text(story)
        snippet = (
            highlight(body, body_spans) if body and (body_spans or not segment_results) else None
        )
        found.append(
            StoryResult(
                story=story,
                score=hit.score,
                url=story_url(story.id),
                title=highlight(
                    documents.title_text(story), hit.spans.get("title", []), width=None
                ),
                snippet=snippet,
                segments=segment_results,
                places=geo.places_for(viewer, story),
            )
        )
    return found


def _label_facets(
    query: SearchQuery, counts: dict[str, dict[str, int]]
) -> dict[str, list[FacetValue]]:
    """Facet values with labels from the database, most frequent first."""
    chosen = {name: {str(v) for v in values} for name, values in query.filters.items()}
    locale = str(get_locale() or "fr")
    labelled: dict[str, list[FacetValue]] = {}
    for name in FACET_NAMES:
        values = counts.get(name, {})
        labels, types = _facet_labels(name, list(values), locale)
        entries = [
            FacetValue(
                value=value,
                label=labels[value],
                count=count,
                selected=value in chosen.get(name, set()),
                type=types.get(value),
            )
            for value, count in values.items()
            if value in labels
        ]
        entries.sort(key=lambda e: (-e.count, e.label))
        labelled[name] = entries
    return labelled


def _facet_labels(
    name: str, values: list[str], locale: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Labels (and place types) of facet values; values without a label are not shown."""
    if not values:
        return {}, {}
    # Plain rows, not ORM objects: a search shows up to FACET_LIMIT values of each facet.
    if name == "place":
        ids = [int(v) for v in values if (v.isascii() and v.isdigit())]
        rows = db.session.execute(
            select(Place.id, Place.name, Place.type).where(
                Place.id.in_(ids), Place.type.in_(FACET_PLACE_TYPES)
            )
        ).all()
        return {str(r.id): r.name for r in rows}, {str(r.id): r.type for r in rows}
    if name == "theme":
        rows = db.session.execute(
            select(Theme.slug, Theme.name, Theme.names).where(Theme.slug.in_(values))
        )
        return {r.slug: (r.names or {}).get(locale) or r.name for r in rows}, {}
    if name == "narrator":
        ids = [int(v) for v in values if (v.isascii() and v.isdigit())]
        rows = db.session.execute(select(Person.id, Person.display_name).where(Person.id.in_(ids)))
        return {str(r.id): r.display_name for r in rows}, {}
    if name in ("organisation", "workshop"):
        from memoire.network.models import Organisation, Workshop

        model, label = (
            (Organisation, Organisation.name)
            if name == "organisation"
            else (Workshop, Workshop.title)
        )
        ids = [int(v) for v in values if (v.isascii() and v.isdigit())]
        rows = db.session.execute(select(model.id, label).where(model.id.in_(ids)))
        return {str(r[0]): r[1] for r in rows}, {}
    if name == "decade":
        return {v: _("%(decade)ss", decade=v) for v in values}, {}
    if name == "kind":
        from memoire.web.templating import kind_label

        return {v: kind_label(v) for v in values}, {}
    return {v: v for v in values}, {}


def search_story_ids(viewer, q: str, limit: int = MAP_LIMIT) -> list[int]:
    """Ids of the stories matching `q` that `viewer` may see, best first (for the map)."""
    query = replace(parse_params({"q": q}), per_page=limit, facets=False, highlights=False)
    results = backend().search(query, viewer_tokens(viewer))
    ids = [hit.story_id for hit in results.hits]
    visible = set(
        db.session.scalars(select(Story.id).where(Story.id.in_(ids), visible_clause(viewer)))
    )
    return [i for i in ids if i in visible]


def features_for(viewer, stories: list[Story]) -> dict:
    """GeoJSON points of these stories, where `viewer` may see them (coarsened per precision)."""
    from memoire.stories.presenters import feature_collection, story_feature

    return feature_collection(story_feature(viewer, story) for story in stories)
