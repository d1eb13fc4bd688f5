"""What the transcript readers produce: plain segments, before they become database rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from memoire.core.errors import TranscriptError


@dataclass
class ParsedSegment:
    start: float | None  # seconds; None for untimed plain text
    end: float | None
    speaker: str | None
    text: str


@dataclass
class ParsedTranscript:
    segments: list[ParsedSegment]
    source_format: str  # "webvtt" | "srt" | "sbv" | "ohms" | "docx" | "text"


@dataclass
class ParsedChapter:
    """An OHMS index point: a chapter of the interview."""

    start: float
    title: str
    synopsis: str = ""
    partial_transcript: str = ""
    keywords: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    gps_text: str = ""


@dataclass
class Cue:
    """A segment with the line of the source it came from, so errors can name it."""

    segment: ParsedSegment
    line: int | None = None


_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Collapse runs of white space, because segment text is one flowing line."""
    return _SPACES.sub(" ", text).strip()


def seconds(hours: str | None, minutes: str, secs: str, fraction: str | None = None) -> float:
    """Seconds from clock fields as written; the fraction is decimal digits after the point."""
    value = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
    if fraction:
        value += int(fraction.ljust(3, "0")[:3]) / 1000
    return round(float(value), 3)


def refuse(message, *, line: int | None = None) -> TranscriptError:
    """The error for a transcript that cannot be taken in, naming its line when known."""
    return TranscriptError(message, line=line)
