"""Scanned paper consent forms: attached privately by the responsible mediator, checked,
erased with the story, given in the person's export."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from memoire.core.errors import Forbidden, MediaError
from memoire.core.storage import get_storage
from memoire.extensions import db
from memoire.network import operations as ops
from memoire.network.models import ConsentScan
from memoire.privacy import operations as privacy
from tests.conftest import jpeg_bytes
from tests.network.test_pages import login

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 200, 200)).save(out, "PNG")
    return out.getvalue()


def test_attach_each_kind_and_read_the_rule(app, network, create_user):
    mediator, story = network["mediator"], network["private"]
    for data, mime in [
        (PDF, "application/pdf"),
        (jpeg_bytes(size=(60, 40)), "image/jpeg"),
        (png_bytes(), "image/png"),
    ]:
        scan = ops.attach_consent_scan(mediator, story, io.BytesIO(data), label="Mme D.")
        assert scan.mime == mime and scan.size == len(data)
    db.session.commit()
    assert all(get_storage().exists(s.storage_key) for s in ops.consent_scans_of(story.id))
    other_mediator = create_user("mediator")
    contributor = create_user("contributor")
    moderator = create_user("moderator")
    assert ops.may_see_consent_scans(mediator, story)  # created the story's workshop
    assert ops.may_see_consent_scans(moderator, story)
    assert not ops.may_see_consent_scans(other_mediator, story)
    assert not ops.may_see_consent_scans(contributor, story)
    with pytest.raises(Forbidden):
        ops.attach_consent_scan(other_mediator, story, io.BytesIO(PDF))


BAD_FILES = [
    b"",  # empty
    b"MZ\x90\x00 not a scan at all",  # wrong type (an executable)
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >>",  # a PDF cut short: no end mark
    jpeg_bytes(size=(60, 40))[:300],  # a truncated JPEG
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,  # a PNG header and nothing readable
]


def test_bad_files_are_refused_and_nothing_is_kept(app, network):
    for data in BAD_FILES:
        with pytest.raises(MediaError) as raised:
            ops.attach_consent_scan(network["mediator"], network["public"], io.BytesIO(data))
        assert raised.value.field == "scan", data[:10]
        db.session.rollback()
    assert db.session.query(ConsentScan).count() == 0
    assert not list(get_storage().keys())
    assert not [p for p in get_storage().temporary_files() if p.is_file()]


def test_a_huge_scan_is_refused(app, network):
    app.config["MEMOIRE_MAX_CONSENT_SCAN_BYTES"] = 1024 * 1024
    with pytest.raises(MediaError) as raised:
        ops.attach_consent_scan(
            network["mediator"], network["public"], io.BytesIO(PDF + b"0" * (1024 * 1024))
        )
    assert raised.value.code == "file_too_large"
    assert "1 M" in str(raised.value.message)  # 1 MB, 1 Mo


def test_the_upload_form_and_its_translated_errors(client, network):
    story = network["public"]
    login(client, network["mediator"])
    client.get("/?lang=fr")
    page = client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert f"/stories/{story.id}/consent-forms" in page
    bad = client.post(
        f"/stories/{story.id}/consent-forms",
        data={"scan": (io.BytesIO(b"GIF89a"), "form.gif")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400
    assert "PDF, JPEG ou PNG" in bad.get_data(as_text=True)
    assert db.session.query(ConsentScan).count() == 0
    good = client.post(
        f"/stories/{story.id}/consent-forms",
        data={"scan": (io.BytesIO(PDF), "form.pdf"), "label": "Mme D."},
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    scan = db.session.query(ConsentScan).one()
    listing = client.get(f"/stories/{story.id}/consent-forms")
    assert "Mme D." in listing.get_data(as_text=True)
    assert "no-store" in listing.headers["Cache-Control"]
    download = client.get(f"/consent-forms/{scan.id}")
    assert download.status_code == 200 and download.data == PDF
    assert client.post(f"/consent-forms/{scan.id}/remove").status_code == 302
    assert db.session.query(ConsentScan).count() == 0


def test_erasing_the_story_erases_its_scans(app, network):
    story = network["private"]
    scan = ops.attach_consent_scan(network["mediator"], story, io.BytesIO(PDF))
    db.session.commit()
    key = scan.storage_key
    assert get_storage().exists(key)
    privacy.erase_story(None, story)
    db.session.commit()
    assert db.session.query(ConsentScan).count() == 0
    assert not get_storage().exists(key)


def test_the_person_export_holds_the_scans_and_erasure_removes_them(
    app, network, create_story, runner, tmp_path
):
    story = create_story("Zqforms", visibility="private", status="draft", narrators=["Denise Zq"])
    person = story.narrators[0]
    ops.attach_story(None, network["workshop"], story)
    scan = ops.attach_consent_scan(
        network["mediator"], story, io.BytesIO(PDF), label="Denise, signée"
    )
    db.session.commit()
    out = tmp_path / "person.zip"
    result = runner.invoke(args=["export", "person", str(person.id), str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        data = json.loads(zf.read("person.json"))
        forms = data["stories"][0]["consent_forms"]
        assert forms[0]["label"] == "Denise, signée"
        assert zf.read(forms[0]["file"]) == PDF
    key, scan_id = scan.storage_key, scan.id
    privacy.erase_person(None, person)
    db.session.commit()
    assert db.session.get(ConsentScan, scan_id) is None
    assert not get_storage().exists(key)


def test_a_scan_sharing_bytes_with_another_keeps_its_file(app, network):
    """Content-addressed storage: erasing one story keeps a file another row still uses."""
    first = ops.attach_consent_scan(network["mediator"], network["private"], io.BytesIO(PDF))
    ops.attach_consent_scan(network["mediator"], network["public"], io.BytesIO(PDF))
    db.session.commit()
    key = first.storage_key
    privacy.erase_story(None, network["private"])
    db.session.commit()
    assert get_storage().exists(key)
