"""Then and now: an archive photo paired with a photo of the same view taken today.

Each side is a photo (`Media`) of its own story, moderated like any photo; the pair is
tied to a place of the gazetteer (the view). The pair only links the two: who may see
it is decided from both stories on every read (`then_now.operations`), never stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memoire.core.db import TimestampMixin
from memoire.extensions import db

if TYPE_CHECKING:
    from memoire.media.models import Media
    from memoire.places.models import Place


class ThenNowPair(TimestampMixin, db.Model):
    __tablename__ = "then_now_pair"
    __table_args__ = (UniqueConstraint("then_media_id", "now_media_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Erasing either photo (or its story) erases the pair: half a pair shows nothing.
    then_media_id: Mapped[int] = mapped_column(
        ForeignKey("media.id", ondelete="CASCADE"), index=True
    )
    now_media_id: Mapped[int] = mapped_column(
        ForeignKey("media.id", ondelete="CASCADE"), index=True
    )
    place_id: Mapped[int | None] = mapped_column(
        ForeignKey("place.id", ondelete="SET NULL"), index=True
    )
    caption: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))

    then_media: Mapped[Media] = relationship(foreign_keys=[then_media_id])
    now_media: Mapped[Media] = relationship(foreign_keys=[now_media_id])
    place: Mapped[Place | None] = relationship()

    def __repr__(self) -> str:
        return f"<ThenNowPair {self.id}>"
