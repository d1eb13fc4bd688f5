"""memoire: a collective-memory archive for the neighbourhoods of Hainaut."""

from memoire.app import create_app

__all__ = ["create_app"]
