"""Stories (souvenirs), their narrators, themes, places and consent."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
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
    from memoire.accounts.models import User
    from memoire.media.models import Media
    from memoire.places.models import Place
    from memoire.transcripts.models import Transcript


class Kind(StrEnum):
    oral_history = "oral_history"
    photo = "photo"
    anecdote = "anecdote"
    heritage = "heritage"


class Visibility(StrEnum):
    public = "public"
    researchers = "researchers"
    private = "private"


class Status(StrEnum):
    draft = "draft"
    submitted = "submitted"
    published = "published"
    rejected = "rejected"
    withdrawn = "withdrawn"


class Precision(StrEnum):
    """How precisely a story's location may be shown to the public."""

    exact = "exact"
    street = "street"  # about 100 m
    quartier = "quartier"


class ConsentMethod(StrEnum):
    online = "online"
    signed_form = "signed_form"
    oral_recorded = "oral_recorded"


class PlaceRole(StrEnum):
    happened = "happened"  # where it happened
    told = "told"  # where it was told / recorded


story_themes = Table(
    "story_theme",
    db.metadata,
    Column("story_id", ForeignKey("story.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
)


class Theme(db.Model):
    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Names in other interface languages: {"nl": "mijn", "en": "mine"}.
    names: Mapped[dict] = mapped_column(JSON, default=dict)

    def label(self, locale: str | None) -> str:
        return (self.names or {}).get(locale or "", self.name) or self.name


class Person(TimestampMixin, db.Model):
    """A narrator. Personal data is kept minimal: a name or pseudonym, a decade, a neighbourhood."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    is_pseudonym: Mapped[bool] = mapped_column(Boolean, default=False)
    birth_decade: Mapped[int | None] = mapped_column(Integer)
    neighbourhood: Mapped[str | None] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<Person {self.id}>"


class StoryNarrator(db.Model):
    __tablename__ = "story_narrator"

    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship()


class StoryPlace(db.Model):
    __tablename__ = "story_place"

    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True, default=PlaceRole.happened.value)
    position: Mapped[int] = mapped_column(Integer, default=0)

    place: Mapped[Place] = relationship()


class Story(TimestampMixin, db.Model):
    __tablename__ = "story"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Identifier given by an import file or another system; every input naming a story accepts it.
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitised on output
    kind: Mapped[str] = mapped_column(String(20), default=Kind.anecdote.value)
    language: Mapped[str] = mapped_column(String(10), default="fr")

    # Period of the memory: years, with the words people used kept as said.
    period_start: Mapped[int | None] = mapped_column(Integer, index=True)
    period_end: Mapped[int | None] = mapped_column(Integer)
    period_text: Mapped[str | None] = mapped_column(String(100))
    period_approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_on: Mapped[date | None] = mapped_column(Date)

    # An exact point given by the contributor (tap on the map); shown coarsened per `precision`.
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    precision: Mapped[str] = mapped_column(String(20), default=Precision.exact.value)
    # The coarsened point public maps show, kept by `memoire.maps.points` in the flush that
    # moves it (point, precision, places, publicness), so a map of 20,000 stories need not
    # coarsen per request. NULL while the story is not public or has no point.
    public_lat: Mapped[float | None] = mapped_column(Float)
    public_lon: Mapped[float | None] = mapped_column(Float)

    # active_history: the value before a change is loaded even when the row was expired, so
    # that memoire.stories.generation can tell a once-public story from a never-public one.
    visibility: Mapped[str] = mapped_column(
        String(20), default=Visibility.private.value, index=True, active_history=True
    )
    status: Mapped[str] = mapped_column(
        String(20), default=Status.draft.value, index=True, active_history=True
    )
    licence: Mapped[str] = mapped_column(String(50), default="CC-BY-NC-4.0")
    contributor_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    moderation_note: Mapped[str | None] = mapped_column(Text)  # reason when sent back
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    # "Je me souviens aussi": the story this one answers (shown only to who may see it),
    # and optionally the moment (seconds) of its recording. Erasing it leaves this one.
    answers_id: Mapped[int | None] = mapped_column(
        ForeignKey("story.id", ondelete="SET NULL"), index=True
    )
    answers_at: Mapped[float | None] = mapped_column(Float)

    narrator_links: Mapped[list[StoryNarrator]] = relationship(
        cascade="all, delete-orphan", order_by=StoryNarrator.position
    )
    place_links: Mapped[list[StoryPlace]] = relationship(
        cascade="all, delete-orphan", order_by=StoryPlace.position
    )
    themes: Mapped[list[Theme]] = relationship(secondary=story_themes, order_by=Theme.name)
    consents: Mapped[list[Consent]] = relationship(
        back_populates="story", cascade="all, delete-orphan", order_by="Consent.id"
    )
    media: Mapped[list[Media]] = relationship(
        back_populates="story",
        cascade="all, delete-orphan",
        order_by="Media.position",
    )
    transcripts: Mapped[list[Transcript]] = relationship(
        back_populates="story", cascade="all, delete-orphan", order_by="Transcript.id"
    )
    contributor: Mapped[User | None] = relationship()

    @property
    def narrators(self) -> list[Person]:
        return [link.person for link in self.narrator_links]

    @property
    def places(self) -> list:
        return [link.place for link in self.place_links]

    @property
    def consent(self) -> Consent | None:
        """The consent in force: the latest one recorded."""
        return self.consents[-1] if self.consents else None

    @property
    def is_public(self) -> bool:
        return self.status == Status.published and self.visibility == Visibility.public

    def __repr__(self) -> str:
        return f"<Story {self.id}>"


class Consent(db.Model):
    """Who agreed, when, to what, and under which licence."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    given_by: Mapped[str] = mapped_column(String(200), default="")
    given_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # How it was given: online, signed_form, oral_recorded.
    method: Mapped[str] = mapped_column(String(30), default="online")
    online_publication: Mapped[bool] = mapped_column(Boolean, default=False)
    research_use: Mapped[bool] = mapped_column(Boolean, default=False)
    exhibition_use: Mapped[bool] = mapped_column(Boolean, default=False)
    licence: Mapped[str] = mapped_column(String(50), default="CC-BY-NC-4.0")
    precision: Mapped[str] = mapped_column(String(20), default=Precision.exact.value)
    narrator_is_minor: Mapped[bool] = mapped_column(Boolean, default=False)
    guardian_name: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)

    story: Mapped[Story] = relationship(back_populates="consents")


class StoryTombstone(db.Model):
    """What remains of an erased or withdrawn story: enough for OAI-PMH deleted records, no content."""

    __tablename__ = "story_tombstone"

    story_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # OAI set specs the record belonged to (commune:slug, theme:slug): not personal data.
    sets: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(String(30), default="erased")


class ArchiveGeneration(db.Model):
    """How many times what a map or a list shows has changed, per audience ("all", "public").

    The validators of cached map bodies (memoire.stories.generation): one row read per
    request instead of a fingerprint of the tables, shared by every process. A counter
    starts at a random value, so that an archive made anew never repeats an old one's.
    """

    __tablename__ = "archive_generation"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger, default=0)
