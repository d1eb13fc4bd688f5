"""Serving the archive as production does, for the load test: gunicorn workers, the CLI,
the single index writer of the Whoosh profile, and finding which worker serves a request."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

#: What `memoire index process --watch` will do: the one process that writes a Whoosh index.
INDEX_WRITER = """
import time
from memoire import create_app
from memoire.extensions import db
from memoire.search import service

app = create_app()
with app.app_context():
    while True:
        service.process_pending(timeout=10)
        db.session.remove()
        time.sleep(0.2)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(settings: dict) -> dict:
    """The process environment for these MEMOIRE_* settings (names without the prefix)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEMOIRE_")}
    env.update({f"MEMOIRE_{k}": str(v) for k, v in settings.items()})
    return env


def memoire(settings: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a `memoire` command as an administrator would."""
    return subprocess.run(
        [str(BIN / "memoire"), *args],
        cwd=ROOT,
        env=environment(settings),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Server:
    """gunicorn serving `wsgi:app` with several sync workers on 127.0.0.1."""

    def __init__(self, settings: dict, workers: int, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "--graceful-timeout",
                "20",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=environment(settings),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if requests.get(self.url + "/", timeout=30).status_code < 500:
                    return
            except requests.RequestException:  # still booting
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        """Graceful: running requests finish (SIGTERM), as a deployment would."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@contextmanager
def serving(settings: dict, workers: int, log: Path, index_writer: bool):
    """gunicorn (and, for Whoosh, the single index writer) for the time of the block."""
    writer = None
    if index_writer:
        writer = subprocess.Popen(
            [sys.executable, "-c", INDEX_WRITER],
            cwd=ROOT,
            env=environment(settings),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    server = Server(settings, workers, log)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
        if writer is not None:
            writer.terminate()
            writer.wait(timeout=30)


def worker_serving(server: Server, client_port: int) -> int | None:
    """The gunicorn worker whose socket is connected to our `client_port`, if any yet."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote = fields[1], fields[2]
            if (
                int(local.rsplit(":", 1)[1], 16) == server.port
                and int(remote.rsplit(":", 1)[1], 16) == client_port
            ):
                inode = fields[9]
    if inode is None or inode == "0":
        return None
    for pid in server.workers():
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
        except (FileNotFoundError, PermissionError):
            continue
    return None


def photo(seed: int, size: tuple[int, int] = (640, 480)) -> bytes:
    """A JPEG whose bytes differ for every seed (so every upload is a file of its own)."""
    image = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256))
    image.putpixel((seed % size[0], 0), (255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def large_photo(megapixels: int = 16) -> bytes:
    """A noisy JPEG of several megabytes: long enough to stage and derive to be caught at it."""
    width = 4000
    height = megapixels * 1_000_000 // width
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()
