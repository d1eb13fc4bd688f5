"""The search page's period range (issue 17): two handles from one decade to another, which
work without JavaScript, and a `decade=1950-1970` filter that the API understands too."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from memoire.core.errors import ValidationError
from memoire.search import service
from memoire.search.query import parse_decades


@pytest.fixture
def archive(create_story):
    for title, period in [
        ("Le charbon", "1952"),
        ("La ducasse", "1965"),
        ("Le terril", "1978"),
        ("Le marché", "1995"),
    ]:
        create_story(title, body="souvenir du quartier", period=period)
    service.process_pending()


def test_a_period_is_every_decade_it_starts():
    assert parse_decades(["1950-1970"]) == (1950, 1960, 1970)
    assert parse_decades(["1950-1959"]) == (1950,)  # as before: the 1950s
    assert parse_decades(["1950s", "1950-1960"]) == (1950, 1960)


@pytest.mark.parametrize("value", ["1970-1950", "1000-2020", "1955-1970", "19x0"])
def test_a_bad_period_is_refused_naming_the_filter(value):
    with pytest.raises(ValidationError) as refused:
        parse_decades([value])
    assert refused.value.field == "decade"


def _titles(html: str) -> set[str]:
    return {t for t in ("Le charbon", "La ducasse", "Le terril", "Le marché") if t in html}


def test_the_two_handles_without_javascript(app, client, archive):
    page = client.get("/search?q=souvenir").get_data(as_text=True)
    assert page.count('type="range"') == 2
    assert 'name="decade_from"' in page and 'name="decade_to"' in page
    assert 'min="1950"' in page and 'max="1990"' in page
    # The form sends both handles, in either order; the page answers with one filter.
    response = client.get("/search?q=souvenir&decade_from=1970&decade_to=1960")
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.location).query) == {
        "q": ["souvenir"],
        "decade": ["1960-1970"],
    }
    html = client.get(response.location).get_data(as_text=True)
    assert _titles(html.split('class="facets"')[0]) == {"La ducasse", "Le terril"}
    # The handles stay where they were put, their values said in words; the ends stay the
    # archive's, so the period can be widened again.
    assert 'value="1960"' in html and 'value="1970"' in html
    assert "the 1960s" in html and "the 1970s" in html
    assert 'min="1950"' in html and 'max="1990"' in html


def test_a_bad_period_is_a_message_not_an_error(client, archive):
    response = client.get("/search?q=souvenir&decade=1990-1950")
    assert response.status_code == 400
    assert "from the earlier decade to the later one" in response.get_data(as_text=True)


def test_the_api_takes_a_period(client, archive):
    body = client.get("/api/v1/search?q=souvenir&decade=1950-1960").get_json()
    assert {r["title"] for r in body["results"]} == {"Le charbon", "La ducasse"}


def test_the_ends_come_from_stories_the_viewer_may_see(client, archive, create_story):
    create_story("Un secret de 1900", period="1905", visibility="private")
    create_story("Un brouillon de 2010", period="2012", status="draft")
    page = client.get("/search?q=souvenir").get_data(as_text=True)
    assert 'min="1950"' in page and 'max="1990"' in page
