"""What every JSON resource shares: errors, arguments, pagination with links, conditional reads."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime

from flask import Response, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from memoire.core.errors import MemoireError
from memoire.core.schemas import whole_number
from memoire.extensions import db, limiter

#: Largest page a list answers with; harvests of everything go through exports or OAI-PMH.
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
#: What a response to a reader depends on besides its URL: who asks, and in which language.
VARY = "Authorization, Cookie, Accept-Language"
PROBLEM_JSON = "application/problem+json"


class Unauthorized(MemoireError):
    """No credentials, or credentials that are not (or no longer) valid."""

    code = "unauthorized"
    status = 401


class PayloadTooLarge(MemoireError):
    code = "payload_too_large"
    status = 413


class PreconditionFailed(MemoireError):
    """`If-Match` names a version that is not the current one any more."""

    code = "precondition_failed"
    status = 412


class TooManyRequests(MemoireError):
    code = "too_many_requests"
    status = 429


def setting(name: str, default):
    """A `MEMOIRE_<name>` setting, else `default` (the defaults live with the code reading them)."""
    config = current_app.config
    for key in (f"MEMOIRE_{name}", name):
        if key in config and config[key] is not None:
            return config[key]
    return default


def error_document(error: MemoireError) -> dict:
    """`{"error": {...}}` as the rest of the site answers, with the field at fault when known."""
    body = {"code": error.code, "message": str(error.message), "status": error.status}
    if error.field:
        body["field"] = error.field
    line = getattr(error, "line", None)
    if line is not None:
        body["line"] = line
    return {"error": body}


def error_response(error: MemoireError) -> Response:
    response = current_app.response_class(
        json.dumps(error_document(error), ensure_ascii=False),
        status=error.status,
        mimetype=PROBLEM_JSON,
    )
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="memoire"'
    return response


@dataclass
class Page:
    """One page of a list, with what clients need to walk the rest."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def links(self, endpoint: str, **args) -> dict[str, str | None]:
        """Absolute URLs of this, the next, the previous, the first and the last page."""
        kept = {k: v for k, v in request.args.items() if k not in {"page", "per_page"}}
        kept.update(args)

        def at(number: int) -> str:
            return url_for(endpoint, _external=True, **kept, page=number, per_page=self.per_page)

        return {
            "self": at(self.page),
            "first": at(1),
            "last": at(self.pages),
            "next": at(self.page + 1) if self.page < self.pages else None,
            "prev": at(self.page - 1) if self.page > 1 else None,
        }


def paginate(query: Select, *, page: int | None = None, per_page: int | None = None) -> Page:
    """Run `query` for the page asked in `?page=&per_page=`; the total counts the whole query."""
    page = page or whole_number(request.args, "page", 1, 1, 1_000_000)
    per_page = per_page or whole_number(request.args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items=items, total=total or 0, page=page, per_page=per_page)


def link_header(links: dict[str, str | None]) -> str:
    """RFC 8288 `Link` header from a links dict, for clients that read headers."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url and rel != "self")


def json_response(payload, *, status: int = 200, mimetype: str = "application/json") -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return current_app.response_class(body, status=status, mimetype=mimetype)


def conditional(response: Response, last_modified: datetime | None = None) -> Response:
    """Add an ETag (from the body) and Last-Modified, and answer 304 when the client is current.

    The ETag is a hash of exactly what this viewer receives, so two viewers who see
    different things never share one; the `Vary` header tells caches the same.
    """
    data = response.get_data()
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Vary"] = VARY
    response.headers.setdefault(
        "Cache-Control", "no-cache" if _anonymous() else "private, no-cache"
    )
    return response.make_conditional(request)


def _anonymous() -> bool:
    return not request.headers.get("Authorization") and not request.cookies


def latest(*moments: datetime | None) -> datetime | None:
    found = [m for m in moments if m is not None]
    return max(found) if found else None


def register(blueprint) -> None:
    """Answer the project's errors as JSON with their field, and say what responses vary on."""

    @blueprint.errorhandler(MemoireError)
    def _memoire_error(error: MemoireError):
        db.session.rollback()
        return error_response(error)

    @blueprint.errorhandler(429)
    def _too_many(_error):
        response = error_response(
            TooManyRequests(_l("Too many requests. Wait a moment and try again."))
        )
        # Harvesters pause for this long instead of guessing.
        limit = limiter.current_limit
        wait = int(limit.reset_at - time.time()) + 1 if limit is not None else 60
        response.headers["Retry-After"] = str(max(1, wait))
        return response

    @blueprint.after_request
    def _vary(response: Response) -> Response:
        response.headers.setdefault("Vary", VARY)
        return response
