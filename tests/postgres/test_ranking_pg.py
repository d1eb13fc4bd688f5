"""The PostgreSQL search ranks from postings (migration 0021, issue 20): each story's weight
for each lexeme, kept with the story's document and read from one index at search time."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from memoire.extensions import db
from memoire.search import service
from memoire.stories import operations as ops
from tests.conftest import statements_run

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("engine", ["postgres"], indirect=True)]


def _postings(story_id: int) -> dict[str, float]:
    rows = db.session.execute(
        text("SELECT lexeme, weight FROM search_posting WHERE story_id = :id"), {"id": story_id}
    )
    return dict(rows.all())


def _ranked(**params) -> list[tuple[int, float]]:
    return [(r.story.id, r.score) for r in service.search(None, params).results]


def test_postings_follow_the_story(create_story):
    story = create_story("Le terril", body="Un terril noir, noir de charbon.")
    postings = _postings(story.id)
    assert {"terril", "noir", "charbon"} <= set(postings)
    # Weighted by field and by occurrences: the title's word weighs most.
    assert postings["terril"] > postings["noir"] > postings["charbon"] > 0

    data = ops.StoryInput(
        title="Le terril", body="Un crassier blanc.", visibility="public", status="published"
    )
    ops.update_story(None, story, data)
    db.session.commit()
    postings = _postings(story.id)
    assert "crassi" in postings and "noir" not in postings and "charbon" not in postings

    db.session.delete(story)
    db.session.commit()
    assert _postings(story.id) == {}


def test_a_rare_word_outranks_a_common_one(create_story):
    common = [create_story(f"Souvenir {n}", body="On parlait du charbon.") for n in range(4)]
    rare = create_story("Souvenir 4", body="On parlait de gaillette.")
    ranked = _ranked(q="charbon OU gaillette")
    assert {story_id for story_id, _ in ranked} == {s.id for s in [*common, rare]}
    assert ranked[0][0] == rare.id
    assert all(score > 0 for _, score in ranked)


@pytest.mark.parametrize("q", ["charb*", "aujourd'hui", "C:\\dossier", '"terril noir"', "charbn~"])
def test_every_kind_of_word_gets_a_score(create_story, q):
    in_title = create_story("Charbon d'aujourd'hui", body="Le terril noir, C:\\dossier.")
    in_body = create_story("Souvenir", body="Aujourd'hui le charbon, le terril noir, C:\\dossier.")
    ranked = _ranked(q=q)
    assert {story_id for story_id, _ in ranked} == {in_title.id, in_body.id}
    assert all(score > 0 for _, score in ranked), ranked


def test_the_migrations_fill_postings_and_facet_ids_of_documents_already_indexed(
    app, create_story
):
    from flask_migrate import downgrade, upgrade

    story_id = create_story(
        "Le terril",
        body="noir",
        themes=["Mines"],
        narrators=["Jeanne Dupont"],
        period="1950s",
    ).id
    keys = _facet_keys(story_id)
    assert {"kind:anecdote", "theme:mines", "decade:1950", "language:fr"} <= set(keys)
    assert any(key.startswith("narrator:") for key in keys)
    directory = app.extensions["migrate"].directory
    db.session.remove()
    downgrade(directory=directory, revision="0020_archive_generation")
    upgrade(directory=directory)
    assert {"terril", "noir"} <= set(_postings(story_id))
    # The migration's SQL writes what the backend writes.
    assert sorted(_facet_keys(story_id)) == sorted(keys)
    assert _ranked(q="terril")[0][1] > 0
    facets = service.search(None, {"q": "terril"}).facets
    assert [v.value for v in facets["theme"]] == ["mines"]


def _facet_keys(story_id: int) -> list[str]:
    """The "facet:value" keys a story counts under (stored as their ids)."""
    return db.session.scalar(
        text(
            "SELECT coalesce(array_agg(v.key), '{}') FROM search_document AS d, "
            "unnest(d.facet_ids) AS i(id) JOIN search_facet_value AS v ON v.id = i.id "
            "WHERE d.story_id = :id"
        ),
        {"id": story_id},
    )


def test_a_rebuild_leaves_postings_readable_from_their_index_alone(create_story):
    """VACUUM marks the postings' pages all-visible only once no transaction of the rebuild's
    own is open: marked, ranking reads each word's postings from the index without
    visiting the table (at 20,000 stories, 35 ms per search instead of 57)."""
    for n in range(30):
        create_story(f"Souvenir {n}", body="Le terril noir de la fosse.")
    db.session.commit()
    db.session.remove()
    service.rebuild()
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    db.session.execute(text("SET LOCAL enable_bitmapscan = off"))
    plan = "\n".join(
        db.session.scalars(
            text(
                "EXPLAIN (ANALYZE, COSTS OFF) "
                "SELECT story_id, weight FROM search_posting WHERE lexeme = 'terril'"
            )
        )
    )
    db.session.rollback()
    assert "Index Only Scan" in plan and "Heap Fetches: 0" in plan, plan


def test_did_you_mean_prefers_the_word_more_stories_use(create_story):
    """Candidates as near as each other: the one more visible stories use wins (counted up to
    SUGGESTION_USES each, which bounds what a suggestion reads)."""
    for n in range(3):
        create_story(f"Souvenir {n}", body="Le mineur remontait.")
    create_story("Souvenir 3", body="Le mineux remontait.")  # as near, once
    for n in range(4):  # more, but hidden: not counted for the public
        create_story(f"Caché {n}", body="Le mineuf remontait.", visibility="private")
    assert service.backend().suggest("mineuz", ["public"]) == "mineur"


@pytest.mark.parametrize("q", ["peine", "charbon OU gaillette", '"terril noir"', "charb*"])
def test_no_table_of_a_search_is_read_without_an_index(create_story, q):
    """Searches price sequential scans out (the planner would rather unpack every story's
    vector than ask the GIN index). A table read with no index is then priced out too, and
    every plan holding it costs about the same to the planner (it compares costs within
    1 %): it once ranked two lexemes by walking every posting in story order because the
    one-row search_stats table was read that way (460 ms instead of 0.5 at 20,000 stories).
    Each statement of a search, explained under the settings it runs with, holds no
    sequential scan."""
    for n in range(3):
        create_story(f"Souvenir {n}", body="Le terril noir, à grand-peine, charbon et gaillette.")
    db.session.commit()
    with statements_run() as statements:
        assert service.search(None, {"q": q}).total == 3
    searched = [
        (s, p)
        for s, p in statements
        if s.lstrip().upper().startswith(("WITH", "SELECT")) and "search_" in s
    ]
    assert any("search_posting" in s for s, _ in searched)
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET jit = off")
        for statement, parameters in searched:
            cursor.execute("EXPLAIN (VERBOSE) " + statement, parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Seq Scan" not in plan, plan
            # A word's rarity is evaluated for each posting joined: in double precision,
            # not numeric (18-20 ms more for a common word's 8,000 postings).
            assert "numeric" not in plan, plan
    finally:
        raw.rollback()
        raw.close()
