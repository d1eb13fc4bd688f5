"""Media storage behind a small interface: content-addressed by SHA-256, staged then placed.

A file is first streamed to a temporary name (hashing as it goes), and only moved to
its final, content-addressed key once the database transaction that references it
commits. A rollback removes the staged file. Temporary names start with the SHA-256,
so an interrupted move can be finished later (`memoire media purge`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlalchemy.orm import Session

from memoire.core import uow

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StagedFile:
    """A file written to a temporary place, with the facts known from streaming it."""

    sha256: str
    size: int
    path: Path  # temporary path, readable until the transaction ends

    @property
    def key(self) -> str:
        return key_for(self.sha256)


def key_for(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


class TooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


class Storage(Protocol):
    """What the archive needs from a place that keeps files."""

    def stage(self, stream: BinaryIO, *, max_bytes: int | None = None) -> StagedFile: ...
    def commit_staged(self, session: Session, staged: StagedFile) -> str: ...
    def exists(self, key: str) -> bool: ...
    def open(self, key: str) -> BinaryIO: ...
    def path(self, key: str) -> Path: ...
    def size(self, key: str) -> int: ...
    def delete(self, key: str) -> None: ...
    def keys(self) -> Iterator[str]: ...


class LocalStorage:
    """A folder on a local (or shared, mounted) disk."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.tmp = self.root / "tmp"

    def ensure(self) -> None:
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        if ".." in key.split("/") or key.startswith("/"):
            raise ValueError("invalid storage key")
        return self.root / key

    def stage(self, stream: BinaryIO, *, max_bytes: int | None = None) -> StagedFile:
        """Stream to a temporary file in chunks, hashing as we go; never holds the file in memory."""
        self.ensure()
        digest = hashlib.sha256()
        size = 0
        tmp = self.tmp / f"incoming-{uuid.uuid4().hex}"
        try:
            with open(tmp, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLarge(max_bytes)
                    digest.update(chunk)
                    out.write(chunk)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        sha = digest.hexdigest()
        named = self.tmp / f"{sha}.{uuid.uuid4().hex}"
        os.replace(tmp, named)
        return StagedFile(sha256=sha, size=size, path=named)

    def stage_path(self, source: Path, *, max_bytes: int | None = None) -> StagedFile:
        with open(source, "rb") as fh:
            return self.stage(fh, max_bytes=max_bytes)

    def stage_bytes(self, data: bytes) -> StagedFile:
        import io

        return self.stage(io.BytesIO(data))

    def commit_staged(self, session: Session, staged: StagedFile) -> str:
        """Place the staged file at its key after commit; drop it on rollback."""
        uow.after_commit(session, lambda: self._place(staged))
        uow.after_rollback(session, lambda: staged.path.unlink(missing_ok=True))
        return staged.key

    def _place(self, staged: StagedFile) -> None:
        final = self.path(staged.key)
        if final.exists():  # content-addressed: the same bytes are stored once
            staged.path.unlink(missing_ok=True)
            return
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged.path, final)

    def finish_interrupted(self, wanted_keys: set[str]) -> int:
        """Place staged files whose move was interrupted by a crash after commit."""
        done = 0
        for tmp in self.tmp.glob("*.*"):
            sha = tmp.name.split(".", 1)[0]
            if len(sha) == 64 and key_for(sha) in wanted_keys and not self.exists(key_for(sha)):
                self._place(StagedFile(sha256=sha, size=tmp.stat().st_size, path=tmp))
                done += 1
        return done

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def open(self, key: str) -> BinaryIO:
        return open(self.path(key), "rb")

    def size(self, key: str) -> int:
        return self.path(key).stat().st_size

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        for path in self.root.glob("??/??/*"):
            if path.is_file():
                yield path.relative_to(self.root).as_posix()

    def temporary_files(self) -> Iterator[Path]:
        if self.tmp.exists():
            yield from self.tmp.iterdir()

    def copy_to(self, key: str, dest: Path) -> None:
        shutil.copyfile(self.path(key), dest)


def get_storage() -> LocalStorage:
    from flask import current_app

    return current_app.extensions["memoire.storage"]
