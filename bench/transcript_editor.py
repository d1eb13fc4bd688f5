"""The transcript editor on a two-hour interview: server time to open it, save, and the history.

Usage: python bench/transcript_editor.py [--segments 1500] [--runs 10]

Creates one story with a recording whose transcript has --segments timed segments (about
two hours at 1,500), then measures as a moderator:
  - GET the editor's first page (50 segments, the no-JS paged form) and the whole
    transcript on one page (?per_page=2000, what a person scrolling it all asks for);
  - an autosave of one segment (the JSON door) and a no-JS save of a page;
  - the history page after 20 saves, and restoring the first revision.
Target (issue 14): the editor opens in under 1 s on the server for 1,500 segments.
Browser-side responsiveness is checked by tests/browser/test_transcript_editor.py.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _vtt(count: int) -> bytes:
    lines = ["WEBVTT", ""]
    for n in range(count):
        start, end = n * 4.8, n * 4.8 + 4.6
        lines += [f"{_ts(start)} --> {_ts(end)}",
                  f"<v {'Marie' if n % 3 else 'Jean'}>Segment {n} : on descendait à la fosse "
                  f"Dutemple le matin, et le soir on jouait rue des Sarts avec les voisins.", ""]
    return "\n".join(lines).encode()


def _ts(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3600000:02d}:{ms % 3600000 // 60000:02d}:{ms % 60000 // 1000:02d}.{ms % 1000:03d}"


def _timed(client, method: str, url: str, runs: int, **kw) -> tuple[float, float, int]:
    times = []
    status = 0
    for _ in range(runs):
        started = time.perf_counter()
        response = getattr(client, method)(url, **kw)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    from memoire import create_app
    from memoire.accounts.operations import create_user
    from memoire.core.cli import init_archive
    from memoire.extensions import db
    from memoire.media.operations import add_media
    from memoire.stories import operations as story_ops
    from memoire.transcripts.operations import attach_transcript
    from tests.conftest import wav_bytes

    home = Path(tempfile.mkdtemp(prefix="bench-editor-"))
    app = create_app({"HOME": str(home), "MEDIA_DIR": str(home / "media"), "SECRET_KEY": "bench",
                      "INDEX_AFTER_COMMIT": False, "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        init_archive()
        moderator = create_user(None, "mod@example.org", "a long bench password", role="moderator")
        story = story_ops.create_story(None, story_ops.StoryInput(
            title="Deux heures à Dutemple", kind="oral_history", visibility="public",
            status="draft", language="fr"))
        media = add_media(None, story, io.BytesIO(wav_bytes(1.0)), caption="Entretien")
        media.duration = args.segments * 4.8 + 10
        db.session.flush()
        started = time.perf_counter()
        transcript = attach_transcript(None, story, _vtt(args.segments), filename="long.vtt",
                                       media=media)
        db.session.commit()
        print(f"attach {args.segments} segments: {(time.perf_counter() - started) * 1000:.0f} ms")
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = moderator.get_id()
            session["_fresh"] = True
        base = f"/stories/{story.id}/transcripts/{transcript.id}"
        for label, url in (("editor, first page (50)", f"{base}/edit"),
                           (f"editor, all {args.segments} on one page", f"{base}/edit?per_page=2000")):
            p50, p95, status = _timed(client, "get", url, args.runs)
            size = len(client.get(url).data) / 1024
            print(f"GET {label:<36} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({status}, {size:.0f} kB)")
        segment_ids = [s.id for s in transcript.segments]
        times = []
        for n in range(20):
            version = transcript.version
            started = time.perf_counter()
            response = client.post(f"{base}/segments", json={
                "version": version, "segments": {str(segment_ids[n * 7]): {"text": f"Corrigé {n}."}}})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.get_data(as_text=True)
            db.session.expire_all()
        print(f"autosave of one segment (JSON){'':<8} p50 {statistics.median(times):7.1f} ms  "
              f"max {max(times):7.1f} ms")
        p50, p95, status = _timed(client, "get", f"{base}/history", args.runs)
        print(f"GET history (21 revisions){'':<12} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({status})")
        started = time.perf_counter()
        response = client.post(f"{base}/history/1/restore", data={"version": str(transcript.version)})
        print(f"restore revision 1{'':<20} {(time.perf_counter() - started) * 1000:7.1f} ms  "
              f"({response.status_code})")


if __name__ == "__main__":
    main()
