""" "I remember too" at its other doors (issue 18 item 1): the JSON API and `memoire import`.

The rule (only a public, published story can be answered; a moment must be in its
recording) lives in memoire.stories.responses and contributions.start_response; the web
wizard's door is tested in test_responses.py, these are the two others.
"""

from __future__ import annotations

import json

import pytest

from memoire.extensions import db
from memoire.imports.operations import import_path
from memoire.stories import responses
from memoire.stories.models import Story
from tests.api.helpers import assert_documented, bearer, token_for


@pytest.fixture
def app_config() -> dict:
    """English first, so that messages can be asserted as written in the code."""
    return {"DEFAULT_LOCALE": "en", "LOCALES": "en,fr,nl", "INDEX_AFTER_COMMIT": False}


@pytest.fixture
def stories(create_story):
    return {
        "strike": create_story("La grève de 1963", body="Six semaines.", external_id="greve"),
        "private": create_story("Un secret de famille", visibility="private", external_id="secret"),
        "draft": create_story("Un brouillon", status="draft"),
    }


def _count() -> int:
    return db.session.query(Story).count()


def test_the_api_answers_a_public_story_as_the_wizard_does(app, client, stories, create_user):
    resident = create_user("contributor", email="marcel@example.org")
    headers = bearer(token_for(resident))
    url = f"/api/v1/stories/{stories['strike'].id}/responses"
    response = client.post(
        url,
        json={
            "title": "La soupe populaire",
            "body": "Moi aussi.",
            "themes": ["Grève"],
            "at": "0:00",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    assert_documented(response, url, "post")
    made = db.session.get(Story, response.get_json()["id"])
    assert made.answers_id == stories["strike"].id and made.status == "draft"
    assert made.contributor_id == resident.id and made.body == "Moi aussi."
    assert made.answers_at is None  # the answered story has no recording: no moment
    # Moderated like any contribution: not in the thread until public.
    assert responses.responses_to(stories["strike"]) == []
    thread_url = f"/api/v1/stories/{stories['strike'].id}/responses"
    assert client.get(thread_url).get_json()["count"] == 0
    made.status, made.visibility = "published", "public"
    db.session.commit()
    thread = client.get(thread_url)
    assert_documented(thread, thread_url)
    assert [r["id"] for r in thread.get_json()["responses"]] == [made.id]
    # The response's own JSON says what it answers (documented), the thread's anchor nothing.
    detail = client.get(f"/api/v1/stories/{made.id}")
    assert_documented(detail, f"/api/v1/stories/{made.id}")
    answered = detail.get_json()["answers"]
    assert answered["id"] == stories["strike"].id and answered["at"] is None
    assert answered["url"].endswith(f"/api/v1/stories/{stories['strike'].id}")
    assert client.get(f"/api/v1/stories/{stories['strike'].id}").get_json()["answers"] is None
    hidden = client.get(f"/api/v1/stories/{stories['private'].id}/responses")
    assert hidden.status_code == 404
    assert_documented(hidden, f"/api/v1/stories/{stories['private'].id}/responses")
    # By external id too, and submitted at once when the body says so.
    submitted = client.post(
        "/api/v1/stories/greve/responses",
        json={
            "title": "Le piquet",
            "body": "On tenait la grille.",
            "status": "submitted",
            "narrators": ["Marcel"],
            "visibility": "public",
            "consent": {"given_by": "Marcel", "online_publication": True},
        },
        headers=headers,
    )
    assert submitted.status_code == 201, submitted.get_json()
    assert db.session.get(Story, submitted.get_json()["id"]).status == "submitted"


@pytest.mark.parametrize("role", ["contributor", "moderator"])
def test_the_api_answers_no_story_that_is_not_public(app, client, stories, create_user, role):
    headers = bearer(token_for(create_user(role)))
    before = _count()
    for ref in (stories["private"].id, "secret", stories["draft"].id, 999999, "nothing"):
        url = f"/api/v1/stories/{ref}/responses"
        response = client.post(url, json={"title": "Moi aussi"}, headers=headers)
        assert response.status_code == 404, ref
        assert "secret" not in response.get_data(as_text=True).lower()
        assert (
            response.get_json()["error"]["message"]
            == "This story does not exist, or is not public."
        )
    assert _count() == before


def test_the_api_refuses_bad_bodies_and_keeps_nothing(app, client, stories, create_user):
    headers = bearer(token_for(create_user("contributor")))
    url = f"/api/v1/stories/{stories['strike'].id}/responses"
    before = _count()
    assert client.post(url, json={"title": "Sans jeton"}).status_code == 401
    for body, field in [
        ({"body": "no title"}, "title"),
        ({"title": "x", "colour": 1}, "colour"),
        ({"title": "x", "at": "soon"}, "answers_at"),
        ({"title": "x", "at": [1]}, "at"),
        ({"title": "x", "status": "published"}, "status"),
        # Submitted without narrator nor consent: refused, and no draft stays.
        ({"title": "x", "body": "y", "status": "submitted"}, None),
    ]:
        response = client.post(url, json=body, headers=headers)
        assert 400 <= response.status_code < 500, body
        error = response.get_json()["error"]
        assert error["message"], body
        if field:
            assert error.get("field") == field, (body, error)
    assert _count() == before


def _write(tmp_path, records):
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


CONSENT = {
    "given_by": "Marcel D.",
    "method": "signed_form",
    "online_publication": True,
    "research_use": True,
}


def test_an_import_line_answers_a_public_story_or_fails_whole(app, tmp_path, stories):
    lines = [
        {
            "id": "r-1",
            "title": "La soupe populaire",
            "body": "Moi aussi.",
            "answers": "greve",
            "status": "published",
            "visibility": "public",
            "narrators": ["Marcel"],
            "consent": CONSENT,
        },
        {
            "id": "r-2",
            "title": "Réponse par numéro",
            "body": "x",
            "answers": stories["strike"].id,
            "answers_at": 0,
        },
        {"id": "r-3", "title": "Réponse à un secret", "body": "x", "answers": "secret"},
        {
            "id": "r-4",
            "title": "Réponse à un brouillon",
            "body": "x",
            "answers": stories["draft"].id,
        },
        {"id": "r-5", "title": "Réponse à rien", "body": "x", "answers": "nulle-part"},
        {"id": "r-6", "title": "Réponse à une ligne du fichier", "body": "x", "answers": "r-1"},
        {
            "id": "r-7",
            "title": "Moment absurde",
            "body": "x",
            "answers": "greve",
            "answers_at": "bientôt",
        },
    ]
    summary = import_path(None, _write(tmp_path, lines))
    status = {r.external_id: r.status for r in summary.results}
    assert status == {
        "r-1": "created",
        "r-2": "created",
        "r-3": "failed",
        "r-4": "failed",
        "r-5": "failed",
        "r-6": "created",
        "r-7": "failed",
    }
    errors = {r.external_id: r.error for r in summary.results if r.error}
    assert (
        errors["r-3"]
        == errors["r-4"]
        == errors["r-5"]
        == "This story does not exist, or is not public."
    )
    assert "1:23" in errors["r-7"]
    made = {s.external_id: s for s in db.session.query(Story)}
    assert {"r-3", "r-4", "r-5", "r-7"}.isdisjoint(made)  # a failed line keeps nothing
    strike = stories["strike"]
    assert made["r-1"].answers_id == made["r-2"].answers_id == strike.id
    assert made["r-6"].answers_id == made["r-1"].id
    # The imported public response is in the thread; once the strike story turns
    # private, nothing of it shows on the response's page.
    assert [r.external_id for r in responses.responses_to(strike)] == ["r-1"]
    strike.visibility = "private"
    db.session.commit()
    page = app.test_client().get(f"/stories/{made['r-1'].id}").get_data(as_text=True)
    assert "La grève de 1963" not in page and f'/stories/{strike.id}"' not in page
    # A second run of the same file changes nothing and fails the same lines.
    again = import_path(None, _write(tmp_path, lines[:2]))
    assert [r.status for r in again.results] == ["failed", "failed"]
