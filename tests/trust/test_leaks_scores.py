"""Relevance scores are a way out too: the API and the exports give each hit its score, and
the order of hits follows it. A score that counts how many stories use a word (BM25's
rarity) would move when a hidden story uses the word, and tell a visitor what it says."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.engines


def _scores(client, q: str) -> list[tuple[int, float]]:
    found = client.get("/api/v1/search", query_string={"q": q})
    assert found.status_code == 200
    return [(hit["id"], hit["score"]) for hit in found.get_json()["results"]]


def test_a_hidden_story_moves_no_visible_score_nor_order(app, client, create_story):
    create_story("Le coron", body="La gaillette et le charbon.")
    create_story("Le terril", body="Le charbon, encore le charbon.")
    create_story("La fosse", body="Le charbon de la fosse.")
    before = _scores(client, "gaillette OU charbon")
    assert len(before) == 3 and all(score > 0 for _, score in before)
    for n, (visibility, status) in enumerate(
        [("private", "published"), ("researchers", "published"), ("public", "draft")]
    ):
        create_story(
            f"Caché {n}", body="gaillette gaillette gaillette", visibility=visibility, status=status
        )
    assert _scores(client, "gaillette OU charbon") == before


def test_a_story_withdrawn_from_view_moves_no_visible_score(app, client, create_story):
    """Withdrawn (made private) or its words erased, a story that once was public no longer
    counts in a word's rarity nor in the fields' lengths: its old copy is a deletion the
    index keeps until it merges, and a count over the index's files would still see it."""
    from memoire.extensions import db

    create_story("Le coron", body="La gaillette et le charbon.")
    create_story("Le terril", body="Le charbon, encore le charbon.")
    before = _scores(client, "gaillette OU charbon")
    withdrawn = create_story("La fosse", body="gaillette " * 40)
    assert _scores(client, "gaillette OU charbon") != before  # public, it counts
    withdrawn.visibility = "private"
    db.session.commit()
    assert _scores(client, "gaillette OU charbon") == before
