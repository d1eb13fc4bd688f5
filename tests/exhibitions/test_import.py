"""The exhibition JSON format: import, re-import by slug, refused items, round trip, the command."""

from __future__ import annotations

import json

import pytest

from memoire.core.errors import ValidationError
from memoire.exhibitions import operations as ops
from memoire.exhibitions.schemas import exhibition_to_document
from memoire.extensions import db


@pytest.fixture
def stories(rich_story, create_story):
    return {
        "fosse": rich_story("La fosse", external_id="dutemple-001"),
        "bal": create_story("Le bal", external_id="dutemple-002"),
        "secret": create_story("Secrète", visibility="private", external_id="dutemple-003"),
        "refus": create_story("Sans accord", exhibition_use=False),
    }


def _document(stories, **changes):
    document = {
        "slug": "memoires-dutemple",
        "title": "Mémoires de Dutemple",
        "introduction": "Des voix de la cité.",
        "languages": ["fr", "nl"],
        "status": "published",
        "cover": {"item": 0, "photo": 1},
        "items": [
            {
                "story": "dutemple-001",
                "caption": "La descente",
                "excerpt": {"start": 1.5, "end": 4.5, "photo": 1},
            },
            {"story": stories["bal"].id, "caption": "Le dimanche"},
        ],
    }
    document.update(changes)
    return document


def test_import_creates_then_updates_by_slug(stories):
    report = ops.import_exhibition(None, _document(stories))
    db.session.commit()
    assert report.created and report.added == 2 and report.refused == []
    exhibition = report.exhibition
    assert exhibition.status == "published" and exhibition.published_at is not None
    assert exhibition.languages == ["fr", "nl"]
    first, second = exhibition.items
    assert (first.caption, first.excerpt_start, first.excerpt_end) == ("La descente", 1.5, 4.5)
    assert first.photo_media_id == ops.photos_of(stories["fosse"])[1].id
    assert exhibition.cover_media_id == ops.photos_of(stories["fosse"])[1].id
    assert second.story_id == stories["bal"].id and second.excerpt_start is None

    changed = _document(stories, title="Dutemple, encore", status="draft")
    changed["items"].reverse()
    changed["cover"] = {"item": 1}
    changed["items"][0]["caption"] = "Le bal, d'abord"
    report = ops.import_exhibition(None, changed)
    db.session.commit()
    db.session.expire_all()
    assert not report.created and report.exhibition.id == exhibition.id
    assert db.session.query(type(exhibition)).count() == 1
    assert exhibition.title == "Dutemple, encore" and exhibition.status == "draft"
    assert [(i.story.title, i.caption) for i in exhibition.items] == [
        ("Le bal", "Le bal, d'abord"),
        ("La fosse", "La descente"),
    ]
    assert (
        exhibition.cover_media_id == ops.photos_of(stories["fosse"])[1].id
    )  # item 1's chosen photo
    changed["cover"] = {"item": 0, "photo": 0}  # "Le bal" has no photo
    with pytest.raises(ValidationError, match="no photo number 0"):
        ops.import_exhibition(None, changed)
    db.session.rollback()


def test_export_then_import_gives_the_same_exhibition(stories):
    ops.import_exhibition(None, _document(stories))
    db.session.commit()
    exported = exhibition_to_document(ops.get_exhibition("memoires-dutemple"))
    assert exported == _document(stories) | {
        "items": [
            {
                "story": "dutemple-001",
                "caption": "La descente",
                "excerpt": {"start": 1.5, "end": 4.5, "photo": 1},
            },
            {"story": "dutemple-002", "caption": "Le dimanche"},
        ],
    }
    ops.import_exhibition(None, exported)
    db.session.commit()
    assert exhibition_to_document(ops.get_exhibition("memoires-dutemple")) == exported


def test_refused_items_are_reported_with_their_index(stories, curator):
    document = _document(stories)
    document["items"] += [
        {"story": "dutemple-003"},
        {"story": stories["refus"].id},
        {"story": "dutemple-002", "excerpt": {"start": 1}},
        {"story": "dutemple-001", "excerpt": {"photo": 7}},
        {"story": "dutemple-002", "legend": "typo"},
        {"story": "nope"},
    ]
    with pytest.raises(ops.ItemsRefused) as caught:
        ops.import_exhibition(curator, document)
    db.session.rollback()
    assert db.session.query(ops.Exhibition).count() == 0  # all or nothing (issue 13, item 10)
    refused = dict(caught.value.refused)
    assert sorted(refused) == [2, 3, 4, 5, 6, 7]
    assert "No public story" in refused[2]  # a curator is not told that a private story exists
    assert "exhibition use" in refused[3]
    assert "start and end" in refused[4]
    assert "no photo number 7" in refused[5]
    assert "legend" in refused[6]
    assert "No public story" in refused[7]

    # As the system (command line), the reason is precise.
    with pytest.raises(ops.ItemsRefused) as caught:
        ops.import_exhibition(None, document)
    db.session.rollback()
    assert "not public" in dict(caught.value.refused)[2]


def test_strict_import_refuses_everything(stories):
    document = _document(stories)
    document["items"].append({"story": "dutemple-003"})
    with pytest.raises(ValidationError):
        ops.import_exhibition(None, document)
    db.session.rollback()
    assert db.session.query(ops.Exhibition).count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"slug": None},
        {"title": 12},
        {"status": "archived"},
        {"items": {"story": 1}},
        {"colour": "red"},
        {"cover": {"item": -1}},
        {"languages": "fr"},
    ],
)
def test_a_file_not_in_the_format_changes_nothing(stories, change):
    document = _document(stories)
    for key, value in change.items():
        if value is None:
            document.pop(key)
        else:
            document[key] = value
    with pytest.raises(ValidationError):
        ops.import_exhibition(None, document)
    db.session.rollback()
    assert db.session.query(ops.Exhibition).count() == 0


def test_import_command(runner, stories, tmp_path):
    path = tmp_path / "expo.json"
    path.write_text(json.dumps(_document(stories), ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["exhibition", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "memoires-dutemple created (published): 2 item(s) added, 0 refused" in result.output

    document = _document(stories)
    document["items"].insert(1, {"story": "dutemple-003"})
    path.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(args=["exhibition", "import", str(path)])
    assert result.exit_code == 1
    assert "items[1]: Story dutemple-003 is not public." in result.output
    assert "1 item(s) refused; nothing was imported." in result.output  # all or nothing
    db.session.expire_all()
    assert [i.story_id for i in ops.get_exhibition("memoires-dutemple").items] == [
        stories["fosse"].id, stories["bal"].id
    ]  # the exhibition as it was

    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(args=["exhibition", "import", str(path)])
    assert result.exit_code == 1 and "not valid JSON" in result.output

    result = runner.invoke(args=["exhibition", "dump", "memoires-dutemple"])
    assert result.exit_code == 0
    assert json.loads(result.output)["items"][0]["story"] == "dutemple-001"
    result = runner.invoke(args=["exhibition", "list"])
    assert "memoires-dutemple\tpublished\t2/2\t" in result.output


def test_a_document_whose_only_item_is_refused_leaves_nothing(runner, stories, tmp_path):
    """Issue 13 item 10: it used to exit 1 yet create a published, empty exhibition."""
    path = tmp_path / "expo.json"
    document = _document(stories, items=[{"story": "dutemple-003"}])
    document.pop("cover")
    path.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(args=["exhibition", "import", str(path)])
    assert result.exit_code == 1
    assert "items[0]: Story dutemple-003 is not public." in result.output
    assert "nothing was imported" in result.output
    db.session.expire_all()
    assert db.session.query(ops.Exhibition).count() == 0
    assert runner.invoke(args=["exhibition", "list"]).output.strip() == ""
