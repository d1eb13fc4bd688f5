"""The demo archive: its files are consistent, and `memoire demo` loads it (twice) into a working site."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from memoire.demo.loader import DEMO_DIR
from memoire.extensions import db
from memoire.stories.models import Status, Story, Visibility
from memoire.then_now import operations as then_now
from memoire.then_now.models import ThenNowPair
from tests.conftest import make_app


def _make_demo():
    """scripts/make_demo.py, the demo generator (a tool, outside the package)."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "make_demo.py"
    spec = importlib.util.spec_from_file_location("make_demo", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_demo"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


check = _make_demo().check


def test_demo_files_pass_their_own_check(capsys):
    assert check(DEMO_DIR) == 0
    assert "then-and-now pairs: 2" in capsys.readouterr().out


def test_demo_meets_the_brief():
    records = [
        json.loads(line) for line in (DEMO_DIR / "stories.jsonl").read_text().splitlines() if line
    ]
    assert len(records) >= 30
    kinds = [r["kind"] for r in records]
    assert kinds.count("oral_history") >= 8
    assert sum(1 for r in records for m in r.get("media", []) if m["path"].endswith(".jpg")) >= 10
    assert any(r["language"] == "nl" for r in records)
    quartiers = {p["name"] for r in records for p in r["places"] if p.get("type") == "quartier"}
    for name in ["Dutemple", "Epinlieu", "Nimy", "Jemappes"]:
        assert name in quartiers


def test_memoire_demo_loads_and_the_site_shows_it(tmp_path):
    app = make_app(tmp_path)
    runner = app.test_cli_runner()
    with app.app_context():
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        paired = db.session.scalars(select(ThenNowPair.id).order_by(ThenNowPair.id)).all()
        again = runner.invoke(args=["demo"])  # idempotent: updates, never duplicates
        assert again.exit_code == 0, again.output
        total = db.session.scalar(select(func.count()).select_from(Story))
        assert total == len((DEMO_DIR / "stories.jsonl").read_text().split("\n")) - 1
        public = db.session.scalars(
            select(Story).where(
                Story.status == Status.published, Story.visibility == Visibility.public
            )
        ).all()
        hidden = db.session.scalars(
            select(Story).where(
                (Story.status != Status.published) | (Story.visibility != Visibility.public)
            )
        ).all()
        client = app.test_client()
        home = client.get("/").get_data(as_text=True)
        assert sum(1 for s in public if s.title in home) >= 10
        recording = next(s for s in public if s.kind == "oral_history")
        page = client.get(f"/stories/{recording.id}").get_data(as_text=True)
        assert "<audio" in page and "segment" in page
        for story in hidden:
            assert story.title not in home
            assert client.get(f"/stories/{story.id}").status_code == 404
        # Threads of memories (issue 18): a story lists the public responses to it, and a
        # response says what it answers, at the moment of the recording it names.
        by_ref = {s.external_id: s for s in public}
        assert {by_ref[r].answers_id for r in ("demo-007", "demo-015", "demo-025")} == {
            by_ref[r].id for r in ("demo-005", "demo-013", "demo-024")
        }
        thread = client.get(f"/stories/{by_ref['demo-013'].id}").get_data(as_text=True)
        assert "Le café des cheminots" in thread.split('id="responses-title"')[1]
        answer = client.get(f"/stories/{by_ref['demo-015'].id}").get_data(as_text=True)
        assert (
            "Mijn vader, spoorman in Bergen" in answer
            and f"/stories/{by_ref['demo-013'].id}?t=8" in answer
        )
        # Then and now (issue 18): two archive photos, each paired with a resident's photo of
        # the same view today; the second `memoire demo` above kept them.
        pairs = db.session.scalars(select(ThenNowPair).order_by(ThenNowPair.id)).all()
        assert [p.id for p in pairs] == paired  # kept as they were, not made again
        assert [(p.then_media.story.external_id, p.now_media.story.external_id) for p in pairs] == [
            ("demo-023", "demo-038"),
            ("demo-025", "demo-039"),
        ]
        assert all(then_now.is_shown(p) for p in pairs)
        listing = client.get("/then-and-now").get_data(as_text=True)
        assert listing.count('class="then-now"') == 2
        for pair in pairs:
            assert f'href="/then-and-now/{pair.id}"' in listing
            assert client.get(f"/then-and-now/{pair.id}").status_code == 200
            for side in (pair.then_media.story, pair.now_media.story):
                assert "data-then-now-range" in client.get(f"/stories/{side.id}").get_data(
                    as_text=True
                )
        assert len(client.get("/api/v1/then-and-now").get_json()["pairs"]) == 2
        db.session.remove()
        db.engine.dispose()
