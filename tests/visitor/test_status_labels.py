"""Staff lists label every story the public cannot see with its status."""

from __future__ import annotations

from memoire.search import service


def test_moderators_see_drafts_labelled_in_search_and_on_place_pages(client, login, create_user, create_story, create_place):
    quartier = create_place("Dutemple", "quartier", "Valenciennes", 50.3526, 3.5333)
    create_story("Le terril public", places=[quartier])
    create_story("Le terril en attente", status="submitted", places=[quartier])
    create_story("Le terril des chercheurs", visibility="researchers", places=[quartier])
    service.process_pending()
    login(client, create_user("moderator"))
    html = client.get("/search?q=terril").get_data(as_text=True)
    assert html.count('class="tag tag--access"') == 2
    assert "Awaiting review" in html and "Researchers only" in html
    html = client.get(f"/places/{quartier.id}").get_data(as_text=True)
    assert html.count('class="tag tag--access"') == 2


def test_the_public_sees_no_label(client, create_story):
    create_story("Le terril public")
    service.process_pending()
    assert "tag--access" not in client.get("/search?q=terril").get_data(as_text=True)
