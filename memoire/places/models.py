"""The gazetteer: communes, quartiers, streets, buildings and landmarks."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import JSON, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memoire.core.db import TimestampMixin
from memoire.extensions import db


class PlaceType(StrEnum):
    commune = "commune"
    quartier = "quartier"
    street = "street"
    building = "building"
    landmark = "landmark"


class Place(TimestampMixin, db.Model):
    __tablename__ = "place"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    other_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    type: Mapped[str] = mapped_column(String(20), default=PlaceType.landmark.value)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # Optional outline, as a GeoJSON geometry (Polygon or MultiPolygon), WGS84.
    outline: Mapped[dict | None] = mapped_column(JSON)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"), index=True)
    osm_id: Mapped[str | None] = mapped_column(String(50))
    geonames_id: Mapped[str | None] = mapped_column(String(50))
    wikidata_id: Mapped[str | None] = mapped_column(String(50))
    # Identifier in an imported gazetteer (e.g. INSEE code), used to update on re-import.
    # active_history: memoire.stories.generation needs the value a change leaves.
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True, active_history=True)
    description: Mapped[str] = mapped_column(Text, default="")

    parent: Mapped[Place | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Place]] = relationship(back_populates="parent")

    @property
    def ancestors(self) -> list[Place]:
        """Parent first, up to the commune; guards against cycles in bad data."""
        chain, seen, node = [], {self.id}, self.parent
        while node is not None and node.id not in seen:
            chain.append(node)
            seen.add(node.id)
            node = node.parent
        return chain

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    def __repr__(self) -> str:
        return f"<Place {self.id} {self.name!r}>"
