"""The OpenAPI 3.1 description of `/api/v1`, written by hand and checked by the tests.

`tests/api/test_openapi.py` fails when a route of the API is missing here, when a
path described here does not exist, and when a real answer does not match its
schema. Schemas of our own answers forbid unknown properties, so a field added to
an answer (an e-mail, say) must be described here before it can ship.
"""

from __future__ import annotations

# --- building blocks ------------------------------------------------------------------------

JSON = "application/json"
PROBLEM = "application/problem+json"
GEOJSON = "application/geo+json"
LD_JSON = "application/ld+json"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(
    properties: dict, required: list[str] | None = None, *, closed: bool = True, **extra
) -> dict:
    """An object schema; `closed` ones reject properties not described."""
    schema = {"type": "object", "properties": properties, "required": required or list(properties)}
    if closed:
        schema["additionalProperties"] = False
    schema.update(extra)
    return schema


def content(schema: dict, mime: str = JSON) -> dict:
    return {mime: {"schema": schema}}


def ok(description: str, schema: dict, mime: str = JSON, **headers) -> dict:
    answer = {"description": description, "content": content(schema, mime)}
    if headers:
        answer["headers"] = headers
    return answer


def text_ok(description: str, mime: str) -> dict:
    return {"description": description, "content": {mime: {"schema": {"type": "string"}}}}


def errors(*codes: int) -> dict:
    names = {
        304: "NotModified",
        400: "BadRequest",
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        409: "Conflict",
        412: "PreconditionFailed",
        413: "TooLarge",
        429: "TooManyRequests",
    }
    return {str(code): {"$ref": f"#/components/responses/{names[code]}"} for code in codes}


def param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def query(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def path_param(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def operation(
    operation_id: str,
    tag: str,
    summary: str,
    responses: dict,
    *,
    description: str = "",
    parameters: list | None = None,
    body: dict | None = None,
    write: bool = False,
) -> dict:
    op = {"operationId": operation_id, "tags": [tag], "summary": summary, "responses": responses}
    if description:
        op["description"] = description
    if parameters:
        op["parameters"] = parameters
    if body:
        op["requestBody"] = body
    if write:
        op["security"] = [{"bearerAuth": []}]
    return op


STRING = {"type": "string"}
URI = {"type": "string", "format": "uri"}
DATETIME = {"type": "string", "format": "date-time"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
KINDS = ["oral_history", "photo", "anecdote", "heritage"]
STATUSES = ["draft", "submitted", "published", "rejected", "withdrawn"]
VISIBILITIES = ["public", "researchers", "private"]
PRECISIONS = ["exact", "street", "quartier"]
PLACE_TYPES = ["commune", "quartier", "street", "building", "landmark"]

# --- stories --------------------------------------------------------------------------------

STORY_LINKS = obj(
    {
        "self": URI,
        "page": URI,
        "short": URI,
        "manifest": URI,
        "citation": URI,
        "dublin_core": URI,
        "json_ld": URI,
    },
    description="Where to find the story: its page, stable short URL and other formats.",
)

STORY_SUMMARY = {
    "id": {"type": "integer", "description": "The archive id: stable, cited by the short URL."},
    "external_id": nullable(STRING),
    "title": STRING,
    "summary": STRING,
    "kind": {"enum": KINDS},
    "kind_label": STRING,
    "language": STRING,
    "period": ref("Period"),
    "themes": {"type": "array", "items": ref("Theme")},
    "places": {
        "type": "array",
        "items": ref("StoryPlace"),
        "description": "The places the caller may see (a story whose precision is "
        '"quartier" does not name its street to the public).',
    },
    "point": nullable(ref("Point")),
    "narrators": {"type": "array", "items": ref("Narrator")},
    "licence": STRING,
    "status": {"enum": STATUSES},
    "visibility": {"enum": VISIBILITIES},
    "published_at": nullable(DATETIME),
    "updated_at": nullable(DATETIME),
    "thumbnail": nullable(URI),
    "links": ref("StoryLinks"),
}
STORY_DETAIL = {
    **STORY_SUMMARY,
    "body": {
        "type": "string",
        "description": "Markdown, as written; sanitise before showing it as HTML.",
    },
    "recorded_on": nullable({"type": "string", "format": "date"}),
    "created_at": nullable(DATETIME),
    "media": {"type": "array", "items": ref("Media")},
    "transcripts": {"type": "array", "items": ref("Transcript")},
    "consent": ref("Consent"),
    "moderation_note": {
        "type": "string",
        "description": "Why the story was sent back (its contributor and moderators only).",
    },
}

STORY_INPUT = {
    "title": {"type": "string", "maxLength": 500},
    "summary": STRING,
    "body": {"type": "string", "description": "Markdown."},
    "kind": {"enum": KINDS},
    "language": {"type": "string", "examples": ["fr", "nl", "wa", "pcd"]},
    "period": {
        "description": 'A year, a text ("années 60", "vers 1950", "1955-1965") or {start, end}.',
        "anyOf": [
            INTEGER,
            STRING,
            obj({"start": INTEGER, "end": INTEGER, "text": STRING, "approximate": BOOLEAN}, []),
        ],
    },
    "recorded_on": nullable({"type": "string", "format": "date"}),
    "narrators": {
        "type": "array",
        "items": {
            "anyOf": [
                STRING,
                obj({"name": STRING, "pseudonym": BOOLEAN}, ["name"]),
            ]
        },
    },
    "themes": {
        "type": "array",
        "items": STRING,
        "description": "Theme names; new ones are created.",
    },
    "places": {
        "type": "array",
        "items": {
            "anyOf": [
                INTEGER,
                obj({"id": INTEGER, "role": {"enum": ["happened", "told"]}}, ["id"]),
            ]
        },
        "description": "Places of the gazetteer by id (see /places).",
    },
    "lat": nullable(NUMBER),
    "lon": nullable(NUMBER),
    "visibility": {"enum": VISIBILITIES},
    "licence": STRING,
    "precision": nullable({"enum": PRECISIONS}),
    "external_id": nullable(STRING),
    "consent": obj(
        {
            "given_by": STRING,
            "method": {"enum": ["online", "signed_form", "oral_recorded"]},
            "online_publication": BOOLEAN,
            "research_use": BOOLEAN,
            "exhibition_use": BOOLEAN,
            "licence": STRING,
            "precision": {"enum": PRECISIONS},
            "narrator_is_minor": BOOLEAN,
            "guardian_name": nullable(STRING),
        },
        [],
        description="What the narrator agreed to; recorded anew when it changes.",
    ),
}

EXPORT_ROW = obj(
    {
        "id": INTEGER,
        "external_id": STRING,
        "title": STRING,
        "summary": STRING,
        "body": STRING,
        "kind": STRING,
        "language": STRING,
        "period_start": nullable(INTEGER),
        "period_end": nullable(INTEGER),
        "period_text": STRING,
        "narrators": STRING,
        "themes": STRING,
        "places": STRING,
        "place_ids": STRING,
        "lat": nullable(NUMBER),
        "lon": nullable(NUMBER),
        "precision": STRING,
        "licence": STRING,
        "published_at": STRING,
        "updated_at": STRING,
        "url": URI,
        "short_url": URI,
        "api_url": URI,
        "score": NUMBER,
    },
    ["id", "title", "url", "short_url"],
    description='One story, flat: lists are joined with "; ".',
)

SCHEMAS: dict[str, dict] = {
    "Error": obj(
        {
            "error": obj(
                {
                    "code": {
                        "type": "string",
                        "examples": ["invalid", "not_found", "unauthorized"],
                    },
                    "message": {"type": "string", "description": "For people, in their language."},
                    "status": INTEGER,
                    "field": {
                        "type": "string",
                        "description": "The parameter or body key at fault.",
                    },
                    "line": INTEGER,
                },
                ["code", "message", "status"],
            ),
        }
    ),
    "PageLinks": obj(
        {
            "self": URI,
            "first": URI,
            "last": URI,
            "next": nullable(URI),
            "prev": nullable(URI),
        }
    ),
    "Period": obj(
        {
            "start": nullable(INTEGER),
            "end": nullable(INTEGER),
            "text": nullable(STRING),
            "approximate": BOOLEAN,
            "label": nullable(STRING),
        },
        description="When the memory took place, fuzzy: years, and the words people used.",
    ),
    "Theme": obj({"slug": STRING, "name": STRING, "label": STRING}),
    "ThemeCount": obj({"slug": STRING, "name": STRING, "label": STRING, "story_count": INTEGER}),
    "StoryPlace": obj(
        {
            "id": INTEGER,
            "name": STRING,
            "type": {"enum": PLACE_TYPES},
            "role": {"enum": ["happened", "told"]},
            "url": URI,
        }
    ),
    "Point": obj(
        {
            "lat": NUMBER,
            "lon": NUMBER,
            "precision": {"enum": PRECISIONS},
        },
        description="Exact for moderators; for everyone else coarsened as the consent says "
        '(about 100 m for "street", the quartier for "quartier").',
    ),
    "Narrator": obj(
        {"name": STRING, "pseudonym": BOOLEAN},
        description="A narrator by the display name they chose; nothing else.",
    ),
    "StoryLinks": STORY_LINKS,
    "StorySummary": obj(STORY_SUMMARY),
    "Story": obj(STORY_DETAIL, [k for k in STORY_DETAIL if k != "moderation_note"]),
    "Derivative": obj(
        {
            "url": URI,
            "mime": STRING,
            "size": INTEGER,
            "width": nullable(INTEGER),
            "height": nullable(INTEGER),
        }
    ),
    "Media": obj(
        {
            "id": INTEGER,
            "kind": {"enum": ["image", "audio", "document"]},
            "position": INTEGER,
            "caption": STRING,
            "alt_text": STRING,
            "width": nullable(INTEGER),
            "height": nullable(INTEGER),
            "duration": nullable(NUMBER),
            "processing": {"enum": ["ready", "pending"]},
            "derivatives": {
                "type": "object",
                "propertyNames": {"enum": ["thumbnail", "display", "stream", "waveform"]},
                "additionalProperties": ref("Derivative"),
                "description": "Files made for browsers; originals are never offered.",
            },
        }
    ),
    "Segment": obj(
        {
            "start": nullable(NUMBER),
            "end": nullable(NUMBER),
            "speaker": nullable(STRING),
            "text": {
                "type": "string",
                "description": "A withheld passage reads as a neutral mark.",
            },
            "redacted": BOOLEAN,
        }
    ),
    "Transcript": obj(
        {
            "id": INTEGER,
            "media_id": nullable(INTEGER),
            "language": STRING,
            "timed": BOOLEAN,
            "segments": {"type": "array", "items": ref("Segment")},
            "links": obj({"webvtt": URI, "text": URI}),
        }
    ),
    "Consent": obj(
        {
            "online_publication": BOOLEAN,
            "research_use": BOOLEAN,
            "exhibition_use": BOOLEAN,
            "licence": STRING,
        },
        description="What the narrator agreed to; never who agreed, when or how.",
    ),
    "StoryList": obj(
        {
            "stories": {"type": "array", "items": ref("StorySummary")},
            "total": INTEGER,
            "page": INTEGER,
            "per_page": INTEGER,
            "pages": INTEGER,
            "links": ref("PageLinks"),
        }
    ),
    "ThemeList": obj({"themes": {"type": "array", "items": ref("ThemeCount")}}),
    "StoryInput": obj({**STORY_INPUT, "status": {"enum": ["draft", "submitted"]}}, ["title"]),
    "StoryPatch": obj(STORY_INPUT, []),
    "SendBack": obj({"reason": {"type": "string", "minLength": 1}}),
    "MediaUpload": obj(
        {
            "file": {"type": "string", "contentMediaType": "application/octet-stream"},
            "caption": STRING,
            "alt_text": STRING,
        },
        ["file"],
    ),
    "CslItem": obj(
        {
            "id": STRING,
            "type": STRING,
            "title": STRING,
            "genre": STRING,
            "language": STRING,
            "URL": URI,
            "publisher": STRING,
            "archive": STRING,
            "archive_location": STRING,
            "accessed": ref("CslDate"),
            "issued": ref("CslDate"),
            "license": STRING,
            "author": {"type": "array", "items": obj({"literal": STRING})},
        },
        ["id", "type", "title", "URL"],
        description="A CSL-JSON item (Zotero, Pandoc, citeproc).",
    ),
    "CslDate": obj({"date-parts": {"type": "array", "items": {"type": "array", "items": INTEGER}}}),
    "Citation": obj(
        {
            "short_url": URI,
            "text": STRING,
            "bibtex": STRING,
            "csl": ref("CslItem"),
        }
    ),
    "IIIFManifest": obj(
        {
            "@context": {"const": "http://iiif.io/api/presentation/3/context.json"},
            "id": URI,
            "type": {"const": "Manifest"},
            "label": {"type": "object"},
            "items": {"type": "array", "minItems": 1},
        },
        ["@context", "id", "type", "label", "items"],
        closed=False,
        description="IIIF Presentation 3 (https://iiif.io/api/presentation/3.0/).",
    ),
    "JsonLd": obj(
        {
            "@context": {"const": "https://schema.org"},
            "@type": {"const": "CreativeWork"},
            "@id": URI,
            "name": STRING,
            "identifier": STRING,
        },
        ["@context", "@type", "@id", "name", "identifier"],
        closed=False,
        description="schema.org CreativeWork; recordings as AudioObject in associatedMedia, "
        "places as contentLocation (coarsened point).",
    ),
    "ExportRow": EXPORT_ROW,
    "Export": obj(
        {
            "exported_at": DATETIME,
            "count": INTEGER,
            "truncated": BOOLEAN,
            "stories": {"type": "array", "items": ref("ExportRow")},
        }
    ),
    # --- search (memoire.api.search) ---
    "SearchSegment": obj(
        {
            "start": nullable(NUMBER),
            "end": nullable(NUMBER),
            "speaker": nullable(STRING),
            "snippet": STRING,
            "url": STRING,
        },
        description="A transcript passage where the words are said; `url` plays from there.",
    ),
    "SearchResult": obj(
        {
            "id": INTEGER,
            "title": STRING,
            "title_html": STRING,
            "score": NUMBER,
            "url": STRING,
            "kind": STRING,
            "snippet": nullable(STRING),
            "segments": {"type": "array", "items": ref("SearchSegment")},
            "places": {
                "type": "array",
                "items": obj({"id": INTEGER, "name": STRING, "type": STRING}),
            },
        },
        closed=False,
    ),
    "SearchResults": obj(
        {
            "total": INTEGER,
            "page": INTEGER,
            "per_page": INTEGER,
            "pages": INTEGER,
            "sort": STRING,
            "results": {"type": "array", "items": ref("SearchResult")},
            "facets": {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "items": obj(
                        {
                            "value": STRING,
                            "label": STRING,
                            "count": INTEGER,
                            "selected": BOOLEAN,
                        },
                        ["value", "label", "count"],
                        closed=False,
                    ),
                },
            },
            "suggestion": nullable(STRING),
            "fuzzy": BOOLEAN,
        },
        ["total", "results"],
        closed=False,
    ),
    # --- places (memoire.api.places) ---
    "Place": obj(
        {
            "id": INTEGER,
            "name": STRING,
            "other_names": {"type": "array", "items": STRING},
            "type": {"enum": PLACE_TYPES},
            "lat": nullable(NUMBER),
            "lon": nullable(NUMBER),
            "has_outline": BOOLEAN,
            "parent": nullable(obj({"id": INTEGER, "name": STRING})),
            "url": STRING,
            "story_count": {"type": "integer", "description": "Public stories."},
            "external_id": nullable(STRING),
            "osm_id": nullable(STRING),
            "geonames_id": nullable(STRING),
            "wikidata_id": nullable(STRING),
            "matched_name": STRING,
            "distance_m": NUMBER,
        },
        ["id", "name", "type", "lat", "lon", "url", "story_count"],
        closed=False,
    ),
    "PlaceList": obj({"places": {"type": "array", "items": ref("Place")}, "count": INTEGER}),
    "PlaceDetail": {
        "allOf": [
            ref("Place"),
            obj(
                {
                    "outline": nullable({"type": "object"}),
                    "children": {
                        "type": "array",
                        "items": obj(
                            {
                                "id": INTEGER,
                                "name": STRING,
                                "type": STRING,
                                "story_count": INTEGER,
                            }
                        ),
                    },
                },
                ["children"],
                closed=False,
            ),
        ]
    },
    # --- maps (memoire.api.maps) ---
    "Feature": obj(
        {
            "type": {"const": "Feature"},
            "id": {"type": ["integer", "string"]},
            "geometry": {"type": "object", "required": ["type"]},
            "properties": {"type": "object"},
        },
        ["type", "geometry", "properties"],
        closed=False,
    ),
    "FeatureCollection": obj(
        {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array", "items": ref("Feature")},
        },
        ["type", "features"],
        closed=False,
        description="GeoJSON (RFC 7946), WGS84 longitude, latitude.",
    ),
    "Layer": obj(
        {
            "id": INTEGER,
            "title": STRING,
            "group": nullable(STRING),
            "description": nullable(STRING),
            "status": STRING,
            "status_label": STRING,
            "feature_count": INTEGER,
            "feelings": {"type": "object", "additionalProperties": INTEGER},
            "url": STRING,
            "geojson_url": STRING,
            "updated_at": nullable(STRING),
        },
        ["id", "title", "status", "feature_count", "geojson_url"],
        closed=False,
    ),
    "LayerList": obj({"layers": {"type": "array", "items": ref("Layer")}}),
    # --- exhibitions (memoire.api.exhibitions) ---
    "ExhibitionSummary": obj(
        {
            "slug": STRING,
            "title": STRING,
            "introduction": STRING,
            "languages": {"type": "array", "items": STRING},
            "published_at": nullable(STRING),
            "items": INTEGER,
            "url": URI,
            "api": URI,
            "manifest": URI,
        },
        ["slug", "title", "url", "api", "manifest"],
        closed=False,
    ),
    "ExhibitionList": obj({"exhibitions": {"type": "array", "items": ref("ExhibitionSummary")}}),
    "Exhibition": obj(
        {
            "slug": STRING,
            "title": STRING,
            "introduction": STRING,
            "languages": {"type": "array", "items": STRING},
            "language": STRING,
            "status": STRING,
            "published_at": nullable(STRING),
            "url": URI,
            "manifest": URI,
            "cover": nullable({"type": "object"}),
            "items": {
                "type": "array",
                "items": obj(
                    {
                        "position": INTEGER,
                        "id": INTEGER,
                        "caption": STRING,
                        "story": obj({"id": INTEGER, "title": STRING, "url": STRING}, closed=False),
                        "photo": nullable({"type": "object"}),
                        "audio": nullable({"type": "object"}),
                        "transcript": {"type": "array", "items": {"type": "object"}},
                        "narrators": {"type": "array", "items": STRING},
                        "licence": STRING,
                        "credit": STRING,
                    },
                    ["position", "story", "licence", "credit"],
                    closed=False,
                ),
            },
        },
        ["slug", "title", "items", "url", "manifest"],
        closed=False,
    ),
    "OpenAPI": obj(
        {"openapi": STRING, "info": {"type": "object"}, "paths": {"type": "object"}},
        ["openapi", "info", "paths"],
        closed=False,
    ),
}

# --- parameters and shared answers ------------------------------------------------------------

PARAMETERS = {
    "story_id": path_param(
        "story_id", "The archive id (a number) or the external id given at import."
    ),
    "page": query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1}),
    "per_page": query(
        "per_page",
        "Items per page.",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    ),
    "place": query("place", "A place id: stories tied to it or to a place inside it.", INTEGER),
    "theme": query("theme", "A theme slug (see /themes)."),
    "kind": query("kind", "The kind of story.", {"enum": KINDS}),
    "lang": query("lang", "The story's language (fr, nl, wa, pcd...)."),
    "decade": query("decade", "Stories whose period touches this decade: 1960 or 1960s."),
    "status": query(
        "status",
        "Moderators see every status; others their own stories and published ones.",
        {"enum": STATUSES},
    ),
    "visibility": query("visibility", "Narrow by visibility.", {"enum": VISIBILITIES}),
    "sort": query(
        "sort",
        "Order of the list.",
        {"enum": ["newest", "updated", "title", "period", "id"], "default": "newest"},
    ),
    "delimiter": query(
        "delimiter",
        "CSV separator (French Excel likes semicolon).",
        {"enum": ["comma", "semicolon", "tab"], "default": "comma"},
    ),
    "q": query(
        "q",
        'Words to find: "phrases", AND/OR/NOT (ET/OU/SAUF), lieu:, theme:, '
        "narrateur:, prefix*, misspelling~.",
    ),
    "search_place": query("place", "Place ids (repeat or separate by commas)."),
    "search_theme": query("theme", "Theme slugs (repeat or separate by commas)."),
    "search_decade": query("decade", "Decades: 1950 or 1950s (repeat or separate by commas)."),
    "search_kind": query("kind", "Kinds (repeat or separate by commas)."),
    "search_lang": query("lang", "Languages of the stories (repeat or separate by commas)."),
    "narrator": query("narrator", "Narrator ids."),
    "bbox": query("bbox", "west,south,east,north in degrees (WGS84)."),
    "search_sort": query(
        "sort",
        "relevance, oldest, newest or added.",
        {"enum": ["relevance", "oldest", "newest", "added"]},
    ),
    "media": query("media", "The recording whose transcript is wanted (a media id).", INTEGER),
}
LIST_FILTERS = [
    param(n) for n in ("place", "theme", "kind", "lang", "decade", "status", "visibility", "sort")
]
SEARCH_PARAMS = [
    param(n)
    for n in (
        "q",
        "search_place",
        "search_theme",
        "search_decade",
        "search_kind",
        "search_lang",
        "narrator",
        "bbox",
        "search_sort",
    )
]


def _error_response(description: str) -> dict:
    return {"description": description, "content": content(ref("Error"), PROBLEM)}


RESPONSES = {
    "NotModified": {
        "description": "Not modified: the ETag (If-None-Match) or date "
        "(If-Modified-Since) you sent is current."
    },
    "BadRequest": _error_response("A parameter or a body key is not valid; `field` names it."),
    "Unauthorized": _error_response(
        "No token where one is needed, or a token that is not valid (unknown or revoked)."
    ),
    "Forbidden": _error_response("Your role does not allow this."),
    "NotFound": _error_response("No such thing, or not one you may see (the same answer)."),
    "Conflict": _error_response(
        "Not in a state that allows this (already submitted, id taken...)."
    ),
    "PreconditionFailed": _error_response("The story changed since the ETag sent in If-Match."),
    "TooLarge": _error_response("The file, or the story's files together, exceed the limits."),
    "TooManyRequests": _error_response(
        "Too many requests for this token (or address): wait a moment."
    ),
}

READ = errors(304, 400, 401, 429)
STORY_READ = errors(304, 400, 401, 404, 429)
WRITE = errors(400, 401, 403, 404, 409, 429)
ETAG = {"ETag": {"schema": STRING}, "Last-Modified": {"schema": STRING}}

# --- paths ----------------------------------------------------------------------------------

STORY = [param("story_id")]

PATHS: dict[str, dict] = {
    "/stories": {
        "get": operation(
            "listStories",
            "stories",
            "Stories the caller may see",
            {
                "200": ok(
                    "A page of stories, with links to the others.",
                    ref("StoryList"),
                    **ETAG,
                    Link={"schema": STRING},
                ),
                **READ,
            },
            description="Anonymous callers see published public stories; a researcher's token "
            "also researchers-only ones; a contributor's token also their own; a "
            "moderator's token everything. Send If-None-Match to get 304.",
            parameters=[*LIST_FILTERS, param("page"), param("per_page")],
        ),
        "post": operation(
            "createStory",
            "contributions",
            "Contribute a story",
            {
                "201": ok(
                    "The story as created (a draft, or submitted).",
                    ref("Story"),
                    Location={"schema": URI},
                ),
                **WRITE,
            },
            description="The same operation as the web form, in the token's user's name. "
            "`status` is `draft` (default) or `submitted` (then it needs a text or "
            "a file, narrators and consent).",
            body={"required": True, "content": content(ref("StoryInput"))},
            write=True,
        ),
    },
    "/stories/{story_id}": {
        "get": operation(
            "getStory",
            "stories",
            "One story",
            {
                "200": ok(
                    "The story with its media (derivatives only), transcripts, places, "
                    "themes, licence and consent scope.",
                    ref("Story"),
                    **ETAG,
                ),
                **STORY_READ,
            },
            parameters=STORY,
        ),
        "patch": operation(
            "updateStory",
            "contributions",
            "Change some fields of a story",
            {"200": ok("The story as changed.", ref("Story")), **WRITE, **errors(412)},
            description="Contributors change their own drafts and stories sent back; moderators "
            "any story. Keys left out stay as they are. Send the ETag you read as "
            "If-Match to be refused (412) if someone changed it since.",
            parameters=STORY,
            body={"required": True, "content": content(ref("StoryPatch"))},
            write=True,
        ),
    },
    "/stories/{story_id}/media": {
        "post": operation(
            "addStoryMedia",
            "contributions",
            "Add a photo or a recording",
            {
                "201": ok(
                    "The media item; derivatives of recordings are prepared in the background.",
                    ref("Media"),
                ),
                **WRITE,
                **errors(413),
            },
            parameters=STORY,
            body={
                "required": True,
                "content": {"multipart/form-data": {"schema": ref("MediaUpload")}},
            },
            write=True,
        ),
    },
    "/stories/{story_id}/submit": {
        "post": operation(
            "submitStory",
            "contributions",
            "Send a story to the moderators",
            {"200": ok("The story, submitted.", ref("Story")), **WRITE},
            parameters=STORY,
            write=True,
        ),
    },
    "/stories/{story_id}/publish": {
        "post": operation(
            "publishStory",
            "moderation",
            "Publish a submitted story (moderators)",
            {"200": ok("The story, published.", ref("Story")), **WRITE},
            description="Refused (400) when the consent does not cover the story's visibility.",
            parameters=STORY,
            write=True,
        ),
    },
    "/stories/{story_id}/send-back": {
        "post": operation(
            "sendBackStory",
            "moderation",
            "Send a story back with a reason (moderators)",
            {"200": ok("The story, sent back.", ref("Story")), **WRITE},
            parameters=STORY,
            body={"required": True, "content": content(ref("SendBack"))},
            write=True,
        ),
    },
    "/stories/{story_id}/citation": {
        "get": operation(
            "getStoryCitation",
            "citations",
            "How to cite a story",
            {
                "200": {
                    "description": "All formats as JSON without `format`; one format with it.",
                    "content": {
                        JSON: {"schema": ref("Citation")},
                        "text/plain": {"schema": STRING},
                        "application/x-bibtex": {"schema": STRING},
                        "application/vnd.citationstyles.csl+json": {
                            "schema": {"type": "array", "items": ref("CslItem")}
                        },
                    },
                },
                **STORY_READ,
            },
            description="Citations name the archive id and the short URL /s/{id}, so they stay "
            "valid when the title changes.",
            parameters=[
                *STORY,
                query("format", "text, bibtex or csl.", {"enum": ["text", "bibtex", "csl"]}),
            ],
        ),
    },
    "/stories/{story_id}/manifest.json": {
        "get": operation(
            "getStoryManifest",
            "iiif",
            "The story as a IIIF Presentation 3 manifest",
            {
                "200": ok(
                    "Photos as image canvases, recordings as sound canvases, the transcript "
                    "as supplementing annotations on #t=start,end.",
                    ref("IIIFManifest"),
                    LD_JSON,
                ),
                **STORY_READ,
            },
            parameters=STORY,
        ),
    },
    "/stories/{story_id}/dc.xml": {
        "get": operation(
            "getStoryDublinCore",
            "exports",
            "The story as simple Dublin Core (oai_dc)",
            {
                "200": text_ok("An oai_dc XML record.", "application/xml"),
                **errors(400, 401, 404, 429),
            },
            parameters=STORY,
        ),
    },
    "/stories/{story_id}/schema.jsonld": {
        "get": operation(
            "getStoryJsonLd",
            "exports",
            "The story as schema.org JSON-LD",
            {"200": ok("A CreativeWork.", ref("JsonLd"), LD_JSON), **errors(400, 401, 404, 429)},
            parameters=STORY,
        ),
    },
    "/stories/{story_id}/transcript.vtt": {
        "get": operation(
            "getStoryTranscriptWebVTT",
            "exports",
            "A transcript as WebVTT",
            {
                "200": text_ok("WebVTT; withheld passages as a neutral mark.", "text/vtt"),
                **errors(400, 401, 404, 429),
            },
            parameters=[*STORY, param("media")],
        ),
    },
    "/stories/{story_id}/transcript.txt": {
        "get": operation(
            "getStoryTranscriptText",
            "exports",
            "Transcripts as plain text",
            {
                "200": text_ok("One paragraph a segment, with its time when known.", "text/plain"),
                **errors(400, 401, 404, 429),
            },
            parameters=[*STORY, param("media")],
        ),
    },
    "/themes": {
        "get": operation(
            "listThemes",
            "stories",
            "Themes, with counts of the stories the caller may see",
            {"200": ok("Themes by name.", ref("ThemeList"), **ETAG), **READ},
        ),
    },
    "/exports/stories.csv": {
        "get": operation(
            "exportStoriesCsv",
            "exports",
            "A list of stories as CSV",
            {
                "200": text_ok(
                    "UTF-8 with a byte order mark; formulas defused with a leading '.", "text/csv"
                ),
                **errors(400, 401, 429),
            },
            parameters=[*LIST_FILTERS, param("delimiter")],
            description="All stories matching the filters, up to the export limit "
            "(X-Export-Truncated says when it was reached).",
        ),
    },
    "/exports/stories.json": {
        "get": operation(
            "exportStoriesJson",
            "exports",
            "A list of stories as JSON",
            {"200": ok("Flat rows, as in the CSV.", ref("Export")), **errors(400, 401, 429)},
            parameters=LIST_FILTERS,
        ),
    },
    "/exports/search.csv": {
        "get": operation(
            "exportSearchCsv",
            "exports",
            "Search results as CSV",
            {
                "200": text_ok("Every result, best first, with its score.", "text/csv"),
                **errors(400, 401, 429),
            },
            parameters=[*SEARCH_PARAMS, param("delimiter")],
        ),
    },
    "/exports/search.json": {
        "get": operation(
            "exportSearchJson",
            "exports",
            "Search results as JSON",
            {
                "200": ok("Every result, best first, with its score.", ref("Export")),
                **errors(400, 401, 429),
            },
            parameters=SEARCH_PARAMS,
        ),
    },
    "/search": {
        "get": operation(
            "search",
            "search",
            "Search stories, transcripts included",
            {
                "200": ok(
                    "Results with highlighted snippets (HTML: text escaped, words in <mark>), "
                    "transcript passages with their time, facets and a suggestion.",
                    ref("SearchResults"),
                ),
                **errors(400, 401, 429),
            },
            description="French analysis: accents and case folded, word forms (mineurs finds "
            "mineur), phrases, boolean operators, fuzzy matching. Counts and facets "
            "cover only what the caller may see.",
            parameters=[*SEARCH_PARAMS, param("page"), param("per_page")],
        ),
    },
    "/places": {
        "get": operation(
            "listPlaces",
            "places",
            "Places of the gazetteer (type-ahead)",
            {
                "200": ok("Matching places with their count of public stories.", ref("PlaceList")),
                **errors(400, 401, 429),
            },
            parameters=[
                query("q", "Part of a name (accents ignored; other names too)."),
                query("near", "lat,lon: nearest first."),
                query("type", "Place types, separated by commas."),
                query("limit", "At most this many (100 at most).", INTEGER),
            ],
        ),
    },
    "/places/{place_id}": {
        "get": operation(
            "getPlace",
            "places",
            "One place, its outline and the places inside it",
            {"200": ok("The place.", ref("PlaceDetail")), **errors(401, 404, 429)},
            parameters=[path_param("place_id", "The place id.", INTEGER)],
        ),
    },
    "/places.geojson": {
        "get": operation(
            "placesGeoJson",
            "places",
            "Places as GeoJSON",
            {
                "200": ok(
                    "A point per place (or its outline with outlines=1).",
                    ref("FeatureCollection"),
                    GEOJSON,
                ),
                **errors(304, 400, 401, 429),
            },
            parameters=[
                query("type", "Place types, separated by commas."),
                param("bbox"),
                query("outlines", "1 to get outlines instead of points."),
            ],
        ),
    },
    "/map.geojson": {
        "get": operation(
            "mapGeoJson",
            "maps",
            "Stories as GeoJSON points",
            {
                "200": ok(
                    "Each story at the point the caller may see (coarsened as the consent says).",
                    ref("FeatureCollection"),
                    GEOJSON,
                ),
                **errors(304, 400, 401, 429),
            },
            parameters=[param("q"), param("theme"), param("kind"), param("decade"), param("bbox")],
        ),
    },
    "/layers": {
        "get": operation(
            "listLayers",
            "maps",
            "Subjective map layers the caller may see",
            {
                "200": ok("Layers, with their counts per feeling.", ref("LayerList")),
                **errors(401, 429),
            },
        ),
    },
    "/layers.geojson": {
        "get": operation(
            "layersGeoJson",
            "maps",
            "Every feature of every published layer",
            {
                "200": ok(
                    "Features with label, feeling, comment and author.",
                    ref("FeatureCollection"),
                    GEOJSON,
                ),
                **errors(304, 401, 429),
            },
        ),
    },
    "/layers/{layer_id}.geojson": {
        "get": operation(
            "layerGeoJson",
            "maps",
            "One subjective map layer as GeoJSON",
            {
                "200": ok("The layer's features.", ref("FeatureCollection"), GEOJSON),
                **errors(401, 404, 429),
            },
            parameters=[
                path_param("layer_id", "The layer id.", INTEGER),
                query("download", "1 to download it as a file."),
            ],
        ),
    },
    "/feelings.geojson": {
        "get": operation(
            "feelingsGeoJson",
            "maps",
            "Feelings per quartier",
            {
                "200": ok(
                    "A point per quartier with its count per feeling.",
                    ref("FeatureCollection"),
                    GEOJSON,
                ),
                **errors(304, 401, 429),
            },
        ),
    },
    "/exhibitions": {
        "get": operation(
            "listExhibitions",
            "exhibitions",
            "Published exhibitions",
            {"200": ok("Newest first.", ref("ExhibitionList")), **errors(401, 429)},
        ),
    },
    "/exhibitions/{slug}": {
        "get": operation(
            "getExhibition",
            "exhibitions",
            "One published exhibition",
            {
                "200": ok(
                    "Items in order with captions, excerpts, media URLs and credits.",
                    ref("Exhibition"),
                ),
                **errors(401, 404, 429),
            },
            parameters=[path_param("slug", "The exhibition's slug.")],
        ),
    },
    "/exhibitions/{slug}/manifest.json": {
        "get": operation(
            "getExhibitionManifest",
            "exhibitions",
            "An exhibition as a IIIF Presentation 3 manifest",
            {
                "200": ok("The items as canvases, in order.", ref("IIIFManifest"), LD_JSON),
                **errors(401, 404, 429),
            },
            parameters=[path_param("slug", "The exhibition's slug.")],
        ),
    },
    "/openapi.json": {
        "get": operation(
            "getOpenApi",
            "documentation",
            "This description (OpenAPI 3.1)",
            {"200": ok("The description.", ref("OpenAPI"))},
        ),
    },
    "/docs": {
        "get": operation(
            "getDocs",
            "documentation",
            "This description as a page",
            {"200": text_ok("An HTML page.", "text/html")},
        ),
    },
}

SPEC: dict = {
    "openapi": "3.1.0",
    "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
    "info": {
        "title": "Mémoire API",
        "version": "1.0.0",
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
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{}, {"bearerAuth": []}],
    "tags": [
        {"name": "stories", "description": "Reading stories."},
        {"name": "contributions", "description": "Sending stories, as the web form does."},
        {"name": "moderation", "description": "Publishing and sending back (moderators)."},
        {"name": "exports", "description": "CSV, JSON, Dublin Core, JSON-LD, WebVTT, text."},
        {"name": "citations", "description": "How to cite a story."},
        {"name": "iiif", "description": "IIIF Presentation 3 manifests."},
        {"name": "search", "description": "Full-text search."},
        {"name": "places", "description": "The gazetteer."},
        {"name": "maps", "description": "Stories and subjective maps as GeoJSON."},
        {"name": "exhibitions", "description": "Published exhibitions."},
        {"name": "documentation", "description": "This description."},
    ],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "parameters": PARAMETERS,
        "responses": RESPONSES,
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal token (mem_...), stored hashed by the archive.",
            },
        },
    },
}
