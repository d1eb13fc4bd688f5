"""Nothing the viewer may not see comes out of search: no hit, count, facet, snippet,
suggestion or map point."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from memoire.search import service

#: Words that appear in one story each, and nowhere else.
PRIVATE_WORD = "estaminet"  # private story of alice
RESEARCH_WORD = "ducasse"  # story for researchers, by alice
DRAFT_WORD = "galibot"  # public story still in draft, by alice
PUBLIC_WORD = "kermesse"  # the public story


@pytest.fixture
def archive(create_user, create_story, create_place, hainaut):
    alice = create_user("contributor")
    hidden_street = create_place(
        "Rue Cachée", type="quartier", parent="Valenciennes", lat=50.36, lon=3.52
    )
    public = create_story(
        "La kermesse du quartier",
        body="souvenir commun de la kermesse",
        themes=["Fêtes"],
        places=[hainaut["epinlieu"]],
        narrators=["Louise"],
        contributor=alice,
    )
    private = create_story(
        "Au café",
        body=f"souvenir commun, l'{PRIVATE_WORD} du coin",
        visibility="private",
        themes=["Contrebande"],
        narrators=["Gaston Secret"],
        places=[hidden_street],
        contributor=alice,
        period="1930",
    )
    research = create_story(
        "La fête",
        body=f"souvenir commun de la {RESEARCH_WORD}",
        visibility="researchers",
        themes=["Traditions"],
        contributor=alice,
        kind="heritage",
    )
    draft = create_story(
        "Le fond",
        body=f"souvenir commun du {DRAFT_WORD}",
        status="draft",
        contributor=alice,
        language="nl",
    )
    return SimpleNamespace(
        alice=alice,
        bob=create_user("contributor"),
        researcher=create_user("researcher"),
        moderator=create_user("moderator"),
        public=public,
        private=private,
        research=research,
        draft=draft,
    )


def viewer_of(archive, role):
    return None if role == "visitor" else getattr(archive, role)


#: Which stories each role may find.
ALLOWED = {
    "visitor": {"public"},
    "bob": {"public"},  # another contributor
    "alice": {"public", "private", "research", "draft"},  # her own, whatever their state
    "researcher": {"public", "research"},
    "moderator": {"public", "private", "research", "draft"},
}
WORDS = {
    "private": PRIVATE_WORD,
    "research": RESEARCH_WORD,
    "draft": DRAFT_WORD,
    "public": PUBLIC_WORD,
}
ROLES = list(ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_hits_and_counts(archive, role):
    viewer = viewer_of(archive, role)
    for name, word in WORDS.items():
        page = service.search(viewer, {"q": word})
        story = getattr(archive, name)
        if name in ALLOWED[role]:
            assert [r.story.id for r in page.results] == [story.id], (role, word)
            assert page.total == 1
        else:
            assert page.results == [] and page.total == 0, (role, word)
            assert all(not values for values in page.facets.values()), (role, word)
    common = service.search(viewer, {"q": "souvenir commun"})
    assert common.total == len(ALLOWED[role])
    assert {r.story.id for r in common.results} == {getattr(archive, n).id for n in ALLOWED[role]}


@pytest.mark.parametrize("role", ROLES)
def test_facets(archive, role):
    page = service.search(viewer_of(archive, role), {"q": "souvenir commun"})
    themes = {v.label for v in page.facets["theme"]}
    narrators = {v.label for v in page.facets["narrator"]}
    places = {v.label for v in page.facets["place"]}
    kinds = {v.value: v.count for v in page.facets["kind"]}
    languages = {v.value for v in page.facets["language"]}
    decades = {v.value for v in page.facets["decade"]}
    assert ("Contrebande" in themes) == ("private" in ALLOWED[role])
    assert ("Gaston Secret" in narrators) == ("private" in ALLOWED[role])
    assert ("Rue Cachée" in places) == ("private" in ALLOWED[role])
    assert ("1930" in decades) == ("private" in ALLOWED[role])
    assert ("Traditions" in themes) == ("research" in ALLOWED[role])
    assert ("heritage" in kinds) == ("research" in ALLOWED[role])
    assert ("nl" in languages) == ("draft" in ALLOWED[role])
    assert sum(kinds.values()) == len(ALLOWED[role])


@pytest.mark.parametrize("role", ROLES)
def test_snippets(archive, role):
    page = service.search(viewer_of(archive, role), {"q": "souvenir"})
    shown = " ".join(str(r.snippet) + str(r.title) for r in page.results)
    for name, word in WORDS.items():
        assert (word in shown) == (name in ALLOWED[role]), (role, word)


@pytest.mark.parametrize("role", ROLES)
def test_suggestions(archive, role):
    for name, word in WORDS.items():
        misspelt = word[:-1] + "z"  # estamine → estaminez: one letter away
        page = service.search(viewer_of(archive, role), {"q": misspelt})
        if name in ALLOWED[role]:
            assert page.suggestion == word, (role, misspelt)
        else:
            assert page.suggestion != word, (role, misspelt)
            assert page.total == 0  # the fuzzy retry finds nothing either
        assert (
            service.backend().suggest(misspelt, _tokens(viewer_of(archive, role)))
            == page.suggestion
        )


def _tokens(viewer):
    from memoire.stories.visibility import viewer_tokens

    return viewer_tokens(viewer)


@pytest.mark.parametrize("role", ROLES)
def test_map_ids(archive, role):
    viewer = viewer_of(archive, role)
    for name, word in WORDS.items():
        ids = service.search_story_ids(viewer, word)
        assert ids == ([getattr(archive, name).id] if name in ALLOWED[role] else []), (role, word)


def test_map_geojson_for_visitors(archive, client):
    for name, word in WORDS.items():
        response = client.get("/api/v1/map.geojson", query_string={"q": word})
        assert response.status_code == 200
        ids = [f["properties"]["id"] for f in response.get_json()["features"]]
        assert ids == ([archive.public.id] if name == "public" else []), word


def test_search_api_for_visitors(archive, client):
    for name, word in WORDS.items():
        data = client.get("/api/v1/search", query_string={"q": word}).get_json()
        assert data["total"] == (1 if name == "public" else 0)
        if name != "public":
            assert data["results"] == [] and all(not v for v in data["facets"].values())
        typo = client.get("/api/v1/search", query_string={"q": word[:-1] + "z"}).get_json()
        assert typo["suggestion"] == (word if name == "public" else None)


def test_withdrawn_and_redacted_words_are_not_found(archive, create_story, add_transcript):
    from memoire.extensions import db
    from memoire.stories import operations

    interview = create_story("Entretien", kind="oral_history", contributor=archive.alice)
    add_transcript(
        interview,
        [(0.0, 5.0, "A", "bonjour"), (5.0, 9.0, "A", "le nom du voisin Durandal")],
        redacted=(1,),
    )
    for viewer in (None, archive.alice, archive.moderator):
        assert service.search(viewer, {"q": "Durandal"}).total == 0
    operations.withdraw_story(archive.alice, archive.public)
    db.session.commit()
    assert service.search(None, {"q": PUBLIC_WORD}).total == 0
    assert (
        service.search(archive.alice, {"q": PUBLIC_WORD}).total == 0
    )  # withdrawn: not even its owner
    assert service.search(archive.moderator, {"q": PUBLIC_WORD}).total == 1


def test_hits_are_checked_against_the_database_again(archive):
    """If the index lags behind (work still pending), the database has the last word."""
    from memoire.extensions import db

    service.backend().apply([_public_document(archive.private)], [])  # the index says "public"
    assert service.search(None, {"q": PRIVATE_WORD}).results == []
    db.session.rollback()


def _public_document(story):
    from memoire.search.documents import document_version, story_document

    document = story_document(story)
    document["access"] = ["public", "research", "staff"]
    document["version"] = document_version(document)
    return document
