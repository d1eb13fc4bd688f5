"""Error pages and JSON errors, in the visitor's language."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from memoire.core.errors import MemoireError


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/oai")


def _error_response(status: int, code: str, message: str):
    if _wants_json():
        response = jsonify({"error": {"code": code, "message": message, "status": status}})
        response.status_code = status
        response.headers["Content-Type"] = "application/problem+json"
        return response
    return render_template("errors/error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(MemoireError)
    def _memoire_error(error: MemoireError):
        return _error_response(error.status, error.code, str(error.message))

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
