"""E-mail news of one's own story: published, sent back with the reason, withdrawn; through
the job queue (never in the request), in the contributor's language, and a setting to stop."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest

from memoire.extensions import db
from memoire.jobs.operations import run_pending


def mails(app) -> list:
    folder = Path(app.config["MEMOIRE_MAIL_DIR"])
    return [
        message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted(folder.glob("*.eml"))
    ] if folder.exists() else []


@pytest.fixture
def resident(create_user):
    def make(locale="en", email="resident@example.org"):
        user = create_user("contributor", email=email)
        user.locale = locale
        db.session.commit()
        return user

    return make


def test_published_then_told_by_email_after_the_job_runs(app, client, login, create_user, create_story, resident):
    owner = resident("en")
    story = create_story("La ducasse", status="submitted", contributor=owner)
    login(client, create_user("moderator"))
    response = client.post(f"/moderation/{story.id}/publish")
    assert response.status_code == 302
    assert mails(app) == []  # never sent in the request
    run_pending()
    [message] = mails(app)
    assert message["To"] == "resident@example.org"
    assert message["Subject"] == "Your memory “La ducasse” is published"
    body = message.get_content()
    assert f"http://localhost/stories/{story.id}" in body
    assert "http://localhost/account/news" in body


def test_sent_back_carries_the_moderators_reason(app, client, login, create_user, create_story, resident):
    story = create_story("Le terril", status="submitted", contributor=resident("en"))
    login(client, create_user("moderator"))
    client.post(f"/moderation/{story.id}/send-back", data={"back-reason": "Pouvez-vous préciser l'année ?"})
    run_pending()
    [message] = mails(app)
    assert "sent back" in message["Subject"]
    assert "«\u00a0Pouvez-vous préciser l'année ?\u00a0»" in message.get_content()
    assert "/my-stories" in message.get_content()


def test_withdrawn_is_told_too(app, client, login, create_story, resident):
    owner = resident("en")
    story = create_story("La fosse", contributor=owner)
    login(client, owner)
    assert client.post(f"/my-stories/{story.id}/withdraw").status_code in (302, 303)
    run_pending()
    [message] = mails(app)
    assert "withdrawn" in message["Subject"]


@pytest.mark.parametrize("locale, words", [("fr", "est publié"), ("nl", "is gepubliceerd")])
def test_written_in_the_contributors_language(app, client, login, create_user, create_story, resident, locale, words):
    story = create_story("La ducasse", status="submitted", contributor=resident(locale))
    login(client, create_user("moderator"))
    client.post(f"/moderation/{story.id}/publish")
    run_pending()
    [message] = mails(app)
    assert words in message["Subject"]


def test_the_setting_turns_them_off(app, client, login, create_user, create_story, resident):
    owner = resident("en")
    login(client, owner)
    page = client.get("/account/news")
    assert page.status_code == 200 and 'name="story_news"' in page.get_data(as_text=True)
    assert client.post("/account/news", data={}).status_code == 302  # unticked box
    assert db.session.get(type(owner), owner.id).story_news is False
    story = create_story("La ducasse", status="submitted", contributor=owner)
    login(client, create_user("moderator"))
    client.post(f"/moderation/{story.id}/publish")
    run_pending()
    assert mails(app) == []
