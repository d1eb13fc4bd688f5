"""Stable links use MEMOIRE_BASE_URL when it is set, else the address the request came to."""

from __future__ import annotations

import pytest

from memoire.config import load


def test_unset_by_default():
    assert load({"HOME": "/tmp/x"}, environ={})["MEMOIRE_BASE_URL"] is None


def test_the_stable_address_follows_the_request(client, create_story):
    story = create_story("La ducasse")
    html = client.get(f"/stories/{story.id}", base_url="http://127.0.0.1:5077").get_data(as_text=True)
    assert f"http://127.0.0.1:5077/s/{story.id}" in html
    assert "127.0.0.1:5000" not in html
    cited = client.get(f"/api/v1/stories/{story.id}/citation", base_url="http://archive.test:8080")
    if cited.status_code == 200:
        assert f"http://archive.test:8080/s/{story.id}" in cited.get_data(as_text=True)


class TestConfigured:
    @pytest.fixture
    def app_config(self):
        return {"DEFAULT_LOCALE": "en", "LOCALES": "en,fr,nl", "BASE_URL": "https://memoire.example.org/"}

    def test_a_configured_address_wins(self, client, create_story):
        story = create_story("La ducasse")
        html = client.get(f"/stories/{story.id}", base_url="http://127.0.0.1:5077").get_data(as_text=True)
        assert f"https://memoire.example.org/s/{story.id}" in html
        assert "127.0.0.1:5077/s/" not in html
