"""Who may open a page: one decorator for every role-restricted view."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from memoire.extensions import login_manager


def role_required(*roles: str):
    """Only users with one of `roles` (administrators always): visitors are sent to log in,
    others refused with 403."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate
