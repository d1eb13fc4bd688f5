"""Attach transcripts to stories, and show them with redactions applied."""

from __future__ import annotations

from flask_babel import gettext as _

from memoire.extensions import db
from memoire.media.models import Media, MediaKind
from memoire.stories.models import Story
from memoire.stories.operations import touch
from memoire.transcripts import parsers
from memoire.transcripts.models import Transcript, TranscriptSegment

#: Shown (and indexed) instead of a withheld passage.
REDACTED_MARK = "[passage retiré]"


def attach_transcript(
    actor,
    story: Story,
    data: bytes,
    *,
    filename: str | None = None,
    media: Media | None = None,
    language: str | None = None,
) -> Transcript:
    """Parse and attach a transcript; replaces the story's transcript of the same recording."""
    if media is None:
        media = next((m for m in story.media if m.kind == MediaKind.audio), None)
    duration = media.duration if media is not None else None
    parsed = parsers.parse_transcript(data, filename, duration=duration)
    for old in [t for t in story.transcripts if t.media_id == (media.id if media else None)]:
        story.transcripts.remove(old)
    transcript = Transcript(language=language or story.language, source_format=parsed.source_format)
    transcript.media_id = media.id if media is not None else None
    story.transcripts.append(transcript)
    touch(story)
    transcript.segments = [
        TranscriptSegment(
            position=i,
            start=s.start,
            end=s.end,
            speaker=s.speaker,
            text=s.text,
        )
        for i, s in enumerate(parsed.segments)
    ]
    db.session.flush()
    return transcript


def segment_text(segment: TranscriptSegment) -> str:
    """The text every output shows: the neutral mark for withheld passages."""
    return _("[passage withheld]") if segment.is_redacted else segment.text


def index_text(segment: TranscriptSegment) -> str:
    """What the index holds for a segment: never the withheld words."""
    return REDACTED_MARK if segment.is_redacted else segment.text


def apply_redactions(media: Media) -> int:
    """Mark the segments overlapping a redaction of this recording; return how many."""
    count = 0
    ranges = [(r.start, r.end) for r in media.redactions]
    for transcript in db.session.query(Transcript).filter_by(media_id=media.id):
        for segment in transcript.segments:
            hidden = segment.start is not None and any(
                segment.start < end and (segment.end or segment.start) > start
                for start, end in ranges
            )
            if hidden != segment.is_redacted:
                segment.is_redacted = hidden
            count += hidden
    db.session.flush()
    return count
