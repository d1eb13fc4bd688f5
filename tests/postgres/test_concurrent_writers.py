"""Concurrent writers on PostgreSQL do not collide (issue 13 item 9): four `memoire import`
processes add stories that share new places, communes, themes and narrators at the same
moment while another process searches; every line lands, and every shared row exists once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from memoire.extensions import db
from memoire.places.models import Place
from memoire.search import service
from memoire.stories.models import Person, Story, StoryPlace, Theme, story_themes

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.timeout(300),
    pytest.mark.parametrize("engine", ["postgres"], indirect=True),
]

PROCESSES = 4
LINES = 25
SEARCHES = 300
WORD = "chevalement"
COMMUNES = ["Quiévrain", "Hornu", "Boussu"]
PLACES = [f"{kind} {n}" for n in range(1, 5) for kind in ("Terril", "Coron")]
THEMES = [f"Mémoire ouvrière {n}" for n in range(1, 9)]
NARRATORS = [f"Narratrice {n}" for n in range(1, 7)]


def _line(process: int, n: int) -> dict:
    # Each process walks the shared names in its own order, so creations cross both ways.
    k = n * (process + 1) + process
    places = [PLACES[k % len(PLACES)], PLACES[(k + 3 + process) % len(PLACES)]]
    return {
        "id": f"p{process}-{n}",
        "title": f"Le {WORD} numéro {process}-{n}",
        "body": f"Souvenir {process}-{n} du {WORD} et du terril.",
        "visibility": "public",
        "status": "published",
        "consent": {"given_by": "Atelier", "online_publication": True, "research_use": True},
        "themes": [THEMES[k % len(THEMES)], THEMES[(k + 5) % len(THEMES)]],
        "narrators": [{"name": NARRATORS[(k + process) % len(NARRATORS)]}],
        "places": [
            {"name": name, "parent": COMMUNES[PLACES.index(name) % len(COMMUNES)],
             "type": "landmark", "lat": 50.4, "lon": 3.7}
            for name in dict.fromkeys(places)
        ],
    }


SEARCH_SCRIPT = """
import sys
from memoire import create_app
app = create_app({"TESTING": True})
client = app.test_client()
bad = 0
for i in range(int(sys.argv[1])):
    path = ("/api/v1/search?q=%s" % sys.argv[2]) if i % 3 else "/api/v1/search?q=terril&theme=x&theme=y"
    status = client.get(path).status_code
    bad += status != 200
print("bad", bad)
"""


def _environment(app, tmp_path: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "MEMOIRE_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEMOIRE_SEARCH": "postgres",
        "MEMOIRE_HOME": str(tmp_path / "home-processes"),
        "MEMOIRE_MEDIA_DIR": str(tmp_path / "media-processes"),
        "MEMOIRE_SECRET_KEY": "concurrency-test",
    })
    return env


def test_four_importers_and_searches_lose_nothing(app, tmp_path):
    files = []
    for process in range(PROCESSES):
        path = tmp_path / f"import-{process}.jsonl"
        path.write_text(
            "\n".join(json.dumps(_line(process, n), ensure_ascii=False) for n in range(LINES)) + "\n",
            encoding="utf-8",
        )
        files.append(path)
    db.session.commit()  # nothing of this test's transaction may hold a lock meanwhile
    env = _environment(app, tmp_path)
    memoire = str(Path(sys.executable).with_name("memoire"))
    started = time.monotonic()
    importers = [
        subprocess.Popen([memoire, "import", str(path)], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for path in files
    ]
    searcher = subprocess.Popen([sys.executable, "-c", SEARCH_SCRIPT, str(SEARCHES), WORD], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outputs = [p.communicate(timeout=150) for p in importers]
    search_out, search_err = searcher.communicate(timeout=150)
    elapsed = time.monotonic() - started

    for process, (out, err) in zip(importers, outputs, strict=True):
        assert process.returncode == 0, err[-3000:]
        assert f"imported: {LINES} created, 0 updated, 0 failed" in out, (out, err[-3000:])
    assert searcher.returncode == 0, search_err[-3000:]
    assert "bad 0" in search_out, (search_out, search_err[-3000:])

    db.session.expire_all()
    count = db.session.scalar(select(func.count()).select_from(Story))
    assert count == PROCESSES * LINES
    ids = set(db.session.scalars(select(Story.external_id)))
    assert ids == {f"p{p}-{n}" for p in range(PROCESSES) for n in range(LINES)}
    # Every shared row exists once, and every story kept all of its links.
    names = list(db.session.scalars(select(Place.name)))
    for name in PLACES + COMMUNES:
        assert names.count(name) == 1, (name, sorted(names))
    for place in db.session.scalars(select(Place).where(Place.name.in_(PLACES))):
        assert place.parent is not None and place.parent.name == COMMUNES[PLACES.index(place.name) % len(COMMUNES)]
    assert sorted(db.session.scalars(select(Theme.name))) == sorted(THEMES)
    assert sorted(db.session.scalars(select(Person.display_name))) == sorted(NARRATORS)
    expected_links = sum(len(_line(p, n)["places"]) for p in range(PROCESSES) for n in range(LINES))
    assert db.session.scalar(select(func.count()).select_from(StoryPlace)) == expected_links
    assert db.session.scalar(select(func.count()).select_from(story_themes)) == PROCESSES * LINES * 2
    # And the index holds every story.
    assert service.search(None, {"q": WORD, "per_page": 10}).total == PROCESSES * LINES
    # About 25 s on an idle two-core machine; several times that when the machine is shared.
    print(f"{PROCESSES} importers x {LINES} lines + {SEARCHES} searches: {elapsed:.1f} s")


def test_the_same_line_given_to_two_importers_is_one_story(app, tmp_path):
    """Two processes importing the same ids at once: one creates, the other updates."""
    path = tmp_path / "same.jsonl"
    path.write_text(
        "\n".join(json.dumps(_line(0, n), ensure_ascii=False) for n in range(10)) + "\n",
        encoding="utf-8",
    )
    db.session.commit()
    env = _environment(app, tmp_path)
    memoire = str(Path(sys.executable).with_name("memoire"))
    processes = [
        subprocess.Popen([memoire, "import", str(path)], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, (out, err[-3000:])
        assert "0 failed" in out
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Story)) == 10
