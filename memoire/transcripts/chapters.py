"""Chapters written out: WebVTT chapters for players, OHMS XML for the oral-history tools.

What comes out is what the public may read: withheld passages as their neutral mark
(`segment_text`), and a chapter's GPS point only for a story whose location is exact.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace

from memoire.transcripts.models import Transcript
from memoire.transcripts.writers import to_webvtt

OHMS_NAMESPACE = "https://www.weareavp.com/nunncenter/ohms"
#: A last chapter without a known end lasts this long in WebVTT.
_LAST_CHAPTER = 60.0


def _clock(seconds: float) -> str:
    total = int(round(seconds))
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def chapters_webvtt(transcript: Transcript, duration: float | None) -> str:
    """WebVTT `kind="chapters"`: one cue per chapter, from its start to the next one's."""
    chapters = sorted(transcript.chapters, key=lambda c: c.start)
    cues = []
    for n, chapter in enumerate(chapters):
        later = [c.start for c in chapters[n + 1 :] if c.start > chapter.start]
        end = later[0] if later else max(duration or 0, chapter.start + _LAST_CHAPTER)
        cues.append(SimpleNamespace(start=chapter.start, end=end, speaker=None, text=chapter.title))
    return to_webvtt(cues)


def chapter_point(story, chapter) -> dict | None:
    """A chapter's GPS point and its words, as far as they may leave the archive: only for a
    story whose location is exact (a coarsened story never points a moment at a spot)."""
    if (story.precision or "exact") != "exact":
        return None
    if chapter.lat is None or chapter.lon is None:
        return {"lat": None, "lon": None, "text": chapter.gps_text or ""} if chapter.gps_text else None
    return {"lat": chapter.lat, "lon": chapter.lon, "text": chapter.gps_text or ""}


def to_ohms(story, transcript: Transcript, segment_text, duration: float | None) -> bytes:
    """An OHMS XML record: the transcript as <vtt_transcript>, the chapters as the <index>."""
    ET.register_namespace("", OHMS_NAMESPACE)
    root = ET.Element(f"{{{OHMS_NAMESPACE}}}ROOT")
    record = ET.SubElement(root, "record", {"id": str(story.id)})

    def add(parent, name, text=""):
        element = ET.SubElement(parent, name)
        element.text = text
        return element

    add(record, "version", "5.4")
    add(record, "title", story.title)
    add(record, "duration", _clock(duration) if duration else "")
    add(record, "language", transcript.language or "")
    segments = [
        SimpleNamespace(start=s.start, end=s.end, speaker=s.speaker, text=segment_text(s))
        for s in transcript.segments
    ]
    add(record, "vtt_transcript", to_webvtt(segments) if segments else "")
    index = add(record, "index")
    for chapter in sorted(transcript.chapters, key=lambda c: c.start):
        point = add(index, "point")
        add(point, "time", str(int(chapter.start)) if chapter.start == int(chapter.start)
            else f"{chapter.start:.3f}")
        add(point, "title", chapter.title)
        add(point, "partial_transcript", chapter.partial_transcript or "")
        add(point, "synopsis", chapter.synopsis or "")
        add(point, "keywords", ";".join(chapter.keywords or []))
        add(point, "subjects", ";".join(chapter.subjects or []))
        gps = add(point, "gpspoints")
        where = chapter_point(story, chapter) or {"lat": None, "lon": None, "text": ""}
        has_point = where["lat"] is not None
        add(gps, "gps", f"{where['lat']}, {where['lon']}" if has_point else "")
        add(gps, "gps_zoom", "")
        add(gps, "gps_text", where["text"])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
