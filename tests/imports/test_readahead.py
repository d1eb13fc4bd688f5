"""A bulk import's transcripts parsed ahead in another process (memoire.imports.readahead):
the same stories, segments and errors as parsed in the import's own process, and a parse
ahead taken only for the very bytes the import read."""

from __future__ import annotations

import json
from concurrent.futures import Future
from pathlib import Path

import pytest
from sqlalchemy import select

from memoire.extensions import db
from memoire.imports.readahead import TranscriptsAhead, parse_ahead
from memoire.stories.models import Story
from memoire.transcripts.parsers import TranscriptError


def vtt(word: str, cues: int = 6) -> str:
    return "WEBVTT\n\n" + "\n".join(
        f"00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000\n<v Marcel>Le {word} {i} descendait au fond.\n"
        for i in range(cues)
    )


def line(n: int, **extra) -> str:
    return json.dumps({
        "id": f"ahead-{n}", "title": f"Souvenir {n}", "body": "Le terril fumait.",
        "kind": "oral_history", "language": "fr", "themes": ["mine"],
        "places": [{"name": "Denain", "type": "commune", "lat": 50.329, "lon": 3.395}],
        "visibility": "public", "status": "published",
        "consent": {"given_by": "Narratrice", "method": "signed_form", "online_publication": True},
        **extra,
    })


def done(value) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def test_a_parse_ahead_is_taken_only_for_the_bytes_read_and_no_known_length(tmp_path):
    (tmp_path / "a.vtt").write_text(vtt("galibot"), encoding="utf-8")
    found = parse_ahead(str(tmp_path), line(1, transcript="a.vtt").encode())
    assert found is not None
    ahead = TranscriptsAhead.__new__(TranscriptsAhead)
    ahead.used, ahead.broken = 0, False
    data = (tmp_path / "a.vtt").read_bytes()
    parse = ahead.parser(done(found))
    assert parse(data, "a.vtt") is found[2] and ahead.used == 1
    # The file changed after it was parsed ahead: the bytes read are parsed here.
    changed = vtt("porion").encode()
    assert "porion" in parse(changed, "a.vtt").segments[0].text and ahead.used == 1
    # Another name (the format may follow it), or a recording's length to check: parsed here.
    assert parse(data, "a.txt").segments == found[2].segments and ahead.used == 1
    with pytest.raises(TranscriptError):
        parse(data, "a.vtt", duration=2.0)  # six seconds of cues in a two-second recording
    assert ahead.used == 1
    # The process ahead died: parsed here, the same.
    lost: Future = Future()
    lost.set_exception(RuntimeError("worker gone"))
    assert ahead.parser(lost)(data, "a.vtt").segments == found[2].segments


@pytest.mark.parametrize("transcript", ["../outside.vtt", "missing.vtt", "bad.vtt", 7])
def test_a_line_the_process_ahead_cannot_parse_gives_nothing(tmp_path, transcript):
    (tmp_path / "bad.vtt").write_text("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nà rebours\n")
    (tmp_path.parent / "outside.vtt").write_text(vtt("secret"))
    assert parse_ahead(str(tmp_path), line(1, transcript=transcript).encode()) is None
    assert parse_ahead(str(tmp_path), b"{not json") is None
    assert parse_ahead(str(tmp_path), line(1).encode()) is None  # no transcript


def import_file(app, runner, folder: Path, prefix: str, lines: list[str]) -> tuple[list, list]:
    """`memoire import` of the lines, ids prefixed: (each line's report, each story's segments)."""
    path = folder / f"{prefix}.jsonl"
    path.write_text("\n".join(lines).replace('"ahead-', f'"{prefix}-') + "\n", encoding="utf-8")
    report = folder / f"{prefix}.json"
    runner.invoke(args=["import", str(path), "--report", str(report)])
    lines_said = [
        (r["line"], r["status"], (r["external_id"] or "").removeprefix(prefix), r["error"])
        for r in json.loads(report.read_text())["lines"]
    ]
    with app.app_context():
        stories = db.session.scalars(
            select(Story).where(Story.external_id.startswith(prefix)).order_by(Story.external_id)
        ).all()
        segments = [
            (s.external_id.removeprefix(prefix), [(g.start, g.end, g.speaker, g.text)
                                                  for t in s.transcripts for g in t.segments])
            for s in stories
        ]
    return lines_said, segments


@pytest.mark.engines
def test_memoire_import_parses_ahead_and_says_the_same(app, runner, tmp_path, monkeypatch):
    """One file imported with and without the parse ahead: the same stories and segments,
    the same failures (a bad transcript, a path leaving the folder, a missing file), line
    by line; the good transcripts were parsed ahead, by another process."""
    folder = tmp_path / "file"
    folder.mkdir()
    for n in range(5):
        (folder / f"t{n}.vtt").write_text(vtt(f"galibot{n}"), encoding="utf-8")
    (folder / "bad.vtt").write_text("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nà rebours\n")
    (tmp_path / "escape.vtt").write_text(vtt("secret"))
    lines = [line(n, transcript=f"t{n}.vtt") for n in range(5)]
    lines[2:2] = [line(90, transcript="bad.vtt"), line(91, transcript="../escape.vtt"),
                  line(92, transcript="missing.vtt"), line(93), "{broken"]

    used = []
    close = TranscriptsAhead.close

    def counting_close(self):
        used.append(self.used)
        close(self)

    monkeypatch.setattr(TranscriptsAhead, "close", counting_close)
    said_here, stories_here = import_file(app, runner, folder, "here", lines)
    assert used == []  # a small file: parsed in the import's process
    monkeypatch.setattr("memoire.imports.operations.READ_AHEAD_FROM", 3)
    said_ahead, stories_ahead = import_file(app, runner, folder, "ahead", lines)
    assert used == [5]  # each good transcript parsed ahead, and taken
    assert said_ahead == said_here
    assert stories_ahead == stories_here
    assert [status for _, status, _, _ in said_here].count("failed") == 4
    assert all(segments for external_id, segments in stories_here if external_id != "-93")
    assert "galibot3" in stories_here[3][1][0][3]


@pytest.mark.engines
def test_an_import_whose_process_ahead_cannot_start_parses_alone(app, runner, tmp_path, monkeypatch):
    """A process that cannot be started (or dies) only takes the speed away: every line is
    imported, its transcript parsed in the import's own process."""
    import concurrent.futures.process

    folder = tmp_path / "file"
    folder.mkdir()
    for n in range(4):
        (folder / f"t{n}.vtt").write_text(vtt(f"galibot{n}"), encoding="utf-8")

    def broken(*_args, **_kwargs):
        raise concurrent.futures.process.BrokenProcessPool("a child process terminated abruptly")

    monkeypatch.setattr("memoire.imports.operations.READ_AHEAD_FROM", 3)
    monkeypatch.setattr(concurrent.futures.ProcessPoolExecutor, "submit", broken)
    said, stories = import_file(app, runner, folder, "alone", [line(n, transcript=f"t{n}.vtt") for n in range(4)])
    assert [status for _, status, _, _ in said] == ["created"] * 4
    assert [len(segments) for _, segments in stories] == [6] * 4
