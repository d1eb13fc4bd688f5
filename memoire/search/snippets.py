"""Highlighted snippets: the text around the matched words, escaped, with `<mark>` around them.

Only the marks this module adds are markup; everything the text contains is escaped,
so a story that says `<script>` shows it as words.
"""

from __future__ import annotations

from markupsafe import Markup, escape

SNIPPET_WIDTH = 220
ELLIPSIS = "…"


def _clamp(spans, length: int) -> list[tuple[int, int]]:
    """Spans inside the text, sorted, without overlaps (the text may have changed since indexing)."""
    clean: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        start, end = max(0, start), min(length, end)
        if start >= end:
            continue
        if clean and start < clean[-1][1]:
            clean[-1] = (clean[-1][0], max(end, clean[-1][1]))
        else:
            clean.append((start, end))
    return clean


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The stretch of `width` characters holding the most matches, cut at word boundaries."""
    if len(text) <= width:
        return 0, len(text)
    best_start, best_count = 0, -1
    for i, (start, _end) in enumerate(spans):
        count = sum(1 for s, e in spans[i:] if e <= start + width)
        if count > best_count:
            best_start, best_count = start, count
    # Some context before the first match.
    start = max(0, best_start - width // 4)
    end = min(len(text), start + width)
    start = max(0, end - width)
    if start > 0:
        space = text.find(" ", start, best_start if spans else start + 20)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def highlight(text: str, spans, width: int | None = SNIPPET_WIDTH) -> Markup:
    """`text` (or the best `width` characters of it) escaped, with the spans marked."""
    text = text or ""
    clean = _clamp(spans or [], len(text))
    start, end = (0, len(text)) if width is None else _window(text, clean, width)
    parts: list[str] = [ELLIPSIS] if start > 0 else []
    cursor = start
    for span_start, span_end in clean:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(str(escape(text[cursor:span_start])))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(str(escape(text[cursor:end])))
    if end < len(text):
        parts.append(ELLIPSIS)
    return Markup("".join(parts))
