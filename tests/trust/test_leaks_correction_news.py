"""The e-mail about a decided transcript correction is a way out of the archive (issue 17):
when the story stopped being one the resident may see, it names nothing of it (title, words,
link, or a moderator's reason that may quote it), whatever the story became."""

from __future__ import annotations

from memoire.extensions import db
from memoire.jobs.operations import run_pending
from memoire.transcripts import operations as ops
from tests.trust.test_leaks import planted  # noqa: F401
from tests.visitor.test_story_news import mails

HIDDEN = [("visibility", "private"), ("visibility", "researchers"), ("status", "withdrawn"),
          ("status", "submitted")]  # fmt: skip


def test_a_decision_on_a_story_gone_from_view_names_nothing(app, planted):  # noqa: F811
    public = next(i for i in planted["stories"]
                  if i.story.status == "published" and i.story.visibility == "public")  # fmt: skip
    story, resident, moderator = (
        public.story,
        planted["users"]["other"],
        planted["users"]["moderator"],
    )
    resident.locale = "en"
    transcript = story.transcripts[0]
    sent = 0
    for n, (key, value) in enumerate(HIDDEN):
        story.status, story.visibility = "published", "public"
        db.session.commit()
        segment = transcript.segments[0]
        proposal = ops.propose_correction(resident, transcript, {segment.id: f"Autre chose {n}."})
        db.session.commit()
        setattr(story, key, value)
        db.session.commit()
        ops.refuse_proposal(moderator, proposal, f"Relisez « Titre {public.word} ».")
        db.session.commit()
        run_pending()
        messages = mails(app)
        assert len(messages) == sent + 1, (key, value)
        sent += 1
        for message in messages:
            text = message["Subject"] + message.get_content()
            assert public.word not in text and f"/stories/{story.id}" not in text, (key, value)
