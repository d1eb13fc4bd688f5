"""Leak tests for the narrator's withdrawal routes (issue 13 item 11): the receipt and the
request page open only for the story's contributor and staff; a withdrawal link opens only
the story it was signed for, and a forged one reads like a page that does not exist."""

from __future__ import annotations

import pytest

from memoire.extensions import db
from memoire.stories import operations as story_ops
from tests.english_client import client, login  # noqa: F401


@pytest.fixture
def private_story(create_user):
    owner = create_user("mediator", email="owner@example.org")
    data = story_ops.StoryInput(
        title="Canari secret", body="canari", visibility="private", status="submitted",
        consent=story_ops.ConsentInput(given_by="Lucienne"),
    )
    story = story_ops.create_story(None, data)
    story.contributor_id = owner.id
    db.session.commit()
    return story, owner


@pytest.mark.parametrize("role", [None, "contributor", "mediator", "researcher", "curator"])
def test_receipt_and_request_pages_are_closed_to_others(client, login, create_user,  # noqa: F811
                                                        private_story, role):
    story, _owner = private_story
    if role:
        login(create_user(role))
    for url in (f"/my-stories/{story.id}/receipt", f"/my-stories/{story.id}/withdraw-on-request",
                "/my-stories/999999/receipt"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code in {302, 404}, url
        assert "Canari" not in html and "Lucienne" not in html
    assert client.post(f"/my-stories/{story.id}/withdraw-on-request",
                       data={"channel": "phone"}).status_code in {302, 404}
    assert db.session.get(type(story), story.id).status == "submitted"


def test_forged_or_foreign_links_tell_nothing(client, private_story, create_story):  # noqa: F811
    story, _owner = private_story
    other = create_story("Une autre histoire")
    token = story_ops.withdrawal_token(other)
    for forged in ("x", token[:-3] + "abc", token.replace(".", "-")):
        response = client.get(f"/withdraw/{forged}")
        assert response.status_code == 404 and "Canari" not in response.get_data(as_text=True)
    page = client.get(f"/withdraw/{token}").get_data(as_text=True)
    assert "Une autre histoire" in page and "Canari" not in page


def test_a_link_to_an_erased_story_says_nothing_of_it(client, private_story):  # noqa: F811
    from memoire.privacy.operations import erase_story

    story, _owner = private_story
    token = story_ops.withdrawal_token(story)
    erase_story(None, story)
    db.session.commit()
    response = client.get(f"/withdraw/{token}")
    assert response.status_code == 200 and "Canari" not in response.get_data(as_text=True)
