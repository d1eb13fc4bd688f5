"""`memoire import` and the consent rule (issue 13 item 1): a line is published only as far as
its consent allows; a line without `consent` is kept, but never shown beyond staff."""

from __future__ import annotations

import json

import pytest

from memoire.extensions import db
from memoire.imports.operations import import_path
from memoire.stories.models import Story


@pytest.fixture
def app_config() -> dict:
    """English first, so that messages can be asserted as written in the code."""
    return {"DEFAULT_LOCALE": "en", "LOCALES": "en,fr,nl"}


CONSENT = {"given_by": "Marcel D.", "method": "signed_form", "online_publication": True,
           "research_use": True}


def _line(n: int, **fields) -> dict:
    return {"id": f"c-{n}", "title": f"Souvenir {n}", "body": "Texte", **fields}


def _write(tmp_path, records):
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def _stories() -> dict[str, Story]:
    return {s.external_id: s for s in db.session.query(Story)}


def test_each_line_is_published_only_as_its_consent_allows(app, tmp_path):
    path = _write(tmp_path, [
        _line(1, visibility="public", status="published", consent=CONSENT),
        _line(2, visibility="public", status="published",
              consent={**CONSENT, "online_publication": False}),
        _line(3, visibility="public", status="published"),  # no consent at all
        _line(4, visibility="researchers", status="published",
              consent={**CONSENT, "research_use": False}),
        _line(5, visibility="researchers", status="published"),
        _line(6, visibility="private", status="published"),  # kept, shown to staff only
        _line(7, visibility="public", status="draft"),  # not visible: waits for a consent
        _line(8, visibility="public", status="submitted"),
    ])
    summary = import_path(None, path)
    statuses = {r.line: r.status for r in summary.results}
    assert statuses == {1: "created", 2: "failed", 3: "failed", 4: "failed", 5: "failed",
                        6: "created", 7: "created", 8: "created"}
    errors = {r.line: r.error for r in summary.results}
    assert "agree to online publication" in errors[2]
    assert "No consent is recorded" in errors[3]
    assert "agree to research use" in errors[4] and "No consent is recorded" in errors[5]
    assert sorted(_stories()) == ["c-1", "c-6", "c-7", "c-8"]  # failed lines left nothing


def test_a_rerun_cannot_publish_without_consent_nor_revive_a_withdrawn_story(app, tmp_path):
    from memoire.stories import operations as story_ops

    import_path(None, _write(tmp_path, [_line(1, visibility="public", status="draft")]))
    summary = import_path(None, _write(tmp_path, [_line(1, visibility="public", status="published")]))
    assert summary.results[0].status == "failed"
    assert _stories()["c-1"].status == "draft"

    import_path(None, _write(tmp_path, [_line(2, visibility="public", status="published",
                                              consent=CONSENT)]))
    story_ops.withdraw_story(None, _stories()["c-2"])
    db.session.commit()
    summary = import_path(None, _write(tmp_path, [_line(2, visibility="public", status="published",
                                                        consent=CONSENT)]))
    assert summary.results[0].status == "failed" and "withdrawn" in summary.results[0].error
    assert _stories()["c-2"].status == "withdrawn"


def test_the_command_names_the_line(app, runner, tmp_path):
    path = _write(tmp_path, [
        _line(1, visibility="private", status="published"),
        _line(2, visibility="public", status="published",
              consent={**CONSENT, "online_publication": False}),
    ])
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert ("line 2: To show the memory to everyone, the narrator must agree to online "
            "publication.") in result.output
    assert "1 created, 0 updated, 1 failed" in result.output
    assert sorted(_stories()) == ["c-1"]
