"""A small archive with one of every kind of story a visitor must and must not see.

Imported by the conftest of tests/api, tests/exports and tests/oai.
"""

from __future__ import annotations

import io

import pytest

from memoire.extensions import db
from tests.api.helpers import bearer, token_for
from tests.conftest import gps_exif, jpeg_bytes, wav_bytes

VTT = """WEBVTT

00:00:00.000 --> 00:00:01.000
<v Marcel>Le chevalement dominait la cité.

00:00:01.000 --> 00:00:02.000
<v Marcel>Le nom du contremaître était Zanzibarette.

00:00:02.000 --> 00:00:03.000
<v Marcel>Le terril était notre montagne.
"""

#: Words that exist only in stories a visitor may not see, or in withheld passages.
HIDDEN_WORDS = {
    "draft": "Quimperlé",
    "submitted": "Quiberon",
    "private": "Quillebeuf",
    "researchers": "Quintin",
    "rejected": "Quimperoise",
    "withdrawn": "Quissac",
}
REDACTED_WORD = "Zanzibarette"
OWNER_EMAIL = "owner-secret@example.org"
#: The exact point of the "quartier" story: its street, and these coordinates, never go out.
EXACT = (50.351137, 3.537771)
STREET = "Rue Jean Jaurès"


@pytest.fixture
def archive(app, create_story, create_place, create_user):
    from memoire.jobs.operations import run_pending
    from memoire.media.operations import add_media
    from memoire.transcripts.operations import attach_transcript

    valenciennes = create_place("Valenciennes", "commune", None, 50.357, 3.523)
    dutemple = create_place("Dutemple", "quartier", "Valenciennes", 50.3526, 3.5333)
    street = create_place(STREET, "street", "Dutemple", EXACT[0], EXACT[1])
    public = create_story(
        "La fosse Dutemple",
        summary="Un chevalement",
        body="Mon père était **mineur**.",
        kind="oral_history",
        places=[dutemple],
        themes=["Mine"],
        narrators=["Marcel D."],
        period="années 60",
    )
    add_media(
        None,
        public,
        io.BytesIO(jpeg_bytes(exif=gps_exif())),
        caption="Le chevalement",
        alt_text="Un chevalement de mine",
    )
    recording = add_media(None, public, io.BytesIO(wav_bytes(3.0)), caption="Entretien")
    db.session.flush()
    transcript = attach_transcript(None, public, VTT.encode(), filename="t.vtt", media=recording)
    transcript.segments[1].is_redacted = True
    db.session.commit()
    run_pending()
    quartier = create_story(
        "Le bal du samedi",
        body="On dansait jusqu'à minuit.",
        places=[street],
        themes=["Fête"],
        precision="quartier",
        lat=EXACT[0],
        lon=EXACT[1],
        narrators=["Odette"],
    )
    owner = create_user("contributor", email=OWNER_EMAIL)
    hidden = {
        "draft": create_story(
            f"Brouillon {HIDDEN_WORDS['draft']}",
            status="draft",
            contributor=owner,
            places=[dutemple],
            themes=["Mine"],
        ),
        "submitted": create_story(
            f"Soumis {HIDDEN_WORDS['submitted']}",
            status="submitted",
            contributor=owner,
            places=[dutemple],
            themes=["Mine"],
        ),
        "private": create_story(
            f"Privé {HIDDEN_WORDS['private']}",
            visibility="private",
            contributor=owner,
            places=[dutemple],
            themes=["Mine"],
        ),
        "researchers": create_story(
            f"Chercheurs {HIDDEN_WORDS['researchers']}",
            visibility="researchers",
            contributor=owner,
            places=[dutemple],
            themes=["Mine"],
        ),
        "rejected": create_story(
            f"Refusé {HIDDEN_WORDS['rejected']}",
            status="rejected",
            contributor=owner,
            places=[dutemple],
            themes=["Mine"],
        ),
        "withdrawn": create_story(
            f"Retiré {HIDDEN_WORDS['withdrawn']}",
            status="withdrawn",
            contributor=owner,
            places=[dutemple],
            themes=["Mine"],
        ),
    }
    return {
        "public": db.session.merge(public),
        "quartier": quartier,
        "hidden": hidden,
        "owner": owner,
        "valenciennes": valenciennes,
        "dutemple": dutemple,
        "street": street,
    }


@pytest.fixture
def auth_headers(app, create_user):
    """auth_headers(role) or auth_headers(user=...): Authorization headers of a fresh token."""

    def factory(role: str = "contributor", user=None) -> dict[str, str]:
        return bearer(token_for(user or create_user(role)))

    return factory


@pytest.fixture
def app_config() -> dict:
    """Index work waits for `service.process_pending()`: these tests read the database, and
    the few that search apply it themselves."""
    return {"INDEX_AFTER_COMMIT": False}
