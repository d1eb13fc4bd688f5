"""A mediator records a workshop, uploads three recordings into it; once published, a visitor
finds them from the neighbourhood page. On a phone, in Chromium; the forms need no JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PASSWORD, axe_violations
from tests.conftest import wav_bytes

pytestmark = pytest.mark.browser


def _setup(live_server) -> None:
    from memoire.extensions import db
    from memoire.network import operations as ops
    from memoire.places.models import Place

    live_server.create_place("Dutemple", "Valenciennes")
    live_server.create_user("mediator", "mediatrice@example.org")
    with live_server.app.app_context():
        dutemple = db.session.query(Place).filter_by(name="Dutemple").one()
        ops.create_organisation(None, ops.OrganisationInput(
            name="Centre social Dutemple", kind="social_centre", country="FR",
            neighbourhood_ids=[dutemple.id]))
        db.session.commit()


def _publish_the_drafts(live_server, workshop_id: int) -> list[int]:
    """What the moderators would do from their queue (a flow tested on its own)."""
    from memoire.extensions import db
    from memoire.network.models import WorkshopStory
    from memoire.stories import operations as story_ops
    from memoire.stories.models import Story

    with live_server.app.app_context():
        ids = [link.story_id for link in db.session.query(WorkshopStory).filter_by(workshop_id=workshop_id)]
        for story in db.session.query(Story).filter(Story.id.in_(ids)):
            story.visibility = "public"
            story_ops.submit_story(None, story)
            story_ops.publish_story(None, story)
        db.session.commit()
        from memoire.search import service

        service.apply_pending_after_commit()
    return ids


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_mediator_records_a_workshop_and_a_visitor_finds_its_memories(
    live_server, new_page, screenshot, tmp_path, javascript
):
    if not javascript:
        _setup(live_server)
    files = []
    for n in (1, 2, 3):
        path = tmp_path / f"atelier_{'js' if javascript else 'nojs'}_{n}.wav"
        path.write_bytes(wav_bytes(seconds=1.0))
        files.append(path)
    title = f"Carte des ressentis ({'avec' if javascript else 'sans'} JavaScript)"

    # axe-core is injected inline: the with-JS run lets it past the Content-Security-Policy.
    page = new_page(locale="fr-BE", java_script_enabled=javascript, bypass_csp=javascript)
    page.goto(live_server.url + "/account/login")
    page.fill("#email", "mediatrice@example.org")
    page.fill("#password", PASSWORD)
    page.locator("main form.form [type=submit]").click()
    page.wait_for_url(re.compile(r"/my-stories$"))

    # The mediator records the workshop.
    page.goto(live_server.url + "/workshops/new")
    page.fill("#title", title)
    page.fill("#starts_on", "2022-05-14")
    page.select_option("#place_id", label="Dutemple (Valenciennes)")
    page.select_option("#audience", "teenagers")
    page.fill("#participants", "11")
    page.locator("#organisations input[type=checkbox]").first.check()
    screenshot(page, "workshop-form")
    if javascript:
        assert axe_violations(page) == []
    page.locator("main form.form [type=submit]").click()
    page.wait_for_url(re.compile(r"/workshops/\d+$"))
    workshop_id = int(page.url.rsplit("/", 1)[1])
    assert page.locator("h1").inner_text() == title

    # ... then uploads three recordings into it.
    page.locator(f'a[href$="/contribute/workshop?workshop={workshop_id}"]').click()
    assert page.locator("#workshop").input_value() == str(workshop_id)
    page.set_input_files("#files", [str(f) for f in files])
    page.check("input[name=method][value=signed_form]")
    page.fill("#given_by", "Les participants de l'atelier")
    page.check("#online_publication")
    screenshot(page, "upload")
    page.locator("main form.form [type=submit]").click()
    page.wait_for_url(re.compile(r"/my-stories$"), timeout=60_000)

    ids = _publish_the_drafts(live_server, workshop_id)
    assert len(ids) == 3

    # A visitor, on a phone, finds them from the neighbourhood page.
    visitor = new_page(locale="nl-BE" if javascript else "fr-BE", java_script_enabled=javascript,
                       bypass_csp=javascript)
    visitor.goto(live_server.url + "/")
    if javascript:  # on a phone the menu folds behind its button
        visitor.locator(".menu-toggle").click()
    visitor.locator('.main-nav a[href="/directory"]').click()
    visitor.locator('.network-nav a[href="/neighbourhoods"]').click()
    visitor.locator("main a", has_text="Dutemple").first.click()
    visitor.wait_for_url(re.compile(r"/neighbourhoods/\d+$"))
    assert "Centre social Dutemple" in visitor.locator("main").inner_text()
    screenshot(visitor, "neighbourhood")
    if javascript:
        assert axe_violations(visitor) == []
    visitor.locator("main a", has_text=title).click()
    visitor.wait_for_url(re.compile(rf"/workshops/{workshop_id}$"))
    cards = visitor.locator(".card__title a")
    names = sorted(cards.all_inner_texts())
    assert names == sorted(f.stem.replace("_", " ") for f in files)
    screenshot(visitor, "workshop")
    if javascript:
        assert axe_violations(visitor) == []
    cards.first.click()
    visitor.wait_for_url(re.compile(r"/stories/\d+$"))
    assert title in visitor.locator("main").inner_text()
    if javascript:
        visitor.goto(live_server.url + "/directory?audience=teenagers")
        assert title in visitor.locator("main").inner_text()
        assert axe_violations(visitor) == []
