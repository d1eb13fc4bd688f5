"""The resident who proposed a transcript correction is told by e-mail when a moderator decides
(issue 17): through the job queue, in their language, only if they want it, and never naming
or quoting a story they may no longer see."""

from __future__ import annotations

import pytest

from memoire.extensions import db
from memoire.jobs.operations import run_pending
from memoire.transcripts import operations as ops
from tests.visitor.test_story_news import mails


@pytest.fixture
def proposed(recorded, people):
    """proposed(locale) -> (story, proposal) by the resident, who speaks `locale`."""

    def make(locale="en", **story):
        people["resident"].locale = locale
        story, _media, transcript = recorded(**story)
        second = transcript.segments[1]
        proposal = ops.propose_correction(
            people["resident"], transcript, {second.id: "Mon père était porion."}
        )
        db.session.commit()
        return story, proposal

    return make


def test_accepted_told_through_the_queue_from_the_moderation_page(
    app, client, login, people, proposed
):
    story, proposal = proposed("en")
    login(people["moderator"])
    response = client.post(f"/moderation/corrections/{proposal.id}", data={"decision": "accept"})
    assert response.status_code == 302
    assert mails(app) == []  # never in the request
    run_pending()
    [message] = mails(app)
    assert message["To"] == people["resident"].email
    assert message["Subject"] == "Your correction of “Les matins de la fosse” is accepted"
    body = message.get_content()
    assert f"http://localhost/stories/{story.id}" in body and "/account/news" in body


@pytest.mark.parametrize("locale, words", [("fr", "n’est pas acceptée"), ("nl", "niet aanvaard")])
def test_refused_in_the_residents_language_with_the_reason(app, people, proposed, locale, words):
    _story, proposal = proposed(locale)
    ops.refuse_proposal(people["moderator"], proposal, "Le témoin a bien dit mineur.")
    db.session.commit()
    run_pending()
    [message] = mails(app)
    assert words in message["Subject"]
    assert "«\u00a0Le témoin a bien dit mineur.\u00a0»" in message.get_content()


def test_a_story_the_resident_may_no_longer_see_is_never_named(app, people, proposed):
    story, proposal = proposed("en")
    ops.refuse_proposal(people["moderator"], proposal, "Voir « Les matins de la fosse ».")
    story.visibility = "private"  # made private between the decision and the e-mail
    db.session.commit()
    run_pending()
    [message] = mails(app)
    text = message["Subject"] + message.get_content()
    assert "not accepted" in message["Subject"]
    for secret in ("Les matins de la fosse", "mineur", "porion", "fosse", f"/stories/{story.id}"):
        assert secret not in text


def test_the_setting_turns_them_off(app, people, proposed):
    people["resident"].story_news = False
    _story, proposal = proposed("en")
    ops.accept_proposal(people["moderator"], proposal)
    db.session.commit()
    run_pending()
    assert mails(app) == []


def test_a_refused_decision_sends_nothing(app, people, proposed):
    _story, proposal = proposed("en")
    with pytest.raises(ops.Forbidden):
        ops.accept_proposal(people["mediator"], proposal)
    db.session.rollback()
    run_pending()
    assert mails(app) == []
