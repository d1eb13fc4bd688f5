"""Citations: a short URL that never changes, and text, BibTeX and CSL-JSON built on it."""

from __future__ import annotations

import json

from flask import render_template
from markupsafe import escape

from memoire.extensions import db
from memoire.stories.citation import bibtex, csl_json
from tests.api.helpers import assert_documented


def test_short_url_redirects_permanently_and_keeps_the_time(client, archive):
    story = archive["public"]
    response = client.get(f"/s/{story.id}?t=42")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/stories/{story.id}?t=42")


def test_short_url_of_a_hidden_or_missing_story_is_404(client, archive):
    for story in archive["hidden"].values():
        assert client.get(f"/s/{story.id}").status_code == 404
    assert client.get("/s/999999").status_code == 404


def test_citation_survives_a_new_title(client, archive):
    story = archive["public"]
    before = client.get(f"/api/v1/stories/{story.id}/citation").get_json()
    story.title = "La fosse Dutemple, 1962"
    db.session.commit()
    after = client.get(f"/api/v1/stories/{story.id}/citation").get_json()
    assert before["short_url"] == after["short_url"] == f"http://localhost/s/{story.id}"
    assert before["csl"]["id"] == after["csl"]["id"] == f"memoire-{story.id}"
    assert (
        before["bibtex"].splitlines()[0]
        == after["bibtex"].splitlines()[0]
        == f"@misc{{memoire-{story.id},"
    )
    assert "La fosse Dutemple, 1962" in after["text"] and before["short_url"] in after["text"]
    # The cited address still leads to the story.
    assert client.get(f"/s/{story.id}").headers["Location"].endswith(f"/stories/{story.id}")


def test_each_format_on_its_own(client, archive):
    story = archive["public"]
    url = f"/api/v1/stories/{story.id}/citation"
    text = client.get(f"{url}?format=text")
    assert text.mimetype == "text/plain" and text.get_data(as_text=True).startswith("Marcel D. (")
    bib = client.get(f"{url}?format=bibtex")
    assert bib.mimetype == "application/x-bibtex"
    assert "author = {Marcel D.}" in bib.get_data(as_text=True)
    csl = client.get(f"{url}?format=csl")
    assert_documented(csl, url)
    item = csl.get_json()[0]
    assert item["type"] == "interview" and item["author"] == [{"literal": "Marcel D."}]
    assert item["URL"].endswith(f"/s/{story.id}") and item["archive_location"] == str(story.id)
    bad = client.get(f"{url}?format=ris")
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "format"


def test_bibtex_escapes_what_latex_would_read(app, create_story):
    story = create_story("50% & {tout} le_reste #1 ~ $", narrators=["A\\B"])
    with app.test_request_context():
        entry = bibtex(story)
    assert r"title = {{50\% \& \{tout\} le\_reste \#1 \textasciitilde{} \$}}" in entry
    assert r"author = {A\textbackslash{}B}" in entry
    assert entry.count("{") == entry.count("}")


def test_hidden_stories_have_no_citation(client, archive):
    for story in archive["hidden"].values():
        assert client.get(f"/api/v1/stories/{story.id}/citation").status_code == 404


def test_cite_block_renders_all_formats(app, archive):
    story = archive["public"]
    with app.test_request_context():
        html = render_template("stories/_cite.html", story=story)
        csl = csl_json(story)
    assert f"http://localhost/s/{story.id}" in html
    assert f"@misc{{memoire-{story.id}," in html
    assert str(escape(json.dumps(csl["title"], ensure_ascii=False))) in html
    assert "<script" not in html
