"""Page titles read "… — Mémoire", never "memoire · Mémoire"."""

from __future__ import annotations

import re


def test_titles(client, create_story, create_place):
    place = create_place("Dutemple", "quartier", "Valenciennes", 50.35, 3.53)
    story = create_story("La ducasse", places=[place])
    for url, title in [("/", "Memories of our neighbourhoods — Mémoire"),
                       (f"/stories/{story.id}", "La ducasse — Mémoire"),
                       (f"/places/{place.id}", "Dutemple — Mémoire"),
                       ("/memories", "All the memories — Mémoire")]:
        html = client.get(url).get_data(as_text=True)
        assert re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip() == title, url


def test_dates_in_the_readers_language(client, create_story):
    from datetime import date

    from memoire.extensions import db

    story = create_story("La ducasse")
    story.recorded_on = date(2025, 3, 14)
    db.session.commit()
    assert ">March 14, 2025</time>" in client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert ">14 mars 2025</time>" in client.get(f"/stories/{story.id}?lang=fr").get_data(as_text=True)
    assert ">14 maart 2025</time>" in client.get(f"/stories/{story.id}?lang=nl").get_data(as_text=True)
