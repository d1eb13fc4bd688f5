"""Read paths of the network: a workshop's results, a neighbourhood's life, the directory.

Every story shown or counted here is public and published (`is_public_clause`), whoever
asks: these pages are the network's shop window, and their counts must not let anyone
infer that a hidden story exists. Map layers count once published, exhibitions once
published. Facilitators are named only while their listing is in force.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from memoire.core.db import parse_id
from memoire.exhibitions.models import Exhibition
from memoire.extensions import db
from memoire.maps.models import SubjectiveMap
from memoire.network.models import (
    Facilitator,
    Method,
    Organisation,
    Workshop,
    WorkshopExhibition,
    WorkshopMap,
    WorkshopStory,
    organisation_neighbourhood,
    workshop_organisation,
)
from memoire.places.models import Place
from memoire.places.queries import descendant_ids, visible_place_ids
from memoire.stories.models import Story, StoryPlace, Theme, story_themes
from memoire.stories.visibility import is_public_clause

PUBLISHED = "published"


# --------------------------------------------------------------------------- a workshop's results


def public_stories(workshop_ids) -> list[Story]:
    """Public, published stories collected at these workshops, by recording date then id."""
    ids = list(workshop_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        select(Story)
        .join(WorkshopStory, WorkshopStory.story_id == Story.id)
        .where(WorkshopStory.workshop_id.in_(ids), is_public_clause())
        .order_by(Story.recorded_on.is_(None), Story.recorded_on, Story.id)
        .options(selectinload(Story.media), selectinload(Story.place_links))
    ))


def public_story_counts(workshop_ids=None) -> dict[int, int]:
    query = (
        select(WorkshopStory.workshop_id, func.count(WorkshopStory.story_id))
        .join(Story, Story.id == WorkshopStory.story_id)
        .where(is_public_clause())
        .group_by(WorkshopStory.workshop_id)
    )
    if workshop_ids is not None:
        query = query.where(WorkshopStory.workshop_id.in_(list(workshop_ids)))
    return dict(db.session.execute(query).all())


def published_maps(workshop_ids) -> list[SubjectiveMap]:
    ids = list(workshop_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        select(SubjectiveMap)
        .join(WorkshopMap, WorkshopMap.map_id == SubjectiveMap.id)
        .where(WorkshopMap.workshop_id.in_(ids), SubjectiveMap.status == PUBLISHED)
        .order_by(SubjectiveMap.id)
    ))


def published_exhibitions(workshop_ids) -> list[Exhibition]:
    ids = list(workshop_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        select(Exhibition)
        .join(WorkshopExhibition, WorkshopExhibition.exhibition_id == Exhibition.id)
        .where(WorkshopExhibition.workshop_id.in_(ids), Exhibition.status == PUBLISHED)
        .order_by(Exhibition.id)
    ))


def listed(facilitators) -> list[Facilitator]:
    """Only those who agreed to be named, once each, in order."""
    seen, out = set(), []
    for facilitator in facilitators:
        if facilitator.is_listed and facilitator.id not in seen:
            seen.add(facilitator.id)
            out.append(facilitator)
    return out


def workshops_of_organisation(organisation: Organisation) -> list[Workshop]:
    return list(db.session.scalars(
        select(Workshop).where(Workshop.organisations.contains(organisation))
        .order_by(Workshop.starts_on, Workshop.id)
    ))


def workshops_of_method(method: Method) -> list[Workshop]:
    return list(db.session.scalars(
        select(Workshop).where(Workshop.methods.contains(method)).order_by(Workshop.starts_on, Workshop.id)
    ))


def workshops_of_facilitator(facilitator: Facilitator) -> list[Workshop]:
    from memoire.network.models import WorkshopFacilitator

    return list(db.session.scalars(
        select(Workshop).join(WorkshopFacilitator, WorkshopFacilitator.workshop_id == Workshop.id)
        .where(WorkshopFacilitator.facilitator_id == facilitator.id)
        .order_by(Workshop.starts_on, Workshop.id)
    ))


# --------------------------------------------------------------------------- places


def may_show_place(viewer, place: Place | None) -> bool:
    """A place's name is shown by the rule of the gazetteer (`visible_place_ids`): a place
    that came from a hidden story is not named here either, even if a house serves it."""
    if place is None:
        return False
    visible = visible_place_ids(viewer)
    return visible is None or place.id in visible


def visible_places(viewer, places) -> list[Place]:
    visible = visible_place_ids(viewer)
    return [p for p in places if p is not None and (visible is None or p.id in visible)]


def served_neighbourhoods(viewer) -> list[tuple[Place, int]]:
    """The neighbourhoods the network's houses serve (that the viewer may see named),
    with how many houses serve each."""
    visible = visible_place_ids(viewer)
    rows = db.session.execute(
        select(Place, func.count(organisation_neighbourhood.c.organisation_id))
        .join(organisation_neighbourhood, organisation_neighbourhood.c.place_id == Place.id)
        .group_by(Place.id)
    ).all()
    return sorted(
        ((place, count) for place, count in rows if visible is None or place.id in visible),
        key=lambda item: item[0].name,
    )


@dataclass
class Neighbourhood:
    place: Place
    organisations: list[Organisation]
    workshops: list[Workshop]
    stories: list[Story]
    maps: list[SubjectiveMap]
    facilitators: list[Facilitator]
    counts: dict[int, int] = field(default_factory=dict)


def neighbourhood(place: Place) -> Neighbourhood:
    """Everything the network did in a neighbourhood, for its page."""
    ids = descendant_ids(place)
    organisations = list(db.session.scalars(
        select(Organisation).where(
            Organisation.id.in_(
                select(organisation_neighbourhood.c.organisation_id)
                .where(organisation_neighbourhood.c.place_id.in_(ids))
            ) | Organisation.place_id.in_(ids)
        ).order_by(Organisation.name)
    ))
    workshops = list(db.session.scalars(
        select(Workshop).where(Workshop.place_id.in_(ids)).order_by(Workshop.starts_on, Workshop.id)
    ))
    workshop_ids = [w.id for w in workshops]
    stories = list(db.session.scalars(
        select(Story).where(
            is_public_clause(),
            Story.id.in_(select(StoryPlace.story_id).where(StoryPlace.place_id.in_(ids)))
            | Story.id.in_(select(WorkshopStory.story_id).where(WorkshopStory.workshop_id.in_(workshop_ids))),
        ).order_by(Story.period_start.is_(None), Story.period_start, Story.id)
        .options(selectinload(Story.media), selectinload(Story.place_links))
    ))
    people = [f for w in workshops for f in w.facilitators]
    people += [f for o in organisations for f in o.facilitators]
    return Neighbourhood(
        place=place, organisations=organisations, workshops=workshops, stories=stories,
        maps=published_maps(workshop_ids), facilitators=listed(people),
        counts=public_story_counts(workshop_ids),
    )


# --------------------------------------------------------------------------- the directory


@dataclass
class DirectoryFilters:
    neighbourhood: int | None = None
    country: str | None = None
    theme: str | None = None
    audience: str | None = None
    question: str | None = None
    language: str | None = None

    @property
    def active(self) -> bool:
        return any(value not in (None, "") for value in vars(self).values())


@dataclass
class Directory:
    organisations: list[Organisation]
    facilitators: list[Facilitator]
    methods: list[Method]
    workshops: dict[str, list[Workshop]]  # "o:<id>", "f:<id>", "m:<id>" -> workshops showing the work


@dataclass
class _Facts:
    """What a workshop says about those who ran it, for matching filters."""

    places: set[int]
    countries: set[str]
    themes: set[str]
    audiences: set[str]
    questions: set[str]
    languages: set[str]


def _workshop_facts() -> dict[int, _Facts]:
    parents = dict(db.session.execute(select(Place.id, Place.parent_id)).all())
    themes: dict[int, set[str]] = {}
    for workshop_id, slug in db.session.execute(
        select(WorkshopStory.workshop_id, Theme.slug)
        .join(Story, Story.id == WorkshopStory.story_id)
        .join(story_themes, story_themes.c.story_id == Story.id)
        .join(Theme, Theme.id == story_themes.c.theme_id)
        .where(is_public_clause())
    ):
        themes.setdefault(workshop_id, set()).add(slug)
    facts = {}
    workshops = db.session.scalars(
        select(Workshop).options(selectinload(Workshop.methods), selectinload(Workshop.organisations))
    )
    for workshop in workshops:
        places, node = set(), workshop.place_id
        while node is not None and node not in places:
            places.add(node)
            node = parents.get(node)
        audiences = {workshop.audience} if workshop.audience else set()
        questions, languages = set(), set(workshop.languages or [])
        for method in workshop.methods:
            questions |= set(method.current.question_kinds or [])
        facts[workshop.id] = _Facts(
            places=places, countries={o.country for o in workshop.organisations},
            themes=themes.get(workshop.id, set()), audiences=audiences,
            questions=questions, languages=languages,
        )
    return facts


def _union(items: list[_Facts]) -> _Facts:
    out = _Facts(set(), set(), set(), set(), set(), set())
    for item in items:
        for name in vars(out):
            getattr(out, name).update(getattr(item, name))
    return out


def _matches(facts: _Facts, filters: DirectoryFilters) -> bool:
    checks = [
        (filters.neighbourhood, facts.places), (filters.country, facts.countries),
        (filters.theme, facts.themes), (filters.audience, facts.audiences),
        (filters.question, facts.questions), (filters.language, facts.languages),
    ]
    return all(wanted in (None, "") or wanted in found for wanted, found in checks)


def directory(filters: DirectoryFilters) -> Directory:
    """Organisations, listed facilitators and methods matching every filter given.

    A record matches through its own fields (an organisation's country, neighbourhoods
    and languages, a method's audiences, questions and languages, a facilitator's
    languages) or through the workshops it ran or was used in: those workshops are
    what each answer links to, as the work that shows it.
    """
    facts = _workshop_facts()
    by_org: dict[int, list[Workshop]] = {}
    by_method: dict[int, list[Workshop]] = {}
    by_facilitator: dict[int, list[Workshop]] = {}
    workshops = list(db.session.scalars(
        select(Workshop).order_by(Workshop.starts_on.desc(), Workshop.id)
        .options(selectinload(Workshop.organisations), selectinload(Workshop.methods),
                 selectinload(Workshop.facilitator_links))
    ))
    for workshop in workshops:
        for o in workshop.organisations:
            by_org.setdefault(o.id, []).append(workshop)
        for m in workshop.methods:
            by_method.setdefault(m.id, []).append(workshop)
        for f in workshop.facilitator_links:
            by_facilitator.setdefault(f.facilitator_id, []).append(workshop)

    def own_org(o: Organisation) -> _Facts:
        places = {p.id for p in o.neighbourhoods} | ({o.place_id} if o.place_id else set())
        return _Facts(places, {o.country}, set(), set(), set(), set(o.languages or []))

    def own_method(m: Method) -> _Facts:
        v = m.current
        return _Facts(set(), set(), set(), set(v.audiences or []), set(v.question_kinds or []),
                      set(v.languages or []))

    def own_facilitator(f: Facilitator) -> _Facts:
        base = own_org(f.organisation) if f.organisation else _Facts(set(), set(), set(), set(), set(), set())
        base.languages = set(f.languages or [])
        return base

    def keep(own: _Facts, linked: list[Workshop]) -> tuple[bool, list[Workshop]]:
        if not filters.active:
            return True, linked
        # The answer's own facts, and each of its workshops': the workshops that match
        # the filters on their own are shown first as the evidence.
        if not _matches(_union([own, *(facts[w.id] for w in linked)]), filters):
            return False, []
        evidence = [w for w in linked if _matches(_union([own, facts[w.id]]), filters)]
        return True, evidence or linked

    result = Directory([], [], [], {})
    for o in db.session.scalars(select(Organisation).order_by(Organisation.name)):
        ok, shown = keep(own_org(o), by_org.get(o.id, []))
        if ok:
            result.organisations.append(o)
            result.workshops[f"o:{o.id}"] = shown
    for f in db.session.scalars(select(Facilitator).order_by(Facilitator.display_name)):
        if not f.is_listed:
            continue
        ok, shown = keep(own_facilitator(f), by_facilitator.get(f.id, []))
        if ok:
            result.facilitators.append(f)
            result.workshops[f"f:{f.id}"] = shown
    for m in db.session.scalars(select(Method).order_by(Method.slug).options(selectinload(Method.versions))):
        ok, shown = keep(own_method(m), by_method.get(m.id, []))
        if ok:
            result.methods.append(m)
            result.workshops[f"m:{m.id}"] = shown
    return result


def directory_themes() -> list[Theme]:
    """Themes of public stories collected at workshops: the directory's theme filter."""
    return list(db.session.scalars(
        select(Theme).where(Theme.id.in_(
            select(story_themes.c.theme_id)
            .join(Story, Story.id == story_themes.c.story_id)
            .join(WorkshopStory, WorkshopStory.story_id == Story.id)
            .where(is_public_clause())
        )).order_by(Theme.name)
    ))


# --------------------------------------------------------------------------- OAI-PMH sets


def story_sets(story_id: int) -> list[str]:
    """`workshop:<id>` and `organisation:<slug>` of the workshop a story was collected at."""
    workshop = db.session.scalar(
        select(Workshop).join(WorkshopStory, WorkshopStory.workshop_id == Workshop.id)
        .where(WorkshopStory.story_id == story_id)
    )
    if workshop is None:
        return []
    return [f"workshop:{workshop.id}"] + [f"organisation:{o.slug}" for o in workshop.organisations]


def set_story_ids(kind: str, key: str | None):
    """A subquery of story ids in an organisation or workshop set (None: any of them)."""
    query = select(WorkshopStory.story_id)
    if kind == "workshop":
        if key is not None:
            query = query.where(WorkshopStory.workshop_id == (parse_id(key) or -1))
        return query
    linked = select(workshop_organisation.c.workshop_id)
    if key is not None:
        linked = linked.join(Organisation, Organisation.id == workshop_organisation.c.organisation_id).where(
            Organisation.slug == key
        )
    return query.where(WorkshopStory.workshop_id.in_(linked))


def set_labels(specs) -> dict[str, dict[str, str]]:
    """Readable names of the organisation and workshop sets among `specs`."""
    out: dict[str, dict[str, str]] = {"organisation": {}, "workshop": {}}
    slugs = {s.partition(":")[2] for s in specs if s.startswith("organisation:")}
    ids = [int(k) for s in specs if s.startswith("workshop:") and (k := s.partition(":")[2]).isdigit()]
    if slugs:
        out["organisation"] = dict(db.session.execute(
            select(Organisation.slug, Organisation.name).where(Organisation.slug.in_(slugs))
        ).all())
    if ids:
        out["workshop"] = {
            str(w.id): f"{w.title} ({w.starts_on.isoformat()})"
            for w in db.session.scalars(select(Workshop).where(Workshop.id.in_(ids)))
        }
    return out
