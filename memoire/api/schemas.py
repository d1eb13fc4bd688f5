"""What the JSON API takes and answers, described once with marshmallow.

The OpenAPI document is generated from these classes (`memoire.api.openapi`), and the
write endpoints load their bodies with them (a story's keys are shared with
`memoire import` in `memoire.stories.schemas`). Answers are built by
`memoire.api.presenters`; `tests/api/test_openapi.py` checks real answers against
these descriptions, and answers are closed, so a field added to an answer (an e-mail,
say) must be described here before it can ship. How a new route declares its schemas:
`docs/api-schemas.md`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields

from memoire.core.errors import ValidationError
from memoire.core.schemas import (
    Answer,
    Closed,
    Object,
    OpenAnswer,
    Text,
    Whole,
    enum_of,
    load,
    nullable,
)
from memoire.extensions import db
from memoire.media.models import DerivativeRole, MediaKind
from memoire.places.models import Place, PlaceType
from memoire.places.operations import check_point
from memoire.stories.models import Kind as StoryKind
from memoire.stories.models import PlaceRole, Precision, Status, Visibility
from memoire.stories.schemas import StoryShape

Str = fields.String
Int = fields.Integer
Num = fields.Float
Bool = fields.Boolean


def Uri(**kwargs) -> fields.Field:  # noqa: N802 (a field, named as the others)
    return fields.String(metadata={"format": "uri", **kwargs.pop("metadata", {})}, **kwargs)


def Moment(**kwargs) -> fields.Field:  # noqa: N802
    return fields.String(metadata={"format": "date-time"}, **kwargs)


def Many(schema, **kwargs) -> fields.Field:  # noqa: N802
    inner = fields.Nested(schema) if not isinstance(schema, fields.Field) else schema
    return fields.List(inner, **kwargs)


def Const(value, **kwargs) -> fields.Field:  # noqa: N802
    return fields.Raw(metadata={"const": value}, **kwargs)


# --- inputs -------------------------------------------------------------------------------


class PlaceRefSchema(Closed):
    id = Whole(required=True)
    role = Text(metadata=enum_of(PlaceRole))


class PlaceRefField(Object):
    """A place of the gazetteer by id: `12` or `{"id": 12, "role": "told"}` → (Place, role)."""

    def __init__(self, **kwargs):
        super().__init__(
            PlaceRefSchema, where=_l("a place"), as_one=True,
            metadata={"also": [{"type": "integer"}]}, **kwargs,
        )  # fmt: skip

    def _deserialize(self, value, attr, data, **kwargs) -> tuple[Place, str]:
        if isinstance(value, int) and not isinstance(value, bool):
            value = {"id": value}
        loaded = super()._deserialize(value, attr, data, **kwargs)
        place = db.session.get(Place, loaded["id"])
        if place is None:
            raise ValidationError(_l("No place with the id %(id)s.", id=loaded["id"]), field=self.key)
        return place, loaded.get("role", PlaceRole.happened.value)


class StoryPatchSchema(StoryShape):
    """Keys of a story to change; keys left out stay as they are."""

    places = fields.List(
        PlaceRefField(), metadata={"description": "Places of the gazetteer by id (see /places)."}
    )
    external_id = nullable(Text())


class StoryInputSchema(StoryPatchSchema):
    """A new story: a draft, or submitted at once."""

    title = Text(required=True, metadata={"maxLength": 500})
    status = Text(metadata=enum_of([Status.draft, Status.submitted]))


def story_changes(body, *, allowed_extra: tuple[str, ...] = ()) -> dict:
    """StoryInput fields from a JSON body; ValidationError naming the first bad key."""
    if isinstance(body, dict):
        body = {key: value for key, value in body.items() if key not in allowed_extra}
    changes = load(StoryPatchSchema(), body)
    if "lat" in changes or "lon" in changes:
        lat, lon = changes.get("lat"), changes.get("lon")
        if (lat is None) != (lon is None):
            raise ValidationError(_l("Give both lat and lon, or neither."), field="lat")
        if lat is not None:
            changes["lat"], changes["lon"] = check_point(lat, lon)
    return changes


class SendBackSchema(Closed):
    reason = Str(required=True, validate=lambda text: bool(text), metadata={"minLength": 1})


class MediaUploadSchema(Closed):
    file = Str(required=True, metadata={"contentMediaType": "application/octet-stream"})
    caption = Str()
    alt_text = Str()


# --- answers: errors and pages --------------------------------------------------------------


class ErrorBodySchema(Answer):
    OPTIONAL = ("field", "line")
    code = Str(metadata={"examples": ["invalid", "not_found", "unauthorized"]})
    message = Str(metadata={"description": "For people, in their language."})
    status = Int()
    field = Str(metadata={"description": "The parameter or body key at fault."})
    line = Int()


class ErrorSchema(Answer):
    error = fields.Nested(ErrorBodySchema)


class PageLinksSchema(Answer):
    self = Uri()
    first = Uri()
    last = Uri()
    next = nullable(Uri())
    prev = nullable(Uri())


# --- stories --------------------------------------------------------------------------------


class PeriodSchema(Answer):
    """When the memory took place, fuzzy: years, and the words people used."""

    start = nullable(Int())
    end = nullable(Int())
    text = nullable(Str())
    approximate = Bool()
    label = nullable(Str())


class ThemeSchema(Answer):
    slug = Str()
    name = Str()
    label = Str()


class ThemeCountSchema(ThemeSchema):
    story_count = Int()


class ThemeNamedSchema(ThemeSchema):
    """A theme and its names in the other interface languages (`label` falls back to `name`)."""

    names = fields.Dict(keys=Str(), values=Str())


class ThemeNamesSchema(Closed):
    """A theme's name per interface language; keys left out stay as they are, an empty text
    removes a translation (the default language's name cannot be emptied)."""

    fr = nullable(Text(metadata={"maxLength": 80}))
    nl = nullable(Text(metadata={"maxLength": 80}))
    en = nullable(Text(metadata={"maxLength": 80}))


class StoryPlaceSchema(Answer):
    id = Int()
    name = Str()
    type = Str(metadata=enum_of(PlaceType))
    role = Str(metadata=enum_of(PlaceRole))
    url = Uri()


class PointSchema(Answer):
    """Exact for moderators; for everyone else coarsened as the consent says (about 100 m
    for "street", the quartier for "quartier")."""

    lat = Num()
    lon = Num()
    precision = Str(metadata=enum_of(Precision))


class NarratorSchema(Answer):
    """A narrator by the display name they chose; nothing else."""

    name = Str()
    pseudonym = Bool()


class StoryLinksSchema(Answer):
    """Where to find the story: its page, stable short URL and other formats."""

    self = Uri()
    page = Uri()
    short = Uri()
    manifest = Uri()
    citation = Uri()
    dublin_core = Uri()
    json_ld = Uri()


class StorySummarySchema(Answer):
    id = Int(metadata={"description": "The archive id: stable, cited by the short URL."})
    external_id = nullable(Str())
    title = Str()
    summary = Str()
    kind = Str(metadata=enum_of(StoryKind))
    kind_label = Str()
    language = Str()
    period = fields.Nested(PeriodSchema)
    themes = Many(ThemeSchema)
    places = Many(
        StoryPlaceSchema,
        metadata={
            "description": "The places the caller may see (a story whose precision is "
            '"quartier" does not name its street to the public).'
        },
    )
    point = nullable(fields.Nested(PointSchema))
    narrators = Many(NarratorSchema)
    licence = Str()
    status = Str(metadata=enum_of(Status))
    visibility = Str(metadata=enum_of(Visibility))
    published_at = nullable(Moment())
    updated_at = nullable(Moment())
    thumbnail = nullable(Uri())
    links = fields.Nested(StoryLinksSchema)


class DerivativeSchema(Answer):
    url = Uri()
    mime = Str()
    size = Int()
    width = nullable(Int())
    height = nullable(Int())


class MediaSchema(Answer):
    id = Int()
    kind = Str(metadata=enum_of(MediaKind))
    position = Int()
    caption = Str()
    alt_text = Str()
    width = nullable(Int())
    height = nullable(Int())
    duration = nullable(Num())
    processing = Str(metadata=enum_of(["ready", "pending"]))
    derivatives = fields.Dict(
        keys=Str(),
        values=fields.Nested(DerivativeSchema),
        metadata={
            "propertyNames": enum_of(DerivativeRole),
            "description": "Files made for browsers; originals are never offered.",
        },
    )


class SegmentSchema(Answer):
    start = nullable(Num())
    end = nullable(Num())
    speaker = nullable(Str())
    text = Str(metadata={"description": "A withheld passage reads as a neutral mark."})
    redacted = Bool()


class TranscriptLinksSchema(Answer):
    webvtt = Uri()
    text = Uri()


class TranscriptSchema(Answer):
    id = Int()
    media_id = nullable(Int())
    language = Str()
    timed = Bool()
    machine_draft = Bool(metadata={"description": "An automatic transcription, not reviewed."})
    segments = Many(SegmentSchema)
    links = fields.Nested(TranscriptLinksSchema)


class ConsentSchema(Answer):
    """What the narrator agreed to; never who agreed, when or how."""

    online_publication = Bool()
    research_use = Bool()
    exhibition_use = Bool()
    licence = Str()


class AnsweredStorySchema(Answer):
    """The story a response answers, told only while the caller may see that story."""

    id = Int()
    title = Str()
    at = nullable(Num(metadata={"description": "The second of its recording the answer speaks to."}))
    url = Uri(metadata={"description": "The answered story in this API."})
    page = Uri(metadata={"description": "The answered story's page."})


class StorySchema(StorySummarySchema):
    OPTIONAL = ("moderation_note",)
    body = Str(metadata={"description": "Markdown, as written; sanitise before showing it as HTML."})
    recorded_on = nullable(Str(metadata={"format": "date"}))
    created_at = nullable(Moment())
    media = Many(MediaSchema)
    transcripts = Many(TranscriptSchema)
    consent = fields.Nested(ConsentSchema)
    answers = nullable(
        fields.Nested(
            AnsweredStorySchema,
            metadata={"description": "What this story answers; null when nothing, or when the "
                      "caller may not see the story it answers."},
        )
    )
    moderation_note = Str(
        metadata={"description": "Why the story was sent back (its contributor and moderators only)."}
    )


class StoryListSchema(Answer):
    stories = Many(StorySummarySchema)
    total = Int()
    page = Int()
    per_page = Int()
    pages = Int()
    links = fields.Nested(PageLinksSchema)


class ThemeListSchema(Answer):
    themes = Many(ThemeCountSchema)


# --- citations, IIIF, JSON-LD, exports ------------------------------------------------------


class CslDateSchema(Answer):
    date_parts = fields.List(fields.List(Int()), data_key="date-parts")


class CslAuthorSchema(Answer):
    literal = Str()


class CslItemSchema(Answer):
    """A CSL-JSON item (Zotero, Pandoc, citeproc)."""

    OPTIONAL = (
        "genre", "language", "publisher", "archive", "archive_location", "accessed", "issued",
        "license", "author",
    )  # fmt: skip
    id = Str()
    type = Str()
    title = Str()
    genre = Str()
    language = Str()
    URL = Uri()
    publisher = Str()
    archive = Str()
    archive_location = Str()
    accessed = fields.Nested(CslDateSchema)
    issued = fields.Nested(CslDateSchema)
    license = Str()
    author = Many(CslAuthorSchema)


class CitationSchema(Answer):
    short_url = Uri()
    text = Str()
    bibtex = Str()
    csl = fields.Nested(CslItemSchema)


class IIIFManifestSchema(OpenAnswer):
    """IIIF Presentation 3 (https://iiif.io/api/presentation/3.0/)."""

    REQUIRED = ("@context", "id", "type", "label", "items")
    context = Const("http://iiif.io/api/presentation/3/context.json", data_key="@context")
    id = Uri()
    type = Const("Manifest")
    label = fields.Dict()
    items = fields.List(fields.Raw(), metadata={"minItems": 1})


class JsonLdSchema(OpenAnswer):
    """schema.org CreativeWork; recordings as AudioObject in associatedMedia, places as
    contentLocation (coarsened point)."""

    REQUIRED = ("@context", "@type", "@id", "name", "identifier")
    context = Const("https://schema.org", data_key="@context")
    type_ = Const("CreativeWork", data_key="@type")
    id_ = Uri(data_key="@id")
    name = Str()
    identifier = Str()


class ExportRowSchema(Answer):
    """One story, flat: lists are joined with "; "."""

    OPTIONAL = (
        "external_id", "summary", "body", "kind", "language", "period_start", "period_end",
        "period_text", "narrators", "themes", "places", "place_ids", "lat", "lon", "precision",
        "licence", "published_at", "updated_at", "api_url", "score",
    )  # fmt: skip
    id = Int()
    external_id = Str()
    title = Str()
    summary = Str()
    body = Str()
    kind = Str()
    language = Str()
    period_start = nullable(Int())
    period_end = nullable(Int())
    period_text = Str()
    narrators = Str()
    themes = Str()
    places = Str()
    place_ids = Str()
    lat = nullable(Num())
    lon = nullable(Num())
    precision = Str()
    licence = Str()
    published_at = Str()
    updated_at = Str()
    url = Uri()
    short_url = Uri()
    api_url = Uri()
    score = Num()


class ExportSchema(Answer):
    exported_at = Moment()
    count = Int()
    truncated = Bool()
    stories = Many(ExportRowSchema)


# --- search ---------------------------------------------------------------------------------


class SearchSegmentSchema(Answer):
    """A transcript passage where the words are said, or a chapter about them; `url` plays
    from there."""

    start = nullable(Num())
    end = nullable(Num())
    speaker = nullable(Str())
    snippet = Str()
    url = Str()
    chapter = nullable(Str(metadata={
        "description": "The chapter's title when the words are in a chapter (title, synopsis, "
                       "keywords, subjects) rather than in what was said; null for a passage."}))


class SearchPlaceSchema(Answer):
    id = Int()
    name = Str()
    type = Str()


class SearchResultSchema(OpenAnswer):
    REQUIRED = ("id", "title", "title_html", "score", "url", "kind", "snippet", "segments", "places")
    id = Int()
    title = Str()
    title_html = Str()
    score = Num()
    url = Str()
    kind = Str()
    snippet = nullable(Str())
    segments = Many(SearchSegmentSchema)
    places = Many(SearchPlaceSchema)


class FacetValueSchema(OpenAnswer):
    REQUIRED = ("value", "label", "count")
    value = Str()
    label = Str()
    count = Int()
    selected = Bool()


class DraftPassageSchema(Answer):
    """A passage of an unreviewed machine draft (staff, mediators and researchers only)."""

    story_id = Int()
    title = Str()
    start = nullable(Num())
    snippet = Str()
    url = Str()


class SearchResultsSchema(OpenAnswer):
    REQUIRED = ("total", "results")
    total = Int()
    page = Int()
    per_page = Int()
    pages = Int()
    sort = Str()
    results = Many(SearchResultSchema)
    facets = fields.Dict(
        keys=Str(),
        values=Many(FacetValueSchema),
        metadata={"description": "By facet (place, theme, decade, kind, language, narrator, "
                                 "organisation, workshop). Organisation and workshop count "
                                 "public stories only, whoever asks."},
    )
    suggestion = nullable(Str())
    fuzzy = Bool()
    draft_passages = Many(
        DraftPassageSchema,
        metadata={"description": "Only for those who may read unreviewed machine drafts: "
                                 "passages of drafts holding every word, outside the counts."},
    )


# --- places ---------------------------------------------------------------------------------


class PlaceParentSchema(Answer):
    id = Int()
    name = Str()


class PlaceSchema(OpenAnswer):
    REQUIRED = ("id", "name", "type", "lat", "lon", "url", "story_count")
    id = Int()
    name = Str()
    other_names = fields.List(Str())
    type = Str(metadata=enum_of(PlaceType))
    lat = nullable(Num())
    lon = nullable(Num())
    has_outline = Bool()
    parent = nullable(fields.Nested(PlaceParentSchema))
    url = Str()
    story_count = Int(metadata={"description": "Public stories."})
    external_id = nullable(Str())
    osm_id = nullable(Str())
    geonames_id = nullable(Str())
    wikidata_id = nullable(Str())
    matched_name = Str()
    distance_m = Num()


class PlaceListSchema(Answer):
    places = Many(PlaceSchema)
    count = Int()


class PlaceChildSchema(Answer):
    id = Int()
    name = Str()
    type = Str()
    story_count = Int()


class PlaceDetailSchema(PlaceSchema):
    REQUIRED = (*PlaceSchema.REQUIRED, "children")
    outline = nullable(fields.Dict())
    children = Many(PlaceChildSchema)


# --- maps -----------------------------------------------------------------------------------


class GeometrySchema(OpenAnswer):
    REQUIRED = ("type",)
    type = Str()


class FeatureSchema(OpenAnswer):
    REQUIRED = ("type", "geometry", "properties")
    type = Const("Feature")
    id = fields.Raw(metadata={"type": ["integer", "string"]})
    geometry = fields.Nested(GeometrySchema)
    properties = fields.Dict()


class FeatureCollectionSchema(OpenAnswer):
    """GeoJSON (RFC 7946), WGS84 longitude, latitude."""

    REQUIRED = ("type", "features")
    type = Const("FeatureCollection")
    features = Many(FeatureSchema)


class LayerSchema(OpenAnswer):
    REQUIRED = ("id", "title", "status", "feature_count", "geojson_url")
    id = Int()
    title = Str()
    group = nullable(Str())
    description = nullable(Str())
    status = Str()
    status_label = Str()
    feature_count = Int()
    feelings = fields.Dict(keys=Str(), values=Int())
    url = Str()
    geojson_url = Str()
    updated_at = nullable(Str())


class LayerListSchema(Answer):
    layers = Many(LayerSchema)


# --- exhibitions ----------------------------------------------------------------------------


class ExhibitionSummarySchema(OpenAnswer):
    REQUIRED = ("slug", "title", "url", "api", "manifest")
    slug = Str()
    title = Str()
    introduction = Str()
    languages = fields.List(Str())
    published_at = nullable(Str())
    items = Int()
    url = Uri()
    api = Uri()
    manifest = Uri()


class ExhibitionListSchema(Answer):
    exhibitions = Many(ExhibitionSummarySchema)


class ExhibitionStorySchema(OpenAnswer):
    REQUIRED = ("id", "title", "url")
    id = Int()
    title = Str()
    url = Str()


class ExhibitionItemSchema(OpenAnswer):
    REQUIRED = ("position", "story", "licence", "credit")
    position = Int()
    id = Int()
    caption = Str()
    story = fields.Nested(ExhibitionStorySchema)
    photo = nullable(fields.Dict())
    audio = nullable(fields.Dict())
    transcript = fields.List(fields.Dict())
    narrators = fields.List(Str())
    licence = Str()
    credit = Str()


class ExhibitionSchema(OpenAnswer):
    REQUIRED = ("slug", "title", "items", "url", "manifest")
    slug = Str()
    title = Str()
    introduction = Str()
    languages = fields.List(Str())
    language = Str()
    status = Str()
    published_at = nullable(Str())
    url = Uri()
    manifest = Uri()
    cover = nullable(fields.Dict())
    items = Many(ExhibitionItemSchema)


class OpenAPISchema(OpenAnswer):
    REQUIRED = ("openapi", "info", "paths")
    openapi = Str()
    info = fields.Dict()
    paths = fields.Dict()


# --- walks ----------------------------------------------------------------------------------


class WalkPointSchema(Answer):
    """The story's PUBLIC, coarsened point (WGS84), never the exact one."""

    lat = Num()
    lon = Num()


class WalkStopSchema(ExhibitionItemSchema):
    """A stop: an exhibition item (story, excerpt, credit) with its text and point."""

    REQUIRED = ("position", "story", "text", "point", "licence", "credit")
    text = Str()
    point = fields.Nested(WalkPointSchema)


class WalkSchema(OpenAnswer):
    """A published walk: stops in walking order, its length and walking time."""

    REQUIRED = ("slug", "title", "stops", "length_m", "walking_minutes")
    slug = Str()
    title = Str()
    introduction = Str()
    status = Str()
    published_at = nullable(Str())
    url = nullable(Uri())
    length_m = Int(metadata={"description": "Along the line through the stops (haversine)."})
    walking_minutes = Int(metadata={"description": "At walking_speed_kmh."})
    walking_speed_kmh = Num()
    stops = Many(WalkStopSchema)


class WalkSummarySchema(OpenAnswer):
    REQUIRED = ("slug", "title", "url", "api", "geojson")
    slug = Str()
    title = Str()
    stops = Int()
    length_m = Int()
    walking_minutes = Int()
    url = Uri()
    api = Uri()
    geojson = Uri()


class WalkListSchema(Answer):
    walks = Many(WalkSummarySchema)
