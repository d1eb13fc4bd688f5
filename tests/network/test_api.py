"""The network in the JSON API: public results only, listed facilitators only, answers as documented."""

from __future__ import annotations

from tests.api.test_openapi import assert_documented


def test_api_answers(client, network):
    w, org, method = network["workshop"], network["org"], network["method"]
    urls = ["/api/v1/organisations", f"/api/v1/organisations/{org.slug}", "/api/v1/workshops",
            f"/api/v1/workshops/{w.id}", f"/api/v1/workshops?organisation={org.slug}",
            f"/api/v1/workshops?method={method.slug}", "/api/v1/methods", f"/api/v1/methods/{method.slug}"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_documented(response, url)
        text = response.get_data(as_text=True)
        assert "Zqsecret" not in text and "Zorglub" not in text, url
    one = client.get(f"/api/v1/workshops/{w.id}").get_json()
    assert one["stories"] == [network["public"].id]
    assert [f["display_name"] for f in one["facilitators"]] == ["Mimi du Dutemple"]
    assert one["unnamed_facilitators"] == 1 and one["participants"] == 11
    assert one["organisations"] == [org.slug] and one["methods"] == [method.slug]
    assert client.get("/api/v1/workshops?organisation=nope").get_json() == {"workshops": []}
    card = client.get(f"/api/v1/methods/{method.slug}").get_json()
    assert card["version"] == 1 and card["workshops"] == [w.id]
    for url in ["/api/v1/workshops/999999", "/api/v1/organisations/nope", "/api/v1/methods/nope"]:
        assert client.get(url).status_code == 404
