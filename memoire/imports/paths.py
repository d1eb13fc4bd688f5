"""Paths named by an import file: inside its folder, existing files."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l

from memoire.core.errors import ValidationError


def resolve(base: Path, relative: str) -> Path:
    """A media or transcript path given in the file: relative, inside the import folder, an
    existing file."""
    if not isinstance(relative, str) or not relative.strip():
        raise ValidationError(_l("A media entry needs a path."))
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts:
        raise ValidationError(_l("The path %(path)s leaves the import folder.", path=relative))
    path = base / Path(*pure.parts)
    try:
        real = path.resolve(strict=True)
    except (FileNotFoundError, OSError):
        raise ValidationError(_l("The file %(path)s does not exist.", path=relative)) from None
    if not real.is_relative_to(base.resolve()):
        raise ValidationError(_l("The path %(path)s leaves the import folder.", path=relative))
    if not real.is_file():
        raise ValidationError(_l("%(path)s is not a file.", path=relative))
    return real
