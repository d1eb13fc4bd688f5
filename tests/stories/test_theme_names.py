"""A theme's name per language (issue 17): one operation, the staff form and the JSON API."""

from __future__ import annotations

import pytest

from memoire.core.errors import Forbidden, ValidationError
from memoire.extensions import db
from memoire.stories import operations as ops
from memoire.stories.models import Theme
from tests.api.fixtures import auth_headers  # noqa: F401
from tests.api.helpers import assert_documented
from tests.english_client import client, login  # noqa: F401


@pytest.fixture
def theme(app, create_story):
    """A theme carried by a public story, so the browse pages name it."""
    story = create_story("La fanfare", themes=["Musique"])
    db.session.commit()
    return story.themes[0]


def _reload(theme: Theme) -> Theme:
    db.session.expire_all()
    return db.session.get(Theme, theme.id)


# --- the operation --------------------------------------------------------------------------


def test_staff_name_a_theme_in_each_language(app, theme, create_user):
    ops.name_theme(create_user("moderator"), theme, {"nl": "  Muziek ", "en": "Music"})
    db.session.commit()
    theme = _reload(theme)
    assert (theme.name, theme.names) == ("Musique", {"nl": "Muziek", "en": "Music"})
    assert theme.label("nl") == "Muziek" and theme.label("fr") == "Musique"
    ops.name_theme(create_user("admin"), theme, {"fr": "Musiques", "en": ""})
    theme = _reload(theme)
    assert theme.name == "Musiques" and theme.names == {"nl": "Muziek"}
    assert theme.slug == "musique"  # links and filters that name it keep working


def test_a_renamed_theme_is_found_by_its_new_name(app, theme, create_user):
    ops.name_theme(create_user("moderator"), theme, {"fr": "Musiques et fanfares"})
    assert ops.get_or_create_theme("musiques et  fanfares").id == theme.id
    assert ops.get_or_create_theme("Musique").id == theme.id  # and by its slug still
    assert db.session.query(Theme).count() == 1


@pytest.mark.parametrize(
    "names, field",
    [({"fr": "  "}, "fr"), ({"nl": "x" * 81}, "nl"), ({"de": "Musik"}, "de")],
)
def test_bad_names_are_refused_and_nothing_is_written(app, theme, create_user, names, field):
    with pytest.raises(ValidationError) as refused:
        ops.name_theme(create_user("moderator"), theme, {"en": "Music", **names})
    assert refused.value.field == field
    theme = _reload(theme)
    assert (theme.name, theme.names) == ("Musique", {})


@pytest.mark.parametrize("role", ["contributor", "mediator", "curator"])
def test_only_staff_name_themes(app, theme, create_user, role):
    with pytest.raises(Forbidden):
        ops.name_theme(create_user(role), theme, {"en": "Music"})
    with pytest.raises(Forbidden):
        ops.name_theme(None, theme, {"en": "Music"})


# --- the staff form ---------------------------------------------------------------------------


def test_the_form_names_a_theme_and_the_dutch_page_shows_it(app, client, login, theme, create_user):  # noqa: F811
    login(create_user("moderator"))
    assert "Musique" in client.get("/admin/themes").get_data(as_text=True)
    form = client.get(f"/admin/themes/{theme.id}").get_data(as_text=True)
    assert 'name="fr"' in form and 'value="Musique"' in form and 'name="nl"' in form
    response = client.post(
        f"/admin/themes/{theme.id}", data={"fr": "Musique", "nl": "Muziek", "en": "Music"}
    )
    assert response.status_code == 302
    assert _reload(theme).names == {"nl": "Muziek", "en": "Music"}
    page = client.get(f"/memories/theme/{theme.id}?lang=nl").get_data(as_text=True)
    assert "Muziek" in page


def test_a_bad_name_is_said_in_french_and_typing_kept(app, client, login, theme, create_user):  # noqa: F811
    login(create_user("moderator"))
    client.get("/?lang=fr")
    response = client.post(f"/admin/themes/{theme.id}", data={"fr": "", "nl": "Muziek", "en": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Un thème a besoin d’un nom dans cette langue\u00a0: Français." in page
    assert 'value="Muziek"' in page and 'aria-invalid="true"' in page
    assert _reload(theme).names == {}


def test_the_form_is_for_staff_only(app, client, login, theme, create_user):  # noqa: F811
    assert client.get("/admin/themes").status_code == 302  # to the login page
    login(create_user("contributor"))
    assert client.get("/admin/themes").status_code == 403
    assert client.post(f"/admin/themes/{theme.id}", data={"fr": "Rien"}).status_code == 403
    assert _reload(theme).name == "Musique"


# --- the JSON API -----------------------------------------------------------------------------


def test_the_api_names_a_theme(app, client, theme, auth_headers):  # noqa: F811
    response = client.patch(
        "/api/v1/themes/musique",
        json={"nl": "Muziek", "en": "Music"},
        headers=auth_headers("moderator"),
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["names"] == {"nl": "Muziek", "en": "Music"}
    assert_documented(response, "/api/v1/themes/musique", "patch")
    listed = client.get("/api/v1/themes?lang=nl").get_json()["themes"]
    assert [t["label"] for t in listed if t["slug"] == "musique"] == ["Muziek"]


@pytest.mark.parametrize(
    "body, field",
    [({"fr": ""}, "fr"), ({"nl": 3}, "nl"), ({"de": "Musik"}, "de"), ([], "body")],
)
def test_the_api_refuses_bad_names_naming_the_key(app, client, theme, auth_headers, body, field):  # noqa: F811
    response = client.patch("/api/v1/themes/musique", json=body, headers=auth_headers("moderator"))
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field
    assert_documented(response, "/api/v1/themes/musique", "patch")
    assert _reload(theme).names == {}


def test_the_api_is_for_staff_and_knows_its_themes(app, client, theme, auth_headers):  # noqa: F811
    assert (
        client.patch(
            "/api/v1/themes/musique", json={"en": "Music"}, headers=auth_headers("contributor")
        ).status_code
        == 403
    )
    assert (
        client.patch(
            "/api/v1/themes/nothing", json={"en": "Music"}, headers=auth_headers("moderator")
        ).status_code
        == 404
    )
    assert client.patch("/api/v1/themes/musique", json={"en": "Music"}).status_code == 401
