"""Rendering: templates, theme partials, per-language views, i18n, then pages, feeds, sitemaps
and the search index as output files (`renderer.py`)."""
