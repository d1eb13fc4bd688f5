"""Search by workshop and organisation (issue 16): filters, facets, index work when a link
changes, the search page and the JSON API. Run on both engines (tests/search)."""

from __future__ import annotations

from datetime import date

import pytest

from memoire.core.errors import ValidationError
from memoire.extensions import db
from memoire.network import operations as ops
from memoire.search import service


def _org(name: str):
    return ops.create_organisation(
        None, ops.OrganisationInput(name=name, kind="neighbourhood_house", country="FR")
    )


def _workshop(title: str, organisations=()):
    return ops.create_workshop(
        None,
        ops.WorkshopInput(
            title=title, starts_on=date(2024, 3, 1), organisation_ids=[o.id for o in organisations]
        ),
    )


@pytest.fixture
def network(create_story):
    """Two houses; the feelings map run by both, the kitchen table by Dutemple alone."""
    dutemple, epinlieu = _org("Maison Dutemple"), _org("Centre Epinlieu")
    feelings = _workshop("Carte sensible", [dutemple, epinlieu])
    kitchen = _workshop("Table de cuisine", [dutemple])
    mapped = create_story("Le terril", body="souvenir")
    told = create_story("La cuisine", body="souvenir")
    also = create_story("Le marché", body="souvenir")
    alone = create_story("La gare", body="souvenir")
    ops.attach_story(None, feelings, mapped)
    ops.attach_story(None, kitchen, told)
    ops.attach_story(None, kitchen, also)
    db.session.commit()
    return {
        "dutemple": dutemple, "epinlieu": epinlieu, "feelings": feelings, "kitchen": kitchen,
        "mapped": mapped, "told": told, "also": also, "alone": alone,
    }  # fmt: skip


def _ids(page) -> list[int]:
    return sorted(r.story.id for r in page.results)


def _facet(page, name) -> dict[str, int]:
    return {value.label: value.count for value in page.facets[name]}


def test_filters_by_workshop_and_organisation(network):
    n = network
    cases = [
        ({"workshop": str(n["kitchen"].id)}, [n["told"].id, n["also"].id]),
        ({"workshop": f"{n['kitchen'].id},{n['feelings'].id}"}, [n["mapped"].id, n["told"].id, n["also"].id]),
        ({"organisation": str(n["epinlieu"].id)}, [n["mapped"].id]),
        ({"organisation": str(n["dutemple"].id)}, [n["mapped"].id, n["told"].id, n["also"].id]),
        ({"organisation": str(n["epinlieu"].id), "workshop": str(n["kitchen"].id)}, []),
        ({"workshop": "2147483648"}, []),  # beyond PostgreSQL's integer: nothing, no error
    ]  # fmt: skip
    for params, expected in cases:
        page = service.search(None, {"q": "souvenir", **params})
        assert _ids(page) == sorted(expected), params
        assert page.total == len(expected), params
    # Without words the filters browse the archive.
    assert service.search(None, {"workshop": str(n["feelings"].id)}).total == 1


def test_facets_count_and_name_workshops_and_houses(network):
    n = network
    page = service.search(None, {"q": "souvenir"})
    assert _facet(page, "workshop") == {"Table de cuisine": 2, "Carte sensible": 1}
    assert _facet(page, "organisation") == {"Maison Dutemple": 3, "Centre Epinlieu": 1}
    chosen = service.search(None, {"q": "souvenir", "workshop": str(n["kitchen"].id)})
    assert [(v.label, v.selected) for v in chosen.facets["workshop"]] == [
        ("Table de cuisine", True)
    ]


def test_hidden_stories_are_not_counted_even_for_those_who_may_see_them(create_story, create_user):
    """The workshop and organisation facets count public, published stories only, for
    everyone: a house's name never appears because of a draft or a private story."""
    house = _org("Maison cachée")
    workshop = _workshop("Atelier discret", [house])
    moderator = create_user("moderator")
    private = create_story("Privé", body="souvenir", visibility="private")
    draft = create_story("Brouillon", body="souvenir", status="draft")
    for story in (private, draft):
        ops.attach_story(None, workshop, story)
    db.session.commit()
    for viewer in (None, moderator):
        page = service.search(viewer, {"q": "souvenir"})
        assert page.facets["workshop"] == [] and page.facets["organisation"] == []
    # Staff still find them with the filter (they may see them), uncounted.
    found = service.search(moderator, {"workshop": str(workshop.id)})
    assert _ids(found) == sorted([private.id, draft.id])
    assert service.search(None, {"workshop": str(workshop.id)}).total == 0


def test_links_changing_update_the_index(network, find):
    n = network
    kitchen, feelings = n["kitchen"], n["feelings"]
    # A story moved to another workshop, another detached.
    ops.attach_story(None, feelings, n["told"])
    ops.detach_story(None, n["also"])
    db.session.commit()
    assert sorted(find(workshop=str(feelings.id))) == sorted([n["mapped"].id, n["told"].id])
    assert find(workshop=str(kitchen.id)) == []
    # The workshop's organisations change: its stories follow.
    ops.update_workshop(
        None,
        feelings,
        ops.WorkshopInput(
            title="Carte sensible", starts_on=date(2024, 3, 1), organisation_ids=[n["epinlieu"].id]
        ),
    )
    db.session.commit()
    assert find(organisation=str(n["dutemple"].id)) == []
    assert sorted(find(organisation=str(n["epinlieu"].id))) == sorted(
        [n["mapped"].id, n["told"].id]
    )
    # The workshop deleted: its stories stay, found by no workshop or house.
    ops.delete_workshop(None, feelings)
    db.session.commit()
    assert find(workshop=str(feelings.id)) == [] and find(organisation=str(n["epinlieu"].id)) == []
    assert n["mapped"].id in find(q="souvenir")
    assert service.verify().ok


def test_rebuild_reads_the_links(network, find):
    assert service.rebuild() == 4
    assert sorted(find(workshop=str(network["kitchen"].id))) == sorted(
        [network["told"].id, network["also"].id]
    )
    assert service.verify().ok


@pytest.mark.parametrize("name", ["workshop", "organisation"])
def test_a_filter_that_is_not_a_number_is_refused(app, name):
    with pytest.raises(ValidationError):
        service.search(None, {name: "epinlieu"})


def test_search_page_and_api(client, network, page_shell):
    n = network
    html = client.get("/search?q=souvenir").get_data(as_text=True)
    assert "Table de cuisine" in html and "Maison Dutemple" in html
    assert f"workshop={n['kitchen'].id}" in html
    narrowed = client.get(f"/search?q=souvenir&workshop={n['kitchen'].id}").get_data(as_text=True)
    assert "La cuisine" in narrowed and "Le terril" not in narrowed
    # The period form and the sort links carry the chosen workshop along.
    assert f'name="workshop" value="{n["kitchen"].id}"' in narrowed
    bad = client.get("/search?workshop=cuisine")
    assert bad.status_code == 400
    data = client.get(f"/api/v1/search?q=souvenir&organisation={n['epinlieu'].id}").get_json()
    assert [r["id"] for r in data["results"]] == [n["mapped"].id]
    assert {v["label"]: v["count"] for v in data["facets"]["organisation"]} == {
        "Maison Dutemple": 1,
        "Centre Epinlieu": 1,
    }
    assert client.get("/api/v1/search?organisation=x").status_code == 400
    spec = client.get("/api/v1/openapi.json").get_json()
    shared = spec["components"]["parameters"]
    names = {
        shared[p["$ref"].rsplit("/", 1)[1]]["name"] if "$ref" in p else p["name"]
        for p in spec["paths"]["/search"]["get"]["parameters"]
    }
    assert {"organisation", "workshop"} <= names
