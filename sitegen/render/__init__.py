"""Rendering: templates, theme partials, per-language views, i18n, then pages, feeds, sitemaps
and the search index as output files (`renderer.py`, `site_files.py`). Pure: build/ decides
what is cached, runs it over workers and writes the files."""
