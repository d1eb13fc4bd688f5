"""A withheld passage: silence in the public audio, a neutral transcript, no word left in the index."""

from __future__ import annotations

import io
import math
import struct
import subprocess
import wave
from pathlib import Path

import pytest

from memoire.extensions import db
from memoire.jobs.operations import run_pending
from memoire.media.operations import add_media, redact
from memoire.transcripts.operations import attach_transcript

SECRET = "Zorblaxienne"
VTT = f"""WEBVTT

00:00:00.000 --> 00:00:02.000
<v Marie>On habitait rue des Glycines.

00:00:02.000 --> 00:00:04.000
<v Marie>Notre voisine {SECRET} buvait trop.

00:00:04.000 --> 00:00:06.000
<v Marie>Le dimanche on allait au bal.
"""


def sine_wav(seconds: float = 6.0, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(
            struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * i / rate)))
            for i in range(int(seconds * rate))
        ))
    return buffer.getvalue()


def decode(path: Path, rate: int = 8000) -> list[int]:
    import imageio_ffmpeg

    raw = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
         "-ar", str(rate), "-"],
        check=True, capture_output=True,
    ).stdout
    return list(struct.unpack(f"<{len(raw) // 2}h", raw))


def peak(samples: list[int], start: float, end: float, rate: int = 8000) -> float:
    window = samples[int(start * rate):int(end * rate)]
    return max(abs(s) for s in window) / 32768


@pytest.fixture
def interview(app, create_story):
    story = create_story("Rue des Glycines", kind="oral_history")
    media = add_media(None, story, io.BytesIO(sine_wav()), caption="Entretien")
    attach_transcript(None, story, VTT.encode(), filename="t.vtt", media=media)
    db.session.commit()
    run_pending()
    return story, media


def test_withheld_passage_is_silent_neutral_and_unsearchable(app, client, interview, create_user):
    from memoire.search import service

    story, media = interview
    original_sha = media.sha256
    storage = app.extensions["memoire.storage"]
    assert service.search(None, {"q": SECRET}).total == 1  # found before

    moderator = create_user("moderator")
    redact(moderator, media, 2.0, 4.0)
    db.session.commit()
    assert media.processing == "pending" and media.derivative("stream") is None
    run_pending()
    db.session.refresh(media)

    # The public stream is silent in the range and not outside it.
    stream = media.derivative("stream")
    samples = decode(storage.path(stream.storage_key))
    assert peak(samples, 2.1, 3.9) < 0.01
    assert peak(samples, 0.2, 1.8) > 0.2 and peak(samples, 4.2, 5.8) > 0.2
    # The original is untouched and private.
    assert media.sha256 == original_sha
    assert storage.path(media.storage_key).read_bytes()[:4] == b"RIFF"

    # The transcript shows a neutral mark everywhere; the word is gone from search and index.
    page = client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert SECRET not in page and "Le dimanche on allait au bal." in page
    vtt = client.get(f"/api/v1/stories/{story.id}/transcript.vtt").get_data(as_text=True)
    assert SECRET not in vtt
    for viewer in (None, moderator):
        assert service.search(viewer, {"q": SECRET}).total == 0
    assert service.search(None, {"q": "dimanche"}).total == 1
    index_dir = Path(app.config["MEMOIRE_INDEX_DIR"])
    for path in index_dir.rglob("*"):
        if path.is_file():
            assert SECRET.lower().encode() not in path.read_bytes().lower(), path


def test_redaction_is_for_staff_and_checks_its_range(app, interview, create_user):
    from memoire.core.errors import Forbidden, ValidationError

    _story, media = interview
    with pytest.raises(Forbidden):
        redact(create_user("contributor"), media, 1, 2)
    moderator = create_user("moderator")
    for start, end in [(3, 2), (-1, 2), (10, 12)]:
        with pytest.raises(ValidationError):
            redact(moderator, media, start, end)
    db.session.rollback()


def test_moderation_form_withholds_a_passage(app, client, interview, create_user):
    story, media = interview
    moderator = create_user("moderator")
    with client.session_transaction() as session:
        session["_user_id"] = moderator.get_id()
    response = client.post(f"/moderation/{story.id}/redact",
                           data={"media_id": media.id, "start": "0:02", "end": "4"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [(r.start, r.end) for r in media.redactions] == [(2.0, 4.0)]
    segments = story.transcripts[0].segments
    assert [s.is_redacted for s in segments] == [False, True, False]
