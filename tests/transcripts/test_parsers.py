"""Reading transcripts from the files people bring, and writing them back out."""

from __future__ import annotations

import codecs
import io
import zipfile

import docx
import pytest

from memoire.core.errors import TranscriptError
from memoire.transcripts.parsers import (
    ParsedSegment,
    decode_text,
    detect_format,
    parse_transcript,
    to_text,
    to_webvtt,
)
from tests.conftest import shared_data

FRENCH = "Ça a été dur à l’usine, mon œil."


def segments(data: bytes, filename: str | None = None, **kw) -> list[ParsedSegment]:
    return parse_transcript(data, filename, **kw).segments


def refused(data: bytes, filename: str | None = None, **kw) -> TranscriptError:
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(data, filename, **kw)
    return caught.value


# Encodings ---------------------------------------------------------------------------------


def test_cp1252_with_crlf_reads_accents_apostrophe_and_ligature():
    data = f"MARIE : {FRENCH}\r\nOn travaillait la nuit.\r\n".encode("cp1252")
    assert b"\x92" in data and b"\x9c" in data and b"\xe9" in data  # ’ œ é as Windows writes them
    assert decode_text(data) == f"MARIE : {FRENCH}\nOn travaillait la nuit.\n"
    [segment] = segments(data)
    assert segment.speaker == "MARIE"
    assert segment.text == f"{FRENCH} On travaillait la nuit."


def test_short_cp1252_text_is_not_taken_for_an_exotic_encoding():
    assert decode_text("été".encode("cp1252")) == "été"
    assert decode_text("l’œuvre".encode("cp1252")) == "l’œuvre"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + FRENCH.encode("utf-8"),
        FRENCH.encode("utf-8"),
        codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"),
        FRENCH.encode("utf-16-le"),  # Windows "Unicode" saved without its mark
    ],
    ids=["utf8-bom", "utf8", "utf16le-bom", "utf16be-bom", "utf16le-no-bom"],
)
def test_unicode_encodings_with_and_without_bom(data):
    assert decode_text(data) == FRENCH


def test_latin1_reads_as_latin1():
    text = "Élève à la mine, café crème, garçon"
    assert decode_text(text.encode("latin-1")) == text


def test_old_mac_line_ends_and_stray_byte_order_marks_are_normalised():
    assert decode_text(b"a\rb\r\nc\n") == "a\nb\nc\n"
    assert decode_text("  \ufeffMARIE : oui".encode()) == "  MARIE : oui"


def test_utf8_bom_webvtt_parses():
    data = codecs.BOM_UTF8 + b"WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nCaf\xc3\xa9\r\n"
    assert segments(data) == [ParsedSegment(1.0, 2.0, None, "Café")]


# Detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"WEBVTT\n\n00:01.000 --> 00:02.000\nx\n", "notes.txt", "webvtt"),
        (b"1\n00:00:01,000 --> 00:00:02,000\nx\n", "subtitles.vtt", "srt"),
        (b"0:00:01.000,0:00:02.000\nx\n", None, "sbv"),
        (b"00:00:01.000 --> 00:00:02.000\nx\n", None, "webvtt"),
        (b'<?xml version="1.0"?><ROOT><record><transcript/></record></ROOT>', "x.txt", "ohms"),
        (b"MARIE : bonjour", "interview.srt", "srt"),
        (b"MARIE : bonjour", "interview.txt", "text"),
        (b"MARIE : bonjour", None, "text"),
    ],
)
def test_content_decides_the_format_and_extension_only_breaks_ties(data, filename, expected):
    assert detect_format(data, filename) == expected


def test_docx_is_told_from_other_zip_files():
    assert detect_format(_docx_bytes(["MARIE : oui"]), "x.txt") == "docx"
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("content.xml", "<office/>")
    assert detect_format(other.getvalue()) == "text"
    assert "OpenDocument" in str(refused(other.getvalue(), "x.odt"))


@pytest.mark.parametrize(
    ("magic", "word"),
    [(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".docx"), (b"%PDF-1.4", "PDF"), (b"{\\rtf1", "RTF")],
)
def test_files_picked_by_mistake_are_refused_with_advice(magic, word):
    assert word in str(refused(magic + b"\x00" * 64))


def test_binary_data_is_not_read_as_text():
    assert "not a text file" in str(refused(bytes(range(256)) * 8, "recording.mp3"))


# Refusals ----------------------------------------------------------------------------------


def test_empty_transcript_is_refused():
    for data in (b"", b"   \n\n", b"WEBVTT\n", codecs.BOM_UTF8):
        assert "empty" in str(refused(data))


def test_times_going_backwards_are_refused_with_the_line():
    data = b"WEBVTT\n\n00:00:05.000 --> 00:00:06.000\na\n\n00:00:01.000 --> 00:00:02.000\nb\n"
    error = refused(data)
    assert error.line == 6
    assert "backwards" in str(error) and "Line 6" in str(error)


def test_srt_times_going_backwards_are_refused_with_the_line():
    data = b"1\n00:00:05,000 --> 00:00:06,000\na\n\n2\n00:00:01,000 --> 00:00:02,000\nb\n"
    assert refused(data).line == 6


def test_plain_text_times_going_backwards_are_refused_with_the_line():
    data = b"[00:02:00] MARIE : oui\n\n[00:01:00] PAUL : non\n"
    assert refused(data).line == 3


def test_cue_ending_before_it_starts_is_refused():
    data = b"WEBVTT\n\n00:00:05.000 --> 00:00:04.000\na\n"
    error = refused(data)
    assert error.line == 3 and "ends before it starts" in str(error)


def test_times_beyond_the_recording_are_refused_with_a_second_of_tolerance():
    data = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\na\n\n00:01:00.000 --> 00:01:00.900\nb\n"
    assert len(segments(data, duration=60.0)) == 2  # 0.9 s past the end: within tolerance
    error = refused(data, duration=59.0)
    assert error.line == 6 and "past the end" in str(error)
    assert refused(b"[00:05:00] trop tard", duration=120).line == 1


def test_unreadable_timing_is_refused_not_skipped():
    data = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\na\n\n00:00:03.000 --> 00:00:0x.000\nb\n"
    assert refused(data).line == 6


def test_text_cut_from_its_cue_by_an_empty_line_is_refused_not_lost():
    data = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\npremier paragraphe\n\nsecond paragraphe\n"
    assert refused(data).line == 6


def test_a_vtt_file_without_cues_or_header_is_refused():
    error = refused(b"bonjour tout le monde\n", "interview.vtt")
    assert error.line == 1 and "WEBVTT" in str(error)


def test_unreadable_plain_text_time_is_refused():
    assert refused(b"[00:75:00] MARIE : oui").line == 1


# WebVTT ------------------------------------------------------------------------------------


def test_webvtt_with_header_metadata_note_and_style_blocks():
    data = """WEBVTT - Entretien à Dutemple
Kind: captions
Language: fr

STYLE
::cue { color: yellow; }

NOTE Transcrit par l’atelier du jeudi

intro
00:00:01.000 --> 00:00:04.000 align:start position:10%
<v Marie>On habitait <i>rue</i> de la Gare.</v>

NOTE
plusieurs lignes
de commentaire

00:00:04.000 --> 00:00:07.500
<v.loud Jean Dupont>Et la fosse <c.yellow>Dutemple</c> &amp; le terril&nbsp;!
""".encode()
    assert segments(data) == [
        ParsedSegment(1.0, 4.0, "Marie", "On habitait rue de la Gare."),
        ParsedSegment(4.0, 7.5, "Jean Dupont", "Et la fosse Dutemple & le terril !"),
    ]


def test_webvtt_word_timing_tags_are_stripped_and_voices_split_a_cue():
    data = b"""WEBVTT

00:16.500 --> 00:18.500
<v Marie>Le <00:17.000>charbon<br>partout
<v Paul>Oui
"""
    assert segments(data) == [
        ParsedSegment(16.5, 18.5, "Marie", "Le charbon partout"),
        ParsedSegment(16.5, 18.5, "Paul", "Oui"),
    ]


def test_webvtt_labels_in_text_are_not_speakers():
    # WebVTT names speakers with <v>; "Il a dit :" is what was said.
    data = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nMarie : bonjour\n"
    assert segments(data)[0].speaker is None


# SRT and SBV -------------------------------------------------------------------------------


def test_srt_with_commas_speaker_labels_and_formatting_tags():
    data = """1
00:00:01,000 --> 00:00:03,500
MARIE : On descendait à la fosse.

2
00:00:03,500 --> 00:00:06,000
<i>Paul -</i> c'est pas vrai
MARIE - Si !

3
00:00:06,000 --> 00:00:08,000
Il a dit : bonjour
""".encode()
    assert segments(data) == [
        ParsedSegment(1.0, 3.5, "MARIE", "On descendait à la fosse."),
        ParsedSegment(3.5, 6.0, None, "Paul - c'est pas vrai"),
        ParsedSegment(3.5, 6.0, "MARIE", "Si !"),
        ParsedSegment(6.0, 8.0, None, "Il a dit : bonjour"),
    ]


def test_sbv_is_read():
    data = b"0:00:00.378,0:00:11.378\nBonjour\n\n0:00:11.378,0:00:12.305\nMARIE : Au revoir\n"
    transcript = parse_transcript(data, "youtube.sbv")
    assert transcript.source_format == "sbv"
    assert transcript.segments[1] == ParsedSegment(11.378, 12.305, "MARIE", "Au revoir")


# Plain text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "speaker", "text"),
    [
        ("MARIE : bonjour", "MARIE", "bonjour"),
        ("Marie: bonjour", "Marie", "bonjour"),
        ("MARIE - bonjour", "MARIE", "bonjour"),
        ("Jean de la Tour : bonjour", "Jean de la Tour", "bonjour"),
        ("Mme Dupont\u00a0: bonjour", "Mme Dupont", "bonjour"),
        ("Intervenant 2 : bonjour", "Intervenant 2", "bonjour"),
        ("JEAN-PIERRE - bonjour", "JEAN-PIERRE", "bonjour"),
        ("Il a dit : bonjour", None, "Il a dit : bonjour"),
        ("Alors : on y va", None, "Alors : on y va"),
        ("Date : 1978", None, "Date : 1978"),
        ("Marie - la gare", None, "Marie - la gare"),  # a dash label must be in capitals
        ("À 12:30 on mangeait", None, "À 12:30 on mangeait"),
        ("Voir http://example.org", None, "Voir http://example.org"),
        ("Un Deux Trois Quatre Cinq : trop long", None, "Un Deux Trois Quatre Cinq : trop long"),
    ],
)
def test_speaker_labels_are_short_capitalised_names_at_line_start(line, speaker, text):
    [segment] = segments(line.encode())
    assert (segment.speaker, segment.text) == (speaker, text)


@pytest.mark.parametrize(
    ("stamp", "seconds"),
    [
        ("[00:12:34]", 754.0),
        ("[12:34]", 754.0),
        ("(00:12:34)", 754.0),
        ("00:12:34", 754.0),
        ("[1:02:03.5]", 3723.5),
    ],
)
def test_plain_text_timestamps_start_segments(stamp, seconds):
    [segment] = segments(f"{stamp} MARIE : bonjour".encode())
    assert (segment.start, segment.speaker, segment.text) == (seconds, "MARIE", "bonjour")


def test_plain_text_paragraphs_speakers_and_ends():
    text = """Entretien avec Marie, 1978

[00:00:05]
MARIE : Ça a été dur.
On travaillait la nuit.
PAUL : Oui.

Une suite sans temps.

[00:01:10] MARIE : La fin.
"""
    assert segments(text.encode(), duration=90) == [
        ParsedSegment(0.0, 5.0, None, "Entretien avec Marie, 1978"),
        ParsedSegment(5.0, 70.0, "MARIE", "Ça a été dur. On travaillait la nuit."),
        ParsedSegment(5.0, 70.0, "PAUL", "Oui."),
        ParsedSegment(5.0, 70.0, None, "Une suite sans temps."),
        ParsedSegment(70.0, 90.0, "MARIE", "La fin."),
    ]


def test_plain_text_without_timestamps_is_untimed():
    text = "MARIE : Bonjour.\nComment ça va ?\n\nPAUL : Bien.\n\nUn paragraphe.\n"
    assert segments(text.encode(), duration=90) == [
        ParsedSegment(None, None, "MARIE", "Bonjour. Comment ça va ?"),
        ParsedSegment(None, None, "PAUL", "Bien."),
        ParsedSegment(None, None, None, "Un paragraphe."),
    ]


def test_last_timed_segment_has_no_end_without_duration():
    assert segments(b"[00:00:01] a\n[00:00:02] b")[-1].end is None


def test_a_label_alone_on_its_line_names_the_next_paragraph():
    assert segments(b"MARIE :\n\nBonjour.") == [ParsedSegment(None, None, "MARIE", "Bonjour.")]


def test_real_plain_text_transcript_with_timecodes():
    path = shared_data(
        "french_text",
        "oral_history_ohms",
        "plain_text_transcript",
        "isaacs_j2ntg1k_sample_with_timecodes.txt",
    )
    found = segments(path.read_bytes())
    turn = next(s for s in found if s.speaker == "ISAACS")
    assert (turn.start, turn.end) == (47.0, 127.0)
    assert turn.text.startswith("Sure. So yeah, I was born and raised in Kingston, Jamaica.")
    assert all(s.speaker != "INTERVIEWEE" for s in found)  # a header line, not a speaker


# DOCX --------------------------------------------------------------------------------------


def _docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_follow_the_plain_text_rules():
    data = _docx_bytes(
        ["Entretien à Epinlieu", "[00:00:10] MARIE : Ça a été dur à l’usine.", "", "PAUL : Oui."],
        table=[["00:01:00", "JEAN", "Le terril."], ["00:01:30", "Marie", "La fosse."]],
    )
    transcript = parse_transcript(data, "entretien.docx", duration=120)
    assert transcript.source_format == "docx"
    assert transcript.segments == [
        ParsedSegment(0.0, 10.0, None, "Entretien à Epinlieu"),
        ParsedSegment(10.0, 60.0, "MARIE", "Ça a été dur à l’usine."),
        ParsedSegment(10.0, 60.0, "PAUL", "Oui."),
        ParsedSegment(60.0, 90.0, "JEAN", "Le terril."),
        ParsedSegment(90.0, 120.0, "Marie", "La fosse."),
    ]


def test_docx_errors_name_the_paragraph():
    data = _docx_bytes(["[00:02:00] a", "[00:01:00] b"])
    assert refused(data).line == 2


def test_broken_docx_is_refused():
    data = _docx_bytes(["MARIE : oui"])
    assert "damaged archive" in str(refused(data[:-200] + b"\x00" * 200))
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(
                item, b"<w:document" if item.filename == "word/document.xml" else content
            )
    assert "cannot be read" in str(refused(broken.getvalue()))


# OHMS --------------------------------------------------------------------------------------


def _ohms(name: str) -> bytes:
    return shared_data(
        "french_text", "oral_history_ohms", "ohms_xml", *name.split("/")
    ).read_bytes()


def test_ohms_synchronised_transcript_is_timed_from_its_minute_marks():
    transcript = parse_transcript(_ohms("legacy/duarte_OH0344.xml"), "duarte.xml")
    found = transcript.segments
    assert transcript.source_format == "ohms"
    assert found[0].speaker == "BROCK" and found[0].start == 0.0
    assert found[0].text.startswith("This is an oral history interview with Ron Duarte")
    assert found[1] == ParsedSegment(found[1].start, found[1].end, "DUARTE", "On 7 May 1930.")
    # Minute 1 is at line 13, word 3: the segment opening on line 13 starts just before 60 s.
    at_line_13 = next(
        s for s in found if s.text.startswith("property also. My grandfather Cardoza")
    )
    assert 55.0 < at_line_13.start < 60.0 and at_line_13.speaker == "DUARTE"
    starts = [s.start for s in found]
    assert starts == sorted(starts)
    assert found[-1].end == 1686.0  # the record's own duration, 0:28:06
    assert {s.speaker for s in found} == {"BROCK", "DUARTE", None}
    assert found[-1].text == "[END OF INTERVIEW]" and found[-1].speaker is None


def test_ohms_footnotes_are_left_out_of_the_text():
    found = segments(_ohms("legacy/hanford_OH0139.xml"))
    assert not any("[[" in s.text for s in found)


def test_ohms_vtt_transcript_with_voices():
    found = segments(_ohms("chappelear-ohmsvtt-example.xml"))
    assert found[0].speaker == "SCHNEIDER" and found[0].start == 4.0
    assert found[0].text.startswith("Okay. So today is Wednesday, January 24, 2024.")


def test_ohms_unknown_last_end_is_not_refused():
    found = segments(_ohms("small-sample-vtt-ohms.xml"))
    assert found[-1].start == 3682.0 and found[-1].end is None  # written "--> 00:00:00.000"
    assert "<br>" not in found[3].text and "learning. One day" in found[3].text


def test_ohms_without_transcript_gives_its_index_points():
    found = segments(_ohms("legacy/alyea_OH0010.xml"), duration=6000)
    assert found[0] == ParsedSegment(3.0, 302.0, None, "World War II Chemical Warfare")
    assert found[-1] == ParsedSegment(5761.0, 6000.0, None, "At the University of Minnesota")


def test_ohms_with_neither_transcript_nor_index_is_empty():
    assert "empty" in str(refused(_ohms("empty_ohms.xml")))


def test_ohms_index_points_with_synopsis():
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<ROOT xmlns="https://www.weareavp.com/nunncenter/ohms"><record><transcript></transcript>
<index><point><time>125</time><title>La fosse</title><synopsis>Descente au fond.</synopsis></point>
<point><time>5</time><title>Enfance</title><synopsis/></point></index></record></ROOT>"""
    assert segments(data) == [
        ParsedSegment(5.0, 125.0, None, "Enfance"),
        ParsedSegment(125.0, None, None, "La fosse — Descente au fond."),
    ]


def test_ohms_entity_expansion_is_refused():
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<ROOT><record><transcript>&lol2;</transcript></record></ROOT>"""
    assert "refused" in str(refused(bomb))


def test_ohms_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT DE PASSE")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>
<ROOT><record><transcript>&x;</transcript></record></ROOT>""".encode()
    assert "MOT DE PASSE" not in str(refused(data))


def test_broken_ohms_xml_names_its_line():
    data = b'<?xml version="1.0"?>\n<ROOT>\n<record>\n<transcript>oui</transcrit>\n</record></ROOT>'
    assert refused(data).line == 4


# Shared fixtures: each file parses or is refused, as decided here --------------------------

SUBTITLE_FIXTURES = {
    "captions_with_bom.vtt": 4,
    "comments.vtt": 3,
    "cue_tags.vtt": 3,
    "empty.vtt": None,  # 0 bytes
    "invalid.vtt": 7,  # cues without their WEBVTT line are still read
    "invalid_format.sbv": None,
    "invalid_format1.srt": None,
    "invalid_format2.srt": None,
    "invalid_format3.srt": None,
    "invalid_format4.srt": None,
    "invalid_timeframe.sbv": None,
    "invalid_timeframe.srt": 5,  # "00:00:11.890" with a dot is read as SRT players do
    "invalid_timeframe.vtt": None,
    "invalid_timeframe_in_cue_text.vtt": 3,
    "metadata_headers.vtt": 2,
    "metadata_headers_multiline.vtt": 2,
    "missing_caption_text.sbv": None,  # its last cue ends before it starts
    "missing_caption_text.srt": 4,  # the empty cue is dropped
    "missing_caption_text.vtt": 4,
    "missing_timeframe.sbv": None,
    "missing_timeframe.srt": None,
    "missing_timeframe.vtt": None,
    "no_captions.vtt": None,
    "one_caption.srt": 1,
    "one_caption.vtt": 1,
    "sample.sbv": None,  # its last cue ends before it starts
    "sample.srt": 5,
    "sample.vtt": 16,
    "styles.vtt": 1,
    "two_captions.sbv": 2,
    "using_identifiers.vtt": 6,
    "youtube_dl.vtt": 4,
}


@pytest.mark.shared_data
@pytest.mark.parametrize(("name", "count"), sorted(SUBTITLE_FIXTURES.items()))
def test_subtitle_fixture_parses_or_is_refused(name, count):
    data = shared_data("french_text", "subtitle_formats", name).read_bytes()
    if count is None:
        refused(data, name)
    else:
        found = segments(data, name)
        assert len(found) == count
        assert all(s.text and s.start is not None and s.end >= s.start for s in found)


@pytest.mark.shared_data
def test_every_subtitle_fixture_is_listed():
    folder = shared_data("french_text", "subtitle_formats")
    assert {p.name for p in folder.iterdir() if p.name != "SOURCE.md"} == set(SUBTITLE_FIXTURES)


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "name",
    [
        "legacy/alyea_OH0010.xml",
        "legacy/duarte_OH0344.xml",
        "legacy/hanford_OH0139.xml",
        "legacy/smythe_OH0042.xml",
        "legacy/various_gaps.xml",
        "chappelear-ohmsvtt-example.xml",
        "index_hyperlinks_example.xml",
        "small-sample-vtt-ohms.xml",
    ],
)
def test_real_ohms_exports_parse_in_time_order(name):
    found = segments(_ohms(name), name)
    starts = [s.start for s in found]
    assert starts and None not in starts and starts == sorted(starts)
    assert all(s.end is None or s.end >= s.start for s in found)


# Writing -----------------------------------------------------------------------------------


def test_to_webvtt_round_trips_to_the_same_segments():
    original = [
        ParsedSegment(0.0, 2.5, "Marie", f"{FRENCH} & <rires> --> fin"),
        ParsedSegment(2.5, 4.0, None, "Oui."),
        ParsedSegment(4.0, 3725.125, "Jean de la Tour", "Long."),
    ]
    written = to_webvtt(original)
    assert written.startswith("WEBVTT\n")
    assert "<v Marie>" in written and "--&gt;" in written
    assert segments(written.encode()) == original


def test_to_webvtt_keeps_untimed_segments_as_notes_and_closes_open_ends():
    written = to_webvtt(
        [
            ParsedSegment(None, None, "MARIE", "Sans temps --> ici"),
            ParsedSegment(1.0, None, None, "a"),
            ParsedSegment(3.0, None, None, "un deux trois"),
        ]
    )
    assert "NOTE MARIE : Sans temps → ici" in written
    assert segments(written.encode()) == [
        ParsedSegment(1.0, 3.0, None, "a"),
        ParsedSegment(3.0, 5.0, None, "un deux trois"),  # reading time, 2 s at least
    ]


def test_to_webvtt_accepts_any_segment_like_object_and_refuses_bad_times():
    class Row:
        def __init__(self, start, end, speaker, text):
            self.start, self.end, self.speaker, self.text = start, end, speaker, text

    assert "00:00:01.000 --> 00:00:02.000" in to_webvtt([Row(1, 2, None, "x")])
    for bad in (Row(float("nan"), 2, None, "x"), Row(-1, 2, None, "x"), Row(3, 2, None, "x")):
        with pytest.raises(TranscriptError):
            to_webvtt([bad])


def test_to_text_writes_timestamps_and_french_labels():
    text = to_text(
        [
            ParsedSegment(754.9, 760.0, "MARIE", "Ça a été dur."),
            ParsedSegment(None, None, "PAUL", "Oui."),
            ParsedSegment(3725.0, None, None, "Fin."),
        ]
    )
    assert text == "[00:12:34] MARIE : Ça a été dur.\n\nPAUL : Oui.\n\n[01:02:05] Fin.\n"
    assert [(s.speaker, s.text) for s in segments(text.encode())] == [
        ("MARIE", "Ça a été dur."),
        ("PAUL", "Oui."),
        (None, "Fin."),
    ]
