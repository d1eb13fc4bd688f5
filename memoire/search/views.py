"""Web views of the search domain: the `/search` page, usable without JavaScript."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from memoire.asr.search import draft_passages
from memoire.core.errors import ValidationError
from memoire.extensions import db
from memoire.search import service
from memoire.search.backend import SORTS
from memoire.search.query import TIP_WORDS
from memoire.stories.models import Story
from memoire.stories.visibility import visible_clause

bp = Blueprint("search", __name__, url_prefix="/search")

#: Filters carried from one search to the next (the interface language is `lang`, so the
#: story-language filter is called `language` here).
FILTER_PARAMS = (
    "place", "theme", "decade", "kind", "language", "narrator", "organisation", "workshop", "bbox",
)  # fmt: skip
FACET_TITLES = {
    "place": _l("Places"),
    "theme": _l("Themes"),
    "decade": _l("Decades"),
    "kind": _l("Kinds"),
    "language": _l("Languages"),
    "narrator": _l("Narrators"),
    "organisation": _l("Houses and organisations"),
    "workshop": _l("Workshops"),
}
SORT_LABELS = {
    "relevance": _l("Relevance"),
    "oldest": _l("Period, oldest first"),
    "newest": _l("Period, most recent first"),
    "added": _l("Recently added"),
}


def _url(**changes) -> str:
    """This search's URL with some parameters changed (None removes one); back to page 1."""
    args = {k: request.args.getlist(k) for k in request.args if k not in ("page", "lang")}
    args.update({k: v for k, v in changes.items()})
    if "page" not in changes:
        args.pop("page", None)
    return url_for(
        "search.search_page", **{k: v for k, v in args.items() if v not in (None, [], "")}
    )


def _toggle_url(name: str, value: str) -> str:
    """Add this facet value to the filters, or take it away when already chosen."""
    chosen = [v for raw in request.args.getlist(name) for v in raw.split(",") if v]
    values = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
    return _url(**{name: values or None})


def _period_range_url() -> str | None:
    """The period range's two handles (`decade_from`, `decade_to`) as one `decade=1950-1970`
    filter in place of any chosen decades, so every link of the page carries one filter."""
    ends = [request.args.get(k, "").strip() for k in ("decade_from", "decade_to")]
    ends = [end for end in ends if end] or None
    if ends is None:
        return None
    if len(ends) == 2 and all(end.isdigit() for end in ends):
        ends = sorted(ends, key=int)
    return _url(decade=f"{ends[0]}-{ends[-1]}", decade_from=None, decade_to=None)


def _archive_decades() -> list[int]:
    """The first and last decade the viewer's stories are filed under (see `decade_of`):
    the range's ends, which stay put however narrow the chosen period is."""
    low, high = db.session.execute(
        select(func.min(Story.period_start), func.max(Story.period_start)).where(
            visible_clause(current_user)
        )
    ).one()
    return [year - year % 10 for year in (low, high) if year is not None]


def _period_range(page) -> dict | None:
    """Bounds and values of the period range: the archive's decades, and the chosen ones."""
    if page is None:
        return None
    chosen = list(page.query.decades)
    known = sorted({*_archive_decades(), *chosen})
    if len(known) < 2:
        return None
    return {
        "min": known[0],
        "max": known[-1],
        "low": min(chosen) if chosen else known[0],
        "high": max(chosen) if chosen else known[-1],
        "hidden": [(k, v) for k in FILTER_PARAMS if k != "decade" for v in request.args.getlist(k)],
    }


@bp.get("")
def search_page():
    redirect_to = _period_range_url()
    if redirect_to:
        return redirect(redirect_to)
    error = None
    page = None
    try:
        page = service.search(current_user, request.args)
    except ValidationError as problem:
        error = problem.message
    geojson = service.features_for(current_user, [r.story for r in page.results]) if page else None
    hidden = [(k, v) for k in FILTER_PARAMS for v in request.args.getlist(k)]
    # The exports take the same search; `lang` there filters stories, so it is not carried.
    kept = {k: request.args.getlist(k) for k in request.args if k not in ("page", "lang", "per_page")}
    exports = None
    if page is not None and page.total:
        exports = {fmt: url_for("api.export_search", fmt=fmt, **kept) for fmt in ("csv", "json")}
    drafts = [
        {"title": p.title, "start": p.start, "snippet": p.snippet,
         "url": service.story_url(p.story_id, p.start)}
        for p in draft_passages(current_user, request.args.get("q", ""))
    ] if page is not None and page.query.page == 1 else []
    tips = TIP_WORDS.get(str(get_locale() or "fr").split("_")[0], TIP_WORDS["fr"])
    html = render_template(
        "search/search.html",
        page=page,
        error=error,
        q=request.args.get("q", ""),
        sort=request.args.get("sort", ""),
        hidden=hidden,
        geojson=geojson,
        facet_titles=FACET_TITLES,
        sorts=[(key, SORT_LABELS[key]) for key in SORTS if key != "relevance"],
        exports=exports,
        drafts=drafts,
        tips=tips,
        facet_url=_toggle_url,
        page_url=lambda number: _url(page=number),
        suggestion_url=_url(q=page.suggestion) if page and page.suggestion else None,
        bbox_clear_url=_url(bbox=None) if request.args.get("bbox") else None,
        period=_period_range(page),
    )
    return html, 400 if error else 200
