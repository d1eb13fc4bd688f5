"""Write docs/settings.md from memoire/config.py: every setting, its default, and the comment
beside it in DEFAULTS (`python scripts/settings_doc.py`; tests/core/test_docs.py checks it)."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "memoire" / "config.py"
DOC = ROOT / "docs" / "settings.md"

HEADER = """# Settings

Generated from `memoire/config.py` by `python scripts/settings_doc.py`: do not edit by hand
(`tests/core/test_docs.py` fails when this table and the code differ). Every setting is
read from the environment variable `MEMOIRE_<NAME>` (and from the `create_app(config)`
argument in tests); numbers and `true`/`false` are converted.

| variable | default | what |
| --- | --- | --- |
"""


def _defaults_node(tree: ast.Module) -> ast.Dict:
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "DEFAULTS":
            return node.value
    raise LookupError("DEFAULTS not found in memoire/config.py")


def descriptions(source: str) -> dict[str, str]:
    """Each key's comment: the lines just above it, or the comment at the end of its line."""
    comments: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string.lstrip("#").strip()
    lines = source.splitlines()
    found = {}
    for key in _defaults_node(ast.parse(source)).keys:
        row = key.lineno
        text = []
        above = row - 1
        while above in comments and lines[above - 1].strip().startswith("#"):
            text.insert(0, comments[above])
            above -= 1
        if row in comments and not lines[row - 1].strip().startswith("#"):
            text.append(comments[row])
        found[key.value] = " ".join(text)
    return found


def _default(value) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    return f"`{value}`"


def table() -> str:
    from memoire.config import DEFAULTS

    described = descriptions(CONFIG.read_text(encoding="utf-8"))
    rows = [
        f"| `MEMOIRE_{key}` | {_default(value)} | {described.get(key, '')} |"
        for key, value in DEFAULTS.items()
    ]
    return HEADER + "\n".join(rows) + "\n"


if __name__ == "__main__":
    DOC.write_text(table(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
