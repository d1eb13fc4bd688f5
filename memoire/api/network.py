"""API resources: the network's organisations, workshops and method cards (read only)."""

from __future__ import annotations

from flask import abort, jsonify, request, url_for
from flask_login import current_user
from sqlalchemy import select

from memoire.api.openapi import documented, path_param, query, reply
from memoire.api.views import bp
from memoire.core.errors import NotFound
from memoire.extensions import db
from memoire.network import operations as ops
from memoire.network import queries
from memoire.network.models import Method, Organisation, Workshop
from memoire.network.schemas import (
    MethodCardListSchema,
    MethodCardSchema,
    OrganisationListSchema,
    OrganisationSchema,
    WorkshopListSchema,
    WorkshopSchema,
)


def _place(place) -> dict | None:
    if not queries.may_show_place(current_user, place):
        return None
    return {"id": place.id, "name": place.name}


def organisation_json(org: Organisation) -> dict:
    return {
        "id": org.id, "slug": org.slug, "name": org.name, "kind": org.kind, "country": org.country,
        "address": org.address, "place": _place(org.place),
        "neighbourhoods": [{"id": p.id, "name": p.name}
                           for p in queries.visible_places(current_user, org.neighbourhoods)],
        "website": org.website, "contact_email": org.contact_email, "contact_phone": org.contact_phone,
        "description": org.description, "languages": list(org.languages or []),
        "workshops": [w.id for w in queries.workshops_of_organisation(org)],
        "url": url_for("network.organisation", slug=org.slug, _external=True),
    }


def workshop_json(workshop: Workshop) -> dict:
    named = queries.listed(workshop.facilitators)
    return {
        "id": workshop.id, "title": workshop.title, "starts_on": workshop.starts_on.isoformat(),
        "ends_on": workshop.ends_on.isoformat() if workshop.ends_on else None,
        "place": _place(workshop.place), "audience": workshop.audience,
        "participants": workshop.participants, "description": workshop.description,
        "languages": list(workshop.languages or []),
        "organisations": [o.slug for o in workshop.organisations],
        "methods": [m.slug for m in workshop.methods],
        "facilitators": [
            {"display_name": f.display_name, "is_pseudonym": f.is_pseudonym, "kind": f.kind,
             "organisation": f.organisation.slug if f.organisation else None}
            for f in named
        ],
        "unnamed_facilitators": len(workshop.facilitators) - len(named),
        "stories": [s.id for s in queries.public_stories([workshop.id])],
        "maps": [m.id for m in queries.published_maps([workshop.id])],
        "exhibitions": [e.slug for e in queries.published_exhibitions([workshop.id])],
        "url": url_for("network.workshop", workshop_id=workshop.id, _external=True),
    }


def method_json(method: Method) -> dict:
    version = method.current
    return {
        "slug": method.slug, "version": version.number, "name": version.name,
        **{name: getattr(version, name) for name in (
            "purpose", "question_kinds", "steps", "materials", "duration", "group_size",
            "audiences", "tips", "languages", "licence")},
        "versions": [{"number": v.number, "created_at": v.created_at.isoformat() + "Z", "note": v.note}
                     for v in method.versions],
        "workshops": [w.id for w in queries.workshops_of_method(method)],
        "url": url_for("network.method", slug=method.slug, _external=True),
    }


def _found(fn, *args):
    try:
        return fn(*args)
    except NotFound:
        abort(404)


@bp.get("/organisations")
@documented("network", responses={200: reply("Every organisation of the network.", OrganisationListSchema)},
            errors=(401, 429))
def organisations():
    """The network's organisations"""
    rows = db.session.scalars(select(Organisation).order_by(Organisation.name))
    return jsonify({"organisations": [organisation_json(o) for o in rows]})


@bp.get("/organisations/<slug>")
@documented("network", responses={200: reply("One organisation.", OrganisationSchema)},
            errors=(401, 404, 429), parameters=[path_param("slug", "The organisation's short name.")])
def organisation(slug: str):
    """One organisation, with the ids of its workshops"""
    return jsonify(organisation_json(_found(ops.find_organisation, slug)))


@bp.get("/workshops")
@documented("network", responses={200: reply("Workshops, newest first.", WorkshopListSchema)},
            errors=(401, 429),
            parameters=[query("organisation", "Only the workshops this organisation (slug) ran."),
                        query("method", "Only the workshops that used this method (slug).")])
def workshops():
    """Workshops and collection days, with their public results"""
    statement = select(Workshop).order_by(Workshop.starts_on.desc(), Workshop.id)
    if slug := request.args.get("organisation"):
        statement = statement.where(Workshop.organisations.any(Organisation.slug == slug))
    if slug := request.args.get("method"):
        statement = statement.where(Workshop.methods.any(Method.slug == slug))
    return jsonify({"workshops": [workshop_json(w) for w in db.session.scalars(statement)]})


@bp.get("/workshops/<int:workshop_id>")
@documented("network", responses={200: reply("One workshop.", WorkshopSchema)},
            errors=(401, 404, 429), parameters=[path_param("workshop_id", "The workshop's id.",
                                                           {"type": "integer"})])
def workshop(workshop_id: int):
    """One workshop: who ran it, how, and its public results"""
    return jsonify(workshop_json(_found(ops.find_workshop, workshop_id)))


@bp.get("/methods")
@documented("network", responses={200: reply("Every method card, current versions.", MethodCardListSchema)},
            errors=(401, 429))
def methods():
    """The knowledge centre's method cards"""
    rows = db.session.scalars(select(Method).order_by(Method.slug))
    return jsonify({"methods": [method_json(m) for m in rows]})


@bp.get("/methods/<slug>")
@documented("network", responses={200: reply("One method card.", MethodCardSchema)},
            errors=(401, 404, 429), parameters=[path_param("slug", "The method's short name.")])
def method(slug: str):
    """One method card in its current version, with the workshops that used it"""
    return jsonify(method_json(_found(ops.find_method, slug)))
