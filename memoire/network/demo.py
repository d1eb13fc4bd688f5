"""Load the network part of the demo archive (memoire/demo/data/network.json), idempotently.

Records are matched on what names them (an organisation or a method by its short name,
a facilitator by display name, a map by title, a workshop by title and date), so a second
run changes nothing. Places and stories are those the demo stories already brought.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from memoire.extensions import db
from memoire.maps.models import MapFeature, SubjectiveMap
from memoire.network import operations as ops
from memoire.network.models import Facilitator, Method, Organisation, Workshop
from memoire.places.models import Place
from memoire.stories.models import Story

_PLACE_ORDER = {"building": 0, "quartier": 1, "commune": 2, "landmark": 3, "street": 4}


def _place(name: str | None) -> Place | None:
    if not name:
        return None
    found = list(db.session.scalars(select(Place).where(Place.name == name)))
    return min(found, key=lambda p: _PLACE_ORDER.get(p.type, 9)) if found else None


def _story(external_id: str) -> Story | None:
    return db.session.scalar(select(Story).where(Story.external_id == external_id))


def load_network(path: Path) -> dict[str, int]:
    """Organisations, facilitators, method cards, drawn maps and workshops; returns counts."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    orgs: dict[str, Organisation] = {}
    for item in data.get("organisations", []):
        slug = ops.slugify(item["name"])
        org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        if org is None:
            place = _place(item.get("place"))
            org = ops.create_organisation(None, ops.OrganisationInput(
                name=item["name"], kind=item["kind"], country=item["country"],
                place_id=place.id if place else None, website=item.get("website", ""),
                contact_email=item.get("contact_email", ""), description=item.get("description", ""),
                languages=item.get("languages", ["fr"]),
                neighbourhood_ids=[p.id for p in map(_place, item.get("neighbourhoods", [])) if p],
            ))
        orgs[item["name"]] = org
    people: dict[str, Facilitator] = {}
    for item in data.get("facilitators", []):
        person = db.session.scalar(select(Facilitator).where(Facilitator.display_name == item["display_name"]))
        if person is None:
            org = orgs.get(item.get("organisation"))
            person = ops.create_facilitator(None, ops.FacilitatorInput(
                display_name=item["display_name"], kind=item["kind"],
                is_pseudonym=item.get("is_pseudonym", False), organisation_id=org.id if org else None,
                bio=item.get("bio", ""), contact=item.get("contact", ""),
                languages=item.get("languages", ["fr"]),
            ), listed=item.get("listed", False))
        people[item["display_name"]] = person
    methods: dict[str, Method] = {}
    for item in data.get("methods", []):
        method = db.session.scalar(select(Method).where(Method.slug == item["slug"]))
        if method is None:
            method = ops.create_method(None, ops.MethodInput(**item))
        methods[item["slug"]] = method
    maps: dict[str, SubjectiveMap] = {}
    for item in data.get("maps", []):
        layer = db.session.scalar(select(SubjectiveMap).where(SubjectiveMap.title == item["title"]))
        if layer is None:
            layer = SubjectiveMap(title=item["title"], group_name=item.get("group_name", ""),
                                  description=item.get("description", ""), status="published")
            for feature in item.get("features", []):
                story = _story(feature["story"]) if feature.get("story") else None
                layer.features.append(MapFeature(
                    geometry={"type": "Point", "coordinates": [feature["lon"], feature["lat"]]},
                    label=feature.get("label", ""), feeling=feature["feeling"],
                    comment=feature.get("comment", ""), author_name=feature.get("author_name", ""),
                    story_id=story.id if story else None,
                ))
            db.session.add(layer)
            db.session.flush()
        maps[item["title"]] = layer
    workshops = 0
    for item in data.get("workshops", []):
        starts_on = date.fromisoformat(item["starts_on"])
        workshop = db.session.scalar(
            select(Workshop).where(Workshop.title == item["title"], Workshop.starts_on == starts_on)
        )
        if workshop is None:
            place = _place(item.get("place"))
            workshop = ops.create_workshop(None, ops.WorkshopInput(
                title=item["title"], starts_on=starts_on, place_id=place.id if place else None,
                ends_on=date.fromisoformat(item["ends_on"]) if item.get("ends_on") else None,
                audience=item.get("audience"), participants=item.get("participants"),
                description=item.get("description", ""), languages=item.get("languages", ["fr"]),
                organisation_ids=[orgs[name].id for name in item.get("organisations", [])],
                method_ids=[methods[slug].id for slug in item.get("methods", [])],
                facilitator_ids=[people[name].id for name in item.get("facilitators", [])],
            ))
        for ref in item.get("stories", []):
            story = _story(ref)
            if story is not None:
                ops.attach_story(None, workshop, story)
        for title in item.get("maps", []):
            ops.attach_map(None, workshop, maps[title])
        workshops += 1
    db.session.flush()
    return {"organisations": len(orgs), "facilitators": len(people), "methods": len(methods),
            "maps": len(maps), "workshops": workshops}
