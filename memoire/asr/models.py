"""A request to transcribe one recording, and how far the machine has got."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memoire.core.db import utcnow
from memoire.extensions import db


class RunStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class MachineReview(StrEnum):
    """States of a machine draft (`Transcript.machine_review`)."""

    unreviewed = "unreviewed"  # staff and researchers only
    labelled = "labelled"  # published by a moderator, shown with its label
    reviewed = "reviewed"  # a person went through it: a transcript like any other


class TranscriptionRun(db.Model):
    """One machine transcription of a recording; progress survives a reload (it is a row)."""

    __tablename__ = "transcription_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.queued.value, index=True)
    engine: Mapped[str] = mapped_column(String(120), default="")
    # Seconds of audio to do and done: progress and the estimate come from these.
    audio_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    done_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(Text)
    transcript_id: Mapped[int | None] = mapped_column(ForeignKey("transcript.id", ondelete="SET NULL"))
    # When a person's transcript already exists, the draft is kept here to be read side by side.
    side_draft: Mapped[list | None] = mapped_column(JSON)

    media = relationship("Media")
    story = relationship("Story")

    @property
    def progress(self) -> float:
        if self.status == RunStatus.done:
            return 1.0
        if not self.audio_seconds:
            return 0.0
        return max(0.0, min(1.0, self.done_seconds / self.audio_seconds))

    @property
    def seconds_left(self) -> float | None:
        """Estimated from the pace so far; None until there is a pace to go by."""
        if self.status != RunStatus.running or not self.started_at or self.done_seconds <= 0:
            return None
        elapsed = ((self.updated_at or utcnow()) - self.started_at).total_seconds()
        return max(0.0, elapsed / self.done_seconds * (self.audio_seconds - self.done_seconds))
