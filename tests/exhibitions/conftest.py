"""Fixtures for exhibitions: a curator, a logged-in client, and stories with photos and a recording."""

from __future__ import annotations

import io

import pytest

from memoire.extensions import db
from tests.conftest import jpeg_bytes, wav_bytes

VTT = """WEBVTT

00:00:00.000 --> 00:00:01.500
<v Marie>On descendait à la fosse à six heures.

00:00:01.500 --> 00:00:03.000
<v Marie>Mon père était porion.

00:00:03.000 --> 00:00:04.500
<v Marie>Le dimanche, on allait au bal.

00:00:04.500 --> 00:00:06.000
<v Marie>Après, la fosse a fermé.
"""


@pytest.fixture
def app_config() -> dict:
    """Messages in English, so that assertions read the msgids; French is tested on its own."""
    return {"DEFAULT_LOCALE": "en", "LOCALES": "en,fr,nl"}


@pytest.fixture(autouse=True)
def user_per_request(app):
    """Load the user from each request's session.

    The `app` fixture keeps one app context open for the whole test, and requests
    reuse it, so Flask-Login's cached user (`g._login_user`) would leak from one
    request (or one client) to the next.
    """
    from flask import g

    @app.before_request
    def _forget_cached_user() -> None:
        g.pop("_login_user", None)


@pytest.fixture
def login(client):
    def log_in(user, as_client=None):
        target = as_client or client
        with target.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return target

    return log_in


@pytest.fixture
def curator(create_user):
    return create_user("curator")


@pytest.fixture
def add_photo(app):
    """add_photo(story, caption=..., color=...): a JPEG through the real intake; returns the Media."""
    from memoire.media.operations import add_media

    def factory(story, caption: str = "Le chevalement", color=(180, 90, 40), size=(800, 600)):
        media = add_media(
            None, story, io.BytesIO(jpeg_bytes(size=size, color=color)), caption=caption
        )
        db.session.commit()
        return media

    return factory


@pytest.fixture
def add_recording(app):
    """add_recording(story, seconds=6): a WAV, its stream made by the job queue, a timed transcript."""
    from memoire.jobs.operations import run_pending
    from memoire.media.operations import add_media
    from memoire.transcripts.operations import attach_transcript

    def factory(story, seconds: float = 6.0, vtt: str = VTT):
        media = add_media(None, story, io.BytesIO(wav_bytes(seconds)), caption="Entretien")
        db.session.commit()
        run_pending()
        media = db.session.merge(media)
        attach_transcript(None, story, vtt.encode(), filename="entretien.vtt", media=media)
        db.session.commit()
        return media

    return factory


@pytest.fixture
def rich_story(create_story, create_place, add_photo, add_recording):
    """rich_story(title=...): a public story with two photos, a 6 s recording and its transcript."""

    def factory(title: str = "La fosse Dutemple", **kwargs):
        place = create_place()
        kwargs.setdefault("narrators", ["Marie Lefebvre"])
        story = create_story(title, places=[place], **kwargs)
        shade = sum(map(ord, title)) % 200  # stories' photos differ: storage is content-addressed
        add_photo(story, "Le chevalement", color=(shade, 90, 40))
        add_photo(story, "La cité", color=(40, 90, shade))
        add_recording(story)
        db.session.refresh(story)
        return story

    return factory
