"""API resources: then-and-now pairs as JSON and as a GeoJSON map layer.

Only pairs whose two photos belong to public, published stories answer (any other
answers 404 like a missing one, whoever asks): the rule of `then_now.operations`,
re-checked on every read. The data is public (CORS `*`), with an ETag to revalidate.

Pairing and undoing are the web form's operations (`pair_photos`, `get_pair_to_undo`,
`unpair`), in the token's user's name.
"""

from __future__ import annotations

from flask import request, url_for
from marshmallow import fields

from memoire.api import auth
from memoire.api.common import conditional, json_response
from memoire.api.openapi import GEOJSON, WRITE_ERRORS, documented, path_param, reply
from memoire.api.schemas import FeatureCollectionSchema, Int, Many, Num, Str, Uri
from memoire.api.views import bp
from memoire.core.errors import MemoireError
from memoire.core.schemas import Answer, Closed, Flag, Text, Whole, load, nullable
from memoire.extensions import db
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


class ThenNowInputSchema(Closed):
    """Pair an archive photo with a photo of the same view today."""

    then = Whole(
        required=True,
        metadata={"description": "Media id of the archive photo: a photo of a public story."},
    )
    now = Whole(
        required=True,
        metadata={
            "description": "Media id of the photo of today: a photo of one of the user's own "
            "stories (any story's for moderators, mediators and curators)."
        },
    )
    place_id = nullable(
        Whole(
            metadata={
                "description": "The place the two photos show: a place of the archive photo's "
                "story, or its quartier or commune (default: the story's main place)."
            }
        )
    )
    caption = Text(metadata={"description": "500 characters at most."})


class ThenNowCreatedSchema(Answer):
    """The new pair; `url` and `api` are null until both stories are public."""

    id = Int()
    shown = Flag()
    url = nullable(Uri())
    api = nullable(Uri())


@bp.post("/then-and-now")
@documented(
    "then-and-now",
    operation_id="pairThenNow",
    summary="Pair an archive photo with a photo of today",
    description="The same operation as the web form's, in the token's user's name. The pair "
    "is shown once both photos' stories are public (a resident's new photo is moderated first).",
    responses={201: reply("The pair as made.", ThenNowCreatedSchema)},
    errors=WRITE_ERRORS,
    body=ThenNowInputSchema,
    write=True,
)
def pair_then_now():
    """Pair two photos."""
    user = auth.require_token_user()
    data = load(ThenNowInputSchema(), request.get_json(silent=True))
    try:
        pair = ops.pair_photos(
            user,
            data["then"],
            data["now"],
            place=data.get("place_id"),
            caption=data.get("caption", ""),
        )
    except MemoireError as error:
        # The operation names the web form's field; this body calls it place_id.
        if error.field == "place":
            error.field = "place_id"
        raise
    db.session.commit()
    shown = ops.is_shown(pair)
    links = PairLinks(external=True)
    response = json_response(
        {
            "id": pair.id,
            "shown": shown,
            "url": links.page(pair) if shown else None,
            "api": links.api(pair) if shown else None,
        },
        status=201,
    )
    if shown:
        response.headers["Location"] = url_for("api.then_now_pair", pair_id=pair.id, _external=True)
    return response


@bp.delete("/then-and-now/<pair_id>")
@documented(
    "then-and-now",
    operation_id="undoThenNowPair",
    summary="Undo a then-and-now pair",
    description="Whoever made the pair, or a moderator; both photos and their stories stay.",
    responses={204: reply("Undone.")},
    errors=WRITE_ERRORS,
    parameters=[path_param("pair_id", "The pair's id.", {"type": "integer"})],
    write=True,
)
def undo_then_now_pair(pair_id: str):
    """Undo a pair."""
    user = auth.require_token_user()
    ops.unpair(user, ops.get_pair_to_undo(user, pair_id))
    db.session.commit()
    return "", 204
