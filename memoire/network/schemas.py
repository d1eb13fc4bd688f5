"""The network's answers in the JSON API: organisations, workshops, method cards."""

from __future__ import annotations

from marshmallow import fields

from memoire.core.schemas import Answer, enum_of, nullable
from memoire.network.models import (
    Audience,
    Country,
    FacilitatorKind,
    OrganisationKind,
    QuestionKind,
)


class NetworkPlaceSchema(Answer):
    """A place of the gazetteer, named as the caller may see it."""

    id = fields.Integer()
    name = fields.String()


class OrganisationSchema(Answer):
    """A neighbourhood house, social centre, association, university or municipality."""

    id = fields.Integer(metadata={"description": "What the search's `organisation` filter takes."})
    slug = fields.String()
    name = fields.String()
    kind = fields.String(metadata=enum_of(OrganisationKind))
    country = fields.String(metadata=enum_of(Country))
    address = fields.String()
    place = nullable(fields.Nested(NetworkPlaceSchema))
    neighbourhoods = fields.List(fields.Nested(NetworkPlaceSchema))
    website = fields.String()
    contact_email = fields.String(metadata={"description": "Only what the organisation chose to publish."})
    contact_phone = fields.String()
    description = fields.String(metadata={"description": "Markdown."})
    languages = fields.List(fields.String())
    workshops = fields.List(fields.Integer(), metadata={"description": "Ids of its workshops."})
    url = fields.String(metadata={"format": "uri"})


class OrganisationListSchema(Answer):
    organisations = fields.List(fields.Nested(OrganisationSchema))


class FacilitatorSchema(Answer):
    """Someone who ran the workshop and agreed to be named (others are only counted)."""

    display_name = fields.String()
    is_pseudonym = fields.Boolean()
    kind = fields.String(metadata=enum_of(FacilitatorKind))
    organisation = nullable(fields.String(metadata={"description": "The organisation's slug."}))


class WorkshopSchema(Answer):
    """A workshop or collection day and what came out of it (public stories only)."""

    id = fields.Integer()
    title = fields.String()
    starts_on = fields.String(metadata={"format": "date"})
    ends_on = nullable(fields.String(metadata={"format": "date"}))
    place = nullable(fields.Nested(NetworkPlaceSchema))
    audience = nullable(fields.String(metadata=enum_of(Audience)))
    participants = nullable(fields.Integer(metadata={"description": "How many took part."}))
    description = fields.String(metadata={"description": "Markdown."})
    languages = fields.List(fields.String())
    organisations = fields.List(fields.String(), metadata={"description": "Slugs."})
    methods = fields.List(fields.String(), metadata={"description": "Slugs."})
    facilitators = fields.List(fields.Nested(FacilitatorSchema))
    unnamed_facilitators = fields.Integer()
    stories = fields.List(fields.Integer(), metadata={"description": "Ids of its public stories."})
    maps = fields.List(fields.Integer(), metadata={"description": "Ids of its published map layers."})
    exhibitions = fields.List(fields.String(), metadata={"description": "Slugs of published exhibitions."})
    url = fields.String(metadata={"format": "uri"})


class WorkshopListSchema(Answer):
    workshops = fields.List(fields.Nested(WorkshopSchema))


class MethodVersionSummarySchema(Answer):
    number = fields.Integer()
    created_at = fields.String(metadata={"format": "date-time"})
    note = fields.String()


class MethodCardSchema(Answer):
    """A method card of the knowledge centre, in its current version."""

    slug = fields.String()
    version = fields.Integer()
    name = fields.String()
    purpose = fields.String(metadata={"description": "Markdown."})
    question_kinds = fields.List(fields.String(metadata=enum_of(QuestionKind)))
    steps = fields.String(metadata={"description": "Markdown."})
    materials = fields.String(metadata={"description": "Markdown."})
    duration = fields.String()
    group_size = fields.String()
    audiences = fields.List(fields.String(metadata=enum_of(Audience)))
    tips = fields.String(metadata={"description": "Pitfalls and tips, Markdown."})
    languages = fields.List(fields.String())
    licence = fields.String()
    versions = fields.List(fields.Nested(MethodVersionSummarySchema))
    workshops = fields.List(fields.Integer(), metadata={"description": "Ids of the workshops that used it."})
    url = fields.String(metadata={"format": "uri"})


class MethodCardListSchema(Answer):
    methods = fields.List(fields.Nested(MethodCardSchema))
