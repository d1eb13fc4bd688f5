"""The embedded profile's index, in Whoosh: the only module that opens a Whoosh writer.

Layout of MEMOIRE_INDEX_DIR:

    CURRENT          name of the index folder in use (replaced atomically with os.replace)
    WRITELOCK        file lock held by the single writer (apply, rebuild)
    REBUILDING       present during a rebuild: writers after a commit do not wait for it
    gen-<id>/        one complete Whoosh index per rebuild

A rebuild writes a new `gen-*` folder and then points CURRENT at it, so searches go
on reading the old folder until the swap. One story is one document: its transcript
is one field whose character offsets map back to segments (`segments_<lang>`), so a
hit in an interview leads to the second the words were said without indexing every
segment twice.

Searches borrow a searcher from a small pool (reopened only when the index changed),
so file descriptors stay flat. Totals, facets and filters work on sets of document numbers, computed from
per-segment caches of each document's facet values; a segment's cache lives as long
as the segment. Hits are ranked by BM25F over statistics of the public stories only
(`_PublicBM25F`): a hidden story moves no visible score.
"""

from __future__ import annotations

import bisect
import logging
import math
import multiprocessing
import os
import pickle
import re
import shutil
import threading
import time
import uuid
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain, islice
from pathlib import Path

from whoosh import fields, index, scoring
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.formats import Existence
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import TermNotFound
from whoosh.support.levenshtein import levenshtein
from whoosh.util.filelock import FileLock
from whoosh.writing import PostingPool

from memoire.search import whoosh_query
from memoire.search.analysis import (
    ANALYSIS_LANGUAGES,
    WORD_PATTERN,
    fold,
    name_analyzer,
    spelling_analyzer,
    text_analyzer,
    words,
)
from memoire.search.backend import (
    PUBLIC_FACETS,
    PUBLIC_TOKEN,
    Hit,
    IndexBusy,
    SearchQuery,
    SearchResults,
    SegmentHit,
)
from memoire.search.query import OPERATOR_WORDS

log = logging.getLogger(__name__)


def _cached_lengths_reader(self, fieldname, column):
    """whoosh-reloaded 2.7.5 caches a segment's length columns but not their absence: a
    field without lengths (ids, facets) asked for a document's length looked for the
    file again each time, one stat() per posting when a multiprocess writer merged its
    segments (600,000 for 2,000 stories). A segment's files never change once written,
    so the answer "no such column" is kept as well."""
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


W3PerDocReader._cached_reader = _cached_lengths_reader

#: Postings pickled together in a writer's sorted runs (see `_write_run`).
RUN_CHUNK = 4096


def _write_run(self, f, items) -> None:
    """Write a sorted run of postings, RUN_CHUNK postings to a pickle. whoosh-reloaded
    2.7.5 pickles each posting on its own and reads each back the same way: a Python call
    per posting and per direction, about a fifth of a writer's time once its postings
    outgrow memory (every posting of a bulk import does). Runs are temporary files of
    one writer, read by `_read_run` below (in its process or, for a multiprocess writer,
    the one that started it), which also reads Whoosh's own format."""
    items = iter(items)
    while chunk := list(islice(items, RUN_CHUNK)):
        pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
    f.close()


def _read_run(self, path):
    """The postings of a run, in order; the file goes once read. A run Whoosh's own code
    wrote (one posting, a tuple, per pickle) reads as well as ours (lists): a writer
    process started without memoire's modules (the "spawn" and "forkserver" ways of
    starting processes, Python 3.14's default on Linux) writes its runs unpatched."""
    f = self._open_run(path)
    try:
        while True:
            try:
                chunk = pickle.load(f)
            except EOFError:
                return
            if isinstance(chunk, list):
                yield from chunk
            else:
                yield chunk
    finally:
        f.close()
        self._remove_run(path)


PostingPool._write_run = _write_run
PostingPool._read_run = _read_run


#: A multiprocess writer's job holding a story's document (`story_document`), not yet its
#: field values (Whoosh's own jobs, code 0, hold field values).
STORY_JOB = 1


class _StoryTask(SubWriterTask):
    """A writer process that also turns each story's document into field values.

    `to_fields` (the spelling vocabulary above all) was an eighth of a bulk import's own
    process and as much of a rebuild's; done here, it runs on the core that analyses."""

    def _process_file(self, filename, doc_count):
        writer = self.writer
        storage = writer.temp_storage()
        with storage.open_file(filename).raw_file() as f:
            for _ in range(doc_count):
                code, args = pickle.load(f)
                writer.add_document(**(to_fields(args) if code == STORY_JOB else args))
        storage.delete_file(filename)


class _StoryWriter(MpWriter):
    """Whoosh's multiprocess writer, fed stories' documents (`add_story`)."""

    def _new_task(self):
        task = _StoryTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                          self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def add_story(self, document: dict, *, replace: bool = False) -> None:
        if replace:
            # What update_document does: the story's committed copy goes (the field is unique).
            self.delete_by_term("sid", str(document["id"]))
        self.docbuffer.append((STORY_JOB, document))
        if not self._grouping and len(self.docbuffer) >= self.batchsize:
            self._enqueue()
        self._added_sub = True


def _add_story(writer, document: dict, *, replace: bool = False) -> None:
    """Write a story's document, replacing its committed copy when `replace`."""
    if isinstance(writer, _StoryWriter):
        writer.add_story(document, replace=replace)
    elif replace:
        writer.update_document(**to_fields(document))
    else:
        writer.add_document(**to_fields(document))


class _BesideWriter(_StoryWriter):
    """Whoosh's multiprocess writer, whose caller never waits to hand over a batch.

    MpWriter holds four batches in its queue and makes the caller wait for room: a bulk
    import feeding it would stand still while the analysing process caught up (oral
    histories come first in a file and take longest to analyse). The batches are files
    on disk and the queue holds their names: it may grow."""

    def __init__(self, ix, **options) -> None:
        super().__init__(ix, **options)
        self.jobqueue = multiprocessing.Queue()


def _cancel(writer) -> None:
    """Cancel a writer. A multiprocess writer's processes wait for batches that will never
    come (Whoosh's cancel does not tell them), and this process would wait for them at its
    exit: they are stopped first."""
    for task in getattr(writer, "tasks", ()):
        task.terminate()
        task.join()
    writer.cancel()

# 2: organisation and workshop facets.
SCHEMA_VERSION = "2"
POINTER = "CURRENT"
LOCK_FILE = "WRITELOCK"
#: Present while a rebuild holds the writer lock (ignored once the lock is free again).
REBUILD_MARKER = "REBUILDING"
GENERATION_PREFIX = "gen-"
SEARCHER_POOL_SIZE = 4
WRITER_LIMIT_MB = 128
#: Documents from which a writer analyses them in several processes (`_big_writer`),
#: and how many go to a process at a time.
PARALLEL_FROM = 2000
PARALLEL_BATCH = 100
#: How long a rebuild waits for the writer lock (a request's writer holds it briefly).
REBUILD_LOCK_WAIT = 120.0
NO_PERIOD = 0  # column value for stories without a period (years are 1800–2100)
#: Facet name → Whoosh field holding its values.
FACET_FIELDS = {
    "place": "place_id",
    "theme": "theme_slug",
    "decade": "decade",
    "kind": "kind",
    "language": "story_language",
    "narrator": "narrator_id",
    "organisation": "organisation_id",
    "workshop": "workshop_id",
}
_VALUE_FIELDS = (*FACET_FIELDS.values(), "point")
_WORD_IN_QUERY = re.compile(rf"({WORD_PATTERN})([:*~]?)")
#: Near words a misspelt word is searched with.
NEAR_WORDS = 4
#: How many values of each facet are returned, most frequent first.
FACET_LIMIT = 50


def build_schema() -> fields.Schema:
    """The index's fields; see `documents.story_document` for what fills them."""
    spelling = fields.FieldType(
        format=Existence(), analyzer=spelling_analyzer(), scorable=False, stored=False
    )
    spec: dict[str, fields.FieldType] = {
        "sid": fields.ID(stored=True, unique=True),
        "story_id": fields.NUMERIC(int, bits=64, sortable=True),
        "version": fields.ID(sortable=True),
        "access": fields.KEYWORD(scorable=False),
        "place": fields.TEXT(analyzer=text_analyzer("fr")),
        "theme": fields.TEXT(analyzer=text_analyzer("fr")),
        "narrator": fields.TEXT(analyzer=name_analyzer()),
        "spell": spelling,
        "point": fields.KEYWORD(scorable=False),
        "period_start": fields.NUMERIC(int, sortable=True, default=NO_PERIOD),
        "added": fields.NUMERIC(int, bits=64, sortable=True),
    }
    for field_name in FACET_FIELDS.values():
        spec[field_name] = fields.KEYWORD(scorable=False)
    for language in ANALYSIS_LANGUAGES:
        analyzer = text_analyzer(language)
        spec[f"title_{language}"] = fields.TEXT(analyzer=analyzer, chars=True)
        spec[f"body_{language}"] = fields.TEXT(analyzer=analyzer, chars=True)
        spec[f"transcript_{language}"] = fields.TEXT(analyzer=analyzer, chars=True)
        spec[f"segments_{language}"] = fields.STORED()
    return fields.Schema(**spec)


def _spelling_words(document: dict) -> str:
    """Each surface word of the document once: the vocabulary "did you mean" draws from."""
    texts = [document["title"], document["body"], *document["places"], *document["themes"]]
    texts += document["narrators"]
    texts += [t["text"] for t in document["transcripts"].values()]
    unique: set[str] = set()
    for text in texts:
        unique.update(words(fold(text)))
    return " ".join(sorted(unique))


def to_fields(document: dict) -> dict:
    """Whoosh field values for a `story_document`."""
    language = document["language"]
    values = {
        "sid": str(document["id"]),
        "story_id": document["id"],
        "version": document["version"],
        "access": " ".join(document["access"]),
        f"title_{language}": document["title"],
        f"body_{language}": document["body"],
        "place": "\n".join(document["places"]),
        "theme": "\n".join(document["themes"]),
        "narrator": "\n".join(document["narrators"]),
        "spell": _spelling_words(document),
        "point": " ".join(f"{lat:.6f},{lon:.6f}" for lat, lon in document["points"]),
        "period_start": document["period_start"] or NO_PERIOD,
        "added": document["added"],
        "place_id": " ".join(str(i) for i in document["place_ids"]),
        "theme_slug": " ".join(document["theme_slugs"]),
        "narrator_id": " ".join(str(i) for i in document["narrator_ids"]),
        "organisation_id": " ".join(str(i) for i in document["organisation_ids"]),
        "workshop_id": " ".join(str(i) for i in document["workshop_ids"]),
        "kind": document["kind"],
        "story_language": document["story_language"],
    }
    if document["decade"] is not None:
        values["decade"] = str(document["decade"])
    for lang, transcript in document["transcripts"].items():
        values[f"transcript_{lang}"] = transcript["text"]
        values[f"segments_{lang}"] = transcript["segments"]
    return {k: v for k, v in values.items() if v not in ("", None)}


class _SegmentData:
    """What one Whoosh segment says about each of its documents, read once per segment."""

    def __init__(self, reader) -> None:
        self.story_ids = (
            list(reader.column_reader("story_id")) if reader.has_column("story_id") else []
        )
        count = reader.doc_count_all()
        self.period = (
            list(reader.column_reader("period_start"))
            if reader.has_column("period_start")
            else [NO_PERIOD] * count
        )
        self.added = (
            list(reader.column_reader("added")) if reader.has_column("added") else [0] * count
        )
        self.values: dict[str, list] = {}
        for field_name in _VALUE_FIELDS:
            per_doc: list = [()] * count
            for btext in reader.lexicon(field_name):
                text = btext.decode("utf-8")
                for docnum in reader.postings(field_name, btext).all_ids():
                    per_doc[docnum] = (*per_doc[docnum], text)
            self.values[field_name] = per_doc
        self.points = [
            tuple(tuple(float(x) for x in p.split(",")) for p in values)
            for values in self.values.pop("point")
        ]
        self._term_docs: OrderedDict[tuple[str, str], frozenset[int]] = OrderedDict()
        self._lengths: dict[str, array] = {}
        self._lock = threading.Lock()

    def field_lengths(self, reader, field_name: str) -> array:
        """Each document's length in the field (its terms), read once per segment and field."""
        with self._lock:
            cached = self._lengths.get(field_name)
        if cached is None:
            # `or 0`: whoosh-reloaded answers None, not its default, for an empty field.
            cached = array(
                "I",
                (
                    reader.doc_field_length(docnum, field_name, 0) or 0
                    for docnum in range(reader.doc_count_all())
                ),
            )
            with self._lock:
                self._lengths[field_name] = cached
        return cached

    def term_docs(self, reader, field_name: str, text: str) -> frozenset[int]:
        """Documents of this segment holding the term (deleted ones may remain: intersect)."""
        key = (field_name, text)
        with self._lock:
            cached = self._term_docs.get(key)
            if cached is not None:
                self._term_docs.move_to_end(key)
                return cached
        try:
            docs = frozenset(reader.postings(field_name, text.encode("utf-8")).all_ids())
        except TermNotFound:
            docs = frozenset()
        with self._lock:
            self._term_docs[key] = docs
            if len(self._term_docs) > 4096:
                self._term_docs.popitem(last=False)
        return docs


class _View:
    """The documents of one reader (a set of segments with their deletions), by global number."""

    def __init__(self, leaves: list[tuple[_SegmentData, int]], live: set[int]) -> None:
        self.leaves = leaves
        self.live = live
        self.story_ids = list(chain.from_iterable(s.story_ids for s, _ in leaves))
        self.period = list(chain.from_iterable(s.period for s, _ in leaves))
        self.added = list(chain.from_iterable(s.added for s, _ in leaves))
        self.points = list(chain.from_iterable(s.points for s, _ in leaves))
        self.values = {
            name: list(chain.from_iterable(s.values[name] for s, _ in leaves))
            for name in FACET_FIELDS.values()
        }
        self._cache: OrderedDict[tuple, frozenset[int]] = OrderedDict()
        self._public_lengths: dict[str, float] = {}
        self._public_frequencies: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._lock = threading.Lock()

    def _readers(self, searcher) -> list:
        # The searcher's readers: a view outlives the searcher it was first built with.
        return [leaf for leaf, _ in searcher.reader().leaf_readers() if leaf.segment() is not None]

    def public(self, searcher) -> frozenset[int]:
        return self.docs_with_any(searcher, "access", [PUBLIC_TOKEN])

    def public_frequency(self, searcher, field_name: str, text: str) -> int:
        """How many public stories hold the term in the field (asked by each segment's scorer)."""
        key = (field_name, text)
        with self._lock:
            cached = self._public_frequencies.get(key)
        if cached is not None:
            return cached
        public, count = self.public(searcher), 0
        for (_, offset), reader in zip(self.leaves, self._readers(searcher), strict=True):
            # Counted from the postings, not kept as a set: a common word's would be large.
            try:
                ids = reader.postings(field_name, text.encode("utf-8")).all_ids()
            except TermNotFound:
                continue
            count += sum(1 for d in ids if d + offset in public)
        with self._lock:
            self._public_frequencies[key] = count
            if len(self._public_frequencies) > 4096:
                self._public_frequencies.popitem(last=False)
        return count

    def public_average_length(self, searcher, field_name: str) -> float:
        """The field's average length over public stories (0 where a story has no such field)."""
        with self._lock:
            cached = self._public_lengths.get(field_name)
        if cached is not None:
            return cached
        lengths = list(
            chain.from_iterable(
                segment.field_lengths(reader, field_name)
                for (segment, _), reader in zip(self.leaves, self._readers(searcher), strict=True)
            )
        )
        public = self.public(searcher)
        average = sum(map(lengths.__getitem__, public)) / len(public) if public else 0.0
        with self._lock:
            self._public_lengths[field_name] = average
        return average

    def docs_with_any(self, searcher, field_name: str, texts: Iterable[str]) -> frozenset[int]:
        """Live documents holding any of these terms (access tokens, facet values, words)."""
        key = (field_name, *sorted(texts))
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        docs: set[int] = set()
        for (segment, offset), reader in zip(self.leaves, self._readers(searcher), strict=True):
            for text in key[1:]:
                found = segment.term_docs(reader, field_name, text)
                docs.update(found if offset == 0 else (d + offset for d in found))
        result = frozenset(docs & self.live)
        with self._lock:
            self._cache[key] = result
            if len(self._cache) > 512:
                self._cache.popitem(last=False)
        return result

    def in_bbox(self, docnum: int, bbox: tuple[float, float, float, float]) -> bool:
        west, south, east, north = bbox
        return any(
            south <= lat <= north and west <= lon <= east for lat, lon in self.points[docnum]
        )


class _PublicBM25F(scoring.BM25F):
    """Whoosh's BM25F with its collection statistics counted over public stories only: how
    many there are, how many use a word, how long a field is on average. Counted over the
    whole index, a hidden story using a word moved the scores and the order of the stories
    a visitor sees, and so told what it says (tests/trust/test_leaks_scores.py). The rarity
    is PostgreSQL's (`postgres_backend._ranking`), over the same stories."""

    def __init__(self, view: _View, searcher) -> None:
        super().__init__()
        self.view = view
        self.searcher = searcher  # the top searcher, whose readers the view's segments are

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        return _PublicBM25FScorer(self, searcher, fieldname, text, qf)


class _PublicBM25FScorer(scoring.BM25FScorer):
    def __init__(self, model: _PublicBM25F, searcher, fieldname, text, qf=1) -> None:
        word = text.decode("utf-8") if isinstance(text, bytes) else text
        stories = len(model.view.public(model.searcher))
        using = model.view.public_frequency(model.searcher, fieldname, word)
        self.idf = math.log(1 + (max(stories, using) - using + 0.5) / (using + 0.5))
        self.avgfl = model.view.public_average_length(model.searcher, fieldname) or 1
        self.B = model._field_B.get(fieldname, model.B)
        self.K1 = model.K1
        self.qf = qf
        self.setup(searcher, fieldname, text)


class _PooledSearcher:
    def __init__(self, generation: str, searcher) -> None:
        self.generation = generation
        self.searcher = searcher


class WhooshBackend:
    """SearchBackend over a Whoosh index in `root` (see module docstring)."""

    def __init__(self, root: str | os.PathLike, lock_timeout: float = 2.0, procs: int = 1) -> None:
        self.root = Path(root)
        self.lock_timeout = lock_timeout
        self.procs = max(1, procs)
        self.schema = build_schema()
        self.parser = whoosh_query.make_parser(self.schema)
        self._local = threading.local()
        self._pool: list[_PooledSearcher] = []
        self._pool_size = 0
        self._pool_cond = threading.Condition()
        self._segments: dict[str, _SegmentData] = {}
        self._views: OrderedDict[tuple, _View] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._parsed: OrderedDict[str, wq.Query | None] = OrderedDict()

    # --- folders and locks ---------------------------------------------------------------

    def _current(self) -> str | None:
        try:
            name = (self.root / POINTER).read_text().strip()
        except FileNotFoundError:
            return None
        return name if name and (self.root / name).is_dir() else None

    def _point_to(self, name: str) -> None:
        temporary = self.root / f"{POINTER}.{uuid.uuid4().hex}"
        temporary.write_text(name + "\n")
        os.replace(temporary, self.root / POINTER)

    def _new_generation(self) -> tuple[str, index.Index]:
        name = f"{GENERATION_PREFIX}{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path = self.root / name
        path.mkdir(parents=True)
        (path / "SCHEMA_VERSION").write_text(SCHEMA_VERSION + "\n")
        return name, index.create_in(str(path), self.schema)

    def _open(self, name: str) -> index.Index:
        return index.open_dir(str(self.root / name), schema=self.schema)

    @contextmanager
    def exclusive(self, timeout: float | None = None) -> Iterator[None]:
        """The single-writer lock, across threads and processes; re-entrant in one thread."""
        if getattr(self._local, "depth", 0):
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        self.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.root / LOCK_FILE))
        deadline = time.monotonic() + (self.lock_timeout if timeout is None else timeout)
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise IndexBusy("the search index is being written by another process")
            if (self.root / REBUILD_MARKER).exists() and (timeout or 0) < REBUILD_LOCK_WAIT:
                # A rebuild holds the lock for minutes: a request does not wait for it.
                raise IndexBusy("the search index is being rebuilt")
            time.sleep(0.02)
        self._local.depth = 1
        try:
            yield
        finally:
            self._local.depth = 0
            lock.release()

    def ensure(self) -> None:
        if self._current() is not None:
            if not self.schema_is_current():
                log.warning("the search index has an older layout: run `memoire index rebuild`")
            return
        with self.exclusive(timeout=REBUILD_LOCK_WAIT):
            if self._current() is None:
                name, ix = self._new_generation()
                ix.close()
                self._point_to(name)

    def schema_is_current(self) -> bool:
        """False when the index was written by another version of the schema: rebuild it."""
        name = self._current()
        if name is None:
            return False
        marker = self.root / name / "SCHEMA_VERSION"
        return marker.exists() and marker.read_text().strip() == SCHEMA_VERSION

    # --- writing -------------------------------------------------------------------------

    def apply(self, documents: list[dict], deleted_ids: list[int]) -> None:
        if not documents and not deleted_ids:
            return
        with self.exclusive():
            self.ensure()
            ix = self._open(self._current())
            writer = ix.writer(timeout=self.lock_timeout, limitmb=WRITER_LIMIT_MB)
            try:
                for story_id in deleted_ids:
                    writer.delete_by_term("sid", str(story_id))
                for document in documents:
                    writer.update_document(**to_fields(document))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    @contextmanager
    def writer(
        self, size: int | None = None, *, beside: bool = False
    ) -> Iterator[Callable[[list[dict], list[int]], None]]:
        """One Whoosh writer for many batches, committed once without merging: the new
        documents make one segment, written as a rebuild writes it. A writer per batch
        merged its segment into the others again and again (each posting read back), and
        that was most of a bulk import's time. `size`: how many stories will come (a
        large run is analysed by several processes)."""
        with self.exclusive():
            self.ensure()
            ix = self._open(self._current())
            writer = self._big_writer(ix, size, beside=beside, timeout=self.lock_timeout)
            written: set[str] = set()

            def apply(documents: list[dict], deleted_ids: list[int]) -> None:
                for story_id in deleted_ids:
                    writer.delete_by_term("sid", str(story_id))
                for document in documents:
                    sid = str(document["id"])
                    if sid in written:
                        # Whoosh deletes only in committed segments: a second copy would stay.
                        raise ValueError(f"story {sid} written twice by one writer")
                    written.add(sid)
                    _add_story(writer, document, replace=True)

            try:
                yield apply
            except BaseException:
                _cancel(writer)
                raise
            writer.commit(merge=False)

    def purge_deleted(self) -> None:
        """Rewrite the index without deleted documents: Whoosh only marks them deleted,
        and an erased story's or a withheld passage's words must leave the files."""
        with self.exclusive():
            ix = self._open(self._current())
            writer = ix.writer(timeout=self.lock_timeout, limitmb=WRITER_LIMIT_MB)
            writer.commit(optimize=True)

    def compact(self) -> None:
        """Merge the segments a bulk run left into one, as a rebuild leaves the index."""
        with self.exclusive(timeout=REBUILD_LOCK_WAIT):
            if self._current() is None:
                return  # nothing was ever written (every line of the run failed)
            ix = self._open(self._current())
            with ix.reader() as reader:
                if len(reader.leaf_readers()) <= 1 and not reader.has_deletions():
                    return
            writer = ix.writer(timeout=self.lock_timeout, limitmb=WRITER_LIMIT_MB)
            writer.commit(optimize=True)

    def _big_writer(self, ix, size: int | None, beside: bool = False, **options):
        """A writer for `size` documents: for a large run, Whoosh's multiprocess writer (the
        documents, pickled in batches, analysed by `procs` processes, whose segments are
        merged into one at the commit). Analysis was half of a rebuild or a bulk
        import's indexing, on one core; small writes stay in this process (no fork).
        `beside` (a bulk import feeding the writer as it reads its lines): one process
        analyses while this one reads and writes the archive, and its segment is taken
        as it is written (with one process there is nothing to merge: the merge
        rewrote every posting once more)."""
        if self.procs > 1 and size is not None and size >= PARALLEL_FROM:
            if beside:
                return _BesideWriter(ix, procs=1, multisegment=True, batchsize=PARALLEL_BATCH,
                                     limitmb=WRITER_LIMIT_MB, **options)
            return _StoryWriter(ix, procs=self.procs, batchsize=PARALLEL_BATCH,
                                limitmb=WRITER_LIMIT_MB, **options)
        return ix.writer(limitmb=WRITER_LIMIT_MB, **options)

    def rebuild(self, documents: Iterable[dict], size: int | None = None) -> int:
        with self.exclusive(timeout=REBUILD_LOCK_WAIT):
            marker = self.root / REBUILD_MARKER
            marker.write_text(f"{os.getpid()}\n")
            try:
                old = self._current()
                name, ix = self._new_generation()
                writer = self._big_writer(ix, size)
                count = 0
                try:
                    for document in documents:
                        _add_story(writer, document)
                        count += 1
                except BaseException:
                    _cancel(writer)
                    shutil.rmtree(self.root / name, ignore_errors=True)
                    raise
                writer.commit()
                # A process of a multiprocess writer that died took its documents with it,
                # and Whoosh commits without them: never swap such an index in.
                if ix.doc_count() != count:
                    shutil.rmtree(self.root / name, ignore_errors=True)
                    raise RuntimeError(
                        f"the rebuilt index holds {ix.doc_count()} of {count} documents"
                    )
                self._point_to(name)
                self._remove_generations(keep={name}, previous=old)
            finally:
                marker.unlink(missing_ok=True)
        return count

    def _remove_generations(self, keep: set[str], previous: str | None) -> None:
        """Old folders go once the pointer moved; open searchers keep their files on POSIX."""
        for path in self.root.glob(f"{GENERATION_PREFIX}*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)
        log.info("search index swapped from %s to %s", previous, ", ".join(sorted(keep)))

    # --- reading -------------------------------------------------------------------------

    @contextmanager
    def _searcher(self) -> Iterator:
        """A pooled, refreshed searcher on the current index folder."""
        generation = self._current()
        if generation is None:
            self.ensure()
            generation = self._current()
        entry = None
        with self._pool_cond:
            while True:
                for stale in [e for e in self._pool if e.generation != generation]:
                    self._pool.remove(stale)
                    self._pool_size -= 1
                    stale.searcher.close()
                if self._pool:
                    entry = self._pool.pop()
                    break
                if self._pool_size < SEARCHER_POOL_SIZE:
                    self._pool_size += 1
                    break
                self._pool_cond.wait(timeout=1.0)
        try:
            if entry is None:
                entry = _PooledSearcher(generation, self._open_searcher(generation))
            elif not entry.searcher.up_to_date():
                # Not Searcher.refresh(): whoosh-reloaded 2.7.5 reuses segment readers with
                # their old deletions (deleted stories would still be found). Reopen instead;
                # the per-segment caches below survive since segment ids do not change.
                fresh = self._open_searcher(generation)
                entry.searcher.close()
                entry.searcher = fresh
        except BaseException:
            with self._pool_cond:
                self._pool_size -= 1
                self._pool_cond.notify()
            raise
        try:
            yield entry.searcher
        finally:
            with self._pool_cond:
                self._pool.append(entry)
                self._pool_cond.notify()

    def _open_searcher(self, generation: str):
        try:
            return self._open(generation).searcher()
        except (FileNotFoundError, index.EmptyIndexError):
            # A rebuild swapped folders between reading the pointer and opening: read it again.
            return self._open(self._current()).searcher()

    def _view(self, searcher) -> _View:
        reader = searcher.reader()
        # An empty index has a reader without segments.
        leaves = [
            (leaf, offset) for leaf, offset in reader.leaf_readers() if leaf.segment() is not None
        ]
        key = tuple(
            (leaf.segment().segment_id(), leaf.segment().deleted_count()) for leaf, _ in leaves
        )
        with self._cache_lock:
            view = self._views.get(key)
            if view is not None:
                self._views.move_to_end(key)
                return view
        segments = []
        live: set[int] = set()
        for leaf, offset in leaves:
            segment_id = leaf.segment().segment_id()
            with self._cache_lock:
                data = self._segments.get(segment_id)
            if data is None:
                data = _SegmentData(leaf)
                with self._cache_lock:
                    self._segments[segment_id] = data
            segments.append((data, offset))
            live.update(d + offset for d in leaf.all_doc_ids())
        view = _View(segments, live)
        with self._cache_lock:
            self._views[key] = view
            while len(self._views) > 8:
                self._views.popitem(last=False)
            in_use = {segment_id for k in self._views for segment_id, _ in k}
            for segment_id in [s for s in self._segments if s not in in_use]:
                del self._segments[segment_id]
        return view

    def _parse(self, text: str) -> wq.Query | None:
        """Parsed queries are kept: Whoosh's parser costs milliseconds, and people page and
        refine the same words."""
        with self._cache_lock:
            if text in self._parsed:
                self._parsed.move_to_end(text)
                return self._parsed[text]
        parsed = whoosh_query.parse(self.parser, text)
        with self._cache_lock:
            self._parsed[text] = parsed
            if len(self._parsed) > 512:
                self._parsed.popitem(last=False)
        return parsed

    def _docset(self, searcher, view: _View, q: wq.Query) -> set[int]:
        """Documents matching `q`, by set algebra where Whoosh would step doc by doc."""
        if isinstance(q, wq.And):
            positives = [c for c in q.subqueries if not isinstance(c, wq.Not)]
            result: set[int] | None = None
            for child in positives:
                found = self._docset(searcher, view, child)
                result = found if result is None else result & found
                if not result:
                    return set()
            if result is None:
                result = set(view.live)
            for child in q.subqueries:
                if isinstance(child, wq.Not):
                    result -= self._docset(searcher, view, child.query)
            return result
        if isinstance(q, wq.Or | wq.DisjunctionMax):
            result = set()
            for child in q.subqueries:
                result |= self._docset(searcher, view, child)
            return result
        if isinstance(q, wq.Not):
            return view.live - self._docset(searcher, view, q.query)
        if isinstance(q, wq.AndNot):
            return self._docset(searcher, view, q.a) - self._docset(searcher, view, q.b)
        if isinstance(q, wq.AndMaybe):
            return self._docset(searcher, view, q.a)
        if isinstance(q, wq.Require):
            return self._docset(searcher, view, q.a) & self._docset(searcher, view, q.b)
        if isinstance(q, wq.Every):
            return set(view.live)
        if q is wq.NullQuery:
            return set()
        return set(searcher.docs_for_query(q))

    def search(self, query: SearchQuery, tokens: list[str]) -> SearchResults:
        with self._searcher() as searcher:
            view = self._view(searcher)
            allowed = view.docs_with_any(searcher, "access", tokens)
            candidates = set(allowed)
            for facet, chosen in query.filters.items():
                if chosen:
                    candidates &= view.docs_with_any(
                        searcher, FACET_FIELDS[facet], [str(v) for v in chosen]
                    )
            text = query.text
            if "~" in text:  # mot~: the word or any near word the viewer's stories use
                marked = self._alternatives(searcher, view, text, allowed, marked_only=True)
                text = _with_alternatives(text, marked, marked_only=True)
            text_query = self._parse(text) if text else None
            fuzzy = False
            suggestion = None
            if text_query is None:
                matched = candidates & view.live if not query.text else set()
            else:
                matched = self._docset(searcher, view, text_query) & candidates
            if query.text and not matched:
                # Misspelt words: the nearest words the viewer may see, as a suggestion and,
                # when they find something, as approximate results.
                near = self._alternatives(searcher, view, query.text, allowed)
                suggestion = _with_alternatives(query.text, near, best_only=True) if near else None
                if near and query.fuzzy_fallback:
                    approximate = self._parse(_with_alternatives(text, near))
                    found = (
                        self._docset(searcher, view, approximate) & candidates
                        if approximate
                        else set()
                    )
                    if found:
                        text_query, matched, fuzzy = approximate, found, True
            if query.bbox is not None:
                matched = {d for d in matched if view.in_bbox(d, query.bbox)}
            facets = self._facets(searcher, view, matched) if query.facets else {}
            ranked = self._rank(searcher, view, text_query, matched, query)
            hits = [Hit(story_id=view.story_ids[d], score=score) for d, score in ranked]
            if query.highlights and text_query is not None and ranked:
                self._highlight(searcher, text_query, ranked, hits, query.segments_per_hit)
        return SearchResults(
            hits=hits, total=len(matched), facets=facets, suggestion=suggestion, fuzzy=fuzzy
        )

    def _facets(self, searcher, view: _View, matched: set[int]) -> dict[str, dict[str, int]]:
        facets = {}
        public = None
        for facet, field_name in FACET_FIELDS.items():
            per_doc = view.values[field_name]
            counted = matched
            if facet in PUBLIC_FACETS:
                if public is None:
                    public = matched & view.docs_with_any(searcher, "access", [PUBLIC_TOKEN])
                counted = public
            counts = Counter(chain.from_iterable(map(per_doc.__getitem__, counted)))
            facets[facet] = dict(counts.most_common(FACET_LIMIT))
        return facets

    def _rank(self, searcher, view: _View, text_query, matched: set[int], query: SearchQuery):
        """(docnum, score) of the requested page, in order."""
        end = query.offset + query.per_page
        if not matched or query.offset >= len(matched):
            return []
        sort = query.sort
        if sort == "relevance" and text_query is None:
            sort = "added"
        if sort == "relevance":
            # Whoosh orders equal scores by document number, the same way for every page size:
            # that keeps pages from overlapping.
            collector = searcher.collector(filter=matched, limit=end)
            weighting = _PublicBM25F(view, searcher)
            searcher.search_with_collector(
                text_query, collector, context=searcher.context(weighting=weighting)
            )
            results = collector.results()
            return [(docnum, float(score)) for score, docnum in results.top_n[query.offset : end]]
        ids, period, added = view.story_ids, view.period, view.added
        if sort == "oldest":
            key = lambda d: (period[d] == NO_PERIOD, period[d], ids[d])  # noqa: E731
        elif sort == "newest":
            key = lambda d: (period[d] == NO_PERIOD, -period[d], ids[d])  # noqa: E731
        else:
            key = lambda d: (-added[d], -ids[d])  # noqa: E731
        page = sorted(matched, key=key)[query.offset : end]
        return [(d, 0.0) for d in page]

    def _highlight(self, searcher, text_query, ranked, hits: list[Hit], per_hit: int) -> None:
        """Character spans of the query's words in each hit, read from the postings."""
        reader = searcher.reader()
        position = {docnum: i for i, (docnum, _) in enumerate(ranked)}
        wanted = sorted(position)
        terms = _existing_terms(reader, text_query, whoosh_query.HIGHLIGHT_FIELDS)
        transcript_spans: dict[tuple[int, str], list[tuple[int, int, bytes]]] = {}
        for field_name, btext in terms:
            group = whoosh_query.HIGHLIGHT_FIELDS[field_name]
            try:
                matcher = reader.postings(field_name, btext)
            except TermNotFound:
                continue
            for docnum in wanted:
                if not matcher.is_active():
                    break
                if matcher.id() < docnum:
                    matcher.skip_to(docnum)
                    if not matcher.is_active():
                        break
                if matcher.id() != docnum:
                    continue
                spans = [(start, end) for _pos, start, end in matcher.value_as("characters")]
                if group == "transcript":
                    language = field_name.rsplit("_", 1)[1]
                    transcript_spans.setdefault((docnum, language), []).extend(
                        (s, e, btext) for s, e in spans
                    )
                else:
                    hits[position[docnum]].spans.setdefault(group, []).extend(spans)
        for hit in hits:
            for group in hit.spans:
                hit.spans[group] = sorted(set(hit.spans[group]))
        by_doc: dict[int, list[SegmentHit]] = {}
        for (docnum, language), spans in transcript_spans.items():
            stored = searcher.stored_fields(docnum).get(f"segments_{language}") or []
            by_doc.setdefault(docnum, []).extend(_segment_hits(stored, spans))
        for docnum, segment_hits in by_doc.items():
            # Ties: segments before chapters, earlier first.
            segment_hits.sort(
                key=lambda s: (-s.score, s.segment_id is None, s.segment_id or s.chapter_id)
            )
            hits[position[docnum]].segments = segment_hits[:per_hit]

    # --- did you mean --------------------------------------------------------------------

    def suggest(self, text: str, tokens: list[str]) -> str | None:
        with self._searcher() as searcher:
            view = self._view(searcher)
            allowed = view.docs_with_any(searcher, "access", tokens)
            near = self._alternatives(searcher, view, text, allowed)
            return _with_alternatives(text, near, best_only=True) if near else None

    def _alternatives(
        self,
        searcher,
        view: _View,
        text: str,
        allowed: frozenset[int],
        *,
        marked_only: bool = False,
    ) -> dict[str, list[str]]:
        """Word typed → the nearest words found in stories the viewer may see, best first.

        Without `marked_only`: for the words the viewer's stories never use (misspellings).
        With it: for the words marked `mot~` (or `mot~2`), whatever they are.
        Only visible words are offered, so nothing reveals a word of a story one may not see.
        """
        analyzer = spelling_analyzer()
        found: dict[str, list[str]] = {}
        for match in _WORD_IN_QUERY.finditer(text):
            word, following = match.group(1), match.group(2)
            if marked_only != (following == "~") or word in found:
                continue
            # Operators, field prefixes (lieu:) and prefixes (char*) are not misspellings.
            if word in OPERATOR_WORDS or following in (":", "*") or any(c.isdigit() for c in word):
                continue
            forms = [t.text for t in analyzer(word)]
            if len(forms) != 1:
                continue
            form = forms[0]
            if not marked_only and self._visible_word(searcher, view, form, allowed):
                continue
            distance = _marked_distance(text, match.end()) if marked_only else None
            near = self._nearest_visible(searcher, view, form, allowed, distance)
            if near:
                found[word] = near
        return found

    @staticmethod
    def _visible_word(searcher, view: _View, form: str, allowed: frozenset[int]) -> bool:
        docs = view.docs_with_any(searcher, "spell", [form])
        return not docs.isdisjoint(allowed) if docs else False

    def _nearest_visible(
        self, searcher, view: _View, form: str, allowed: frozenset[int], maxdist: int | None = None
    ) -> list[str]:
        """Up to NEAR_WORDS visible words within one or two edits of `form`, nearest and
        most frequent first."""
        candidates: dict[str, int] = {}
        maxdist = maxdist or (1 if len(form) <= 4 else 2)
        for leaf, _ in searcher.reader().leaf_readers():
            if leaf.segment() is None:
                continue
            for word in leaf.terms_within("spell", form, maxdist, prefix=1):
                candidates[word] = candidates.get(word, 0) + leaf.doc_frequency("spell", word)
        ranked = sorted(candidates, key=lambda w: (levenshtein(w, form), -candidates[w], w))
        near: list[str] = []
        for word in ranked[:40]:
            if word != form and self._visible_word(searcher, view, word, allowed):
                near.append(word)
                if len(near) >= NEAR_WORDS:
                    break
        return near

    # --- verification --------------------------------------------------------------------

    def document_versions(self) -> dict[int, str]:
        versions: dict[int, str] = {}
        with self._searcher() as searcher:
            for leaf, _ in searcher.reader().leaf_readers():
                ids = list(leaf.column_reader("story_id")) if leaf.has_column("story_id") else []
                marks = list(leaf.column_reader("version")) if leaf.has_column("version") else []
                for docnum in leaf.all_doc_ids():
                    version = marks[docnum]
                    versions[int(ids[docnum])] = (
                        version.decode() if isinstance(version, bytes) else str(version)
                    )
        return versions

    def close(self) -> None:
        with self._pool_cond:
            for entry in self._pool:
                entry.searcher.close()
            self._pool_size -= len(self._pool)
            self._pool.clear()
        with self._cache_lock:
            self._segments.clear()
            self._views.clear()


def _existing_terms(reader, q: wq.Query, field_names) -> list[tuple[str, bytes]]:
    """The query's words (prefixes and fuzzy words expanded) in these fields.

    Whoosh's own `Query.existing_terms` stops looking after the first field it meets
    (its loop variable shadows its `fieldname` argument), hence this version.
    """
    found: dict[tuple[str, bytes], None] = {}
    for leaf in q.leaves():
        for field_name, text in leaf.expanded_terms(reader, phrases=True):
            if field_name not in field_names:
                continue
            btext = text if isinstance(text, bytes) else reader.schema[field_name].to_bytes(text)
            found[(field_name, btext)] = None
    return list(found)


def _segment_hits(stored: list, spans: list[tuple[int, int, bytes]]) -> list[SegmentHit]:
    """Group transcript spans by the segment (or chapter) they fall in; a segment's score
    favours segments where more of the different words were said."""
    offsets = [entry[0] for entry in stored]
    grouped: dict[tuple[int, bool], dict] = {}
    for start, end, term in spans:
        index_ = bisect.bisect_right(offsets, start) - 1
        if index_ < 0:
            continue
        offset, piece_id, *kind = stored[index_]
        entry = grouped.setdefault((piece_id, bool(kind)), {"spans": set(), "terms": set()})
        entry["spans"].add((start - offset, end - offset))
        entry["terms"].add(term)
    return [
        SegmentHit(
            segment_id=None if is_chapter else piece_id,
            chapter_id=piece_id if is_chapter else None,
            score=len(entry["terms"]) * 10 + len(entry["spans"]),
            spans=sorted(entry["spans"]),
        )
        for (piece_id, is_chapter), entry in grouped.items()
    ]


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r'"[^"]*"', text)]


def _marked_distance(text: str, end: int) -> int | None:
    """The edit distance written after `mot~` (mot~2), if any."""
    match = re.match(r"(\d)", text[end:])
    return int(match.group(1)) if match else None


def _with_alternatives(
    text: str, near: dict[str, list[str]], *, best_only: bool = False, marked_only: bool = False
) -> str:
    """The query with words replaced: by their best alternative (a suggestion to show), or by
    `(word OR near1 OR near2)` (a query to run; phrases are left as typed)."""
    quoted = _quoted_spans(text)

    def replace(match: re.Match) -> str:
        word, following = match.group(1), match.group(2)
        if word not in near or (marked_only and following != "~"):
            return match.group(0)
        if best_only:
            return near[word][0] + following
        if any(start < match.start() < end for start, end in quoted):
            return match.group(0)
        tail = "" if following == "~" else following
        return "(" + " OR ".join([word, *near[word]]) + ")" + tail

    rewritten = _WORD_IN_QUERY.sub(replace, text)
    # The distance written after a rewritten mot~2 is not a word.
    return re.sub(r"\)(\d)(?=\s|$|\))", ")", rewritten) if marked_only else rewritten
