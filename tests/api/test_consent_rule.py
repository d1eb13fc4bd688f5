"""The API door and the story's rules (issues 13 item 1, 19 item 3): consent where a story
becomes visible, and one table of transitions answered as 409 Conflict."""

from __future__ import annotations

from memoire.extensions import db
from memoire.stories import operations as story_ops
from memoire.stories.models import Story


def _story(status: str, *, visibility="public", **consent) -> Story:
    data = story_ops.StoryInput(
        title="Le marché", body="Texte", visibility=visibility, status=status,
        narrators=[story_ops.NarratorInput(name="Jeanne")],
        consent=story_ops.ConsentInput(given_by="Jeanne", **consent) if consent else None,
    )
    story = story_ops.create_story(None, data)
    db.session.commit()
    return story


def test_a_moderator_cannot_widen_a_published_story_beyond_its_consent(client, auth_headers):
    story = _story("published", online_publication=True)
    url = f"/api/v1/stories/{story.id}"
    refused = client.patch(url, json={"visibility": "researchers"}, headers=auth_headers("moderator"))
    assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "research_use"
    assert db.session.get(Story, story.id).visibility == "public"


def test_publishing_without_any_consent_is_refused(client, auth_headers):
    story = _story("submitted")
    response = client.post(f"/api/v1/stories/{story.id}/publish", headers=auth_headers("moderator"))
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "consent"
    assert db.session.get(Story, story.id).status == "submitted"


def test_every_refused_move_is_the_same_409(client, auth_headers):
    moderator = auth_headers("moderator")
    draft = _story("draft", online_publication=True)
    published = _story("published", online_publication=True)
    for url, body in (
        (f"/api/v1/stories/{draft.id}/publish", None),
        (f"/api/v1/stories/{draft.id}/send-back", {"reason": "x"}),
        (f"/api/v1/stories/{published.id}/submit", None),
        (f"/api/v1/stories/{published.id}/publish", None),
    ):
        response = client.post(url, json=body, headers=moderator)
        assert response.status_code == 409, url
        error = response.get_json()["error"]
        assert error["code"] == "conflict" and error["field"] == "status"
