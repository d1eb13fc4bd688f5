"""OHMS XML exports (Oral History Metadata Synchronizer): synchronised transcript or index.

Three shapes are read, the first present wins:
- OHMS 6 `<vtt_transcript>`: WebVTT inside the XML, speakers as `<v NAME>`;
- OHMS 5 `<transcript>` with `<sync>`: "1:|13(3)|19(14)|…" says that minute 1 of the
  recording is reached at line 13, word 3 of the transcript, minute 2 at line 19, word 14…
  Paragraphs become segments, cut again at each line that carries a minute mark; their
  start is read between the two nearest marks, in proportion to the words between them;
- the index `<point>`s (time, title, synopsis), when there is no transcript.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import defusedxml.ElementTree as SafeET
from flask_babel import lazy_gettext as _l

from memoire.transcripts.captions import parse_webvtt
from memoire.transcripts.parsed import (
    Cue,
    ParsedChapter,
    ParsedSegment,
    clean_text,
    refuse,
    seconds,
)
from memoire.transcripts.plaintext import parse_lines

_NO_TRANSCRIPT = {"", "no transcript.", "no transcript"}
_FOOTNOTE_REF = re.compile(r"\[\[footnote\]\].*?\[\[/footnote\]\]")
_STAMP = re.compile(r"^\s*(\d{1,7})\((\d{1,7})\)\s*$")
_CLOCK = re.compile(r"^\s*(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:\.(\d{1,3}))?\s*$")
_NUMBER = re.compile(r"^\s*\d{1,7}(?:\.\d{1,3})?\s*$")


def looks_like_ohms(text_head: str) -> bool:
    """True when the start of an XML text is an OHMS export (<ROOT> holding a <record>)."""
    return bool(re.search(r"<(?:\w+:)?ROOT[\s>]", text_head)) and bool(
        re.search(r"<(?:\w+:)?record[\s>]", text_head)
    )


def parse_ohms(data: bytes, text: str, *, duration: float | None = None) -> list[Cue]:
    """Cues of an OHMS export; `text` is the decoded file, used to number lines in errors."""
    record = _record(data)
    known_end = duration if duration is not None else _record_duration(record)
    # The first shape that yields words wins; an empty one gives way to the next.
    vtt = _child_text(record, "vtt_transcript")
    if vtt.strip():
        cues = parse_webvtt(vtt, headerless=True, ohms=True)
        if cues:
            return _shift_lines(cues, _content_line(text, "vtt_transcript"))
    transcript = _child_text(record, "transcript")
    if transcript.strip().lower() not in _NO_TRANSCRIPT:
        cues = _synchronised(transcript, _child_text(record, "sync"), known_end)
        if cues:
            return _shift_lines(cues, _content_line(text, "transcript"))
    return _index_points(record, known_end)


def _record(data: bytes) -> ET.Element:
    """The <record> of the export, parsed with entity expansion and DTDs refused."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise refuse(_l("Line %(line)s: this XML cannot be read.", line=line), line=line) from exc
    except Exception as exc:  # defusedxml's refusals (DTD, entities) and expat's limits
        raise refuse(_l("This XML file is refused: it declares entities or a DTD.")) from exc
    if _local(root.tag) != "ROOT":
        raise refuse(_l("This XML file is not an OHMS export."))
    record = next((el for el in root if _local(el.tag) == "record"), None)
    if record is None:
        raise refuse(_l("This OHMS export holds no record."))
    return record


def _local(tag: object) -> str:
    """Tag name without its namespace; comments and processing instructions have none."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(parent: ET.Element, name: str) -> ET.Element | None:
    return next((el for el in parent if _local(el.tag) == name), None)


def _child_text(parent: ET.Element | None, name: str) -> str:
    """All the text of a child element, or "" when it is missing."""
    element = _child(parent, name) if parent is not None else None
    return "".join(element.itertext()) if element is not None else ""


def _record_duration(record: ET.Element) -> float | None:
    """The recording's length as OHMS writes it ("0:28:06"); 00:00:00 means unknown."""
    match = _CLOCK.match(_child_text(record, "duration"))
    if not match:
        return None
    value = seconds(*match.groups())
    return value or None


def _content_line(text: str, tag: str) -> int:
    """Number of the file line where an element's content begins, so errors point into the file."""
    found = re.search(rf"<(?:\w+:)?{tag}(?:\s[^>]*)?>(?:<!\[CDATA\[)?", text)
    return text.count("\n", 0, found.end()) if found else 0


def _shift_lines(cues: list[Cue], offset: int) -> list[Cue]:
    for cue in cues:
        if cue.line is not None:
            cue.line += offset
    return cues


# OHMS 5: transcript and sync ---------------------------------------------------------------


def _synchronised(transcript: str, sync: str, known_end: float | None) -> list[Cue]:
    """Segments of a transcript, timed from the minute marks of <sync> when it has them."""
    lines = transcript.split("\n")
    lines = _without_footnotes(lines)
    words_before = [0]
    for line in lines:
        words_before.append(words_before[-1] + len(line.split()))
    step, marks = _sync_marks(sync, lines, words_before)
    numbered = [(n, _FOOTNOTE_REF.sub("", line)) for n, line in enumerate(lines, start=1)]
    if not marks:
        return parse_lines(numbered, duration=known_end)
    clock = _Clock(marks, step, known_end)
    starts: dict[int, float] = {}
    paragraph_start = True
    marked_lines = {line for line, _ in marks.values()}
    for number, line in numbered:
        if not line.strip():
            paragraph_start = True
            continue
        if paragraph_start or number in marked_lines:
            starts[number] = clock.at(words_before[number - 1])
        paragraph_start = False
    return parse_lines(numbered, duration=known_end, forced_starts=starts)


def _without_footnotes(lines: list[str]) -> list[str]:
    """Blank the [[footnotes]] block (kept as empty lines so sync line numbers still hold)."""
    kept: list[str] = []
    inside = False
    for line in lines:
        if "[[footnotes]]" in line:
            inside = True
        kept.append("" if inside else line)
        if "[[/footnotes]]" in line:
            inside = False
    return kept


def _sync_marks(
    sync: str, lines: Sequence[str], words_before: Sequence[int]
) -> tuple[float, dict[int, tuple[int, float]]]:
    """Seconds between marks, and the marks as {word position: (line number, seconds)}."""
    head, _, stamps = sync.partition(":")
    if not stamps or not re.fullmatch(r"\s*\d{1,4}\s*", head):
        return 60.0, {}
    step = float(int(head) * 60 or 60)
    marks: dict[int, tuple[int, float]] = {}
    for index, stamp in enumerate(stamps.split("|")):
        match = _STAMP.match(stamp)
        if not match:
            continue
        line, word = int(match.group(1)), int(match.group(2))
        if not 1 <= line <= len(lines):
            continue
        in_line = words_before[line] - words_before[line - 1]
        position = words_before[line - 1] + min(max(word, 1), max(in_line, 1)) - 1
        marks.setdefault(position, (line, index * step))
    return step, marks


class _Clock:
    """Time of a word position, read between the minute marks that surround it."""

    def __init__(self, marks: dict[int, tuple[int, float]], step: float, known_end: float | None):
        points = [(0, 0.0)]
        for position in sorted(marks):
            time = marks[position][1]
            if position > points[-1][0] and time > points[-1][1]:
                points.append((position, time))
        self.positions = [p for p, _ in points]
        self.times = [t for _, t in points]
        # After the last mark, speech goes on at the pace it had, for less than a minute.
        last_position, last_time = points[-1]
        pace = last_time / last_position if last_position else 0.5
        ceiling = last_time + step
        if known_end is not None and known_end > last_time:
            ceiling = min(ceiling, known_end)
        self.pace, self.ceiling = pace, ceiling

    def at(self, position: int) -> float:
        index = bisect.bisect_right(self.positions, position) - 1
        if index + 1 < len(self.positions):
            p0, p1 = self.positions[index], self.positions[index + 1]
            t0, t1 = self.times[index], self.times[index + 1]
            return round(t0 + (position - p0) * (t1 - t0) / (p1 - p0), 3)
        t0 = self.times[index] + (position - self.positions[index]) * self.pace
        return round(min(t0, max(self.ceiling, self.times[index])), 3)


# Index points ------------------------------------------------------------------------------


def _index_points(record: ET.Element, known_end: float | None) -> list[Cue]:
    """One segment per index point, "title — synopsis", in time order."""
    index = _child(record, "index")
    points: list[tuple[float, str]] = []
    for point in index if index is not None else ():
        if _local(point.tag) != "point":
            continue
        time = _point_time(_child_text(point, "time"))
        words = " — ".join(
            part
            for part in (
                clean_text(_child_text(point, "title")),
                clean_text(_child_text(point, "synopsis")),
            )
            if part
        )
        if time is not None and words:
            points.append((time, words))
    points.sort(key=lambda p: p[0])
    cues = []
    for position, (time, words) in enumerate(points):
        later = [t for t, _ in points[position + 1 :] if t > time]
        end = (
            later[0]
            if later
            else (known_end if known_end is not None and known_end >= time else None)
        )
        cues.append(Cue(ParsedSegment(time, end, None, words)))
    return cues


def _point_time(value: str) -> float | None:
    """An index point's time: seconds ("3473") or a clock ("0:57:53")."""
    if _NUMBER.match(value):
        return round(float(value), 3)
    match = _CLOCK.match(value)
    return seconds(*match.groups()) if match else None


# Chapters ----------------------------------------------------------------------------------

_GPS = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def parse_index(data: bytes) -> list[ParsedChapter]:
    """Every index point of an OHMS export as a chapter, with all its fields, in time order.

    Keywords and subjects are split on ";" as OHMS writes them; the first GPS point of a
    chapter is kept when it reads as "lat, lon" inside the world's bounds."""
    record = _record(data)
    index = _child(record, "index")
    chapters: list[ParsedChapter] = []
    for point in index if index is not None else ():
        if _local(point.tag) != "point":
            continue
        time = _point_time(_child_text(point, "time"))
        title = clean_text(_child_text(point, "title"))
        if time is None or not title:
            continue
        lat = lon = None
        gps_text = ""
        holder = _child(point, "gpspoints")
        holder = holder if holder is not None else point
        match = _GPS.match(_child_text(holder, "gps"))
        if match:
            lat, lon = float(match.group(1)), float(match.group(2))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                lat = lon = None
        gps_text = clean_text(_child_text(holder, "gps_text"))[:300]
        chapters.append(ParsedChapter(
            start=time,
            title=title[:300],
            synopsis=clean_text(_child_text(point, "synopsis")),
            partial_transcript=clean_text(_child_text(point, "partial_transcript")),
            keywords=_terms(_child_text(point, "keywords")),
            subjects=_terms(_child_text(point, "subjects")),
            lat=lat,
            lon=lon,
            gps_text=gps_text,
        ))
    chapters.sort(key=lambda c: c.start)
    return chapters


def _terms(text: str) -> list[str]:
    return [t for t in (clean_text(part) for part in text.split(";")) if t]
