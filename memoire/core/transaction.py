"""The one edge that commits: a request, a command or a job is one transaction.

As indico's request handler does (`RH.process`), the edge commits once at the end and
rolls back on any error; operations only flush. For requests: a response below 400 is
committed, an error page (400 and up) or an exception rolls everything back. A view
that catches a domain error to show it on its form calls `refused(...)`, which undoes the
failed step at once so the page is drawn from what is stored. Commands and jobs use
`transaction()` or `@committed`.

The one documented exception: the workshop upload commits the workshop's new place, then
each file on its own (`contributions.views._workshop_upload`, `_take_workshop_files`), so
that one broken file among thirty keeps the others.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from functools import wraps

from flask import Flask, g, has_request_context

from memoire.extensions import db

_KEEP = "memoire_keep_changes"


@contextmanager
def transaction():
    """Commit what the block wrote when it ends; roll it all back if anything fails."""
    try:
        yield db.session
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def committed(function: Callable) -> Callable:
    """A command or job run as one transaction (see `transaction`)."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with transaction():
            return function(*args, **kwargs)

    return wrapper


def refused(form=None, error=None, field: str | None = None):
    """A step of this request failed with `error`: undo what it wrote now, and show the
    error on `form` (under `field`, else the field the error names)."""
    db.session.rollback()
    if form is not None and error is not None:
        from memoire.accounts.forms import add_error

        add_error(form, field or error.field, error.message)


def keep_changes() -> None:
    """Commit this request's work even though it answers with an error status
    (the answers of a form are kept while what they were for is refused)."""
    if has_request_context():
        setattr(g, _KEEP, True)


def init_app(app: Flask) -> None:
    @app.after_request
    def _commit_or_roll_back(response):
        if response.status_code < 400 or g.get(_KEEP):
            db.session.commit()
        else:
            db.session.rollback()
        return response
