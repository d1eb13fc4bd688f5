"""The map's period range without JavaScript: its two handles become one `decade=1950-1970`
filter (the one the map's GeoJSON API reads), shown with its decades in words."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from memoire.extensions import db


@pytest.fixture
def archive(create_place, create_story):
    dutemple = create_place("Dutemple", "quartier", "Valenciennes", 50.348, 3.54)
    create_story("La ducasse", places=[dutemple], period="1958")
    create_story("La fosse", places=[dutemple], period={"start": 1962, "end": 1968})
    create_story("L'école", places=[dutemple], kind="photo", period="1975")
    db.session.commit()


def _query(location: str) -> dict:
    return parse_qs(urlsplit(location).query)


def test_the_handles_become_one_period_filter(client, archive):
    response = client.get("/map?kind=&decade_from=1970&decade_to=1960")
    assert response.status_code == 302
    assert _query(response.location) == {"decade": ["1960-1970"]}
    html = client.get(response.location).get_data(as_text=True)
    listed = html.split('id="filtered-heading"')[1].split("</section>")[0]
    assert "La fosse" in listed and "L&#39;école" in listed and "La ducasse" not in listed
    # The handles stay where they were put, their values said in words; the ends stay the
    # archive's, so the period can be widened again.
    assert 'name="decade_from" min="1950" max="1970"' in html
    assert 'value="1960" aria-valuetext="the 1960s"' in html
    assert 'value="1970" aria-valuetext="the 1970s"' in html


def test_handles_at_both_ends_are_every_period(client, archive):
    response = client.get("/map?theme=mine&decade_from=1950&decade_to=1970")
    assert _query(response.location) == {"theme": ["mine"]}
    one = client.get("/map?decade_from=1950&decade_to=1950")
    assert _query(one.location) == {"decade": ["1950"]}


def test_a_bad_period_is_a_message_not_an_error(client, archive):
    response = client.get("/map?decade=1970-1950")
    assert response.status_code == 200
    assert "from the earlier decade to the later one" in response.get_data(as_text=True)
