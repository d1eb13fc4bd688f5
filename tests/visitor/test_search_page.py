"""The search page: tips in the reader's language with operators that work, one relevance
option, and links to download the results."""

from __future__ import annotations

import pytest

from memoire.search import service


@pytest.fixture
def archive(create_story):
    create_story("La fosse et le terril", body="mineur de fond")
    create_story("La ducasse", body="mineur et fanfare")
    create_story("Het carnaval", body="fanfare", language="nl")
    service.process_pending()


@pytest.mark.parametrize(
    "lang, shown, hidden",
    [("nl", ["EN / OF / NIET", "plaats:", "verteller:"], ["SAUF", "narrateur:"]),
     ("en", ["AND / OR / NOT", "place:", "narrator:"], ["SAUF", "narrateur:"]),
     ("fr", ["ET / OU / SAUF", "lieu:", "narrateur:"], ["NIET"])],
)
def test_tips_show_the_readers_operators(client, lang, shown, hidden):
    html = client.get(f"/search?lang={lang}").get_data(as_text=True)
    for word in shown:
        assert word in html
    for word in hidden:
        assert word not in html


@pytest.mark.engines
@pytest.mark.parametrize("query, expected", [
    ("mineur EN fanfare", {"La ducasse"}),
    ("terril OF carnaval", {"La fosse et le terril", "Het carnaval"}),
    ("mineur NIET fanfare", {"La fosse et le terril"}),
    ("mineur AND fanfare", {"La ducasse"}),
])
def test_dutch_operators_work(app, archive, query, expected):
    page = service.search(None, {"q": query})
    assert {r.story.title for r in page.results} == expected


def test_one_relevance_option_and_export_links(client, archive):
    html = client.get("/search?q=mineur").get_data(as_text=True)
    assert html.count('<option value=""') == 1 and 'value="relevance"' not in html
    assert "/api/v1/exports/search.csv?q=mineur" in html
    assert "/api/v1/exports/search.json?q=mineur" in html
    csv = client.get("/api/v1/exports/search.csv?q=mineur")
    assert csv.status_code == 200 and "La ducasse" in csv.get_data(as_text=True)
