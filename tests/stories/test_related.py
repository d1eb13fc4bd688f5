"""Related stories (issue 18 item 2): reasons in a word, from public stories only.
(Outside a request the labels are in the default language, French.)"""

from __future__ import annotations

from memoire.extensions import db
from memoire.stories.related import related_stories


def _reasons(story) -> dict[str, str]:
    return {other.title: str(reason) for other, reason in related_stories(story, limit=10)}


def test_reasons_place_quartier_theme_narrator_period(app, create_story, create_place):
    create_place("Valenciennes", "commune", None, 50.357, 3.523)
    dutemple = create_place("Dutemple", "quartier", "Valenciennes")
    rue = create_place("Rue de la Fosse", "street", "Dutemple", 50.353, 3.534)
    autre_rue = create_place("Rue Lomprez", "street", "Dutemple", 50.354, 3.535)
    ailleurs = create_place("Epinlieu", "quartier", "Valenciennes", 50.34, 3.50)
    story = create_story("La grève", places=[rue], themes=["grève"], narrators=["Jeanne"],
                         period="1963")
    create_story("Même rue", places=[rue])
    create_story("Même quartier", places=[autre_rue])
    create_story("Même thème", places=[ailleurs], themes=["grève"])
    create_story("Même voix", places=[ailleurs], narrators=["Jeanne"])
    create_story("Même époque", places=[ailleurs], period="1960-1965")
    create_story("Rien à voir", places=[ailleurs], period="1990")
    reasons = _reasons(story)
    assert reasons == {
        "Même rue": "même lieu", "Même quartier": "même quartier", "Même thème": "même thème",
        "Même voix": "même voix", "Même époque": "même époque",
    }
    # Strongest first.
    assert [o.title for o, _ in related_stories(story, limit=2)] == ["Même rue", "Même voix"]
    assert dutemple.id


def test_never_a_story_that_is_not_public(app, create_story, create_place):
    rue = create_place("Rue de la Fosse", "street", "Dutemple", 50.353, 3.534)
    story = create_story("La grève", places=[rue], themes=["grève"], period="1963")
    for visibility, status in [("private", "published"), ("researchers", "published"),
                               ("public", "submitted"), ("public", "draft"), ("public", "withdrawn")]:
        create_story(f"Caché {visibility} {status}", places=[rue], themes=["grève"], period="1963",
                     visibility=visibility, status=status)
    assert _reasons(story) == {}
    public = create_story("Public", places=[rue])
    assert "Public" in _reasons(story)
    # Made private after being cached: gone at once.
    public.visibility = "private"
    db.session.commit()
    assert _reasons(story) == {}


def test_a_quartier_story_does_not_give_its_street_away(app, create_story, create_place):
    create_place("Dutemple", "quartier", "Valenciennes")
    rue = create_place("Rue de la Fosse", "street", "Dutemple", 50.353, 3.534)
    story = create_story("La grève", places=[rue])
    create_story("Discret", places=[rue], precision="quartier")
    assert _reasons(story) == {"Discret": "même quartier"}


def test_story_page_lists_related_with_reason(app, client, create_story, create_place):
    rue = create_place("Rue de la Fosse", "street", "Dutemple", 50.353, 3.534)
    story = create_story("La grève", places=[rue])
    create_story("Voisine", places=[rue])
    html = client.get(f"/stories/{story.id}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Voisine" in html and "même lieu" in html
