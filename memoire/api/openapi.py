"""The OpenAPI 3.1 description of `/api/v1`, generated from what each route declares.

Each route declares its inputs and answers with `@documented` (see `docs/api-schemas.md`);
the shapes are the marshmallow schemas of `memoire.api.schemas` and the domains, turned
into JSON Schema by apispec. `tests/api/test_openapi.py` fails when a route is not
documented and when a real answer does not match what its route declares.
"""

from __future__ import annotations

import inspect
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from flask import current_app

from memoire.core.schemas import Answer, OpenAnswer

JSON = "application/json"
PROBLEM = "application/problem+json"
GEOJSON = "application/geo+json"
LD_JSON = "application/ld+json"
METHODS = ("get", "post", "patch", "put", "delete")
STRING = {"type": "string"}
INTEGER = {"type": "integer"}

# --- what a route declares ------------------------------------------------------------------


def reply(description: str, schema=None, mime: str = JSON, *, also=None, **headers) -> dict:
    """One documented answer: a marshmallow schema, a component name, or a JSON Schema dict;
    `also` maps other media types the same answer may come as to their schemas."""
    content = {mime: schema, **(also or {})}
    return {"description": description, "content": content, "headers": headers}


def documented(
    tag: str,
    *,
    responses: dict,
    errors: tuple[int, ...] = (),
    parameters: list | tuple = (),
    query=None,
    body=None,
    write: bool = False,
    summary: str | None = None,
    description: str | None = None,
    operation_id: str | None = None,
    method: str | None = None,
    path: str | None = None,
):
    """Describe the route this view serves (put it right under `@bp.get(...)` and the like).

    A view serving several methods or rules takes one `@documented` per `method` or `path`
    (the rule as written in the route decorator).
    """

    def decorate(view):
        view.__dict__.setdefault("openapi", {})[(path or "*", method or "*")] = {
            "tag": tag,
            "responses": responses,
            "errors": errors,
            "parameters": parameters,
            "query": query,
            "body": body,
            "write": write,
            "summary": summary,
            "description": description,
            "operation_id": operation_id,
        }
        return view

    return decorate


def query(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or STRING,
    }


def path_param(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema or STRING,
    }


# --- what routes share ----------------------------------------------------------------------


def _enum(*values) -> dict:
    return {"enum": [getattr(v, "value", v) for v in values]}


def _parameters() -> dict:
    from memoire.stories.models import Kind, Status, Visibility

    return {
        "story_id": path_param(
            "story_id", "The archive id (a number) or the external id given at import."
        ),
        "page": query(
            "page", "Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1}
        ),
        "per_page": query(
            "per_page",
            "Items per page.",
            {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
        ),
        "place": query("place", "A place id: stories tied to it or to a place inside it.", INTEGER),
        "theme": query("theme", "A theme slug (see /themes)."),
        "kind": query("kind", "The kind of story.", _enum(*Kind)),
        "lang": query("lang", "The story's language (fr, nl, wa, pcd...)."),
        "decade": query("decade", "Stories whose period touches this decade: 1960 or 1960s."),
        "status": query(
            "status",
            "Moderators see every status; others their own stories and published ones.",
            _enum(*Status),
        ),
        "visibility": query("visibility", "Narrow by visibility.", _enum(*Visibility)),
        "sort": query(
            "sort",
            "Order of the list.",
            {**_enum("newest", "updated", "title", "period", "id"), "default": "newest"},
        ),
        "delimiter": query(
            "delimiter",
            "CSV separator (French Excel likes semicolon).",
            {**_enum("comma", "semicolon", "tab"), "default": "comma"},
        ),
        "q": query(
            "q",
            'Words to find: "phrases", AND/OR/NOT (ET/OU/SAUF), lieu:, theme:, '
            "narrateur:, prefix*, misspelling~.",
        ),
        "search_place": query("place", "Place ids (repeat or separate by commas)."),
        "search_theme": query("theme", "Theme slugs (repeat or separate by commas)."),
        "search_decade": query(
            "decade",
            "Decades: 1950 or 1950s, or a period 1950-1970 for every decade it starts "
            "(repeat or separate by commas).",
        ),
        "map_decade": query(
            "decade",
            "Stories whose period touches this decade (1960 or 1960s) or this period "
            "(1950-1970: the 1950s to the 1970s).",
        ),
        "search_kind": query("kind", "Kinds (repeat or separate by commas)."),
        "search_lang": query("lang", "Languages of the stories (repeat or separate by commas)."),
        "narrator": query("narrator", "Narrator ids."),
        "search_organisation": query(
            "organisation",
            "Organisation ids (see /api/v1/organisations): the stories collected at their "
            "workshops (repeat or separate by commas). Its facet counts public stories only.",
        ),
        "search_workshop": query(
            "workshop",
            "Workshop ids (see /api/v1/workshops): the stories collected there (repeat or "
            "separate by commas). Its facet counts public stories only.",
        ),
        "bbox": query("bbox", "west,south,east,north in degrees (WGS84)."),
        "search_sort": query(
            "sort", "relevance, oldest, newest or added.", _enum("relevance", "oldest", "newest", "added")
        ),
        "media": query("media", "The recording whose transcript is wanted (a media id).", INTEGER),
    }


LIST_FILTERS = ("place", "theme", "kind", "lang", "decade", "status", "visibility", "sort")
SEARCH_PARAMS = (
    "q", "search_place", "search_theme", "search_decade", "search_kind", "search_lang",
    "narrator", "search_organisation", "search_workshop", "bbox", "search_sort",
)  # fmt: skip

#: Shared error answers: status → (component name, description).
ERRORS = {
    304: ("NotModified", "Not modified: the ETag (If-None-Match) or date "
          "(If-Modified-Since) you sent is current."),
    400: ("BadRequest", "A parameter or a body key is not valid; `field` names it."),
    401: ("Unauthorized", "No token where one is needed, or a token that is not valid "
          "(unknown or revoked)."),
    403: ("Forbidden", "Your role does not allow this."),
    404: ("NotFound", "No such thing, or not one you may see (the same answer)."),
    409: ("Conflict", "Not in a state that allows this (already submitted, id taken...)."),
    412: ("PreconditionFailed", "The story changed since the ETag sent in If-Match."),
    413: ("TooLarge", "The file, or the story's files together, exceed the limits."),
    429: ("TooManyRequests", "Too many requests for this token (or address): wait a moment."),
}  # fmt: skip

#: What every write may answer besides its success.
WRITE_ERRORS = (400, 401, 403, 404, 409, 429)
ETAG = {"ETag": {"schema": STRING}, "Last-Modified": {"schema": STRING}}

TAGS = [
    {"name": "stories", "description": "Reading stories."},
    {"name": "contributions", "description": "Sending stories, as the web form does."},
    {"name": "moderation", "description": "Publishing and sending back (moderators)."},
    {"name": "transcripts", "description": "Attaching and correcting transcripts."},
    {"name": "exports", "description": "CSV, JSON, Dublin Core, JSON-LD, WebVTT, text."},
    {"name": "citations", "description": "How to cite a story."},
    {"name": "iiif", "description": "IIIF Presentation 3 manifests."},
    {"name": "search", "description": "Full-text search."},
    {"name": "places", "description": "The gazetteer."},
    {"name": "maps", "description": "Stories and subjective maps as GeoJSON."},
    {"name": "exhibitions", "description": "Published exhibitions."},
    {"name": "walks", "description": "Published walks: stops in order, route as GeoJSON."},
    {"name": "then-and-now", "description": "Archive photos paired with the same view today."},
    {"name": "network", "description": "Organisations, workshops and method cards of the network."},
    {"name": "documentation", "description": "This description."},
]

INFO = {
    "summary": "Stories, places, search, maps and exhibitions of the Mémoire archive.",
    "description": (
        "Read without a token to see what any visitor sees. With a personal token "
        "(created on /account/tokens or with `memoire token create EMAIL`), send "
        "`Authorization: Bearer <token>`: you then see what your role allows and may "
        "contribute. Writes always need a token.\n\n"
        'Errors are JSON (`application/problem+json`): `{"error": {"code", "message", '
        '"status", "field"}}`. Lists are paginated with `page` and `per_page` and give '
        "`links` (also in a `Link` header). Reads carry an `ETag` and `Last-Modified`: send "
        "them back as `If-None-Match` / `If-Modified-Since` to get 304 when nothing changed. "
        "Requests are rate-limited per token (or per address without one): 429 means wait.\n\n"
        "Harvest the whole archive with OAI-PMH at `/oai` (oai_dc, sets commune:<slug> and "
        "theme:<slug>). Cite a story by its short URL `/s/<id>`."
    ),
    "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
}

# --- generation -----------------------------------------------------------------------------

#: JSON Schema keywords a field may carry in its metadata that apispec does not pass on.
_EXTRA_KEYWORDS = ("const", "propertyNames", "contentMediaType")


class _Converter(OpenAPIConverter):
    """apispec's converter, knowing our conventions: closed answers, `also` alternatives."""

    def field2property(self, field) -> dict:
        prop = super().field2property(field)
        prop.update({k: field.metadata[k] for k in _EXTRA_KEYWORDS if k in field.metadata})
        if also := field.metadata.get("also"):
            prop = {"anyOf": [*also, prop]}
        return prop

    def schema2jsonschema(self, schema) -> dict:
        described = super().schema2jsonschema(schema)
        properties = described.get("properties", {})
        if isinstance(schema, Answer):
            described["required"] = [p for p in properties if p not in schema.OPTIONAL]
        elif isinstance(schema, OpenAnswer):
            described["required"] = list(schema.REQUIRED)
        doc = type(schema).__dict__.get("__doc__")
        if doc and "description" not in described:
            described["description"] = " ".join(doc.split())
        return described


class _Plugin(MarshmallowPlugin):
    Converter = _Converter


def _openapi_path(rule: str, prefix: str) -> str:
    """A Werkzeug rule as an OpenAPI path: `/api/v1/stories/<story_id>` → `/stories/{story_id}`."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule).removeprefix(prefix)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _schema_ref(schema):
    """A schema as apispec takes it: a class, a component name, or JSON Schema."""
    return schema if schema is not None else STRING


def _operation(view, declared: dict) -> dict:
    doc = inspect.getdoc(view) or ""
    first, _, rest = doc.partition("\n\n")
    op = {
        "operationId": declared["operation_id"] or _camel(view.__name__),
        "tags": [declared["tag"]],
        "summary": declared["summary"] or " ".join(first.split()).rstrip("."),
    }
    description = declared["description"] or " ".join(rest.split())
    if description:
        op["description"] = description
    parameters = list(declared["parameters"])  # names of shared ones become references
    if declared["query"] is not None:
        parameters.append({"in": "query", "schema": declared["query"]})
    if parameters:
        op["parameters"] = parameters
    body = declared["body"]
    if body is not None:
        content = body if isinstance(body, dict) else {JSON: body}
        op["requestBody"] = {
            "required": True,
            "content": {mime: {"schema": _schema_ref(s)} for mime, s in content.items()},
        }
    responses = {}
    for status, answer in declared["responses"].items():
        documented_answer = {"description": answer["description"]}
        content = {m: s for m, s in answer["content"].items() if s is not None}
        if content:  # a 204 has no body to describe
            documented_answer["content"] = {m: {"schema": _schema_ref(s)} for m, s in content.items()}
        if answer["headers"]:
            documented_answer["headers"] = answer["headers"]
        responses[str(status)] = documented_answer
    for status in declared["errors"]:
        responses[str(status)] = ERRORS[status][0]
    op["responses"] = responses
    if declared["write"]:
        op["security"] = [{"bearerAuth": []}]
    return op


def build(app) -> dict:
    """The description of every route of the `api` blueprint, from what each declares."""
    from memoire.api.schemas import ErrorSchema

    prefix = app.blueprints["api"].url_prefix

    spec = APISpec(
        title="Mémoire API",
        version="1.0.0",
        openapi_version="3.1.0",
        plugins=[_Plugin()],
        info=INFO,
        servers=[{"url": prefix}],
        security=[{}, {"bearerAuth": []}],
        tags=TAGS,
    )
    spec.components.security_scheme(
        "bearerAuth",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token (mem_...), stored hashed by the archive.",
        },
    )
    spec.components.schema("Error", schema=ErrorSchema)
    for name, parameter in _parameters().items():
        spec.components.parameter(name, parameter.pop("in"), parameter)
    for status, (name, description) in ERRORS.items():
        answer = {"description": description}
        if status != 304:
            answer["content"] = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Error"}}}
        spec.components.response(name, answer)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(prefix + "/"):
            continue
        view = app.view_functions[rule.endpoint]
        declared = getattr(view, "openapi", {})
        relative = rule.rule.removeprefix(prefix)
        operations = {}
        for method in sorted(m.lower() for m in rule.methods or ()):
            keys = [(relative, method), (relative, "*"), ("*", method), ("*", "*")]
            found = next((declared[k] for k in keys if k in declared), None)
            if method in METHODS and found is not None:
                operations[method] = _operation(view, found)
        if operations:
            spec.path(path=_openapi_path(rule.rule, prefix), operations=operations)
    document = spec.to_dict()
    document["jsonSchemaDialect"] = "https://json-schema.org/draft/2020-12/schema"
    return document


def spec() -> dict:
    """This app's description (generated once per app)."""
    app = current_app._get_current_object()
    if "memoire.openapi" not in app.extensions:
        app.extensions["memoire.openapi"] = build(app)
    return app.extensions["memoire.openapi"]
