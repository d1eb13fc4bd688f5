"""Transcripts of recordings, as timed segments; their revisions and proposed corrections."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memoire.core.db import TimestampMixin, utcnow
from memoire.extensions import db

if TYPE_CHECKING:
    from memoire.accounts.models import User
    from memoire.places.models import Place
    from memoire.stories.models import Story


class Transcript(TimestampMixin, db.Model):
    __tablename__ = "transcript"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(10), default="fr")
    source_format: Mapped[str] = mapped_column(String(20), default="text")
    # The number of the last revision: an editor saves against the version it read.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set on a machine draft (memoire.asr): "unreviewed" keeps it from the public until a
    # person has reviewed it ("reviewed") or a moderator published it labelled ("labelled").
    machine_review: Mapped[str | None] = mapped_column(String(20))

    story: Mapped[Story] = relationship(back_populates="transcripts")
    segments: Mapped[list[TranscriptSegment]] = relationship(
        back_populates="transcript", cascade="all, delete-orphan", order_by="TranscriptSegment.position"
    )
    translations: Mapped[list[TranscriptTranslation]] = relationship(
        back_populates="transcript",
        cascade="all, delete-orphan",
        order_by="TranscriptTranslation.language",
        passive_deletes=True,
    )
    chapters: Mapped[list[TranscriptChapter]] = relationship(
        back_populates="transcript",
        cascade="all, delete-orphan",
        order_by="TranscriptChapter.start",
        passive_deletes=True,
    )
    revisions: Mapped[list[TranscriptRevision]] = relationship(
        back_populates="transcript",
        cascade="all, delete-orphan",
        order_by="TranscriptRevision.number",
        passive_deletes=True,
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
    # A machine draft's word times ([[word, start, end, probability], ...]) for later alignment.
    words: Mapped[list | None] = mapped_column(JSON)
    # Why a person should look twice at this segment (e.g. "repetition": an engine loop was cut).
    flag: Mapped[str | None] = mapped_column(String(30))

    transcript: Mapped[Transcript] = relationship(back_populates="segments")
    place: Mapped[Place | None] = relationship()


class Origin(StrEnum):
    """Where a revision's words come from: a person, a machine draft, or a file taken in."""

    human = "human"
    machine = "machine"
    imported = "import"


class TranscriptRevision(db.Model):
    """One save of a transcript: who, when, and the segments it replaced (as hunks).

    `changes` lists hunks {"at": position, "before": [segment...], "after": [segment...]}
    where a segment is {"id", "start", "end", "speaker", "text", "place_id"}; undoing the
    hunks of later revisions, last first, gives back an earlier state.
    """

    __tablename__ = "transcript_revision"
    __table_args__ = (UniqueConstraint("transcript_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcript.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(String(20), default=Origin.human.value)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changes: Mapped[list] = mapped_column(JSON, default=list)

    transcript: Mapped[Transcript] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()

    @property
    def changed_ids(self) -> list[int]:
        """Ids of the segments this revision touched (those it created included)."""
        ids: dict[int, None] = {}
        for hunk in self.changes:
            for segment in hunk["before"] + hunk["after"]:
                if segment.get("id") is not None:
                    ids[segment["id"]] = None
        return list(ids)


class ProposalStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    refused = "refused"


class TranscriptProposal(db.Model):
    """A correction a resident proposes on a public transcript, until a moderator decides.

    `changes` lists {"segment_id", "before", "after"}: the text the resident read and
    the text they propose.
    """

    __tablename__ = "transcript_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcript.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    base_version: Mapped[int] = mapped_column(Integer)
    changes: Mapped[list] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=ProposalStatus.pending.value)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text, default="")

    transcript: Mapped[Transcript] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class TranscriptChapter(db.Model):
    """A chapter of an interview (an OHMS index segment): where it starts and what it is about.

    `place_id` ties it to the gazetteer; `lat`/`lon` keep an OHMS GPS point as it came."""

    __tablename__ = "transcript_chapter"

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcript.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[float] = mapped_column(Float)
    title: Mapped[str] = mapped_column(String(300))
    synopsis: Mapped[str] = mapped_column(Text, default="")
    partial_transcript: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    subjects: Mapped[list] = mapped_column(JSON, default=list)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    gps_text: Mapped[str] = mapped_column(String(300), default="")

    transcript: Mapped[Transcript] = relationship(back_populates="chapters")
    place: Mapped[Place | None] = relationship()


class SuggestionStatus(StrEnum):
    proposed = "proposed"
    confirmed = "confirmed"
    dismissed = "dismissed"


class PlaceSuggestion(db.Model):
    """A gazetteer place memoire found named in a segment, until a person confirms or dismisses
    it. Only a confirmed suggestion ties the segment to the place (`TranscriptSegment.place_id`):
    nothing unconfirmed is ever shown to the public."""

    __tablename__ = "transcript_place_suggestion"

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("transcript_segment.id", ondelete="CASCADE"), index=True
    )
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"), index=True)
    matched: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default=SuggestionStatus.proposed.value)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)

    segment: Mapped[TranscriptSegment] = relationship()
    place: Mapped[Place] = relationship()


class TranscriptTranslation(db.Model):
    """A second language track of a transcript, aligned to its segments (and so to its times).

    `texts` maps a segment id (as a string) to that segment's words in `language`."""

    __tablename__ = "transcript_translation"
    __table_args__ = (UniqueConstraint("transcript_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(
        ForeignKey("transcript.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(10))
    texts: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    transcript: Mapped[Transcript] = relationship(back_populates="translations")

    def text_of(self, segment) -> str:
        return self.texts.get(str(segment.id), "")
