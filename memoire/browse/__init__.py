"""Browsing without searching: every memory by theme, by decade and by neighbourhood."""
