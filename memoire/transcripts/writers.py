"""Transcripts written back out: WebVTT for players, plain text for people."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import webvtt
from flask_babel import lazy_gettext as _l
from webvtt.errors import MalformedCaptionError

from memoire.transcripts.parsed import clean_text, refuse

# A timed segment without an end is shown for as long as it takes to read it.
_SECONDS_PER_WORD = 0.4
_MIN_SHOWN = 2.0


def to_webvtt(segments: Iterable[Any]) -> str:
    """WebVTT of segments (objects with start, end, speaker, text), speakers as <v Name>.

    Timed segments become cues. Untimed ones (a plain-text transcript) become NOTE blocks in
    their place: a WebVTT reader keeps them out of the captions, so no time is invented for
    them, and a person opening the file still reads every word. A segment without an end
    lasts until the next start, or for a reading time when it is the last.
    """
    items = [_segment_fields(segment) for segment in segments]
    captions: list[webvtt.Caption] = []
    notes: list[str] = []
    for (start, end, speaker, text), next_start in zip(
        items, _next_later_starts(items), strict=True
    ):
        if not text:
            continue
        if start is None:
            notes.append(_note(speaker, text))
            continue
        if end is None:
            end = next_start or start + max(_MIN_SHOWN, _SECONDS_PER_WORD * len(text.split()))
        captions.append(_caption(start, end, _cue_text(speaker, text), notes))
        notes = []
    try:
        return webvtt.WebVTT(captions=captions, footer_comments=notes).content
    except ValueError as exc:  # webvtt-py checks what it writes can be read back
        raise refuse(_l("This transcript cannot be written as WebVTT.")) from exc


def _caption(start: float, end: float, text: str, notes: list[str]) -> webvtt.Caption:
    """A webvtt-py cue, with the untimed passages that come before it as its comments."""
    try:
        caption = webvtt.Caption(_clock(start), _clock(end), text)
    except MalformedCaptionError as exc:
        raise refuse(_l("This transcript cannot be written as WebVTT.")) from exc
    caption.comments = notes
    return caption


def to_text(segments: Iterable[Any]) -> str:
    """Plain text, one paragraph a segment: "[00:12:34] MARIE : text", or "MARIE : text"."""
    paragraphs = []
    for start, _end, speaker, text in map(_segment_fields, segments):
        if not text:
            continue
        label = f"{speaker} : " if speaker else ""
        stamp = f"[{_hms(start)}] " if start is not None else ""
        paragraphs.append(f"{stamp}{label}{text}")
    return "\n\n".join(paragraphs) + ("\n" if paragraphs else "")


def _segment_fields(segment: Any) -> tuple[float | None, float | None, str | None, str]:
    """start, end, speaker, text of any segment-like object, checked."""
    start = _time(getattr(segment, "start", None))
    end = _time(getattr(segment, "end", None))
    if start is not None and end is not None and end < start:
        raise refuse(_l("A transcript segment ends before it starts."))
    speaker = clean_text(str(getattr(segment, "speaker", None) or "")) or None
    text = clean_text(str(getattr(segment, "text", None) or ""))
    return start, end, speaker, text


def _time(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise refuse(_l("A transcript time is not a number.")) from exc
    if not math.isfinite(number) or number < 0 or number >= 10**8:
        raise refuse(_l("A transcript time is out of range."))
    return number


def _next_later_starts(items: list[tuple]) -> list[float | None]:
    """For each segment, the first start after it that is later than its own, if any."""
    found: list[float | None] = []
    later: list[float] = []  # a stack of the starts after this one, nearest on top
    for start, *_ in reversed(items):
        while later and start is not None and later[-1] <= start:
            later.pop()
        found.append(later[-1] if later and start is not None else None)
        if start is not None:
            later.append(start)
    return found[::-1]


def _clock(value: float) -> str:
    """hh:mm:ss.mmm, rounded to the millisecond."""
    millis = round(value * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _hms(value: float) -> str:
    """hh:mm:ss, the second it starts in."""
    secs = int(value)
    return f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}"


def _escape(text: str) -> str:
    """WebVTT cue text escaping; it also keeps "-->" out of cue text ("--&gt;")."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cue_text(speaker: str | None, text: str) -> str:
    return f"<v {_escape(speaker)}>{_escape(text)}" if speaker else _escape(text)


def _note(speaker: str | None, text: str) -> str:
    """A NOTE's words; "-->" would end a NOTE, so its arrow is written as a sign."""
    words = f"{speaker} : {text}" if speaker else text
    return words.replace("-->", "→")
