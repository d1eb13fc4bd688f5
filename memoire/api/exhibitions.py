"""API resources: published exhibitions as JSON for other displays, and as IIIF manifests.

Only published exhibitions answer, and inside them only the items the rule lets
through now; drafts answer 404 like missing ones. The data is public, so any site
may read it (CORS `*`): IIIF viewers run on other origins. Responses carry an ETag
and must be revalidated, so a display polling them learns at once that an item went.
"""

from __future__ import annotations

from memoire.api.common import conditional, json_response
from memoire.api.openapi import LD_JSON, documented, path_param, reply
from memoire.api.schemas import ExhibitionListSchema, ExhibitionSchema, IIIFManifestSchema
from memoire.api.views import bp
from memoire.exhibitions import iiif
from memoire.exhibitions.operations import (
    get_published_exhibition,
    published_exhibitions,
    visible_items,
)
from memoire.exhibitions.presenters import SiteLinks, exhibition_document

IIIF_MEDIA_TYPE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


def _public(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return conditional(response)


@bp.get("/exhibitions")
@documented(
    "exhibitions",
    operation_id="listExhibitions",
    summary="Published exhibitions",
    responses={200: reply("Newest first.", ExhibitionListSchema)},
    errors=(401, 429),
)
def exhibitions():
    """The published exhibitions, newest first."""
    links = SiteLinks(external=True)
    data = [
        {
            "slug": exhibition.slug,
            "title": exhibition.title,
            "introduction": exhibition.introduction or "",
            "languages": list(exhibition.languages or []),
            "published_at": exhibition.published_at.isoformat() + "Z"
            if exhibition.published_at
            else None,
            "items": len(visible_items(exhibition)),
            "url": links.page(exhibition),
            "api": links.api(exhibition),
            "manifest": links.manifest(exhibition),
        }
        for exhibition in published_exhibitions()
    ]
    return _public(json_response({"exhibitions": data}))


@bp.get("/exhibitions/<slug>")
@documented(
    "exhibitions",
    operation_id="getExhibition",
    summary="One published exhibition",
    responses={
        200: reply("Items in order with captions, excerpts, media URLs and credits.", ExhibitionSchema)
    },
    errors=(401, 404, 429),
    parameters=[path_param("slug", "The exhibition's slug.")],
)
def exhibition(slug: str):
    """One published exhibition: items in order, captions, excerpts, media URLs, credits."""
    document = exhibition_document(get_published_exhibition(slug), SiteLinks(external=True))
    return _public(json_response(document))


@bp.get("/exhibitions/<slug>/manifest.json")
@documented(
    "exhibitions",
    operation_id="getExhibitionManifest",
    summary="An exhibition as a IIIF Presentation 3 manifest",
    responses={200: reply("The items as canvases, in order.", IIIFManifestSchema, LD_JSON)},
    errors=(401, 404, 429),
    parameters=[path_param("slug", "The exhibition's slug.")],
)
def exhibition_manifest(slug: str):
    """The exhibition as a IIIF Presentation 3 Manifest."""
    exhibition = get_published_exhibition(slug)
    links = SiteLinks(external=True)
    document = exhibition_document(exhibition, links)
    manifest = iiif.manifest(document, links.manifest(exhibition))
    return _public(json_response(manifest, mimetype=IIIF_MEDIA_TYPE))
