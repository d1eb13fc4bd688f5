"""`memoire transcripts attach|export`: the workbench's operations from the command line."""

from __future__ import annotations

from memoire.extensions import db
from memoire.media import operations as media_ops
from tests.transcripts.conftest import VTT


def test_attach_then_export(runner, recorded, people, tmp_path):
    story, media, transcript = recorded()
    path = tmp_path / "corrected.vtt"
    path.write_text(VTT.replace("mineur de fond", "porion"), encoding="utf-8")
    result = runner.invoke(
        args=["transcripts", "attach", str(story.id), str(media.id), str(path), "--language", "fr"]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert transcript.version == 2 and transcript.segments[1].text == "Mon père était porion."
    vtt = runner.invoke(args=["transcripts", "export", str(story.id), str(media.id)])
    assert vtt.exit_code == 0 and vtt.output.startswith("WEBVTT") and "porion" in vtt.output
    txt = runner.invoke(
        args=["transcripts", "export", str(story.id), str(media.id), "--format", "txt"]
    )
    assert "Mon père était porion." in txt.output and "-->" not in txt.output
    out = tmp_path / "ohms.xml"
    ohms = runner.invoke(
        args=[
            "transcripts",
            "export",
            str(story.id),
            str(media.id),
            "--format",
            "ohms",
            "-o",
            str(out),
        ]
    )
    assert ohms.exit_code == 0 and b"<vtt_transcript>" in out.read_bytes()
    # A withheld passage stays withheld in what is exported.
    media_ops.redact(people["moderator"], media, 2.6, 4.9)
    db.session.commit()
    vtt = runner.invoke(args=["transcripts", "export", str(story.id), str(media.id)])
    assert "porion" not in vtt.output


def test_a_bad_file_changes_nothing_and_fails(runner, recorded, tmp_path):
    story, media, transcript = recorded()
    path = tmp_path / "bad.vtt"
    path.write_bytes(
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nun\n\n00:00:05.000 --> 00:00:04.000\ndeux\n"
    )
    result = runner.invoke(args=["transcripts", "attach", str(story.id), str(media.id), str(path)])
    assert result.exit_code != 0
    # The parsers' message, in the archive's default language (French), naming the line.
    assert "Ligne 6" in result.output and "finit avant de commencer" in result.output
    db.session.expire_all()
    assert (
        transcript.version == 1 and transcript.segments[1].text == "Mon père était mineur de fond."
    )


def test_unknown_story_or_recording(runner, recorded, tmp_path):
    story, media, transcript = recorded()
    other, other_media, _ = recorded()
    path = tmp_path / "t.vtt"
    path.write_text(VTT, encoding="utf-8")
    for args in (
        ["attach", "999999", str(media.id), str(path)],
        ["attach", str(story.id), str(other_media.id), str(path)],
        ["export", str(story.id), "999999"],
    ):
        result = runner.invoke(args=["transcripts", *args])
        assert result.exit_code == 1 and "Error:" in result.output, args
