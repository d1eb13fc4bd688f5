"""Fixtures for walks: the exhibitions' (English messages, a fresh user per request, login, curator)."""

from __future__ import annotations

import pytest

from tests.exhibitions.conftest import (  # noqa: F401
    add_photo,
    add_recording,
    app_config,
    curator,
    login,
    rich_story,
    user_per_request,
)


@pytest.fixture
def walk_stories(create_story, create_place):
    """Three public stories at three points of Dutemple, in a known order on the ground."""
    place = create_place()
    points = [(50.35012, 3.53017), (50.35413, 3.53021), (50.35407, 3.53611)]
    return [
        create_story(f"Arrêt {n}", places=[place], lat=lat, lon=lon, precision="street")
        for n, (lat, lon) in enumerate(points, start=1)
    ]


@pytest.fixture
def in_request(app):
    """A request context, for documents that hold URLs."""
    with app.test_request_context("/"):
        yield
