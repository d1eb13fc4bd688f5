"""Searching the archive: word forms, syntax, facets, places, transcripts, order and pages."""

from __future__ import annotations

import pytest

from memoire.core.errors import ValidationError
from memoire.search import service


def test_accents_case_and_stems(create_story, find):
    school = create_story("L'école des mineurs", body="Les usines d'Épinlieu fermaient le soir.")
    create_story("La kermesse", body="Une fête de quartier.")
    for words in [
        "ecole",
        "École",
        "écoles",
        "ECOLES",
        "mineur",
        "mineurs",
        "usine",
        "Usines",
        "epinlieu",
        "ÉPINLIEU",
        "l'école",
        "l’ecole",
        "d'epinlieu",
    ]:
        assert find(q=words) == [school.id], words
    assert find(q="fabrique") == []


def test_a_stop_word_beside_other_words_is_no_word_to_look_for(create_story, find):
    """"la mine" finds the stories about the mine: "la", a French stop word, is not
    demanded of Dutch text nor of a narrator's name (the embedded profile found nothing)."""
    mine = create_story("La mine", body="La mine de charbon fermait le soir.", narrators=["Marie"])
    dutch = create_story("De kolenmijn", body="De kolenmijn van de Borinage.", language="nl")
    create_story("La kermesse", body="Une fête de quartier.")
    for words in ["la mine", "mine la", "furent la mine", "la ET mine", "le soir ET charbon"]:
        assert find(q=words) == [mine.id], words
    assert find(q="de kolenmijn") == [dutch.id]
    assert find(q="la OU mine") == [mine.id]


def test_dutch_text_is_found_by_its_word_forms(create_story, find):
    miners = create_story(
        "De mijnwerkers van de Borinage", body="Verhalen over de fabrieken.", language="nl"
    )
    create_story("Les mineurs", body="En français.")
    assert find(q="mijnwerker") == [miners.id]
    assert find(q="fabriek") == [miners.id]


def test_phrases(create_story, find):
    exact = create_story("Souvenir", body="On descendait à la fosse Dutemple chaque matin.")
    other = create_story("Autre", body="Dutemple avait sa fosse, disait-on.")
    assert find(q='"fosse Dutemple"') == [exact.id]
    assert find(q='"la fosse dutemple"') == [exact.id]
    assert sorted(find(q="fosse Dutemple")) == sorted([exact.id, other.id])


@pytest.fixture
def mines_and_mills(create_story):
    both = create_story("Le mineur et l'usine", body="fosse")
    miner = create_story("Le mineur", body="terril")
    mill = create_story("L'usine", body="verrerie")
    return both.id, miner.id, mill.id


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("mineur usine", "both"),
        ("mineur ET usine", "both"),
        ("mineur AND usine", "both"),
        ("mineur OU usine", "all"),
        ("mineur OR usine", "all"),
        ("mineur SAUF usine", "miner"),
        ("mineur NOT usine", "miner"),
        ("(mineur OU usine) SAUF fosse", "miner mill"),
        ("usine SAUF (fosse OU terril)", "mill"),
    ],
)
def test_operators(mines_and_mills, find, words, expected):
    both, miner, mill = mines_and_mills
    names = {
        "both": [both],
        "miner": [miner],
        "mill": [mill],
        "all": [both, miner, mill],
        "miner mill": [miner, mill],
    }
    assert sorted(find(q=words)) == sorted(names[expected])


def test_field_prefixes(create_story, hainaut, find):
    placed = create_story(
        "Souvenir d'école",
        places=[hainaut["epinlieu"]],
        themes=["Mines"],
        narrators=["Jeanne Dupont"],
    )
    mentions = create_story(
        "Le marché", body="On allait à Mons le samedi, chez Dupont, parler de la mine."
    )
    assert sorted(find(q="Mons")) == sorted([placed.id, mentions.id])
    assert find(q="lieu:Mons") == [placed.id]  # a story in Épinlieu is found by its commune
    assert find(q="place:epinlieu") == [placed.id]
    assert find(q="Lieu:Épinlieu") == [placed.id]
    assert find(q="theme:mine") == [placed.id]
    assert find(q="thème:mines") == [placed.id]
    assert find(q="narrateur:dupont") == [placed.id]
    assert find(q="narrator:Dupont") == [placed.id]
    assert find(q='narrateur:"Jeanne Dupont"') == [placed.id]


def test_prefix(create_story, hainaut, find):
    coal = create_story("Le charbonnage", body="La mine de charbon.")
    placed = create_story("Kermesse", places=[hainaut["epinlieu"]])
    assert find(q="charb*") == [coal.id]
    assert find(q="Épin*") == [placed.id]
    with pytest.raises(ValidationError):
        find(q="*bonnage")


def test_fuzzy_fallback_and_did_you_mean(create_story):
    coal = create_story("Le charbonnage de Ghlin", body="Les galibots descendaient au fond.")
    page = service.search(None, {"q": "charbonage"})
    assert [r.story.id for r in page.results] == [coal.id]
    assert page.fuzzy is True
    assert page.suggestion == "charbonnage"
    explicit = service.search(None, {"q": "galibo~"})
    assert [r.story.id for r in explicit.results] == [coal.id]
    assert explicit.fuzzy is False
    exact = service.search(None, {"q": "charbonnage"})
    assert exact.suggestion is None and exact.fuzzy is False


def test_suggestion_keeps_the_rest_of_the_query(create_story):
    create_story("Le charbonnage de Ghlin", body="Les galibots descendaient au fond.")
    page = service.search(None, {"q": "lieu:Ghlin charbonage"})
    assert page.suggestion == "lieu:Ghlin charbonnage"


@pytest.fixture
def faceted(create_story, hainaut):
    s1 = create_story(
        "Une",
        places=[hainaut["epinlieu"]],
        themes=["Mines"],
        period="années 50",
        kind="oral_history",
        narrators=["Jeanne"],
        body="souvenir",
    )
    s2 = create_story(
        "Deux",
        places=[hainaut["mons"]],
        themes=["Mines", "École"],
        period="1962",
        narrators=["Jeanne"],
        body="souvenir",
    )
    s3 = create_story(
        "Trois",
        places=[hainaut["dutemple"]],
        themes=["École"],
        period="1955",
        language="nl",
        narrators=["Pieter"],
        body="souvenir",
    )
    s4 = create_story(
        "Vier", places=[hainaut["dutemple"]], kind="photo", language="nl", body="souvenir"
    )
    return s1, s2, s3, s4


def facet_counts(page, name) -> dict[str, int]:
    """Counts by label for names from the archive, by value for the interface's own words."""
    by_value = name in ("decade", "kind", "language")
    return {(value.value if by_value else value.label): value.count for value in page.facets[name]}


def test_facet_counts(faceted, hainaut):
    page = service.search(None, {"q": "souvenir"})
    assert page.total == 4
    assert facet_counts(page, "place") == {
        "Mons": 2,
        "Épinlieu": 1,
        "Valenciennes": 2,
        "Dutemple": 2,
    }
    assert facet_counts(page, "theme") == {"Mines": 2, "École": 2}
    assert facet_counts(page, "decade") == {"1950": 2, "1960": 1}
    assert facet_counts(page, "kind") == {"oral_history": 1, "anecdote": 2, "photo": 1}
    assert facet_counts(page, "language") == {"fr": 2, "nl": 2}
    assert facet_counts(page, "narrator") == {"Jeanne": 2, "Pieter": 1}
    types = {value.label: value.type for value in page.facets["place"]}
    assert types["Mons"] == "commune" and types["Épinlieu"] == "quartier"


def test_filters_narrow_results_and_counts(faceted, hainaut):
    s1, s2, s3, s4 = faceted
    by_place = service.search(None, {"q": "souvenir", "place": str(hainaut["mons"].id)})
    assert sorted(r.story.id for r in by_place.results) == sorted([s1.id, s2.id])
    assert facet_counts(by_place, "theme") == {"Mines": 2, "École": 1}
    assert [v.selected for v in by_place.facets["place"] if v.label == "Mons"] == [True]
    cases = [
        ({"theme": "ecole"}, [s2.id, s3.id]),
        ({"decade": "1950"}, [s1.id, s3.id]),
        ({"kind": "photo"}, [s4.id]),
        ({"language": "nl"}, [s3.id, s4.id]),
        ({"narrator": str(s3.narrators[0].id)}, [s3.id]),
        ({"theme": "mines", "decade": "1960"}, [s2.id]),
        ({"kind": "photo,oral_history"}, [s1.id, s4.id]),
    ]
    for params, expected in cases:
        page = service.search(None, {"q": "souvenir", **params})
        assert sorted(r.story.id for r in page.results) == sorted(expected), params
        assert page.total == len(expected)
    # Without words, the filters browse the archive.
    assert service.search(None, {"place": str(hainaut["dutemple"].id)}).total == 2


def test_bbox_filter(create_story, hainaut):
    in_mons = create_story("Épinlieu", places=[hainaut["epinlieu"]], body="souvenir")
    own_point = create_story("Point", lat=50.45, lon=3.95, body="souvenir")
    in_valenciennes = create_story("Dutemple", places=[hainaut["dutemple"]], body="souvenir")
    around_mons = "3.90,50.40,4.00,50.50"
    page = service.search(None, {"q": "souvenir", "bbox": around_mons})
    assert sorted(r.story.id for r in page.results) == sorted([in_mons.id, own_point.id])
    assert page.total == 2
    around_valenciennes = "3.50,50.30,3.60,50.40"
    assert [r.story.id for r in service.search(None, {"bbox": around_valenciennes}).results] == [
        in_valenciennes.id
    ]
    assert service.search(None, {"bbox": "0,0,1,1"}).total == 0
    for bad in ["3.9,50.4,4.0", "a,b,c,d", "4.0,50.4,3.9,50.5", "3.9,95,4.0,96"]:
        with pytest.raises(ValidationError):
            service.search(None, {"bbox": bad})


def test_transcript_hits_lead_to_the_second(create_story, add_transcript):
    story = create_story("Entretien avec Marcel", kind="oral_history", body="Un entretien.")
    add_transcript(
        story,
        [
            (0.0, 12.5, "Enquêtrice", "Vous êtes né où ?"),
            (12.5, 65.0, "Marcel", "Je suis né à Dutemple, rue du Chauffour."),
            (65.0, 80.0, "Marcel", "Mon père descendait à la fosse tous les jours."),
        ],
    )
    page = service.search(None, {"q": "fosse"})
    (result,) = page.results
    (segment,) = result.segments
    assert segment.start == 65.0
    assert segment.speaker == "Marcel"
    assert segment.url == f"/stories/{story.id}?t=65"
    assert "<mark>fosse</mark>" in segment.snippet
    assert result.snippet is None  # the words are in the recording, not in the body


def test_several_matching_segments_list_the_best_few(create_story, add_transcript):
    story = create_story("Entretien", kind="oral_history")
    add_transcript(
        story,
        [(float(i * 10), float(i * 10 + 10), "A", f"la fosse numéro {i}") for i in range(6)]
        + [(60.0, 70.0, "B", "la fosse et le terril")],
    )
    (result,) = service.search(None, {"q": "fosse OU terril"}).results
    assert len(result.segments) == 3
    assert result.segments[0].start == 60.0  # both words were said there


def test_sorting(create_story, find):
    old = create_story("Ancien", body="mineur", period="1920")
    recent = create_story("Récent", body="mineur", period="1985")
    middle = create_story("Milieu", body="mineur", period="années 50")
    undated = create_story("Sans date", body="mineur")
    title_hit = create_story("Le mineur", body="un souvenir du mineur")
    assert find(q="mineur", sort="oldest")[:3] == [old.id, middle.id, recent.id]
    assert find(q="mineur", sort="newest")[:3] == [recent.id, middle.id, old.id]
    assert find(q="mineur", sort="oldest")[-2:] == [undated.id, title_hit.id]  # undated last
    assert find(q="mineur", sort="added") == [
        title_hit.id,
        undated.id,
        middle.id,
        recent.id,
        old.id,
    ]
    assert find(q="mineur")[0] == title_hit.id  # relevance: the title weighs most
    with pytest.raises(ValidationError):
        find(q="mineur", sort="sideways")


def test_pagination_has_a_stable_total(create_story):
    ids = {create_story(f"Souvenir {i}", body="charbon").id for i in range(25)}
    seen: list[int] = []
    for number in (1, 2, 3):
        page = service.search(None, {"q": "charbon", "page": str(number), "per_page": "10"})
        assert page.total == 25 and page.pages == 3
        seen += [r.story.id for r in page.results]
    assert len(seen) == 25 and set(seen) == ids
    assert service.search(None, {"q": "charbon", "page": "4", "per_page": "10"}).results == []
    with pytest.raises(ValidationError):
        service.search(None, {"q": "charbon", "page": "0"})


def test_snippets_are_escaped_except_the_marks(create_story, add_transcript):
    story = create_story(
        "<b>Le mineur</b>", body="Il écrivait <script>alert('x')</script> au mineur."
    )
    add_transcript(story, [(1.0, 2.0, "<i>X</i>", "<img src=x onerror=alert(1)> mineur")])
    (result,) = service.search(None, {"q": "mineur"}).results
    assert "<script>" not in result.snippet and "&lt;script&gt;" in result.snippet
    assert "<mark>mineur</mark>" in result.snippet
    assert str(result.title) == "&lt;b&gt;Le <mark>mineur</mark>&lt;/b&gt;"
    (segment,) = result.segments
    assert "<img" not in segment.snippet and "&lt;img" in segment.snippet
    assert "<mark>mineur</mark>" in segment.snippet


@pytest.mark.parametrize(
    "words",
    ['"la fosse', "(mineur", "mineur)", "*mine", "mine~7", "x" * 501, " ".join(["mot"] * 41)],
)
def test_bad_syntax_is_a_validation_error(create_story, words):
    create_story("Le mineur")
    with pytest.raises(ValidationError):
        service.search(None, {"q": words})


@pytest.mark.parametrize(
    "words",
    [
        "ET",
        "SAUF",
        "mineur ET",
        "OU OU",
        "lieu:",
        'lieu:""',
        ":",
        "a:b:c",
        "mine^",
        "[a TO b]",
        "mine~",
        "mine~2",
        "Qui était là ?",
        "l'",
        "’",
        "de la",
        "***x",
        "mineur AND (usine OR)",
    ],
)
def test_odd_queries_never_fail(create_story, words):
    create_story("Le mineur", body="usine")
    try:
        service.search(None, {"q": words})
    except ValidationError:
        pass
