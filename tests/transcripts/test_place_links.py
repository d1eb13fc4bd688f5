"""Places of moments: proposed from the gazetteer names found in the text, confirmed by a person."""

from __future__ import annotations

import pytest

from memoire.core.errors import Conflict
from memoire.extensions import db
from memoire.transcripts import operations as ops
from memoire.transcripts.models import PlaceSuggestion
from memoire.transcripts.place_names import Gazetteer, resolve, words


def _proposed(transcript):
    ids = [s.id for s in transcript.segments]
    return {(s.segment_id, s.place.name, s.matched)
            for s in db.session.scalars(db.select(PlaceSuggestion).where(
                PlaceSuggestion.segment_id.in_(ids), PlaceSuggestion.status == "proposed"))}


def test_words_fold_accents_case_and_elisions():
    assert words("À l’Héribus, d'Épinlieu — rue des Sarts-Nord") == [
        "a", "l", "heribus", "d", "epinlieu", "rue", "des", "sarts", "nord"]


def test_names_found_across_elisions_and_several_words():
    gazetteer = Gazetteer([(1, "Fosse Dutemple", [], "landmark", None),
                           (2, "L'Héribus", ["Cité de l'Héribus"], "quartier", None),
                           (3, "Rue des Sarts", [], "street", None),
                           (4, "Sarts", [], "quartier", None)])
    found = gazetteer.find("On allait à la fosse DUTEMPLE, puis à l'heribus et rue des Sarts.")
    assert [(m, [c.id for c in cands]) for m, cands in found] == [
        ("fosse dutemple", [1]), ("l heribus", [2]), ("rue des sarts", [3])]


def test_an_ambiguous_name_goes_to_the_place_under_the_storys_own(create_place):
    gazetteer = Gazetteer([(10, "Valenciennes", [], "commune", None), (11, "Mons", [], "commune", None),
                           (12, "Dutemple", [], "quartier", 10), (13, "Rue de la Gare", [], "street", 12),
                           (14, "Rue de la Gare", [], "street", 11)])
    [(_, candidates)] = gazetteer.find("rue de la gare")
    assert resolve(gazetteer, candidates, [12], "exact") == [13]
    assert resolve(gazetteer, candidates, [11], "exact") == [14]
    assert sorted(resolve(gazetteer, candidates, [], "exact")) == [13, 14]
    assert resolve(gazetteer, candidates, [12], "quartier") == []  # a street: too precise


def test_saving_proposes_and_a_person_confirms(recorded, people, create_place):
    valenciennes = create_place("Valenciennes", "commune", None)
    dutemple = create_place("Dutemple", "quartier", "Valenciennes")
    create_place("Fosse Dutemple", "landmark", "Dutemple")
    create_place("Rue des Sarts", "street", "Dutemple")
    story, media, transcript = recorded()
    from memoire.stories.models import StoryPlace

    story.place_links.append(StoryPlace(place=dutemple, role="happened"))
    db.session.flush()
    ops.suggest_places(transcript)
    db.session.commit()
    proposed = _proposed(transcript)
    first, third = transcript.segments[0].id, transcript.segments[2].id
    assert (first, "Fosse Dutemple", "fosse dutemple") in proposed
    assert (third, "Rue des Sarts", "rue des sarts") in proposed
    assert all(s.place_id is None for s in transcript.segments)  # nothing published unconfirmed
    suggestion = db.session.scalars(db.select(PlaceSuggestion).where(
        PlaceSuggestion.segment_id == third)).one()
    ops.confirm_place(people["moderator"], suggestion)
    db.session.commit()
    assert transcript.segments[2].place.name == "Rue des Sarts" and suggestion.status == "confirmed"
    with pytest.raises(Conflict):
        ops.dismiss_place(people["moderator"], suggestion)
    other = db.session.scalars(db.select(PlaceSuggestion).where(PlaceSuggestion.segment_id == first)).one()
    ops.dismiss_place(people["moderator"], other)
    db.session.commit()
    # A correction of the text proposes again, but never what a person dismissed.
    ops.edit_segments(people["moderator"], transcript,
                      {first: {"text": "On allait à la fosse Dutemple, à Valenciennes."}},
                      base_version=transcript.version)
    db.session.commit()
    names = {name for seg, name, _ in _proposed(transcript) if seg == first}
    assert names == {"Valenciennes"} and valenciennes.id


def test_a_quartier_story_is_never_proposed_a_street(recorded, people, create_place):
    create_place("Valenciennes", "commune", None)
    create_place("Dutemple", "quartier", "Valenciennes")
    create_place("Rue des Sarts", "street", "Dutemple")
    story, media, transcript = recorded()
    story.precision = "quartier"
    db.session.flush()
    ops.suggest_places(transcript)
    assert not any(name == "Rue des Sarts" for _, name, _ in _proposed(transcript))


def test_confirmed_moments_fill_the_place_page(app, client, login, recorded, people, create_place):
    places = [create_place("Valenciennes", "commune", None),
              create_place("Dutemple", "quartier", "Valenciennes"),
              create_place("Rue des Sarts", "street", "Dutemple")]
    for n, place in enumerate(places):  # as a gazetteer import makes them: public names
        place.external_id = f"osm:{n}"
    db.session.commit()
    street = places[2]
    story, media, transcript = recorded()
    ops.suggest_places(transcript)
    db.session.commit()
    assert "Et le soir" not in client.get(f"/places/{street.id}").get_data(as_text=True)
    login(people["mediator"])
    editor = client.get(f"/stories/{story.id}/transcripts/{transcript.id}/edit").get_data(as_text=True)
    assert "Proposed place: Rue des Sarts" in editor
    suggestion = db.session.scalars(db.select(PlaceSuggestion).where(
        PlaceSuggestion.place_id == street.id)).one()
    from tests.transcripts.test_views import _page_form

    response = client.post(f"/stories/{story.id}/transcripts/{transcript.id}/edit",
                           data=_page_form(transcript, confirm_place=str(suggestion.id)))
    assert response.status_code == 302
    page = client.get(f"/places/{street.id}").get_data(as_text=True)
    assert "Et le soir, on jouait rue des Sarts." in page
    # And typed by name in the type-ahead field: the segment moves to another place.
    segment = transcript.segments[2]
    client.post(f"/stories/{story.id}/transcripts/{transcript.id}/edit",
                data=_page_form(transcript, **{f"place-{segment.id}": "dutemple"}))
    assert segment.place.name == "Dutemple"


def test_the_gazetteer_is_read_again_only_when_a_place_changes(app, create_place):
    first = Gazetteer.load()
    assert Gazetteer.load() is first  # nothing changed: the process keeps the one it built
    place = create_place("Fosse Arenberg", "landmark", None)
    assert Gazetteer.load() is not first
    assert [m for m, _ in Gazetteer.load().find("à la fosse Arenberg")] == ["fosse arenberg"]
    place.other_names = ["Puits Arenberg"]
    db.session.commit()
    assert [m for m, _ in Gazetteer.load().find("le puits arenberg")] == ["puits arenberg"]
    place.name = "Fosse Wallers"
    db.session.commit()
    assert not Gazetteer.load().find("la fosse arenberg")
    added = create_place("Cité Lutas", "quartier", None)
    db.session.delete(added)
    db.session.commit()
    assert not Gazetteer.load().find("la cité Lutas")
    # A place added in a transaction that is rolled back leaves with it.
    from memoire.places.operations import find_or_create_place

    find_or_create_place(None, name="Terril Renard", type="landmark")
    db.session.flush()
    assert Gazetteer.load().find("le terril Renard")
    db.session.rollback()
    assert not Gazetteer.load().find("le terril Renard")


def test_an_import_proposes_the_places_its_earlier_lines_added(app, runner, tmp_path):
    """The gazetteer grows during an import: a later transcript finds a place a line added."""
    import json

    vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:03.000\n<v Marie>On descendait à la fosse Arenberg.\n"
    (tmp_path / "t.vtt").write_text(vtt, encoding="utf-8")
    base = {"kind": "oral_history", "language": "fr", "visibility": "private", "status": "draft",
            "transcript": "t.vtt"}
    lines = [
        {**base, "id": "a", "title": "Avant", "places": [{"name": "Wallers", "type": "commune"}]},
        {**base, "id": "b", "title": "Après", "places": [
            {"name": "Wallers", "type": "commune"},
            {"name": "Fosse Arenberg", "type": "landmark", "parent": "Wallers"}]},
        {**base, "id": "c", "title": "Encore", "places": [{"name": "Wallers", "type": "commune"}]},
    ]
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    from memoire.stories.models import Story

    for external_id, expected in (("a", set()), ("b", {"Fosse Arenberg"}), ("c", {"Fosse Arenberg"})):
        story = db.session.scalar(db.select(Story).where(Story.external_id == external_id))
        [transcript] = story.transcripts
        assert {name for _, name, _ in _proposed(transcript)} == expected, external_id


def test_find_gives_what_trying_every_length_at_every_word_gives():
    """Words that start no name are passed over: the matches are those of the plain search."""
    from memoire.transcripts.place_names import MAX_WORDS

    gazetteer = Gazetteer([(1, "Fosse Dutemple", [], "landmark", None),
                           (2, "L'Héribus", ["Cité de l'Héribus"], "quartier", None),
                           (3, "Rue des Sarts", [], "street", None), (4, "Sarts", [], "quartier", None),
                           (5, "Rue", [], "street", None), (6, "Cité", [], "quartier", None)])

    def plain(text):
        tokens, found, i = words(text), [], 0
        while i < len(tokens):
            for size in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
                key = tuple(tokens[i : i + size])
                if key in gazetteer.names:
                    found.append((" ".join(key), gazetteer.names[key]))
                    i += size
                    break
            else:
                i += 1
        return found

    text = ("Rue des Sarts, rue des, la cité de l'Héribus puis la cité, l'Héribus, Sarts, "
            "fosse fosse Dutemple rue")
    assert gazetteer.find(text) == plain(text) and len(plain(text)) == 8
