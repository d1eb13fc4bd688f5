"""Scanned paper consent forms never leave the archive but to staff and the responsible mediator.

The story is public and published, so nothing here is protected by the story's own
visibility: a visitor, the story's own contributor, another contributor, a researcher and
another mediator get the same 404 for a real scan as for a guessed one, no validator
(ETag, Last-Modified) that would fingerprint the file, nothing under the public media
URLs, and no mention of the form on the pages and API they can read. After erasure the
file answers nobody.
"""

from __future__ import annotations

import io
from datetime import date

from memoire.core.storage import get_storage
from memoire.extensions import db
from memoire.network import operations as ops
from memoire.privacy import operations as privacy
from tests.conftest import without_csrf
from tests.network.test_consent_scans import PDF
from tests.network.test_pages import login

LABEL = "Zqscanlabel Mme D."


def test_scans_reach_staff_and_the_responsible_mediator_only(app, create_user, create_story):
    users = {
        "visitor": None,
        "owner": create_user("contributor"),
        "other": create_user("contributor"),
        "researcher": create_user("researcher"),
        "other_mediator": create_user("mediator"),
        "mediator": create_user("mediator"),
        "moderator": create_user("moderator"),
    }
    story = create_story("Le lavoir", contributor=users["owner"])
    workshop = ops.create_workshop(
        users["mediator"], ops.WorkshopInput(title="Atelier lavoir", starts_on=date(2024, 5, 2))
    )
    ops.attach_story(users["mediator"], workshop, story)
    scan = ops.attach_consent_scan(users["mediator"], story, io.BytesIO(PDF), label=LABEL)
    db.session.commit()
    scan_id, sha, key, story_id = scan.id, scan.sha256, scan.storage_key, story.id
    own = [f"/consent-forms/{scan_id}", f"/stories/{story_id}/consent-forms"]
    guessed = [f"/consent-forms/{scan_id + 1}", "/consent-forms/0", "/stories/999999/consent-forms"]
    public_media = [f"/media/d/{scan_id}/{sha[:16]}", f"/media/d/{scan_id}/{sha}"]
    readable = [
        f"/stories/{story_id}",
        f"/api/v1/stories/{story_id}",
        f"/workshops/{workshop.id}",
        f"/api/v1/workshops/{workshop.id}",
    ]
    failures = []
    for name, user in users.items():
        client = app.test_client()
        if user is not None:
            login(client, user)
        allowed = name in ("mediator", "moderator")
        for url in own:
            response = client.get(url, headers={"If-None-Match": f'"{sha}"'})
            body = response.get_data()
            if allowed:
                if response.status_code != 200:
                    failures.append(f"{name}: {url} answered {response.status_code}")
                if "no-store" not in response.headers.get("Cache-Control", ""):
                    failures.append(f"{name}: {url} may be cached")
                if "ETag" in response.headers or "Last-Modified" in response.headers:
                    failures.append(f"{name}: {url} carries a validator")
            elif response.status_code not in (302, 404) or PDF in body or LABEL.encode() in body:
                failures.append(f"{name}: {url} answered {response.status_code}")
            elif "ETag" in response.headers or sha.encode() in body:
                failures.append(f"{name}: {url} gives the file's fingerprint")
        for url in guessed + public_media:
            response = client.get(url, headers={"If-None-Match": f'"{sha}"'})
            if response.status_code not in (302, 404) or PDF in response.get_data():
                failures.append(f"{name}: guessed {url} answered {response.status_code}")
        for url in readable:
            text = client.get(url).get_data(as_text=True)
            if (
                LABEL in text
                or sha in text
                or (not allowed and f"/consent-forms/{scan_id}" in text)
            ):
                failures.append(f"{name}: {url} mentions the consent form")
    # A stranger's answer for a real scan is the answer for one that does not exist.
    other = app.test_client()
    login(other, users["other_mediator"])
    real, missing = (
        other.get(f"/consent-forms/{scan_id}"),
        other.get(f"/consent-forms/{scan_id + 1}"),
    )
    assert real.status_code == missing.status_code == 404
    # (the page's language links echo the asked address: the only difference allowed)
    assert without_csrf(real.get_data(as_text=True)).replace(
        f"/consent-forms/{scan_id}?", "/consent-forms/N?"
    ) == without_csrf(missing.get_data(as_text=True)).replace(
        f"/consent-forms/{scan_id + 1}?", "/consent-forms/N?"
    )
    assert not failures, "\n".join(failures)

    privacy.erase_story(None, db.session.get(type(story), story_id))
    db.session.commit()
    assert not get_storage().exists(key)
    staff = app.test_client()
    login(staff, users["moderator"])
    assert staff.get(f"/consent-forms/{scan_id}").status_code == 404
