"""Jinja globals and filters shared by every page."""

from __future__ import annotations

import nh3
from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from markupsafe import Markup

LOCALE_LABELS = {"fr": "Français", "nl": "Nederlands", "en": "English"}

KIND_LABELS = {
    "oral_history": _l("Oral history"),
    "photo": _l("Photo"),
    "anecdote": _l("Anecdote"),
    "heritage": _l("Heritage"),
}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})
_ALLOWED_TAGS = {
    "p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a", "h2", "h3", "h4",
    "code", "pre", "hr",
}


def render_markdown(text: str | None) -> Markup:
    """Markdown to HTML, then sanitised with nh3: users' text never carries markup of its own."""
    html = _markdown.render(text or "")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow ugc",
    )
    return Markup(clean)


def format_seconds(value: float | None) -> str:
    if value is None:
        return ""
    total = int(value)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


#: What staff lists say of a story the public cannot see (status first, then who may see it).
ACCESS_STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Awaiting review"),
    "rejected": _l("Sent back"),
    "withdrawn": _l("Withdrawn"),
}
ACCESS_VISIBILITY_LABELS = {"researchers": _l("Researchers only"), "private": _l("Private")}


def access_label(story) -> str:
    """'' for a public, published story; else its status and visibility, so nobody in a
    list mistakes a draft or a private story for a public one."""
    parts = [
        str(ACCESS_STATUS_LABELS[story.status]) if story.status in ACCESS_STATUS_LABELS else "",
        str(ACCESS_VISIBILITY_LABELS[story.visibility]) if story.visibility in ACCESS_VISIBILITY_LABELS else "",
    ]
    return " · ".join(p for p in parts if p)


def format_day(value) -> str:
    """A date in the reader's language: 14 mars 2025, 14 maart 2025, 14 March 2025."""
    if value is None:
        return ""
    from flask_babel import format_date

    return format_date(value, "long")


def _locale_links() -> list[tuple[str, str, str, bool]]:
    current = str(get_locale() or "fr")
    args = dict(request.args)
    links = []
    for code, label in LOCALE_LABELS.items():
        args["lang"] = code
        try:
            url = url_for(request.endpoint or "web.home", **(request.view_args or {}), **args)
        except Exception:  # an endpoint needing args we do not have: fall back to home
            url = url_for("web.home", lang=code)
        links.append((code, label, url, code == current))
    return links


def init_app(app: Flask) -> None:
    from memoire.stories.periods import period_label

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["seconds"] = format_seconds
    app.jinja_env.filters["kind_label"] = kind_label
    app.jinja_env.filters["access_label"] = access_label
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["period_label"] = period_label
    app.jinja_env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}

    @app.context_processor
    def _globals() -> dict:
        return {
            "current_locale": str(get_locale() or "fr"),
            "locale_links": _locale_links() if request else [],
        }
