"""Erasure removes a memory everywhere: rows, files, derivatives; leaves an audit line and a tombstone."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from memoire.audit.models import AuditEvent
from memoire.extensions import db
from memoire.media.operations import add_media
from memoire.stories.models import Person, Story, StoryTombstone
from memoire.transcripts.operations import attach_transcript
from tests.conftest import jpeg_bytes

UNIQUE = "Zorglubienne"


def _all_bytes_under(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and UNIQUE.encode() in path.read_bytes():
            found.append(path)
    return found


def test_erase_story_leaves_no_byte_behind(app, runner, create_story, create_place):
    place = create_place()
    story = create_story(f"Souvenir {UNIQUE}", body=f"Le corps {UNIQUE}", narrators=[f"Jeanne {UNIQUE}"],
                         places=[place], external_id="to-erase")
    add_media(None, story, io.BytesIO(jpeg_bytes()), caption=f"Légende {UNIQUE}")
    attach_transcript(None, story, f"JEANNE : on parlait de {UNIQUE} au café".encode(), filename="t.txt")
    db.session.commit()
    keep = create_story("Un autre souvenir", narrators=["Paul"])
    storage = app.extensions["memoire.storage"]
    keys = [story.media[0].storage_key, *(d.storage_key for d in story.media[0].derivatives)]
    story_id = story.id

    result = runner.invoke(args=["erase", "story", "to-erase"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Story, story_id) is None
    assert db.session.scalar(select(Person).where(Person.display_name.contains(UNIQUE))) is None
    assert db.session.get(Story, keep.id) is not None
    assert all(not storage.exists(k) for k in keys)
    tombstone = db.session.get(StoryTombstone, story_id)  # it was published: harvesters are told
    assert tombstone is not None and tombstone.reason == "erased"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "story.erase"))
    assert event.object_id == story_id and UNIQUE not in str(event.detail)
    db.session.remove()
    db.engine.dispose()
    # Nothing on disk holds the erased words: database file, WAL, index, media.
    home = Path(app.config["MEMOIRE_HOME"])
    assert _all_bytes_under(home) == []
    assert _all_bytes_under(Path(app.config["MEMOIRE_MEDIA_DIR"])) == []


def test_erase_person_erases_their_stories(app, runner, create_story):
    first = create_story("Premier", narrators=["Rosa M."])
    second = create_story("Second", narrators=["Rosa M."])
    other = create_story("Autre", narrators=["Luigi"])
    person = db.session.scalar(select(Person).where(Person.display_name == "Rosa M."))
    result = runner.invoke(args=["erase", "person", str(person.id)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Story, first.id) is None and db.session.get(Story, second.id) is None
    assert db.session.get(Story, other.id) is not None
    assert db.session.scalar(select(Person).where(Person.display_name == "Rosa M.")) is None


def test_erase_unknown_story_is_a_clear_error(app, runner):
    result = runner.invoke(args=["erase", "story", "nope"])
    assert result.exit_code != 0 and "nope" in result.output


def test_export_person_gives_everything_about_them(app, create_story, tmp_path):
    import json
    import zipfile

    from memoire.privacy.operations import export_person

    story = create_story("Mon histoire", narrators=["Rosa M."])
    add_media(None, story, io.BytesIO(jpeg_bytes()), caption="Rosa à la ducasse")
    db.session.commit()
    create_story("Pas la sienne", narrators=["Luigi"])
    person = db.session.scalar(select(Person).where(Person.display_name == "Rosa M."))
    out = export_person(person, tmp_path / "rosa.zip")
    with zipfile.ZipFile(out) as zf:
        data = json.loads(zf.read("person.json"))
        assert [s["title"] for s in data["stories"]] == ["Mon histoire"]
        assert data["stories"][0]["media"][0]["file"] in zf.namelist()


def test_export_person_command(app, runner, create_story, tmp_path):
    create_story("Mon histoire", narrators=["Rosa M."])
    person = db.session.scalar(select(Person).where(Person.display_name == "Rosa M."))
    out = tmp_path / "rosa.zip"
    result = runner.invoke(args=["export", "person", str(person.id), str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_admin_page_erases_a_withdrawn_story(app, client, create_story, create_user):
    from memoire.stories.operations import withdraw_story

    owner = create_user("contributor")
    story = create_story("À effacer", contributor=owner)
    withdraw_story(owner, story)
    db.session.commit()
    story_id = story.id
    contributor = create_user("contributor")
    with client.session_transaction() as session:
        session["_user_id"] = contributor.get_id()
    assert client.post(f"/admin/stories/{story_id}/erase").status_code in (403, 302)
    assert db.session.get(Story, story_id) is not None
    admin = create_user("admin")
    with client.session_transaction() as session:
        session["_user_id"] = admin.get_id()
    page = client.get("/admin/").get_data(as_text=True)
    assert f"/admin/stories/{story_id}/erase" in page
    assert client.post(f"/admin/stories/{story_id}/erase").status_code == 302
    db.session.expire_all()
    assert db.session.get(Story, story_id) is None
