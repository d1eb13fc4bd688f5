"""The demo archive has a walk through Dutemple and one through Epinlieu, every stop shown."""

from __future__ import annotations

from memoire.demo.loader import DEMO_DIR
from memoire.extensions import db
from memoire.walks import operations as ops
from memoire.walks.demo import load_walks
from tests.conftest import make_app


def test_the_demo_walks(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        load_walks(DEMO_DIR / "walks.json")  # a second run rebuilds them, no duplicates
        db.session.commit()
        walks = {walk.slug: walk for walk in ops.published_walks()}
        assert set(walks) == {"parcours-dutemple", "parcours-epinlieu"}
        for walk in walks.values():
            assert ops.visible_stops(walk) == walk.stops and len(walk.stops) >= 3
        client = app.test_client()
        page = client.get("/walks/parcours-dutemple")
        assert page.status_code == 200 and "Le chevalement à la fenêtre" in page.text
        assert "<audio" in page.text  # demo-001's excerpt
        document = client.get("/api/v1/walks/parcours-epinlieu").get_json()
        assert [s["story"]["title"][:10] for s in document["stops"]][0] == "La clé d'É"
