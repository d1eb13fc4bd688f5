"""A place typed before the suggestions load links the known place, matched by name and
parent (any ancestor), instead of adding a duplicate; the moderator sees when a contribution
adds a new place (issue 13 item 9)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from memoire.extensions import db
from memoire.places.models import Place
from memoire.places.operations import is_new_place
from memoire.stories.models import Story


@pytest.fixture
def resident(create_user, login):
    user = create_user("contributor", email="resident@example.org")
    login(user)
    return user


@pytest.fixture
def street(create_place):
    create_place("Valenciennes", "commune", None, 50.357, 3.523)
    create_place("Dutemple", "quartier", "Valenciennes", 50.3526, 3.5333)
    return create_place("Rue du Coron", "street", "Dutemple", 50.351, 3.537)


def _start(client) -> int:
    response = client.post(
        "/contribute", data={"title": "La ducasse", "body": "On dansait.", "language": "fr"}
    )
    assert response.status_code == 302
    return int(response.headers["Location"].split("/")[2])


def _where(client, story_id: int, **data) -> Story:
    data = {"place_id": "", "commune": "", "lat": "", "lon": "", **data}
    response = client.post(f"/contribute/{story_id}/where", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.get(Story, story_id)


def _places() -> int:
    return db.session.scalar(select(func.count()).select_from(Place))


@pytest.mark.parametrize("typed", [
    {"place_name": "rue du coron", "commune": "Valenciennes"},  # the browser filled the commune in
    {"place_name": "Rue du Coron", "commune": "Dutemple"},
    {"place_name": "Rue du Coron (Dutemple)"},                   # the suggestion's label, typed
    {"place_name": "Rue du Coron"},
])
def test_a_typed_name_links_the_known_place(client, resident, street, typed):
    before = _places()
    story = _where(client, _start(client), **typed)
    assert [p.id for p in story.places] == [street.id]
    assert _places() == before
    assert not is_new_place(street, story)


def test_a_name_under_another_commune_is_a_new_place(client, resident, street, create_user, login):
    story = _where(client, _start(client), place_name="Rue du Coron", commune="Anzin")
    place = story.places[0]
    assert place.id != street.id and place.parent.name == "Anzin"
    assert is_new_place(place, story)


def test_the_moderator_sees_a_new_place(client, resident, street, create_user, login):
    new = _where(client, _start(client), place_name="Le kiosque de la place", commune="Valenciennes")
    known = _where(client, _start(client), place_name="Rue du Coron", commune="Valenciennes")
    moderator = create_user("moderator")
    login(moderator)
    page = client.get(f"/moderation/{new.id}").get_data(as_text=True)
    assert "new place" in page and "This memory adds to the gazetteer: Le kiosque de la place." in page
    page = client.get(f"/moderation/{known.id}").get_data(as_text=True)
    assert "Rue du Coron" in page and "new place" not in page
    assert "adds to the gazetteer" not in page


def test_a_place_of_the_gazetteer_is_never_new(app, street, create_story):
    story = create_story("Un souvenir", places=[street])
    street.external_id = "osm:1"
    assert not is_new_place(street, story)
