"""Sign up, log in, lock-out, log out, and password reset by e-mailed link."""

from __future__ import annotations

import re
from email import message_from_bytes
from pathlib import Path

import pytest
from flask_babel import refresh

from memoire.accounts import operations
from memoire.accounts.models import User
from memoire.accounts.views import safe_next
from memoire.audit.models import AuditEvent
from memoire.core.errors import ValidationError
from memoire.extensions import db

PASSWORD = "correct horse battery"


@pytest.fixture
def app_config():
    # The archive's own language settings, whatever the test suite's defaults are.
    return {
        "LOGIN_LOCK_AFTER": 3,
        "LOGIN_LOCK_MINUTES": 15,
        "DEFAULT_LOCALE": "fr",
        "LOCALES": "fr,nl,en",
    }


def field_errors(html: str, field_id: str) -> list[str]:
    """The messages shown by one field, found through the aria-describedby link."""
    match = re.search(rf'id="{field_id}-error">(.*?)</div>', html, re.S)
    return re.findall(r"<p>(.*?)</p>", match.group(1), re.S) if match else []


def test_signup_creates_the_account_and_logs_in(client):
    response = client.post(
        "/account/signup",
        data={
            "display_name": "Jeanne",
            "email": "Jeanne@Example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="jeanne@example.org").one()
    assert user.role == "contributor"
    assert user.password_hash.startswith("$argon2")
    assert client.get("/my-stories").status_code == 200


def test_signup_errors_are_tied_to_their_fields(client):
    response = client.post(
        "/account/signup",
        data={
            "display_name": "J",
            "email": "jeanne@example.org",
            "password": "short",
            "confirm": "other",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_errors(html, "confirm") == ["The two passwords are not the same."]
    assert 'aria-invalid="true"' in html
    assert re.search(
        r'id="confirm"[^>]*aria-describedby="confirm-error"|aria-describedby="confirm-error"[^>]*id="confirm"',
        html,
    )
    assert 'role="alert"' in html and 'href="#confirm"' in html
    assert db.session.query(User).count() == 0


def test_signup_reports_a_weak_password_and_a_taken_address(client, create_user):
    response = client.post(
        "/account/signup", data={"email": "a@example.org", "password": "short", "confirm": "short"}
    )
    assert field_errors(response.get_data(as_text=True), "password") == [
        "The password needs at least 10 characters."
    ]
    create_user(email="taken@example.org")
    response = client.post(
        "/account/signup",
        data={"email": "taken@example.org", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert field_errors(response.get_data(as_text=True), "email") == [
        "An account with this e-mail already exists."
    ]


def test_login_and_logout(client, create_user):
    create_user(email="marie@example.org")
    response = client.post(
        "/account/login?next=/my-stories", data={"email": "marie@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/my-stories"
    assert client.get("/my-stories").status_code == 200
    assert client.post("/account/logout").status_code == 302
    assert client.get("/my-stories").status_code == 302


def test_login_never_redirects_to_another_site(client, create_user):
    create_user(email="marie@example.org")
    response = client.post(
        "/account/login?next=https://evil.example/",
        data={"email": "marie@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/my-stories"
    assert safe_next("//evil.example/x") is None
    assert safe_next("/\\evil.example") is None
    assert safe_next("/stories/3?t=5") == "/stories/3?t=5"


def test_logout_needs_a_post(client):
    assert client.get("/account/logout").status_code == 405


def test_wrong_password_then_lock_with_a_clear_message(client, create_user):
    user = create_user(email="marie@example.org")
    for _ in range(3):
        response = client.post(
            "/account/login", data={"email": "marie@example.org", "password": "nope nope nope"}
        )
        assert field_errors(response.get_data(as_text=True), "password") == [
            "Wrong e-mail or password."
        ]
    response = client.post(
        "/account/login", data={"email": "marie@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "password") == [
        "This account is locked after too many failed attempts. Try again in 15 minutes."
    ]
    db.session.refresh(user)
    assert user.is_locked
    assert (
        db.session.query(AuditEvent).filter_by(action="user.lock", object_id=user.id).count() == 1
    )


def test_login_page_is_in_the_visitors_language(app):
    def page(client, path="/account/login", **headers) -> str:
        refresh()  # the test's app context outlives requests: forget the locale it cached
        return client.get(path, headers=headers).get_data(as_text=True)

    html = page(app.test_client(), **{"Accept-Language": "nl-BE,nl;q=0.9"})
    assert 'lang="nl"' in html and "Wachtwoord" in html and "Inloggen" in html
    assert "Mot de passe" in page(
        app.test_client(), **{"Accept-Language": "de"}
    )  # French by default
    client = app.test_client()
    assert "Password" in page(client, "/account/login?lang=en", **{"Accept-Language": "nl"})
    # The choice is remembered for the next pages.
    assert "Password" in page(client, "/account/signup", **{"Accept-Language": "nl"})
    html = page(client, "/account/signup?lang=fr")
    assert "Créer un compte" in html


def test_validation_messages_are_translated(app):
    client = app.test_client()
    refresh()
    response = client.post(
        "/account/signup?lang=nl", data={"email": "", "password": "", "confirm": ""}
    )
    html = response.get_data(as_text=True)
    assert field_errors(html, "email") == ["Vul je e-mailadres in."]
    assert "Verbeter het volgende:" in html


def _mails(app) -> list:
    folder = Path(app.config["MEMOIRE_MAIL_DIR"])
    return (
        [message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]
        if folder.exists()
        else []
    )


def _link(message) -> str:
    body = message.get_payload(decode=True).decode()
    return re.search(r"http://[^\s]+/account/reset/[^\s]+", body).group(0)


def test_password_reset_by_mailed_link(app, client, create_user, caplog):
    user = create_user(email="marie@example.org")
    caplog.set_level("WARNING", logger="memoire.accounts.mail")
    response = client.post("/account/reset", data={"email": "MARIE@example.org"})
    assert response.status_code == 200
    [message] = _mails(app)
    assert message["To"] == "marie@example.org"
    link = _link(message)
    assert link in caplog.text  # embedded profile: the link is in the log too
    path = link.split("localhost", 1)[1]

    assert client.get(path).status_code == 200
    response = client.post(
        path, data={"password": "a new long password", "confirm": "a new long password"}
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert operations.authenticate("marie@example.org", "a new long password").id == user.id
    # Used once: the password changed, so the same link no longer works.
    response = client.get(path)
    assert response.status_code == 400
    assert "This link is not valid any more" in response.get_data(as_text=True)


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(app, client):
    response = client.post("/account/reset", data={"email": "nobody@example.org"})
    assert response.status_code == 200
    assert "If an account uses this address" in response.get_data(as_text=True)
    assert _mails(app) == []


def test_reset_tokens_expire_and_cannot_be_forged(app, create_user):
    user = create_user()
    with app.test_request_context():
        token = operations.make_reset_token(user)
        assert operations.user_for_reset_token(token).id == user.id
        with pytest.raises(ValidationError) as expired:
            operations.user_for_reset_token(token, max_age=-1)
        assert expired.value.code == "expired_token"
        with pytest.raises(ValidationError):
            operations.user_for_reset_token(
                token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
            )
        app.config["SECRET_KEY"] = "another"
        with pytest.raises(ValidationError):
            operations.user_for_reset_token(token)


def test_mail_goes_through_smtp_when_a_server_is_configured(app, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append(("send", message["To"], message["Subject"]))

    from memoire.accounts import mail

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    app.config["MEMOIRE_SMTP_HOST"] = "smtp.example.org"
    app.config["MEMOIRE_SMTP_PORT"] = 2525
    with app.test_request_context():
        assert mail.send_mail("a@example.org", "Hello", "Body") is None
    assert sent == [("connect", "smtp.example.org", 2525), ("send", "a@example.org", "Hello")]
    assert _mails(app) == []
