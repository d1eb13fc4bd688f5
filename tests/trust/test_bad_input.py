"""Bad bytes are a clean, translated 400 at every door, never a 500, and nothing is written
(issue 13 item 5). The trust suite runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from memoire.core import inputs
from memoire.core.errors import ValidationError
from memoire.extensions import db
from memoire.stories.models import Story, Theme
from tests.api.helpers import bearer, token_for

NUL = "\x00"
SURROGATE = "\ud800"
DEEP = "[" * 5000 + "]" * 5000


def _stories() -> int:
    return db.session.scalar(select(func.count()).select_from(Story))


# --- the guard itself ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["a\x00b", "a\ud800b", "\udfff"])
def test_the_guard_refuses_unstorable_text(app, text):
    with pytest.raises(inputs.BadInput):
        inputs.check_text(text)
    with pytest.raises(inputs.BadInput):
        inputs.check_value({"ok": ["fine", {"deep": text}]})
    with pytest.raises(inputs.BadInput):
        inputs.check_value({text: 1})  # keys too


def test_the_guard_keeps_real_text(app):
    inputs.check_value({"title": "Le café « Chez Léon » — 1962 🎉", "n": [1, 2.5, None, True]})


def test_the_guard_refuses_absurd_nesting_without_recursing(app):
    with pytest.raises(inputs.BadInput):
        inputs.loads_json(DEEP)
    deep_but_parsable = "[" * 200 + "]" * 200
    with pytest.raises(inputs.BadInput):
        inputs.loads_json(deep_but_parsable)
    assert inputs.loads_json("[" * 10 + "]" * 10) == [[[[[[[[[[]]]]]]]]]]


def test_escaped_bad_characters_in_json_are_refused(app):
    with pytest.raises(inputs.BadInput):
        inputs.loads_json('{"title": "a\\u0000b"}')
    with pytest.raises(inputs.BadInput):
        inputs.loads_json('{"title": "a\\ud800b"}')
    with pytest.raises(ValueError):  # plain syntax errors keep their own message
        inputs.loads_json("{nope")


# --- web doors ----------------------------------------------------------------------------


def _is_clean_400(response) -> bool:
    return response.status_code == 400 and b"cannot be stored" in response.data


@pytest.mark.parametrize("query", [
    "theme=a&theme=b%00",          # the second value of a key, not only the first
    "q=ok&q=%00",
    "lang=fr&lang=fr%00",
    "theme%00=a",                  # a key
])
def test_every_query_value_is_checked(client, query):
    for path in ("/search", "/api/v1/stories", "/api/v1/search", "/api/v1/map.geojson", "/"):
        response = client.get(f"{path}?{query}", headers={"Accept-Language": "en"})
        assert response.status_code == 400, (path, query)


def test_the_message_is_translated(client):
    response = client.get("/search?q=a&q=%00", headers={"Accept-Language": "fr"})
    assert response.status_code == 400
    assert "caractères" in response.get_data(as_text=True)
    api = client.get("/api/v1/stories?theme=a&theme=%00", headers={"Accept-Language": "en"})
    assert api.status_code == 400
    assert api.get_json()["error"]["code"] == "bad_characters"


def test_a_nul_in_a_form_field_is_refused(client):
    response = client.post(
        "/account/login", data={"email": "a@example.org", "password": "x\x00y"},
        headers={"Accept-Language": "en"},
    )
    assert _is_clean_400(response)


def test_a_nul_in_a_path_is_refused(client):
    assert client.get("/places/abc%00def").status_code == 400


@pytest.mark.parametrize("name", ["photo\x00.jpg", "\x00"])
def test_a_bad_multipart_file_name_is_refused(client, name):
    from tests.conftest import jpeg_bytes

    response = client.post(
        "/contribute/1/media/photo",
        data={"file": (io.BytesIO(jpeg_bytes()), name)},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    assert _is_clean_400(response)


@pytest.mark.parametrize("title", [NUL, SURROGATE, "ok" + NUL + "ok", "x" + SURROGATE])
def test_json_bodies_with_bad_characters_are_refused(client, create_user, title):
    headers = {**bearer(token_for(create_user())), "Accept-Language": "en"}
    before = _stories()
    body = json.dumps({"title": "Le marché", "body": title, "themes": [title]})
    response = client.post("/api/v1/stories", data=body, content_type="application/json",
                           headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_characters"
    assert _stories() == before
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 0


def test_a_json_body_nested_5000_deep_is_refused(client, create_user):
    headers = {**bearer(token_for(create_user())), "Accept-Language": "en"}
    response = client.post("/api/v1/stories", data='{"title": "x", "themes": ' + DEEP + "}",
                           content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert "nested" in response.get_json()["error"]["message"]


def test_a_drawn_map_body_with_bad_characters_is_refused(client, create_user):
    user = create_user("moderator")
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    body = '{"type": "FeatureCollection", "features": [{"properties": {"name": "a\\u0000"}}]}'
    response = client.post("/map/layers/1/features.json", data=body, content_type="application/json")
    assert response.status_code == 400


# --- import lines -------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    '{"title": "a\\u0000b"}',
    '{"title": "ok", "themes": ["a\\ud800"]}',
    '{"title": "ok", "places": [{"name": "x", "parent": "\\u0000"}]}',
    '{"title": "ok", "narrators": ' + "[" * 5000 + "]" * 5000 + "}",
])
def test_an_import_line_with_bad_characters_fails_alone(app, runner, tmp_path, line):
    path = tmp_path / "stories.jsonl"
    good = json.dumps({"title": "Une bonne ligne", "id": "good-1"})
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1, result.output
    assert "line 2:" in result.output
    assert "Traceback" not in result.output
    assert _stories() == 1
    assert db.session.scalar(select(Story.title)) == "Une bonne ligne"


# --- the error page needs no failed session -----------------------------------------------


@pytest.fixture
def app_config():
    return {"PROPAGATE_EXCEPTIONS": False}


def test_the_error_page_does_not_need_the_failed_session(app, create_user):
    """A write that fails in the database leaves the session unusable until rolled back: the
    500 page (which shows who is logged in) must still render, never PendingRollbackError."""

    def fail_in_the_database():
        db.session.add(Theme(slug="boom", name="bad" + SURROGATE, names={}))
        db.session.flush()
        return "unreachable"

    app.add_url_rule("/test-boom", "test_boom", fail_in_the_database)
    user = create_user()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    response = client.get("/test-boom", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Something went wrong" in text
    assert "<nav" in text or "<html" in text
    # The next request of the same app works: nothing of the failed transaction is left.
    assert client.get("/my-stories").status_code == 200


def test_validation_errors_keep_their_own_class():
    assert issubclass(inputs.BadInput, ValidationError)
