"""The demo archive shows the workbench: chapters, confirmed place links, one translated track."""

from __future__ import annotations

from sqlalchemy import select

from memoire.extensions import db
from memoire.stories.models import Story
from tests.conftest import make_app


def test_the_demo_has_chapters_places_and_a_dutch_track(tmp_path):
    app = make_app(tmp_path)
    runner = app.test_cli_runner()
    with app.app_context():
        for _ in range(2):  # idempotent
            result = runner.invoke(args=["demo"])
            assert result.exit_code == 0, result.output
        story = db.session.scalars(select(Story).where(Story.external_id == "demo-001")).one()
        transcript = next(t for t in story.transcripts if t.media_id is not None)
        assert [c.title for c in transcript.chapters][0] == "La fenêtre de la cuisine"
        assert len(transcript.chapters) == 3
        assert [t.language for t in transcript.translations] == ["nl"]
        assert any(s.place_id is not None for s in transcript.segments)
        page = app.test_client().get(f"/stories/{story.id}").get_data(as_text=True)
        assert "Le père au fond" in page and "schachtbok" in page
        db.session.remove()
        db.engine.dispose()
