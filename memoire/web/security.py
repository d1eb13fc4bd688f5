"""Security headers on every response: a CSP without inline script, no sniffing, no framing."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response


def _tile_sources(tile_url: str) -> str:
    parts = urlsplit(tile_url.replace("{s}", "a"))
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc
    if "{s}" in tile_url:
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}"


def content_security_policy(app: Flask) -> str:
    tiles = _tile_sources(app.config["MEMOIRE_TILE_URL"])
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        # Leaflet positions tiles and markers with style attributes.
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {tiles}".strip(),
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


def check_request() -> None:
    """Raise BadInput (a 400) when any query value, form field, multipart file name, the path
    or a JSON body holds what cannot be stored: every value of every key, not only the first."""
    from flask import request

    from memoire.core import inputs

    inputs.check_text(request.path)
    for key, value in request.args.items(multi=True):
        inputs.check_text(key, value)
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in request.form.items(multi=True):
            inputs.check_text(key, value)
        for key, upload in request.files.items(multi=True):
            inputs.check_text(key, upload.filename)
    if request.is_json and request.content_length != 0:
        try:
            # Parsed once here and cached: views reading get_json(silent=True) get this value.
            payload = request.get_json(silent=True)
        except RecursionError:
            raise inputs.too_deep() from None
        if payload is not None:
            inputs.check_value(payload)


def init_app(app: Flask) -> None:
    policy = content_security_policy(app)

    @app.before_request
    def _refuse_bad_input() -> None:
        """Every input of the request passes the one guard (memoire.core.inputs) before a view."""
        check_request()

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), microphone=(self), camera=(self)")
        return response
