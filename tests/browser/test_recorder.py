"""Recording in the browser with MediaRecorder (Chromium's fake microphone), then uploading."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, PHONE, wait_until

pytestmark = pytest.mark.browser


@pytest.fixture
def fake_microphone_page(playwright_driver):
    """A page in a Chromium whose microphone plays a test tone, with permission granted."""
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    )
    context = browser.new_context(viewport=PHONE, locale="en-GB", permissions=["microphone"])
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
    browser.close()


def test_a_recording_made_in_the_browser_is_uploaded(live_server, fake_microphone_page, screenshot):
    page = fake_microphone_page
    live_server.create_user("contributor", "recorder@example.org")
    page.goto(live_server.url + "/account/login")
    page.fill("#email", "recorder@example.org")
    page.fill("#password", PASSWORD)
    page.locator("main form.form [type=submit]").click()
    page.wait_for_url(re.compile(r"/my-stories$"))
    page.goto(live_server.url + "/contribute")
    page.fill("#title", "Ma voix")
    page.locator("main form.form [type=submit]").click()
    page.wait_for_url(re.compile(r"/media$"))

    start = page.locator(".recorder__button")
    assert start.inner_text() == "Start recording"
    start.click()
    page.wait_for_timeout(2500)
    page.locator(".recorder__button").click()
    wait_until(page, "document.getElementById('rec-recording').files.length === 1")
    assert "Recording ready" in page.inner_text(".recorder__status")
    screenshot(page, "recorded")
    page.locator('form[action$="/media/recording"] button[type="submit"]').click()
    page.wait_for_selector(".media-item audio")
    assert page.locator(".field__error").count() == 0


def test_a_resident_answers_a_story_with_a_recording(live_server, fake_microphone_page, screenshot):
    """Issue 18: "I remember too" on a public story, a voice recorded on the phone, and the
    thread under the story once a moderator published the answer."""
    from memoire.accounts.models import User
    from memoire.extensions import db
    from memoire.stories import operations as story_ops
    from memoire.stories.models import Story

    page = fake_microphone_page
    live_server.create_user("contributor", "voisine@example.org")
    live_server.create_user("moderator", "moderatrice-fil@example.org")
    with live_server.app.app_context():
        anchor = story_ops.create_story(
            None,
            story_ops.StoryInput(
                title="La grève de 1963 à la fosse",
                kind="anecdote",
                body="On tenait le piquet devant la grille.",
                visibility="public",
                status="published",
                language="fr",
                narrators=[story_ops.NarratorInput(name="Marcel")],
                consent=story_ops.ConsentInput(given_by="Marcel", online_publication=True),
            ),
        )
        db.session.commit()
        anchor_id = anchor.id

    page.goto(live_server.url + "/account/login")
    page.fill("#email", "voisine@example.org")
    page.fill("#password", PASSWORD)
    page.locator("main form.form [type=submit]").click()
    page.wait_for_url(re.compile(r"/my-stories$"))
    page.goto(f"{live_server.url}/stories/{anchor_id}")
    page.locator(f'a.button[href*="answers={anchor_id}"]').click()
    page.wait_for_url(re.compile(r"/contribute\?"))
    assert "La grève de 1963 à la fosse" in page.locator("main").inner_text()
    page.fill("#title", "La soupe populaire")
    page.locator("main form.form [type=submit]").click()
    page.wait_for_url(re.compile(r"/contribute/\d+/media$"))
    answer_id = int(re.search(r"/contribute/(\d+)/media", page.url).group(1))

    page.locator(".recorder__button").click()
    page.wait_for_timeout(2500)
    page.locator(".recorder__button").click()
    wait_until(page, "document.getElementById('rec-recording').files.length === 1")
    page.locator('form[action$="/media/recording"] button[type="submit"]').click()
    page.wait_for_selector(".media-item audio")

    page.goto(f"{live_server.url}/contribute/{answer_id}/who")
    assert page.is_checked("#narrator-0")  # the resident herself
    page.locator("main form.form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/consent$"))
    page.check("#online_publication")
    page.click("#send")
    page.wait_for_url(re.compile(r"/my-stories$"))
    screenshot(page, "answer-sent")

    # Moderated like any contribution: nothing in the thread until it is published.
    page.goto(f"{live_server.url}/stories/{anchor_id}")
    assert page.locator(".responses__thread li").count() == 0
    with live_server.app.app_context():
        moderator = db.session.query(User).filter_by(email="moderatrice-fil@example.org").one()
        answer = db.session.get(Story, answer_id)
        assert answer.answers_id == anchor_id and answer.status == "submitted"
        story_ops.publish_story(moderator, answer)
        db.session.commit()
    live_server.run_jobs()  # the worker prepares the recording's stream
    page.goto(f"{live_server.url}/stories/{anchor_id}")
    thread = page.locator(".responses__thread li")
    assert thread.count() == 1 and "La soupe populaire" in thread.inner_text()
    thread.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/stories/{answer_id}$"))
    assert page.locator(f'a[href$="/stories/{anchor_id}"]').count() >= 1  # what it answers
    assert page.locator("audio").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "answer-thread")
