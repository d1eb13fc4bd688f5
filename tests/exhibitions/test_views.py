"""Exhibition pages and the editor: who may edit, the no-JavaScript editor, drafts and previews."""

from __future__ import annotations

import re

import pytest

from memoire.exhibitions import operations as ops
from memoire.extensions import db
from memoire.stories import operations as story_ops


def _published(curator, *stories, slug="fosse", **item_kwargs):
    exhibition = ops.create_exhibition(
        curator, ops.ExhibitionInput(title="Mémoires de la fosse", slug=slug)
    )
    for story in stories:
        ops.add_item(curator, exhibition, story, **item_kwargs)
    ops.publish_exhibition(curator, exhibition)
    db.session.commit()
    return exhibition


@pytest.mark.parametrize("role", ["contributor", "mediator", "moderator", "researcher"])
def test_non_curators_cannot_edit(client, login, create_user, curator, create_story, role):
    story = create_story()
    exhibition = _published(curator, story)
    item = exhibition.items[0]
    login(create_user(role))
    slug = exhibition.slug
    assert client.get("/exhibitions/manage").status_code == 403
    assert client.get("/exhibitions/new").status_code == 403
    assert client.get(f"/exhibitions/{slug}/edit").status_code == 403
    posts = [
        ("/exhibitions/new", {"title": "Pirate"}),
        (f"/exhibitions/{slug}/edit", {"title": "Pirate", "languages": "fr"}),
        (f"/exhibitions/{slug}/items", {"story": str(story.id)}),
        (f"/exhibitions/{slug}/items/{item.id}", {"action": "remove"}),
        (f"/exhibitions/{slug}/order", {"order": str(item.id)}),
        (f"/exhibitions/{slug}/status", {"status": "draft"}),
        (f"/exhibitions/{slug}/preview-link", {}),
        (f"/exhibitions/{slug}/bundle", {}),
        (f"/exhibitions/{slug}/delete", {}),
    ]
    for url, data in posts:
        assert client.post(url, data=data).status_code == 403, url
    assert client.get(f"/exhibitions/{slug}/export.json").status_code == 403
    db.session.expire_all()
    assert exhibition.title == "Mémoires de la fosse" and exhibition.status == "published"
    assert len(exhibition.items) == 1


def test_anonymous_visitors_are_sent_to_log_in(client, curator, create_story):
    exhibition = _published(curator, create_story())
    response = client.get(f"/exhibitions/{exhibition.slug}/edit")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert client.post(f"/exhibitions/{exhibition.slug}/delete").status_code == 302
    assert db.session.get(ops.Exhibition, exhibition.id) is not None


def test_a_curator_builds_an_exhibition_without_javascript(
    client, login, curator, rich_story, create_story
):
    login(curator)
    fosse = rich_story("La fosse")
    bal = create_story("Le bal", summary="On dansait à la salle des fêtes")
    create_story("Le bal secret", visibility="private")
    create_story("Le bal refusé", exhibition_use=False)

    response = client.post(
        "/exhibitions/new",
        data={"title": "Mémoires de la fosse", "slug": "", "languages": ["fr", "nl"]},
    )
    assert response.status_code == 302
    exhibition = ops.get_exhibition("memoires-de-la-fosse")
    assert response.headers["Location"].endswith("/exhibitions/memoires-de-la-fosse/edit")
    assert exhibition.languages == ["fr", "nl"]

    page = client.get("/exhibitions/memoires-de-la-fosse/edit?q=bal").get_data(as_text=True)
    assert "Le bal" in page and "Le bal secret" not in page and "Le bal refusé" not in page

    for story in (fosse, bal):
        assert (
            client.post(
                "/exhibitions/memoires-de-la-fosse/items", data={"story": str(story.id)}
            ).status_code
            == 302
        )
    refused = client.post(
        "/exhibitions/memoires-de-la-fosse/items", data={"story": "999999"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "No public story with the id 999999." in refused
    db.session.expire_all()
    first, second = exhibition.items
    photos = ops.photos_of(fosse)

    response = client.post(
        f"/exhibitions/memoires-de-la-fosse/items/{first.id}",
        data={
            f"item-{first.id}-caption": "La descente, au petit matin",
            f"item-{first.id}-photo": str(photos[1].id),
            f"item-{first.id}-start": "0:01.5",
            f"item-{first.id}-end": "4,5",
            "action": "save",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (first.caption, first.excerpt_start, first.excerpt_end) == (
        "La descente, au petit matin",
        1.5,
        4.5,
    )
    assert first.photo_media_id == photos[1].id

    bad = client.post(
        f"/exhibitions/memoires-de-la-fosse/items/{first.id}",
        data={f"item-{first.id}-start": "soon", f"item-{first.id}-end": "4", "action": "save"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "minutes:seconds" in bad
    db.session.expire_all()
    assert first.excerpt_start == 1.5  # unchanged

    editor = client.get("/exhibitions/memoires-de-la-fosse/edit").get_data(as_text=True)
    assert (
        "La descente, au petit matin" in editor
        and 'value="0:01.5"' in editor
        and 'value="0:04.5"' in editor
    )

    client.post(f"/exhibitions/memoires-de-la-fosse/items/{second.id}", data={"action": "up"})
    db.session.expire_all()
    assert [i.story.title for i in exhibition.items] == ["Le bal", "La fosse"]
    response = client.post(
        "/exhibitions/memoires-de-la-fosse/order",
        data={"order": f"{first.id},{second.id}"},
        headers={"Accept": "application/json"},
    )
    assert response.get_json() == {"order": [first.id, second.id]}
    db.session.expire_all()
    assert [i.story.title for i in exhibition.items] == ["La fosse", "Le bal"]

    client.post(
        "/exhibitions/memoires-de-la-fosse/edit",
        data={
            "title": "Mémoires de la fosse",
            "slug": "memoires-de-la-fosse",
            "introduction": "Trois voix.",
            "languages": ["fr"],
            "cover": str(photos[1].id),
        },
    )
    client.post("/exhibitions/memoires-de-la-fosse/status", data={"status": "published"})
    db.session.expire_all()
    assert exhibition.status == "published" and exhibition.cover_media_id == photos[1].id
    assert exhibition.introduction == "Trois voix."

    client.post(f"/exhibitions/memoires-de-la-fosse/items/{second.id}", data={"action": "remove"})
    db.session.expire_all()
    assert [i.story.title for i in exhibition.items] == ["La fosse"]


def test_the_page_shows_items_in_order_with_excerpt_and_map(
    client, curator, rich_story, create_story
):
    fosse = rich_story("La fosse")
    bal = create_story("Le bal")
    exhibition = ops.create_exhibition(
        curator, ops.ExhibitionInput(title="Mémoires", slug="memoires", introduction="Des *voix*.")
    )
    ops.add_item(curator, exhibition, bal, caption="Le dimanche")
    ops.add_item(
        curator, exhibition, fosse, caption="La descente", excerpt=ops.Excerpt(start=1.5, end=4.5)
    )
    ops.publish_exhibition(curator, exhibition)
    db.session.commit()

    page = client.get("/exhibitions/memoires").get_data(as_text=True)
    assert page.index("Le dimanche") < page.index("La descente")
    assert "<em>voix</em>" in page
    assert 'data-excerpt-start="1.5" data-excerpt-end="4.5"' in page
    assert re.search(r'<source src="/media/d/\d+/[0-9a-f]+#t=1.5,4.5" type="audio/mp4">', page)
    assert "Mon père était porion." in page and "Le dimanche, on allait au bal." in page
    assert "On descendait à la fosse" not in page  # said before the excerpt
    assert 'data-start="1.5"' in page  # the player starts at the excerpt
    assert 'id="item-2-map"' in page and "/stories/" in page
    assert "js/exhibition.js" in page and "js/kiosk.js" not in page
    assert "/media/o/" not in page  # never an original

    kiosk = client.get("/exhibitions/memoires?kiosk=1").get_data(as_text=True)
    assert (
        "exhibition--kiosk" in kiosk and "js/kiosk.js" in kiosk and "data-kiosk-controls" in kiosk
    )

    listing = client.get("/exhibitions").get_data(as_text=True)
    assert "Mémoires" in listing and "/exhibitions/memoires" in listing


def test_drafts_are_hidden_except_through_a_preview_link(
    app, client, login, curator, create_story, monkeypatch
):
    story = create_story("La fosse")
    exhibition = ops.create_exhibition(
        curator, ops.ExhibitionInput(title="Brouillon", slug="brouillon")
    )
    ops.add_item(curator, exhibition, story)
    db.session.commit()
    assert client.get("/exhibitions/brouillon").status_code == 404
    assert client.get("/api/v1/exhibitions/brouillon").status_code == 404
    assert client.get("/api/v1/exhibitions/brouillon/manifest.json").status_code == 404
    assert "Brouillon" not in client.get("/exhibitions").get_data(as_text=True)

    curator_client = app.test_client()
    login(curator, curator_client)
    response = curator_client.post("/exhibitions/brouillon/preview-link")
    preview_url = re.search(r"preview=([^&#]+)", response.headers["Location"]).group(1)
    from urllib.parse import unquote, urlsplit

    path = urlsplit(unquote(preview_url)).path
    response = client.get(path)
    assert response.status_code == 200
    assert "Preview of a draft" in response.get_data(
        as_text=True
    ) and "La fosse" in response.get_data(as_text=True)
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert client.get(path.replace("/brouillon/", "/autre/")).status_code == 404
    assert client.get(path[:-3] + "xyz").status_code == 404

    from itsdangerous import TimestampSigner

    now = TimestampSigner.get_timestamp
    monkeypatch.setattr(
        TimestampSigner, "get_timestamp", lambda self: now(self) + ops.preview_max_age() + 1
    )
    expired = client.get(path)
    assert expired.status_code == 403 and "expired" in expired.get_data(as_text=True)
    monkeypatch.undo()

    ops.publish_exhibition(curator, exhibition)
    db.session.commit()
    assert client.get(path).status_code == 302  # once published, the link leads to the page


def test_the_editor_warns_about_hidden_items_without_showing_them(
    client, login, curator, create_story, create_user
):
    kept = create_story("Gardée")
    gone = create_story("Histoire retirée")
    exhibition = _published(curator, kept, gone)
    story_ops.withdraw_story(create_user("moderator"), gone)
    db.session.commit()
    login(curator)
    editor = client.get(f"/exhibitions/{exhibition.slug}/edit").get_data(as_text=True)
    assert "1 item is no longer shown anywhere" in editor
    assert f"Item 2 (story no. {gone.id})" in editor and "was withdrawn" in editor
    assert "Histoire retirée" not in editor
    page = client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)
    assert "Gardée" in page and "Histoire retirée" not in page
