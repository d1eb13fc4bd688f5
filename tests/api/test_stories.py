"""Reading stories through the API: what each caller sees, pagination, conditional reads, tokens."""

from __future__ import annotations

import json
from datetime import timedelta

from memoire.core.db import utcnow
from memoire.extensions import db
from tests.api.fixtures import EXACT, HIDDEN_WORDS, OWNER_EMAIL, REDACTED_WORD, STREET
from tests.api.helpers import assert_documented, bearer


def _titles(response) -> set[str]:
    return {story["title"] for story in response.get_json()["stories"]}


def test_visitors_list_only_published_public_stories(client, archive):
    response = client.get("/api/v1/stories")
    assert response.status_code == 200
    assert_documented(response, "/api/v1/stories")
    assert _titles(response) == {"La fosse Dutemple", "Le bal du samedi"}
    assert response.get_json()["total"] == 2


def test_tokens_see_what_their_role_allows(client, archive, auth_headers):
    researcher = _titles(client.get("/api/v1/stories", headers=auth_headers("researcher")))
    assert f"Chercheurs {HIDDEN_WORDS['researchers']}" in researcher
    assert not any(
        HIDDEN_WORDS[k] in " ".join(researcher) for k in ("draft", "private", "submitted")
    )

    owner = _titles(client.get("/api/v1/stories", headers=auth_headers(user=archive["owner"])))
    # Their own stories in every state but withdrawn.
    for key in ("draft", "submitted", "private", "researchers", "rejected"):
        assert any(HIDDEN_WORDS[key] in title for title in owner), key
    assert not any(HIDDEN_WORDS["withdrawn"] in title for title in owner)

    moderator = client.get("/api/v1/stories?per_page=100", headers=auth_headers("moderator"))
    assert moderator.get_json()["total"] == 8


def test_status_filter_narrows_within_what_the_caller_sees(client, archive, auth_headers):
    visitor = client.get("/api/v1/stories?status=draft")
    assert visitor.get_json()["total"] == 0
    moderator = client.get("/api/v1/stories?status=draft", headers=auth_headers("moderator"))
    assert _titles(moderator) == {f"Brouillon {HIDDEN_WORDS['draft']}"}
    bad = client.get("/api/v1/stories?status=lost")
    assert bad.status_code == 400
    assert bad.get_json()["error"]["field"] == "status"
    assert_documented(bad, "/api/v1/stories")


def test_filters_by_theme_kind_language_decade_and_place(client, archive):
    assert _titles(client.get("/api/v1/stories?theme=mine")) == {"La fosse Dutemple"}
    assert _titles(client.get("/api/v1/stories?kind=oral_history")) == {"La fosse Dutemple"}
    assert _titles(client.get("/api/v1/stories?lang=nl")) == set()
    assert _titles(client.get("/api/v1/stories?decade=1960s")) == {"La fosse Dutemple"}
    assert _titles(client.get("/api/v1/stories?decade=1970")) == set()
    commune = archive["valenciennes"].id
    assert _titles(client.get(f"/api/v1/stories?place={commune}")) == {
        "La fosse Dutemple",
        "Le bal du samedi",
    }
    for bad, field in (
        ("kind=poem", "kind"),
        ("decade=1965", "decade"),
        ("place=999999", "place"),
        ("per_page=500", "per_page"),
        ("sort=random", "sort"),
        ("page=x", "page"),
    ):
        response = client.get(f"/api/v1/stories?{bad}")
        assert response.status_code == 400, bad
        assert response.get_json()["error"]["field"] == field
        assert response.mimetype == "application/problem+json"


def test_filtering_on_a_hidden_street_does_not_find_a_quartier_story(client, archive, auth_headers):
    street = archive["street"].id
    assert _titles(client.get(f"/api/v1/stories?place={street}")) == set()
    # Moderators see the exact place, and so find it.
    staff = client.get(f"/api/v1/stories?place={street}", headers=auth_headers("moderator"))
    assert _titles(staff) == {"Le bal du samedi"}


def test_pagination_links_walk_the_whole_list(app, client, create_story):
    for n in range(7):
        create_story(f"Histoire {n}")
    seen, url, pages = [], "/api/v1/stories?per_page=3&sort=title", 0
    while url:
        response = client.get(url)
        assert_documented(response, url)
        body = response.get_json()
        seen += [s["title"] for s in body["stories"]]
        pages += 1
        assert f"page={body['page']}&per_page=3" in body["links"]["self"]
        url = body["links"]["next"]
        if url:
            assert 'rel="next"' in response.headers["Link"]
    assert pages == 3
    assert seen == sorted(f"Histoire {n}" for n in range(7))
    last = client.get("/api/v1/stories?per_page=3&page=3&sort=title").get_json()
    assert last["links"]["next"] is None and last["links"]["prev"].endswith("page=2&per_page=3")
    assert "sort=title" in last["links"]["first"]


def test_story_detail_gives_derivatives_transcript_places_and_consent(client, archive):
    story = archive["public"]
    response = client.get(f"/api/v1/stories/{story.id}")
    assert response.status_code == 200
    assert_documented(response, f"/api/v1/stories/{story.id}")
    body = response.get_json()
    assert body["narrators"] == [{"name": "Marcel D.", "pseudonym": False}]
    assert body["consent"] == {
        "online_publication": True,
        "research_use": True,
        "exhibition_use": True,
        "licence": "CC-BY-NC-4.0",
    }
    assert [p["name"] for p in body["places"]] == ["Dutemple"]
    photo, recording = body["media"]
    assert set(photo["derivatives"]) == {"thumbnail", "display"}
    assert set(recording["derivatives"]) >= {"stream"}
    for media in body["media"]:
        for derivative in media["derivatives"].values():
            assert derivative["url"].startswith("http://localhost/media/d/")
    raw = json.dumps(body)
    assert "/media/o/" not in raw  # originals never
    segments = body["transcripts"][0]["segments"]
    assert segments[1]["redacted"] is True and REDACTED_WORD not in raw
    assert segments[1]["text"].startswith("[passage")  # the neutral mark, in the reader's language
    assert segments[0]["start"] == 0.0 and segments[0]["speaker"] == "Marcel"
    # Derivative URLs really serve the files.
    assert client.get(photo["derivatives"]["display"]["url"]).status_code == 200


def test_story_detail_by_external_id(client, create_story):
    story = create_story("Avec un identifiant", external_id="rhs-0042")
    body = client.get("/api/v1/stories/rhs-0042").get_json()
    assert body["id"] == story.id and body["external_id"] == "rhs-0042"


def test_quartier_story_shows_neither_its_street_nor_its_point(client, archive, auth_headers):
    story = archive["quartier"]
    body = client.get(f"/api/v1/stories/{story.id}").get_json()
    raw = json.dumps(body)
    assert STREET not in raw
    assert body["places"] == []
    assert body["point"]["precision"] == "quartier"
    assert (body["point"]["lat"], body["point"]["lon"]) != EXACT
    assert str(EXACT[0]) not in raw and str(EXACT[1]) not in raw
    staff = client.get(f"/api/v1/stories/{story.id}", headers=auth_headers("moderator")).get_json()
    assert (staff["point"]["lat"], staff["point"]["lon"]) == EXACT


def test_hidden_stories_answer_404_like_missing_ones(client, archive):
    for story in archive["hidden"].values():
        response = client.get(f"/api/v1/stories/{story.id}")
        assert response.status_code == 404
        assert_documented(response, f"/api/v1/stories/{story.id}")
    assert (
        client.get("/api/v1/stories/999999").get_json()
        == client.get(f"/api/v1/stories/{archive['hidden']['private'].id}").get_json()
    )


def test_contributor_email_never_appears(client, archive, auth_headers):
    headers = auth_headers("moderator")
    for url in (
        "/api/v1/stories?per_page=100",
        *(f"/api/v1/stories/{s.id}" for s in archive["hidden"].values()),
    ):
        assert OWNER_EMAIL not in client.get(url, headers=headers).get_data(as_text=True)


def test_owner_sees_why_their_story_was_sent_back(client, archive, auth_headers):
    story = archive["hidden"]["rejected"]
    story.moderation_note = "Ajoutez une date"
    db.session.commit()
    own = client.get(f"/api/v1/stories/{story.id}", headers=auth_headers(user=archive["owner"]))
    assert own.get_json()["moderation_note"] == "Ajoutez une date"
    assert_documented(own, f"/api/v1/stories/{story.id}")


def test_repeat_reads_answer_304_with_etag_and_last_modified(client, archive):
    url = f"/api/v1/stories/{archive['public'].id}"
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert "Authorization" in first.headers["Vary"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    listing = client.get("/api/v1/stories")
    assert (
        client.get(
            "/api/v1/stories", headers={"If-None-Match": listing.headers["ETag"]}
        ).status_code
        == 304
    )
    # A change makes the old ETag stale.
    story = archive["public"]
    story.title = "La fosse Dutemple (1962)"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert (
        client.get(
            "/api/v1/stories", headers={"If-None-Match": listing.headers["ETag"]}
        ).status_code
        == 200
    )


def test_etag_differs_between_viewers(client, archive, auth_headers):
    visitor = client.get("/api/v1/stories")
    researcher = client.get("/api/v1/stories", headers=auth_headers("researcher"))
    assert visitor.headers["ETag"] != researcher.headers["ETag"]
    # A visitor's ETag does not unlock a researcher's 304.
    replay = client.get(
        "/api/v1/stories",
        headers={**auth_headers("researcher"), "If-None-Match": visitor.headers["ETag"]},
    )
    assert replay.status_code == 200


def test_bad_revoked_or_foreign_credentials_are_refused(client, archive, create_user):
    from memoire.accounts.operations import create_token, revoke_token

    for headers in (
        {"Authorization": "Bearer mem_nope"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer"},
    ):
        response = client.get("/api/v1/stories", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert_documented(response, "/api/v1/stories")
    user = create_user("researcher")
    token, secret = create_token(None, user, "old")
    db.session.commit()
    assert client.get("/api/v1/stories", headers=bearer(secret)).status_code == 200
    assert token.last_used_at is not None
    revoke_token(user, token)
    db.session.commit()
    assert client.get("/api/v1/stories", headers=bearer(secret)).status_code == 401
    user.is_active_account = False
    db.session.commit()


def test_themes_count_only_visible_stories(client, archive, auth_headers):
    response = client.get("/api/v1/themes")
    assert_documented(response, "/api/v1/themes")
    counts = {t["slug"]: t["story_count"] for t in response.get_json()["themes"]}
    assert counts == {"mine": 1, "fete": 1}
    staff = {
        t["slug"]: t["story_count"]
        for t in client.get("/api/v1/themes", headers=auth_headers("moderator")).get_json()[
            "themes"
        ]
    }
    assert staff["mine"] == 7


def test_last_modified_tracks_the_archive(client, archive):
    """It follows what the caller may see: a public change moves it, a private one does not
    (tests/trust/test_leaks_privacy.py)."""
    first = client.get("/api/v1/stories")
    later = utcnow() + timedelta(seconds=5)
    archive["hidden"]["private"].updated_at = later
    db.session.commit()
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    assert client.get("/api/v1/stories", headers=since).status_code == 304
    archive["public"].updated_at = later
    db.session.commit()
    assert client.get("/api/v1/stories", headers=since).status_code == 200
