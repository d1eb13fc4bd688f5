"""A fake speech engine: fast, and honest about what it was given to hear."""

from __future__ import annotations

import io
import math
import struct
import wave

import pytest

from memoire.asr.engine import SAMPLE_RATE, RecognisedSegment, Word
from tests.english_client import client, login  # noqa: F401


class FakeEngine:
    """Says "seconde N" for every second of audio that is not silent; records what it heard.

    `loop_at` makes it loop like a real engine does ("merci merci merci …") at that second;
    `fail` raises that exception on the first call.
    """

    name = "fake-engine"

    def __init__(self, loop_at: int | None = None, fail: BaseException | None = None):
        self.loop_at = loop_at
        self.fail = fail
        self.heard: dict[int, float] = {}  # second -> loudness the engine received
        self.calls: list[tuple[str, float]] = []

    def transcribe(self, samples, language, offset=0.0):
        self.calls.append((language, offset))
        if self.fail is not None:
            raise self.fail
        total = len(samples) // SAMPLE_RATE
        for i in range(total):
            window = samples[i * SAMPLE_RATE:(i + 1) * SAMPLE_RATE]
            loud = max(abs(float(v)) for v in window[::40])
            second = int(round(offset)) + i
            self.heard[second] = loud
            if loud < 0.01:
                continue  # silence: nothing said
            start = offset + i
            if self.loop_at is not None and second == self.loop_at:
                text = "merci merci merci merci merci beaucoup"
            else:
                text = f"seconde {second}"
            words = [Word(w, start + k * 0.3, start + k * 0.3 + 0.25) for k, w in enumerate(text.split())]
            yield RecognisedSegment(start, start + 0.9, text, words)


def tone_wav(seconds: float = 6.0, rate: int = 16000, silent=()) -> bytes:
    """A 440 Hz tone, silent over the (start, end) ranges given."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = []
        for i in range(int(seconds * rate)):
            t = i / rate
            quiet = any(a <= t < b for a, b in silent)
            frames.append(struct.pack("<h", 0 if quiet else int(12000 * math.sin(2 * math.pi * 440 * t))))
        w.writeframes(b"".join(frames))
    return buffer.getvalue()


@pytest.fixture
def fake_engine(app):
    engine = FakeEngine()
    app.extensions["memoire.asr"] = engine
    yield engine
    app.extensions.pop("memoire.asr", None)


@pytest.fixture
def recording(app, create_story, create_user):
    """create_recording(seconds=6, **story_kwargs) -> (story, media)"""
    from memoire.extensions import db
    from memoire.jobs.operations import run_pending
    from memoire.media.operations import add_media

    def factory(seconds: float = 6.0, silent=(), **story_kwargs):
        story_kwargs.setdefault("kind", "oral_history")
        story = create_story(story_kwargs.pop("title", "Entretien à la fosse"), **story_kwargs)
        media = add_media(None, story, io.BytesIO(tone_wav(seconds, silent=silent)), caption="Entretien")
        db.session.commit()
        run_pending()  # the public stream and waveform
        return story, media

    return factory
