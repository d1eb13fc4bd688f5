"""The moderation door and the story's rules: consent where a story becomes visible, refused
moves answered 409 with the operation's message (issues 13 item 1, 19 item 3)."""

from __future__ import annotations

from memoire.extensions import db
from memoire.stories import operations as story_ops
from memoire.stories.models import Story


def _story(status: str, **consent) -> Story:
    data = story_ops.StoryInput(
        title="Le marché", body="Texte", visibility="public", status=status,
        consent=story_ops.ConsentInput(given_by="Jeanne", **consent) if consent else None,
    )
    story = story_ops.create_story(None, data)
    db.session.commit()
    return story


def _edit(story: Story, **changes) -> dict:
    data = {
        "edit-title": story.title, "edit-summary": "", "edit-body": story.body,
        "edit-kind": story.kind, "edit-language": "fr", "edit-period": "", "edit-place_name": "",
        "edit-commune": "", "edit-lat": "", "edit-lon": "", "edit-themes": "",
        "edit-visibility": story.visibility, "edit-precision": "exact",
        "edit-licence": "CC-BY-NC-4.0",
    }
    data.update({f"edit-{k}": v for k, v in changes.items()})
    return data


def test_a_draft_cannot_be_published_from_the_review_page(client, login, create_user):
    login(create_user("moderator"))
    draft = _story("draft", online_publication=True)
    response = client.post(f"/moderation/{draft.id}/publish")
    assert response.status_code == 409
    assert "Only a story sent to the moderators can be published." in response.get_data(as_text=True)
    assert db.session.get(Story, draft.id).status == "draft"


def test_a_submission_without_consent_is_not_published(client, login, create_user):
    login(create_user("moderator"))
    story = _story("submitted")
    response = client.post(f"/moderation/{story.id}/publish")
    assert response.status_code == 400
    assert "No consent is recorded" in response.get_data(as_text=True)
    assert db.session.get(Story, story.id).status == "submitted"


def test_widening_a_published_story_beyond_its_consent_is_refused(client, login, create_user):
    login(create_user("moderator"))
    story = _story("published", online_publication=True)
    response = client.post(f"/moderation/{story.id}/edit", data=_edit(story, visibility="researchers"))
    assert response.status_code == 400
    assert "must agree to research use" in response.get_data(as_text=True)
    assert db.session.get(Story, story.id).visibility == "public"
