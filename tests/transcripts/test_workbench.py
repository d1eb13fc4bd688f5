"""The transcript workbench's operations: attach, edit, split, merge, revisions, proposals."""

from __future__ import annotations

import pytest

from memoire.core.errors import Forbidden, NotFound, TranscriptError, ValidationError
from memoire.extensions import db
from memoire.media import operations as media_ops
from memoire.search import service
from memoire.transcripts import operations as ops
from memoire.transcripts.models import ProposalStatus, TranscriptRevision


def texts(transcript):
    return [s.text for s in transcript.segments]


def seg(transcript, n):
    return transcript.segments[n]


# --- attach ------------------------------------------------------------------------------


def test_attach_records_a_first_revision(recorded):
    story, media, transcript = recorded()
    assert transcript.media_id == media.id
    assert transcript.version == 1
    [revision] = transcript.revisions
    assert revision.origin == "import" and revision.number == 1
    assert len(revision.changes[0]["after"]) == 4


def test_a_bad_file_keeps_the_transcript_in_place(recorded, people):
    story, media, transcript = recorded(status="draft", contributor=people["owner"])
    with pytest.raises(TranscriptError) as caught:
        ops.attach_transcript(people["owner"], story, b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nx\n",
                              filename="bad.vtt", media=media)
    assert caught.value.line
    db.session.rollback()
    assert texts(transcript)[0].startswith("On allait") and transcript.version == 1


def test_attach_again_is_a_new_revision_of_the_same_transcript(recorded, people):
    story, media, transcript = recorded()
    ops.attach_transcript(people["moderator"], story, b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nBonjour\n",
                          filename="new.vtt", media=media)
    db.session.commit()
    assert [t.id for t in story.transcripts] == [transcript.id]
    assert texts(transcript) == ["Bonjour"] and transcript.version == 2
    assert ops.state_at(transcript, 1)[1]["text"] == "Mon père était mineur de fond."


def test_who_may_attach_and_edit(recorded, people):
    story, media, transcript = recorded(status="draft", contributor=people["owner"])
    assert ops.may_edit(people["owner"], story)
    assert ops.may_edit(people["moderator"], story)
    assert not ops.may_edit(people["resident"], story)
    assert not ops.may_edit(people["mediator"], story)  # a draft of someone else
    assert not ops.may_edit(None, story)
    with pytest.raises(Forbidden):
        ops.attach_transcript(people["resident"], story, b"Bonjour", filename="t.txt", media=media)
    published, *_ = recorded()
    assert ops.may_edit(people["mediator"], published)
    assert not ops.may_edit(people["owner"], published)


# --- edit, split, merge ------------------------------------------------------------------


def test_edit_text_speaker_and_times(recorded, people):
    story, media, transcript = recorded()
    first = seg(transcript, 0)
    revision = ops.edit_segments(
        people["mediator"], transcript,
        {first.id: {"text": "  On allait à la fosse   Dutemple chaque matin. ", "speaker": "Marie D.",
                    "start": "0:00.2", "end": 2.4}},
        base_version=1,
    )
    db.session.commit()
    assert first.text == "On allait à la fosse Dutemple chaque matin."
    assert (first.speaker, first.start, first.end) == ("Marie D.", 0.2, 2.4)
    assert revision.number == 2 and transcript.version == 2
    assert revision.changed_ids == [first.id] and revision.author_id == people["mediator"].id


def test_nothing_changed_is_no_revision(recorded, people):
    story, media, transcript = recorded()
    first = seg(transcript, 0)
    assert ops.edit_segments(people["moderator"], transcript, {first.id: {"text": first.text}},
                             base_version=1) is None
    assert transcript.version == 1


@pytest.mark.parametrize("fields", [
    {"text": "   "}, {"start": "abc"}, {"start": 6.0}, {"end": 0.1, "start": 1.0},
    {"end": 99.0}, {"speaker": "x" * 201}, {"start": -1},
])
def test_bad_edits_are_refused_and_change_nothing(recorded, people, fields):
    story, media, transcript = recorded()
    second = seg(transcript, 1)
    with pytest.raises(ValidationError):
        ops.edit_segments(people["moderator"], transcript, {second.id: fields}, base_version=1)
    db.session.rollback()
    assert transcript.version == 1 and second.text == "Mon père était mineur de fond."


def test_split_at_the_cursor_and_merge_back(recorded, people):
    story, media, transcript = recorded()
    second = seg(transcript, 1)
    at = second.text.index("mineur")
    ops.split_segment(people["moderator"], transcript, second.id, at, base_version=1)
    db.session.commit()
    assert texts(transcript)[1:3] == ["Mon père était", "mineur de fond."]
    a, b = seg(transcript, 1), seg(transcript, 2)
    assert a.end == b.start and 2.5 < b.start < 5.0 and b.end == 5.0 and b.speaker == "Marie"
    ops.merge_with_next(people["moderator"], transcript, a.id, base_version=2)
    db.session.commit()
    assert texts(transcript)[1] == "Mon père était mineur de fond."
    assert seg(transcript, 1).end == 5.0 and len(transcript.segments) == 4
    assert transcript.version == 3


def test_split_refuses_a_cut_at_the_edge_and_merge_the_last(recorded, people):
    story, media, transcript = recorded()
    with pytest.raises(ValidationError):
        ops.split_segment(people["moderator"], transcript, seg(transcript, 0).id, 0, base_version=1)
    with pytest.raises(ValidationError):
        ops.merge_with_next(people["moderator"], transcript, seg(transcript, 3).id, base_version=1)
    with pytest.raises(NotFound):
        ops.merge_with_next(people["moderator"], transcript, 999999, base_version=1)


# --- versions, revisions, restore --------------------------------------------------------


def test_a_concurrent_edit_of_the_same_segment_is_refused_with_the_other_text(recorded, people):
    story, media, transcript = recorded()
    first = seg(transcript, 0)
    ops.edit_segments(people["mediator"], transcript, {first.id: {"text": "Version de Paul."}},
                      base_version=1)
    db.session.commit()
    with pytest.raises(ops.EditConflict) as caught:
        ops.edit_segments(people["moderator"], transcript, {first.id: {"text": "Version d'Anne."}},
                          base_version=1)
    assert caught.value.status == 409
    assert caught.value.theirs[0]["text"] == "Version de Paul."
    db.session.rollback()
    assert first.text == "Version de Paul."


def test_a_concurrent_edit_of_another_segment_goes_through(recorded, people):
    story, media, transcript = recorded()
    first, last = seg(transcript, 0), seg(transcript, 3)
    ops.edit_segments(people["mediator"], transcript, {first.id: {"text": "Un."}}, base_version=1)
    ops.edit_segments(people["moderator"], transcript, {last.id: {"text": "Quatre."}}, base_version=1)
    db.session.commit()
    assert texts(transcript)[0] == "Un." and texts(transcript)[3] == "Quatre."
    assert transcript.version == 3


def test_restore_an_earlier_revision(recorded, people):
    story, media, transcript = recorded()
    first = seg(transcript, 0)
    ops.edit_segments(people["moderator"], transcript, {first.id: {"text": "Faux."}}, base_version=1)
    ops.split_segment(people["moderator"], transcript, seg(transcript, 2).id, 6, base_version=2)
    db.session.commit()
    assert len(transcript.segments) == 5
    revision = ops.restore_revision(people["moderator"], transcript, 1, base_version=3)
    db.session.commit()
    assert revision.note == "restore:1" and transcript.version == 4
    assert texts(transcript)[0] == "On allait à la fosse Dutemple tous les matins."
    assert len(transcript.segments) == 4
    assert ops.state_at(transcript, 3)[0]["text"] == "Faux."
    with pytest.raises(NotFound):
        ops.restore_revision(people["moderator"], transcript, 42, base_version=None)


def test_revisions_are_rows(recorded, people):
    story, media, transcript = recorded()
    ops.edit_segments(people["moderator"], transcript, {seg(transcript, 0).id: {"text": "A."}},
                      base_version=1)
    db.session.commit()
    numbers = db.session.scalars(db.select(TranscriptRevision.number)
                                 .where(TranscriptRevision.transcript_id == transcript.id)).all()
    assert sorted(numbers) == [1, 2]


# --- redactions --------------------------------------------------------------------------


def test_a_corrected_segment_inside_a_withheld_range_stays_withheld(recorded, people):
    story, media, transcript = recorded()
    media_ops.redact(people["moderator"], media, 2.6, 4.9)
    db.session.commit()
    second = seg(transcript, 1)
    assert second.is_redacted
    with pytest.raises(Forbidden):
        ops.edit_segments(people["mediator"], transcript, {second.id: {"text": "Autre."}},
                          base_version=transcript.version)
    db.session.rollback()
    ops.split_segment(people["moderator"], transcript, second.id, 4, base_version=transcript.version)
    db.session.commit()
    assert seg(transcript, 1).is_redacted and seg(transcript, 2).is_redacted
    assert ops.segment_text(seg(transcript, 2)) != "père était mineur de fond."


# --- search follows every save -----------------------------------------------------------


def test_search_finds_the_corrected_word_and_not_the_old_one(recorded, people):
    story, media, transcript = recorded()
    service.apply_pending_after_commit()
    assert _found(story, "mineur")
    ops.edit_segments(people["moderator"], transcript,
                      {seg(transcript, 1).id: {"text": "Mon père était porion au fond."}},
                      base_version=1)
    db.session.commit()
    service.apply_pending_after_commit()
    assert _found(story, "porion") and not _found(story, "mineur")


def _found(story, word) -> bool:
    page = service.search(None, {"q": word})
    return any(r.story.id == story.id for r in page.results)


# --- proposals ---------------------------------------------------------------------------


def test_a_resident_proposes_and_a_moderator_accepts(recorded, people):
    story, media, transcript = recorded()
    second = seg(transcript, 1)
    proposal = ops.propose_correction(people["resident"], transcript,
                                      {second.id: "Mon père était porion."}, comment="Il était porion")
    db.session.commit()
    assert proposal.status == ProposalStatus.pending and second.text == "Mon père était mineur de fond."
    with pytest.raises(Forbidden):
        ops.accept_proposal(people["mediator"], proposal)
    revision = ops.accept_proposal(people["moderator"], proposal)
    db.session.commit()
    assert second.text == "Mon père était porion." and proposal.status == "accepted"
    assert revision.note == f"proposal:{proposal.id}"
    with pytest.raises(ops.Conflict):
        ops.refuse_proposal(people["moderator"], proposal)


def test_a_refused_proposal_changes_nothing(recorded, people):
    story, media, transcript = recorded()
    second = seg(transcript, 1)
    proposal = ops.propose_correction(people["resident"], transcript, {second.id: "Autre chose."})
    ops.refuse_proposal(people["moderator"], proposal, "Le témoin a bien dit mineur.")
    db.session.commit()
    assert proposal.status == "refused" and proposal.reason.startswith("Le témoin")
    assert second.text == "Mon père était mineur de fond." and transcript.version == 1


def test_a_stale_proposal_cannot_be_accepted(recorded, people):
    story, media, transcript = recorded()
    second = seg(transcript, 1)
    proposal = ops.propose_correction(people["resident"], transcript, {second.id: "Proposé."})
    ops.edit_segments(people["moderator"], transcript, {second.id: {"text": "Corrigé."}},
                      base_version=1)
    db.session.commit()
    with pytest.raises(ops.EditConflict):
        ops.accept_proposal(people["moderator"], proposal)


def test_proposals_only_on_public_transcripts(recorded, people):
    story, media, transcript = recorded(visibility="researchers")
    segment_id = seg(transcript, 0).id
    with pytest.raises(Forbidden):
        ops.propose_correction(people["researcher"], transcript, {segment_id: "Autre."})
    with pytest.raises(NotFound):
        ops.propose_correction(people["resident"], transcript, {segment_id: "Autre."})
    public, _, public_transcript = recorded()
    with pytest.raises(ValidationError):
        ops.propose_correction(people["resident"], public_transcript,
                               {seg(public_transcript, 0).id: seg(public_transcript, 0).text})
