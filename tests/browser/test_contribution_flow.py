"""A resident shares a memory from a phone, a moderator publishes it, a visitor listens to it.

Runs in Debian's Chromium, headless, at a phone's size, against the app served by the
test; the same flow in French and in Dutch. Screenshots of every step are kept in
test-artifacts/screenshots/.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PASSWORD, wait_until, write_test_files

pytestmark = pytest.mark.browser

#: Interface words each language must show along the way.
WORDS = {
    "fr": {
        "signup_heading": "Créer un compte",
        "step_one": "Votre souvenir",
        "consent_legend": "La personne qui raconte accepte que\u00a0:",
        "submitted": "Chez les modérateurs",
        "publish": "Publier",
        "listen": "Écouter",
    },
    "nl": {
        "signup_heading": "Een account aanmaken",
        "step_one": "Je herinnering",
        "consent_legend": "De verteller gaat ermee akkoord dat:",
        "submitted": "Bij de moderatoren",
        "publish": "Publiceren",
        "listen": "Beluisteren",
    },
}


def _submit(page, form_selector: str = "main form.form") -> None:
    page.locator(form_selector).locator('[type="submit"]').first.click()


def _open_menu(page) -> None:
    """On a phone the header folds its links behind the Menu button (issue 17)."""
    toggle = page.locator(".menu-toggle")
    if toggle.count() and toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def _resident_shares_a_memory(
    live_server, page, screenshot, lang: str, email: str, title: str, tmp_path
):
    words = WORDS[lang]
    photo, recording = write_test_files(tmp_path / "files")
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == lang
    _open_menu(page)
    page.locator('.account-nav a[href^="/account/signup"]').click()
    assert page.locator("h1").inner_text() == words["signup_heading"]
    page.fill("#display_name", "Jeanne")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    screenshot(page, "signup")
    _submit(page)

    # Step 1: what.
    page.wait_for_url(re.compile(r"/contribute$"))
    assert words["step_one"] in page.locator("h1").inner_text()
    page.fill("#title", title)
    page.fill(
        "#body", "Le dimanche, toute la cité descendait à la ducasse. On dansait jusqu'à minuit."
    )
    page.fill("#new_themes", "fête, ducasse")
    screenshot(page, "what")
    _submit(page)

    # Step 2: a photo (its description follows the caption) and a recording.
    page.wait_for_url(re.compile(r"/contribute/\d+/media$"))
    story_id = int(re.search(r"/contribute/(\d+)/", page.url).group(1))
    page.set_input_files("#photo-photo", str(photo))
    page.locator("#photo-caption").press_sequentially("La place de la ducasse")
    assert page.input_value("#photo-alt_text") == "La place de la ducasse"
    page.locator('form[action$="/media/photo"] button[type="submit"]').click()
    page.wait_for_selector(".media-item img")
    page.set_input_files("#rec-recording", str(recording))
    page.fill("#rec-caption", "Jeanne raconte")
    page.locator('form[action$="/media/recording"] button[type="submit"]').click()
    page.wait_for_selector(".media-item audio")
    assert page.locator(".media-item").count() == 2
    screenshot(page, "media")
    page.locator(f'.button-row a[href$="/contribute/{story_id}/where"]').click()

    # Step 3: where, with the type-ahead of known places and a tap on the map.
    page.wait_for_url(re.compile(r"/where$"))
    page.locator("#place_name").press_sequentially("dutem", delay=30)
    page.locator("#place-suggestions option").first.wait_for(state="attached")
    label = page.locator("#place-suggestions option").first.get_attribute("value")
    assert label == "Dutemple (Valenciennes)"
    page.fill("#place_name", label)
    assert page.input_value("#place_id") != ""
    page.wait_for_selector('#where-map[data-map-ready="true"]')
    page.locator("#where-map").click(position={"x": 150, "y": 100})
    assert re.match(r"^5\d\.\d+$", page.input_value("#lat"))
    screenshot(page, "where")
    _submit(page)

    # Step 4: when. Step 5: who (the resident herself).
    page.wait_for_url(re.compile(r"/when$"))
    page.fill("#period", "années 60")
    _submit(page)
    page.wait_for_url(re.compile(r"/who$"))
    assert page.is_checked("#narrator-0")
    page.select_option("#birth_decade", "1940")
    _submit(page)

    # Step 6: consent, in plain words; CC BY-NC 4.0 is preselected.
    page.wait_for_url(re.compile(r"/consent$"))
    assert words["consent_legend"] in page.locator("main").inner_text()
    assert page.input_value("#licence") == "CC-BY-NC-4.0"
    assert not page.is_visible("#guardian_name")  # only for a narrator under 18
    page.check("#online_publication")
    page.check("#research_use")
    page.check("#exhibition_use")
    screenshot(page, "consent")
    page.click("#send")
    page.wait_for_url(re.compile(r"/my-stories$"))
    assert words["submitted"] in page.locator(f"#story-{story_id}").inner_text()
    screenshot(page, "my-stories")
    return story_id


def _moderator_publishes(
    live_server, page, screenshot, lang: str, email: str, story_id: int, title: str
):
    page.goto(live_server.url + "/account/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    _submit(page)
    page.wait_for_url(re.compile(r"/my-stories$"))
    _open_menu(page)
    page.locator('.account-nav a[href^="/moderation"]').click()
    page.wait_for_url(re.compile(r"/moderation/$"))
    card = page.locator(".moderation-queue > li", has_text=title)
    card.wait_for()
    assert card.locator("img").count() == 1 and card.locator("audio").count() == 1
    screenshot(page, "queue")
    card.locator(f'a.button[href$="/moderation/{story_id}"]').click()
    page.wait_for_url(re.compile(rf"/moderation/{story_id}$"))
    assert page.locator("#publish-submit").get_attribute("value") == WORDS[lang]["publish"]
    screenshot(page, "review")
    page.click("#publish-submit")
    page.wait_for_url(re.compile(r"/moderation/?$"))
    assert title not in page.locator("main").inner_text()


def _visitor_listens(live_server, page, screenshot, lang: str, story_id: int, title: str):
    page.goto(live_server.url + "/")
    page.locator(".card__title a", has_text=title).click()
    page.wait_for_url(re.compile(rf"/stories/{story_id}$"))
    assert page.locator("h1").inner_text() == title
    assert page.locator(".photo img").get_attribute("alt") == "La place de la ducasse"
    assert WORDS[lang]["listen"] in page.locator(".player__heading").inner_text()
    audio = page.locator("audio.player__audio")
    assert audio.count() == 1
    # A click gives the page the user gesture browsers want before playing sound.
    audio.click(position={"x": 20, "y": 20})
    page.evaluate("document.querySelector('audio.player__audio').play()")
    wait_until(
        page,
        "(() => { const a = document.querySelector('audio.player__audio'); "
        "return a.currentTime > 0 || a.ended; })()",
    )
    assert page.evaluate("document.querySelector('audio.player__audio').duration") > 1
    screenshot(page, "story")


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_share_moderate_and_listen(live_server, new_page, screenshot, tmp_path, lang):
    live_server.create_place("Dutemple", "Valenciennes")
    moderator = f"moderator-{lang}@example.org"
    live_server.create_user("moderator", moderator)
    title = {"fr": "La ducasse de Dutemple", "nl": "De kermis van Dutemple"}[lang]
    locale = {"fr": "fr-BE", "nl": "nl-BE"}[lang]

    resident = new_page(locale)
    story_id = _resident_shares_a_memory(
        live_server, resident, screenshot, lang, f"jeanne-{lang}@example.org", title, tmp_path
    )
    _moderator_publishes(
        live_server, new_page(locale), screenshot, lang, moderator, story_id, title
    )
    # A real deployment's worker prepares the public audio stream; here the test does.
    assert live_server.run_jobs() >= 1
    _visitor_listens(live_server, new_page(locale), screenshot, lang, story_id, title)
