"""The leak suite over the network's pages: every planted story (one per visibility and
status) is collected at one workshop, run by a house serving its place, with a method.

The workshop, organisation, method and neighbourhood pages, the directory and the
OAI-PMH sets by organisation and workshop list and count a story only when it is public
and published, whoever asks; they name a place only by the gazetteer's rule (`may_view`
of its stories); and they never name a facilitator who did not agree to be listed.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from memoire.extensions import db
from memoire.network import operations as ops
from memoire.stories.visibility import may_view
from tests.conftest import _empty_postgres, make_app, place_factory, story_factory, user_factory
from tests.trust.test_leaks import VIEWERS, client_for, fetch, plant, shows

# The archive is only read here: it is built once per engine for the whole module (the
# planted stories' photos and transcripts are the slow part), not once per test.


@pytest.fixture(scope="module")
def engine(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="module")
def app(tmp_path_factory, migrated_template, engine, request):
    home = tmp_path_factory.mktemp("leaks-network")
    if engine == "postgres":
        database = request.getfixturevalue("postgres_database")
        app = make_app(home, None, DATABASE_URL=database["url"], SEARCH="postgres")
    else:
        app = make_app(home, migrated_template)
    with app.app_context():
        from memoire.search import service

        service.ensure_index()
        yield app
        db.session.remove()
        if engine == "postgres":
            _empty_postgres(database)
        db.engine.dispose()


@pytest.fixture(scope="module")
def planted(app):
    return plant(user_factory(), story_factory(), place_factory())


@pytest.fixture(scope="module")
def network(app, planted):
    org = ops.create_organisation(None, ops.OrganisationInput(
        name="Maison commune", kind="neighbourhood_house", country="FR",
        neighbourhood_ids=[item.place.id for item in planted["stories"]]))
    hidden = ops.create_facilitator(None, ops.FacilitatorInput(display_name="Zqunlisted Person", kind="resident"))
    method = ops.create_method(None, ops.MethodInput(name="Carte sensible", question_kinds=["feelings_about_place"]))
    workshops = []
    for item in planted["stories"]:
        workshop = ops.create_workshop(None, ops.WorkshopInput(
            title=f"Atelier {item.story.id}", starts_on=date(2020, 1, 1), place_id=item.place.id,
            organisation_ids=[org.id], method_ids=[method.id], facilitator_ids=[hidden.id]))
        ops.attach_story(None, workshop, item.story)
        workshops.append(workshop)
    everything = ops.create_workshop(None, ops.WorkshopInput(
        title="Atelier commun", starts_on=date(2021, 1, 1), organisation_ids=[org.id], method_ids=[method.id]))
    db.session.commit()
    return {"org": org, "method": method, "workshops": workshops, "everything": everything}


#: The harvesters' door answers the same whoever asks: walked for the least and the most
#: privileged viewer only (test_leaks.PUBLIC_ONLY walks OAI-PMH for every viewer).
OAI_VIEWERS = {"visitor", "moderator"}


def _urls(planted, network, viewer: str) -> list[str]:
    """Pages that hold every planted story at once, then one workshop per story."""
    org, method = network["org"].slug, network["method"].slug
    urls = [
        f"/workshops/{network['everything'].id}", f"/organisations/{org}", f"/methods/{method}",
        f"/methods/{method}/versions/1", "/neighbourhoods", "/workshops", "/directory",
        "/api/v1/organisations", f"/api/v1/organisations/{org}", "/api/v1/workshops",
        f"/api/v1/methods/{method}", f"/api/v1/workshops/{network['everything'].id}",
    ]
    if viewer in OAI_VIEWERS:
        urls += [f"/oai?verb=ListRecords&metadataPrefix=oai_dc&set=organisation:{org}", "/oai?verb=ListSets"]
    for index, item in enumerate(planted["stories"]):
        workshop = network["workshops"][index]
        urls += [f"/workshops/{workshop.id}", f"/neighbourhoods/{item.place.id}",
                 f"/directory?neighbourhood={item.place.id}", f"/api/v1/workshops/{workshop.id}"]
        if viewer in OAI_VIEWERS:
            urls.append(f"/oai?verb=ListRecords&metadataPrefix=oai_dc&set=workshop:{workshop.id}")
    return urls


@pytest.mark.parametrize("viewer", VIEWERS)
def test_network_pages_show_public_work_only(app, planted, network, viewer):
    client = client_for(app, planted, viewer)
    failures = []
    for url in _urls(planted, network, viewer):
        status, text = fetch(client, planted, viewer, url)
        assert status < 500, url
        if "Zqunlisted" in text:
            failures.append(f"{viewer}: {url} names an unlisted facilitator")
        for other in planted["stories"]:
            public = other.story.status == "published" and other.story.visibility == "public"
            # Place names follow the gazetteer's rule (an owner sees their own places);
            # stories and their counts are public ones only, whoever asks.
            if not may_view(planted["users"][viewer], other.story) and shows(text, other, url):
                failures.append(f"{viewer}: {url} shows {other.word}")
            if not public and (f"Titre {other.word}" in text or f"/stories/{other.story.id}\"" in text):
                failures.append(f"{viewer}: {url} lists the non-public story {other.word}")
    assert not failures, "\n".join(sorted(set(failures)))


def test_public_work_does_appear(app, planted, network):
    client = client_for(app, planted, "visitor")
    index, item = next((i, p) for i, p in enumerate(planted["stories"])
                       if p.story.status == "published" and p.story.visibility == "public")
    for url in [f"/workshops/{network['workshops'][index].id}", f"/organisations/{network['org'].slug}",
                f"/methods/{network['method'].slug}", f"/neighbourhoods/{item.place.id}"]:
        status, text = fetch(client, planted, "visitor", url)
        assert status == 200 and item.word in text, url


@pytest.mark.parametrize("viewer", ["visitor", "owner", "moderator"])
def test_a_hidden_story_theme_finds_nobody(app, planted, network, viewer):
    """The directory's theme filter counts public stories only: a hidden story's theme
    (its slug echoed in the page's own links is no leak) finds no house and no method."""
    client = client_for(app, planted, viewer)
    for item in planted["stories"]:
        public = item.story.status == "published" and item.story.visibility == "public"
        _status, text = fetch(client, planted, viewer, f"/directory?theme=theme{item.word}")
        assert ("Maison commune" in text) == public, item.word
        assert ("Carte sensible" in text) == public, item.word


def test_counts_are_public_only(app, planted, network):
    """A workshop whose only story is hidden says 0 public memories, to everyone."""
    client = client_for(app, planted, "moderator")
    _status, text = fetch(client, planted, "moderator", "/workshops")
    for item in planted["stories"]:
        public = item.story.status == "published" and item.story.visibility == "public"
        title = f"Atelier {item.story.id}<"
        assert title in text
        chunk = text.split(title, 1)[1][:600]
        assert (f"· {1 if public else 0} " in chunk), chunk


@pytest.mark.parametrize("viewer", VIEWERS)
def test_search_facets_count_public_stories_only(app, planted, network, viewer):
    """The search's workshop and organisation facets (page and API) count public, published
    stories only, whoever asks: a workshop whose only story is hidden is never named there,
    not even when chosen as the filter, and the house counts its public stories alone."""
    client = client_for(app, planted, viewer)
    public = [
        i
        for i, item in enumerate(planted["stories"])
        if item.story.status == "published" and item.story.visibility == "public"
    ]
    _status, data = fetch(client, planted, viewer, "/api/v1/search?per_page=1")
    facets = json.loads(data)["facets"]
    assert {v["label"]: v["count"] for v in facets["organisation"]} == {
        "Maison commune": len(public)
    }
    assert sorted(v["label"] for v in facets["workshop"]) == sorted(
        f"Atelier {planted['stories'][i].story.id}" for i in public
    )
    for index, item in enumerate(planted["stories"]):
        if index in public:
            continue
        label = f"Atelier {item.story.id}"
        workshop = network["workshops"][index].id
        for url in [
            "/search",
            f"/search?workshop={workshop}",
            f"/api/v1/search?workshop={workshop}",
            f"/search?organisation={network['org'].id}",
        ]:
            status, text = fetch(client, planted, viewer, url)
            assert status == 200, url
            # Not "Atelier 1" inside "Atelier 12": the label whole.
            named = re.search(re.escape(label) + r"(?!\d)", text)
            assert not named, f"{viewer}: {url} names {label}"
