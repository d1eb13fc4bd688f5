"""How to cite a story: a short URL that never changes, and text, BibTeX and CSL-JSON built on it.

A citation names the story by its archive id and its short URL (`/s/<id>`), never by
a slug of its title, so a citation written today still leads to the story after
its title is corrected. The title in the citation is the one of the day it was made,
as for any cited work.
"""

from __future__ import annotations

import json
from datetime import datetime

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from memoire.core.db import utcnow
from memoire.extensions import db
from memoire.stories.models import Kind, Story
from memoire.stories.visibility import may_view
from memoire.web.templating import kind_label

bp = Blueprint("citation", __name__)

#: Formats of `/api/v1/stories/<id>/citation?format=`, with their media types.
FORMATS = {
    "text": "text/plain",
    "bibtex": "application/x-bibtex",
    "csl": "application/vnd.citationstyles.csl+json",
}
ARCHIVE_NAME = "Mémoire — Réseau Hainaut Solidaire"
#: CSL item types by story kind.
CSL_TYPES = {
    Kind.oral_history.value: "interview",
    Kind.photo.value: "graphic",
    Kind.anecdote.value: "manuscript",
    Kind.heritage.value: "manuscript",
}
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@bp.get("/s/<int:story_id>")
def short(story_id: int):
    """The stable address of a story: a permanent redirect to its page (`?t=` kept)."""
    story = db.session.get(Story, story_id)
    if story is None or not may_view(current_user, story):
        abort(404)
    return redirect(url_for("stories.show", story_id=story.id, **request.args), 301)


def archive_name() -> str:
    return str(current_app.config.get("MEMOIRE_ARCHIVE_NAME") or ARCHIVE_NAME)


def short_url(story: Story) -> str:
    """The short URL on the archive's public address (BASE_URL, else the request's own)."""
    from memoire.config import public_base_url

    base = public_base_url()
    return base + url_for("citation.short", story_id=story.id, _external=False)


def _issued(story: Story) -> datetime | None:
    return story.published_at or story.created_at


def _authors(story: Story) -> list[str]:
    return [person.display_name for person in story.narrators]


def text(story: Story, accessed: datetime | None = None) -> str:
    """A plain citation in the interface language."""
    accessed = accessed or utcnow()
    issued = _issued(story)
    parts = []
    if authors := _authors(story):
        parts.append(", ".join(authors))
    if issued is not None:
        parts.append(f"({issued.year})")
    head = " ".join(parts)
    citation = _(
        "%(title)s [%(kind)s]. %(archive)s, story %(id)s. %(url)s (accessed %(date)s).",
        title=story.title,
        kind=kind_label(story.kind),
        archive=archive_name(),
        id=story.id,
        url=short_url(story),
        date=accessed.date().isoformat(),
    )
    if workshop := _workshop(story):
        citation += " " + _(
            "Collected at the workshop %(workshop)s (%(date)s).",
            workshop=workshop.title, date=workshop.starts_on.isoformat(),
        )
    return f"{head}. {citation}" if head else citation


def _workshop(story: Story):
    """The workshop the story was collected at (memoire.network), or None."""
    from memoire.network.operations import workshop_of_story

    return workshop_of_story(story.id)


def _bibtex_escape(value: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in " ".join(value.split()))


def bibtex(story: Story, accessed: datetime | None = None) -> str:
    """A `@misc` entry keyed on the archive id, so the key survives a new title."""
    accessed = accessed or utcnow()
    issued = _issued(story)
    fields = []
    if authors := _authors(story):
        fields.append(("author", " and ".join(_bibtex_escape(a) for a in authors)))
    # Double braces keep the title's capitals as written.
    fields.append(("title", "{" + _bibtex_escape(story.title) + "}"))
    if issued is not None:
        fields.append(("year", str(issued.year)))
    fields += [
        ("howpublished", _bibtex_escape(f"{archive_name()}, {kind_label(story.kind)}")),
        ("url", short_url(story)),
        ("urldate", accessed.date().isoformat()),
        ("language", _bibtex_escape(story.language)),
        ("note", _bibtex_escape(f"Archive id {story.id}; {story.licence}" + (
            f"; workshop: {workshop.title}, {workshop.starts_on.isoformat()}"
            if (workshop := _workshop(story)) else ""))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{memoire-{story.id},\n{body}\n}}\n"


def _date_parts(moment: datetime) -> dict:
    return {"date-parts": [[moment.year, moment.month, moment.day]]}


def csl_json(story: Story, accessed: datetime | None = None) -> dict:
    """A CSL-JSON item (what Zotero, Pandoc and citeproc read)."""
    accessed = accessed or utcnow()
    item = {
        "id": f"memoire-{story.id}",
        "type": CSL_TYPES.get(story.kind, "manuscript"),
        "title": story.title,
        "genre": kind_label(story.kind),
        "language": story.language,
        "URL": short_url(story),
        "publisher": archive_name(),
        "archive": archive_name(),
        "archive_location": str(story.id),
        "accessed": _date_parts(accessed),
        "license": story.licence,
    }
    if authors := _authors(story):
        item["author"] = [{"literal": name} for name in authors]
    if (issued := _issued(story)) is not None:
        item["issued"] = _date_parts(issued)
    return item


def all_formats(story: Story) -> dict:
    accessed = utcnow()
    return {
        "short_url": short_url(story),
        "text": text(story, accessed),
        "bibtex": bibtex(story, accessed),
        "csl": csl_json(story, accessed),
    }


@bp.app_template_global("story_citation")
def story_citation(story: Story) -> dict:
    """For the "cite this" block of a story page: the three formats, CSL as indented JSON."""
    formats = all_formats(story)
    formats["csl_text"] = json.dumps([formats["csl"]], ensure_ascii=False, indent=2)
    return formats
