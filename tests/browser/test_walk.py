"""Following a walk on a phone: with a faked position that moves, the next stop's distance falls.

The position is given to the page by Playwright's geolocation; walk.js must compute the
distance on the phone: no request made after the permission carries the position.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_until

pytestmark = pytest.mark.browser


@pytest.fixture
def walk_slug(live_server) -> str:
    from memoire.extensions import db
    from memoire.places.operations import find_or_create_place
    from memoire.stories import operations as story_ops
    from memoire.walks import operations as ops

    with live_server.app.app_context():
        place = find_or_create_place(
            None, name="Dutemple", type="quartier", parent="Valenciennes", lat=50.3526, lon=3.5333
        )
        walk = ops.create_walk(None, "Parcours d'essai", slug="parcours-essai")
        for n, (lat, lon) in enumerate([(50.3500, 3.5300), (50.3550, 3.5300)], start=1):
            story = story_ops.create_story(
                None,
                story_ops.StoryInput(
                    title=f"Étape {n}",
                    kind="anecdote",
                    visibility="public",
                    status="published",
                    language="fr",
                    places=[(place, "happened")],
                    lat=lat,
                    lon=lon,
                    consent=story_ops.ConsentInput(
                        given_by="test", online_publication=True, exhibition_use=True
                    ),
                ),
            )
            ops.add_stop(None, walk, story, text=f"Texte {n}")
        ops.set_status(None, walk, ops.PUBLISHED)
        db.session.commit()
        return walk.slug


def test_the_next_stops_distance_falls_as_the_visitor_walks(live_server, new_page, walk_slug):
    page = new_page(
        permissions=["geolocation"], geolocation={"latitude": 50.3460, "longitude": 3.5300}
    )
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    page.goto(f"{live_server.url}/walks/{walk_slug}")
    assert page.locator("[data-walk-stop]").count() == 2
    button = page.locator("[data-walk-locate]")
    assert button.is_visible()
    requests_before = len(sent)
    button.click()
    wait_until(page, "document.querySelector('[data-walk-next]').hasAttribute('data-distance')")
    first = int(page.get_attribute("[data-walk-next]", "data-distance"))
    assert 350 < first < 550  # ~450 m south of the first stop
    assert "Étape 1" in page.inner_text("[data-walk-next]")

    page.context.set_geolocation({"latitude": 50.3490, "longitude": 3.5300})
    wait_until(
        page, f"parseInt(document.querySelector('[data-walk-next]').dataset.distance) < {first}"
    )
    closer = int(page.get_attribute("[data-walk-next]", "data-distance"))
    assert closer < first

    # At the first stop, the next one is the second.
    page.context.set_geolocation({"latitude": 50.35005, "longitude": 3.53015})
    wait_until(page, "document.querySelector('[data-walk-next]').textContent.includes('Étape 2')")
    # The position never left the phone: nothing was requested with it.
    assert not [url for url in sent[requests_before:] if "50.34" in url or "50.35" in url]
