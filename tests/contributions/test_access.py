"""Each role can do exactly what it may: nobody reaches a draft that is not theirs."""

from __future__ import annotations

import io

import pytest

from memoire.contributions import operations as ops
from memoire.core.errors import Forbidden
from memoire.extensions import db
from memoire.media.models import DerivativeRole
from memoire.stories import operations as story_ops
from memoire.stories.models import Story
from tests.conftest import jpeg_bytes, wav_bytes


@pytest.fixture
def draft(create_user):
    """A draft of Alice's, with a photo and a recording."""
    alice = create_user("contributor", email="alice@example.org")
    story = ops.start_draft(alice, title="Le secret d'Alice", body="Brouillon.")
    ops.add_contribution_media(
        alice, story, io.BytesIO(jpeg_bytes()), caption="Photo d'Alice", is_photo=True
    )
    ops.add_contribution_media(alice, story, io.BytesIO(wav_bytes()), caption="Voix d'Alice")
    db.session.commit()
    return story


def _urls(story: Story) -> list[str]:
    image, audio = story.media
    thumb = image.derivative(DerivativeRole.thumbnail)
    return [
        f"/stories/{story.id}",
        f"/media/d/{thumb.id}/{thumb.sha256[:16]}",
        f"/media/o/{image.id}",
        f"/media/o/{audio.id}",
        f"/api/v1/stories/{story.id}",
    ]


def test_a_visitor_reaches_no_draft_by_id_media_url_or_api(client, draft):
    for url in _urls(draft):
        assert client.get(url).status_code == 404, url
    assert draft.title not in client.get("/").get_data(as_text=True)
    geojson = client.get("/api/v1/map.geojson").get_data(as_text=True)
    assert draft.title not in geojson


def test_another_contributor_can_neither_see_nor_edit_the_draft(client, login, create_user, draft):
    login(create_user("contributor", email="bob@example.org"))
    for url in _urls(draft):
        assert client.get(url).status_code == 404, url
    for step in ("what", "media", "where", "when", "who", "consent"):
        assert client.get(f"/contribute/{draft.id}/{step}").status_code == 404
    assert (
        client.post(
            f"/contribute/{draft.id}/what", data={"title": "Volé", "language": "fr"}
        ).status_code
        == 404
    )
    media = draft.media[0]
    assert client.post(f"/contribute/{draft.id}/media/{media.id}/remove").status_code == 404
    assert client.post(f"/contribute/{draft.id}/media/photo", data={}).status_code == 404
    assert client.post(f"/my-stories/{draft.id}/withdraw").status_code == 404
    assert client.post(f"/contribute/{draft.id}/consent", data={"send": "1"}).status_code == 404
    db.session.expire_all()
    story = db.session.get(Story, draft.id)
    assert story.title == "Le secret d'Alice" and story.status == "draft" and len(story.media) == 2
    assert draft.title not in client.get("/my-stories").get_data(as_text=True)


def test_the_author_sees_the_draft_and_its_files(client, login, draft):
    login(draft.contributor)
    for url in _urls(draft)[:4]:
        assert client.get(url).status_code == 200, url


def test_a_contributor_cannot_publish(client, login, draft):
    login(draft.contributor)
    assert client.post(f"/moderation/{draft.id}/publish").status_code == 403
    assert (
        client.post(f"/moderation/{draft.id}/send-back", data={"back-reason": "x"}).status_code
        == 403
    )
    assert client.get("/moderation/").status_code == 403
    with pytest.raises(Forbidden):
        story_ops.publish_story(draft.contributor, draft)
    db.session.rollback()
    assert db.session.get(Story, draft.id).status == "draft"


@pytest.mark.parametrize("role", ["contributor", "mediator", "researcher", "curator"])
def test_only_staff_reach_moderation(client, login, create_user, role):
    login(create_user(role))
    assert client.get("/moderation/").status_code == 403
    assert client.get("/admin/").status_code == 403


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_staff_reach_moderation(client, login, create_user, role):
    login(create_user(role))
    assert client.get("/moderation/").status_code == 200


def test_only_admins_reach_administration(client, login, create_user):
    login(create_user("moderator"))
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/users").status_code == 403
    login(create_user("admin"))
    assert client.get("/admin/").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in ("/moderation/", "/admin/", "/admin/users", "/my-stories", "/contribute/workshop"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"], url


def test_only_mediators_upload_workshops(client, login, create_user):
    login(create_user("contributor"))
    assert client.get("/contribute/workshop").status_code == 403
    login(create_user("mediator"))
    assert client.get("/contribute/workshop").status_code == 200


def test_a_researcher_sees_published_research_stories_but_no_drafts(
    client, login, create_user, create_story, draft
):
    research = create_story("Pour les chercheurs", visibility="researchers")
    assert client.get(f"/stories/{research.id}").status_code == 404
    login(create_user("researcher"))
    assert client.get(f"/stories/{research.id}").status_code == 200
    assert client.get(f"/stories/{draft.id}").status_code == 404
