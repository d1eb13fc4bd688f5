"""The offline bundle opened in headless Chromium from file://, with every network request refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from memoire.exhibitions import operations as ops
from memoire.exhibitions.bundle import build_bundle
from memoire.extensions import db
from tests.exhibitions.test_bundle import unzip_bundle

pytestmark = pytest.mark.browser



@pytest.fixture
def bundle_index(app, curator, rich_story, create_story, tmp_path) -> Path:
    fosse = rich_story("La fosse")
    cite = rich_story("La cité")
    bal = create_story("Le bal")
    exhibition = ops.create_exhibition(curator, ops.ExhibitionInput(title="Mémoires", slug="fosse"))
    ops.add_item(
        curator, exhibition, fosse, caption="La descente", excerpt=ops.Excerpt(start=1.5, end=4.5)
    )
    ops.add_item(curator, exhibition, bal, caption="Le dimanche")
    ops.add_item(curator, exhibition, cite, caption="La cité", excerpt=ops.Excerpt(start=0, end=2))
    ops.publish_exhibition(curator, exhibition)
    db.session.commit()
    bag_dir = unzip_bundle(build_bundle(exhibition, tmp_path / "fosse.zip").path, tmp_path / "out")
    return bag_dir / "data" / "index.html"


def _open(chromium, url: str):
    context = chromium.new_context()
    requested, errors = [], []

    def only_files(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return context, page, requested, errors


def test_offline_page_shows_every_item_and_loads_its_audio(chromium, bundle_index):
    browser, page, requested, errors = _open(chromium, bundle_index.as_uri())
    try:
        items = page.locator("[data-exhibit]")
        assert items.count() == 3
        for index in range(3):
            assert items.nth(index).is_visible()
        assert [items.nth(i).locator("h2").first.inner_text() for i in range(3)] == [
            "La fosse",
            "Le bal",
            "La cité",
        ]
        # Each excerpt's audio element loads its (local, cut) file.
        assert page.locator("[data-exhibit] audio").count() == 2
        page.wait_for_function(
            "Array.from(document.querySelectorAll('[data-exhibit] audio'))"
            ".every(a => a.readyState >= 1)",
            timeout=20_000,
        )
        durations = page.eval_on_selector_all(
            "[data-exhibit] audio", "els => els.map(a => a.duration)"
        )
        assert durations == [pytest.approx(3.0, abs=0.15), pytest.approx(2.0, abs=0.15)]
        for image in page.locator("[data-exhibit] img").all():
            assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        # exhibition.js and player.js ran: excerpts are known and transcript lines are ready.
        assert page.evaluate("window.memoire.excerpts.length") == 2
        assert page.evaluate("window.memoire.players.length") == 2
        assert page.locator("#item-1 .segment").count() == 2
        assert requested == [] and errors == []
    finally:
        browser.close()


def test_offline_kiosk_mode_shows_one_slide_at_a_time(chromium, bundle_index):
    browser, page, requested, errors = _open(chromium, bundle_index.as_uri() + "?kiosk=1")
    try:
        page.wait_for_function("document.documentElement.classList.contains('kiosk')")
        visible = page.eval_on_selector_all(
            "[data-exhibit], [data-exhibit-cover]",
            "els => els.filter(e => e.offsetParent !== null).length",
        )
        assert visible == 1
        assert page.locator("[data-exhibit-cover]").is_visible()
        page.locator('[data-kiosk-action="next"]').click()
        assert (
            page.locator("#item-1").is_visible()
            and not page.locator("[data-exhibit-cover]").is_visible()
        )
        assert requested == [] and errors == []
    finally:
        browser.close()
