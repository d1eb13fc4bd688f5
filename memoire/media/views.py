"""Serving media: derivatives to whoever may see the story, originals to staff and owners only.

Files are served with HTTP Range support (Werkzeug's conditional responses), so that
seeking to minute 47 of an interview does not download the first 46.
"""

from __future__ import annotations

from flask import Blueprint, abort, send_file
from flask_login import current_user

from memoire.core.storage import get_storage
from memoire.extensions import db
from memoire.media.models import Derivative, Media
from memoire.stories.visibility import may_view

bp = Blueprint("media", __name__, url_prefix="/media")


def _send(key: str, mime: str, *, public: bool, download_name: str | None = None):
    storage = get_storage()
    if not storage.exists(key):
        abort(404)
    response = send_file(
        storage.path(key), mimetype=mime, conditional=True, etag=True,
        download_name=download_name, max_age=None,
    )
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if public:
        # URLs carry the content hash: a public derivative never changes under its URL.
        response.headers["Cache-Control"] = "public, max-age=86400"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/d/<int:derivative_id>/<sha>")
def derivative(derivative_id: int, sha: str):
    item = db.session.get(Derivative, derivative_id)
    if item is None or not item.sha256.startswith(sha) or len(sha) < 8:
        abort(404)
    story = item.media.story
    if not may_view(current_user, story):
        abort(404)
    return _send(item.storage_key, item.mime, public=story.is_public)


@bp.get("/o/<int:media_id>")
def original(media_id: int):
    """The untouched original, with its personal metadata: never for the public."""
    media = db.session.get(Media, media_id)
    if media is None or not current_user.is_authenticated:
        abort(404)
    story = media.story
    allowed = current_user.is_staff or (
        story.contributor_id == current_user.id and may_view(current_user, story)
    )
    if not allowed:
        abort(404)
    return _send(media.storage_key, media.mime, public=False, download_name=f"original-{media.id}")
