"""Which transcripts of a visible story a viewer may read: machine drafts wait for a person.

The story's own rule (`stories.visibility`) comes first; this one only narrows it. Every
output that shows transcript words (story page and JSON, WebVTT/text exports, IIIF, search
index, exhibitions, place moments) goes through `readable` or `is_public`.
"""

from __future__ import annotations

from flask_babel import gettext as _

from memoire.accounts.models import RESEARCH_ROLES, Role

#: Who reads an unreviewed machine draft: researchers, curators, staff, and the mediators
#: who collect and correct recordings.
DRAFT_READERS = frozenset(RESEARCH_ROLES | {Role.mediator})
UNREVIEWED = "unreviewed"


def is_public(transcript) -> bool:
    """Whether anonymous visitors may read it (given they may see its story)."""
    return transcript.machine_review != UNREVIEWED


def public_clause():
    """SQL form of `is_public` on `Transcript`."""
    from sqlalchemy import or_

    from memoire.transcripts.models import Transcript

    return or_(Transcript.machine_review.is_(None), Transcript.machine_review != UNREVIEWED)


def may_read_drafts(viewer) -> bool:
    return bool(getattr(viewer, "is_authenticated", False)) and viewer.role in DRAFT_READERS


def may_read(viewer, transcript) -> bool:
    return is_public(transcript) or may_read_drafts(viewer)


def readable(viewer, story) -> list:
    return [t for t in story.transcripts if may_read(viewer, t)]


def is_machine_draft(transcript) -> bool:
    """Shown with its label ("automatic transcription, not reviewed") wherever it appears."""
    return transcript.machine_review in (UNREVIEWED, "labelled")


def machine_draft_label() -> str:
    return _("Automatic transcription, not reviewed")
