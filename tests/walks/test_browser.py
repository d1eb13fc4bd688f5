"""The walk bundle opened in headless Chromium from file://, every network request refused."""

from __future__ import annotations

import zipfile

import pytest

from memoire.walks.bundle import build_walk_bundle
from tests.walks.test_bundle import walk  # noqa: F401

pytestmark = pytest.mark.browser


def test_offline_walk_plays_a_stop(app, chromium, walk, tmp_path):  # noqa: F811
    report = build_walk_bundle(walk, tmp_path / "parcours.zip")
    with zipfile.ZipFile(report.path) as archive:
        archive.extractall(tmp_path / "out")
    index = tmp_path / "out" / "parcours" / "data" / "index.html"
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    refused, errors = [], []

    def only_files(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(index.as_uri())
        stops = page.locator("[data-walk-stop]")
        assert stops.count() == 2 and stops.first.is_visible()
        page.wait_for_function(
            "document.querySelector('[data-walk-stop] audio').readyState >= 1", timeout=20_000
        )
        assert page.eval_on_selector("[data-walk-stop] audio", "a => a.duration") == pytest.approx(
            3.0, abs=0.15
        )
        page.eval_on_selector("[data-walk-stop] audio", "a => { a.muted = true; return a.play(); }")
        page.wait_for_function(
            "document.querySelector('[data-walk-stop] audio').currentTime > 0.2", timeout=10_000
        )
        assert page.locator("svg.walk__drawing circle").count() == 2
        assert not refused and not errors
    finally:
        context.close()
