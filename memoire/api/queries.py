"""Story lists from query arguments, for the API and the exports: always through `visible_stories`."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, nulls_last, select

from memoire.api.presenters import is_staff
from memoire.core.db import parse_id
from memoire.core.errors import ValidationError
from memoire.extensions import db
from memoire.places.geo import PUBLIC_PLACE_TYPES
from memoire.places.models import Place
from memoire.places.queries import descendant_ids
from memoire.stories.models import Kind, Status, Story, StoryPlace, Theme, Visibility, story_themes
from memoire.stories.queries import visible_stories

SORTS = {
    "newest": (nulls_last(Story.published_at.desc()), Story.id.desc()),
    "updated": (Story.updated_at.desc(), Story.id.desc()),
    "title": (Story.title, Story.id),
    "period": (nulls_last(Story.period_start.asc()), Story.id),
    "id": (Story.id,),
}
#: The filters a list takes, as documented in the OpenAPI description.
FILTERS = ("place", "theme", "kind", "lang", "decade", "status", "visibility", "sort")


def _one(args: Mapping, name: str) -> str | None:
    value = args.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_decade(text: str) -> int:
    match = re.fullmatch(r"(\d{4})s?", text)
    if not match or int(match.group(1)) % 10:
        raise ValidationError(_l("A decade is written like 1950 or 1950s."), field="decade")
    return int(match.group(1))


def _place_clause(viewer, place_id_text: str):
    """Stories tied to a place or to any place inside it, as far as this viewer may know.

    A story whose precision hides its street must not be found by filtering on that
    street: the filter place's own type must be one the story lets the public see.
    """
    if parse_id(place_id_text) is None:
        raise ValidationError(_l("place must be the id of a place."), field="place")
    place = db.session.get(Place, parse_id(place_id_text))
    if place is None:
        raise ValidationError(_l("No place with the id %(id)s.", id=place_id_text), field="place")
    linked = select(StoryPlace.story_id).where(StoryPlace.place_id.in_(descendant_ids(place)))
    clause = Story.id.in_(linked)
    if not is_staff(viewer):
        precisions = [p for p, types in PUBLIC_PLACE_TYPES.items() if place.type in types]
        clause = clause & Story.precision.in_(precisions)
    return clause


def filtered_stories(viewer, args: Mapping) -> Select:
    """The stories this viewer may see, narrowed by `args`; ValidationError for bad values."""
    query = visible_stories(viewer)
    if place := _one(args, "place"):
        query = query.where(_place_clause(viewer, place))
    if theme := _one(args, "theme"):
        query = query.where(
            Story.id.in_(
                select(story_themes.c.story_id)
                .join(Theme, Theme.id == story_themes.c.theme_id)
                .where(Theme.slug == theme)
            )
        )
    if kind := _one(args, "kind"):
        if kind not in Kind.__members__:
            raise ValidationError(_l("Unknown kind %(kind)s.", kind=kind), field="kind")
        query = query.where(Story.kind == kind)
    if lang := _one(args, "lang"):
        if not re.fullmatch(r"[a-z]{2,3}", lang):
            raise ValidationError(_l("Unknown language code %(code)s.", code=lang), field="lang")
        query = query.where(Story.language == lang)
    if decade_text := _one(args, "decade"):
        decade = parse_decade(decade_text)
        end = func.coalesce(Story.period_end, Story.period_start)
        query = query.where(Story.period_start <= decade + 9, end >= decade)
    query = _staff_filters(args, query)
    sort = _one(args, "sort") or "newest"
    if sort not in SORTS:
        raise ValidationError(
            _l("Unknown order %(sort)s (%(sorts)s).", sort=sort, sorts=", ".join(SORTS)),
            field="sort",
        )
    return query.order_by(*SORTS[sort])


def _staff_filters(args: Mapping, query: Select) -> Select:
    """status and visibility narrow what the viewer may see already (staff: everything;
    others: published stories and their own), so they reveal nothing more."""
    for name, values, column in (
        ("status", Status.__members__, Story.status),
        ("visibility", Visibility.__members__, Story.visibility),
    ):
        value = _one(args, name)
        if value is None:
            continue
        if value not in values:
            raise ValidationError(
                _l("Unknown %(name)s %(value)s.", name=name, value=value), field=name
            )
        query = query.where(column == value)
    return query
