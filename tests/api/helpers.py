"""Helpers shared by the API, export and OAI tests: tokens, and checks against the OpenAPI description."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from memoire.extensions import db

SPEC_URI = "urn:memoire:openapi"


def token_for(user, name: str = "test") -> str:
    """A personal token for `user`, committed; returns the secret to send."""
    from memoire.accounts.operations import create_token

    _token, secret = create_token(None, user, name)
    db.session.commit()
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@cache
def _registry() -> Registry:
    from memoire.api.openapi import spec

    SPEC = spec()

    return Registry().with_resource(
        SPEC_URI, Resource.from_contents(SPEC, default_specification=DRAFT202012)
    )


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def template_for(path: str) -> str:
    """The documented path template a concrete `/api/v1/...` path falls under."""
    from memoire.api.openapi import spec

    SPEC = spec()

    relative = urlsplit(path).path.removeprefix("/api/v1")
    matches = []
    for template in SPEC["paths"]:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, relative):
            matches.append(template)
    assert matches, f"{relative} is not documented"
    # The most literal template wins (/stories/{id}/citation before /stories/{id}).
    return max(matches, key=lambda t: len(re.sub(r"\{[^}]+\}", "", t)))


def assert_documented(response, path: str, method: str = "get") -> None:
    """The response's status is documented for this operation and its body matches the schema."""
    from memoire.api.openapi import spec

    SPEC = spec()

    template = template_for(path)
    operation = SPEC["paths"][template][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method.upper()} {template} does not document {status}"
    )
    documented = operation["responses"][status]
    content = documented.get("content")
    if "$ref" in documented:
        name = documented["$ref"].rsplit("/", 1)[1]
        content = SPEC["components"]["responses"][name].get("content")
    if not content or response.status_code == 304:
        return
    mime = response.mimetype
    assert mime in content, f"{method.upper()} {template} {status} does not document {mime}"
    if "json" not in mime:
        return
    response_ref = documented.get("$ref")
    if response_ref:
        pointer = response_ref.removeprefix("#") + "/" + _pointer("content", mime, "schema")
    else:
        pointer = "/" + _pointer(
            "paths", template, method.lower(), "responses", status, "content", mime, "schema"
        )
    validator = Draft202012Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=_registry())
    errors = sorted(validator.iter_errors(response.get_json()), key=lambda e: list(e.absolute_path))
    assert not errors, f"{method.upper()} {path} {status}: " + "; ".join(
        f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]
    )
