"""People's words for the network's vocabularies, in the interface language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ORGANISATION_KINDS = {
    "neighbourhood_house": _l("Neighbourhood house"),
    "social_centre": _l("Social centre"),
    "association": _l("Association"),
    "university": _l("University"),
    "municipality": _l("Municipality"),
}

COUNTRIES = {"BE": _l("Belgium"), "FR": _l("France")}

AUDIENCES = {
    "children": _l("Children"),
    "teenagers": _l("Teenagers"),
    "adults": _l("Adults"),
    "seniors": _l("Seniors"),
    "families": _l("Families"),
    "intergenerational": _l("Several generations together"),
}

QUESTION_KINDS = {
    "neighbourhood_past": _l("Getting a group to talk about the neighbourhood's past"),
    "feelings_about_place": _l("Mapping feelings about a place"),
    "intergenerational": _l("Exchange between generations"),
    "work_and_industry": _l("Work and industry: mines, steel, glass, railways"),
    "arrival_and_belonging": _l("Arriving and belonging: migration stories"),
    "urban_change": _l("A neighbourhood that changes: demolition, renovation"),
}

FACILITATOR_KINDS = {"staff": _l("Staff"), "resident": _l("Resident (expert by experience)")}


def label(table: dict, value) -> str:
    return str(table.get(value, value or ""))
