"""The leak suite over then-and-now pairs (issue 18 item 5): every planted story (one per
visibility and status) has its photo paired both ways with a public story's photo, as if
both had been public when paired and one had changed since.

A pair is shown only while BOTH stories are public and published, whoever asks (staff
and the owner included: a pair is a public thing). A pair with a hidden side never
reveals it: not on the pairs' page, the pair's own page (404), the public side's story
page, the JSON, the GeoJSON layer, nor through its photo's URL; and the pairing form
does not take a hidden photo as the archive side.
"""

from __future__ import annotations

import pytest

from memoire.extensions import db
from memoire.then_now.models import ThenNowPair
from tests.trust.test_leaks import VIEWERS, client_for, fetch, planted, shows  # noqa: F401


def _public(story) -> bool:
    return story.status == "published" and story.visibility == "public"


@pytest.fixture
def pairs(app, planted, create_story, create_place):  # noqa: F811
    from io import BytesIO

    from memoire.media.operations import add_media
    from tests.conftest import jpeg_bytes

    place = create_place("Place zqpairwk", "quartier", "Valenciennes", 50.36, 3.52)
    anchor = create_story("Vue publique d'ancrage", places=[place])
    photo = add_media(None, anchor, BytesIO(jpeg_bytes(color=(10, 200, 10))), caption="Ancre")
    db.session.flush()
    made = []
    for item in planted["stories"]:
        hidden_photo = item.story.media[0]
        forth = ThenNowPair(then_media_id=hidden_photo.id, now_media_id=photo.id, place_id=place.id)
        back = ThenNowPair(then_media_id=photo.id, now_media_id=hidden_photo.id, place_id=place.id)
        db.session.add_all([forth, back])
        made.append((item, forth, back))
    db.session.commit()
    return {"anchor": anchor, "made": made}


def _photo_url(item) -> str:
    return f"/media/d/{item.derivative.id}/"


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_pair_with_a_hidden_side_never_reveals_it(app, planted, pairs, viewer):  # noqa: F811
    client = client_for(app, planted, viewer)
    failures = []
    shared = [
        "/then-and-now",
        f"/stories/{pairs['anchor'].id}",
        "/api/v1/then-and-now",
        "/api/v1/then-and-now.geojson",
    ]
    texts = {}
    for url in shared:
        status, texts[url] = fetch(client, planted, viewer, url)
        assert status == 200, url
    for item, forth, back in pairs["made"]:
        public = _public(item.story)
        for url, text in texts.items():
            seen = shows(text, item, url) or _photo_url(item) in text
            if seen != public and not (public and url.endswith(".geojson")):
                failures.append(f"{viewer}: {url} and {item.word} (public={public})")
            for pair in (forth, back):
                if (f'/then-and-now/{pair.id}"' in text) != public:
                    failures.append(f"{viewer}: {url} links pair {pair.id} of {item.word}")
        for pair in (forth, back):
            for url in (f"/then-and-now/{pair.id}", f"/api/v1/then-and-now/{pair.id}"):
                status, text = fetch(client, planted, viewer, url)
                expected = 200 if public else 404
                if (
                    status != expected
                    or shows(text, item, url) != public
                    or (_photo_url(item) in text) != public
                ):
                    failures.append(f"{viewer}: {url} answered {status} for {item.word}")
        # The pairing form never takes (nor shows) a hidden photo as the archive side.
        status, text = fetch(
            client, planted, viewer, f"/then-and-now/new?then={item.story.media[0].id}"
        )
        if viewer != "visitor" and (
            status != (200 if public else 404) or shows(text, item, "") != public
        ):
            failures.append(f"{viewer}: the pairing form answered {status} for {item.word}")
    assert not failures, "\n".join(failures)


def test_public_pairs_do_appear(app, planted, pairs):  # noqa: F811
    """The suite would pass with no pair shown at all: the public one is really there."""
    client = client_for(app, planted, "visitor")
    public = [p for item, *p in pairs["made"] if _public(item.story)]
    assert len(public) == 1
    status, text = fetch(client, planted, "visitor", "/api/v1/then-and-now")
    assert status == 200 and text.count('"then":') == 2
    status, text = fetch(client, planted, "visitor", "/api/v1/then-and-now.geojson")
    assert text.count('"Feature"') == 2


@pytest.mark.parametrize("viewer", ["other", "researcher"])
def test_the_write_doors_answer_a_hidden_pair_as_a_missing_one(app, planted, pairs, viewer):  # noqa: F811
    """POST and DELETE /api/v1/then-and-now, for somebody who neither made a pair nor is
    staff: a hidden photo or pair answers exactly as one that does not exist."""
    from tests.api.helpers import bearer

    client = app.test_client()
    headers = bearer(planted["tokens"][viewer])
    anchor_photo = pairs["anchor"].media[0].id
    missing_pair = client.delete("/api/v1/then-and-now/987654", headers=headers)
    missing_photo = client.post(
        "/api/v1/then-and-now", json={"then": 987654, "now": anchor_photo}, headers=headers
    )
    assert missing_pair.status_code == missing_photo.status_code == 404
    failures = []
    for item, forth, back in pairs["made"]:
        public = _public(item.story)
        hidden_photo = item.story.media[0].id
        answer = client.post(
            "/api/v1/then-and-now", json={"then": hidden_photo, "now": anchor_photo}, headers=headers
        )
        if not public and answer.get_json() != missing_photo.get_json():
            failures.append(f"{viewer}: pairing {item.word}'s photo answered {answer.status_code}")
        for pair in (forth, back):
            answer = client.delete(f"/api/v1/then-and-now/{pair.id}", headers=headers)
            expected = missing_pair.get_json() if not public else None
            if answer.status_code != (403 if public else 404) or (
                expected is not None and answer.get_json() != expected
            ):
                failures.append(f"{viewer}: undoing pair {pair.id} of {item.word}: {answer.status_code}")
    assert not failures, "\n".join(failures)
    assert db.session.query(ThenNowPair).count() == 2 * len(pairs["made"])
