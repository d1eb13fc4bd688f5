"""An engine for a worker process in tests: slow enough to be killed mid-recording."""

from __future__ import annotations

import time

from memoire.asr.engine import RecognisedSegment, Word


class SlowEngine:
    name = "slow-engine"

    def transcribe(self, samples, language, offset=0.0):
        for second in range(len(samples) // 16000):
            time.sleep(1.0)
            start = offset + second
            yield RecognisedSegment(start, start + 0.9, f"lent {int(start)}", [Word("lent", start, start + 0.5)])


def load(config) -> SlowEngine:
    return SlowEngine()
