"""Searching unreviewed machine drafts, for the people who may read them.

The full-text index gives every viewer of a story the same words, so it holds no unreviewed
draft: nothing unreviewed can reach a public count, facet, snippet or suggestion. Staff,
mediators and researchers still search untranscribed recordings: their drafts are read here,
with the index's own analysis (accents and case folded, elisions cut, French or Dutch
stemming), every word of the query required, and each passage found with its second.
Drafts are a waiting room (a person reviews them, then the index has them), so the scan
stays small; it is bounded all the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select

from memoire.extensions import db
from memoire.search.analysis import analysis_language, text_analyzer
from memoire.search.query import OPERATOR_WORDS
from memoire.search.snippets import highlight
from memoire.stories.models import Story
from memoire.stories.visibility import visible_clause
from memoire.transcripts.models import Transcript, TranscriptSegment
from memoire.transcripts.visibility import UNREVIEWED, may_read_drafts

#: Segments read at most for one search (about 200 hours of drafts).
SCAN_LIMIT = 200_000
#: A field prefix and its word (`lieu:Mons`): the draft text has no such fields.
_PREFIXED = re.compile(r"[^\s:()\"]+:(?:\"[^\"]*\"|\S+)")


@dataclass
class DraftPassage:
    story_id: int
    title: str
    segment_id: int
    start: float | None
    snippet: Markup


def _analyse(text: str, language: str) -> list[tuple[str, int, int]]:
    # Whoosh reuses one token object: copy what is needed as the tokens go by.
    return [(t.text, t.startchar, t.endchar) for t in text_analyzer(language)(text, chars=True)]


_NEGATIONS = frozenset({"NOT", "SAUF", "NIET", "ANDNOT"})


def query_terms(text: str) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per analysis, the query's words as the index holds them: (required, excluded).
    Operators and prefixed words are left out; a word after NOT / SAUF / NIET is excluded."""
    plain = _PREFIXED.sub(" ", text or "")
    required, excluded, negate = [], [], False
    for word in re.split(r"[\s()\"~*]+", plain):
        if not word:
            continue
        if word in OPERATOR_WORDS:
            negate = word in _NEGATIONS
            continue
        (excluded if negate else required).append(word)
        negate = False
    return {
        lang: (
            frozenset(t for t, _, _ in _analyse(" ".join(required), lang)),
            frozenset(t for t, _, _ in _analyse(" ".join(excluded), lang)),
        )
        for lang in ("fr", "nl")
    }


def draft_passages(viewer, text: str, *, limit: int = 20) -> list[DraftPassage]:
    """Passages of unreviewed drafts holding every word of `text`, in stories the viewer sees."""
    if not text or not may_read_drafts(viewer):
        return []
    terms = query_terms(text)
    if not any(required for required, _ in terms.values()):
        return []
    rows = db.session.execute(
        select(
            TranscriptSegment.id, TranscriptSegment.text, TranscriptSegment.start,
            Transcript.story_id, Transcript.language, Story.language, Story.title,
        )
        .join(Transcript, TranscriptSegment.transcript_id == Transcript.id)
        .join(Story, Story.id == Transcript.story_id)
        .where(Transcript.machine_review == UNREVIEWED, TranscriptSegment.is_redacted.is_(False))
        .where(visible_clause(viewer))
        .order_by(Transcript.story_id, TranscriptSegment.position)
        .limit(SCAN_LIMIT)
        .execution_options(yield_per=2000)
    )
    found: list[DraftPassage] = []
    for segment_id, segment_text, start, story_id, language, story_language, title in rows:
        wanted, unwanted = terms[analysis_language(language or story_language)]
        if not wanted:
            continue
        tokens = _analyse(segment_text, analysis_language(language or story_language))
        said = {t for t, _, _ in tokens}
        if not wanted <= said or unwanted & said:
            continue
        spans = [(s, e) for t, s, e in tokens if t in wanted]
        found.append(DraftPassage(story_id, title, segment_id, start, highlight(segment_text, spans)))
        if len(found) >= limit:
            break
    return found
