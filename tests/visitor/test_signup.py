"""Sign-up shows every field's error in one round trip."""

from __future__ import annotations

import re

from memoire.accounts import operations
from memoire.accounts.models import User
from memoire.extensions import db


def field_errors(html: str, field_id: str) -> list[str]:
    match = re.search(rf'id="{field_id}-error">(.*?)</div>', html, re.S)
    return re.findall(r"<p>(.*?)</p>", match.group(1), re.S) if match else []


def test_a_bad_address_a_short_password_and_a_mismatch_come_back_together(client):
    response = client.post(
        "/account/signup", data={"email": "pas-une-adresse", "password": "court", "confirm": "autre"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_errors(html, "email") == ["This e-mail address is not valid."]
    assert field_errors(html, "password") == ["The password needs at least 10 characters."]
    assert field_errors(html, "confirm") == ["The two passwords are not the same."]
    for field in ("email", "password", "confirm"):
        assert f'href="#{field}"' in html
    assert db.session.query(User).count() == 0


def test_a_taken_address_and_a_short_password_together(client, create_user):
    create_user(email="taken@example.org")
    html = client.post(
        "/account/signup", data={"email": "Taken@example.org", "password": "court", "confirm": "court"}
    ).get_data(as_text=True)
    assert field_errors(html, "email") == ["An account with this e-mail already exists."]
    assert field_errors(html, "password") == ["The password needs at least 10 characters."]


def test_the_operation_lists_every_problem(app):
    problems = operations.account_problems("nope", "x")
    assert [p.field for p in problems] == ["email", "password"]
