"""A theme is a few words: a longer one is a message, not a database error (PostgreSQL)."""

from __future__ import annotations

import pytest

from memoire.core.errors import ValidationError
from memoire.stories import operations as ops


@pytest.mark.engines
def test_a_too_long_theme_is_refused_with_a_message(app):
    data = ops.StoryInput(title="Un souvenir", themes=["x" * 81])
    with pytest.raises(ValidationError) as refused:
        ops.create_story(None, data)
    assert refused.value.field == "themes"
    ops.create_story(None, ops.StoryInput(title="Un souvenir", themes=["é" * 80]))


@pytest.mark.engines
def test_the_import_reports_it_on_its_line(app, tmp_path):
    from memoire.imports.operations import import_path

    path = tmp_path / "lines.jsonl"
    path.write_text('{"title": "Un", "themes": ["' + "y" * 200 + '"]}\n{"title": "Deux"}\n')
    summary = import_path(None, path)
    assert summary.failed == 1 and summary.created == 1
