"""Media items of a story: the untouched original and the derivatives browsers get."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memoire.core.db import TimestampMixin
from memoire.extensions import db

if TYPE_CHECKING:
    from memoire.stories.models import Story


class MediaKind(StrEnum):
    image = "image"
    audio = "audio"
    document = "document"


class DerivativeRole(StrEnum):
    thumbnail = "thumbnail"
    display = "display"
    stream = "stream"  # browser-playable (and redacted) audio
    waveform = "waveform"  # JSON peaks for the player


class StoredFileMixin:
    """What the archive knows of any stored file: key, checksum, size and type."""

    storage_key: Mapped[str] = mapped_column(String(200), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(100))


class Media(StoredFileMixin, TimestampMixin, db.Model):
    """An original as uploaded. Kept untouched and private; never served to the public."""

    __tablename__ = "media"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    caption: Mapped[str] = mapped_column(Text, default="")
    alt_text: Mapped[str] = mapped_column(Text, default="")
    # Image facts.
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime)
    # EXIF GPS of the original: a suggestion for staff, never published on its own.
    gps_lat: Mapped[float | None] = mapped_column(Float)
    gps_lon: Mapped[float | None] = mapped_column(Float)
    has_personal_metadata: Mapped[bool] = mapped_column(Boolean, default=False)
    # Audio facts.
    duration: Mapped[float | None] = mapped_column(Float)
    codec: Mapped[str | None] = mapped_column(String(50))
    bitrate: Mapped[int | None] = mapped_column(Integer)
    sample_rate: Mapped[int | None] = mapped_column(Integer)
    channels: Mapped[int | None] = mapped_column(Integer)
    tags: Mapped[dict] = mapped_column(JSON, default=dict)
    # "ready", or "pending" while a derivative is being prepared in the background.
    processing: Mapped[str] = mapped_column(String(20), default="ready")

    story: Mapped[Story] = relationship(back_populates="media")
    derivatives: Mapped[list[Derivative]] = relationship(
        back_populates="media", cascade="all, delete-orphan"
    )
    redactions: Mapped[list[Redaction]] = relationship(
        back_populates="media", cascade="all, delete-orphan", order_by="Redaction.start"
    )

    def derivative(self, role: str) -> Derivative | None:
        return next((d for d in self.derivatives if d.role == role), None)

    def __repr__(self) -> str:
        return f"<Media {self.id} {self.kind}>"


class Derivative(StoredFileMixin, db.Model):
    """A file made from an original for browsers: personal metadata stripped, redactions applied."""

    __tablename__ = "derivative"

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)

    media: Mapped[Media] = relationship(back_populates="derivatives")


class Redaction(db.Model):
    """A time range of a recording withheld from every public output."""

    __tablename__ = "redaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="CASCADE"), index=True)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime | None] = mapped_column(DateTime)

    media: Mapped[Media] = relationship(back_populates="redactions")
