"""A tight map area cannot find a contributor's exact tap that the story's precision hides."""

from __future__ import annotations

from memoire.search import service


def test_a_contributed_street_point_is_indexed_no_finer_than_the_story_allows(
    app, create_story, create_place
):
    create_place("Valenciennes", "commune", None, 50.3589, 3.5157)
    street = create_place("Rue des Glycines", "street", "Valenciennes", 50.361234, 3.527891)
    assert street.external_id is None  # learnt from a contribution: a resident's exact tap
    story = create_story("Les glycines de la rue", places=[street], precision="street",
                         lat=50.361234, lon=3.527891)
    service.apply_pending_after_commit()
    client = app.test_client()
    tight = "3.52785,50.36120,3.52793,50.36127"  # a few metres around the tap
    body = client.get(f"/api/v1/search?q=glycines&bbox={tight}").get_json()
    assert body["total"] == 0
    wide = "3.50,50.34,3.56,50.38"
    body = client.get(f"/api/v1/search?q=glycines&bbox={wide}").get_json()
    assert [r["id"] for r in body["results"]] == [story.id]
