"""Contributing and moderating through the API: the web form's operations, a token's user as actor."""

from __future__ import annotations

import io

import pytest

from memoire.extensions import db
from memoire.stories.models import Story
from tests.api.helpers import assert_documented
from tests.conftest import count_rows_and_files, jpeg_bytes

CONSENT = {"given_by": "Jeanne", "online_publication": True, "research_use": True}


def _new(client, headers, **body):
    body.setdefault("title", "Le marché couvert")
    return client.post("/api/v1/stories", json=body, headers=headers)


def test_a_contributor_creates_a_draft(client, create_user, auth_headers, create_place):
    user = create_user("contributor")
    place = create_place()
    response = _new(
        client,
        auth_headers(user=user),
        body="Le dimanche matin.",
        narrators=["Jeanne"],
        themes=["Commerce"],
        places=[{"id": place.id, "role": "happened"}],
        period="années 70",
        visibility="public",
        consent=CONSENT,
    )
    assert response.status_code == 201
    assert_documented(response, "/api/v1/stories", "post")
    body = response.get_json()
    assert body["status"] == "draft" and body["visibility"] == "public"
    assert response.headers["Location"].endswith(f"/api/v1/stories/{body['id']}")
    story = db.session.get(Story, body["id"])
    assert story.contributor_id == user.id
    assert story.period_start == 1970 and story.themes[0].name == "Commerce"
    assert story.consent.given_by == "Jeanne"
    # Nobody else sees a draft.
    assert client.get(f"/api/v1/stories/{story.id}").status_code == 404


def test_created_submitted_when_ready_and_refused_when_not(client, auth_headers):
    headers = auth_headers()
    ready = _new(
        client, headers, body="Texte", narrators=["Jeanne"], consent=CONSENT, status="submitted"
    )
    assert ready.status_code == 201 and ready.get_json()["status"] == "submitted"
    before = db.session.query(Story).count()
    missing = _new(client, headers, body="Texte", status="submitted")
    assert missing.status_code == 400
    assert missing.get_json()["error"]["field"] in {"consent", "narrator"}
    assert db.session.query(Story).count() == before  # nothing half-written
    published = _new(client, headers, status="published")
    assert published.status_code == 400 and published.get_json()["error"]["field"] == "status"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"summary": "no title"}, "title"),
        ({"title": "x", "bogus": 1}, "bogus"),
        ({"title": "x", "kind": "poem"}, "kind"),
        ({"title": "x", "period": "un jour"}, "period"),
        ({"title": "x", "places": [999999]}, "places"),
        ({"title": "x", "lat": 50.3}, "lat"),
        ({"title": "x", "lat": 95, "lon": 3}, "place"),
        ({"title": "x", "narrators": [{"name": "A", "age": 3}]}, "narrators"),
        ({"title": "x", "consent": {"online_publication": "yes"}}, "online_publication"),
        (
            {"title": "x", "visibility": "public", "consent": {"online_publication": False}},
            "online_publication",
        ),
        ({"title": 3}, "title"),
    ],
)
def test_invalid_bodies_are_refused_with_the_field(client, auth_headers, body, field):
    response = client.post("/api/v1/stories", json=body, headers=auth_headers())
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field
    assert_documented(response, "/api/v1/stories", "post")


def test_not_json_is_refused(client, auth_headers):
    response = client.post("/api/v1/stories", data="title=x", headers=auth_headers())
    assert response.status_code == 400


def test_writes_need_a_token_not_a_session_cookie(client, create_user):
    assert client.post("/api/v1/stories", json={"title": "x"}).status_code == 401
    create_user("contributor", email="cookie@example.org")
    login = client.post(
        "/account/login", data={"email": "cookie@example.org", "password": "correct horse battery"}
    )
    assert login.status_code == 302
    # Logged in through the browser, yet the API refuses to change anything on a cookie alone.
    response = client.post("/api/v1/stories", json={"title": "x"})
    assert response.status_code == 401
    assert_documented(response, "/api/v1/stories", "post")


def test_duplicate_external_id_is_a_conflict(client, auth_headers, create_story):
    create_story("Existante", external_id="rhs-1")
    response = _new(client, auth_headers(), external_id="rhs-1")
    assert response.status_code == 409 and response.get_json()["error"]["field"] == "external_id"
    assert_documented(response, "/api/v1/stories", "post")


def test_patch_changes_only_what_is_sent(client, auth_headers, create_user):
    user = create_user()
    headers = auth_headers(user=user)
    created = _new(
        client, headers, body="Avant", themes=["Commerce"], narrators=["Jeanne"]
    ).get_json()
    url = f"/api/v1/stories/{created['id']}"
    response = client.patch(url, json={"body": "Après", "period": 1978}, headers=headers)
    assert response.status_code == 200
    assert_documented(response, url, "patch")
    body = response.get_json()
    assert body["body"] == "Après" and body["period"]["start"] == 1978
    assert [t["name"] for t in body["themes"]] == ["Commerce"] and body["narrators"][0][
        "name"
    ] == "Jeanne"
    refused = client.patch(url, json={"status": "published"}, headers=headers)
    assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "status"


def test_if_match_refuses_a_stale_change(client, auth_headers, create_user):
    headers = auth_headers(user=create_user())
    story_id = _new(client, headers).get_json()["id"]
    url = f"/api/v1/stories/{story_id}"
    etag = client.get(url, headers=headers).headers["ETag"]
    assert (
        client.patch(url, json={"summary": "un"}, headers={**headers, "If-Match": etag}).status_code
        == 200
    )
    stale = client.patch(url, json={"summary": "deux"}, headers={**headers, "If-Match": etag})
    assert stale.status_code == 412
    assert_documented(stale, url, "patch")
    assert db.session.get(Story, story_id).summary == "un"


def test_who_may_change_a_story(client, archive, auth_headers):
    owner = auth_headers(user=archive["owner"])
    submitted = archive["hidden"]["submitted"]
    locked = client.patch(f"/api/v1/stories/{submitted.id}", json={"summary": "x"}, headers=owner)
    assert locked.status_code == 409
    assert_documented(locked, f"/api/v1/stories/{submitted.id}", "patch")
    public = archive["public"]
    foreign = client.patch(
        f"/api/v1/stories/{public.id}", json={"summary": "x"}, headers=auth_headers("researcher")
    )
    assert foreign.status_code == 403
    hidden = client.patch(
        f"/api/v1/stories/{archive['hidden']['draft'].id}",
        json={"summary": "x"},
        headers=auth_headers("researcher"),
    )
    assert hidden.status_code == 404
    staff = client.patch(
        f"/api/v1/stories/{public.id}",
        json={"summary": "Corrigé"},
        headers=auth_headers("moderator"),
    )
    assert staff.status_code == 200 and staff.get_json()["summary"] == "Corrigé"


def test_media_upload_makes_derivatives(client, auth_headers, create_user):
    headers = auth_headers(user=create_user())
    story_id = _new(client, headers).get_json()["id"]
    url = f"/api/v1/stories/{story_id}/media"
    response = client.post(
        url,
        headers=headers,
        data={
            "file": (io.BytesIO(jpeg_bytes()), "photo.jpg"),
            "caption": "Le marché",
            "alt_text": "Des étals",
        },
    )
    assert response.status_code == 201
    assert_documented(response, url, "post")
    media = response.get_json()
    assert media["kind"] == "image" and set(media["derivatives"]) == {"thumbnail", "display"}
    assert media["alt_text"] == "Des étals"
    assert client.get(f"/api/v1/stories/{story_id}", headers=headers).get_json()["kind"] == "photo"
    missing = client.post(url, headers=headers, data={})
    assert missing.status_code == 400 and missing.get_json()["error"]["field"] == "file"
    broken = client.post(
        url, headers=headers, data={"file": (io.BytesIO(b"not an image"), "x.jpg")}
    )
    assert broken.status_code == 400


@pytest.fixture
def small_files(app):
    app.config["MEMOIRE_MAX_FILE_BYTES"] = 2000


def test_too_large_file_is_413_and_leaves_nothing(
    app, client, auth_headers, create_user, small_files
):
    headers = auth_headers(user=create_user())
    story_id = _new(client, headers).get_json()["id"]
    before = count_rows_and_files(app)
    url = f"/api/v1/stories/{story_id}/media"
    response = client.post(
        url, headers=headers, data={"file": (io.BytesIO(jpeg_bytes((900, 900))), "big.jpg")}
    )
    assert response.status_code == 413
    assert_documented(response, url, "post")
    assert count_rows_and_files(app) == before


def test_submit_publish_and_send_back(client, auth_headers, create_user):
    contributor = auth_headers(user=create_user())
    moderator = auth_headers("moderator")
    story_id = _new(
        client,
        contributor,
        body="Texte",
        narrators=["Jeanne"],
        visibility="public",
        consent=CONSENT,
    ).get_json()["id"]
    base = f"/api/v1/stories/{story_id}"
    early = client.post(f"{base}/publish", headers=moderator)
    assert early.status_code == 409  # a draft is not up for review
    assert_documented(early, f"{base}/publish", "post")
    submitted = client.post(f"{base}/submit", headers=contributor)
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    assert_documented(submitted, f"{base}/submit", "post")
    assert client.post(f"{base}/submit", headers=contributor).status_code == 409
    assert client.post(f"{base}/publish", headers=contributor).status_code == 403
    assert client.post(f"{base}/publish").status_code == 401
    no_reason = client.post(f"{base}/send-back", json={"reason": "  "}, headers=moderator)
    assert no_reason.status_code == 400 and no_reason.get_json()["error"]["field"] == "reason"
    sent_back = client.post(
        f"{base}/send-back", json={"reason": "Précisez l'année"}, headers=moderator
    )
    assert sent_back.status_code == 200 and sent_back.get_json()["status"] == "rejected"
    assert_documented(sent_back, f"{base}/send-back", "post")
    again = client.post(f"{base}/send-back", json={"reason": "encore"}, headers=moderator)
    assert again.status_code == 409
    # The contributor reads why, fixes and sends it again; the moderator publishes.
    assert client.get(base, headers=contributor).get_json()["moderation_note"] == "Précisez l'année"
    assert client.patch(base, json={"period": 1962}, headers=contributor).status_code == 200
    assert client.post(f"{base}/submit", headers=contributor).status_code == 200
    published = client.post(f"{base}/publish", headers=moderator)
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    assert_documented(published, f"{base}/publish", "post")
    assert client.get(base).status_code == 200  # now everybody's


def test_publish_refuses_what_consent_does_not_cover(client, auth_headers, create_user):
    contributor = auth_headers(user=create_user())
    story_id = _new(
        client,
        contributor,
        body="Texte",
        narrators=["Jeanne"],
        visibility="researchers",
        consent={"research_use": True},
        status="submitted",
    ).get_json()["id"]
    story = db.session.get(Story, story_id)
    story.visibility = "public"  # changed behind the consent's back
    db.session.commit()
    response = client.post(f"/api/v1/stories/{story_id}/publish", headers=auth_headers("moderator"))
    assert (
        response.status_code == 400
        and response.get_json()["error"]["field"] == "online_publication"
    )
