"""API resources: published exhibitions as JSON for other displays, and as IIIF manifests.

Only published exhibitions answer, and inside them only the items the rule lets
through now; drafts answer 404 like missing ones. The data is public, so any site
may read it (CORS `*`): IIIF viewers run on other origins. Responses carry an ETag
and must be revalidated, so a display polling them learns at once that an item went.
"""

from __future__ import annotations

from memoire.api.common import conditional, json_response
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
def exhibition(slug: str):
    """One published exhibition: items in order, captions, excerpts, media URLs, credits."""
    document = exhibition_document(get_published_exhibition(slug), SiteLinks(external=True))
    return _public(json_response(document))


@bp.get("/exhibitions/<slug>/manifest.json")
def exhibition_manifest(slug: str):
    """The exhibition as a IIIF Presentation 3 Manifest."""
    exhibition = get_published_exhibition(slug)
    links = SiteLinks(external=True)
    document = exhibition_document(exhibition, links)
    manifest = iiif.manifest(document, links.manifest(exhibition))
    return _public(json_response(manifest, mimetype=IIIF_MEDIA_TYPE))
