"""Bulk import of stories from JSON Lines (or a ZIP holding one), one transaction per line.

A line that fails leaves nothing behind: its rows are rolled back and its staged files
removed. Re-running the same file updates the stories it created (matched by `id`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from memoire.core.concurrency import is_retryable, lock_key
from memoire.core.errors import MemoireError, ValidationError
from memoire.core.inputs import loads_json
from memoire.extensions import db
from memoire.imports.paths import resolve
from memoire.imports.readahead import READ_AHEAD_FROM, TranscriptsAhead
from memoire.imports.reader import STORY_KEYS, read_line  # noqa: F401 (STORY_KEYS: the line's keys)
from memoire.media import operations as media_ops
from memoire.search import service as search_service
from memoire.stories import operations as story_ops
from memoire.stories import responses
from memoire.stories.models import Story
from memoire.transcripts import operations as transcript_ops

#: Times a line is tried when concurrent writers deadlock (memoire.core.concurrency).
LINE_ATTEMPTS = 3


@dataclass
class LineResult:
    line: int
    status: str  # created | updated | failed
    story_id: int | None = None
    external_id: str | None = None
    error: str | None = None


@dataclass
class ImportSummary:
    results: list[LineResult] = field(default_factory=list)
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def failed(self) -> int:
        return self.count("failed")

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "created": self.created, "updated": self.updated, "failed": self.failed,
            "lines": [asdict(r) for r in self.results],
        }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _sync_media(actor, story: Story, base: Path, entries: list) -> None:
    """Make the story's media match the file: same content kept, new added, missing removed."""
    wanted: list[tuple[Path, dict]] = []
    for entry in entries:
        wanted.append((resolve(base, entry.get("path")), entry))
    existing = {m.sha256: m for m in story.media}
    keep: set[int] = set()
    for position, (path, entry) in enumerate(wanted):
        sha = _sha256(path)
        media = existing.get(sha)
        if media is None:
            with open(path, "rb") as fh:
                media = media_ops.add_media(
                    actor, story, fh, caption=entry.get("caption", ""), alt_text=entry.get("alt", ""),
                    declared_size=path.stat().st_size,
                )
        else:
            media.caption = entry.get("caption", "")
            media.alt_text = entry.get("alt", "") or media.caption
        media.position = position
        keep.add(id(media))
    for media in list(story.media):
        if id(media) not in keep:
            story.media.remove(media)
            media_ops.schedule_file_cleanup({media.storage_key, *(d.storage_key for d in media.derivatives)})
    db.session.flush()


def import_record(actor, record: dict, base: Path, parse=None) -> tuple[Story, bool]:
    """Create or update one story from one JSON object; flushes, never commits. `parse`:
    how its transcript is parsed (a bulk run's parse ahead, `readahead`)."""
    line = read_line(actor, record)
    data = line.story
    story = None
    if data.external_id is not None:
        # Two importers given the same line: the second waits, then updates the first's story.
        lock_key("story", data.external_id)
        story = db.session.scalar(select(Story).where(Story.external_id == data.external_id))
    created = story is None
    if created:
        story = story_ops.create_story(actor, data)
    else:
        story = story_ops.update_story(actor, story, data)
    if line.answers is not None:
        # The rule of the wizard and the API (stories.responses): a line may only answer a
        # public, published story; otherwise the whole line fails and nothing is kept.
        responses.answer(actor, story, line.answers, line.answers_at)
    if line.media is not None:
        _sync_media(actor, story, base, line.media)
    if line.transcript:
        path = resolve(base, line.transcript)
        audio = next((m for m in story.media if m.kind == "audio"), None)
        transcript_ops.attach_transcript(actor, story, path.read_bytes(), filename=path.name,
                                         media=audio, parse=parse)
    db.session.flush()
    return story, created


def count_lines(path: Path) -> int | None:
    """Lines of the JSON Lines file (inside the ZIP when it is one): the progress bar's
    total, and how a run chooses its index writer; None when unreadable."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.endswith(".jsonl") and "__MACOSX" not in n]
                if len(names) != 1:
                    return None
                with archive.open(names[0]) as fh:
                    return sum(1 for line in fh if line.strip())
        with open(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    except (OSError, zipfile.BadZipFile):
        return None


def import_jsonl(actor, path: Path, *, dry_run: bool = False, progress=None) -> ImportSummary:
    """Import every line of a JSON Lines file; each line commits (or rolls back) on its own."""
    summary = ImportSummary(dry_run=dry_run)
    base = path.resolve().parent
    # Index work goes through one writer, fed as the run goes when it is long (issue 20),
    # and a long run's transcripts are parsed ahead, in another process (readahead).
    expected = None if dry_run else count_lines(path)
    ahead = TranscriptsAhead(base) if expected is not None and expected >= READ_AHEAD_FROM else None
    with open(path, "rb") as fh, search_service.bulk_indexing(expected=expected) as bulk:
        try:
            lines = ahead.lines(fh) if ahead else ((n, raw, None) for n, raw in enumerate(fh, start=1))
            _import_lines(actor, lines, base, summary, bulk, progress)
        finally:
            if ahead:
                ahead.close()
    return summary


def _import_lines(actor, lines, base: Path, summary: ImportSummary, bulk, progress) -> None:
    """Each line in its own transaction: committed, or rolled back with nothing kept.
    `lines`: (number, line, how its transcript is parsed: None for the usual way)."""
    for number, raw, parse in lines:
        if not raw.strip():
            continue
        for attempt in range(1, LINE_ATTEMPTS + 1):
            result = LineResult(line=number, status="failed")
            try:
                try:
                    # The same guard as every web input: no NUL, no lone surrogate, no absurd nesting.
                    record = loads_json(raw.decode("utf-8-sig"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise ValidationError(_l("This line is not valid JSON: %(err)s", err=str(exc))) from None
                if isinstance(record, dict) and record.get("id") is not None:
                    result.external_id = str(record.get("id"))
                story, created = import_record(actor, record, base, parse)
                result.story_id = story.id
                result.external_id = story.external_id
                result.status = "created" if created else "updated"
                if summary.dry_run:
                    db.session.rollback()
                    result.story_id = None if created else result.story_id
                else:
                    db.session.commit()
            except MemoireError as exc:
                db.session.rollback()
                result.status, result.story_id, result.error = "failed", None, str(exc.message)
            except Exception as exc:  # an unexpected failure must still leave this line clean
                db.session.rollback()
                if is_retryable(exc) and attempt < LINE_ATTEMPTS:
                    continue  # a deadlock between concurrent writers: run the line again
                current_app.logger.exception("import line %s failed", number)
                result.status, result.story_id = "failed", None
                result.error = _("Unexpected error: %(err)s", err=type(exc).__name__)
            break
        summary.results.append(result)
        bulk.line_done()
        if progress:
            progress(result)


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def check_zip(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Refuse an archive before extracting anything: escaping paths, links, too big, too many."""
    max_bytes = int(current_app.config["MEMOIRE_ZIP_MAX_BYTES"])
    max_entries = int(current_app.config["MEMOIRE_ZIP_MAX_ENTRIES"])
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise ValidationError(
            _l("The archive holds too many files (%(n)s).", n=len(infos)), code="zip_too_large"
        )
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or (len(name) > 1 and name[1] == ":"):
            raise ValidationError(
                _l("The archive entry %(name)s leaves the archive.", name=info.filename), code="zip_escape"
            )
        if _is_link(info):
            raise ValidationError(
                _l("The archive entry %(name)s is a link.", name=info.filename), code="zip_link"
            )
        total += info.file_size
        if total > max_bytes:
            raise ValidationError(_l("The archive expands beyond the size allowed."), code="zip_too_large")
    return infos


def extract_zip(path: Path, dest: Path) -> Path:
    """Extract a checked ZIP, enforcing sizes while writing (declared sizes can lie)."""
    max_bytes = int(current_app.config["MEMOIRE_ZIP_MAX_BYTES"])
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise ValidationError(_l("This file is not a readable ZIP archive.")) from None
    with archive:
        infos = check_zip(archive)
        written = 0
        for info in infos:
            target = dest / Path(*PurePosixPath(info.filename.replace("\\", "/")).parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(info) as src, open(target, "wb") as out:
                    while chunk := src.read(1024 * 1024):
                        written += len(chunk)
                        if written > max_bytes:
                            raise ValidationError(_l("The archive expands beyond the size allowed."), code="zip_too_large")
                        out.write(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError):
                # A failed CRC check or damaged data: nothing is imported from a damaged archive.
                raise ValidationError(
                    _l("The archive entry %(name)s is damaged (its checksum does not match).",
                       name=info.filename),
                    code="zip_damaged",
                ) from None
            except (NotImplementedError, RuntimeError):  # an unknown compression, a password
                raise ValidationError(
                    _l("The archive entry %(name)s cannot be read (encrypted, or compressed in an "
                       "unsupported way).", name=info.filename),
                    code="zip_unreadable",
                ) from None
    found = sorted(p for p in dest.rglob("*.jsonl") if "__MACOSX" not in p.parts)
    if len(found) != 1:
        raise ValidationError(_l("The archive must hold exactly one .jsonl file (found %(n)s).", n=len(found)))
    return found[0]


def import_path(actor, path: Path, *, dry_run: bool = False, progress=None) -> ImportSummary:
    """Import a .jsonl file or a .zip holding one with its media."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(_l("The file %(path)s does not exist.", path=str(path)))
    if zipfile.is_zipfile(path):
        work = Path(tempfile.mkdtemp(prefix="memoire-import-"))
        try:
            jsonl = extract_zip(path, work)
            return import_jsonl(actor, jsonl, dry_run=dry_run, progress=progress)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return import_jsonl(actor, path, dry_run=dry_run, progress=progress)


