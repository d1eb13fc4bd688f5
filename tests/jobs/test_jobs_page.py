"""/admin/jobs shows administrators the jobs that failed, and nobody else."""

from __future__ import annotations

import pytest
from flask import g

from memoire.extensions import db
from memoire.jobs.models import Job


@pytest.fixture
def jobs_client(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def log_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    g.pop("_login_user", None)


def test_failures_are_shown_to_administrators(jobs_client, create_user):
    db.session.add_all(
        [
            Job(
                kind="media.prepare_audio",
                status="failed",
                attempts=5,
                last_error="Traceback...\nRuntimeError: ffmpeg <exited> with 1",
            ),
            Job(
                kind="exhibition.bundle",
                status="pending",
                attempts=2,
                last_error="OSError: disk full",
            ),
            Job(kind="media.prepare_audio", status="done"),
        ]
    )
    db.session.commit()
    log_in(jobs_client, create_user("admin"))
    page = jobs_client.get("/admin/jobs/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "RuntimeError: ffmpeg &lt;exited&gt; with 1" in html  # escaped
    assert "OSError: disk full" in html
    assert "exhibition.bundle" in html


@pytest.mark.parametrize("role", ["contributor", "moderator", "curator", "researcher"])
def test_only_administrators_see_it(jobs_client, create_user, role):
    log_in(jobs_client, create_user(role))
    assert jobs_client.get("/admin/jobs/").status_code == 403


def test_visitors_are_sent_to_the_login_page(jobs_client):
    response = jobs_client.get("/admin/jobs/")
    assert response.status_code in (302, 401)
