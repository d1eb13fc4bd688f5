"""The "where" step offers known neighbourhoods to tap before any map or coordinates."""

from __future__ import annotations

from memoire.extensions import db
from memoire.stories.models import Story


def test_tap_a_known_neighbourhood(client, login, create_user, create_place):
    dutemple = create_place("Dutemple", "quartier", "Valenciennes", 50.3526, 3.5333)
    dutemple.external_id = "t:dutemple"
    db.session.commit()
    login(client, create_user("contributor"))
    response = client.post("/contribute", data={"title": "La ducasse", "language": "fr"})
    story_id = int(response.headers["Location"].split("/")[2])
    html = client.get(f"/contribute/{story_id}/where").get_data(as_text=True)
    assert f'name="known_place" value="{dutemple.id}"' in html
    assert html.index('name="known_place"') < html.index('id="where-map"')
    response = client.post(f"/contribute/{story_id}/where", data={"known_place": str(dutemple.id),
                                                                 "place_name": "", "lat": "", "lon": ""})
    assert response.status_code == 302
    story = db.session.get(Story, story_id)
    assert [p.name for p in story.places] == ["Dutemple"]
