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
