"""Error pages and JSON errors, in the visitor's language."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

from memoire.core.errors import MemoireError


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/oai")


def _error_response(status: int, code: str, message: str):
    if _wants_json():
        response = jsonify({"error": {"code": code, "message": message, "status": status}})
        response.status_code = status
        response.headers["Content-Type"] = "application/problem+json"
        return response
    try:
        return render_template("errors/error.html", status=status, message=message), status
    except Exception:  # the page of an error must show even when the database is what failed
        current_app.logger.exception("error page %s could not be rendered", status)
        return _plain_page(status, message)


def _plain_page(status: int, message: str) -> Response:
    """An error page that needs nothing: no database, no template, no current user."""
    body = (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{status}</title></head>'
        f"<body><h1>{status}</h1><p>{escape(message)}</p><p><a href=\"/\">memoire</a></p></body></html>"
    )
    return Response(body, status=status, mimetype="text/html")


def _release_session() -> None:
    """Roll back the request's database session: after a failed flush it refuses every query
    (PendingRollbackError), and the error page reads the current user through it."""
    from memoire.extensions import db

    try:
        db.session.rollback()
    except Exception:
        current_app.logger.exception("rollback after an error failed")


SERVER_ERROR = "Something went wrong on our side. Please try again later."


def init_app(app: Flask) -> None:
    @app.errorhandler(MemoireError)
    def _memoire_error(error: MemoireError):
        return _error_response(error.status, error.code, str(error.message))

    @app.errorhandler(InternalServerError)
    def _server_error(_error: InternalServerError):
        _release_session()
        try:
            message = _("Something went wrong on our side. Please try again later.")
        except Exception:  # choosing the language can read the current user from the database
            message = SERVER_ERROR
        return _error_response(500, "internal_server_error", message)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        messages = {
            404: _("This page does not exist, or is not public."),
            403: _("You may not do this."),
            400: _("The request could not be understood."),
            413: _("The file is too large."),
            429: _("Too many attempts. Please wait a moment and try again."),
            405: _("This method is not allowed here."),
        }
        message = messages.get(error.code or 500, error.description or "")
        code = (error.name or "error").lower().replace(" ", "_")
        return _error_response(error.code or 500, code, str(message))
