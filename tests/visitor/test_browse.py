"""'Tous les souvenirs': by theme, decade and neighbourhood, with thumbnails and a map, linked from home."""

from __future__ import annotations

from sqlalchemy import select

from memoire.extensions import db
from memoire.stories.models import Theme


def _archive(create_story, create_place):
    mons = create_place("Mons", "commune", None, 50.45, 3.95)
    epinlieu = create_place("Epinlieu", "quartier", mons, 50.44, 3.96)
    create_story("La ducasse", themes=["fête"], period="1962", places=[epinlieu])
    create_story("Le terril", themes=["mine"], period="1955-1972", places=[mons])
    create_story("Brouillon caché", themes=["fête", "secret"], period="1963", places=[epinlieu], status="draft")
    create_story("Privé caché", themes=["secret"], period="1964", visibility="private", places=[epinlieu])
    return mons, epinlieu


def test_home_links_to_the_index_with_counts(client, create_story, create_place):
    _archive(create_story, create_place)
    assert "/memories" in client.get("/").get_data(as_text=True)
    html = client.get("/memories").get_data(as_text=True)
    assert ">fête</a>" in html and ">mine</a>" in html
    assert ">secret</a>" not in html  # only hidden stories carry it
    assert "/memories/decade/1960" in html and "/memories/decade/1950" in html
    assert "/memories/decade/1970" in html  # a range counts in each decade it covers
    assert "caché" not in html


def test_lists_by_theme_decade_and_place(client, create_story, create_place):
    mons, _ = _archive(create_story, create_place)
    ids = {t.slug: t.id for t in db.session.scalars(select(Theme))}
    html = client.get(f"/memories/theme/{ids['fete']}").get_data(as_text=True)
    assert "La ducasse" in html and "caché" not in html and 'id="browse-map"' in html
    assert client.get(f"/memories/theme/{ids['secret']}").status_code == 404
    html = client.get("/memories/decade/1960").get_data(as_text=True)
    assert "La ducasse" in html and "Le terril" in html and "caché" not in html
    html = client.get(f"/memories/place/{mons.id}").get_data(as_text=True)
    assert "La ducasse" in html and "Le terril" in html and "caché" not in html
    assert client.get("/memories/decade/1965").status_code == 404
    assert client.get("/memories/decade/1960?page=x").status_code == 404
