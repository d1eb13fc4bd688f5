"""The leak suite for the transcript workbench: editor, history, proposals, corrections queue.

Walks the planted archive of tests/trust/test_leaks.py: a story's workbench pages answer
404 (and show nothing) to whoever may not see the story, 403 to whoever may see it but not
edit it, and 200 to its editors; the corrections queue is for staff; a resident's list of
proposals never shows the words of a story that stopped being public.
"""

from __future__ import annotations

import json

import pytest

from memoire.extensions import db
from memoire.stories.visibility import may_view
from memoire.transcripts import operations as ops
from tests.trust.test_leaks import VIEWERS, client_for, fetch, planted  # noqa: F401

EDITOR_PAGES = ["edit", "history", "translations/edit?language=nl"]


def _transcript(item):
    return item.story.transcripts[0]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_workbench_pages_follow_visibility_and_edit_rights(app, planted, viewer):  # noqa: F811
    client = client_for(app, planted, viewer)
    user = planted["users"][viewer]
    failures = []
    for item in planted["stories"]:
        transcript = _transcript(item)
        visible = may_view(user, item.story)
        for page in EDITOR_PAGES + ["propose"]:
            url = f"/stories/{item.story.id}/transcripts/{transcript.id}/{page}"
            status, text = fetch(client, planted, viewer, url)
            if page == "propose":
                allowed = visible and ops.may_propose(user, item.story)
            else:
                allowed = visible and ops.may_edit(user, item.story)
            if user is None:
                expected = {200}  # the login page, after the redirect
            elif allowed:
                expected = {200}
            elif visible:
                expected = {403}
            else:
                expected = {404}
            if status not in expected:
                failures.append(f"{viewer} {url} ({item.story.status}/{item.story.visibility}): {status}")
            if not allowed and item.word in text:
                failures.append(f"{viewer} {url} shows {item.word}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_corrections_queue_is_for_staff(app, planted, viewer):  # noqa: F811
    client = client_for(app, planted, viewer)
    status, text = fetch(client, planted, viewer, "/moderation/corrections")
    if viewer == "moderator":
        assert status == 200
    else:
        assert status in (200, 403) and not any(i.word in text for i in planted["stories"])
        if viewer != "visitor":
            assert status == 403


def test_a_proposal_on_a_story_that_stopped_being_public_shows_nothing(app, planted):  # noqa: F811
    public = next(i for i in planted["stories"]
                  if i.story.status == "published" and i.story.visibility == "public")
    other = planted["users"]["other"]
    transcript = _transcript(public)
    segment = transcript.segments[0]
    ops.propose_correction(other, transcript, {segment.id: f"On parlait encore de {public.word}."})
    db.session.commit()
    client = client_for(app, planted, "other")
    status, text = fetch(client, planted, "other", "/my-stories")
    assert status == 200 and public.word in text
    public.story.visibility = "private"
    db.session.commit()
    status, text = fetch(client, planted, "other", "/my-stories")
    assert status == 200 and public.word not in text


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_story_page_offers_the_workbench_only_to_who_may_use_it(app, planted, viewer):  # noqa: F811
    client = client_for(app, planted, viewer)
    user = planted["users"][viewer]
    for item in planted["stories"]:
        if not may_view(user, item.story):
            continue
        status, text = fetch(client, planted, viewer, f"/stories/{item.story.id}")
        transcript = _transcript(item)
        assert (f"/transcripts/{transcript.id}/edit" in text) == (
            ops.may_edit(user, item.story) and bool(item.story.media)
            and any(m.kind == "audio" for m in item.story.media)
        )


@pytest.mark.parametrize("viewer", VIEWERS)
def test_chapter_and_ohms_exports_follow_visibility(app, planted, viewer):  # noqa: F811
    client = client_for(app, planted, viewer)
    user = planted["users"][viewer]
    failures = []
    for item in planted["stories"]:
        transcript = _transcript(item)
        ops.save_chapter(None, transcript, {"start": "0", "title": f"Chapitre {item.word}"})
        db.session.commit()
        visible = may_view(user, item.story)
        for name in ("chapters.vtt", "ohms.xml"):
            url = f"/stories/{item.story.id}/transcripts/{transcript.id}/{name}"
            status, text = fetch(client, planted, viewer, url)
            if visible and (status != 200 or item.word not in text):
                failures.append(f"{viewer} should read {url}: {status}")
            if not visible and (status != 404 or item.word in text):
                failures.append(f"{viewer} must not read {url}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_translation_tracks_follow_visibility(app, planted, viewer):  # noqa: F811
    client = client_for(app, planted, viewer)
    user = planted["users"][viewer]
    failures = []
    for item in planted["stories"]:
        transcript = _transcript(item)
        # The planted transcript is one untimed line: the translation aligns by order.
        ops.attach_translation(None, transcript, f"we spraken over {item.word}\n".encode(),
                               filename="nl.txt", language="nl")
        db.session.commit()
        visible = may_view(user, item.story)
        url = f"/stories/{item.story.id}/transcripts/{transcript.id}/translations/nl.vtt"
        status, text = fetch(client, planted, viewer, url)
        if visible and status != 200:
            failures.append(f"{viewer} should read {url}: {status}")
        if not visible and (status != 404 or item.word in text):
            failures.append(f"{viewer} must not read {url}: {status}")
    assert not failures, "\n".join(failures)


def test_chapters_are_searched_only_where_the_story_may_be_seen(app, planted):  # noqa: F811
    """A chapter hit leads to its second for who may see the story; nobody else learns it.
    (Every viewer in one test: the planted archive is set up once per engine.)"""
    from memoire.search import service

    for item in planted["stories"]:
        ops.save_chapter(None, _transcript(item), {
            "start": "0:04", "title": "Au café", "synopsis": f"On y parlait de {item.word}chap.",
            "keywords": f"{item.word}kw"})
    db.session.commit()
    service.apply_pending_after_commit()
    failures = []
    for viewer, item in [(v, i) for v in VIEWERS for i in planted["stories"]]:
        client = client_for(app, planted, viewer)
        visible = may_view(planted["users"][viewer], item.story)
        for word in (f"{item.word}chap", f"{item.word}kw"):
            status, text = fetch(client, planted, viewer, f"/api/v1/search?q={word}")
            found = [r for r in (json.loads(text)["results"] if status == 200 else [])
                     if r["id"] == item.story.id]
            if visible and not any(s["chapter"] == "Au café" and s["start"] == 4.0
                                   for r in found for s in r["segments"]):
                failures.append(f"{viewer} should find the chapter of {item.story.id} by {word}")
            if not visible and (found or item.word in text.replace(word, "")):
                failures.append(f"{viewer} finds the chapter of a hidden story by {word}")
            status, text = fetch(client, planted, viewer, f"/search?q={word}")
            if not visible and (f"/stories/{item.story.id}?t=4" in text
                                or item.word in text.replace(word, "")):
                failures.append(f"{viewer} sees the chapter of a hidden story on /search?q={word}")
    assert not failures, "\n".join(failures)


def test_an_unreviewed_machine_drafts_chapters_are_not_searchable(app, planted):  # noqa: F811
    """The index gives every viewer of a story the same words: a draft's chapters wait too."""
    from memoire.search import service

    public = next(i for i in planted["stories"]
                  if i.story.status == "published" and i.story.visibility == "public")
    transcript = _transcript(public)
    ops.save_chapter(None, transcript, {"start": "0", "title": "Brouillon",
                                        "keywords": "zqdraftchapkw"})
    transcript.machine_review = "unreviewed"
    db.session.commit()
    service.apply_pending_after_commit()
    for viewer in VIEWERS:
        client = client_for(app, planted, viewer)
        status, text = fetch(client, planted, viewer, "/api/v1/search?q=zqdraftchapkw")
        assert status == 200 and "Brouillon" not in text
        assert public.story.id not in [r["id"] for r in json.loads(text)["results"]]
    transcript.machine_review = "reviewed"
    db.session.commit()
    service.apply_pending_after_commit()
    status, text = fetch(client_for(app, planted, "visitor"), planted, "visitor",
                         "/api/v1/search?q=zqdraftchapkw")
    assert "Brouillon" in text


def test_api_chapters_translations_and_proposals_follow_visibility(app, planted):  # noqa: F811
    """The workbench's JSON reads, for every viewer and planted story: 200 exactly when the
    story may be seen (proposals: only one's own, all for moderators), else 404 and no word."""
    public = next(i for i in planted["stories"]
                  if i.story.status == "published" and i.story.visibility == "public")
    for item in planted["stories"]:
        transcript = _transcript(item)
        ops.save_chapter(None, transcript, {"start": "0", "title": f"Chapitre {item.word}"})
        ops.attach_translation(None, transcript, f"we spraken over {item.word}\n".encode(),
                               filename="nl.txt", language="nl")
    db.session.commit()
    segment = _transcript(public).segments[0]
    ops.propose_correction(planted["users"]["other"], _transcript(public),
                           {segment.id: "Une correction zqpropwk."})
    db.session.commit()
    failures = []
    for viewer in VIEWERS:
        client = client_for(app, planted, viewer)
        user = planted["users"][viewer]
        for item in planted["stories"]:
            visible = may_view(user, item.story)
            base = f"/api/v1/stories/{item.story.id}/transcripts/{_transcript(item).id}"
            for url in (f"{base}/chapters", f"{base}/translations/nl"):
                status, text = fetch(client, planted, viewer, url)
                if visible and (status != 200 or item.word not in text):
                    failures.append(f"{viewer} should read {url}: {status}")
                if not visible and (status != 404 or item.word in text):
                    failures.append(f"{viewer} must not read {url}: {status}")
            status, text = fetch(client, planted, viewer, f"{base}/proposals")
            if user is None:
                expected = {401}
            else:
                expected = {200} if visible else {404}
            if status not in expected or (not visible and item.word in text):
                failures.append(f"{viewer} {base}/proposals: {status}")
            sees_proposal = item is public and viewer in ("other", "moderator")
            if ("zqpropwk" in text) != sees_proposal:
                failures.append(f"{viewer} {base}/proposals shows the proposal: {not sees_proposal}")
    assert not failures, "\n".join(failures)
