"""Writing audit lines."""

from __future__ import annotations

from memoire.audit.models import AuditEvent
from memoire.extensions import db


def record(actor, action: str, object_type: str, object_id: int | None, **detail) -> AuditEvent:
    """Add an audit line to the current transaction. `detail` must hold no personal data."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
    db.session.add(event)
    return event
