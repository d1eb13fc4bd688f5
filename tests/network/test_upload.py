"""The workshop upload attaches its drafts to the workshop record."""

from __future__ import annotations

import io
import re

from memoire.extensions import db
from memoire.network import operations as ops
from memoire.network.models import WorkshopStory
from memoire.stories.models import Story
from tests.conftest import wav_bytes
from tests.network.test_pages import login


def _post(client, **extra):
    data = {
        "files": [(io.BytesIO(wav_bytes()), f"voix_{n}.wav") for n in (1, 2, 3)],
        "language": "fr", "method": "signed_form", "given_by": "Les participants",
        "online_publication": "y", "research_use": "y", **extra,
    }
    return client.post("/contribute/workshop", data=data, content_type="multipart/form-data")


def test_upload_into_a_workshop_record(client, network):
    workshop = network["workshop"]
    login(client, network["mediator"])
    page = client.get(f"/contribute/workshop?workshop={workshop.id}").get_data(as_text=True)
    assert re.search(rf'<option (selected value="{workshop.id}"|value="{workshop.id}" selected)', page)
    response = _post(client, workshop=str(workshop.id))
    assert response.status_code == 302
    drafts = db.session.query(Story).filter(Story.title.like("voix%")).order_by(Story.id).all()
    assert [s.title for s in drafts] == ["voix 1", "voix 2", "voix 3"]
    for story in drafts:
        assert ops.workshop_of_story(story.id).id == workshop.id
        assert [p.id for p in story.places] == [network["house"].id]  # the workshop's place
        assert story.status == "draft"


def test_upload_names_a_workshop_or_a_title(client, network):
    login(client, network["mediator"])
    client.get("/?lang=en")
    before = db.session.query(WorkshopStory).count()
    response = _post(client)
    assert response.status_code == 400
    assert "Name the workshop" in response.get_data(as_text=True)
    response = _post(client, workshop="999999")
    assert response.status_code == 400
    assert db.session.query(WorkshopStory).count() == before
    assert db.session.query(Story).filter(Story.title.like("voix%")).count() == 0
