"""`memoire transcribe` and `memoire asr model`: machine drafts from the command line."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup, with_appcontext


@click.command("transcribe")
@click.argument("story", required=False)
@click.option("--missing", is_flag=True, help="Every recording with no transcript and no draft yet.")
@click.option("--queue", "queue_only", is_flag=True,
              help="Only queue the work for `memoire worker`; do not wait for it.")
@with_appcontext
def transcribe_command(story: str | None, missing: bool, queue_only: bool) -> None:
    """Make a machine draft of a story's recordings (archive or external id), or of --missing ones."""
    from memoire.asr import operations as ops
    from memoire.core.errors import MemoireError
    from memoire.core.transaction import transaction
    from memoire.media.models import MediaKind
    from memoire.stories.operations import find_story

    if bool(story) == missing:
        raise click.UsageError("name a STORY or give --missing")
    try:
        with transaction():
            if missing:
                recordings = ops.recordings_without_transcript()
            else:
                recordings = [m for m in find_story(story).media if m.kind == MediaKind.audio]
                if not recordings:
                    raise click.ClickException("this story has no recording")
            runs = [ops.request_transcription(None, media) for media in recordings]
    except MemoireError as exc:
        raise click.ClickException(str(exc.message)) from None
    run_ids = [run.id for run in runs]
    click.echo(f"queued {len(run_ids)} recording(s): runs {', '.join(map(str, run_ids)) or '-'}")
    if queue_only or not run_ids:
        return
    _wait(run_ids)


def _wait(run_ids: list[int]) -> None:
    """Work the queue in this process until the runs end, showing their progress."""
    import threading

    from flask import current_app

    from memoire.asr.models import RunStatus, TranscriptionRun
    from memoire.extensions import db
    from memoire.jobs.operations import run_pending

    app = current_app._get_current_object()
    failures = 0

    def work() -> None:
        with app.app_context():
            run_pending()
            db.session.remove()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while True:
        worker.join(timeout=2)
        db.session.expire_all()
        runs = [db.session.get(TranscriptionRun, i) for i in run_ids]
        db.session.commit()
        line = "  ".join(
            f"#{r.id} {r.status} {r.progress:4.0%}"
            + (f" ~{r.seconds_left:.0f}s left" if r.seconds_left is not None else "")
            for r in runs
        )
        click.echo(f"\r{line}", nl=False)
        if not worker.is_alive():
            break
        time.sleep(0.1)
    click.echo("")
    for run in runs:
        if run.status == RunStatus.failed:
            failures += 1
            click.echo(f"run {run.id} failed: {run.error}", err=True)
        elif run.status == RunStatus.done:
            where = f"transcript {run.transcript_id}" if run.transcript_id else "kept beside the existing transcript"
            click.echo(f"run {run.id}: done ({where})")
    if failures:
        raise SystemExit(1)


asr_group = AppGroup("asr", help="The speech model used for machine drafts.")


@asr_group.command("model")
@with_appcontext
def model_command() -> None:
    """Join and verify the bundled model (or check MEMOIRE_ASR_MODEL); print its folder."""
    from flask import current_app

    from memoire.asr import model

    try:
        folder = model.resolve(current_app.config)
    except model.ModelMissing as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(str(folder))


commands = [transcribe_command, asr_group]
