"""Nothing a visitor may not see leaves through any of the API's ways out.

Each hidden story carries a word found nowhere else; a withheld transcript passage
another; the "quartier" story an exact point and a street. Every output is read as a
visitor (and as a researcher, who may see researchers-only stories and no more) and
searched for them.
"""

from __future__ import annotations

import pytest

from memoire.oai.provider import oai_identifier
from tests.api.fixtures import EXACT, HIDDEN_WORDS, OWNER_EMAIL, REDACTED_WORD, STREET

STORY_OUTPUTS = (
    "/api/v1/stories/{id}",
    "/api/v1/stories/{id}/manifest.json",
    "/api/v1/stories/{id}/citation",
    "/api/v1/stories/{id}/citation?format=bibtex",
    "/api/v1/stories/{id}/dc.xml",
    "/api/v1/stories/{id}/schema.jsonld",
    "/api/v1/stories/{id}/transcript.vtt",
    "/api/v1/stories/{id}/transcript.txt",
    "/s/{id}",
)


def _list_outputs(words: list[str]) -> list[str]:
    urls = [
        "/api/v1/stories?per_page=100",
        "/api/v1/themes",
        "/api/v1/exports/stories.csv",
        "/api/v1/exports/stories.json",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
        "/oai?verb=ListSets",
        "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&set=theme:mine",
    ]
    for word in words:
        urls += [f"/api/v1/exports/search.csv?q={word}", f"/api/v1/exports/search.json?q={word}"]
    return urls


def _everything(client, archive, headers) -> str:
    """Every output of every story (hidden ones included) and of every list, concatenated."""
    from memoire.search import service

    service.process_pending()
    stories = [archive["public"], archive["quartier"], *archive["hidden"].values()]
    texts = []
    for story in stories:
        for pattern in STORY_OUTPUTS:
            texts.append(
                client.get(pattern.format(id=story.id), headers=headers).get_data(as_text=True)
            )
        texts.append(
            client.get(
                "/oai",
                query_string={
                    "verb": "GetRecord",
                    "identifier": oai_identifier(story.id),
                    "metadataPrefix": "oai_dc",
                },
            ).get_data(as_text=True)
        )
    for url in _list_outputs([*HIDDEN_WORDS.values(), REDACTED_WORD, "Jaurès"]):
        texts.append(client.get(url, headers=headers).get_data(as_text=True))
    return "\n".join(texts)


def _exact_point_strings() -> list[str]:
    return [f"{EXACT[0]}", f"{EXACT[1]}", f"{EXACT[0]:.5f}", f"{EXACT[1]:.5f}"]


def test_a_visitor_never_receives_hidden_stories_withheld_words_or_exact_points(client, archive):
    everything = _everything(client, archive, {})
    assert "La fosse Dutemple" in everything  # the outputs were really read
    for key, word in HIDDEN_WORDS.items():
        assert word not in everything, key
    assert REDACTED_WORD not in everything
    assert STREET not in everything and "Jaurès" not in everything
    for text in _exact_point_strings():
        assert text not in everything
    assert OWNER_EMAIL not in everything


def test_a_hidden_story_answers_every_way_as_a_missing_one(client, archive):
    for story in archive["hidden"].values():
        for pattern in STORY_OUTPUTS:
            assert client.get(pattern.format(id=story.id)).status_code == 404, pattern


@pytest.mark.parametrize("role", ["researcher", "curator"])
def test_researchers_see_researchers_stories_and_nothing_more(client, archive, auth_headers, role):
    headers = auth_headers(role)
    everything = _everything(client, archive, headers)
    assert HIDDEN_WORDS["researchers"] in everything
    for key in ("draft", "submitted", "private", "rejected", "withdrawn"):
        assert HIDDEN_WORDS[key] not in everything, key
    assert REDACTED_WORD not in everything and STREET not in everything
    for text in _exact_point_strings():
        assert text not in everything
    story = archive["hidden"]["researchers"]
    for pattern in STORY_OUTPUTS[:6]:
        assert client.get(pattern.format(id=story.id), headers=headers).status_code == 200, pattern
    # OAI-PMH is public harvesting: a token changes nothing there.
    oai = client.get(
        "/oai",
        query_string={
            "verb": "GetRecord",
            "identifier": oai_identifier(story.id),
            "metadataPrefix": "oai_dc",
        },
        headers=headers,
    )
    assert b"idDoesNotExist" in oai.data
