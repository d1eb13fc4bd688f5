"""Transcripts of recordings, as timed segments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memoire.core.db import TimestampMixin
from memoire.extensions import db

if TYPE_CHECKING:
    from memoire.places.models import Place
    from memoire.stories.models import Story


class Transcript(TimestampMixin, db.Model):
    __tablename__ = "transcript"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(10), default="fr")
    source_format: Mapped[str] = mapped_column(String(20), default="text")

    story: Mapped[Story] = relationship(back_populates="transcripts")
    segments: Mapped[list[TranscriptSegment]] = relationship(
        back_populates="transcript", cascade="all, delete-orphan", order_by="TranscriptSegment.position"
    )

    @property
    def is_timed(self) -> bool:
        return any(s.start is not None for s in self.segments)


class TranscriptSegment(db.Model):
    __tablename__ = "transcript_segment"

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcript.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[float | None] = mapped_column(Float)  # seconds; None for plain text
    end: Mapped[float | None] = mapped_column(Float)
    speaker: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    # A place this minute of the recording speaks of.
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"))
    # Withheld by a moderator: shown and indexed as a neutral marker, never as its text.
    is_redacted: Mapped[bool] = mapped_column(Boolean, default=False)

    transcript: Mapped[Transcript] = relationship(back_populates="segments")
    place: Mapped[Place | None] = relationship()
