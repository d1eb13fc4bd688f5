"""Attaching a transcript file: the revision keeps what the table holds, places are proposed
and withheld passages stay withheld, without reading the new segments back."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from memoire.extensions import db
from memoire.media.operations import redact
from memoire.transcripts.models import PlaceSuggestion, TranscriptRevision
from memoire.transcripts.operations import attach_transcript, snapshot
from tests.transcripts.conftest import VTT

pytestmark = pytest.mark.engines  # RETURNING in order: SQLite's and PostgreSQL's own


def _revisions(transcript) -> list[TranscriptRevision]:
    return list(db.session.scalars(
        db.select(TranscriptRevision).where(TranscriptRevision.transcript_id == transcript.id)
        .order_by(TranscriptRevision.number)
    ))


def _proposed(transcript) -> set[tuple[int, str]]:
    ids = [s.id for s in transcript.segments]
    return {(s.segment_id, s.place.name) for s in db.session.scalars(
        db.select(PlaceSuggestion).where(PlaceSuggestion.segment_id.in_(ids)))}


def test_the_revision_of_an_attached_file_is_what_the_table_holds(recorded):
    story, media, transcript = recorded()
    db.session.expire_all()
    held = snapshot(transcript)
    assert [s["text"] for s in held][:2] == [
        "On allait à la fosse Dutemple tous les matins.", "Mon père était mineur de fond."]
    assert [s["id"] for s in held] == sorted(s["id"] for s in held)
    assert _revisions(transcript)[-1].changes == [{"at": 0, "before": [], "after": held}]

    # The same file again replaces every segment: new rows, in the file's order.
    attach_transcript(None, story, VTT.replace("matins", "soirs").encode(),
                      filename="t2.vtt", media=media)
    db.session.commit()
    db.session.expire_all()
    again = snapshot(transcript)
    assert again[0]["text"] == "On allait à la fosse Dutemple tous les soirs."
    assert not {s["id"] for s in again} & {s["id"] for s in held}
    last = _revisions(transcript)[-1].changes
    assert last == [{"at": 0, "before": held, "after": again}]


def test_attaching_a_file_reads_none_of_its_segments_back(app, create_story):
    story = create_story("Sans enregistrement", kind="oral_history")
    read: list[str] = []

    def selects(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "transcript_segment" in statement:
            read.append(statement)

    event.listen(db.engine, "before_cursor_execute", selects)
    try:
        transcript = attach_transcript(None, story, VTT.encode(), filename="t.vtt")
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", selects)
    assert read == []
    db.session.commit()
    assert len(transcript.segments) == 4 and transcript.segments[3].speaker == "Jean"


def test_a_file_attached_proposes_the_places_it_names(recorded, create_place):
    create_place("Valenciennes", "commune", None)
    create_place("Dutemple", "quartier", "Valenciennes")
    create_place("Fosse Dutemple", "landmark", "Dutemple")
    create_place("Rue des Sarts", "street", "Dutemple")
    story, media, transcript = recorded()
    first, third = transcript.segments[0].id, transcript.segments[2].id
    assert {(first, "Fosse Dutemple"), (third, "Rue des Sarts")} <= _proposed(transcript)


def test_a_file_attached_over_a_withheld_range_is_withheld_and_proposes_nothing_there(
    recorded, people, create_place
):
    create_place("Valenciennes", "commune", None)
    create_place("Dutemple", "quartier", "Valenciennes")
    create_place("Fosse Dutemple", "landmark", "Dutemple")
    create_place("Rue des Sarts", "street", "Dutemple")
    story, media, transcript = recorded()
    redact(people["moderator"], media, 1.0, 2.0)
    db.session.commit()
    attach_transcript(None, story, VTT.encode(), filename="again.vtt", media=media)
    db.session.commit()
    db.session.expire_all()
    segments = transcript.segments
    assert [s.is_redacted for s in segments] == [True, False, False, False]
    proposed = _proposed(transcript)
    assert not any(segment_id == segments[0].id for segment_id, _ in proposed)
    assert (segments[2].id, "Rue des Sarts") in proposed


def _hunks_by_difflib(before: list[dict], after: list[dict]) -> list[dict]:
    import difflib

    key = lambda item: tuple(sorted(item.items()))  # noqa: E731
    matcher = difflib.SequenceMatcher(None, [key(i) for i in before], [key(i) for i in after],
                                      autojunk=False)
    return [{"at": j1, "before": before[i1:i2], "after": after[j1:j2]}
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


@pytest.mark.parametrize("before, after", [
    ([], []),
    ([], [{"id": 1, "text": "a"}, {"id": 2, "text": "b"}]),
    ([{"id": 1, "text": "a"}], []),
    ([{"id": 1, "text": "a"}, {"id": 2, "text": "b"}], [{"id": 3, "text": "a"}]),
    ([{"id": 1, "text": "a"}, {"id": 2, "text": "b"}], [{"id": 1, "text": "a"}, {"id": 2, "text": "c"}]),
])
def test_the_hunks_of_an_empty_side_are_those_difflib_finds(before, after):
    from memoire.transcripts.operations import FIELDS, diff_states

    full = lambda items: [{"id": i["id"], **{n: i.get(n) for n in FIELDS}} for i in items]  # noqa: E731
    before, after = full(before), full(after)
    hunks = diff_states(before, after)
    assert hunks == _hunks_by_difflib(before, after)
    for hunk in hunks:  # copies: a revision's hunks never share lists with the state
        assert hunk["after"] is not after and hunk["before"] is not before


SECRET_WORDS = "fosse Dutemple tous les matins"


@pytest.mark.parametrize("door", ["form", "api", "cli", "import"])
def test_a_file_attached_again_over_a_withheld_range_stays_withheld_at_every_door(
    app, client, login, runner, people, tmp_path, create_story, door
):
    """The rule lives in `attach_transcript` (`_save`); each way a file comes in reaches it,
    and nothing of the withheld passage comes out of the public transcript afterwards."""
    import io
    import json

    from memoire.accounts.operations import create_token
    from memoire.media.operations import add_media
    from memoire.stories.models import Story
    from tests.conftest import wav_bytes

    moderator = people["moderator"]
    if door == "import":
        (tmp_path / "a.wav").write_bytes(wav_bytes(10.0))
        (tmp_path / "t.vtt").write_text(VTT, encoding="utf-8")
        line = {"id": "withheld", "title": "Les matins de la fosse", "kind": "oral_history",
                "language": "fr", "visibility": "public", "status": "published",
                "consent": {"given_by": "Marie", "method": "signed_form", "online_publication": True},
                "media": [{"path": "a.wav", "caption": "Entretien"}], "transcript": "t.vtt"}
        path = tmp_path / "stories.jsonl"
        path.write_text(json.dumps(line) + "\n", encoding="utf-8")
        first = runner.invoke(args=["import", str(path)])
        assert first.exit_code == 0, first.output
        story = db.session.scalar(db.select(Story).where(Story.external_id == "withheld"))
        media = next(m for m in story.media if m.kind == "audio")
    else:
        story = create_story("Les matins de la fosse", kind="oral_history")
        media = add_media(None, story, io.BytesIO(wav_bytes(10.0)), caption="Entretien")
        db.session.flush()
        attach_transcript(None, story, VTT.encode(), filename="t.vtt", media=media)
        db.session.commit()
    story_id, media_id = story.id, media.id
    redact(moderator, media, 1.0, 2.0)
    db.session.commit()

    upload = lambda: (io.BytesIO(VTT.encode()), "again.vtt")  # noqa: E731
    if door == "form":
        login(moderator)
        response = client.post(f"/stories/{story_id}/recordings/{media_id}/transcript",
                               data={"back": "review", "transcript": upload()},
                               content_type="multipart/form-data")
        assert response.status_code == 302
        client.post("/logout")
    elif door == "api":
        secret = create_token(None, moderator, "test")[1]
        db.session.commit()
        response = client.put(f"/api/v1/stories/{story_id}/recordings/{media_id}/transcript",
                              headers={"Authorization": f"Bearer {secret}"},
                              content_type="multipart/form-data", data={"file": upload()})
        assert response.status_code == 200, response.get_json()
    elif door == "cli":
        (tmp_path / "again.vtt").write_text(VTT, encoding="utf-8")
        result = runner.invoke(args=["transcripts", "attach", str(story_id), str(media_id),
                                     str(tmp_path / "again.vtt")])
        assert result.exit_code == 0, result.output
    else:
        again = runner.invoke(args=["import", str(tmp_path / "stories.jsonl")])
        assert again.exit_code == 0, again.output

    db.session.expire_all()
    story = db.session.get(Story, story_id)
    [transcript] = story.transcripts
    assert transcript.version == 2
    assert [s.is_redacted for s in transcript.segments] == [True, False, False, False]
    vtt = client.get(f"/api/v1/stories/{story_id}/transcript.vtt").get_data(as_text=True)
    page = client.get(f"/stories/{story_id}").get_data(as_text=True)
    assert "Mon père était mineur de fond." in vtt
    assert SECRET_WORDS not in vtt and SECRET_WORDS not in page
