"""The network's own life: organisations, facilitators, workshops and method cards.

A workshop links to what it produced (stories, drawn map layers, exhibitions) through
link tables that belong to this domain: a story or a map erased is unlinked by the
database itself (ON DELETE CASCADE), and the stories' own tables stay as they were.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memoire.core.db import TimestampMixin, utcnow
from memoire.extensions import db

if TYPE_CHECKING:
    from memoire.places.models import Place


class OrganisationKind(StrEnum):
    neighbourhood_house = "neighbourhood_house"
    social_centre = "social_centre"
    association = "association"
    university = "university"
    municipality = "municipality"


class Country(StrEnum):
    BE = "BE"
    FR = "FR"


class Audience(StrEnum):
    children = "children"
    teenagers = "teenagers"
    adults = "adults"
    seniors = "seniors"
    families = "families"
    intergenerational = "intergenerational"


class QuestionKind(StrEnum):
    """"For which kinds of questions" a method is made."""

    neighbourhood_past = "neighbourhood_past"  # getting a group to talk about the past
    feelings_about_place = "feelings_about_place"  # mapping feelings about a place
    intergenerational = "intergenerational"  # exchange between generations
    work_and_industry = "work_and_industry"  # mines, steel, glass, railways
    arrival_and_belonging = "arrival_and_belonging"  # migration, arriving, belonging
    urban_change = "urban_change"  # demolition, renovation, what changed


class FacilitatorKind(StrEnum):
    staff = "staff"
    resident = "resident"  # an "expert du vécu"


organisation_neighbourhood = Table(
    "organisation_neighbourhood",
    db.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    Column("place_id", ForeignKey("place.id", ondelete="CASCADE"), primary_key=True),
)

workshop_organisation = Table(
    "workshop_organisation",
    db.metadata,
    Column("workshop_id", ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
)

workshop_method = Table(
    "workshop_method",
    db.metadata,
    Column("workshop_id", ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True),
    Column("method_id", ForeignKey("method.id", ondelete="CASCADE"), primary_key=True),
)


class Organisation(TimestampMixin, db.Model):
    """A neighbourhood house, social centre, association, university or municipality."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30), default=OrganisationKind.association.value)
    country: Mapped[str] = mapped_column(String(2), default=Country.FR.value)
    address: Mapped[str] = mapped_column(String(500), default="")
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"), index=True)
    website: Mapped[str] = mapped_column(String(500), default="")
    # Only what the organisation chose to publish.
    contact_email: Mapped[str] = mapped_column(String(320), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitised on output
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)

    place: Mapped[Place | None] = relationship()
    neighbourhoods: Mapped[list[Place]] = relationship(secondary=organisation_neighbourhood)
    facilitators: Mapped[list[Facilitator]] = relationship(back_populates="organisation")


class Facilitator(TimestampMixin, db.Model):
    """Someone who runs workshops: staff, or a resident credited by name or pseudonym.

    Named in public (workshop pages, the directory) only while `is_listed`: an opt-in
    recorded with its date, withdrawable at any time.
    """

    __tablename__ = "facilitator"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    is_pseudonym: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(20), default=FacilitatorKind.staff.value)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    # The narrator record of the same person, if any: erasing the person erases this too.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    # Their own account, if they have one: they may withdraw their listing themselves.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    bio: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(320), default="")  # shown only while listed
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    listing_consent_at: Mapped[datetime | None] = mapped_column(DateTime)
    listing_withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)

    organisation: Mapped[Organisation | None] = relationship(back_populates="facilitators")

    @property
    def is_listed(self) -> bool:
        return self.listing_consent_at is not None and self.listing_withdrawn_at is None


class Workshop(TimestampMixin, db.Model):
    """A workshop or collection day: who ran it, how, with whom, and what came out of it."""

    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date | None] = mapped_column(Date)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"), index=True)
    audience: Mapped[str | None] = mapped_column(String(30))
    # How many took part: a number, never a list of names.
    participants: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitised on output
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))

    place: Mapped[Place | None] = relationship()
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=workshop_organisation, order_by="Organisation.name"
    )
    methods: Mapped[list[Method]] = relationship(secondary=workshop_method, order_by="Method.slug")
    facilitator_links: Mapped[list[WorkshopFacilitator]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopFacilitator.position"
    )

    @property
    def facilitators(self) -> list[Facilitator]:
        return [link.facilitator for link in self.facilitator_links]


class WorkshopFacilitator(db.Model):
    __tablename__ = "workshop_facilitator"

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitator.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    workshop: Mapped[Workshop] = relationship(back_populates="facilitator_links")
    facilitator: Mapped[Facilitator] = relationship()


class WorkshopStory(db.Model):
    """A story collected at a workshop (at most one)."""

    __tablename__ = "workshop_story"

    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)


class WorkshopMap(db.Model):
    """A subjective map layer drawn at a workshop (at most one)."""

    __tablename__ = "workshop_map"

    map_id: Mapped[int] = mapped_column(
        ForeignKey("subjective_map.id", ondelete="CASCADE"), primary_key=True
    )
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)


class WorkshopExhibition(db.Model):
    """An exhibition that came out of a workshop."""

    __tablename__ = "workshop_exhibition"

    exhibition_id: Mapped[int] = mapped_column(
        ForeignKey("exhibition.id", ondelete="CASCADE"), primary_key=True
    )
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)


class ConsentScan(db.Model):
    """The scanned paper consent form of a story's participant: a PRIVATE file.

    Never served by a media URL: only `network.consent_scan_file`, to whom
    `operations.may_see_consent_scans` allows. The row goes with its story (ON DELETE
    CASCADE) and the erasure deletes its file (`privacy.operations.erase_story`).
    """

    __tablename__ = "consent_scan"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    storage_key: Mapped[str] = mapped_column(String(100), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    # Whose form this is, in the mediator's words ("Mme D., participante"); private as the file.
    label: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Method(TimestampMixin, db.Model):
    """A method card of the knowledge centre; its content lives in versions, latest first shown."""

    __tablename__ = "method"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)

    versions: Mapped[list[MethodVersion]] = relationship(
        back_populates="method", cascade="all, delete-orphan", order_by="MethodVersion.number"
    )

    @property
    def current(self) -> MethodVersion:
        return self.versions[-1]

    @property
    def name(self) -> str:
        return self.current.name if self.versions else self.slug


class MethodVersion(db.Model):
    """One saved state of a method card: who wrote it, when, and all its fields."""

    __tablename__ = "method_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    method_id: Mapped[int] = mapped_column(ForeignKey("method.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text, default="")  # Markdown
    question_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    steps: Mapped[str] = mapped_column(Text, default="")  # Markdown
    materials: Mapped[str] = mapped_column(Text, default="")  # Markdown
    duration: Mapped[str] = mapped_column(String(200), default="")
    group_size: Mapped[str] = mapped_column(String(200), default="")
    audiences: Mapped[list[str]] = mapped_column(JSON, default=list)
    tips: Mapped[str] = mapped_column(Text, default="")  # pitfalls and tips, Markdown
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    licence: Mapped[str] = mapped_column(String(50), default="CC-BY-SA-4.0")
    note: Mapped[str] = mapped_column(String(500), default="")  # what changed
    author_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    method: Mapped[Method] = relationship(back_populates="versions")
