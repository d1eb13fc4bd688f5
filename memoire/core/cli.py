"""Commands that set up and serve the archive."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


def init_archive() -> None:
    """Create or upgrade the database, the index and the media folders (idempotent)."""
    from flask_migrate import upgrade

    from memoire.core.storage import get_storage
    from memoire.search import service

    get_storage().ensure()
    upgrade(directory=current_app.extensions["migrate"].directory)
    service.ensure_index()


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database (Alembic migrations), the index and the media folders."""
    init_archive()
    click.echo(f"Archive ready in {current_app.config['MEMOIRE_HOME']}")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the small demo archive shipped with memoire (runs `init` first)."""
    import time

    from memoire.demo import loader

    started = time.perf_counter()
    init_archive()
    summary = loader.load_demo()
    took = time.perf_counter() - started
    click.echo(
        f"Demo archive loaded: {summary.created} created, {summary.updated} updated, "
        f"{summary.failed} failed in {took:.1f} s"
    )
    if summary.failed:
        raise SystemExit(1)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Reload on code changes and show tracebacks.")
@click.option("--no-worker", is_flag=True, help="Do not run background jobs in this process.")
@with_appcontext
def serve_command(host: str, port: int, debug: bool, no_worker: bool) -> None:
    """Serve the archive (embedded profile: SQLite, Whoosh, local media, jobs in a thread)."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    if not no_worker:
        start_worker_thread(app)
    click.echo(f"memoire on http://{host}:{port}/ (Ctrl+C to stop)")
    run_simple(host, port, app, use_reloader=debug, use_debugger=debug, threaded=True)


def start_worker_thread(app, interval: float = 2.0):
    """The embedded profile's job worker: a daemon thread polling the job table."""
    import threading
    import time

    def loop() -> None:
        from memoire.jobs import operations

        while True:
            try:
                with app.app_context():
                    ran = operations.run_one()
            except Exception:  # keep serving; the job's failure is recorded on its row
                app.logger.exception("background job loop failed")
                ran = False
            if not ran:
                time.sleep(interval)

    thread = threading.Thread(target=loop, name="memoire-worker", daemon=True)
    thread.start()
    return thread


commands = [init_command, demo_command, serve_command]
