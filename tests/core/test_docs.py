"""Docs that cannot drift (datasette's tests/test_docs.py is the model): every setting, every
command and every API route is documented, and the settings table is the code's."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[2]


def _docs() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    )


def _settings_doc():
    spec = importlib.util.spec_from_file_location("settings_doc", ROOT / "scripts" / "settings_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_settings_table_is_generated_from_config():
    module = _settings_doc()
    assert module.DOC.read_text(encoding="utf-8") == module.table(), (
        "docs/settings.md differs from memoire/config.py: run python scripts/settings_doc.py"
    )


def test_every_setting_is_described():
    from memoire.config import DEFAULTS

    described = _settings_doc().descriptions((ROOT / "memoire" / "config.py").read_text("utf-8"))
    missing = [key for key in DEFAULTS if not described.get(key)]
    assert not missing, f"settings without a comment in memoire/config.py DEFAULTS: {missing}"


def _commands(command, path=()):
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield " ".join(path)


def test_every_command_is_documented(app):
    docs = _docs()
    # `memoire db ...` are Flask-Migrate's own commands, documented there.
    commands = [c for c in _commands(app.cli) if not c.startswith("db ")]
    missing = [c for c in commands if not re.search(rf"`(memoire )?{re.escape(c)}\b", docs)]
    assert not missing, f"commands missing from README.md and docs/: {missing}"


def test_every_api_route_is_in_the_generated_document(app):
    from memoire.api.openapi import spec

    documented = set(spec()["paths"])
    served = {
        re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule).removeprefix("/api/v1")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    assert served <= documented, f"API routes without @documented: {sorted(served - documented)}"
    assert "/api/v1/docs" in _docs()  # the README sends readers to the generated document
