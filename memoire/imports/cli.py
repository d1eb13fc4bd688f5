"""`memoire import`: bulk import of stories."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from flask.cli import with_appcontext

#: Seconds a run lasts before the progress bar shows.
PROGRESS_AFTER = 3.0


class ImportProgress:
    """A bar on the terminal with lines/s and the time left, for runs longer than a few seconds."""

    def __init__(self, total: int | None, stream=None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self.shown = False
        self.enabled = bool(total) and self.stream.isatty()
        self._last = 0.0

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < PROGRESS_AFTER or (now - self._last < 0.5 and self.done < self.total):
            return
        self._last = now
        self.stream.write("\r" + self.line(now - self.started))
        self.stream.flush()
        self.shown = True

    def line(self, elapsed: float) -> str:
        rate = self.done / elapsed if elapsed > 0 else 0.0
        fraction = min(1.0, self.done / self.total) if self.total else 0.0
        width = 30
        filled = int(fraction * width)
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        minutes, seconds = divmod(int(left), 60)
        return (
            f"[{'#' * filled}{'-' * (width - filled)}] {self.done}/{self.total} "
            f"{rate:.1f} lines/s, {minutes}:{seconds:02d} left "
        )

    def lines_read(self) -> None:
        """The index writer finishes after the last line (the last batches analysed, its
        segment written): a minute or more on a large file, which a bar standing at 100 %
        would not explain."""
        if self.shown:
            self.stream.write("\nevery line read; writing the search index...")
            self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate every line without writing anything.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a JSON report: each line's number, status, ids and error.")
@click.option("--as", "actor_email", default=None, help="E-mail of the account the import acts as.")
@with_appcontext
def import_command(path: Path, dry_run: bool, report_path: Path | None, actor_email: str | None) -> None:
    """Import a JSON Lines file of stories (or a ZIP holding one and its media)."""
    from memoire.accounts.operations import find_actor
    from memoire.core.errors import MemoireError
    from memoire.imports.operations import count_lines, import_path
    from memoire.search import service

    actor = find_actor(actor_email)
    bar = ImportProgress(count_lines(path))

    def progress(result) -> None:
        if result.status == "failed":
            bar.clear()
            click.echo(f"line {result.line}: {result.error}", err=True)
        bar.step()
        if bar.done == bar.total and not dry_run:
            bar.lines_read()

    try:
        summary = import_path(actor, path, dry_run=dry_run, progress=progress)
    except MemoireError as exc:
        raise click.ClickException(str(exc.message)) from None
    finally:
        bar.close()
    if not dry_run:
        from memoire.jobs import operations as jobs

        jobs.run_pending()  # recordings' streams and waveforms: the CLI can wait for them
        service.apply_pending_after_commit()
    if report_path:
        report_path.write_text(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    verb = "validated" if dry_run else "imported"
    click.echo(f"{verb}: {summary.created} created, {summary.updated} updated, {summary.failed} failed")
    if summary.failed:
        raise SystemExit(1)


commands = [import_command]
