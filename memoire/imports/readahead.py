"""Transcripts of the lines ahead of a bulk import, parsed by another process (issue 20).

Parsing an interview's WebVTT file (webvtt-py, then memoire's own checks) was a sixth of
what a bulk import's process did, on one core, while the other core only analysed words
for the index now and then. A process of its own now parses the transcripts named by
the next lines while this one writes the lines before them.

It only saves time, it decides nothing: the import still resolves the path and reads
the file itself, and `attach_transcript` still parses through the same function. The
parse done ahead is used only for the very bytes the import read (their digest and
length), under the same file name, and when no recording's length bounds the times (a
parse ahead cannot know it); in every other case, or when the process ahead failed in
any way, the file is parsed here, as it always was, and says the same thing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from memoire.imports.paths import resolve
from memoire.transcripts import parsers
from memoire.transcripts.parsed import ParsedTranscript

log = logging.getLogger(__name__)

#: Lines from which a run parses its transcripts ahead (a process is started for it).
READ_AHEAD_FROM = 2000
#: Transcripts parsed ahead at most, and lines read ahead at most (memory stays small).
TRANSCRIPTS_AHEAD = 8
LINES_AHEAD = 256


def _digest(data: bytes) -> tuple[int, bytes]:
    return len(data), hashlib.blake2b(data, digest_size=20).digest()


def parse_ahead(base: str, raw: bytes) -> tuple[tuple[int, bytes], str, ParsedTranscript] | None:
    """In the process ahead: the transcript a line names, parsed as if no recording's length
    were known; None when the line, its path or its file cannot give one (the import will
    say why when it reaches the line)."""
    try:
        record = json.loads(raw.decode("utf-8-sig"))
        relative = record.get("transcript") if isinstance(record, dict) else None
        if not relative:
            return None
        path = resolve(Path(base), relative)
        data = path.read_bytes()
        return _digest(data), path.name, parsers.parse_transcript(data, path.name)
    except Exception:  # the import parses it again and tells what is wrong, in its language
        return None


class TranscriptsAhead:
    """The lines of a file, each with the parser its transcript should go through."""

    def __init__(self, base: Path) -> None:
        self.base = str(base.resolve())
        # "spawn": a process started afresh, not a copy of this one with its connections
        # and threads (a PostgreSQL import's index writer runs beside it in a thread).
        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self.used = 0  # transcripts whose parse ahead was taken (tests, figures)
        self.broken = False

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def lines(self, raw_lines: Iterable[bytes]) -> Iterator[tuple[int, bytes, object]]:
        """(number, line, the parser of its transcript), reading and submitting ahead."""
        ahead: deque[tuple[int, bytes, Future | None]] = deque()
        pending = 0
        source = enumerate(raw_lines, start=1)
        exhausted = False
        while True:
            while not exhausted and len(ahead) < LINES_AHEAD and pending < TRANSCRIPTS_AHEAD:
                item = next(source, None)
                if item is None:
                    exhausted = True
                    break
                number, raw = item
                future = self._submit(raw) if b'"transcript"' in raw else None
                pending += future is not None
                ahead.append((number, raw, future))
            if not ahead:
                return
            number, raw, future = ahead.popleft()
            if future is not None:
                pending -= 1
            yield number, raw, self.parser(future)

    def _submit(self, raw: bytes) -> Future | None:
        if self.broken:
            return None
        try:
            return self.pool.submit(parse_ahead, self.base, raw)
        except Exception:  # the process could not start, or died: the import parses alone
            log.warning("transcripts are no longer parsed ahead", exc_info=True)
            self.broken = True
            return None

    def parser(self, future: Future | None):
        """The parser for a line's transcript: the parse ahead when it fits the bytes read."""
        if future is None:
            return parsers.parse_transcript

        def parse(data: bytes, filename: str | None = None, *, duration: float | None = None):
            try:
                found = future.result()
            except Exception:  # the process ahead died: this one parses, as always
                log.warning("a transcript parsed ahead was lost; parsing it here", exc_info=True)
                found = None
            if found is not None and duration is None:
                digest, name, parsed = found
                if name == filename and digest == _digest(bytes(data)):
                    self.used += 1
                    return parsed
            return parsers.parse_transcript(data, filename, duration=duration)

        return parse
