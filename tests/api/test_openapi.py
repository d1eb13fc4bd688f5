"""The OpenAPI description against the real app: every route documented, every answer as described."""

from __future__ import annotations

import json
import re

import pytest

from memoire.api.openapi import spec
from memoire.extensions import db
from tests.api.helpers import assert_documented

METHODS = {"GET", "POST", "PATCH", "PUT", "DELETE"}


def _documented_path(rule: str) -> str:
    """A Werkzeug rule as an OpenAPI path template: `/stories/<story_id>` → `/stories/{story_id}`."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule).removeprefix("/api/v1")


def _api_routes(app) -> set[tuple[str, str]]:
    return {
        (_documented_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods & METHODS
    }


def _documented_routes() -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in spec()["paths"].items()
        for method in item
        if method in {"get", "post", "patch", "put", "delete"}
    }


def test_every_api_route_is_documented(app):
    missing = _api_routes(app) - _documented_routes()
    assert not missing, f"routes without @documented (docs/api-schemas.md): {sorted(missing)}"


def test_every_documented_route_exists(app):
    extra = _documented_routes() - _api_routes(app)
    assert not extra, f"documented but not served: {sorted(extra)}"


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_reference_resolves_and_operation_ids_are_unique(app):
    SPEC = spec()
    for reference in _refs(SPEC):
        node = SPEC
        for part in reference.removeprefix("#/").split("/"):
            assert part in node, reference
            node = node[part]
    ids = [op["operationId"] for item in spec()["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_the_document_is_served_with_this_server(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert_documented(response, "/api/v1/openapi.json")
    body = response.get_json()
    assert body["openapi"] == "3.1.0"
    assert body["servers"] == [{"url": "http://localhost/api/v1"}]
    assert set(body["paths"]) == set(spec()["paths"])


def test_the_docs_page_shows_every_operation(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for path, item in spec()["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in page
    assert "<script" not in page.split("</main>")[0].split("<main")[1]  # rendered, no JS, no CDN
    assert "cdn" not in page.lower()


@pytest.fixture
def everything(archive, create_user):
    """The archive, indexed, with a published exhibition and a published subjective map."""
    from memoire.search import service

    service.process_pending()
    from memoire.exhibitions import operations as exhibitions

    curator = create_user("curator")
    exhibition = exhibitions.create_exhibition(
        curator, exhibitions.ExhibitionInput(title="Mémoires de la mine")
    )
    exhibitions.add_item(curator, exhibition, archive["public"], caption="Le chevalement")
    exhibitions.publish_exhibition(curator, exhibition)
    db.session.commit()
    return {**archive, "exhibition": exhibition.slug}


def _sample_urls(data) -> list[str]:
    story = data["public"].id
    urls = [
        "/api/v1/stories",
        "/api/v1/stories?theme=mine&per_page=1",
        f"/api/v1/stories/{story}",
        f"/api/v1/stories/{story}/citation",
        f"/api/v1/stories/{story}/citation?format=csl",
        f"/api/v1/stories/{story}/citation?format=bibtex",
        f"/api/v1/stories/{story}/manifest.json",
        f"/api/v1/stories/{story}/dc.xml",
        f"/api/v1/stories/{story}/schema.jsonld",
        f"/api/v1/stories/{story}/transcript.vtt",
        f"/api/v1/stories/{story}/transcript.txt",
        "/api/v1/themes",
        "/api/v1/exports/stories.csv",
        "/api/v1/exports/stories.json",
        "/api/v1/exports/search.json?q=mineur",
        "/api/v1/exports/search.csv?q=mineur",
        "/api/v1/search?q=chevalement",
        "/api/v1/search?q=%22",
        "/api/v1/places",
        "/api/v1/places?q=dut",
        f"/api/v1/places/{data['dutemple'].id}",
        "/api/v1/places/999999",
        "/api/v1/places.geojson",
        "/api/v1/map.geojson",
        "/api/v1/map.geojson?q=mineur",
        "/api/v1/layers",
        "/api/v1/layers.geojson",
        "/api/v1/feelings.geojson",
        "/api/v1/organisations", "/api/v1/organisations/nothing-here", "/api/v1/workshops",
        "/api/v1/workshops?organisation=x&method=y", "/api/v1/workshops/999999", "/api/v1/methods",
        "/api/v1/methods/nothing-here",
        "/api/v1/exhibitions",
        "/api/v1/exhibitions/nothing-here",
        "/api/v1/walks", "/api/v1/walks/nothing-here", "/api/v1/walks/nothing-here.geojson",
        "/api/v1/openapi.json",
        f"/api/v1/stories/{data['hidden']['private'].id}",
        "/api/v1/stories?kind=poem",
    ]
    return urls + [
        f"/api/v1/exhibitions/{data['exhibition']}",
        f"/api/v1/exhibitions/{data['exhibition']}/manifest.json",
    ]


def test_real_answers_match_their_schemas(client, everything, auth_headers):
    seen = set()
    for headers in ({}, auth_headers("researcher"), auth_headers("moderator")):
        for url in _sample_urls(everything):
            response = client.get(url, headers=headers)
            assert response.status_code < 500, url
            assert_documented(response, url)
            seen.add(response.status_code)
    assert seen >= {200, 400, 404}


def test_story_answers_are_closed(client, archive):
    """Our own answers list every field in the schema: a new field must be documented first."""
    story = client.get(f"/api/v1/stories/{archive['public'].id}").get_json()
    story["contributor_email"] = "someone@example.org"
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    registry = Registry().with_resource(
        "urn:spec", Resource.from_contents(spec(), default_specification=DRAFT202012)
    )
    validator = Draft202012Validator(
        {"$ref": "urn:spec#/components/schemas/Story"}, registry=registry
    )
    assert not validator.is_valid(json.loads(json.dumps(story)))
