"""In Chromium: draw a line and an area with feelings on a subjective map, save, reload, see them.

Runs the app with werkzeug on a free port in a thread and drives Debian's Chromium with
Playwright; skipped when either is missing. The map tiles are switched off (no network):
the editor then draws on a plain background.
"""

from __future__ import annotations

import threading

import pytest

from memoire.extensions import db
from memoire.maps import operations as ops
from memoire.maps.models import SubjectiveMap

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def app_config() -> dict:
    return {"DEFAULT_LOCALE": "en", "LOCALES": "en,fr,nl", "TILE_URL": "", "WTF_CSRF_ENABLED": True}


@pytest.fixture
def live_server(app):
    """The app served on 127.0.0.1 at a free port, for the length of one test."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def browser(chromium):
    """The run's shared Chromium (tests/conftest.py): one Playwright driver per process."""
    return chromium


def session_cookie(app, user) -> str:
    """A signed session cookie logging `user` in, as the login form would leave it."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client.get_cookie("session").value


def click_map(page, selector: str, points: list[tuple[float, float]]) -> None:
    """Click points given as fractions of the map's width and height."""
    box = page.locator(selector).bounding_box()
    for fx, fy in points:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.wait_for_timeout(150)


def describe(page, label: str, feeling: str) -> None:
    page.wait_for_selector("#feature-panel:not([hidden])")
    page.fill("#panel-label", label)
    page.click(f"label[for=panel-feeling-{feeling}]")


def test_draw_a_line_and_an_area_save_reload_and_see_them(app, live_server, browser, create_user):
    playwright_api = pytest.importorskip("playwright.sync_api")
    mediator = create_user("mediator")
    layer = ops.create_layer(mediator, ops.LayerInput(title="Atelier Dutemple"))
    db.session.commit()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies(
        [{"name": "session", "value": session_cookie(app, mediator), "url": live_server}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/map/layers/{layer.id}/edit")
    page.wait_for_selector("#layer-editor[data-map-ready=true]")
    page.locator("#layer-editor").scroll_into_view_if_needed()

    # A line: three clicks, then Geoman's "Finish" action.
    page.click("#layer-editor .leaflet-pm-icon-polyline")
    click_map(page, "#layer-editor", [(0.30, 0.30), (0.45, 0.40), (0.60, 0.35)])
    page.click("#layer-editor .leaflet-pm-actions-container .action-finish")
    describe(page, "Le chemin de l'école", "joy")

    # An area: four corners, closed on the first one.
    page.click("#layer-editor .leaflet-pm-icon-polygon")
    click_map(
        page,
        "#layer-editor",
        [(0.35, 0.60), (0.55, 0.60), (0.55, 0.80), (0.35, 0.80), (0.35, 0.60)],
    )
    describe(page, "Le passage sous le pont", "fear")

    page.click("#layer-save")
    playwright_api.expect(page.locator("#layer-status")).to_have_text("Saved.", timeout=10_000)

    page.reload()
    page.wait_for_selector("#layer-editor[data-map-ready=true]")
    drawn = page.evaluate(
        "() => window.memoire.subjectiveMap.drawn.getLayers()"
        ".map(l => [l.feature.properties.label, l.feature.properties.feeling])"
    )
    assert sorted(drawn) == [["Le chemin de l'école", "joy"], ["Le passage sous le pont", "fear"]]
    # The page lists what each shape says (also for readers without JavaScript).
    listed = page.inner_text("#features-heading + .feature-forms")
    assert "Le chemin de l'école" in listed and "Le passage sous le pont" in listed
    assert page.locator("#layer-editor path.leaflet-interactive").count() == 2
    assert errors == []
    context.close()

    db.session.expire_all()
    stored = db.session.get(SubjectiveMap, layer.id).features
    assert sorted((f.geometry["type"], f.feeling) for f in stored) == [
        ("LineString", "joy"),
        ("Polygon", "fear"),
    ]
    assert len(stored[0].geometry["coordinates"]) == 3


def test_map_of_memories_filters_layers_and_feelings(
    app, live_server, browser, create_user, create_place, create_story
):
    playwright_api = pytest.importorskip("playwright.sync_api")
    expect = playwright_api.expect
    dutemple = create_place("Dutemple", "quartier", "Valenciennes", 50.3480, 3.5400)
    create_story("La fosse", places=[dutemple], kind="oral_history", themes=["Mine"], period="1962")
    create_story("L'école", places=[dutemple], kind="photo", period="1975", lat=50.351, lon=3.531)
    create_story(
        "La ducasse",
        places=[dutemple],
        kind="anecdote",
        themes=["Fêtes"],
        period="1958",
        lat=50.349,
        lon=3.536,
    )
    create_story("Privée", visibility="private", places=[dutemple])
    mediator = create_user("mediator")
    layer = ops.create_layer(mediator, ops.LayerInput(title="Ressentis du quartier"))
    ops.save_features(
        mediator,
        layer,
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"feeling": "pride", "label": "Le terril"},
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[3.53, 50.345], [3.545, 50.35]],
                    },
                },
                {
                    "type": "Feature",
                    "properties": {"feeling": "fear", "label": "Le tunnel"},
                    "geometry": {"type": "Point", "coordinates": [3.541, 50.348]},
                },
            ],
        },
    )
    ops.publish_layer(create_user("moderator"), layer)
    db.session.commit()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/map")
    page.wait_for_selector("#memories-map[data-map-ready=true]")
    expect(page.locator("#map-count")).to_have_text("3 memories on the map")

    page.select_option("#map-kind", "photo")
    expect(page.locator("#map-count")).to_have_text("1 memory on the map")
    assert "kind=photo" in page.url
    page.select_option("#map-kind", "")
    # The period range: two handles, the decades said, a story counted if its years touch it.
    values = page.locator("#map-period .period-range__values")
    expect(values).to_have_text("the 1950s – the 1970s")
    page.locator("#map-period-to").fill("1960")
    expect(page.locator("#map-count")).to_have_text("2 memories on the map")
    expect(values).to_have_text("the 1950s – the 1960s")
    assert "decade=1950-1960" in page.url
    page.locator("#map-period-from").fill("1970")  # pushes the other handle along
    expect(values).to_have_text("the 1970s – the 1970s")
    expect(page.locator("#map-count")).to_have_text("1 memory on the map")
    assert page.locator("#map-period-to").input_value() == "1970"
    page.locator("#map-period-from").fill("1950")
    expect(page.locator("#map-count")).to_have_text("3 memories on the map")
    assert "decade" not in page.url

    # Close up, the clusters open into pins; a pin opens the memory's card.
    page.evaluate(
        "() => window.memoire.maps['memories-map'].map.setView([50.3495, 3.536], 17, {animate: false})"
    )
    page.click("#memories-map .map-pin >> nth=0")
    expect(page.locator("#memories-map .map-popup__title")).to_be_visible()
    assert "/stories/" in page.get_attribute("#memories-map .map-popup__title", "href")

    # A drawn map laid over the memories, then one feeling switched off.
    page.check(f"#layer-toggle-{layer.id}")
    expect(page.locator("#memories-map path.leaflet-interactive")).to_have_count(2)
    page.uncheck("#feeling-toggle-fear")
    expect(page.locator("#memories-map path.leaflet-interactive")).to_have_count(1)
    # The feelings per quartier, as circles.
    page.check("#heat-toggle")
    expect(page.locator("#memories-map path.leaflet-interactive")).to_have_count(2)
    context.close()
    assert errors == []
