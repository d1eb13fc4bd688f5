"""OAI-PMH 2.0: the six verbs, sets, selective harvesting, resumption, deleted records, errors;
and a whole harvest by a real client library (Sickle) over HTTP."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from sickle import Sickle, oaiexceptions
from werkzeug.serving import make_server

from memoire.core.db import utcnow
from memoire.extensions import db
from memoire.oai.provider import oai_identifier
from memoire.stories import operations as story_ops
from tests.api.fixtures import HIDDEN_WORDS

NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}


def oai(client, **args) -> ET.Element:
    response = client.get("/oai", query_string=args)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    return ET.fromstring(response.data)


def error_code(root: ET.Element) -> str | None:
    error = root.find("oai:error", NS)
    return error.get("code") if error is not None else None


def make_stories(count: int, prefix: str = "Histoire", **fields) -> list:
    """Published public stories in one transaction (the factory commits each; this is faster)."""
    stories = [
        story_ops.create_story(
            None,
            story_ops.StoryInput(
                title=f"{prefix} {n:03d}", visibility="public", status="published",
                consent=story_ops.ConsentInput(given_by="test", online_publication=True),
                **fields,
            ),
        )
        for n in range(count)
    ]
    db.session.commit()
    return stories


def test_identify(client, archive):
    root = oai(client, verb="Identify")
    identify = root.find("oai:Identify", NS)
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://localhost/oai"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert "@" in identify.findtext("oai:adminEmail", namespaces=NS)
    assert root.find("oai:request", NS).get("verb") == "Identify"


def test_list_records_holds_only_public_stories(client, archive):
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    records = root.findall(".//oai:record", NS)
    titles = [r.findtext(".//dc:title", namespaces=NS) for r in records]
    assert titles == ["La fosse Dutemple", "Le bal du samedi"]
    body = ET.tostring(root, encoding="unicode")
    for word in HIDDEN_WORDS.values():
        assert word not in body
    assert root.find(".//oai:resumptionToken", NS) is None  # a short list comes whole
    header = records[0].find("oai:header", NS)
    assert header.findtext("oai:identifier", namespaces=NS) == oai_identifier(archive["public"].id)
    assert set(s.text for s in header.findall("oai:setSpec", NS)) == {
        "commune:valenciennes",
        "theme:mine",
    }


def test_get_record_and_its_errors(client, archive):
    public = oai_identifier(archive["public"].id)
    root = oai(client, verb="GetRecord", identifier=public, metadataPrefix="oai_dc")
    assert root.findtext(".//dc:title", namespaces=NS) == "La fosse Dutemple"
    assert (
        error_code(oai(client, verb="GetRecord", identifier=public, metadataPrefix="marc21"))
        == "cannotDisseminateFormat"
    )
    for story in archive["hidden"].values():
        hidden = oai(
            client, verb="GetRecord", identifier=oai_identifier(story.id), metadataPrefix="oai_dc"
        )
        assert error_code(hidden) == "idDoesNotExist"
    assert (
        error_code(oai(client, verb="GetRecord", identifier="oai:else:1", metadataPrefix="oai_dc"))
        == "idDoesNotExist"
    )
    assert error_code(oai(client, verb="GetRecord", identifier=public)) == "badArgument"


def test_metadata_formats_and_sets(client, archive):
    formats = oai(client, verb="ListMetadataFormats")
    assert [e.text for e in formats.iter(f"{{{NS['oai']}}}metadataPrefix")] == ["oai_dc"]
    one = oai(client, verb="ListMetadataFormats", identifier=oai_identifier(archive["public"].id))
    assert one.find("oai:ListMetadataFormats", NS) is not None
    missing = oai(
        client, verb="ListMetadataFormats", identifier=oai_identifier(archive["hidden"]["draft"].id)
    )
    assert error_code(missing) == "idDoesNotExist"
    sets = oai(client, verb="ListSets")
    specs = {
        s.findtext("oai:setSpec", namespaces=NS): s.findtext("oai:setName", namespaces=NS)
        for s in sets.iter(f"{{{NS['oai']}}}set")
    }
    assert set(specs) == {"commune", "theme", "commune:valenciennes", "theme:mine", "theme:fete"}
    assert specs["theme:fete"].endswith("Fête")


def test_list_identifiers_by_set(client, archive):
    def identifiers(**args):
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **args)
        return [
            h.findtext("oai:identifier", namespaces=NS) for h in root.iter(f"{{{NS['oai']}}}header")
        ], root

    mine, _root = identifiers(set="theme:mine")
    assert mine == [oai_identifier(archive["public"].id)]
    commune, _root = identifiers(set="commune:valenciennes")
    assert commune == [oai_identifier(archive["public"].id), oai_identifier(archive["quartier"].id)]
    every_theme, _root = identifiers(set="theme")
    assert len(every_theme) == 2
    _ids, nothing = identifiers(set="theme:unknown")
    assert error_code(nothing) == "noRecordsMatch"


def test_selective_harvest_by_dates(client, archive):
    old = archive["public"]
    old.updated_at = datetime(2020, 5, 1, 12, 0, 0)
    db.session.commit()
    db.session.refresh(old)
    assert old.updated_at == datetime(2020, 5, 1, 12, 0, 0)

    def count(**args):
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **args)
        return len(list(root.iter(f"{{{NS['oai']}}}header"))), error_code(root)

    assert count(until="2020-05-01") == (1, None)
    assert count(until="2020-05-01T12:00:00Z") == (1, None)  # until is inclusive
    assert count(until="2020-05-01T11:59:59Z") == (0, "noRecordsMatch")
    assert count(**{"from": "2020-05-01T12:00:00Z", "until": "2020-05-01T12:00:00Z"}) == (1, None)
    assert count(**{"from": "2020-05-02"}) == (1, None)
    assert count(**{"from": "2020-05-01T12:00:01Z", "until": "2021-01-01T00:00:00Z"}) == (
        0,
        "noRecordsMatch",
    )
    for bad in (
        {"from": "2020-05"},
        {"from": "2020-13-01"},
        {"until": "2020-05-01T12:00:00"},
        {"from": "2020-05-01", "until": "2020-05-01T00:00:00Z"},
        {"from": "2021-01-01", "until": "2020-01-01"},
    ):
        assert count(**bad)[1] == "badArgument", bad
    earliest = oai(client, verb="Identify").findtext(".//oai:earliestDatestamp", namespaces=NS)
    assert earliest == "2020-05-01T12:00:00Z"


def test_withdrawn_and_erased_stories_are_deleted_records(
    client, archive, create_story, create_user
):
    from memoire.privacy.operations import erase_story

    gone = create_story("Effacée", themes=["Mine"], places=[archive["dutemple"]])
    withdrawn = create_story("Retirée", themes=["Mine"])
    gone_id = gone.id
    admin = create_user("admin")
    erase_story(admin, gone)
    story_ops.withdraw_story(admin, withdrawn)
    # A draft its author withdraws was never public: it never appears, not even as deleted.
    story_ops.withdraw_story(archive["owner"], archive["hidden"]["draft"])
    db.session.commit()

    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    deleted = {
        r.findtext("oai:header/oai:identifier", namespaces=NS): r
        for r in root.findall(".//oai:record", NS)
        if r.find("oai:header", NS).get("status") == "deleted"
    }
    assert set(deleted) == {oai_identifier(gone_id), oai_identifier(withdrawn.id)}
    for record in deleted.values():
        assert record.find("oai:metadata", NS) is None
    by_set = oai(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="commune:valenciennes"
    )
    statuses = {
        h.findtext("oai:identifier", namespaces=NS): h.get("status")
        for h in by_set.iter(f"{{{NS['oai']}}}header")
    }
    assert statuses[oai_identifier(gone_id)] == "deleted"
    record = oai(
        client, verb="GetRecord", identifier=oai_identifier(gone_id), metadataPrefix="oai_dc"
    )
    assert record.find(".//oai:header", NS).get("status") == "deleted"
    assert "Effacée" not in ET.tostring(root, encoding="unicode")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
        (
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "theme:nothing"},
            "noRecordsMatch",
        ),
        (
            {"verb": "GetRecord", "identifier": "oai:x:story/1", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
    ],
)
def test_protocol_errors(client, archive, args, code):
    root = oai(client, **args)
    assert error_code(root) == code
    request = root.find("oai:request", NS)
    if code in {"badVerb", "badArgument"}:
        assert request.attrib == {}  # echoed without arguments, as the protocol says


def test_repeated_arguments_are_bad(client, archive):
    response = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")
    assert error_code(ET.fromstring(response.data)) == "badArgument"
    response = client.get("/oai?verb=Identify&verb=Identify")
    assert error_code(ET.fromstring(response.data)) == "badVerb"


def test_post_requests_work_like_get(client, archive):
    response = client.post("/oai", data={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    root = ET.fromstring(response.data)
    assert len(list(root.iter(f"{{{NS['oai']}}}header"))) == 2


def test_resumption_tokens_carry_a_list_over_pages(client, archive):
    make_stories(205)
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find(".//oai:resumptionToken", NS)
    assert len(list(first.iter(f"{{{NS['oai']}}}header"))) == 100
    assert token.get("completeListSize") == "207" and token.get("cursor") == "0"
    second = oai(client, verb="ListIdentifiers", resumptionToken=token.text)
    token2 = second.find(".//oai:resumptionToken", NS)
    assert token2.get("cursor") == "100" and token2.text
    # The same token may be asked again (a harvester retrying after a timeout).
    assert ET.tostring(
        oai(client, verb="ListIdentifiers", resumptionToken=token.text).find(
            "oai:ListIdentifiers", NS
        )
    ) == ET.tostring(second.find("oai:ListIdentifiers", NS))
    third = oai(client, verb="ListIdentifiers", resumptionToken=token2.text)
    last = third.find(".//oai:resumptionToken", NS)
    assert len(list(third.iter(f"{{{NS['oai']}}}header"))) == 7
    assert last.text is None and last.get("cursor") == "200"
    wrong_verb = oai(client, verb="ListRecords", resumptionToken=token.text)
    assert error_code(wrong_verb) == "badResumptionToken"
    tampered = oai(client, verb="ListIdentifiers", resumptionToken=token.text[:-2] + "xx")
    assert error_code(tampered) == "badResumptionToken"


@pytest.fixture
def live_server(app):
    """The app over real HTTP on a free port, for clients that speak HTTP (Sickle uses requests)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def small_pages(app):
    app.config["MEMOIRE_OAI_PAGE_SIZE"] = 25


def test_sickle_harvests_the_whole_repository(live_server, archive, small_pages, create_user):
    from memoire.privacy.operations import erase_story

    make_stories(58, themes=["Mine"])
    gone = make_stories(1, prefix="Effacée")[0]
    gone_id = gone.id
    erase_story(create_user("admin"), gone)
    db.session.commit()
    sickle = Sickle(f"{live_server}/oai")

    identify = sickle.Identify()
    assert identify.repositoryName and identify.deletedRecord == "persistent"

    records = list(sickle.ListRecords(metadataPrefix="oai_dc"))
    live = [r for r in records if not r.header.deleted]
    deleted = [r for r in records if r.header.deleted]
    assert len(live) == 60 and len(deleted) == 1  # 2 public + 58, over three resumption tokens
    assert deleted[0].header.identifier == oai_identifier(gone_id)
    assert "Effacée" not in deleted[0].raw
    titles = {r.metadata["title"][0] for r in live}
    assert {"La fosse Dutemple", "Le bal du samedi", "Histoire 000", "Histoire 057"} <= titles
    assert not any(word in title for title in titles for word in HIDDEN_WORDS.values())
    fosse = next(r for r in live if r.metadata["title"] == ["La fosse Dutemple"])
    assert fosse.metadata["creator"] == ["Marcel D."]
    assert fosse.metadata["language"] == ["fr"]
    assert len({r.header.identifier for r in records}) == 61

    in_set = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="theme:mine"))
    assert len(in_set) == 59
    since = (utcnow() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = list(sickle.ListIdentifiers(**{"metadataPrefix": "oai_dc", "from": since}))
    assert len(recent) == 61
    assert {s.setSpec for s in sickle.ListSets()} >= {"theme:mine", "commune:valenciennes"}
    record = sickle.GetRecord(
        identifier=oai_identifier(archive["public"].id), metadataPrefix="oai_dc"
    )
    assert record.metadata["title"] == ["La fosse Dutemple"]
    assert [f.metadataPrefix for f in sickle.ListMetadataFormats()] == ["oai_dc"]

    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(sickle.ListRecords(metadataPrefix="oai_dc", set="theme:nothing"))
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        list(sickle.ListRecords(metadataPrefix="mods"))
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        sickle.GetRecord(
            identifier=oai_identifier(archive["hidden"]["private"].id), metadataPrefix="oai_dc"
        )
    with pytest.raises(oaiexceptions.BadArgument):
        list(sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "yesterday"}))
    with pytest.raises(oaiexceptions.BadResumptionToken):
        list(sickle.ListRecords(resumptionToken="nope"))
    bad_verb = sickle.harvest(verb="Nope").xml.find(f"{{{NS['oai']}}}error")
    assert bad_verb.get("code") == "badVerb"
