"""The `memoire` console script: the app's Flask CLI, with the archive's commands."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup


def _create_app():
    from memoire import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
def main() -> None:
    """memoire: a collective-memory archive. Every command is also `flask --app wsgi ...`."""
