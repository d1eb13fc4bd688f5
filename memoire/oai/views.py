"""The OAI-PMH endpoint: GET and POST (form-encoded) requests, as the protocol requires."""

from __future__ import annotations

from flask import Blueprint, current_app, request, url_for

from memoire.oai.provider import respond

bp = Blueprint("oai", __name__, url_prefix="/oai")


@bp.route("", methods=["GET", "POST"])
def endpoint():
    """Every verb answers here; protocol errors are XML with HTTP 200, as OAI-PMH says."""
    source = request.form if request.method == "POST" else request.args
    pairs = [(name, value) for name in source for value in source.getlist(name)]
    body = respond(url_for("oai.endpoint", _external=True), pairs)
    response = current_app.response_class(body, mimetype="text/xml")
    response.headers["Content-Type"] = "text/xml; charset=utf-8"
    return response
