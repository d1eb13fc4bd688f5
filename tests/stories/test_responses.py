""""Je me souviens aussi" (issue 18 item 1): a story answering a public story.

The rule lives in memoire.stories.responses and contributions.operations.start_response;
it is tested there, then through the wizard's door and on the story page.
"""

# ruff: noqa: F811  (the client and login fixtures are imported)
from __future__ import annotations

import pytest

from memoire.contributions import operations as contrib
from memoire.core.errors import NotFound, ValidationError
from memoire.extensions import db
from memoire.privacy.operations import erase_story
from memoire.stories import operations as story_ops
from memoire.stories import responses
from memoire.stories.models import Story
from tests.english_client import client, login  # noqa: F401


def _publish(moderator, resident, story: Story) -> Story:
    contrib.save_changes(
        resident, story, body="Moi aussi, la soupe populaire.",
        narrators=[story_ops.NarratorInput(name="Marcel")],
        visibility="public",
        consent=story_ops.ConsentInput(given_by="Marcel", online_publication=True, research_use=True),
    )
    contrib.submit_contribution(resident, story)
    story_ops.publish_story(moderator, story)
    db.session.commit()
    return story


@pytest.fixture
def people(create_user):
    return create_user("contributor", email="marcel@example.org"), create_user("moderator")


def test_parse_moment():
    assert responses.parse_moment("") is None
    assert responses.parse_moment("83") == 83
    assert responses.parse_moment("1:23") == 83
    assert responses.parse_moment("1 min 23") == 83
    for bad in ("abc", "1:75", "-3"):
        with pytest.raises(ValidationError):
            responses.parse_moment(bad)


def test_a_response_is_a_moderated_story_shown_in_the_thread_once_public(app, create_story, people):
    resident, moderator = people
    strike = create_story("La grève de 1963", body="On a tenu six semaines.")
    draft = contrib.start_response(resident, strike, title="La soupe populaire")
    db.session.commit()
    assert draft.answers_id == strike.id and draft.status == "draft"
    assert responses.responses_to(strike) == [] and responses.response_count(strike) == 0
    _publish(moderator, resident, draft)
    assert [r.id for r in responses.responses_to(strike)] == [draft.id]
    assert responses.response_count(strike) == 1
    assert responses.answered_story(None, draft) == strike


def test_only_a_public_published_story_can_be_answered(app, create_story, people):
    resident, _ = people
    for visibility, status in [("private", "published"), ("researchers", "published"),
                               ("public", "submitted")]:
        hidden = create_story("Caché", visibility=visibility, status=status)
        with pytest.raises(NotFound):
            responses.answerable_story(hidden.id)
        with pytest.raises(NotFound):
            contrib.start_response(resident, hidden, title="Réponse")
    with pytest.raises(NotFound):
        responses.answerable_story("999999")


def test_a_response_names_what_it_answers_only_while_the_viewer_may_see_it(app, create_story, people):
    resident, moderator = people
    strike = create_story("La grève de 1963")
    response = _publish(moderator, resident, contrib.start_response(resident, strike, title="Soupe"))
    strike.visibility = "private"
    db.session.commit()
    assert responses.answered_story(None, response) is None
    assert responses.answered_story(moderator, response) == strike  # staff see everything
    # The thread of a story hides responses that are not public.
    response.visibility = "researchers"
    strike.visibility = "public"
    db.session.commit()
    assert responses.responses_to(strike) == [] and responses.response_count(strike) == 0


def test_erasing_or_withdrawing_either_side_leaves_the_other(app, create_story, create_user, people):
    resident, moderator = people
    admin = create_user("admin")
    strike = create_story("La grève de 1963")
    response = _publish(moderator, resident, contrib.start_response(resident, strike, title="Soupe"))
    other = _publish(moderator, resident, contrib.start_response(resident, strike, title="Le piquet"))
    # Withdrawing a response takes it out of the thread; the answered story stays.
    story_ops.withdraw_story(resident, other)
    db.session.commit()
    assert [r.id for r in responses.responses_to(strike)] == [response.id]
    # Erasing the response leaves the story it answered.
    erase_story(admin, response)
    db.session.commit()
    assert db.session.get(Story, strike.id) is not None and responses.response_count(strike) == 0
    # Erasing the answered story leaves the response, now answering nothing.
    third = _publish(moderator, resident, contrib.start_response(resident, strike, title="Les femmes"))
    strike_id = erase_story(admin, strike)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Story, third.id)
    assert kept is not None and kept.answers_id is None and kept.is_public
    assert db.session.get(Story, strike_id) is None


def test_wizard_door_prelinks_the_draft_with_a_moment(client, login, create_story, people):
    resident, _ = people
    strike = create_story("La grève de 1963")
    login(resident)
    page = client.get(f"/contribute?answers={strike.id}")
    assert page.status_code == 200 and "La grève de 1963" in page.get_data(as_text=True)
    posted = client.post("/contribute", data={
        "answers": str(strike.id), "title": "La soupe", "body": "x", "language": "fr",
    })
    assert posted.status_code == 302
    draft = db.session.scalars(db.select(Story).where(Story.title == "La soupe")).one()
    assert draft.answers_id == strike.id and draft.answers_at is None  # no recording: no moment


def test_wizard_door_refuses_a_hidden_story_and_a_bad_moment(client, login, create_story, people):
    resident, _ = people
    hidden = create_story("Caché", visibility="private")
    login(resident)
    assert client.get(f"/contribute?answers={hidden.id}").status_code == 404
    assert client.post("/contribute", data={
        "answers": str(hidden.id), "title": "x", "body": "x", "language": "fr",
    }).status_code == 404
    assert client.get("/contribute?answers=abc").status_code == 404
    assert db.session.scalars(db.select(Story).where(Story.title == "x")).first() is None


def test_story_page_shows_the_thread_and_the_answer_link(client, login, create_story, people):
    resident, moderator = people
    strike = create_story("La grève de 1963")
    response = _publish(moderator, resident, contrib.start_response(resident, strike, title="Soupe"))
    html = client.get(f"/stories/{strike.id}").get_data(as_text=True)
    assert "1 response" in html and "Soupe" in html
    assert f"/contribute?answers={strike.id}" in html
    page = client.get(f"/stories/{response.id}").get_data(as_text=True)
    assert "In answer to" in page and "La grève de 1963" in page
    strike.visibility = "private"
    db.session.commit()
    page = client.get(f"/stories/{response.id}").get_data(as_text=True)
    assert "In answer to" not in page and "La grève de 1963" not in page


def test_a_mediator_answers_on_a_residents_behalf_with_consent_recorded(
    client, login, create_story, create_user, people
):
    """Issue 18 item 1: "or a mediator on a resident's behalf, consent recorded": the same
    wizard, the resident named as narrator, how and by whom consent was given kept."""
    _resident, moderator = people
    mediator = create_user("mediator", email="mediatrice@example.org")
    strike = create_story("La grève de 1963")
    login(mediator)
    started = client.post("/contribute", data={
        "answers": str(strike.id), "title": "Le piquet de grève", "body": "Ma mère y était.",
        "language": "fr",
    })
    assert started.status_code == 302
    draft = db.session.scalars(db.select(Story).where(Story.title == "Le piquet de grève")).one()
    assert draft.answers_id == strike.id and draft.contributor_id == mediator.id
    who = client.post(f"/contribute/{draft.id}/who", data={
        "narrator": "other", "narrator_name": "Jeanne Lefebvre", "birth_decade": "1940",
    })
    assert who.status_code == 302
    consent = {
        "online_publication": "y", "research_use": "y", "visibility": "public",
        "precision": "street", "licence": "CC-BY-NC-4.0", "given_by": "Jeanne Lefebvre",
    }
    # A mediator must say how the narrator gave consent: nothing is sent without it.
    unsaid = client.post(f"/contribute/{draft.id}/consent", data={**consent, "send": "1"})
    assert unsaid.status_code == 400
    db.session.expire_all()
    assert db.session.get(Story, draft.id).status == "draft"
    sent = client.post(
        f"/contribute/{draft.id}/consent", data={**consent, "method": "signed_form", "send": "1"}
    )
    assert sent.status_code == 302
    db.session.expire_all()
    response = db.session.get(Story, draft.id)
    assert response.status == "submitted" and response.answers_id == strike.id
    assert [n.display_name for n in response.narrators] == ["Jeanne Lefebvre"]
    assert response.consent.method == "signed_form"
    assert response.consent.given_by == "Jeanne Lefebvre"
    story_ops.publish_story(moderator, response)
    db.session.commit()
    client.post("/logout")
    page = client.get(f"/stories/{strike.id}").get_data(as_text=True)
    assert "Le piquet de grève" in page
