"""Walks: a curated, ordered set of stories like an exhibition, walked through the territory.

A stop has the same shape as an exhibition item (a story, a caption used as the
stop's text, an optional excerpt), so the exhibitions' presenter builds each stop's
public description and the exhibitions' rule decides which stops are shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memoire.core.db import TimestampMixin
from memoire.extensions import db

if TYPE_CHECKING:
    from memoire.media.models import Media
    from memoire.stories.models import Story


class Walk(TimestampMixin, db.Model):
    __tablename__ = "walk"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    introduction: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | published
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)

    stops: Mapped[list[WalkStop]] = relationship(
        back_populates="walk", cascade="all, delete-orphan", order_by="WalkStop.position"
    )


class WalkStop(db.Model):
    __tablename__ = "walk_stop"

    id: Mapped[int] = mapped_column(primary_key=True)
    walk_id: Mapped[int] = mapped_column(ForeignKey("walk.id", ondelete="CASCADE"), index=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    caption: Mapped[str] = mapped_column(Text, default="")  # the stop's text
    excerpt_start: Mapped[float | None] = mapped_column(Float)
    excerpt_end: Mapped[float | None] = mapped_column(Float)
    photo_media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))

    walk: Mapped[Walk] = relationship(back_populates="stops")
    story: Mapped[Story] = relationship()
    photo: Mapped[Media | None] = relationship()
