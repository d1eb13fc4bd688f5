"""One table of status transitions, and the consent rule where a story becomes visible.

Issue 19 item 3 and issue 13 item 1: every door (wizard, API, moderation, `memoire import`)
reaches these operations, so the rules are tested here first, then through each door.
"""

from __future__ import annotations

import pytest

from memoire.core.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    MemoireError,
    ValidationError,
)
from memoire.extensions import db
from memoire.stories import operations as ops
from memoire.stories.models import Status, Story

ALL = [s.value for s in Status]


def _story(status="submitted", visibility="public", consent=None, contributor=None) -> Story:
    data = ops.StoryInput(
        title="La ducasse", body="Texte", visibility=visibility, status=status, consent=consent,
    )
    story = ops.create_story(None, data)
    story.contributor_id = getattr(contributor, "id", None)
    db.session.flush()
    return story


def _consent(**flags) -> ops.ConsentInput:
    return ops.ConsentInput(given_by="Jeanne", **flags)


def test_invalid_transition_is_a_conflict_every_door_answers_409():
    assert issubclass(InvalidTransition, Conflict) and issubclass(Conflict, MemoireError)
    assert InvalidTransition("x").status == 409 and InvalidTransition("x").code == "conflict"


def test_the_table_names_every_status_and_nothing_leaves_withdrawn():
    for move in ops.TRANSITIONS.values():
        assert move.sources <= set(ALL) | {None} and move.targets <= set(ALL)
        assert Status.withdrawn.value not in move.sources
    assert ops.START_STATUSES == {"draft", "submitted"}


@pytest.mark.parametrize("start", ALL)
def test_publish_follows_the_table(app, create_user, start):
    moderator = create_user("moderator")
    story = _story(status=start, consent=_consent(online_publication=True))
    if start in {"submitted", "rejected"}:
        ops.publish_story(moderator, story)
        assert story.status == "published" and story.published_at is not None
    else:
        with pytest.raises(InvalidTransition):
            ops.publish_story(moderator, story)
        assert story.status == start


@pytest.mark.parametrize("start", ALL)
def test_send_back_submit_and_withdraw_follow_the_table(app, create_user, start):
    moderator, owner = create_user("moderator"), create_user("contributor")
    story = _story(status=start, consent=_consent(online_publication=True), contributor=owner)
    for name, call in (
        ("send_back", lambda: ops.send_back_story(moderator, story, "Précisez")),
        ("submit", lambda: ops.submit_story(owner, story)),
    ):
        story.status = start
        if start in ops.TRANSITIONS[name].sources:
            call()
            assert story.status in ops.TRANSITIONS[name].targets
        else:
            with pytest.raises(InvalidTransition):
                call()
    story.status = start
    ops.withdraw_story(owner, story)  # from anywhere; a second time changes nothing
    assert story.status == "withdrawn"
    ops.withdraw_story(owner, story)
    assert story.status == "withdrawn"


def test_who_may_move_is_checked_before_the_status(app, create_user):
    contributor, stranger = create_user("contributor"), create_user("contributor")
    story = _story(status="draft", contributor=contributor)
    with pytest.raises(Forbidden):
        ops.publish_story(contributor, story)  # not a moderator: Forbidden, whatever the status
    with pytest.raises(Forbidden):
        ops.submit_story(stranger, story)
    with pytest.raises(Forbidden):
        ops.withdraw_story(stranger, story)
    with pytest.raises(Forbidden):  # a contributor's door cannot start a story as published
        ops.create_story(contributor, ops.StoryInput(title="x", status="published"))
    with pytest.raises(ValidationError) as caught:
        ops.check_start("published")
    assert caught.value.field == "status"
    ops.check_start("submitted")


def test_a_withdrawn_story_never_moves_again(app, create_user):
    moderator = create_user("moderator")
    story = _story(consent=_consent(online_publication=True))
    ops.withdraw_story(moderator, story)
    for call in (
        lambda: ops.publish_story(moderator, story),
        lambda: ops.send_back_story(moderator, story, "x"),
        lambda: ops.submit_story(moderator, story),
        # a re-run of an import file used to publish it again
        lambda: ops.update_story(None, story, ops.StoryInput(title="x", status="published")),
    ):
        with pytest.raises(InvalidTransition):
            call()
    assert story.status == "withdrawn"


# --- consent is a rule of the story ---------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "consent", "field"),
    [
        ("public", None, "consent"),
        ("researchers", None, "consent"),
        ("public", {"online_publication": False, "research_use": True}, "online_publication"),
        ("researchers", {"online_publication": True, "research_use": False}, "research_use"),
    ],
)
def test_nothing_is_published_beyond_its_consent(app, create_user, visibility, consent, field):
    moderator = create_user("moderator")
    # Created directly as published (what `memoire import` does) ...
    with pytest.raises(ValidationError) as caught:
        _story(status="published", visibility=visibility,
               consent=_consent(**consent) if consent else None)
    assert caught.value.field == field
    db.session.rollback()
    # ... or published by a moderator: the same rule.
    story = _story(status="submitted", visibility=visibility)
    if consent:
        story.consents.append(
            ops.Consent(**{**vars(_consent(**consent)), "recorded_by_id": None})
        )
        db.session.flush()
    with pytest.raises(ValidationError) as caught:
        ops.publish_story(moderator, story)
    assert caught.value.field == field


def test_private_or_unpublished_stories_need_no_consent(app):
    for status in ("draft", "submitted", "rejected"):
        assert _story(status=status, visibility="public").consent is None
    assert _story(status="published", visibility="private").status == "published"


def test_a_consent_given_must_cover_the_visibility_asked_even_for_a_draft(app):
    with pytest.raises(ValidationError) as caught:
        _story(status="draft", visibility="public", consent=_consent(research_use=True))
    assert caught.value.field == "online_publication"


def test_changing_a_published_storys_visibility_checks_consent(app, create_user):
    moderator = create_user("moderator")
    story = _story(status="published", visibility="public", consent=_consent(online_publication=True))
    db.session.commit()
    from memoire.contributions.operations import save_changes

    with pytest.raises(ValidationError) as caught:
        save_changes(moderator, story, visibility="researchers")
    assert caught.value.field == "research_use"
    db.session.rollback()
    assert db.session.get(Story, story.id).visibility == "public"
    save_changes(moderator, story, visibility="private")  # narrowing is always allowed
    assert story.visibility == "private"
