"""Hostile input: no import line and no search query makes the archive raise anything
but its own validation error (property-based, bounded)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memoire.core.errors import MemoireError
from memoire.extensions import db
from memoire.imports.operations import STORY_KEYS, import_record

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
records = st.dictionaries(
    st.sampled_from(sorted(STORY_KEYS) + ["colour", "", "id "]), json_values, max_size=8
) | json_values


@SETTINGS
@given(record=records)
def test_any_import_line_is_taken_or_refused_cleanly(app, tmp_path, record):
    try:
        import_record(None, record, tmp_path)
    except MemoireError:
        pass
    finally:
        db.session.rollback()


@SETTINGS
@given(line=st.binary(max_size=200))
def test_any_bytes_as_a_jsonl_file(app, tmp_path, line):
    from memoire.imports.operations import import_jsonl

    path = tmp_path / "x.jsonl"
    path.write_bytes(line)
    summary = import_jsonl(None, path)
    assert all(r.status in {"created", "failed"} for r in summary.results)
    json.dumps(summary.as_dict())


@SETTINGS
@given(q=st.text(max_size=60), place=st.text(max_size=10), decade=st.text(max_size=6),
       bbox=st.text(max_size=20), page=st.text(max_size=4))
def test_any_search_parameters_answer_without_a_server_error(app, q, place, decade, bbox, page):
    client = app.test_client()
    response = client.get("/api/v1/search", query_string={
        "q": q, "place": place, "decade": decade, "bbox": bbox, "page": page})
    assert response.status_code in (200, 400), (q, response.get_data(as_text=True)[:200])
    response = client.get("/search", query_string={"q": q, "bbox": bbox})
    assert response.status_code in (200, 400)
