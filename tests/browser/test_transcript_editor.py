"""The transcript workbench in Chromium: attach a VTT, play a segment, correct a word (autosave),
find the new word and not the old one; the same without JavaScript; a proposal accepted."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PASSWORD, wait_until
from tests.transcripts.conftest import VTT

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}


def _story_with_recording(live_server, owner_email: str, status: str = "draft") -> int:
    import io

    from memoire.accounts.models import User
    from memoire.extensions import db
    from memoire.media.operations import add_media
    from memoire.stories import operations as story_ops
    from tests.conftest import wav_bytes

    with live_server.app.app_context():
        owner = db.session.scalars(db.select(User).where(User.email == owner_email)).one()
        story = story_ops.create_story(owner, story_ops.StoryInput(
            title="Les matins de la fosse", kind="oral_history", visibility="public",
            status="draft", language="fr",
            consent=story_ops.ConsentInput(given_by="Marie", online_publication=True,
                                           research_use=True, exhibition_use=True)))
        add_media(owner, story, io.BytesIO(wav_bytes(10.0)), caption="Entretien")
        db.session.commit()
        return story.id


def _publish(live_server, story_id: int) -> None:
    from memoire.extensions import db
    from memoire.search import service
    from memoire.stories.models import Story

    with live_server.app.app_context():
        story = db.session.get(Story, story_id)
        story.status = "published"
        db.session.commit()
        service.process_pending()


def _login(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/account/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form.form [type=submit]").click()
    page.wait_for_url(re.compile(r"/my-stories$"))


def test_attach_play_correct_and_find(live_server, new_page, tmp_path, screenshot):
    live_server.create_user("mediator", "mediatrice@example.org")
    story_id = _story_with_recording(live_server, "mediatrice@example.org")
    page = new_page(locale="en-GB")
    _login(page, live_server, "mediatrice@example.org")
    page.goto(f"{live_server.url}/contribute/{story_id}/media")
    vtt = tmp_path / "entretien.vtt"
    vtt.write_text(VTT.replace("mineur de fond", "mineur de fond à la fosse"), encoding="utf-8")
    page.set_input_files("input[name=transcript]", str(vtt))
    page.get_by_role("button", name="Attach the transcript").click()
    page.get_by_role("link", name="Edit the transcript").first.click()
    page.wait_for_url(re.compile(r"/transcripts/\d+/edit"))
    second = page.locator("[data-segment]").nth(1)
    second.get_by_role("button", name=re.compile("Play")).click()
    wait_until(page, "!document.querySelector('[data-editor-audio]').paused")
    wait_until(page, "document.querySelector('[data-editor-audio]').currentTime >= 2.4")
    screenshot(page, "playing")
    text = second.locator("textarea")
    text.fill("Mon père était porion à la fosse.")
    wait_until(page, "document.querySelector('[data-editor-status]').dataset.state === 'saved'")
    _publish(live_server, story_id)
    visitor = new_page(locale="en-GB")
    visitor.goto(f"{live_server.url}/search?q=porion")
    link = visitor.locator(f"a[href*='/stories/{story_id}?t=2']").first
    assert link.count() == 1
    visitor.goto(f"{live_server.url}/search?q=mineur")
    assert visitor.locator(f"a[href*='/stories/{story_id}']").count() == 0


def test_the_editor_without_javascript(live_server, chromium, tmp_path):
    live_server.create_user("moderator", "moderatrice@example.org")
    live_server.create_user("contributor", "auteur@example.org")
    story_id = _story_with_recording(live_server, "auteur@example.org")
    from memoire.extensions import db
    from memoire.stories.models import Story
    from memoire.transcripts.operations import attach_transcript

    with live_server.app.app_context():
        story = db.session.get(Story, story_id)
        transcript = attach_transcript(None, story, VTT.encode(), filename="t.vtt",
                                       media=story.media[0])
        db.session.commit()
        transcript_id = transcript.id
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        _login(page, live_server, "moderatrice@example.org")
        page.goto(f"{live_server.url}/stories/{story_id}/transcripts/{transcript_id}/edit")
        assert page.locator("[data-editor-play]").first.is_hidden()
        segment = page.locator("[data-segment]").nth(3)
        segment.locator("textarea").fill("La cité était pleine de gamins.")
        page.get_by_role("button", name="Save this page").click()
        assert page.locator("[data-segment]").nth(3).locator("textarea").input_value() == (
            "La cité était pleine de gamins.")
        segment = page.locator("[data-segment]").nth(1)
        segment.locator("input[name^=split-words]").fill("mineur")
        segment.get_by_role("button", name=re.compile("^Split")).click()
        assert page.locator("[data-segment]").count() == 5
    finally:
        context.close()


def test_a_resident_proposes_and_a_moderator_accepts(live_server, new_page):
    live_server.create_user("contributor", "habitante@example.org")
    live_server.create_user("contributor", "voisin@example.org")
    live_server.create_user("moderator", "moderateur@example.org")
    story_id = _story_with_recording(live_server, "habitante@example.org")
    from memoire.extensions import db
    from memoire.stories.models import Story
    from memoire.transcripts.operations import attach_transcript

    with live_server.app.app_context():
        story = db.session.get(Story, story_id)
        attach_transcript(None, story, VTT.encode(), filename="t.vtt", media=story.media[0])
        db.session.commit()
    _publish(live_server, story_id)
    page = new_page(locale="en-GB")
    _login(page, live_server, "voisin@example.org")
    page.goto(f"{live_server.url}/stories/{story_id}")
    page.get_by_role("link", name="Correct a mistake in the transcript").click()
    page.locator("textarea").nth(1).fill("Mon père était porion.")
    page.get_by_role("button", name="Send my correction").click()
    page.goto(f"{live_server.url}/my-stories")
    assert page.get_by_text("Waiting for a moderator").count() == 1
    moderator = new_page(locale="en-GB")
    _login(moderator, live_server, "moderateur@example.org")
    moderator.goto(f"{live_server.url}/moderation/corrections")
    moderator.get_by_role("button", name="Accept").first.click()
    page.goto(f"{live_server.url}/my-stories")
    assert page.get_by_text("Accepted").count() >= 1
    page.goto(f"{live_server.url}/stories/{story_id}")
    assert page.get_by_text("Mon père était porion.").count() >= 1
