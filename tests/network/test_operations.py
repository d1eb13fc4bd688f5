"""Network operations: who may record, what is checked, consent to be listed, method versions."""

from __future__ import annotations

from datetime import date

import pytest

from memoire.core.errors import Forbidden, ValidationError
from memoire.extensions import db
from memoire.network import operations as ops
from memoire.network import queries
from memoire.network.models import Facilitator, WorkshopFacilitator, WorkshopStory


def test_only_mediators_and_staff_record_workshops(app, create_user):
    for role in ("contributor", "researcher", "curator"):
        with pytest.raises(Forbidden):
            ops.create_workshop(create_user(role), ops.WorkshopInput(title="x", starts_on=date(2020, 1, 1)))
    for role in ("mediator", "moderator", "admin"):
        assert ops.create_workshop(create_user(role), ops.WorkshopInput(title="x", starts_on=date(2020, 1, 1))).id


@pytest.mark.parametrize("data, field", [
    ({"title": " ", "starts_on": date(2020, 1, 1)}, "title"),
    ({"title": "x", "starts_on": None}, "starts_on"),
    ({"title": "x", "starts_on": date(2020, 1, 2), "ends_on": date(2020, 1, 1)}, "ends_on"),
    ({"title": "x", "starts_on": date(2020, 1, 1), "participants": -1}, "participants"),
    ({"title": "x", "starts_on": date(2020, 1, 1), "audience": "aliens"}, "audience"),
    ({"title": "x", "starts_on": date(2020, 1, 1), "languages": ["xx"]}, "languages"),
    ({"title": "x", "starts_on": date(2020, 1, 1), "organisation_ids": [999]}, "organisations"),
    ({"title": "x", "starts_on": date(2020, 1, 1), "place_id": 999}, "place"),
    ({"title": "x" * 301, "starts_on": date(2020, 1, 1)}, "title"),
])
def test_bad_workshops_are_refused_with_the_field(app, data, field):
    with pytest.raises(ValidationError) as error:
        ops.create_workshop(None, ops.WorkshopInput(**data))
    assert error.value.field == field


def test_edit_workshop_keeps_links_and_order(app, network):
    workshop = network["workshop"]
    ops.update_workshop(None, workshop, ops.WorkshopInput(
        title="Nouveau titre", starts_on=date(2019, 4, 17), ends_on=date(2019, 4, 18),
        facilitator_ids=[network["hidden"].id, network["listed"].id], participants=12,
    ))
    db.session.commit()
    assert workshop.title == "Nouveau titre" and workshop.participants == 12
    assert [f.id for f in workshop.facilitators] == [network["hidden"].id, network["listed"].id]
    assert workshop.organisations == [] and workshop.methods == []


def test_story_belongs_to_one_workshop(app, network):
    other = ops.create_workshop(None, ops.WorkshopInput(title="Autre", starts_on=date(2020, 1, 1)))
    ops.attach_story(None, other, network["public"])
    db.session.commit()
    assert ops.workshop_of_story(network["public"].id).id == other.id
    assert db.session.query(WorkshopStory).filter_by(story_id=network["public"].id).count() == 1


def test_counts_and_lists_show_only_public_stories(app, network):
    workshop = network["workshop"]
    assert queries.public_story_counts([workshop.id]) == {workshop.id: 1}
    assert [s.id for s in queries.public_stories([workshop.id])] == [network["public"].id]


def test_listing_is_opt_in_and_withdrawable(app, network, create_user):
    workshop = network["workshop"]
    assert [f.display_name for f in queries.listed(workshop.facilitators)] == ["Mimi du Dutemple"]
    hidden = network["hidden"]
    ops.record_listing_consent(None, hidden)
    assert hidden.is_listed
    # The facilitator themselves may withdraw, through their own account; someone else may not.
    own = create_user("contributor")
    hidden.user_id = own.id
    with pytest.raises(Forbidden):
        ops.withdraw_listing(create_user("contributor"), hidden)
    ops.withdraw_listing(own, hidden)
    db.session.commit()
    assert not hidden.is_listed
    assert hidden.listing_withdrawn_at is not None
    assert [f.display_name for f in queries.listed(workshop.facilitators)] == ["Mimi du Dutemple"]


def test_erasure_of_a_person_removes_them_from_workshops(app, network, create_user):
    from memoire.privacy.operations import erase_person
    from memoire.stories.models import Person

    person = Person(display_name="Mimi")
    db.session.add(person)
    db.session.flush()
    network["listed"].person_id = person.id
    db.session.commit()
    listed_id = network["listed"].id
    erase_person(create_user("admin"), person)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Facilitator, listed_id) is None
    assert db.session.query(WorkshopFacilitator).filter_by(facilitator_id=listed_id).count() == 0
    assert [f.id for f in network["workshop"].facilitators] == [network["hidden"].id]


def test_method_versions(app, network):
    method = network["method"]
    data = ops.method_input_from(method.current)
    assert ops.revise_method(None, method, data).number == 1  # nothing changed: no new version
    data.steps = "1. Une grande carte\n2. Des gommettes de couleur"
    version = ops.revise_method(None, method, data, note="Gommettes de couleur")
    db.session.commit()
    assert version.number == 2 and method.current.number == 2
    assert [v.number for v in method.versions] == [1, 2]
    assert method.versions[0].steps.startswith("1. Une carte")
    with pytest.raises(ValidationError) as error:
        ops.revise_method(None, method, ops.MethodInput(name="x", question_kinds=["nope"]))
    assert error.value.field == "question_kinds"


def test_organisation_checks(app):
    with pytest.raises(ValidationError) as error:
        ops.create_organisation(None, ops.OrganisationInput(name="Maison", country="DE"))
    assert error.value.field == "country"
    with pytest.raises(ValidationError) as error:
        ops.create_organisation(None, ops.OrganisationInput(name="Maison", website="javascript:alert(1)"))
    assert error.value.field == "website"
    ops.create_organisation(None, ops.OrganisationInput(name="Maison de quartier"))
    with pytest.raises(ValidationError) as error:
        ops.create_organisation(None, ops.OrganisationInput(name="Maison de quartier"))
    assert error.value.field == "slug"


def test_directory_filters(app, network):
    def names(**kw):
        found = queries.directory(queries.DirectoryFilters(**kw))
        return ([o.name for o in found.organisations], [f.display_name for f in found.facilitators],
                [m.name for m in found.methods])

    everything = names()
    assert everything == (["Centre social Dutemple"], ["Mimi du Dutemple"], ["Carte des ressentis"])
    assert names(question="feelings_about_place", audience="teenagers") == everything
    assert names(neighbourhood=network["dutemple"].id) == everything
    assert names(country="FR") == everything
    assert names(country="BE") == ([], [], [])
    assert names(theme="jeunesse") == everything
    # A theme only a private story carries says nothing.
    assert names(theme="zqsecrettheme") == ([], [], [])
    assert names(language="nl")[2] == ["Carte des ressentis"]
    assert names(audience="seniors") == ([], [], [])


def test_export_person_includes_their_facilitator_record(app, network, tmp_path):
    import json
    import zipfile

    from memoire.privacy.operations import export_person
    from memoire.stories.models import Person

    person = Person(display_name="Mimi")
    db.session.add(person)
    db.session.flush()
    network["listed"].person_id = person.id
    db.session.commit()
    out = export_person(person, tmp_path / "mimi.zip")
    data = json.loads(zipfile.ZipFile(out).read("person.json"))
    [record] = data["facilitator"]
    assert record["display_name"] == "Mimi du Dutemple" and record["listing_consent_at"]
    assert [w["title"] for w in record["workshops"]] == [network["workshop"].title]
