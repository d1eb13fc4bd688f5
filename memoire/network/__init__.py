"""Organisations, facilitators, workshops and method cards: the network behind the archive."""
