"""A timed transcript shows its times even when the recording is not online: they are the citation."""

from __future__ import annotations

from memoire.extensions import db
from memoire.transcripts.models import Transcript, TranscriptSegment


def test_times_without_a_recording(client, create_story):
    story = create_story("La cassette de la maison de quartier")
    transcript = Transcript(story=story, media_id=None, language="fr", source_format="vtt")
    transcript.segments.append(TranscriptSegment(position=0, start=75.0, end=80.0, speaker="Marie", text="On allait au bal."))
    db.session.add(transcript)
    db.session.commit()
    html = client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert '<time class="segment__time" datetime="PT75S">1:15</time>' in html
