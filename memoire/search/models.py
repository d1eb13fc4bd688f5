"""Index work: a row written in the same transaction as the change it follows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from memoire.core.db import utcnow
from memoire.extensions import db


class IndexWork(db.Model):
    """A story whose index document must be brought in line with the database."""

    __tablename__ = "index_work"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the work must outlive the story it deletes from the index.
    story_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    # The change removed words that must not survive anywhere in the index files
    # (erasure, a withheld passage): the backend purges deleted documents after it.
    purge: Mapped[bool] = mapped_column(Boolean, default=False)
