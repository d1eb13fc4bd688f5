"""Media intake: one operation shared by the web form, the API and `memoire import`.

The original is streamed to storage untouched; derivatives are made from it; rows
and files appear together when the transaction commits, and not at all when it
does not.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from memoire.audit import operations as audit
from memoire.core import uow
from memoire.core.db import utcnow
from memoire.core.errors import Forbidden, MediaError, ValidationError
from memoire.core.storage import StagedFile, TooLarge, get_storage
from memoire.extensions import db
from memoire.jobs import operations as jobs
from memoire.media import processing
from memoire.media.models import Derivative, Media, MediaKind, Redaction
from memoire.stories.models import Story
from memoire.stories.operations import touch


def _human(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _stage(stream: BinaryIO) -> StagedFile:
    limit = int(current_app.config["MEMOIRE_MAX_FILE_BYTES"])
    try:
        return get_storage().stage(stream, max_bytes=limit)
    except TooLarge:
        raise MediaError(
            _l("This file is larger than the %(limit)s allowed.", limit=_human(limit)),
            code="file_too_large",
        ) from None


def check_story_budget(story: Story, incoming: int) -> None:
    """Refuse before storing anything when a story would exceed its size limit."""
    limit = int(current_app.config["MEMOIRE_MAX_STORY_BYTES"])
    used = 0
    if story.id is not None:
        used = db.session.scalar(select(func.coalesce(func.sum(Media.size), 0)).where(Media.story_id == story.id))
    if used + incoming > limit:
        raise MediaError(
            _l("The files of one story may not exceed %(limit)s.", limit=_human(limit)),
            code="story_too_large",
        )


def add_media(
    actor, story: Story, stream: BinaryIO, *, caption: str = "", alt_text: str = "",
    declared_size: int | None = None,
) -> Media:
    """Take in one file for a story. Raise MediaError (nothing kept) when it cannot be taken."""
    if declared_size is not None:
        check_story_budget(story, declared_size)
    staged = _stage(stream)
    work_dir = Path(tempfile.mkdtemp(dir=get_storage().tmp, prefix="derive-"))
    session = db.session()
    staged_all: list[StagedFile] = [staged]
    try:
        check_story_budget(story, staged.size)
        kind, mime = processing.detect_kind(staged.path)
        media = Media(
            story=story, kind=kind, mime=mime, sha256=staged.sha256, size=staged.size,
            storage_key=staged.key, caption=caption or "", alt_text=alt_text or caption or "",
            position=len(story.media), tags={},
        )
        if kind == MediaKind.image:
            _take_image(media, staged, work_dir, staged_all)
        elif kind == MediaKind.audio:
            _take_audio(media, staged, staged_all)
        db.session.add(media)
        touch(story)
        db.session.flush()
    except BaseException:
        for item in staged_all:
            item.path.unlink(missing_ok=True)
        shutil.rmtree(work_dir, ignore_errors=True)
        raise
    shutil.rmtree(work_dir, ignore_errors=True)
    storage = get_storage()
    for item in staged_all:
        storage.commit_staged(session, item)
    if media.processing == "pending":
        jobs.enqueue("media.prepare_audio", media_id=media.id)
    return media


def _take_image(media: Media, staged: StagedFile, work_dir: Path, staged_all: list) -> None:
    limit = int(current_app.config["MEMOIRE_MAX_IMAGE_PIXELS"])
    facts = processing.inspect_image(staged.path, max_pixels=limit)
    media.mime = facts.mime
    media.width, media.height = facts.width, facts.height
    media.taken_at = facts.taken_at
    media.gps_lat, media.gps_lon = facts.gps_lat, facts.gps_lon
    media.has_personal_metadata = facts.has_personal_metadata
    files = processing.make_image_derivatives(
        staged.path, work_dir,
        thumbnail_size=int(current_app.config["MEMOIRE_THUMBNAIL_SIZE"]),
        display_size=int(current_app.config["MEMOIRE_DISPLAY_SIZE"]),
        max_pixels=limit,
    )
    for file in files:
        derived = get_storage().stage_path(file.path)
        staged_all.append(derived)
        media.derivatives.append(
            Derivative(
                role=file.role, storage_key=derived.key, sha256=derived.sha256,
                size=derived.size, mime=file.mime, width=file.width, height=file.height,
            )
        )


def _take_audio(media: Media, staged: StagedFile, staged_all: list) -> None:
    facts = processing.inspect_audio(
        staged.path, max_bitrate=int(current_app.config["MEMOIRE_MAX_STREAM_BITRATE"])
    )
    media.mime = facts.mime
    media.codec, media.duration, media.bitrate = facts.codec, facts.duration, facts.bitrate
    media.sample_rate, media.channels = facts.sample_rate, facts.channels
    media.tags = facts.tags
    media.has_personal_metadata = bool(facts.tags)
    # The public stream and the waveform are made in the background (ffmpeg can take
    # minutes on an hour-long interview); the page says "being prepared" until then.
    media.processing = "pending"


def remove_media(actor, media: Media) -> None:
    """Drop a media item; its files go once no other row uses the same content."""
    keys = {media.storage_key, *(d.storage_key for d in media.derivatives)}
    db.session.delete(media)
    db.session.flush()
    schedule_file_cleanup(keys)


def referenced_keys(keys: set[str]) -> set[str]:
    if not keys:
        return set()
    used = set(db.session.scalars(select(Media.storage_key).where(Media.storage_key.in_(keys))))
    used |= set(
        db.session.scalars(select(Derivative.storage_key).where(Derivative.storage_key.in_(keys)))
    )
    from memoire.network.models import ConsentScan  # scanned consent forms share the storage

    used |= set(db.session.scalars(select(ConsentScan.storage_key).where(ConsentScan.storage_key.in_(keys))))
    return used


def schedule_file_cleanup(keys: set[str]) -> None:
    """After commit, delete the files of these keys that no row references any more."""
    unused = keys - referenced_keys(keys)
    if not unused:
        return
    storage = get_storage()

    def _delete() -> None:
        for key in unused:
            storage.delete(key)

    uow.after_commit(db.session(), _delete)


def public_media_url(derivative: Derivative) -> str:
    from flask import url_for

    return url_for("media.derivative", derivative_id=derivative.id, sha=derivative.sha256[:12])


def redact(actor, media: Media, start: float, end: float) -> Redaction:
    """Withhold a time range of a recording from every public output.

    The original stays untouched and private; the public stream is rebuilt in the
    background with silence there; the transcript segments in the range show (and are
    indexed as) a neutral mark. The index work that follows purges the old words.
    """
    if not getattr(actor, "is_staff", False):
        raise Forbidden(_l("Only moderators can withhold a passage."))
    if media.kind != MediaKind.audio:
        raise ValidationError(_l("Only recordings have passages to withhold."), field="start")
    if not (0 <= start < end) or (media.duration is not None and start >= media.duration):
        raise ValidationError(
            _l("The passage must start before it ends, within the recording."), field="start"
        )
    from memoire.search.tracking import request_purge

    request_purge(db.session())
    redaction = Redaction(start=float(start), end=float(end),
                          created_by_id=getattr(actor, "id", None), created_at=utcnow())
    media.redactions.append(redaction)
    db.session.flush()
    from memoire.transcripts.operations import apply_redactions

    apply_redactions(media)
    media.processing = "pending"  # the unredacted stream must not be served meanwhile
    stream = media.derivative("stream")
    if stream is not None:
        media.derivatives.remove(stream)
        schedule_file_cleanup({stream.storage_key})
    jobs.enqueue("media.prepare_audio", media_id=media.id)
    touch(media.story)
    db.session.flush()
    audit.record(actor, "media.redact", "media", media.id, start=start, end=end)
    return redaction
