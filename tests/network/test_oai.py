"""OAI-PMH sets by organisation and by workshop, harvested by a real client (Sickle)."""

from __future__ import annotations

import threading

import pytest
from sickle import Sickle
from werkzeug.serving import make_server

from memoire.oai.provider import oai_identifier


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_sets_by_organisation_and_workshop(live_server, network):
    sickle = Sickle(f"{live_server}/oai")
    workshop, org = network["workshop"], network["org"]
    sets = {s.setSpec: s.setName for s in sickle.ListSets()}
    assert sets[f"workshop:{workshop.id}"] == f"Ateliers : {workshop.title} (2019-04-17)"
    assert sets[f"organisation:{org.slug}"] == "Organisations : Centre social Dutemple"
    for spec in (f"workshop:{workshop.id}", f"organisation:{org.slug}", "workshop", "organisation"):
        records = list(sickle.ListRecords(metadataPrefix="oai_dc", set=spec))
        assert [r.header.identifier for r in records] == [oai_identifier(network["public"].id)], spec
        assert spec.split(":")[0] in " ".join(records[0].header.setSpecs)
    record = records[0]
    assert any(workshop.title in source for source in record.metadata["source"])
    assert record.metadata["contributor"] == ["Centre social Dutemple"]


def test_unknown_network_sets_are_empty(client, network):
    for spec in ("workshop:999999", "workshop:99999999999999", "workshop:abc", "organisation:nope"):
        text = client.get(f"/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&set={spec}").get_data(as_text=True)
        assert "noRecordsMatch" in text, spec
