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
@with_appcontext
def serve_command(host: str, port: int, debug: bool) -> None:
    """Serve the archive (embedded profile: SQLite, Whoosh, local media)."""
    app = current_app._get_current_object()
    click.echo(f"memoire on http://{host}:{port}/ (Ctrl+C to stop)")
    app.run(host=host, port=port, debug=debug, use_reloader=debug, threaded=True)


commands = [init_command, demo_command, serve_command]
