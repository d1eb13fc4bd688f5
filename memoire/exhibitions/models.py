"""Exhibitions: ordered, captioned sets of stories that curators publish."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memoire.core.db import TimestampMixin
from memoire.extensions import db

if TYPE_CHECKING:
    from memoire.media.models import Media
    from memoire.stories.models import Story


class Exhibition(TimestampMixin, db.Model):
    __tablename__ = "exhibition"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    introduction: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    cover_media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | published
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)

    items: Mapped[list[ExhibitionItem]] = relationship(
        back_populates="exhibition",
        cascade="all, delete-orphan",
        order_by="ExhibitionItem.position",
    )
    cover: Mapped[Media | None] = relationship()


class ExhibitionItem(db.Model):
    __tablename__ = "exhibition_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(
        ForeignKey("exhibition.id", ondelete="CASCADE"), index=True
    )
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    caption: Mapped[str] = mapped_column(Text, default="")
    excerpt_start: Mapped[float | None] = mapped_column(Float)
    excerpt_end: Mapped[float | None] = mapped_column(Float)
    photo_media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))

    exhibition: Mapped[Exhibition] = relationship(back_populates="items")
    story: Mapped[Story] = relationship()
    photo: Mapped[Media | None] = relationship()
