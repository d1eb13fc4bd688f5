"""Whatever bytes people bring, the transcript readers answer with segments or TranscriptError."""

from __future__ import annotations

import io

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memoire.core.errors import TranscriptError
from memoire.transcripts.parsers import (
    ParsedSegment,
    ParsedTranscript,
    decode_text,
    parse_transcript,
    to_text,
    to_webvtt,
)

BOUNDED = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

# Pieces of every format read here, so that generated files come close to real ones and
# reach deep into each reader, not only its first check.
FRAGMENTS = [
    "WEBVTT",
    "WEBVTT - titre",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "-->",
    " --> ",
    "00:00:01.000",
    "00:01.500",
    "01:02:03.456",
    "99:59:59.999",
    "00:00:61.000",
    "0:00:00.378,0:00:11.378",
    "00:00:01,000",
    "00:00:02,500 --> 00:00:01,000",
    "1",
    "2",
    "17",
    "NOTE",
    "NOTE x",
    "STYLE",
    "REGION",
    "::cue { color: red; }",
    "Kind: captions",
    "<v Marie>",
    "<v.loud Jean Dupont>",
    "</v>",
    "<c.yellow>",
    "</c>",
    "<i>",
    "</i>",
    "<00:00:01.500>",
    "<br>",
    "&amp;",
    "&lt;",
    "&nbsp;",
    "&",
    "<",
    ">",
    "MARIE :",
    "Marie:",
    "MARIE -",
    "Il a dit :",
    "Jean de la Tour :",
    "[00:12:34]",
    "[12:34]",
    "(00:12:34)",
    "00:12:34 ",
    "[00:75:00]",
    "[rires]",
    "Ça a été dur à l’usine",
    "œ",
    "’",
    "é",
    "\ufeff",
    "\x00",
    "\x85",
    '<?xml version="1.0"?>',
    "<ROOT>",
    "</ROOT>",
    "<record>",
    "</record>",
    "<transcript>",
    "</transcript>",
    "<sync>1:|1(2)|3(1)|</sync>",
    "<sync>",
    "</sync>",
    "<vtt_transcript>",
    "</vtt_transcript>",
    "<index><point><time>5</time>",
    "<title>T</title></point></index>",
    '<!DOCTYPE x [<!ENTITY a "b">]>',
    "&a;",
    "[[footnote]]1[[/footnote]]",
    "[[footnotes]]",
    "[[/footnotes]]",
    "PK\x03\x04",
    "{\\rtf",
    "%PDF",
]

cue_like_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60
).map("".join)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le"])
filenames = st.sampled_from(
    [None, "a.vtt", "a.srt", "a.sbv", "a.xml", "a.docx", "a.txt", "a", ".vtt"]
)
durations = st.sampled_from([None, 0.0, 1.0, 30.0, 3600.0, 1e12, float("nan"), -5.0])


def parse_or_refuse(data: bytes, filename: str | None, duration: float | None) -> None:
    """Parse; only TranscriptError may come out, and what comes out is well formed."""
    try:
        transcript = parse_transcript(data, filename, duration=duration)
    except TranscriptError as error:
        assert error.line is None or error.line >= 1
        return
    assert isinstance(transcript, ParsedTranscript)
    assert transcript.segments
    previous = None
    for segment in transcript.segments:
        assert isinstance(segment.text, str) and segment.text == segment.text.strip()
        assert segment.text
        if segment.start is not None:
            assert segment.end is None or segment.end >= segment.start
            assert previous is None or segment.start >= previous
            previous = segment.start


@BOUNDED
@given(st.binary(max_size=3000), filenames, durations)
def test_arbitrary_bytes_parse_or_are_refused(data, filename, duration):
    parse_or_refuse(data, filename, duration)


@BOUNDED
@given(cue_like_text, encodings, filenames, durations)
def test_cue_like_text_parses_or_is_refused(text, encoding, filename, duration):
    parse_or_refuse(text.encode(encoding, errors="replace"), filename, duration)


@BOUNDED
@given(st.binary(max_size=3000))
def test_decode_text_always_gives_text_with_one_kind_of_line_end(data):
    text = decode_text(data)
    assert isinstance(text, str)
    assert "\r" not in text and "\ufeff" not in text


@BOUNDED
@given(cue_like_text)
def test_decode_text_reads_back_utf8_exactly(text):
    text = text.replace("\x00", "")  # NULs in every other byte are how UTF-16 is recognised
    expected = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    assert decode_text(text.encode("utf-8")) == expected


def _is_xml_char(char: str) -> bool:
    return (
        char in "\t\n" or " " <= char <= "\ud7ff" or "\ue000" <= char <= "\ufffd" or char > "\uffff"
    )


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cue_like_text, max_size=6))
def test_docx_of_any_paragraphs_parses_or_is_refused(paragraphs):
    document = docx.Document()
    for paragraph in paragraphs:
        # Word holds only XML characters; python-docx refuses others before saving.
        document.add_paragraph("".join(c for c in paragraph if _is_xml_char(c)))
    out = io.BytesIO()
    document.save(out)
    parse_or_refuse(out.getvalue(), "x.docx", None)


@BOUNDED
@given(
    st.lists(st.text(st.sampled_from("ab \n"), max_size=20), max_size=12),
    st.lists(st.tuples(st.integers(0, 15), st.integers(0, 9)), max_size=10),
    st.integers(0, 3),
)
def test_ohms_sync_of_any_shape_parses_or_is_refused(lines, marks, step):
    sync = f"{step}:|" + "|".join(f"{line}({word})" for line, word in marks)
    transcript = "\n".join(lines).replace("&", "")
    data = f"<ROOT><record><sync>{sync}</sync><transcript>{transcript}</transcript></record></ROOT>"
    parse_or_refuse(data.encode(), "x.xml", None)


words = (
    st.text(st.sampled_from("abcdeéà’œ&<>-XYZ0 "), min_size=1, max_size=30)
    .map(str.split)
    .map(" ".join)
)
names = st.one_of(
    st.none(), st.sampled_from(["Marie", "JEAN-PIERRE", "Jean de la Tour", "A&B <x>"])
)


@st.composite
def timed_segments(draw) -> list[ParsedSegment]:
    """Segments as the parsers give them: ordered starts, ends at or after them."""
    count = draw(st.integers(1, 12))
    start = 0.0
    found = []
    for _ in range(count):
        start = round(start + draw(st.integers(0, 90_000)) / 1000, 3)
        end = round(start + draw(st.integers(0, 90_000)) / 1000, 3)
        text = draw(words)
        if text:
            found.append(ParsedSegment(start, end, draw(names), text))
    return found


@BOUNDED
@given(timed_segments())
def test_to_webvtt_round_trips(original):
    if not original:
        return
    assert parse_transcript(to_webvtt(original).encode()).segments == original


@BOUNDED
@given(st.lists(st.tuples(st.one_of(st.none(), st.floats(0, 1e6)), names, words), max_size=8))
def test_to_text_and_to_webvtt_write_any_valid_segments(rows):
    found = [ParsedSegment(start, None, speaker, text) for start, speaker, text in rows]
    assert isinstance(to_text(found), str)
    assert to_webvtt(found).startswith("WEBVTT")
