"""Forms in a real browser: errors by their fields, with and without JavaScript; axe-core
finds no serious or critical violation on the pages people use most."""

from __future__ import annotations

import io
import re

import pytest

from tests.browser.conftest import PASSWORD, axe_violations

pytestmark = pytest.mark.browser


def _log_in(live_server, page, email: str) -> None:
    page.goto(live_server.url + "/account/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form.form [type=submit]").click()
    page.wait_for_url(re.compile(r"/my-stories$"))


def _described_errors(page, field_id: str) -> str:
    """The text of what a field's aria-describedby points at: what a screen reader reads."""
    ids = (page.get_attribute(f"#{field_id}", "aria-describedby") or "").split()
    return " ".join(page.inner_text(f"#{i}") for i in ids)


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_errors_are_shown_by_their_fields(live_server, new_page, screenshot, javascript):
    email = f"errors-{javascript}@example.org"
    live_server.create_user("contributor", email)
    page = new_page("en-GB", java_script_enabled=javascript)
    _log_in(live_server, page, email)

    page.goto(live_server.url + "/contribute")
    page.locator("main form.form [type=submit]").click()
    summary = page.locator('.error-summary[role="alert"]')
    assert summary.is_visible()
    assert page.get_attribute("#title", "aria-invalid") == "true"
    assert "Give your memory a title." in _described_errors(page, "title")
    # The summary links to the field it names.
    summary.locator('a[href="#title"]').click()
    if javascript:
        assert page.evaluate("document.activeElement.id") == "title"
    screenshot(page, "what-errors")

    page.fill("#title", "Le terril")
    page.locator("main form.form [type=submit]").click()
    page.wait_for_url(re.compile(r"/media$"))
    story_url = page.url.rsplit("/", 1)[0]

    page.goto(story_url + "/when")
    page.fill("#period", "il y a très longtemps")
    page.locator("main form.form [type=submit]").click()
    assert page.get_attribute("#period", "aria-invalid") == "true"
    assert "This period could not be understood" in _described_errors(page, "period")
    assert page.input_value("#period") == "il y a très longtemps"  # what was typed stays

    page.goto(story_url + "/consent")
    page.check("#narrator_is_minor")
    page.check("#online_publication")
    page.click("#save")
    assert page.get_attribute("#guardian_name", "aria-invalid") == "true"
    assert page.is_visible("#guardian_name")
    assert "parent's or guardian's consent" in _described_errors(page, "guardian_name")
    screenshot(page, "consent-errors")


def _seed_published_story(live_server) -> int:
    """A published story with a photo and a prepared recording, made through the operations."""
    from memoire.contributions import operations as ops
    from memoire.extensions import db
    from memoire.places.operations import find_or_create_place
    from memoire.stories import operations as story_ops
    from tests.conftest import jpeg_bytes, wav_bytes

    with live_server.app.test_request_context():
        from memoire.accounts.models import User

        author = db.session.query(User).filter_by(email="axe-moderator@example.org").one()
        place = find_or_create_place(
            None, name="Épinlieu", type="quartier", parent="Mons", lat=50.44, lon=3.96
        )
        story = ops.start_draft(
            author,
            title="L'école de la rue des Mineurs",
            body="Nous allions à l'école à pied, par le terril.",
        )
        ops.add_contribution_media(
            author, story, io.BytesIO(jpeg_bytes()), caption="La cour de l'école", is_photo=True
        )
        ops.add_contribution_media(author, story, io.BytesIO(wav_bytes()), caption="Récit")
        ops.save_changes(
            author,
            story,
            visibility="public",
            places=[(place, "happened")],
            narrators=[story_ops.NarratorInput(name="Lucienne")],
            consent=story_ops.ConsentInput(given_by="Lucienne", online_publication=True),
        )
        story_ops.submit_story(author, story)
        story_ops.publish_story(author, story)
        waiting = ops.start_draft(author, title="En attente de lecture", body="Un souvenir à lire.")
        ops.save_changes(
            author,
            waiting,
            narrators=[story_ops.NarratorInput(name="Paul")],
            consent=story_ops.ConsentInput(given_by="Paul", online_publication=True),
            visibility="public",
        )
        story_ops.submit_story(author, waiting)
        db.session.commit()
        story_id = story.id
        db.session.remove()
    live_server.run_jobs()
    return story_id


def test_axe_finds_no_serious_violation(live_server, new_page, screenshot):
    live_server.create_user("moderator", "axe-moderator@example.org")
    story_id = _seed_published_story(live_server)

    visitor = new_page("fr-BE", bypass_csp=True)
    pages = {
        "home": "/",
        "story": f"/stories/{story_id}",
        "search": "/search?q=ecole",
        "login": "/account/login",
        "signup": "/account/signup",
    }
    staff = new_page("fr-BE", bypass_csp=True)
    _log_in(live_server, staff, "axe-moderator@example.org")
    staff.goto(live_server.url + "/contribute")
    staff.fill("#title", "Brouillon pour axe")
    staff.locator("main form.form [type=submit]").click()
    staff.wait_for_url(re.compile(r"/media$"))
    draft_url = staff.url.rsplit("/", 1)[0].replace(live_server.url, "")
    staff_pages = {
        "contribute": "/contribute",
        "contribute-media": f"{draft_url}/media",
        "contribute-where": f"{draft_url}/where",
        "contribute-who": f"{draft_url}/who",
        "contribute-consent": f"{draft_url}/consent",
        "my-stories": "/my-stories",
        "moderation": "/moderation/",
        "moderation-review": f"/moderation/{story_id}",
    }
    found = {}
    for page, urls in ((visitor, pages), (staff, staff_pages)):
        for name, path in urls.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, (name, response.status)
            page.wait_for_load_state("networkidle")
            violations = axe_violations(page)
            if violations:
                found[name] = violations
                screenshot(page, f"axe-{name}")
    assert found == {}
