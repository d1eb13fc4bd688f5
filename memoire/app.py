"""The application factory."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from werkzeug.routing import IntegerConverter

from memoire import config as memoire_config
from memoire.core.db import MAX_ID
from memoire.extensions import babel, csrf, db, limiter, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR.parent / "migrations"

#: Domains with web views; each has `views.py` defining `bp`.
BLUEPRINT_MODULES = [
    "memoire.web.views",
    "memoire.stories.views",
    "memoire.stories.near",
    "memoire.places.views",
    "memoire.media.views",
    "memoire.search.views",
    "memoire.maps.views",
    "memoire.accounts.views",
    "memoire.contributions.views",
    "memoire.contributions.withdrawal",
    "memoire.moderation.views",
    "memoire.exhibitions.views",
    "memoire.walks.views",
    "memoire.then_now.views",
    "memoire.admin.views",
    "memoire.oai.views",
    "memoire.api.views",
    "memoire.stories.citation",
    "memoire.api.tokens_views",
    "memoire.jobs.views",
    "memoire.network.views",
    "memoire.asr.views",
    "memoire.transcripts.views",
    "memoire.notifications.views",
    "memoire.browse.views",
]

#: Domains with commands; each has `cli.py` defining `commands`, a list of click commands.
CLI_MODULES = [
    "memoire.core.cli",
    "memoire.accounts.cli",
    "memoire.imports.cli",
    "memoire.search.cli",
    "memoire.places.cli",
    "memoire.media.cli",
    "memoire.exhibitions.cli",
    "memoire.preservation.cli",
    "memoire.jobs.cli",
    "memoire.privacy.cli",
    "memoire.asr.cli",
    "memoire.network.cli",
    "memoire.transcripts.cli",
]


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` ids that fit a database integer: a larger number is a 404, not an overflow."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def create_app(config: dict | None = None) -> Flask:
    """Build the archive's WSGI app; `config` overrides defaults and `MEMOIRE_*` variables."""
    settings = memoire_config.load(config)
    app = Flask(__name__, instance_path=settings["MEMOIRE_HOME"], instance_relative_config=False)
    app.config.update(settings)
    app.url_map.converters["int"] = DatabaseIntConverter
    Path(app.config["MEMOIRE_HOME"]).mkdir(parents=True, exist_ok=True)

    _init_database(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    babel.init_app(app, locale_selector=_select_locale, default_translation_directories="translations")
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    csrf.init_app(app)
    limiter.init_app(app)

    from memoire.core.storage import LocalStorage

    storage = LocalStorage(app.config["MEMOIRE_MEDIA_DIR"])
    app.extensions["memoire.storage"] = storage

    import memoire.maps.points  # noqa: F401  (public map points kept on every flush)
    import memoire.models  # noqa: F401  (the whole schema, for SQLAlchemy and Alembic)
    import memoire.search.tracking  # noqa: F401  (index work recorded on every flush)

    for name in BLUEPRINT_MODULES:
        app.register_blueprint(importlib.import_module(name).bp)
    # Programs authenticate with bearer tokens, not cookies: CSRF does not apply there.
    csrf.exempt(importlib.import_module("memoire.api.views").bp)
    csrf.exempt(importlib.import_module("memoire.oai.views").bp)
    for name in CLI_MODULES:
        for command in importlib.import_module(name).commands:
            app.cli.add_command(command)

    from memoire.web import templating

    templating.init_app(app)
    if int(app.config["MEMOIRE_PROXIES"]):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["MEMOIRE_PROXIES"])
        # Behind a proxy every client would otherwise have the proxy's address (rate limits).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from memoire.core import transaction
    from memoire.web import errors, security

    transaction.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


def _init_database(app: Flask) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        # WAL lets readers go on while a writer commits; the busy timeout makes
        # concurrent writers wait instead of failing at once.
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 30}})
    elif url.startswith("postgresql"):
        # A sized pool per process: connecting costs more than most searches, and psycopg
        # keeps a connection's prepared statements only as long as the connection lives.
        app.config.setdefault(
            "SQLALCHEMY_ENGINE_OPTIONS",
            {
                "pool_size": int(app.config["MEMOIRE_DB_POOL_SIZE"]),
                "max_overflow": int(app.config["MEMOIRE_DB_MAX_OVERFLOW"]),
                # Not pre-pinged (a round trip per request); recycled before servers or
                # firewalls drop idle connections.
                "pool_recycle": 1800,
            },
        )
    db.init_app(app)
    if url.startswith("sqlite"):
        from sqlalchemy import event

        with app.app_context():
            engine = db.engine

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_connection, _record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                # Erasure must not leave deleted text in free pages of the file.
                cursor.execute("PRAGMA secure_delete=ON")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.close()


_LANG_FILTER_PATHS = ("/api/v1/search", "/api/v1/stories", "/api/v1/exports", "/api/v1/map.geojson")


def _select_locale() -> str:
    if not has_request_context():  # CLI commands and jobs speak the archive's default language
        return current_app.config["MEMOIRE_DEFAULT_LOCALE"]
    supported = [code.strip() for code in str(current_app.config["MEMOIRE_LOCALES"]).split(",")]
    # Where `lang` filters stories by their language (the spec's search and list APIs),
    # it does not switch the interface language.
    wanted = None if request.path.startswith(_LANG_FILTER_PATHS) else request.args.get("lang")
    if wanted in supported:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in supported:
        return session["lang"]
    from flask_login import current_user

    if getattr(current_user, "is_authenticated", False) and current_user.locale in supported:
        return current_user.locale
    return request.accept_languages.best_match(supported) or supported[0]
