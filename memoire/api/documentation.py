"""The API's description, as JSON for programs and as a page for people."""

from __future__ import annotations

import copy

from flask import render_template, url_for

from memoire.api.common import json_response
from memoire.api.openapi import METHODS, documented, reply, spec
from memoire.api.schemas import OpenAPISchema
from memoire.api.views import bp


def openapi_document() -> dict:
    """The description with this server's address filled in."""
    document = copy.deepcopy(spec())
    document["servers"] = [{"url": url_for("api.openapi", _external=True).rsplit("/", 1)[0]}]
    return document


def resolve(document: dict, item: dict) -> dict:
    """Follow a local `$ref` (`#/components/...`) to what it names."""
    while isinstance(item, dict) and "$ref" in item:
        node = document
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        item = node
    return item


def type_label(schema: dict) -> str:
    """A schema as a short phrase for people: "string or null", "array of Story"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    if "anyOf" in schema:
        return " or ".join(type_label(s) for s in schema["anyOf"])
    if "allOf" in schema:
        return " and ".join(type_label(s) for s in schema["allOf"])
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return f'"{schema["const"]}"'
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array":
        return "array of " + type_label(schema.get("items", {}))
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return kind


def operations(document: dict) -> list[dict]:
    """Every operation, in the order of the description, ready for the page."""
    found = []
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                found.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "op": op,
                        "parameters": [resolve(document, p) for p in op.get("parameters", [])],
                        "responses": {
                            code: resolve(document, r) for code, r in op["responses"].items()
                        },
                    }
                )
    return found


@bp.get("/openapi.json")
@documented(
    "documentation",
    operation_id="getOpenApi",
    summary="This description (OpenAPI 3.1)",
    responses={200: reply("The description.", OpenAPISchema)},
)
def openapi():
    """This description (OpenAPI 3.1)."""
    response = json_response(openapi_document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/docs")
@documented(
    "documentation",
    operation_id="getDocs",
    summary="This description as a page",
    responses={200: reply("An HTML page.", mime="text/html")},
)
def docs():
    """The description as a page people can read (rendered here: no script, no CDN)."""
    document = openapi_document()
    return render_template(
        "api/docs.html",
        spec=document,
        operations=operations(document),
        type_label=type_label,
        base=document["servers"][0]["url"],
    )
