"""A photo refused for a missing description is held, shown back and taken on the next try."""

from __future__ import annotations

import io
import re

from memoire.extensions import db
from memoire.media.models import Media
from tests.conftest import jpeg_bytes


def _start(client) -> int:
    response = client.post("/contribute", data={"title": "La ducasse", "language": "fr"})
    assert response.status_code == 302
    return int(response.headers["Location"].split("/")[2])


def _ticket(html: str) -> str:
    match = re.search(r'name="photo-held" value="([^"]+)"', html)
    assert match, "the page does not carry the held photo"
    return match.group(1)


def test_the_photo_is_kept_after_a_missing_description(client, create_user, login):
    resident = create_user("contributor", email="resident@example.org")
    login(client, resident)
    story_id = _start(client)
    response = client.post(
        f"/contribute/{story_id}/media/photo",
        data={"photo-photo": (io.BytesIO(jpeg_bytes()), "ducasse.jpg"), "photo-caption": "", "photo-alt_text": ""},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ducasse.jpg" in html and "do not need to choose it again" in html
    ticket = _ticket(html)
    preview = client.get(f"/contribute/{story_id}/media/held", query_string={"ticket": ticket})
    assert preview.status_code == 200 and preview.mimetype == "image/jpeg"
    assert "no-store" in preview.headers["Cache-Control"]

    # Another person cannot use the ticket, nor see the photo.
    other = create_user("contributor", email="other@example.org")
    login(client, other)
    assert client.get(f"/contribute/{story_id}/media/held", query_string={"ticket": ticket}).status_code == 404
    login(client, resident)

    # The second try sends no file, only the words: the held photo is taken.
    response = client.post(
        f"/contribute/{story_id}/media/photo",
        data={"photo-held": ticket, "photo-caption": "", "photo-alt_text": "Ma grand-mère à la ducasse"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    media = db.session.query(Media).filter_by(story_id=story_id).one()
    assert media.alt_text == "Ma grand-mère à la ducasse"
    assert not list(client.application.extensions["memoire.storage"].tmp.glob("*.*"))


def test_a_forged_ticket_is_no_photo(client, create_user, login):
    login(client, create_user("contributor", email="resident@example.org"))
    story_id = _start(client)
    response = client.post(
        f"/contribute/{story_id}/media/photo",
        data={"photo-held": "forged", "photo-alt_text": "Une photo"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Choose a photo first." in response.get_data(as_text=True)
