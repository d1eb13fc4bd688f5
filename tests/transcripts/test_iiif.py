"""The story's IIIF manifest carries the corrected words, the chapters and the second track."""

from __future__ import annotations

from memoire.extensions import db
from memoire.media.models import Derivative
from memoire.transcripts import operations as ops
from tests.transcripts.test_chapters import OHMS
from tests.transcripts.test_translations import DUTCH


def test_manifest_annotations_follow_the_workbench(app, client, recorded, people):
    story, media, transcript = recorded()
    if media.derivative("stream") is None:  # the worker's job, done here by hand
        media.derivatives.append(Derivative(role="stream", storage_key=media.storage_key,
                                            mime="audio/wav", sha256=media.sha256, size=media.size))
    ops.attach_transcript(people["moderator"], story, OHMS.encode(), filename="i.xml", media=media)
    ops.edit_segments(people["moderator"], transcript,
                      {transcript.segments[0].id: {"text": "On allait au puits Dutemple."}},
                      base_version=transcript.version)
    ops.attach_translation(people["moderator"], transcript, DUTCH.encode(), filename="nl.vtt",
                           language="nl")
    db.session.commit()
    manifest = client.get(f"/api/v1/stories/{story.id}/manifest.json").get_json()
    text = str(manifest)
    assert "On allait au puits Dutemple." in text and "On allait à la fosse Dutemple." not in text
    pages = manifest["items"][0]["annotations"]
    assert {p["items"][0]["body"]["language"] for p in pages} == {"fr", "nl"}
    assert [r["label"] for r in manifest["structures"]] == [{"fr": ["La fosse"]}, {"fr": ["Le soir"]}]
    assert manifest["structures"][1]["items"][0]["id"].endswith("#t=4,10")
