"""The archive's generations: what moves them, for whom, and what a revalidation costs.

Anonymous validators must not move with a private change (tests/trust/test_leaks_privacy.py
walks the doors); here, the counters themselves at the operation level, across processes.
"""

from __future__ import annotations

from sqlalchemy import text

from memoire.extensions import db
from memoire.stories import generation
from memoire.stories import operations as ops
from memoire.stories.models import Story
from tests.conftest import make_app, statements_run


def _moved(before: dict, after: dict) -> set[str]:
    return {scope for scope in generation.SCOPES if before.get(scope) != after.get(scope)}


def _step(action) -> set[str]:
    before = generation.counters()
    action()
    db.session.commit()
    return _moved(before, generation.counters())


def test_private_changes_move_all_and_public_ones_both(app, create_story, create_user):
    contributor, moderator = create_user("contributor"), create_user("moderator")
    public = create_story("Au carreau", lat=50.35, lon=3.53)
    draft = create_story("Mon brouillon", visibility="public", status="draft",
                         contributor=contributor, lat=50.36, lon=3.52)
    db.session.commit()  # every row expired: the operations below change values not loaded

    def edit(story, title):
        data = ops.StoryInput(title=title, visibility=story.visibility, status=story.status,
                              consent=ops.consent_input_from(story.consent), lat=50.36, lon=3.52)
        ops.update_story(None, story, data)

    assert _step(lambda: edit(draft, "Mon brouillon corrigé")) == {"all"}
    assert _step(lambda: ops.submit_story(contributor, db.session.get(Story, draft.id))) == {"all"}
    assert _step(lambda: ops.publish_story(moderator, db.session.get(Story, draft.id))) == {
        "all", "public"}
    assert _step(lambda: edit(db.session.get(Story, public.id), "Au carreau, 1950")) == {
        "all", "public"}
    assert _step(lambda: ops.withdraw_story(moderator, db.session.get(Story, public.id))) == {
        "all", "public"}
    # Nothing a map shows: no generation moves.
    assert _step(lambda: create_user("researcher")) == set()


def test_a_revalidated_map_costs_one_small_read(app, client, create_story):
    create_story("Au carreau", lat=50.35, lon=3.53)
    etag = client.get("/api/v1/map.geojson").headers["ETag"]
    with statements_run() as seen:
        answer = client.get("/api/v1/map.geojson", headers={"If-None-Match": etag})
    statements = [statement for statement, _ in seen]
    assert answer.status_code == 304
    assert len(statements) == 1 and "archive_generation" in statements[0], statements


def test_another_process_change_is_seen_at_once(app, client, tmp_path, create_story):
    """Two gunicorn workers: a story published through one is on the other's map at once."""
    create_story("Au carreau", lat=50.35, lon=3.53)
    first = client.get("/api/v1/map.geojson")
    other = make_app(tmp_path)  # the same archive, another process's caches
    with other.app_context():
        story = ops.create_story(None, ops.StoryInput(
            title="Au terril", visibility="public", status="published", lat=50.36, lon=3.52,
            consent=ops.ConsentInput(given_by="test", online_publication=True, research_use=True)))
        db.session.commit()
        new_id = story.id
    again = client.get("/api/v1/map.geojson", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert new_id in {f["properties"]["id"] for f in again.json["features"]}


def test_an_emptied_table_starts_again(app, create_story):
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM archive_generation"))
    create_story("Au carreau", lat=50.35, lon=3.53)
    assert set(generation.counters()) == {"all", "public"}
