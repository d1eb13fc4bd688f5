"""Background work on media: the public audio stream (with redactions) and waveform peaks."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from memoire.core.storage import get_storage
from memoire.extensions import db
from memoire.jobs.operations import handler
from memoire.media import processing
from memoire.media.models import Derivative, DerivativeRole, Media


def _replace_derivative(media: Media, role: str, path: Path, mime: str) -> set[str]:
    storage = get_storage()
    staged = storage.stage_path(path)
    old = media.derivative(role)
    dropped = set()
    if old is not None:
        dropped.add(old.storage_key)
        media.derivatives.remove(old)
    media.derivatives.append(
        Derivative(role=role, storage_key=staged.key, sha256=staged.sha256, size=staged.size, mime=mime)
    )
    storage.commit_staged(db.session(), staged)
    return dropped


@handler("media.prepare_audio")
def prepare_audio(payload: dict) -> None:
    """Make the browser stream (redactions silenced) and the waveform of a recording."""
    from memoire.media.operations import schedule_file_cleanup

    media = db.session.get(Media, payload["media_id"])
    if media is None:  # erased meanwhile
        return
    storage = get_storage()
    work = Path(tempfile.mkdtemp(dir=storage.tmp, prefix="audio-"))
    try:
        source = storage.path(media.storage_key)
        redactions = [(r.start, r.end) for r in media.redactions]
        stream = processing.make_stream(source, work / "stream.m4a", redactions=redactions)
        dropped = _replace_derivative(media, DerivativeRole.stream, stream.path, stream.mime)
        peaks = processing.waveform_peaks(stream.path)
        peaks_file = work / "peaks.json"
        peaks_file.write_text(json.dumps({"peaks": peaks, "duration": media.duration}))
        dropped |= _replace_derivative(media, DerivativeRole.waveform, peaks_file, "application/json")
        media.processing = "ready"
        db.session.flush()
        schedule_file_cleanup(dropped)  # the job runner commits: it is the edge
    finally:
        shutil.rmtree(work, ignore_errors=True)
