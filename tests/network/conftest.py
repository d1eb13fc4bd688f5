"""Factories for the network: an organisation, facilitators, a method, a workshop with stories."""

from __future__ import annotations

from datetime import date

import pytest

from memoire.extensions import db
from memoire.network import operations as ops


@pytest.fixture
def network(app, create_place, create_story, create_user):
    """Dutemple: a house, a listed resident, an unlisted one, a method and a workshop with
    one public story and one private draft."""
    create_place("Valenciennes", "commune", None, 50.357, 3.523)
    dutemple = create_place("Dutemple", "quartier", "Valenciennes", 50.3526, 3.5333)
    house = create_place("Centre social Dutemple", "building", "Dutemple", 50.353, 3.534)
    mediator = create_user("mediator", email="mediator@example.org")
    org = ops.create_organisation(mediator, ops.OrganisationInput(
        name="Centre social Dutemple", kind="social_centre", country="FR", place_id=house.id,
        contact_email="accueil@dutemple.example", neighbourhood_ids=[dutemple.id], languages=["fr"],
    ))
    listed = ops.create_facilitator(mediator, ops.FacilitatorInput(
        display_name="Mimi du Dutemple", kind="resident", is_pseudonym=True, organisation_id=org.id,
        languages=["fr", "pcd"]), listed=True)
    hidden = ops.create_facilitator(mediator, ops.FacilitatorInput(
        display_name="Zorglub Secretname", kind="resident", organisation_id=org.id))
    method = ops.create_method(mediator, ops.MethodInput(
        name="Carte des ressentis", purpose="Dessiner ce qu'on ressent.",
        question_kinds=["feelings_about_place"], audiences=["teenagers"], languages=["fr", "nl"],
        steps="1. Une carte\n2. Des gommettes <script>alert(1)</script>",
    ))
    workshop = ops.create_workshop(mediator, ops.WorkshopInput(
        title="Carte des ressentis avec les ados", starts_on=date(2019, 4, 17), place_id=house.id,
        audience="teenagers", participants=11, organisation_ids=[org.id], method_ids=[method.id],
        facilitator_ids=[listed.id, hidden.id],
    ))
    public = create_story("Le terrain vague derrière le centre", places=[dutemple], themes=["jeunesse"])
    private = create_story("Zqsecretstory du centre", visibility="private", status="draft",
                           places=[dutemple], themes=["zqsecrettheme"])
    ops.attach_story(mediator, workshop, public)
    ops.attach_story(mediator, workshop, private)
    db.session.commit()
    return {"org": org, "listed": listed, "hidden": hidden, "method": method, "workshop": workshop,
            "public": public, "private": private, "dutemple": dutemple, "house": house,
            "mediator": mediator}
