"""Walks (parcours): ordered stops through the territory, each a public story at its place."""
