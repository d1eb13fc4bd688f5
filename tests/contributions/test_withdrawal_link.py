"""A narrator can withdraw what a mediator submitted (issue 13 item 11): a signed link on the
consent receipt, or a request the mediator or a moderator carries out, audited; at once."""

from __future__ import annotations

import pytest

from memoire.audit.models import AuditEvent
from memoire.core.errors import Forbidden, NotFound, ValidationError
from memoire.extensions import db
from memoire.stories import operations as story_ops
from memoire.stories.models import Story, StoryTombstone


@pytest.fixture
def entered(create_user, create_place):
    """A story a mediator entered for Lucienne at a workshop, consented on a signed form, published."""
    mediator = create_user("mediator", email="mediatrice@example.org")
    data = story_ops.StoryInput(
        title="Le bal du samedi soir", body="Un souvenir de bal.", visibility="public",
        status="published", narrators=[story_ops.NarratorInput(name="Lucienne")],
        places=[(create_place(), "happened")],
        consent=story_ops.ConsentInput(given_by="Lucienne", method="signed_form",
                                       online_publication=True, research_use=True),
    )
    story = story_ops.create_story(None, data)
    story.contributor_id = mediator.id
    db.session.commit()
    return story, mediator


def _withdrawals(story_id: int) -> list[dict]:
    return [e.detail for e in db.session.query(AuditEvent).filter_by(
        action="story.withdraw", object_id=story_id)]


def test_the_signed_link_withdraws_at_once_and_only_its_story(app, entered, create_story):
    story, _mediator = entered
    other = create_story("Une autre")
    token = story_ops.withdrawal_token(story)
    assert story_ops.story_for_withdrawal(token) is story
    story_ops.withdraw_by_link(token)
    db.session.commit()
    assert story.status == "withdrawn" and story.consent.withdrawn_at is not None
    assert db.session.get(StoryTombstone, story.id) is not None  # harvesters drop it too
    assert _withdrawals(story.id) == [{"via": "narrator_link"}]
    assert other.status == "published"
    story_ops.withdraw_by_link(token)  # a second click changes nothing
    assert len(_withdrawals(story.id)) == 1
    for forged in (token[:-2] + "xx", "abc", story_ops.withdrawal_token(story).replace(".", "")):
        with pytest.raises(NotFound):
            story_ops.story_for_withdrawal(forged)


def test_a_request_is_carried_out_by_the_mediator_or_a_moderator_and_audited(
    app, entered, create_user
):
    story, mediator = entered
    with pytest.raises(ValidationError):
        story_ops.withdraw_on_request(mediator, story, "telepathy")
    with pytest.raises(Forbidden):
        story_ops.withdraw_on_request(create_user("mediator"), story, "phone")  # not theirs
    story_ops.withdraw_on_request(mediator, story, "phone")
    db.session.commit()
    assert story.status == "withdrawn"
    event = db.session.query(AuditEvent).filter_by(action="story.withdraw", object_id=story.id).one()
    assert event.actor_id == mediator.id and event.detail == {"via": "phone"}
    assert "Lucienne" not in str(event.detail)  # no personal data in the audit


def test_the_receipt_carries_the_link_the_narrator_opens_without_an_account(
    client, login, entered
):
    story, mediator = entered
    login(mediator)
    assert "Consent receipt" in client.get("/my-stories").get_data(as_text=True)
    page = client.get(f"/my-stories/{story.id}/receipt")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Lucienne" in html and "mailto:?subject=" in html
    link = f"/withdraw/{story_ops.withdrawal_token(story)}"
    assert f"http://localhost{link}" in html

    client.post("/account/logout")
    assert "Le bal du samedi soir" in client.get(f"/stories/{story.id}").get_data(as_text=True)
    confirm = client.get(link)
    assert confirm.status_code == 200 and "Yes, withdraw this memory" in confirm.get_data(as_text=True)
    assert db.session.get(Story, story.id).status == "published"  # GET changes nothing
    done = client.post(link)
    assert done.status_code == 200 and "The memory is withdrawn" in done.get_data(as_text=True)
    assert client.get(f"/stories/{story.id}").status_code == 404  # at once
    assert client.get(link).status_code == 200  # the link still answers, and says it is done
    assert client.get("/withdraw/forged-token").status_code == 404


def test_the_request_page_for_mediators_and_moderators(client, login, entered, create_user):
    story, mediator = entered
    login(create_user("mediator"))
    assert client.get(f"/my-stories/{story.id}/withdraw-on-request").status_code == 404
    assert client.get(f"/my-stories/{story.id}/receipt").status_code == 404
    login(create_user("moderator"))
    review = client.get(f"/moderation/{story.id}").get_data(as_text=True)
    assert f"/my-stories/{story.id}/withdraw-on-request" in review
    assert f"/my-stories/{story.id}/receipt" in review
    assert client.get(f"/my-stories/{story.id}/receipt").status_code == 200
    missing = client.post(f"/my-stories/{story.id}/withdraw-on-request", data={})
    assert missing.status_code == 400
    assert db.session.get(Story, story.id).status == "published"
    done = client.post(f"/my-stories/{story.id}/withdraw-on-request", data={"channel": "letter"})
    assert done.status_code == 200 and db.session.get(Story, story.id).status == "withdrawn"
    assert _withdrawals(story.id) == [{"via": "letter"}]
