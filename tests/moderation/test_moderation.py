"""The moderation queue: read, fix, publish or send back; every decision audited."""

from __future__ import annotations

import io
import re

import pytest

from memoire.accounts.models import User
from memoire.audit.models import AuditEvent
from memoire.contributions import operations as ops
from memoire.extensions import db
from memoire.stories import operations as story_ops
from memoire.stories.models import Story
from tests.conftest import jpeg_bytes, wav_bytes


@pytest.fixture
def submitted(create_user):
    """A submitted story with a photo and a recording, consenting to online publication."""
    author = create_user("contributor", email="author@example.org")
    story = ops.start_draft(author, title="La fosse Dutemple", body="Mon père y descendait.")
    ops.add_contribution_media(
        author, story, io.BytesIO(jpeg_bytes()), caption="Le chevalement", is_photo=True
    )
    ops.add_contribution_media(author, story, io.BytesIO(wav_bytes()), caption="Jean raconte")
    ops.save_changes(
        author,
        story,
        visibility="public",
        narrators=[story_ops.NarratorInput(name="Jean")],
        consent=story_ops.ConsentInput(given_by="Jean", online_publication=True, research_use=True),
    )
    story_ops.submit_story(author, story)
    db.session.commit()
    return story


@pytest.fixture
def moderator(create_user, login):
    user = create_user("moderator", email="moderator@example.org")
    login(user)
    return user


def _events(story_id: int) -> list[str]:
    return [
        e.action
        for e in db.session.query(AuditEvent)
        .filter_by(object_id=story_id, object_type="story")
        .order_by(AuditEvent.id)
    ]


def test_the_queue_shows_submissions_with_media_and_consent(
    client, moderator, submitted, create_story
):
    create_story("Déjà publiée")
    html = client.get("/moderation/").get_data(as_text=True)
    assert "La fosse Dutemple" in html and "Déjà publiée" not in html
    assert "1 memory is waiting to be read." in html
    image, audio = submitted.media
    assert re.search(r'<img src="/media/d/\d+/', html)  # the thumbnail
    assert f"/media/o/{audio.id}" in html  # the recording, before its public copy is ready
    assert "Le chevalement" in html
    assert "online" in html and "CC-BY-NC-4.0" in html


def test_publish_makes_it_public_and_is_audited(client, moderator, submitted):
    assert client.get(f"/stories/{submitted.id}").status_code == 200  # staff see it
    response = client.post(f"/moderation/{submitted.id}/publish")
    assert response.status_code == 302
    db.session.expire_all()
    story = db.session.get(Story, submitted.id)
    assert story.status == "published" and story.published_at is not None
    assert "story.publish" in _events(story.id)
    event = db.session.query(AuditEvent).filter_by(action="story.publish", object_id=story.id).one()
    assert event.actor_id == moderator.id
    assert "fosse" not in str(event.detail).lower()  # never the story's content
    client.post("/account/logout")
    assert client.get(f"/stories/{story.id}").status_code == 200


def test_publishing_needs_consent_to_what_is_shown(client, moderator, submitted):
    consent = submitted.consent
    consent.online_publication = False
    db.session.commit()
    response = client.post(f"/moderation/{submitted.id}/publish")
    assert response.status_code == 400
    assert "the narrator must agree to online publication" in response.get_data(as_text=True)
    assert db.session.get(Story, submitted.id).status == "submitted"
    # Making it visible to its contributor and staff only is always allowed.
    client.post(
        f"/moderation/{submitted.id}/edit", data=_edit_data(submitted, visibility="private")
    )
    assert client.post(f"/moderation/{submitted.id}/publish").status_code == 302


def test_a_withdrawn_story_cannot_be_published_or_reviewed(client, moderator, submitted):
    story_ops.withdraw_story(submitted.contributor, submitted)
    db.session.commit()
    assert client.get(f"/moderation/{submitted.id}").status_code == 404
    assert client.post(f"/moderation/{submitted.id}/publish").status_code == 404
    assert db.session.get(Story, submitted.id).status == "withdrawn"


def test_send_back_needs_a_reason_the_contributor_then_reads(client, login, moderator, submitted):
    response = client.post(f"/moderation/{submitted.id}/send-back", data={"back-reason": "  "})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="back-reason-error"' in html and "Say why the story is sent back." in html
    response = client.post(
        f"/moderation/{submitted.id}/send-back",
        data={"back-reason": "Pouvez-vous préciser l'année ?"},
    )
    assert response.status_code == 302
    story = db.session.get(Story, submitted.id)
    assert story.status == "rejected" and story.moderation_note == "Pouvez-vous préciser l'année ?"
    assert "story.send_back" in _events(story.id)
    login(story.contributor)
    html = client.get("/my-stories").get_data(as_text=True)
    assert "Pouvez-vous préciser l&#39;année ?" in html


def _edit_data(story: Story, **changes) -> dict:
    data = {
        "edit-title": story.title,
        "edit-summary": "",
        "edit-body": story.body,
        "edit-kind": story.kind,
        "edit-language": "fr",
        "edit-period": "",
        "edit-place_name": "",
        "edit-commune": "",
        "edit-lat": "",
        "edit-lon": "",
        "edit-themes": "",
        "edit-visibility": story.visibility,
        "edit-precision": "exact",
        "edit-licence": "CC-BY-NC-4.0",
    }
    data.update({f"edit-{k}": v for k, v in changes.items()})
    return data


def test_the_moderator_fixes_place_period_and_metadata(client, moderator, submitted):
    response = client.post(
        f"/moderation/{submitted.id}/edit",
        data=_edit_data(
            submitted,
            title="La fosse Dutemple en 1958",
            period="vers 1958",
            place_name="Dutemple",
            commune="Valenciennes",
            themes="mine, travail",
            summary="Un fils se souvient.",
            kind="heritage",
            precision="street",
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    story = db.session.get(Story, submitted.id)
    assert story.title == "La fosse Dutemple en 1958" and story.kind == "heritage"
    assert (story.period_start, story.period_end, story.period_approximate) == (1953, 1963, True)
    assert [(p.name, p.parent.name) for p in story.places] == [("Dutemple", "Valenciennes")]
    assert sorted(t.name for t in story.themes) == ["mine", "travail"]
    assert story.precision == "street" and story.status == "submitted"
    assert len(story.consents) == 1  # fixing metadata records no new consent
    assert "story.update" in _events(story.id)


def test_edit_errors_are_shown_by_their_fields(client, moderator, submitted):
    response = client.post(
        f"/moderation/{submitted.id}/edit", data=_edit_data(submitted, period="jadis", title="")
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="edit-title-error"' in html
    response = client.post(
        f"/moderation/{submitted.id}/edit", data=_edit_data(submitted, period="jadis")
    )
    assert 'id="edit-period-error"' in response.get_data(as_text=True)
    assert db.session.get(Story, submitted.id).period_text is None


def test_admin_changes_a_role_audited(client, login, create_user):
    admin = create_user("admin", email="admin@example.org")
    worker = create_user("contributor", email="worker@example.org")
    login(admin)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "worker@example.org" in html
    response = client.post(
        f"/admin/users/{worker.id}/role", data={f"u{worker.id}-role": "mediator"}
    )
    assert response.status_code == 302
    assert db.session.get(User, worker.id).role == "mediator"
    event = db.session.query(AuditEvent).filter_by(action="user.role", object_id=worker.id).one()
    assert event.actor_id == admin.id
    # An administrator cannot lock themselves out from the web page.
    client.post(f"/admin/users/{admin.id}/role", data={f"u{admin.id}-role": "contributor"})
    assert db.session.get(User, admin.id).role == "admin"
    # Unknown roles are refused.
    client.post(f"/admin/users/{worker.id}/role", data={f"u{worker.id}-role": "emperor"})
    assert db.session.get(User, worker.id).role == "mediator"


def test_admin_index_lists_withdrawn_stories_to_erase(client, login, create_user, create_story):
    author = create_user("contributor")
    story = create_story("À effacer", contributor=author)
    story_ops.withdraw_story(author, story)
    db.session.commit()
    login(create_user("admin"))
    html = client.get("/admin/").get_data(as_text=True)
    assert f"memoire erase story {story.id}" in html
    assert "À effacer" not in html  # no content, only the id
