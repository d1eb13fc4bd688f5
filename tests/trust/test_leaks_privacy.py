"""Leaks around privacy promises (issue 13): erasure of stories never public, archive ids
never reused, coordinates that follow the consented precision through places, validators
that move only with public changes, no existence oracle. Runs on both engines."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from memoire.extensions import db
from memoire.media.operations import add_media
from memoire.places.models import Place
from memoire.stories import operations as story_ops
from memoire.stories.models import Story, StoryTombstone, Theme
from memoire.transcripts.operations import attach_transcript
from tests.conftest import jpeg_bytes, without_csrf
from tests.trust.test_leaks import LISTS

PASSWORD = "correct horse battery"


def log_in(client, user) -> None:
    from flask import g

    g.pop("_login_user", None)
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code in (200, 302), response.status_code
    g.pop("_login_user", None)
    client.get("/")  # shows (and so spends) the "you are logged in" message
    g.pop("_login_user", None)


def _apply_index() -> None:
    from memoire.search import service

    service.apply_pending_after_commit()


# --- item 2: erasing a story that was never public tells nobody anything ----------------------


def _plant_secret(create_story, create_place, visibility: str, word: str):
    """A published but never public story, its own theme and street, beside a public one."""
    gazetteer = create_place("Valenciennes", "commune", None, 50.357, 3.523)
    gazetteer.external_id = "insee-59606"
    public_street = create_place("Rue publique", "street", "Valenciennes", 50.358, 3.524)
    public = create_story("Un souvenir public", places=[public_street], themes=["Fêtes"])
    secret_place = create_place(f"Impasse {word}", "street", "Valenciennes", 50.36123, 3.52789)
    secret = create_story(
        f"Titre {word}", body=f"Le corps {word}.", summary=f"Résumé {word}",
        visibility=visibility, status="published", places=[secret_place],
        themes=[f"Thème {word}"], narrators=[f"Narratrice {word}"],
        lat=50.36123, lon=3.52789,
    )
    add_media(None, secret, io.BytesIO(jpeg_bytes()), caption=f"Légende {word}")
    db.session.flush()
    attach_transcript(None, secret, f"MARIE : on parlait de {word} au café".encode(), filename="t.txt")
    db.session.commit()
    _apply_index()
    return public, secret, secret_place


def _erase_through(door: str, app, client, runner, create_user, story_id: int) -> None:
    if door == "operation":
        from memoire.privacy import operations as privacy

        privacy.erase_story(None, db.session.get(Story, story_id))
        db.session.commit()
        _apply_index()
        privacy.scrub_after_erasure()
    elif door == "cli":
        result = runner.invoke(args=["erase", "story", str(story_id)])
        assert result.exit_code == 0, result.output
    else:
        admin = create_user("admin", email="admin@example.org")
        log_in(client, admin)
        response = client.post(f"/admin/stories/{story_id}/erase")
        assert response.status_code in (302, 303), response.status_code
        client.post("/account/logout")
    db.session.expire_all()


def _database_bytes(app, engine: str) -> bytes:
    """Everything the database holds, as the engine stores or dumps it."""
    db.session.remove()
    db.engine.dispose()
    if engine == "sqlite":
        home = Path(app.config["MEMOIRE_HOME"])
        return b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
    from sqlalchemy.engine import make_url

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    dump = subprocess.run(
        ["pg_dump", "--no-owner", url.render_as_string(hide_password=False)],
        capture_output=True, check=True, timeout=120,
    )
    return dump.stdout


def _media_bytes(app) -> bytes:
    media = Path(app.config["MEMOIRE_MEDIA_DIR"])
    return b"".join(p.read_bytes() for p in media.rglob("*") if p.is_file())


@pytest.mark.parametrize("visibility", ["private", "researchers"])
@pytest.mark.parametrize("door", ["operation", "cli", "admin"])
def test_erasing_a_never_public_story_tells_nobody(
    app, engine, client, runner, create_user, create_story, create_place, visibility, door
):
    word = f"zqerase{visibility[:3]}{door[:3]}wk"
    public, secret, secret_place = _plant_secret(create_story, create_place, visibility, word)
    secret_id, place_id, public_id = secret.id, secret_place.id, public.id
    theme_slug = secret.themes[0].slug

    _erase_through(door, app, client, runner, create_user, secret_id)

    assert db.session.get(Story, secret_id) is None
    assert db.session.get(StoryTombstone, secret_id) is None  # never announced, not now either
    assert db.session.get(Place, place_id) is None  # its street existed only because of it
    assert db.session.scalar(select(Theme).where(Theme.slug == theme_slug)) is None
    assert db.session.scalar(select(Place).where(Place.name == "Valenciennes")) is not None
    assert db.session.scalar(select(Place).where(Place.name == "Rue publique")) is not None
    assert db.session.get(Story, public_id) is not None

    visitor = app.test_client()
    oai = [
        "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "/oai?verb=ListSets",
        f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:memoire.local:story/{secret_id}",
        f"/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&set=theme:{theme_slug}",
    ]
    lists = [url for urls in LISTS.values() for url in urls if "{place}" not in url]
    for url in oai + lists:
        url = url.replace("{word}", word).replace("{misspelt}", word[:-1])
        text = visitor.get(url, follow_redirects=True).get_data(as_text=True)
        text = re.sub(r"<request[^>]*>.*?</request>", "", text)  # OAI echoes the question
        carriers = [f"Titre {word}", f"corps {word}", f"Impasse {word}", f"Thème {word}",
                    f"Narratrice {word}", f"Légende {word}", f"de {word} au", theme_slug]
        assert not [c for c in carriers if c in text], url
        if url.startswith("/oai"):
            assert f"story/{secret_id}<" not in text, url
    listing = visitor.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").get_data(as_text=True)
    assert f"story/{public_id}<" in listing  # the harvest still works

    stored = _database_bytes(app, engine)
    assert b"Un souvenir public" in stored  # the search below reads real data
    needles = [word, theme_slug, f"Impasse {word}"]
    assert not [n for n in needles if n.encode() in stored], "erased words left in the database"
    assert word.encode() not in _media_bytes(app)


def test_a_once_public_story_keeps_only_its_public_sets(app, engine, create_story, create_place):
    """Public with one theme, then private with a secret one, then erased: the deleted
    record names only what was public."""
    from memoire.privacy import operations as privacy

    story = create_story("Jadis public", themes=["Marché"])
    data = story_ops.StoryInput(
        title="Jadis public", visibility="private", status="published",
        themes=["Marché", "zqsecretthemewk"],
        consent=story_ops.consent_input_from(story.consent),
    )
    story_ops.update_story(None, story, data)
    db.session.commit()
    story_id = story.id
    privacy.erase_story(None, story)
    db.session.commit()
    tombstone = db.session.get(StoryTombstone, story_id)
    assert tombstone is not None and tombstone.reason == "erased"
    assert tombstone.sets == ["theme:marche"]
    visitor = app.test_client()
    sets = visitor.get("/oai?verb=ListSets").get_data(as_text=True)
    assert "zqsecretthemewk" not in sets
    listing = visitor.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").get_data(as_text=True)
    assert f"story/{story_id}</identifier>" in listing and 'status="deleted"' in listing


def test_erasing_a_public_story_still_tells_harvesters(app, engine, create_story, create_place):
    from memoire.privacy import operations as privacy

    place = create_place("Rue des Harvesters", "street", "Valenciennes", 50.35, 3.52)
    story = create_story("Public puis effacé", places=[place], themes=["Mines"])
    story_id = story.id
    privacy.erase_story(None, story)
    db.session.commit()
    tombstone = db.session.get(StoryTombstone, story_id)
    assert tombstone is not None and "theme:mines" in tombstone.sets
    assert "commune:valenciennes" in tombstone.sets


def test_erasure_keeps_places_and_themes_others_use(app, engine, create_story, create_place):
    from memoire.privacy import operations as privacy

    shared = create_place("Place partagée", "street", "Valenciennes", 50.35, 3.52)
    keep = create_story("Reste", places=[shared], themes=["Commun"])
    gone = create_story("Part", visibility="private", places=[shared], themes=["Commun"])
    privacy.erase_story(None, gone)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Place, shared.id) is not None
    assert [t.slug for t in db.session.get(Story, keep.id).themes] == ["commun"]


# --- item 8: no existence oracle when a map feature links a story ----------------------------


def _point(story_ref, lon=3.9, lat=50.4) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"feeling": "joy", "story_id": story_ref}}


def _collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def hidden_and_missing(app, create_user, create_story):
    """A story the mediator may not see, and an id no story has (the next one)."""
    mediator = create_user("mediator", email="mediator@example.org", password=PASSWORD)
    hidden = create_story("zqhiddentitlewk", visibility="private", status="draft",
                          contributor=create_user("contributor"))
    missing = hidden.id + 1000
    return mediator, hidden.id, missing


def _same(first: str, second: str, hidden: int, missing: int) -> bool:
    """The two answers differ only where each repeats the id it was given."""
    a, b = (without_csrf(text).splitlines() for text in (first, second))
    return len(a) == len(b) and all(
        x == y or _mask(x, hidden) == _mask(y, missing) for x, y in zip(a, b, strict=True)
    )


def _mask(line: str, number: int) -> str:
    return re.sub(rf"(?<![\w-]){number}(?!\w)", "N", line)


def test_linking_a_hidden_story_reads_as_a_missing_one(app, engine, hidden_and_missing):
    from memoire.core.errors import ValidationError
    from memoire.maps import operations as maps

    mediator, hidden, missing = hidden_and_missing
    layer = maps.create_layer(mediator, maps.LayerInput(title="Atelier", group_name="Atelier"))
    db.session.commit()
    answers = []
    for ref in (hidden, missing):
        with pytest.raises(ValidationError) as caught:
            maps.save_features(mediator, layer, _collection(_point(ref)))
        db.session.rollback()
        answers.append(str(caught.value.message))
    assert _same(*answers, hidden, missing), answers
    # An anonymous caller of the operation (a script) is told the same.
    with pytest.raises(ValidationError):
        maps.check_feature(maps.FeatureInput(geometry=None, feeling="joy", story_id=hidden),
                           need_geometry=False)


def test_map_doors_answer_the_same_for_hidden_and_missing(app, engine, client, hidden_and_missing):
    from memoire.maps import operations as maps

    mediator, hidden, missing = hidden_and_missing
    layer = maps.create_layer(mediator, maps.LayerInput(title="Atelier", group_name="Atelier"))
    maps.save_features(mediator, layer, _collection(_point(None)))
    db.session.commit()
    layer_id, feature_id = layer.id, layer.features[0].id
    log_in(client, mediator)
    saved = [client.post(f"/map/layers/{layer_id}/features.json", json=_collection(_point(ref)))
             for ref in (hidden, missing)]
    assert saved[0].status_code == saved[1].status_code == 400
    assert _same(saved[0].get_data(as_text=True), saved[1].get_data(as_text=True), hidden, missing)
    forms = []
    for ref in (hidden, missing):
        response = client.post(
            f"/map/layers/{layer_id}/features/{feature_id}",
            data={f"f{feature_id}-feeling": "joy", f"f{feature_id}-story_id": str(ref)},
        )
        forms.append(response)
    assert forms[0].status_code == forms[1].status_code == 400
    hidden_text = forms[0].get_data(as_text=True)
    assert "zqhiddentitlewk" not in hidden_text
    assert _same(hidden_text, forms[1].get_data(as_text=True), hidden, missing)
    db.session.expire_all()
    assert {f.story_id for f in maps.get_layer(mediator, layer_id).features} == {None}


# --- item 3: an archive id is never given to another story -----------------------------------


def _import_line(tmp_path, external_id: str, title: str) -> int:
    import json

    record = {"id": external_id, "title": title, "visibility": "private", "status": "draft",
              "places": [{"name": f"Lieu {external_id}", "type": "street", "parent": "Valenciennes"}],
              "consent": {"given_by": "x", "online_publication": True, "research_use": True}}
    path = tmp_path / f"{external_id}.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def test_erasing_the_newest_story_never_frees_its_id(app, engine, runner, tmp_path, create_story,
                                                      create_place):
    first = create_story("Premier")
    place = create_place("Impasse éphémère", "street", "Valenciennes", 50.35, 3.52)
    newest = create_story("Le plus récent", visibility="private", places=[place])
    newest_id, place_id = newest.id, place.id
    assert runner.invoke(args=["erase", "story", str(newest_id)]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(Place, place_id) is None  # the place went with it

    # Through the operation, `memoire import` and `memoire erase` again: always new ids.
    made = create_story("Après l'effacement", places=[create_place("Autre rue", "street")])
    assert made.id > newest_id and made.places[0].id > place_id
    assert runner.invoke(args=["erase", "story", str(made.id)]).exit_code == 0
    result = runner.invoke(args=["import", str(_import_line(tmp_path, "imp-1", "Importé"))])
    assert result.exit_code == 0, result.output
    imported = db.session.scalar(select(Story).where(Story.external_id == "imp-1"))
    assert imported.id > made.id > first.id
    assert app.test_client().get(f"/s/{newest_id}").status_code == 404


# --- item 7: nothing public moves when something private changes -----------------------------

ANONYMOUS_VALIDATED = [
    "/api/v1/stories", "/api/v1/stories?per_page=100", "/api/v1/themes", "/api/v1/map.geojson",
    "/api/v1/places.geojson", "/api/v1/layers.geojson",
]


def _validators(client) -> dict:
    seen = {}
    for url in ANONYMOUS_VALIDATED:
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = (response.headers.get("ETag"), response.headers.get("Last-Modified"))
    deleted = client.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").get_data(as_text=True)
    seen["oai"] = re.findall(r"<datestamp>([^<]+)</datestamp>", deleted)
    return seen


@pytest.fixture
def quiet_archive(app, create_user, create_story, create_place):
    """A public story, a once-public story now private, and a contributor's private draft."""
    owner = create_user("contributor", email="owner@example.org", password=PASSWORD)
    place = create_place("Rue du Marché", "street", "Valenciennes", 50.358, 3.524)
    create_story("Public", places=[place], themes=["Marché"])
    hidden = create_story("Jadis public", contributor=owner, themes=["Marché"])
    story_ops.update_story(None, hidden, story_ops.StoryInput(
        title="Jadis public", visibility="private", status="published", themes=["Marché"],
        consent=story_ops.consent_input_from(hidden.consent)))
    draft = create_story("Mon brouillon", visibility="private", status="draft", contributor=owner,
                         places=[place])
    db.session.commit()
    _apply_index()
    return owner, draft, hidden


def _edit(story, title: str, themes=("Secret",)) -> None:
    data = story_ops.StoryInput(
        title=title, body="Nouveau texte", visibility=story.visibility, status=story.status,
        themes=list(themes), consent=story_ops.consent_input_from(story.consent),
    )
    story_ops.update_story(story.contributor, story, data)
    db.session.commit()


def test_anonymous_validators_do_not_move_with_a_private_edit(app, engine, quiet_archive):
    import time

    owner, draft, hidden = quiet_archive
    visitor = app.test_client()
    before = _validators(visitor)
    time.sleep(1.1)  # Last-Modified counts seconds: give a leak the time to show
    _edit(draft, "Mon brouillon corrigé")  # operation level
    _edit(hidden, "Jadis public, retouché", themes=["Marché", "Autre"])  # once public, private now
    from memoire.accounts.operations import create_token

    token = create_token(None, owner, "test")[1]
    db.session.commit()
    response = app.test_client().patch(
        f"/api/v1/stories/{draft.id}", json={"title": "Par l'API"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    create_story_input = story_ops.StoryInput(title="Un nouveau brouillon", visibility="private")
    story_ops.create_story(owner, create_story_input)
    db.session.commit()
    _apply_index()
    after = _validators(visitor)
    assert after == before
    # Each answers 304 to the validators it gave before.
    for url in ANONYMOUS_VALIDATED:
        etag, _modified = before[url]
        assert visitor.get(url, headers={"If-None-Match": etag}).status_code == 304, url


def test_anonymous_validators_move_with_a_public_edit(app, engine, quiet_archive, create_story):
    import time

    visitor = app.test_client()
    before = _validators(visitor)
    time.sleep(1.1)
    create_story("Un nouveau souvenir public", themes=["Marché"])
    _apply_index()
    after = _validators(visitor)
    for url in ("/api/v1/stories", "/api/v1/map.geojson"):
        assert after[url][0] != before[url][0], url
    assert after["/api/v1/stories"][1] != before["/api/v1/stories"][1]


def test_validators_of_the_owner_follow_their_own_edits(app, engine, quiet_archive):
    """What the contributor sees does change: validators are per viewer, not frozen."""
    import time

    from memoire.accounts.operations import create_token

    owner, draft, _hidden = quiet_archive
    token = create_token(None, owner, "test")[1]
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    before = client.get("/api/v1/stories", headers=headers).headers["Last-Modified"]
    time.sleep(1.1)
    _edit(draft, "Mon brouillon, encore")
    after = client.get("/api/v1/stories", headers=headers).headers["Last-Modified"]
    assert after != before


# --- item 6: coordinates follow the consented precision through every place -----------------

LANDMARK = (50.349871, 3.541234)


def _texts(client, urls) -> dict[str, str]:
    found = {}
    for url in urls:
        response = client.get(url, follow_redirects=True)
        assert response.status_code < 500, url
        found[url] = response.get_data(as_text=True)
    return found


def _exact(text: str, point) -> bool:
    lat, lon = point
    return f"{lat:.4f}" in text or f"{lon:.4f}" in text


def test_a_landmark_under_a_quartier_story_is_not_shown_with_it(app, engine, create_story,
                                                                 create_place, create_user):
    quartier = create_place("Dutemple", "quartier", "Valenciennes", 50.3480, 3.5400)
    quartier.external_id = "q-dutemple"
    landmark = create_place("Kiosque zqkiosquewk", "landmark", "Dutemple", *LANDMARK)
    story = create_story("Au kiosque", places=[landmark], precision="quartier")
    _apply_index()
    visitor = app.test_client()
    urls = ["/", f"/stories/{story.id}", f"/api/v1/stories/{story.id}", "/api/v1/stories",
            "/api/v1/map.geojson", "/api/v1/places?q=kiosque", "/api/v1/places.geojson",
            f"/api/v1/places/{landmark.id}", f"/places/{landmark.id}", f"/places/{quartier.id}",
            f"/api/v1/stories/{story.id}/schema.jsonld", "/api/v1/exports/stories.json"]
    for url, text in _texts(visitor, urls).items():
        assert not _exact(text, LANDMARK), url
        assert "zqkiosquewk" not in text, url
    assert visitor.get(f"/places/{landmark.id}").status_code == 404
    assert visitor.get(f"/api/v1/stories/{story.id}").json["places"] == []
    # Staff still see the landmark and its point.
    from memoire.places.geo import places_for

    assert places_for(create_user("moderator"), story) == [landmark]


def test_places_created_by_coarsened_or_hidden_stories(app, engine, create_story, create_place):
    """A place the archive learnt from stories is public no finer than they allow."""
    create_place("Valenciennes", "commune", None, 50.357, 3.523).external_id = "insee-59606"
    street_point = (50.361234, 3.527891)
    by_street = create_place("Rue zqstreetwk", "street", "Valenciennes", *street_point)
    create_story("Rue coarsened", places=[by_street], precision="street")
    by_quartier = create_place("Rue zqquartwk", "street", "Valenciennes", 50.362345, 3.528912)
    create_story("Quartier only", places=[by_quartier], precision="quartier")
    by_private = create_place("Rue zqprivwk", "street", "Valenciennes", 50.363456, 3.529123)
    create_story("Private", places=[by_private], visibility="private")
    _apply_index()
    visitor = app.test_client()
    listed = {p["name"]: p for p in visitor.get("/api/v1/places?q=Rue&limit=100").json["places"]}
    assert set(listed) == {"Rue zqstreetwk"}
    street = listed["Rue zqstreetwk"]
    assert (street["lat"], street["lon"]) != street_point
    assert abs(street["lat"] - street_point[0]) < 0.002 and abs(street["lon"] - street_point[1]) < 0.002
    urls = ["/api/v1/places.geojson", "/api/v1/places.geojson?outlines=1",
            f"/api/v1/places/{by_street.id}", f"/places/{by_street.id}", "/api/v1/map.geojson",
            f"/places/{by_street.parent_id}", "/api/v1/places?near=50.3612,3.5278"]
    for url, text in _texts(visitor, urls).items():
        assert not _exact(text, street_point), url
        assert "zqquartwk" not in text and "zqprivwk" not in text, url
    for place in (by_quartier, by_private):
        assert visitor.get(f"/places/{place.id}").status_code == 404
        assert visitor.get(f"/api/v1/places/{place.id}").status_code == 404


def test_the_contribution_form_defaults_to_the_street(app, engine, create_user):
    from memoire.contributions import operations as contributions

    resident = create_user("contributor", email="resident@example.org", password=PASSWORD)
    draft = contributions.start_draft(resident, title="Mon souvenir")
    db.session.commit()
    assert draft.precision == "street"
    client = app.test_client()
    log_in(client, resident)
    page = client.get(f"/contribute/{draft.id}/consent").get_data(as_text=True)
    checked = re.findall(r'<input[^>]*name="precision"[^>]*>', page)
    assert [tag for tag in checked if "checked" in tag and 'value="street"' in tag], checked
    assert not [tag for tag in checked if "checked" in tag and 'value="exact"' in tag]
