"""The project's own error: a message for people, in their language, and a stable code."""

from __future__ import annotations


class MemoireError(Exception):
    """Base of every error a user can cause; `message` is already translated or lazy."""

    code = "error"
    status = 400

    def __init__(self, message, *, code: str | None = None, field: str | None = None, **params):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.params = params

    def __str__(self) -> str:
        return str(self.message)


class ValidationError(MemoireError):
    code = "invalid"


class NotFound(MemoireError):
    code = "not_found"
    status = 404


class Forbidden(MemoireError):
    code = "forbidden"
    status = 403


class Conflict(MemoireError):
    """The request does not fit the state the resource is in (already submitted, id taken...)."""

    code = "conflict"
    status = 409


class InvalidTransition(Conflict):
    """A story cannot move from its status to the one asked (`stories.operations.TRANSITIONS`);
    every door answers it as a conflict (409), with the same message."""


class MediaError(ValidationError):
    """A file that cannot be taken in: broken, hostile, unsupported or too large."""

    code = "invalid_media"


class TranscriptError(ValidationError):
    """A transcript that cannot be read; `line` names where, when known."""

    code = "invalid_transcript"

    def __init__(self, message, *, line: int | None = None, **kw):
        super().__init__(message, **kw)
        self.line = line
