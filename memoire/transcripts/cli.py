"""`memoire transcripts attach STORY MEDIA FILE` and `memoire transcripts export STORY MEDIA`:
the workbench's operations for scripts, as the system (the actor None)."""

from __future__ import annotations

from types import SimpleNamespace

import click
from flask.cli import AppGroup

transcripts_group = AppGroup("transcripts", help="Transcripts of recordings.")

#: What `export` writes: the same files the story page and the API give.
FORMATS = ("vtt", "txt", "ohms")


def _recording(story_id: int, media_id: int):
    """The story and its audio recording, or the same NotFound the API answers."""
    from flask_babel import lazy_gettext as _l

    from memoire.core.errors import NotFound
    from memoire.extensions import db
    from memoire.media.models import Media, MediaKind
    from memoire.stories.models import Story

    story = db.session.get(Story, story_id)
    if story is None:
        raise NotFound(_l("This story does not exist, or is not public."))
    media = db.session.get(Media, media_id)
    if media is None or media.story_id != story.id or media.kind != MediaKind.audio:
        raise NotFound(_l("This file does not exist."))
    return story, media


@transcripts_group.command("attach")
@click.argument("story_id", type=int)
@click.argument("media_id", type=int)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--language", help="Language of the text (default: the story's), e.g. fr, nl, wa.")
def attach_command(story_id: int, media_id: int, path: str, language: str | None) -> None:
    """Attach a transcript file (WebVTT, SRT, SBV, OHMS XML, DOCX, text with [hh:mm:ss]) to
    a story's recording, as a new revision. A bad file changes nothing; the error names its line.
    """
    from pathlib import Path

    from memoire.core.errors import MemoireError
    from memoire.core.transaction import transaction
    from memoire.extensions import db
    from memoire.transcripts import operations as ops

    try:
        with transaction():
            story, media = _recording(story_id, media_id)
            transcript = ops.attach_transcript(
                None,
                story,
                Path(path).read_bytes(),
                filename=Path(path).name,
                media=media,
                language=(language or "").strip()[:10] or None,
            )
    except MemoireError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    click.echo(
        f"transcript {transcript.id}: {len(transcript.segments)} segments, "
        f"{len(transcript.chapters)} chapters, version {transcript.version}"
    )


@transcripts_group.command("export")
@click.argument("story_id", type=int)
@click.argument("media_id", type=int)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="vtt", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of the standard output.",
)
def export_command(story_id: int, media_id: int, fmt: str, output: str | None) -> None:
    """Write a recording's transcript as WebVTT, plain text or OHMS XML (with its chapters);
    withheld passages as their neutral mark, as every output shows them."""
    from flask_babel import lazy_gettext as _l

    from memoire.core.errors import MemoireError, NotFound
    from memoire.transcripts import operations as ops
    from memoire.transcripts.chapters import to_ohms
    from memoire.transcripts.writers import to_text, to_webvtt

    try:
        story, media = _recording(story_id, media_id)
        transcript = next((t for t in story.transcripts if t.media_id == media.id), None)
        if transcript is None:
            raise NotFound(_l("This story has no transcript."))
    except MemoireError as error:
        raise click.ClickException(str(error.message)) from None
    if fmt == "ohms":
        body = to_ohms(story, transcript, ops.segment_text, media.duration)
    else:
        segments = [
            SimpleNamespace(start=s.start, end=s.end, speaker=s.speaker, text=ops.segment_text(s))
            for s in transcript.segments
        ]
        body = (to_webvtt if fmt == "vtt" else to_text)(segments).encode()
    if output:
        with open(output, "wb") as handle:
            handle.write(body)
    else:
        click.echo(body, nl=False)


commands = [transcripts_group]
