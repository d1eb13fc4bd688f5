"""The leak suite over responses ("Je me souviens aussi"), related stories and "near me"
(issue 18): every planted story (one per visibility and status) is

- a response to one public story: that story's thread and count show it only when it is
  public and published, whoever asks;
- answered by a public response: the response's page names it only when the viewer may
  see it;
- never answerable unless public and published: the wizard answers 404 for the others.
"""

from __future__ import annotations

import json
import re

import pytest

from memoire.extensions import db
from memoire.stories.visibility import may_view
from tests.trust.test_leaks import VIEWERS, client_for, fetch, planted, shows  # noqa: F401


@pytest.fixture
def threads(app, planted, create_story):  # noqa: F811
    anchor = create_story("Récit ancre public", body="ancre")
    answers = []
    for item in planted["stories"]:
        item.story.answers_id = anchor.id
        item.story.answers_at = 12.0
        answer = create_story(f"Réponse publique {item.story.id}", body="réponse")
        answer.answers_id = item.story.id
        answers.append((item, answer))
    db.session.commit()
    return {"anchor": anchor, "answers": answers}


def _public(item) -> bool:
    return item.story.status == "published" and item.story.visibility == "public"


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_thread_lists_and_counts_public_responses_only(app, planted, threads, viewer):  # noqa: F811
    client = client_for(app, planted, viewer)
    status, text = fetch(client, planted, viewer, f"/stories/{threads['anchor'].id}")
    assert status == 200
    public = [item for item in planted["stories"] if _public(item)]
    failures = [item.word for item in planted["stories"] if shows(text, item, "") != _public(item)]
    assert not failures, failures
    # The count says exactly how many public responses there are, in every language.
    counts = re.findall(r'id="responses-title">\s*(\d+)', text)
    assert counts == [str(len(public))]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_api_thread_lists_public_responses_only(app, planted, threads, viewer):  # noqa: F811
    """/api/v1/stories/<id>/responses: under the public anchor, a planted response only
    when public; under a planted story, its public answer only when that story is public."""
    client = client_for(app, planted, viewer)
    status, text = fetch(
        client, planted, viewer, f"/api/v1/stories/{threads['anchor'].id}/responses"
    )
    assert status == 200
    failures = [item.word for item in planted["stories"] if shows(text, item, "") != _public(item)]
    for item, answer in threads["answers"]:
        status, text = fetch(client, planted, viewer, f"/api/v1/stories/{item.story.id}/responses")
        allowed = may_view(planted["users"][viewer], item.story)
        if status != (200 if allowed else 404) or (answer.title in text) != _public(item):
            failures.append((item.word, status))
    assert not failures, failures


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_response_names_what_it_answers_only_to_who_may_see_it(app, planted, threads, viewer):  # noqa: F811
    client = client_for(app, planted, viewer)
    failures = []
    for item, answer in threads["answers"]:
        status, text = fetch(client, planted, viewer, f"/stories/{answer.id}")
        assert status == 200
        allowed = may_view(planted["users"][viewer], item.story)
        if shows(text, item, "") != allowed or (
            not allowed and re.search(rf"/stories/{item.story.id}\b", text)
        ):
            failures.append((item.word, allowed))
        # The story JSON's `answers`: the answered story, or null, by the same rule.
        status, text = fetch(client, planted, viewer, f"/api/v1/stories/{answer.id}")
        assert status == 200
        answers = json.loads(text)["answers"]
        told = answers is not None and answers["id"] == item.story.id
        if told != allowed or shows(text, item, "") != allowed:
            failures.append((item.word, "api", allowed))
    assert not failures, failures


@pytest.mark.parametrize("viewer", ["owner", "other", "researcher", "moderator"])
def test_only_a_public_story_can_be_answered(app, planted, threads, viewer):  # noqa: F811
    client = client_for(app, planted, viewer)
    for item in planted["stories"]:
        status, text = fetch(client, planted, viewer, f"/contribute?answers={item.story.id}")
        assert status == (200 if _public(item) else 404), item.word
        assert shows(text, item, "") == _public(item), item.word


@pytest.mark.parametrize("viewer", VIEWERS)
def test_related_stories_are_public_ones_only(app, planted, create_story, viewer):  # noqa: F811
    """A public story sharing every planted story's place and theme: its "to read next"
    names a planted story only when that one is public and published, whoever asks."""
    anchor = create_story(
        "Récit voisin public",
        places=[item.place for item in planted["stories"]],
        themes=[f"thème{item.word}" for item in planted["stories"]],
    )
    client = client_for(app, planted, viewer)
    status, text = fetch(client, planted, viewer, f"/stories/{anchor.id}")
    assert status == 200
    failures = [
        item.word for item in planted["stories"] if (f"Titre {item.word}" in text) != _public(item)
    ]
    assert not failures, failures


@pytest.mark.parametrize("viewer", VIEWERS)
def test_near_me_lists_and_names_public_stories_only(app, planted, viewer):  # noqa: F811
    client = client_for(app, planted, viewer)
    failures = []
    for item in planted["stories"]:
        # Picking a place by the name only a hidden story gives it finds nothing.
        status, text = fetch(client, planted, viewer, f"/near?place=Lieu+{item.word}")
        assert status == 200
        if (f"Titre {item.word}" in text) != _public(item):
            failures.append(item.word)
    status, text = fetch(client, planted, viewer, "/near?lat=50.36&lon=3.52")
    failures += [item.word for item in planted["stories"] if shows(text, item, "") != _public(item)]
    assert not failures, failures
