"""The speech-recognition interface: a recording in, timed segments with timed words out.

An engine is anything with `transcribe(samples, language, offset)`; the archive ships one
backed by faster-whisper (`memoire.asr.whisper`). Another engine is named by
MEMOIRE_ASR_ENGINE="module:factory" (the factory gets the app config); tests may also set
`app.extensions["memoire.asr"]`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l

from memoire.core.errors import MemoireError

#: The rate engines receive samples at (Whisper's).
SAMPLE_RATE = 16_000


class AsrUnavailable(MemoireError):
    """No speech model is configured or found: the feature says so, everything else works."""

    code = "asr_unavailable"
    status = 503


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass
class RecognisedSegment:
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)
    # Set when the engine looped (a phrase repeated) and the repeats were cut.
    flagged: bool = False
    no_speech_probability: float = 0.0


class SpeechEngine(Protocol):
    #: Named on every draft, so a reader knows which model wrote it.
    name: str

    def transcribe(self, samples, language: str, offset: float = 0.0) -> Iterator[RecognisedSegment]:
        """Segments of `samples` (mono float32 at SAMPLE_RATE), times shifted by `offset`,
        yielded as they are recognised so the caller can report progress."""
        ...


def get_engine() -> SpeechEngine:
    """The app's engine, loaded once per process (a model takes seconds to load)."""
    engine = current_app.extensions.get("memoire.asr")
    if engine is None:
        engine = _factory(current_app.config.get("MEMOIRE_ASR_ENGINE"))(current_app.config)
        current_app.extensions["memoire.asr"] = engine
    return engine


def _factory(name: str | None):
    """MEMOIRE_ASR_ENGINE names another engine as "module:callable" (called with the config)."""
    if not name:
        from memoire.asr import whisper

        return whisper.load
    module, _, attribute = str(name).partition(":")
    return getattr(importlib.import_module(module), attribute)


def unavailable(detail: str = "") -> AsrUnavailable:
    return AsrUnavailable(
        _l("Automatic transcription is not available on this archive: no speech model is installed. %(detail)s",
           detail=detail)
    )
