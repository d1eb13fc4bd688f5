"""Subjective maps: layers of how a neighbourhood is lived and felt, drawn with residents."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memoire.core.db import TimestampMixin
from memoire.extensions import db


class Feeling(StrEnum):
    pride = "pride"
    belonging = "belonging"
    nostalgia = "nostalgia"
    joy = "joy"
    fear = "fear"
    anger = "anger"
    sadness = "sadness"


class SubjectiveMap(TimestampMixin, db.Model):
    __tablename__ = "subjective_map"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    group_name: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    # Same life cycle as stories: nothing public before review.
    # active_history: memoire.stories.generation needs the status a change leaves.
    status: Mapped[str] = mapped_column(String(20), default="draft", active_history=True)

    features: Mapped[list[MapFeature]] = relationship(
        back_populates="map", cascade="all, delete-orphan", order_by="MapFeature.id"
    )


class MapFeature(TimestampMixin, db.Model):
    __tablename__ = "map_feature"

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(
        ForeignKey("subjective_map.id", ondelete="CASCADE"), index=True
    )
    geometry: Mapped[dict] = mapped_column(JSON)  # GeoJSON geometry, WGS84, longitude first
    label: Mapped[str] = mapped_column(String(300), default="")
    feeling: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    author_name: Mapped[str] = mapped_column(String(200), default="")
    story_id: Mapped[int | None] = mapped_column(ForeignKey("story.id", ondelete="SET NULL"))

    map: Mapped[SubjectiveMap] = relationship(back_populates="features")
