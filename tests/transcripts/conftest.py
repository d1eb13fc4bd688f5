"""A recorded story with a transcript of four timed segments, and the people who work on it."""

from __future__ import annotations

import io

import pytest

from memoire.extensions import db
from memoire.media.operations import add_media
from memoire.transcripts.operations import attach_transcript
from tests.conftest import wav_bytes

VTT = """WEBVTT

00:00:00.000 --> 00:00:02.500
<v Marie>On allait à la fosse Dutemple tous les matins.

00:00:02.500 --> 00:00:05.000
<v Marie>Mon père était mineur de fond.

00:00:05.000 --> 00:00:07.500
<v Jean>Et le soir, on jouait rue des Sarts.

00:00:07.500 --> 00:00:09.500
<v Jean>La cité était pleine d'enfants.
"""


@pytest.fixture
def recorded(app, create_user, create_story):
    """create(status=..., visibility=..., contributor=...) -> (story, media, transcript)."""

    def create(status="published", visibility="public", contributor=None, vtt=VTT):
        story = create_story("Les matins de la fosse", kind="oral_history", status=status,
                             visibility=visibility, contributor=contributor)
        media = add_media(None, story, io.BytesIO(wav_bytes(10.0)), caption="Entretien")
        db.session.flush()
        transcript = attach_transcript(None, story, vtt.encode(), filename="t.vtt", media=media)
        db.session.commit()
        return story, media, transcript

    return create


@pytest.fixture
def people(app, create_user):
    return {
        "owner": create_user("contributor"),
        "resident": create_user("contributor"),
        "mediator": create_user("mediator"),
        "moderator": create_user("moderator"),
        "researcher": create_user("researcher"),
    }


from tests.english_client import client, login  # noqa: E402, F401
