"""On-site search: one JSON index per language, which the theme's search.js queries in the browser.

Written when `params.search.enable` is true, beside each language's home page, as the
LoveIt/FixIt themes do: `/index.json` for the default language, `/de/index.json` for
German (Hugo sites that list "JSON" in `outputs.home` publish the same URL). Each entry:

    {"title", "url", "date" (YYYY-MM-DD), "tags", "categories",
     "versions" (the post's sub-releases), "releaseDates", "releaseUrls" (each version's
     section, in the order of "versions"), "content" (plain text)}

The content is cut to `params.search.contentLength` characters (default 4000) at a word
boundary. Posts with `hiddenFromSearch: true` (LoveIt's key) or `private` are left out.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from sitegen.content.html_text import reader_text
from sitegen.models import Page
from sitegen.releases.outputs import release_url
from sitegen.site.assemble import Site

DEFAULT_CONTENT_LENGTH = 4000
INDEX_NAME = "index.json"


def search_settings(params: Mapping[str, Any]) -> dict[str, Any]:
    """`params.search` with lowercased keys ({} when absent or not a table)."""
    for key, value in params.items():
        if str(key).lower() == "search" and isinstance(value, Mapping):
            return {str(k).lower(): v for k, v in value.items()}
    return {}


def index_path(home: Page) -> str:
    """Output path of a language's index, beside its home page's index.html."""
    return home.output_path.removesuffix("index.html") + INDEX_NAME


def search_entry(page: Page, content_length: int) -> dict[str, Any]:
    releases = page.releases or []
    return {
        "title": page.title,
        "url": page.rel_permalink,
        "date": page.date.date().isoformat() if page.date else "",
        "tags": list(page.tags),
        "categories": list(page.categories),
        "versions": [release.version for release in releases],
        "releaseDates": [release.date.date().isoformat() for release in releases if release.date],
        "releaseUrls": [release_url(release, absolute=False) for release in releases],
        "content": cut_text(reader_text(str(page.plain or "")), content_length),
    }


def cut_text(text: str, length: int) -> str:
    if length <= 0 or len(text) <= length:
        return text
    cut = text[:length]
    space = cut.rfind(" ")
    return cut[:space] if space > length * 0.8 else cut


def is_searchable(page: Page) -> bool:
    params = page.params
    return page.kind == "page" and not params.get("hiddenfromsearch") and not params.get("private")


def search_index(pages: list[Page], content_length: int = DEFAULT_CONTENT_LENGTH) -> bytes:
    """The index of one language, newest first, as UTF-8 JSON."""
    chosen = sorted(
        (p for p in pages if is_searchable(p)),
        key=lambda p: (p.date.timestamp() if p.date else 0.0, p.rel_permalink),
        reverse=True,
    )
    entries = [search_entry(page, content_length) for page in chosen]
    return json.dumps(entries, ensure_ascii=False, indent=0).encode("utf-8")


def search_outputs(
    site: Site, language_params: Mapping[str, Mapping[str, Any]]
) -> dict[str, bytes]:
    """relpath -> index for each language whose (merged) params enable search."""
    outputs = {}
    for lang in site.languages:
        settings = search_settings(language_params.get(lang.language.code, site.config.params))
        if not settings.get("enable"):
            continue
        try:
            length = int(settings.get("contentlength", DEFAULT_CONTENT_LENGTH))
        except (TypeError, ValueError):
            length = DEFAULT_CONTENT_LENGTH
        outputs[index_path(lang.home)] = search_index(lang.regular_pages, length)
    return outputs
