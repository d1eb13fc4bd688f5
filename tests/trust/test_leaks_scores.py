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


def test_a_hidden_story_moves_no_visible_score_nor_order(
    app, client, create_story, engine, request
):
    if engine == "sqlite":
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="known gap, not mended yet: Whoosh's BM25F counts a word's stories and "
                "the fields' average lengths over the whole index, hidden stories included",
            )
        )
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
