"""The network's pages and forms: visitors see public work only; mediators record workshops."""

from __future__ import annotations

import pytest

from memoire.extensions import db
from memoire.network.models import Method, Organisation, Workshop


def login(client, user):
    from flask import g

    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def test_public_pages_show_public_work_only(client, network):
    w, org, method = network["workshop"], network["org"], network["method"]
    urls = [f"/workshops/{w.id}", f"/organisations/{org.slug}", f"/methods/{method.slug}",
            f"/neighbourhoods/{network['dutemple'].id}", "/directory", "/workshops", "/methods",
            "/neighbourhoods", f"/methods/{method.slug}/versions/1",
            f"/directory?neighbourhood={network['dutemple'].id}&country=FR&audience=teenagers"
            "&question=feelings_about_place&language=fr&theme=jeunesse"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert "Zqsecret" not in text and "zqsecret" not in text, url
        assert "Zorglub" not in text, url  # not listed: never named
    page = client.get(f"/workshops/{w.id}").get_data(as_text=True)
    assert "Le terrain vague derrière le centre" in page and "Mimi du Dutemple" in page
    assert "<script>alert" not in client.get(f"/methods/{method.slug}").get_data(as_text=True)
    hood = client.get(f"/neighbourhoods/{network['dutemple'].id}").get_data(as_text=True)
    assert "Centre social Dutemple" in hood and w.title in hood and "Le terrain vague" in hood


@pytest.mark.parametrize("url", ["/workshops/999999", "/organisations/nope", "/methods/nope",
                                 "/neighbourhoods/999999", "/methods/x/versions/9"])
def test_missing_records_are_404(client, network, url):
    assert client.get(url).status_code == 404


def test_story_page_names_its_workshop(client, network):
    text = client.get(f"/stories/{network['public'].id}").get_data(as_text=True)
    assert network["workshop"].title in text


def test_forms_are_for_mediators(client, network, create_user):
    for url in ["/workshops/new", f"/workshops/{network['workshop'].id}/edit", "/organisations/new",
                "/methods/new", "/facilitators", "/facilitators/new"]:
        assert client.get(url).status_code in (302, 401), url
    login(client, create_user("contributor"))
    assert client.get("/workshops/new").status_code == 403
    login(client, network["mediator"])
    for url in ["/workshops/new", f"/workshops/{network['workshop'].id}/edit", "/organisations/new",
                f"/organisations/{network['org'].slug}/edit", "/methods/new",
                f"/methods/{network['method'].slug}/edit", "/facilitators", "/facilitators/new",
                f"/facilitators/{network['hidden'].id}/edit"]:
        assert client.get(url).status_code == 200, url


def test_mediator_creates_a_workshop_and_bad_input_is_a_clear_400(client, network):
    login(client, network["mediator"])
    response = client.post("/workshops/new", data={"title": "", "starts_on": "2020-02-30"})
    assert response.status_code == 400
    assert db.session.query(Workshop).count() == 1
    response = client.post("/workshops/new", data={
        "title": "Balade mémoire", "starts_on": "2021-06-05", "ends_on": "2021-06-04",
        "organisations": [str(network["org"].id)]})
    assert response.status_code == 400 and "Le dernier jour précède le premier." in response.get_data(as_text=True)
    assert db.session.query(Workshop).count() == 1
    response = client.post("/workshops/new", data={
        "title": "Balade mémoire", "starts_on": "2021-06-05", "place_id": str(network["house"].id),
        "audience": "seniors", "participants": "8", "languages": ["fr"],
        "organisations": [str(network["org"].id)], "methods": [str(network["method"].id)],
        "facilitators": [str(network["listed"].id)]})
    assert response.status_code == 302
    created = db.session.query(Workshop).filter_by(title="Balade mémoire").one()
    assert created.participants == 8 and created.organisations == [network["org"]]


def test_mediator_records_organisation_method_and_facilitator(client, network):
    login(client, network["mediator"])
    response = client.post("/organisations/new", data={
        "name": "Maison de quartier d'Epinlieu", "kind": "neighbourhood_house", "country": "BE",
        "languages": ["fr", "nl"], "website": "https://epinlieu.example"})
    assert response.status_code == 302
    assert db.session.query(Organisation).filter_by(slug="maison-de-quartier-d-epinlieu").one().country == "BE"
    response = client.post("/methods/new", data={"name": "Balade mémoire", "licence": "CC-BY-SA-4.0",
                                                  "languages": ["fr"], "question_kinds": ["neighbourhood_past"]})
    assert response.status_code == 302
    method = db.session.query(Method).filter_by(slug="balade-memoire").one()
    response = client.post(f"/methods/{method.slug}/edit", data={
        "name": "Balade mémoire", "licence": "CC-BY-SA-4.0", "languages": ["fr"],
        "steps": "1. Partir du centre", "note": "Étapes"})
    assert response.status_code == 302
    db.session.refresh(method)
    assert [v.number for v in method.versions] == [1, 2]
    hidden = network["hidden"]
    response = client.post(f"/facilitators/{hidden.id}/edit", data={
        "display_name": hidden.display_name, "kind": "resident", "languages": ["fr"], "listed": "y"})
    assert response.status_code == 302
    db.session.refresh(hidden)
    assert hidden.is_listed
    assert "Zorglub" in client.get("/directory").get_data(as_text=True)
    response = client.post(f"/facilitators/{hidden.id}/withdraw", data={})
    assert response.status_code == 302
    db.session.refresh(hidden)
    assert not hidden.is_listed


def test_pages_in_dutch(client, network):
    text = client.get("/directory?lang=nl").get_data(as_text=True)
    assert 'lang="nl"' in text


def test_citation_and_layer_name_the_workshop(client, network):
    from memoire.maps.models import SubjectiveMap
    from memoire.network import operations as ops

    cite = client.get(f"/api/v1/stories/{network['public'].id}/citation").get_json()
    assert network["workshop"].title in cite["text"] and network["workshop"].title in cite["bibtex"]
    layer = SubjectiveMap(title="Carte des ados", status="published")
    db.session.add(layer)
    db.session.flush()
    ops.attach_map(None, network["workshop"], layer)
    db.session.commit()
    assert network["workshop"].title in client.get(f"/map/layers/{layer.id}").get_data(as_text=True)
    assert "Carte des ados" in client.get(f"/workshops/{network['workshop'].id}").get_data(as_text=True)
