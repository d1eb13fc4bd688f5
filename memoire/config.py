"""Configuration defaults in one place; `MEMOIRE_*` environment variables override them."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

#: Every setting the archive reads, with its embedded-profile default.
DEFAULTS: dict[str, object] = {
    "HOME": "instance",  # SQLite database, search index, secret key, mail folder
    "MEDIA_DIR": "media",  # originals and derivatives, by SHA-256
    "DATABASE_URL": None,  # None: SQLite in HOME
    # PostgreSQL connections each process keeps open and reuses (their prepared statements
    # with them): a sync gunicorn worker needs one at a time, threads and the job worker more.
    "DB_POOL_SIZE": 5,
    "DB_MAX_OVERFLOW": 5,  # PostgreSQL connections opened beyond the pool at a peak, then closed
    "SECRET_KEY": None,  # None: generated once and kept in HOME
    "SEARCH": "whoosh",  # or "postgres"
    "INDEX_DIR": None,  # None: HOME/index
    # Apply index work right after the commit that recorded it (embedded profile).
    "INDEX_AFTER_COMMIT": True,
    # How long a request waits for the Whoosh writer lock before leaving the work pending.
    "INDEX_LOCK_TIMEOUT": 2.0,
    # Whether this process may write the Whoosh index. With several web workers, set it
    # false for them and run one `memoire worker` (the single writer).
    "INDEX_WRITER": True,
    # Processes a Whoosh writer analyses large runs with (a rebuild; a bulk import of
    # 2,000 stories or more, which hands its stories every 500 lines to one process
    # analysing beside it, when this is 2 or more); None: up to two, as the machine has
    # cores. 1: everything in the writing process. Whatever this says, a bulk import of
    # 2,000 lines or more also parses the transcripts of the lines ahead in a process of
    # its own (memoire.imports.readahead), used only for the very bytes the import reads.
    "INDEX_PROCS": None,
    # Job queue: "db" (a table, embedded default) or "rq" (Redis, REDIS_URL).
    "JOBS": "db",
    "REDIS_URL": None,  # Redis for JOBS=rq
    # Number of reverse proxies in front of the app (their X-Forwarded-* headers are trusted).
    "PROXIES": 0,
    "TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",  # map tiles
    "TILE_ATTRIBUTION": "© OpenStreetMap contributors",  # shown on maps
    # Public address for stable links and citations; None: the address each request came to
    # (so `memoire serve --port 5077` cites its own port). Set it behind a proxy or for HTTPS.
    "BASE_URL": None,
    # Secure (HTTPS-only) cookies; unset: on when BASE_URL is https.
    "SECURE_COOKIES": None,
    "DEFAULT_LOCALE": "fr",  # interface language by default
    "LOCALES": "fr,nl,en",  # interface languages offered
    # Intake limits.
    "MAX_FILE_BYTES": 1024 * 1024 * 1024,
    "MAX_STORY_BYTES": 2 * 1024 * 1024 * 1024,  # a story's files together
    "MAX_IMAGE_PIXELS": 64_000_000,  # decompression-bomb limit
    "ZIP_MAX_BYTES": 4 * 1024 * 1024 * 1024,  # ZIP imports, unpacked
    "ZIP_MAX_ENTRIES": 20_000,  # files in a ZIP import
    "THUMBNAIL_SIZE": 320,  # pixels, longest side
    "DISPLAY_SIZE": 1600,  # pixels, longest side of the browser copy
    # Recordings above this bitrate (bit/s) get a lighter streaming derivative.
    "MAX_STREAM_BITRATE": 192_000,
    "MAIL_DIR": None,  # None: HOME/mail (embedded profile writes e-mails there)
    "SMTP_HOST": None,  # unset: e-mails are written to MAIL_DIR
    "SMTP_PORT": 25,  # SMTP port
    "MAIL_FROM": "memoire@localhost",  # sender of e-mails
    "SMTP_USER": None,  # SMTP login
    "SMTP_PASSWORD": None,  # SMTP password
    "SMTP_STARTTLS": False,  # STARTTLS to the SMTP server
    # How long a signed preview link of a draft exhibition works (seconds).
    "EXHIBITION_PREVIEW_MAX_AGE": 7 * 24 * 3600,
    "API_RATE_LIMIT": "600/minute",  # per token
    "API_ANONYMOUS_RATE_LIMIT": "300/minute",  # per address, without a token
    "EXPORT_MAX_ROWS": 10_000,  # stories in one CSV/JSON export
    "OAI_PAGE_SIZE": 100,  # records per OAI-PMH page
    "OAI_REPOSITORY_ID": None,  # OAI identifier namespace; unset: the host of BASE_URL
    "ADMIN_EMAIL": None,  # OAI-PMH adminEmail; unset: MAIL_FROM
    "ARCHIVE_NAME": "Mémoire — Réseau Hainaut Solidaire",  # in pages, citations, e-mails
    # Named in bundles (bag-info.txt) and OAI-PMH Identify.
    "SOURCE_ORGANIZATION": "Réseau Hainaut Solidaire",
    "DEFAULT_LICENCE": "CC-BY-NC-4.0",  # for new stories
    "RATELIMIT_STORAGE_URI": "memory://",  # rate-limit counters (redis:// with workers)
    # How long a login lasts: the "keep me logged in" cookie, and the most any signed session
    # is accepted for (without it, the cookie also ends when the browser closes).
    "SESSION_DAYS": 14,
    "LOGIN_LOCK_AFTER": 8,  # failed logins before a lock
    "LOGIN_LOCK_MINUTES": 15,  # how long the lock lasts
    # Machine transcription (the `asr` extra): a faster-whisper model folder; unset, the
    # bundled multilingual base model joined under HOME/models on first use.
    "ASR_MODEL": None,
    "ASR_ENGINE": None,  # another engine as "module:factory"; unset: faster-whisper
    "ASR_THREADS": 0,  # CPU threads for the engine; 0: as many as the machine has
    "ASR_CHUNK_SECONDS": 600.0,  # audio recognised at a time (progress, memory)
}

_INT_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, int) and not isinstance(v, bool)}
_FLOAT_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, float)}
_BOOL_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, bool)}


def _coerce(key: str, raw: str) -> object:
    if key in _BOOL_KEYS:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if key in _INT_KEYS:
        return int(raw)
    if key in _FLOAT_KEYS:
        return float(raw)
    return raw


def load(overrides: dict | None = None, environ: dict | None = None) -> dict[str, object]:
    """Return the settings as Flask config keys (`MEMOIRE_*`), resolved to absolute paths."""
    environ = os.environ if environ is None else environ
    overrides = {k.removeprefix("MEMOIRE_"): v for k, v in (overrides or {}).items()}
    settings: dict[str, object] = {}
    for key, default in DEFAULTS.items():
        value = default
        env_value = environ.get(f"MEMOIRE_{key}")
        if env_value is not None:
            value = _coerce(key, env_value)
        if key in overrides:
            value = overrides[key]
        settings[key] = value

    home = Path(str(settings["HOME"])).resolve()
    settings["HOME"] = str(home)
    settings["MEDIA_DIR"] = str(Path(str(settings["MEDIA_DIR"])).resolve())
    settings["INDEX_DIR"] = str(Path(str(settings["INDEX_DIR"] or home / "index")).resolve())
    settings["MAIL_DIR"] = str(Path(str(settings["MAIL_DIR"] or home / "mail")).resolve())
    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = f"sqlite:///{home / 'memoire.sqlite3'}"
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = _persistent_secret(home)

    config = {f"MEMOIRE_{k}": v for k, v in settings.items()}
    # Flask and extension keys derived from ours, so there is one place to set things.
    config.update(
        SECRET_KEY=settings["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=settings["DATABASE_URL"],
        BABEL_DEFAULT_LOCALE=settings["DEFAULT_LOCALE"],
        MAX_CONTENT_LENGTH=int(settings["MAX_STORY_BYTES"]) + 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=_secure_cookies(settings),
        REMEMBER_COOKIE_SECURE=_secure_cookies(settings),
        REMEMBER_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(days=int(settings["SESSION_DAYS"])),
        RATELIMIT_STORAGE_URI=settings["RATELIMIT_STORAGE_URI"],
    )
    # Anything else passed explicitly (TESTING, WTF_CSRF_ENABLED...) goes through untouched.
    for key, value in overrides.items():
        if key not in DEFAULTS:
            config[key] = value
    return config


#: Where the archive says it lives when neither BASE_URL nor a request tells (the CLI).
FALLBACK_BASE_URL = "http://127.0.0.1:5000"


def public_base_url() -> str:
    """The archive's public address, without a trailing slash: MEMOIRE_BASE_URL when set,
    else the address of the request being served, else where `memoire serve` listens."""
    from flask import current_app, has_request_context, request

    configured = current_app.config.get("MEMOIRE_BASE_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return FALLBACK_BASE_URL


def _secure_cookies(settings: dict) -> bool:
    value = settings["SECURE_COOKIES"]
    if value is None:
        return str(settings["BASE_URL"] or "").startswith("https://")
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _persistent_secret(home: Path) -> str:
    """Generate the secret key once and keep it, so sessions survive restarts."""
    path = home / "secret_key"
    if path.exists():
        return path.read_text().strip()
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
