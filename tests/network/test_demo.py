"""The demo archive carries the network: houses, a dozen workshops, five method cards, a drawn map."""

from __future__ import annotations

from sqlalchemy import func, select

from memoire.demo.loader import DEMO_DIR
from memoire.extensions import db
from memoire.network import queries
from memoire.network.demo import load_network
from memoire.network.models import Facilitator, Method, Organisation, Workshop, WorkshopStory
from memoire.stories.models import Story
from tests.conftest import make_app


def test_the_demo_network_answers_the_field_worker(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        counts = load_network(DEMO_DIR / "network.json")  # a second run changes nothing
        db.session.commit()
        assert counts["workshops"] == 12 and counts["methods"] == 5
        assert db.session.scalar(select(func.count()).select_from(Workshop)) == 12
        assert db.session.scalar(select(func.count()).select_from(Method)) == 5
        assert db.session.scalar(select(func.count()).select_from(Organisation)) >= 10
        residents = db.session.scalars(select(Facilitator).where(Facilitator.kind == "resident")).all()
        assert len([f for f in residents if f.is_listed]) == 2
        # A story is collected at its workshop: recorded within the workshop's days.
        for link in db.session.scalars(select(WorkshopStory)):
            workshop, story = db.session.get(Workshop, link.workshop_id), db.session.get(Story, link.story_id)
            assert workshop.starts_on <= story.recorded_on <= (workshop.ends_on or workshop.starts_on), (
                workshop.title, story.title)
        assert db.session.scalar(select(func.count()).select_from(WorkshopStory)) >= 30

        # "Which house ran a feelings-map workshop with teenagers?"
        found = queries.directory(queries.DirectoryFilters(question="feelings_about_place", audience="teenagers"))
        assert [o.name for o in found.organisations] == ["Maison de quartier de l'Allée des Oiseaux"]
        workshop = found.workshops[f"o:{found.organisations[0].id}"][0]
        client = app.test_client()
        for lang in ("fr", "nl"):
            page = client.get(f"/workshops/{workshop.id}?lang={lang}").get_data(as_text=True)
            assert "Ce qu&#39;on ressent à l&#39;Île aux Oiseaux" in page  # the map it drew
            assert "Le tournoi de mini-foot entre les blocs" in page  # a memory it produced
            assert "/methods/carte-des-ressentis" in page
        card = client.get("/methods/carte-des-ressentis").get_data(as_text=True)
        assert "gommettes" in card
        hood = found.organisations[0].neighbourhoods[0]
        page = client.get(f"/neighbourhoods/{hood.id}").get_data(as_text=True)
        assert "Sophie L." in page and "oiseaux@maisons-quartier.example.org" in client.get(
            f"/organisations/{found.organisations[0].slug}").get_data(as_text=True)
        # The researchers-only demo story is in a workshop, but never counted in public.
        usinor = db.session.scalar(select(Workshop).where(Workshop.title.like("Usinor%")))
        assert queries.public_story_counts([usinor.id]) == {usinor.id: 2}
