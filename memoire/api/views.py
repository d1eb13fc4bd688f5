"""The JSON API blueprint; each resource module adds its routes to `bp`."""

from __future__ import annotations

import importlib

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: Resource modules, each adding routes to `bp` when imported.
RESOURCE_MODULES = [
    "memoire.api.stories",
    "memoire.api.search",
    "memoire.api.places",
    "memoire.api.maps",
    "memoire.api.exhibitions",
    "memoire.api.walks",
    "memoire.api.then_now",
    "memoire.api.responses",
    "memoire.api.transcripts",
    "memoire.api.network",
    "memoire.api.documentation",
]

for _name in RESOURCE_MODULES:
    importlib.import_module(_name)
