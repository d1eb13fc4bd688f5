"""API resources: then-and-now pairs as JSON and as a GeoJSON map layer.

Only pairs whose two photos belong to public, published stories answer (any other
answers 404 like a missing one, whoever asks): the rule of `then_now.operations`,
re-checked on every read. The data is public (CORS `*`), with an ETag to revalidate.
"""

from __future__ import annotations

from marshmallow import fields

from memoire.api.common import conditional, json_response
from memoire.api.openapi import GEOJSON, documented, path_param, reply
from memoire.api.schemas import FeatureCollectionSchema, Int, Many, Num, Str, Uri
from memoire.api.views import bp
from memoire.core.schemas import Answer, nullable
from memoire.then_now import operations as ops
from memoire.then_now.presenters import PairLinks, pair_document, pairs_geojson


class PairStorySchema(Answer):
    id = Int()
    title = Str()
    url = Uri()


class PairSideSchema(Answer):
    """One photo of the pair: a public derivative, never the original."""

    story = fields.Nested(PairStorySchema)
    image_url = nullable(Uri())
    thumbnail_url = nullable(Uri())
    width = nullable(Int())
    height = nullable(Int())
    alt = Str()
    caption = Str()
    period = nullable(Str())
    licence = Str()
    credit = nullable(
        Str(metadata={"description": "The story's narrators, as they chose to be named."})
    )


class PairPlaceSchema(Answer):
    id = Int()
    name = Str()
    url = Uri()


class PairPointSchema(Answer):
    """The pair's place as the public may see it (never finer than either story allows)."""

    lat = Num()
    lon = Num()


class ThenNowPairSchema(Answer):
    """An archive photo and a photo of the same view today."""

    id = Int()
    caption = Str()
    url = Uri()
    api = Uri()
    place = nullable(fields.Nested(PairPlaceSchema))
    point = nullable(fields.Nested(PairPointSchema))
    then = fields.Nested(PairSideSchema)
    now = fields.Nested(PairSideSchema)


class ThenNowListSchema(Answer):
    pairs = Many(ThenNowPairSchema)


def _public(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return conditional(response)


def _documents() -> list[dict]:
    links = PairLinks(external=True)
    return [pair_document(pair, links) for pair in ops.shown_pairs()]


@bp.get("/then-and-now")
@documented(
    "then-and-now",
    operation_id="listThenNowPairs",
    summary="Then-and-now pairs",
    responses={
        200: reply("Newest first; only pairs whose two stories are public.", ThenNowListSchema)
    },
    errors=(401, 429),
)
def then_now_pairs():
    """Every shown then-and-now pair, newest first."""
    return _public(json_response({"pairs": _documents()}))


@bp.get("/then-and-now.geojson")
@documented(
    "then-and-now",
    operation_id="getThenNowGeojson",
    summary="Then-and-now pairs as a map layer",
    responses={200: reply("Each pair with a place, as a Point.", FeatureCollectionSchema, GEOJSON)},
    errors=(401, 429),
)
def then_now_geojson():
    """Each shown pair at its place's public point, as a GeoJSON layer."""
    return _public(json_response(pairs_geojson(_documents()), mimetype=GEOJSON))


@bp.get("/then-and-now/<int:pair_id>")
@documented(
    "then-and-now",
    operation_id="getThenNowPair",
    summary="One then-and-now pair",
    responses={200: reply("Both photos, their stories, the place.", ThenNowPairSchema)},
    errors=(401, 404, 429),
    parameters=[path_param("pair_id", "The pair's id.", {"type": "integer"})],
)
def then_now_pair(pair_id: int):
    """One then-and-now pair (404 unless both of its stories are public)."""
    document = pair_document(ops.get_shown_pair(pair_id), PairLinks(external=True))
    return _public(json_response(document))
