"""Fixtures of the search tests: searching as someone, transcripts, small archives."""

from __future__ import annotations

import pytest

from memoire.extensions import db

#: Endpoints the page shell links to; stubbed while their domain is still being written.
SHELL_ENDPOINTS = [
    ("web.home", "/"),
    ("maps.map_page", "/map"),
    ("exhibitions.index", "/exhibitions"),
    ("contributions.contribute", "/contribute"),
    ("contributions.my_stories", "/my-stories"),
    ("moderation.queue", "/moderation"),
    ("admin.index", "/admin"),
    ("accounts.login", "/login"),
    ("accounts.signup", "/signup"),
    ("accounts.logout", "/logout"),
]


@pytest.fixture
def page_shell(app):
    """Stub the endpoints base.html links to that other domains have not built yet."""
    for endpoint, rule in SHELL_ENDPOINTS:
        if endpoint not in app.view_functions:
            app.add_url_rule(f"/_stub{rule}", endpoint=endpoint, view_func=lambda: "")


def login(client, user) -> None:
    """Log `user` in on this test client, as Flask-Login's session does.

    The `app` fixture keeps one app context for the whole test, so `g` (where Flask-Login
    keeps the user it loaded) outlives requests: forget the user an earlier request loaded.
    """
    from flask import g

    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def find(app):
    """find(viewer, q=..., **params) → ids of the stories found, in order."""
    from memoire.search import service

    def search(viewer=None, **params):
        return [r.story.id for r in service.search(viewer, params).results]

    return search


@pytest.fixture
def add_transcript(app):
    """add_transcript(story, [(start, end, speaker, text), ...], language="fr")."""
    from memoire.transcripts.models import Transcript, TranscriptSegment

    def factory(story, segments, language: str = "fr", redacted: tuple[int, ...] = ()):
        transcript = Transcript(language=language, source_format="vtt")
        transcript.segments = [
            TranscriptSegment(
                position=i,
                start=start,
                end=end,
                speaker=speaker,
                text=text,
                is_redacted=i in redacted,
            )
            for i, (start, end, speaker, text) in enumerate(segments)
        ]
        story.transcripts.append(transcript)
        db.session.commit()
        return transcript

    return factory


@pytest.fixture
def hainaut(create_place):
    """Two communes with a quartier each, with points."""
    mons = create_place("Mons", type="commune", parent=None, lat=50.4542, lon=3.9523)
    epinlieu = create_place("Épinlieu", type="quartier", parent="Mons", lat=50.4410, lon=3.9600)
    valenciennes = create_place(
        "Valenciennes", type="commune", parent=None, lat=50.3570, lon=3.5230
    )
    dutemple = create_place(
        "Dutemple", type="quartier", parent="Valenciennes", lat=50.3526, lon=3.5333
    )
    return {"mons": mons, "epinlieu": epinlieu, "valenciennes": valenciennes, "dutemple": dutemple}
