"""A first visit on a phone (issue 17): a shared moment is in view, the listening tools work,
nothing covers content from 320 px up, and axe-core finds no serious violation."""

from __future__ import annotations

import io

import pytest

from tests.browser.conftest import wait_until

pytestmark = pytest.mark.browser

WIDTHS = [320, 360, 1366]
LINES = 40


def _seed(live_server) -> int:
    """A published oral history with a recording and a long timed transcript (a line every 10 s)."""
    from memoire.extensions import db
    from memoire.media import operations as media_ops
    from memoire.stories import operations as ops
    from memoire.stories.periods import parse_period
    from memoire.transcripts.models import Transcript, TranscriptSegment
    from tests.conftest import wav_bytes

    with live_server.app.test_request_context():
        data = ops.StoryInput(
            title="La fanfare des mineurs", body="Le dimanche, la fanfare passait devant chez nous. " * 20,
            summary="Souvenirs de fanfare.", kind="oral_history", visibility="public", status="published",
            language="fr", themes=["fanfare"], narrators=[ops.NarratorInput(name="Lucienne")],
            places=[], period=parse_period("années 60"), external_id=None, precision=None, lat=None, lon=None,
            consent=ops.ConsentInput(given_by="Lucienne", online_publication=True, research_use=True,
                                     exhibition_use=True, precision="exact"),
        )
        story = ops.create_story(None, data)
        media = media_ops.add_media(None, story, io.BytesIO(wav_bytes(seconds=1.5)), caption="Récit")
        transcript = Transcript(story=story, media_id=media.id, language="fr", source_format="vtt")
        db.session.add(transcript)
        for i in range(LINES):
            transcript.segments.append(TranscriptSegment(
                position=i, start=i * 10.0, end=i * 10.0 + 9.5, speaker="Lucienne",
                text=f"Ligne {i} : on entendait la fanfare depuis la rue, les cuivres et la grosse caisse.",
            ))
        db.session.commit()
        story_id = story.id
        db.session.remove()
    live_server.run_jobs()
    return story_id


@pytest.fixture(scope="module")
def story_id(live_server):
    return _seed(live_server)


def _page(new_page, width: int, **options):
    page = new_page("fr-BE", **options)
    page.set_viewport_size({"width": width, "height": 740 if width < 1000 else 900})
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_a_shared_moment_is_in_view(live_server, new_page, story_id, width):
    page = _page(new_page, width)
    page.goto(f"{live_server.url}/stories/{story_id}?t=300")
    wait_until(page, "document.querySelector('.segment--shared') !== null")
    page.wait_for_timeout(300)
    box = page.evaluate(
        "(() => { const r = document.querySelector('.segment[data-start=\"300.0\"], .segment[data-start=\"300\"]')"
        ".getBoundingClientRect(); return {top: r.top, bottom: r.bottom, h: innerHeight}; })()"
    )
    assert 0 <= box["top"] and box["bottom"] <= box["h"], box


def test_listening_tools(live_server, new_page, story_id):
    page = _page(new_page, 360)
    page.goto(f"{live_server.url}/stories/{story_id}")
    wait_until(page, "document.querySelectorAll('.segment__copy').length > 0")
    assert page.locator(".segment__copy").count() == LINES
    assert page.locator(".player__speed").count() == 3
    assert page.get_attribute(".player__speed[aria-pressed=true]", "aria-pressed") == "true"
    page.locator(".player__speed").nth(2).click()
    assert page.evaluate("document.querySelector('audio').playbackRate") == 1.25
    page.locator(".player__skip").nth(1).click()
    assert "Avancer de 10 secondes" in page.inner_text(".player__skip >> nth=1")
    # Text size: larger, remembered on the device for the next page.
    page.locator(".story-tools__text-size button").nth(1).click()
    assert page.evaluate("document.documentElement.style.fontSize") == "112.5%"
    page.goto(f"{live_server.url}/")
    assert page.evaluate("document.documentElement.style.fontSize") == "112.5%"
    page.evaluate("localStorage.removeItem('memoire.textSize')")


def test_copy_the_link_to_a_moment(live_server, new_page, story_id):
    page = _page(new_page, 1366, permissions=["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/stories/{story_id}")
    wait_until(page, "document.querySelectorAll('.segment__copy').length > 0")
    page.locator(".segment__copy").nth(3).click()
    wait_until(page, "document.querySelector('.story-tools__status').textContent.length > 0")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"/stories/{story_id}?t=30#player"), copied


# --- nothing covers content --------------------------------------------------------------

_OVERLAPS = """(barSelector) => {
  const bar = document.querySelector(barSelector);
  if (!bar || bar.hidden) return ["no bar"];
  const b = bar.getBoundingClientRect();
  const hits = [];
  for (const el of document.querySelectorAll("main h1, main h2, main p, main li, main figure")) {
    if (bar.contains(el) || el.contains(bar)) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === "hidden") continue;
    if (r.bottom > b.top + 1 && r.top < b.bottom - 1 && r.right > b.left && r.left < b.right
        && r.top < innerHeight && r.bottom > 0) hits.push(el.tagName + ": " + el.textContent.trim().slice(0, 40));
  }
  return hits;
}"""


@pytest.fixture(scope="module")
def exhibition_slug(live_server, story_id):
    from memoire.exhibitions import operations as ex
    from memoire.extensions import db
    from memoire.stories.models import Story

    with live_server.app.test_request_context():
        story = db.session.get(Story, story_id)
        exhibition = ex.create_exhibition(None, ex.ExhibitionInput(
            title="La fanfare", slug="fanfare",
            introduction="Une longue introduction sur la fanfare des mineurs et la vie du quartier. " * 12,
        ))
        ex.add_item(None, exhibition, story, caption="Le dimanche")
        ex.publish_exhibition(None, exhibition)
        db.session.commit()
        db.session.remove()
    return "fanfare"


@pytest.mark.parametrize("width", WIDTHS)
def test_kiosk_buttons_cover_no_text(live_server, new_page, exhibition_slug, width):
    page = _page(new_page, width)
    page.goto(f"{live_server.url}/exhibitions/{exhibition_slug}?kiosk=1")
    wait_until(page, "document.querySelector('[data-kiosk-controls]') && !document.querySelector('[data-kiosk-controls]').hidden")
    page.wait_for_timeout(200)
    for position in ("0", "document.documentElement.scrollHeight"):
        page.evaluate(f"window.scrollTo(0, {position})")
        page.wait_for_timeout(100)
        if position != "0":
            assert page.evaluate(_OVERLAPS, "[data-kiosk-controls]") == []
    # Everything above the bar can be scrolled into view: the page's end clears the bar.
    room = page.evaluate(
        "document.documentElement.scrollHeight - document.querySelector('main').getBoundingClientRect().bottom"
        " - window.scrollY"
    )
    bar = page.evaluate("document.querySelector('[data-kiosk-controls]').offsetHeight")
    assert room >= bar - 1, (room, bar)


# --- the header on a phone ------------------------------------------------------------------


@pytest.mark.parametrize("width", [320, 360])
def test_a_compact_header_on_a_phone(live_server, new_page, width):
    page = _page(new_page, width)
    page.goto(f"{live_server.url}/search")
    wait_until(page, "document.querySelector('.menu-toggle') !== null")
    height = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    assert height <= 90, height
    # The first field is on the first screen.
    assert page.evaluate("document.querySelector('#search-q').getBoundingClientRect().bottom") < 740
    assert not page.is_visible(".languages")
    page.click(".menu-toggle")
    assert page.get_attribute(".menu-toggle", "aria-expanded") == "true"
    assert page.is_visible(".languages") and page.is_visible(".main-nav")


def test_the_wide_header_shows_everything(live_server, new_page):
    page = _page(new_page, 1366)
    page.goto(f"{live_server.url}/search")
    wait_until(page, "document.querySelector('.site-header.has-menu') !== null")
    assert not page.is_visible(".menu-toggle")
    assert page.is_visible(".languages") and page.is_visible(".main-nav")


@pytest.mark.parametrize("width", [360, 1366])
def test_the_skip_link_covers_nothing_at_200_percent(live_server, new_page, width):
    page = _page(new_page, width)
    page.goto(f"{live_server.url}/")
    page.evaluate("localStorage.setItem('memoire.textSize', '200')")
    page.goto(f"{live_server.url}/")
    assert page.evaluate("document.documentElement.style.fontSize") == "200%"
    assert page.evaluate("document.querySelector('.skip-link').getBoundingClientRect().bottom") <= 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.querySelector('.skip-link').getBoundingClientRect().top") >= 0
    page.evaluate("localStorage.removeItem('memoire.textSize')")


# --- maps without tiles -------------------------------------------------------------------


@pytest.fixture(scope="module")
def gazetteer(live_server, story_id):
    """Mons and a quartier with outlines, and a landmark, as a gazetteer import brings them."""
    from memoire.extensions import db
    from memoire.places.gazetteer import import_places
    from memoire.stories.models import Story

    def square(west, south, size):
        return {"type": "Polygon", "coordinates": [[[west, south], [west + size, south],
                [west + size, south + size], [west, south + size], [west, south]]]}

    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": square(3.90, 50.40, 0.10),
         "properties": {"name": "Mons", "type": "commune", "external_id": "t:mons"}},
        {"type": "Feature", "geometry": square(3.94, 50.43, 0.03),
         "properties": {"name": "Épinlieu", "type": "quartier", "parent": "Mons", "external_id": "t:epinlieu"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [3.951, 50.454]},
         "properties": {"name": "Le beffroi", "type": "landmark", "parent": "Mons", "external_id": "t:beffroi"}},
    ]}
    with live_server.app.test_request_context():
        import_places(None, collection)
        story = db.session.get(Story, story_id)
        story.lat, story.lon = 50.445, 3.955
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("path", ["/map", "/"])
def test_without_tiles_the_map_names_its_places(live_server, new_page, gazetteer, path, chromium):
    page = _page(new_page, 360)
    # Every request that is not this archive's own is refused, as on an offline kiosk.
    page.context.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(live_server.url) else route.abort())
    page.goto(f"{live_server.url}{path}")
    wait_until(page, "document.querySelectorAll('.map-label').length > 0", timeout=20)
    names = page.evaluate("Array.from(document.querySelectorAll('.map-label')).map(e => e.textContent)")
    assert "Mons" in names and "Épinlieu" in names, names
    assert page.locator(".map path.leaflet-interactive, .map svg path").count() >= 2


# --- accessibility ----------------------------------------------------------------------------

AXE_PAGES = ["/", "/memories", "/memories/decade/1960", "/search?q=fanfare", "/map", "/account/signup",
             "/exhibitions/fanfare?kiosk=1"]


AXE_STAFF = "axe-moderator@example.org"


@pytest.fixture(scope="module")
def axe_paths(live_server, story_id, gazetteer) -> tuple[list[str], list[str]]:
    """(pages for a visitor, pages once signed in): the browse pages by theme and by place,
    and a moderator's own draft at the wizard's media step, its e-mail setting, the themes form."""
    from sqlalchemy import select

    from memoire.extensions import db
    from memoire.places.models import Place
    from memoire.stories import operations as ops
    from memoire.stories.models import Story
    from memoire.stories.periods import parse_period

    live_server.create_user("moderator", AXE_STAFF)
    with live_server.app.test_request_context():
        from memoire.accounts.models import User

        story = db.session.get(Story, story_id)
        theme_id = story.themes[0].id
        mons = db.session.scalar(select(Place.id).where(Place.name == "Mons"))
        owner = db.session.scalar(select(User).where(User.email == AXE_STAFF))
        draft = ops.create_story(owner, ops.StoryInput(title="Le carnaval", body="Un souvenir.", status="draft"))
        for title, year in [("L'harmonie en 1955", "1955"), ("L'harmonie en 1985", "1985")]:
            ops.create_story(None, ops.StoryInput(
                title=title, body="L'harmonie municipale.", status="published", visibility="public",
                period=parse_period(year), consent=ops.ConsentInput(given_by="Lucienne", online_publication=True),
            ))
        db.session.commit()
        draft_id = draft.id
        db.session.remove()
    live_server.run_jobs()
    visitor = [*AXE_PAGES, "/search?q=harmonie", f"/stories/{story_id}", f"/stories/{story_id}?t=120",
               f"/memories/theme/{theme_id}", f"/memories/place/{mons}"]
    signed_in = ["/account/news", f"/contribute/{draft_id}/media", "/admin/themes", f"/admin/themes/{theme_id}"]
    return visitor, signed_in


@pytest.mark.parametrize("text_size", ["100", "200"])
def test_axe_on_the_pages_of_a_first_visit(live_server, new_page, exhibition_slug, axe_paths, text_size):
    import re

    from tests.browser.conftest import PASSWORD, axe_violations

    page = _page(new_page, 360, bypass_csp=True)
    page.goto(f"{live_server.url}/")
    page.evaluate(f"localStorage.setItem('memoire.textSize', '{text_size}')")
    found = {}
    visitor, signed_in = axe_paths
    for path in [*visitor, "/account/login", *signed_in]:
        if path == "/account/login":  # the same page, signed in from here on
            page.goto(live_server.url + path)
            page.fill("#email", AXE_STAFF)
            page.fill("#password", PASSWORD)
            page.locator("main form.form [type=submit]").click()
            page.wait_for_url(re.compile(r"/my-stories$"))
            continue
        page.goto(f"{live_server.url}{path}")
        assert page.url == f"{live_server.url}{path}", f"{path} sent elsewhere: {page.url}"
        page.wait_for_timeout(300)
        if text_size == "200":
            assert page.evaluate("document.documentElement.style.fontSize") == "200%"
        if path == "/search?q=harmonie":  # the period range: two handles, the first never past the second
            assert page.locator(".period-range input[type=range]").count() == 2
            page.focus("#period-from")
            page.keyboard.press("End")
            last = page.get_attribute("#period-from", "max")  # other modules' stories may widen it
            assert page.input_value("#period-to") == last and int(last) >= 1980
            assert last in page.inner_text("[data-period-from-value]")
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    page.evaluate("localStorage.removeItem('memoire.textSize')")
    assert not found, found


@pytest.mark.parametrize("width", [320, 1366])
def test_a_checkbox_sits_beside_its_label(live_server, new_page, width):
    import re

    from tests.browser.conftest import PASSWORD

    email = f"boxes-{width}@example.org"
    live_server.create_user("contributor", email)
    page = _page(new_page, width)
    page.goto(live_server.url + "/account/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form.form [type=submit]").click()
    page.wait_for_url(re.compile(r"/my-stories$"))
    page.goto(live_server.url + "/account/news")
    box = page.evaluate("document.querySelector('#story_news').getBoundingClientRect().toJSON()")
    label = page.evaluate("document.querySelector('label[for=story_news]').getBoundingClientRect().toJSON()")
    assert label["left"] >= box["right"] and label["top"] < box["bottom"], (box, label)
