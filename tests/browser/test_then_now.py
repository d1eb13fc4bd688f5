"""Then and now on the narrowest phone (320 px): the slider overlays today's photo on the
archive one and moves with the keyboard, the thread of responses and "to read next" fit
without scrolling sideways, and the main navigation offers the walks."""

from __future__ import annotations

import io

import pytest

from tests.browser.conftest import axe_violations, wait_until

pytestmark = pytest.mark.browser


@pytest.fixture
def story_with_pair(live_server) -> int:
    from memoire.extensions import db
    from memoire.media.operations import add_media
    from memoire.places.operations import find_or_create_place
    from memoire.stories import operations as story_ops
    from memoire.then_now import operations as then_now
    from tests.conftest import jpeg_bytes

    with live_server.app.app_context():
        place = find_or_create_place(
            None, name="Rue de la Fosse", type="street", parent="Valenciennes", lat=50.35, lon=3.53
        )

        def story(title: str, **extra):
            return story_ops.create_story(
                None,
                story_ops.StoryInput(
                    title=title,
                    kind="photo",
                    visibility="public",
                    status="published",
                    language="fr",
                    places=[(place, "happened")],
                    narrators=[
                        story_ops.NarratorInput(name="Une habitante au nom vraiment très long")
                    ],
                    consent=story_ops.ConsentInput(given_by="test", online_publication=True),
                    **extra,
                ),
            )

        old, today = story("La rue de la Fosse en 1930"), story("La rue de la Fosse aujourd'hui")
        then = add_media(None, old, io.BytesIO(jpeg_bytes(size=(800, 600), color=(90, 60, 30))))
        now = add_media(None, today, io.BytesIO(jpeg_bytes(size=(800, 600), color=(30, 160, 90))))
        db.session.flush()
        then_now.pair_photos(None, then.id, now.id, caption="La rue, hier et aujourd'hui")
        answer = story("Moi aussi j'habitais rue de la Fosse, au numéro douze, chez ma tante")
        answer.answers_id = old.id
        db.session.commit()
        return old.id


def test_then_and_now_on_a_320px_phone(live_server, new_page, story_with_pair):
    page = new_page(bypass_csp=True)  # only so that axe-core can be injected
    page.set_viewport_size({"width": 320, "height": 640})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/stories/{story_with_pair}")
    wait_until(page, "!!document.querySelector('.then-now--slider')")
    slider = page.locator("[data-then-now-range]")
    assert slider.is_visible()
    clip = "getComputedStyle(document.querySelector('.then-now__side--now')).clipPath"
    assert "50%" in page.evaluate(clip)
    slider.focus()
    page.keyboard.press("Home")
    wait_until(page, f"{clip}.indexOf('0%') >= 0 && {clip}.indexOf('50%') < 0")
    # Thread, "to read next" and the pair: nothing wider than the screen.
    assert page.locator(".responses__thread li").count() == 1
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect()"
        ".right > 321).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, wide[:12]
    assert page.locator('.main-nav a[href="/walks"]').count() == 1
    assert axe_violations(page) == []
    assert not errors
