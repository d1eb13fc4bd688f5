"""Search over a reproducible archive of 20,000 stories: rebuild time, API latency, an FTS5 yardstick.

Usage: python bench/search.py [--stories 20000] [--runs 3] [--seed 4] [--profile] [--out FILE]

Builds a temporary archive (migrated SQLite) with Core inserts: 10 % oral histories
with transcripts of about 6,000 words in timed segments, 90 % anecdotes of about 300
words, with places (communes and quartiers around Valenciennes and Mons), themes,
narrators, periods and a visibility mix (85 % public). The text is real French from
../shared/data/french_text when present (CFPP2000 interviews for the transcripts,
Germinal and ELTeC novels for the anecdotes), else a seeded word salad.

Measures, in one run:
  - `memoire index rebuild` (service.rebuild): seconds and words indexed per second;
  - p50/p95 latency of GET /api/v1/search as a visitor (facets, snippets, visibility
    filter included) over a fixed mix of 50 queries, each run --runs times after a warm-up;
  - the same queries' top 20 from an SQLite FTS5 table of the same text (bm25, the
    total and a count per place), and the ratio between the two medians.
Targets: p95 < 150 ms, p50 within 4x of FTS5, rebuild < 5 minutes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "french_text"
COMMUNES = [
    (
        "Valenciennes",
        50.357,
        3.523,
        ["Dutemple", "Faubourg de Paris", "Chasse Royale", "Saint-Waast"],
    ),
    ("Mons", 50.454, 3.952, ["Épinlieu", "Nimy", "Jemappes", "Ghlin", "Flénu"]),
    ("Denain", 50.329, 3.395, ["Tonini", "Faubourg Duchâteau", "La Pyramide"]),
    ("Vieux-Condé", 50.460, 3.568, ["Le Jard", "Hergnies"]),
    ("Onnaing", 50.389, 3.597, ["Le Coq", "Centre"]),
]
THEMES = [
    "Mines",
    "École",
    "Fêtes",
    "Travail",
    "Commerces",
    "Migrations",
    "Sport",
    "Religion",
    "Guerre",
    "Transports",
    "Verreries",
    "Sidérurgie",
    "Cités ouvrières",
    "Carnaval",
    "Jardins",
]
FIRST_NAMES = [
    "Jeanne",
    "Marcel",
    "Louise",
    "Giuseppe",
    "Fatima",
    "Stanislas",
    "Marie",
    "René",
    "Yvette",
    "Ahmed",
    "Paulette",
    "Józef",
    "Odette",
    "Lucien",
    "Maria",
    "Omer",
]
LAST_NAMES = [
    "Dupont",
    "Lefebvre",
    "Wojcik",
    "Rossi",
    "Benali",
    "Delattre",
    "Carpentier",
    "Dubois",
    "Kowalski",
    "Moreau",
    "Vandenberghe",
    "Leroy",
    "Martin",
    "Coppens",
    "Bernard",
]
SALAD = (
    "fosse mine terril coron école ducasse fanfare usine gare canal verrerie laminoir kermesse "
    "marché boulangerie café estaminet procession carnaval grève pigeon jardin ouvrier cité église "
    "chapelle rue place quartier mineur porion galibot lampe chevalement sucrerie tram maison mère "
    "père enfants travail voisins souvenir hiver dimanche charbon briques fenêtre cuisine"
).split()


# --- text from the shared data -----------------------------------------------------------------

_INTERVAL = re.compile(r'xmin = ([\d.]+)\s*\n\s*xmax = ([\d.]+)\s*\n\s*text = "(.*?)"\s*\n', re.S)
_TIER = re.compile(r'class = "IntervalTier"\s*\n\s*name = "(.*?)"')


def read_interviews() -> list[list[tuple[float, float, str, str]]]:
    """CFPP2000 TextGrids as conversations: (start, end, speaker, text) sorted by time."""
    folder = DATA / "cfpp2000_textgrid"
    interviews = []
    for path in sorted(folder.glob("*.TextGrid")):
        content = path.read_text(encoding="utf-8", errors="replace")
        tiers = _TIER.split(content)[1:]
        segments = []
        for speaker, body in zip(tiers[0::2], tiers[1::2], strict=False):
            for start, end, text in _INTERVAL.findall(body):
                text = " ".join(text.replace('""', '"').split())
                if text:
                    segments.append((float(start), float(end), speaker.replace(" (ENQ)", ""), text))
        segments.sort()
        if segments:
            interviews.append(segments)
    return interviews


def read_prose() -> list[str]:
    """Paragraphs of Germinal and the ELTeC novels."""
    paragraphs = []
    for path in [DATA / "germinal" / "germinal.txt", *sorted((DATA / "eltec_fra").glob("*.txt"))]:
        if path.exists():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                line = re.sub(r"\[\d+\]", "", line).strip()
                if len(line.split()) >= 8:
                    paragraphs.append(line)
    return paragraphs


class TextSource:
    """Seeded passages of real French (or of the word salad when the data is absent)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.interviews = read_interviews() if (DATA / "cfpp2000_textgrid").exists() else []
        self.prose = read_prose()
        self.real = bool(self.interviews and self.prose)

    def _salad(self, words: int) -> str:
        return " ".join(self.rng.choice(SALAD) for _ in range(words))

    def anecdote(self, words: int = 300) -> str:
        if not self.prose:
            return self._salad(words)
        start = self.rng.randrange(len(self.prose))
        taken: list[str] = []
        for paragraph in self.prose[start:] + self.prose[:start]:
            taken.extend(paragraph.split())
            if len(taken) >= words:
                break
        return " ".join(taken[:words])

    def transcript(self, words: int = 6000) -> list[tuple[float, float, str, str]]:
        """Timed segments of about `words` words, times starting at 0."""
        if not self.interviews:
            segments, clock = [], 0.0
            while sum(len(s[3].split()) for s in segments) < words:
                text = self._salad(self.rng.randint(5, 25))
                segments.append((clock, clock + 4.0, self.rng.choice(["A", "B"]), text))
                clock += 4.0
            return segments
        interview = self.rng.choice(self.interviews)
        start = self.rng.randrange(max(1, len(interview) - 50))
        taken, count = [], 0
        for segment in interview[start:] + interview[:start]:
            taken.append(segment)
            count += len(segment[3].split())
            if count >= words:
                break
        origin = taken[0][0]
        clock_shift = 0.0
        result = []
        for begin, end, speaker, text in taken:
            if result and begin - origin + clock_shift < result[-1][0]:
                clock_shift = result[-1][1] - (begin - origin)  # wrapped around the interview
            result.append(
                (
                    round(begin - origin + clock_shift, 3),
                    round(end - origin + clock_shift, 3),
                    speaker,
                    text,
                )
            )
        return result

    def title(self) -> str:
        words = self.anecdote(40).split() if self.prose else SALAD
        return " ".join(self.rng.sample(words, 5)).strip(" ,.;:").capitalize()[:200]


# --- the archive -------------------------------------------------------------------------------


def build_archive(app, count: int, seed: int, fts_path: Path) -> dict:
    """Insert the archive with Core inserts, and the same text into an FTS5 table."""
    from sqlalchemy import insert

    from memoire.extensions import db
    from memoire.places.models import Place
    from memoire.stories.models import Person, Story, StoryNarrator, StoryPlace, Theme, story_themes
    from memoire.transcripts.models import Transcript, TranscriptSegment

    rng = random.Random(seed)
    source = TextSource(rng)
    fts = sqlite3.connect(fts_path)
    fts.executescript(
        """
        CREATE VIRTUAL TABLE fts USING fts5(title, body, transcript, places,
            tokenize = 'unicode61 remove_diacritics 2');
        CREATE TABLE story (id INTEGER PRIMARY KEY, public INTEGER, kind TEXT, decade INTEGER,
            theme TEXT, lat REAL, lon REAL);
        CREATE TABLE story_place (story_id INTEGER, place_id INTEGER);
        CREATE INDEX story_place_story ON story_place (story_id);
        """
    )

    places, quartiers = [], []
    pid = 0
    for name, lat, lon, children in COMMUNES:
        pid += 1
        commune_id = pid
        places.append(
            {
                "id": pid,
                "name": name,
                "type": "commune",
                "lat": lat,
                "lon": lon,
                "parent_id": None,
                "other_names": [],
            }
        )
        for child in children:
            pid += 1
            point = (lat + rng.uniform(-0.02, 0.02), lon + rng.uniform(-0.03, 0.03))
            places.append(
                {
                    "id": pid,
                    "name": child,
                    "type": "quartier",
                    "lat": point[0],
                    "lon": point[1],
                    "parent_id": commune_id,
                    "other_names": [],
                }
            )
            quartiers.append((pid, commune_id, child, name, point))
    themes = [
        {"id": i + 1, "slug": re.sub(r"\W+", "-", t.lower()), "name": t, "names": {}}
        for i, t in enumerate(THEMES)
    ]
    people = [
        {
            "id": i + 1,
            "display_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "is_pseudonym": False,
        }
        for i in range(500)
    ]
    now = datetime(2024, 6, 1)
    with app.app_context():
        db.session.execute(insert(Place), places)
        db.session.execute(insert(Theme), themes)
        db.session.execute(insert(Person), people)
        words_total = 0
        segment_id = 0
        transcript_id = 0
        orals = count // 10
        batch: dict[str, list] = {
            "story": [],
            "place": [],
            "theme": [],
            "narrator": [],
            "transcript": [],
            "segment": [],
        }

        def flush() -> None:
            if not batch["story"]:  # an empty list would insert one row of defaults
                return
            db.session.execute(insert(Story), batch["story"])
            db.session.execute(insert(StoryPlace), batch["place"])
            db.session.execute(insert(story_themes), batch["theme"])
            db.session.execute(insert(StoryNarrator), batch["narrator"])
            if batch["transcript"]:
                db.session.execute(insert(Transcript), batch["transcript"])
                db.session.execute(insert(TranscriptSegment), batch["segment"])
            for rows in batch.values():
                rows.clear()

        for story_id in range(1, count + 1):
            oral = story_id <= orals
            quartier_id, commune_id, quartier, commune, point = rng.choice(quartiers)
            title = source.title()
            body = source.anecdote(40 if oral else 300)
            decade = rng.choice(range(1920, 2020, 10))
            start = decade + rng.randrange(10)
            roll = rng.random()
            visibility, status = "public", "published"
            if roll > 0.95:
                visibility, status = "private", "draft"
            elif roll > 0.85:
                visibility = "researchers"
            chosen_themes = rng.sample(themes, rng.randint(1, 3))
            narrator = rng.choice(people)
            batch["story"].append(
                {
                    "id": story_id,
                    "title": title,
                    "summary": "",
                    "body": body,
                    "kind": "oral_history"
                    if oral
                    else rng.choice(["anecdote", "anecdote", "photo", "heritage"]),
                    "language": "fr",
                    "period_start": start,
                    "period_end": start,
                    "lat": point[0] + rng.uniform(-0.002, 0.002),
                    "lon": point[1] + rng.uniform(-0.002, 0.002),
                    "precision": "exact",
                    "visibility": visibility,
                    "status": status,
                    "licence": "CC-BY-NC-4.0",
                    "created_at": now - timedelta(minutes=count - story_id),
                    "updated_at": now,
                    "period_approximate": False,
                }
            )
            batch["place"].append(
                {"story_id": story_id, "place_id": quartier_id, "role": "happened", "position": 0}
            )
            batch["theme"].extend(
                {"story_id": story_id, "theme_id": t["id"]} for t in chosen_themes
            )
            batch["narrator"].append(
                {"story_id": story_id, "person_id": narrator["id"], "position": 0}
            )
            transcript_text = ""
            if oral:
                transcript_id += 1
                batch["transcript"].append(
                    {
                        "id": transcript_id,
                        "story_id": story_id,
                        "language": "fr",
                        "source_format": "textgrid",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                segments = source.transcript()
                for position, (begin, end, speaker, text) in enumerate(segments):
                    segment_id += 1
                    batch["segment"].append(
                        {
                            "id": segment_id,
                            "transcript_id": transcript_id,
                            "position": position,
                            "start": begin,
                            "end": end,
                            "speaker": speaker,
                            "text": text,
                            "is_redacted": False,
                        }
                    )
                transcript_text = "\n".join(s[3] for s in segments)
            words_total += len(title.split()) + len(body.split()) + len(transcript_text.split())
            fts.execute(
                "INSERT INTO fts (rowid, title, body, transcript, places) VALUES (?, ?, ?, ?, ?)",
                (story_id, title, body, transcript_text, f"{quartier} {commune}"),
            )
            fts.execute(
                "INSERT INTO story VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    story_id,
                    int(visibility == "public" and status == "published"),
                    batch["story"][-1]["kind"],
                    decade,
                    chosen_themes[0]["slug"],
                    batch["story"][-1]["lat"],
                    batch["story"][-1]["lon"],
                ),
            )
            fts.executemany(
                "INSERT INTO story_place VALUES (?, ?)",
                [(story_id, quartier_id), (story_id, commune_id)],
            )
            if len(batch["story"]) >= 500:
                flush()
        flush()
        db.session.commit()
    fts.commit()
    fts.close()
    return {
        "words": words_total,
        "real_text": source.real,
        "segments": segment_id,
        "mons": next(p["id"] for p in places if p["name"] == "Mons"),
        "vocabulary": _vocabulary(source, rng),
    }


def _vocabulary(source: TextSource, rng: random.Random) -> dict[str, list[str]]:
    """Common and rare words of the corpus, to make the query mix from."""
    counts: Counter[str] = Counter()
    texts = source.prose[:3000] or [source._salad(2000)]
    for text in texts:
        counts.update(w.lower() for w in re.findall(r"[^\W\d_]{4,}", text))
    ranked = [w for w, _ in counts.most_common(400)]
    # The 60 most frequent words are stop-word-like in a real corpus; the fallback word salad
    # has a small vocabulary, so keep at least the 30 words the query mix needs.
    common = ranked[60:] if len(ranked) >= 90 else ranked[-30:]
    rare = sorted(w for w, n in counts.items() if 3 <= n <= 6 and len(w) >= 6)
    return {"common": rng.sample(common, 30), "rare": rng.sample(rare, min(20, len(rare)))}


# --- the query mix -----------------------------------------------------------------------------


def misspell(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]


def query_mix(
    vocabulary: dict[str, list[str]], mons: int, seed: int
) -> list[tuple[dict, str, dict]]:
    """50 queries: (API parameters, FTS5 MATCH expression, FTS5 filters)."""
    rng = random.Random(seed)
    common, rare = vocabulary["common"], vocabulary["rare"] or vocabulary["common"]
    mix: list[tuple[dict, str, dict]] = []
    for word in common[:10]:  # single common words
        mix.append(({"q": word}, word, {}))
    for word in rare[:8]:  # rare words
        mix.append(({"q": word}, word, {}))
    for a, b in zip(common[10:18], common[18:26], strict=False):  # two-word AND
        mix.append(({"q": f"{a} ET {b}"}, f"{a} AND {b}", {}))
    for phrase in ["mon père", "la mine", "le quartier", "les enfants", "la maison", "à l'école"]:
        mix.append(({"q": f'"{phrase}"'}, f'"{phrase}"', {}))
    for word in common[26:30] + rare[8:10]:  # fuzzy: misspelt (the yardstick gets the right word)
        mix.append(({"q": misspell(word, rng)}, word, {}))
    filters = [
        ({"kind": "oral_history"}, {"kind": "oral_history"}),
        ({"decade": "1950"}, {"decade": 1950}),
        ({"place": str(mons)}, {"place": mons}),
        ({"theme": "mines"}, {"theme": "mines"}),
        ({"kind": "photo", "decade": "1960"}, {"kind": "photo", "decade": 1960}),
        ({"decade": "1930"}, {"decade": 1930}),
    ]
    for (api, fts), word in zip(filters, common, strict=False):
        mix.append(({"q": word, **api}, word, fts))
    boxes = ["3.90,50.40,4.00,50.50", "3.45,50.30,3.60,50.40", "3.30,50.30,3.45,50.36"]
    for box, word in zip(boxes, common[3:6], strict=False):
        west, south, east, north = (float(x) for x in box.split(","))
        mix.append(({"q": word, "bbox": box}, word, {"bbox": (west, south, east, north)}))
        mix.append(({"bbox": box}, "", {"bbox": (west, south, east, north)}))
    return mix[:50]


def fts_query(connection: sqlite3.Connection, match: str, filters: dict) -> tuple[int, list, list]:
    """Total, top 20 by bm25 and a count per place, over public stories."""
    where, args = ["s.public = 1"], []
    if "kind" in filters:
        where.append("s.kind = ?")
        args.append(filters["kind"])
    if "decade" in filters:
        where.append("s.decade = ?")
        args.append(filters["decade"])
    if "theme" in filters:
        where.append("s.theme = ?")
        args.append(filters["theme"])
    if "place" in filters:
        where.append("s.id IN (SELECT story_id FROM story_place WHERE place_id = ?)")
        args.append(filters["place"])
    if "bbox" in filters:
        west, south, east, north = filters["bbox"]
        where.append("s.lat BETWEEN ? AND ? AND s.lon BETWEEN ? AND ?")
        args += [south, north, west, east]
    if match:
        hits = (
            f"SELECT fts.rowid AS id, bm25(fts, 3.0, 1.0, 1.0, 1.5) AS score FROM fts "
            f"JOIN story s ON s.id = fts.rowid WHERE fts MATCH ? AND {' AND '.join(where)}"
        )
        args = [match, *args]
    else:
        hits = f"SELECT s.id AS id, 0 AS score FROM story s WHERE {' AND '.join(where)}"
    connection.execute("DROP TABLE IF EXISTS temp.hits")
    connection.execute(f"CREATE TEMP TABLE hits AS {hits}", args)
    total = connection.execute("SELECT count(*) FROM hits").fetchone()[0]
    top = connection.execute("SELECT id, score FROM hits ORDER BY score, id LIMIT 20").fetchall()
    per_place = connection.execute(
        "SELECT place_id, count(*) FROM hits JOIN story_place sp ON sp.story_id = hits.id "
        "GROUP BY place_id"
    ).fetchall()
    return total, top, per_place


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


# --- the run -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the query mix")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument(
        "--profile", action="store_true", help="profile the query mix, print the top"
    )
    parser.add_argument("--out", type=Path, help="also append the figures to this file")
    args = parser.parse_args()
    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    from flask_migrate import upgrade

    from memoire import create_app
    from memoire.search import service

    with tempfile.TemporaryDirectory(prefix="memoire-bench-search-") as tmp:
        home = Path(tmp)
        app = create_app(
            {
                "HOME": str(home),
                "MEDIA_DIR": str(home / "media"),
                "TESTING": True,
                "RATELIMIT_ENABLED": False,
                "INDEX_AFTER_COMMIT": False,
            }
        )
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
        started = time.perf_counter()
        facts = build_archive(app, args.stories, args.seed, home / "fts.sqlite3")
        say(
            f"archive: {args.stories} stories ({args.stories // 10} oral histories, "
            f"{facts['segments']} transcript segments), {facts['words']:,} words, "
            f"{'real French from shared/data' if facts['real_text'] else 'word salad (shared data absent)'}; "
            f"built in {time.perf_counter() - started:.1f} s"
        )

        with app.app_context():
            started, started_cpu = time.perf_counter(), time.process_time()
            indexed = service.rebuild()
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - started_cpu
        say(
            f"rebuild: {indexed} stories in {seconds:.1f} s ({cpu_seconds:.1f} s of CPU), "
            f"{facts['words'] / seconds:,.0f} words/s (target < 300 s)"
        )
        index_bytes = sum(p.stat().st_size for p in (home / "index").rglob("*") if p.is_file())
        say(f"index size: {index_bytes / 1e6:.0f} MB")

        mix = query_mix(facts["vocabulary"], facts["mons"], args.seed)
        client = app.test_client()
        for params, _match, _filters in mix:  # warm-up: searchers, caches, page cache
            assert client.get("/api/v1/search", query_string=params).status_code == 200, params
        latencies: list[float] = []
        cpu: list[float] = []
        per_query: dict[int, list[float]] = {}
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.runs):
            for number, (params, _match, _filters) in enumerate(mix):
                if profiler:
                    profiler.enable()
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get("/api/v1/search", query_string=params)
                elapsed = time.perf_counter() - started
                cpu.append((time.process_time() - started_cpu) * 1000)
                if profiler:
                    profiler.disable()
                assert response.status_code == 200
                latencies.append(elapsed * 1000)
                per_query.setdefault(number, []).append(elapsed * 1000)
        # Where the time goes: the index alone, then with the database (rehydration, labels).
        from memoire.search.query import parse_params

        layers: dict[str, list[float]] = {"backend": [], "service": []}
        with app.app_context():
            for _ in range(args.runs):
                for params, _match, _filters in mix:
                    query = parse_params(params)
                    started = time.process_time()
                    service.backend().search(query, ["public"])
                    layers["backend"].append((time.process_time() - started) * 1000)
                    started = time.process_time()
                    service.search(None, query)
                    layers["service"].append((time.process_time() - started) * 1000)

        connection = sqlite3.connect(home / "fts.sqlite3")
        for _params, match, filters in mix:
            fts_query(connection, match, filters)
        fts_latencies: list[float] = []
        for _ in range(args.runs):
            for _params, match, filters in mix:
                started = time.perf_counter()
                fts_query(connection, match, filters)
                fts_latencies.append((time.perf_counter() - started) * 1000)

        p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
        f50, f95 = statistics.median(fts_latencies), percentile(fts_latencies, 0.95)
        say(
            f"/api/v1/search ({len(mix)} queries x {args.runs}): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
            f"max {max(latencies):.1f} ms (target p95 < 150 ms)"
        )
        say(
            f"  CPU per request: p50 {statistics.median(cpu):.1f} ms, p95 {percentile(cpu, 0.95):.1f} ms; "
            f"of which the index alone p50 {statistics.median(layers['backend']):.1f} ms, "
            f"with the database (rehydration, facet labels) p50 {statistics.median(layers['service']):.1f} ms"
        )
        say(f"FTS5 yardstick (top 20 + total + per place): p50 {f50:.2f} ms, p95 {f95:.2f} ms")
        say(f"ratio p50 whoosh/FTS5: {p50 / f50:.1f}x (target <= 4x)")
        slowest = sorted(per_query, key=lambda n: -statistics.median(per_query[n]))[:8]
        for number in slowest:
            say(f"  slow: {statistics.median(per_query[number]):7.1f} ms  {mix[number][0]}")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
            say(out.getvalue())
        with app.app_context():
            service.backend().close()
    if args.out:
        with args.out.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
