"""API resources: search (`/api/v1/search`).

`/api/v1/map.geojson?q=` lives in `memoire.api.maps` and asks `service.search_story_ids`.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from memoire.api.openapi import SEARCH_PARAMS, documented, reply
from memoire.api.schemas import SearchResultsSchema
from memoire.api.views import bp
from memoire.asr.search import draft_passages
from memoire.search import service
from memoire.search.query import parse_params
from memoire.transcripts.visibility import may_read_drafts

#: The API names the story-language filter `lang`, as the specification writes it.
LANGUAGE_PARAMS = ("lang", "language")


def _result(result: service.StoryResult) -> dict:
    return {
        "id": result.story.id,
        "title": result.story.title,
        "title_html": str(result.title),
        "score": round(result.score, 4),
        "url": result.url,
        "kind": result.story.kind,
        "snippet": str(result.snippet) if result.snippet is not None else None,
        "segments": [
            {
                "start": s.start,
                "end": s.end,
                "speaker": s.speaker,
                "snippet": str(s.snippet),
                "url": s.url,
                "chapter": s.chapter,
            }
            for s in result.segments
        ],
        "places": [{"id": p.id, "name": p.name, "type": p.type} for p in result.places],
    }


@bp.get("/search")
@documented(
    "search",
    operation_id="search",
    summary="Search stories, transcripts included",
    description="French analysis: accents and case folded, word forms (mineurs finds mineur), "
    "phrases, boolean operators, fuzzy matching. Counts and facets cover only what the caller "
    "may see.",
    responses={
        200: reply(
            "Results with highlighted snippets (HTML: text escaped, words in <mark>), transcript "
            "passages with their time, facets and a suggestion.",
            SearchResultsSchema,
        )
    },
    errors=(400, 401, 429),
    parameters=[*SEARCH_PARAMS, "page", "per_page"],
)
def search():
    """Stories matching a search, with snippets, transcript times, facets and a suggestion.

    Snippets are HTML: the story's text escaped, the matched words in `<mark>`.
    """
    query = parse_params(request.args, language_params=LANGUAGE_PARAMS)
    page = service.search(current_user, query)
    extra = {}
    if may_read_drafts(current_user) and query.page == 1:
        extra["draft_passages"] = [
            {"story_id": p.story_id, "title": p.title, "start": p.start, "snippet": str(p.snippet),
             "url": service.story_url(p.story_id, p.start)}
            for p in draft_passages(current_user, query.text)
        ]
    return jsonify(
        {
            **extra,
            "total": page.total,
            "page": query.page,
            "per_page": query.per_page,
            "pages": page.pages,
            "sort": query.sort,
            "results": [_result(r) for r in page.results],
            "facets": {
                name: [
                    {k: v for k, v in value.__dict__.items() if v is not None} for value in values
                ]
                for name, values in page.facets.items()
            },
            "suggestion": page.suggestion,
            "fuzzy": page.fuzzy,
        }
    )
