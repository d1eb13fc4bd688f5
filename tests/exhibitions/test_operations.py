"""Exhibition operations: the rule on stories, items and their order, excerpts, preview links."""

from __future__ import annotations

import pytest

from memoire.core.errors import Forbidden, NotFound, ValidationError
from memoire.exhibitions import operations as ops
from memoire.extensions import db
from memoire.stories import operations as story_ops


def _exhibition(actor, title="Mémoires de la fosse", **kwargs):
    exhibition = ops.create_exhibition(actor, ops.ExhibitionInput(title=title, **kwargs))
    db.session.commit()
    return exhibition


def test_create_makes_a_slug_and_checks_it(curator):
    exhibition = _exhibition(curator, "Mémoires de l'Épinlieu")
    assert exhibition.slug == "memoires-de-l-epinlieu"
    assert exhibition.status == ops.DRAFT
    with pytest.raises(ValidationError) as taken:
        _exhibition(curator, "Autre", slug="memoires-de-l-epinlieu")
    assert taken.value.field == "slug"
    for bad in ("Avec Majuscules", "a/b", "manage", "-x"):
        with pytest.raises(ValidationError):
            _exhibition(curator, "Autre", slug=bad)
    with pytest.raises(ValidationError):
        _exhibition(curator, "   ")
    with pytest.raises(ValidationError):
        _exhibition(curator, "Langues", languages=["xx"])


@pytest.mark.parametrize("role", ["contributor", "mediator", "moderator", "researcher"])
def test_only_curators_and_admins_curate(create_user, role):
    with pytest.raises(Forbidden):
        ops.create_exhibition(create_user(role), ops.ExhibitionInput(title="Non"))
    assert ops.may_curate(create_user("admin"))
    assert ops.may_curate(create_user("curator"))


def test_stories_that_may_not_be_exhibited_are_refused(curator, create_story, create_user):
    exhibition = _exhibition(curator)
    owner = create_user("contributor")
    cases = {
        "private": create_story("Privée", visibility="private", contributor=owner),
        "draft": create_story("Brouillon", status="draft", contributor=owner),
        "researchers": create_story("Chercheurs", visibility="researchers"),
        "no consent": create_story("Sans accord", exhibition_use=False),
    }
    messages = {}
    for name, story in cases.items():
        with pytest.raises(ValidationError) as refused:
            ops.add_item(curator, exhibition, story.id)
        messages[name] = str(refused.value)
    # What the curator may not see is answered like a missing story: ids reveal nothing.
    assert messages["private"] == str(ops.refusal(curator, None, cases["private"].id))
    assert messages["draft"].startswith("No public story")
    assert "not public" in messages["researchers"]
    assert "exhibition use" in messages["no consent"]
    with pytest.raises(ValidationError, match="No public story"):
        ops.add_item(curator, exhibition, "999999")
    assert exhibition.items == []


def test_add_by_external_id_and_order(curator, create_story):
    exhibition = _exhibition(curator)
    first = create_story("Un", external_id="ext-un")
    second = create_story("Deux")
    third = create_story("Trois")
    ops.add_item(curator, exhibition, "ext-un", caption="  Premier  ")
    ops.add_item(curator, exhibition, str(second.id))
    ops.add_item(curator, exhibition, third)
    db.session.commit()
    titles = lambda: [i.story.title for i in exhibition.items]  # noqa: E731
    assert titles() == ["Un", "Deux", "Trois"]
    assert exhibition.items[0].caption == "Premier" and exhibition.items[0].story_id == first.id

    ops.move_item(curator, exhibition.items[2], -1)
    assert titles() == ["Un", "Trois", "Deux"]
    ops.move_item(curator, exhibition.items[0], -1)  # already first: stays
    assert titles() == ["Un", "Trois", "Deux"]
    ids = [i.id for i in exhibition.items]
    ops.reorder_items(curator, exhibition, [ids[2], ids[0], ids[1]])
    db.session.commit()
    db.session.expire_all()
    assert titles() == ["Deux", "Un", "Trois"]
    assert [i.position for i in exhibition.items] == [0, 1, 2]
    with pytest.raises(ValidationError):
        ops.reorder_items(curator, exhibition, ids[:2])

    ops.remove_item(curator, exhibition.items[0])
    db.session.commit()
    db.session.expire_all()
    assert titles() == ["Un", "Trois"]
    assert [i.position for i in exhibition.items] == [0, 1]


def test_excerpts_are_checked_and_kept(curator, rich_story, create_story):
    story = rich_story()
    exhibition = _exhibition(curator)
    photos = ops.photos_of(story)
    item = ops.add_item(
        curator,
        exhibition,
        story,
        caption="La fosse",
        excerpt=ops.Excerpt(start=1.5, end=4.5, photo_media_id=photos[1].id),
    )
    db.session.commit()
    db.session.expire_all()
    item = exhibition.items[0]
    assert (item.excerpt_start, item.excerpt_end) == (1.5, 4.5)
    assert ops.item_photo(item).id == photos[1].id
    assert [s.text for s in ops.excerpt_segments(item)] == [
        "Mon père était porion.",
        "Le dimanche, on allait au bal.",
    ]

    other = create_story("Sans enregistrement")
    bad = [
        ops.Excerpt(start=3, end=2),
        ops.Excerpt(start=1, end=None),
        ops.Excerpt(start=1, end=60),  # the recording lasts 6 s
        ops.Excerpt(photo_media_id=photos[0].id + 1000),
    ]
    for excerpt in bad:
        with pytest.raises(ValidationError):
            ops.update_item(curator, item, caption="x", excerpt=excerpt)
    with pytest.raises(ValidationError, match="no recording"):
        ops.add_item(curator, exhibition, other, excerpt=ops.Excerpt(start=0, end=1))
    with pytest.raises(ValidationError, match="photo"):
        # a photo of another story is not this story's photo
        ops.add_item(curator, exhibition, other, excerpt=ops.Excerpt(photo_media_id=photos[0].id))

    ops.update_item(curator, item, caption="Sans extrait", excerpt=ops.Excerpt())
    db.session.commit()
    assert item.excerpt_start is None and item.photo_media_id is None
    assert ops.item_recording(item) is None
    assert ops.item_photo(item).id == photos[0].id  # the story's first photo by default


def test_items_whose_story_loses_its_rights_are_hidden_not_deleted(
    curator, create_story, create_user
):
    moderator = create_user("moderator")
    exhibition = _exhibition(curator)
    stories = {
        name: create_story(name)
        for name in ("withdrawn", "consent", "unpublished", "private", "kept")
    }
    for story in stories.values():
        ops.add_item(curator, exhibition, story)
    ops.publish_exhibition(curator, exhibition)
    db.session.commit()
    assert len(ops.visible_items(exhibition)) == 5

    story_ops.withdraw_story(moderator, stories["withdrawn"])
    consent = stories["consent"].consent
    data = story_ops.StoryInput(
        title="consent",
        visibility="public",
        status="published",
        consent=story_ops.ConsentInput(
            given_by="test", online_publication=True, exhibition_use=False
        ),
    )
    story_ops.update_story(moderator, stories["consent"], data)
    assert stories["consent"].consent is not consent  # a new consent record is in force
    stories["unpublished"].status = "submitted"
    stories["private"].visibility = "private"
    db.session.commit()

    assert [i.story.title for i in ops.visible_items(exhibition)] == ["kept"]
    hidden = ops.hidden_items(exhibition)
    assert [(n, i.story.title) for n, i, _ in hidden] == [
        (1, "withdrawn"),
        (2, "consent"),
        (3, "unpublished"),
        (4, "private"),
    ]
    assert "withdrawn" in str(hidden[0][2]) and "exhibition use" in str(hidden[1][2])
    assert len(exhibition.items) == 5  # kept, in case the story comes back
    with pytest.raises(ValidationError):
        ops.update_item(curator, exhibition.items[0], caption="x", excerpt=ops.Excerpt())


def test_cover_is_one_of_the_items_photos_and_never_a_hidden_one(
    curator, rich_story, create_story, add_photo, create_user
):
    first = rich_story("Première")
    second = rich_story("Seconde")
    outsider = create_story("Dehors")
    outside_photo = add_photo(outsider)
    exhibition = _exhibition(curator)
    ops.add_item(curator, exhibition, first)
    ops.add_item(curator, exhibition, second)
    chosen = ops.photos_of(second)[1]
    data = ops.ExhibitionInput(
        title=exhibition.title, slug=exhibition.slug, cover_media_id=chosen.id
    )
    ops.update_exhibition(curator, exhibition, data)
    db.session.commit()
    assert ops.cover_of(exhibition).id == chosen.id
    with pytest.raises(ValidationError):
        data.cover_media_id = outside_photo.id
        ops.update_exhibition(curator, exhibition, data)
    db.session.rollback()

    story_ops.withdraw_story(create_user("moderator"), second)
    db.session.commit()
    assert ops.cover_of(exhibition).id == ops.photos_of(first)[0].id


def test_preview_links_are_signed_and_expire(app, curator, monkeypatch):
    exhibition = _exhibition(curator)
    token = ops.preview_token(curator, exhibition)
    assert ops.exhibition_for_preview(token).id == exhibition.id
    with pytest.raises(NotFound):
        ops.exhibition_for_preview(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))

    from itsdangerous import TimestampSigner

    now = TimestampSigner.get_timestamp
    later = lambda self: now(self) + ops.preview_max_age() + 1  # noqa: E731
    monkeypatch.setattr(TimestampSigner, "get_timestamp", later)
    with pytest.raises(Forbidden) as expired:
        ops.exhibition_for_preview(token)
    assert expired.value.code == "preview_expired"
    monkeypatch.undo()

    app.config["MEMOIRE_EXHIBITION_PREVIEW_MAX_AGE"] = -1
    with pytest.raises(Forbidden):
        ops.exhibition_for_preview(token)
    with pytest.raises(Forbidden):
        ops.preview_token(_anonymous(), exhibition)


def _anonymous():
    from flask_login import AnonymousUserMixin

    return AnonymousUserMixin()


def test_editor_search_finds_only_exhibitable_stories(create_story, create_user):
    fete = create_story("La fête des mineurs", external_id="ext-fete")
    create_story("Les mineurs en grève", exhibition_use=False)
    create_story("Mineurs, souvenirs privés", visibility="private", contributor=create_user())
    create_story("Le mineur chercheur", visibility="researchers")
    found = ops.exhibitable_stories("mineur fete")
    assert [s.title for s in found] == ["La fête des mineurs"]
    assert ops.exhibitable_stories("ext-fete") == [fete]
    assert ops.exhibitable_stories(str(fete.id))[0] == fete
    assert [s.title for s in ops.exhibitable_stories("")] == ["La fête des mineurs"]
    assert ops.exhibitable_stories("mineur", limit=0) == []
