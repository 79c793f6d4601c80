"""The release stage of the build, as values: each page's releases detected, linked across
the site and decorated, the release index page of each language, and the files of
releases.json and the release feed. Pure functions over pages; the build (build/
releases_stage.py) decides what it takes from its cache, runs them over its workers and
writes what they return."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from functools import lru_cache
from typing import Any

from sitegen.content.markdown.release_marks import has_marks, without_marks
from sitegen.errors import Diagnostics, SiteError
from sitegen.models import Page, Release
from sitegen.releases.compare import infer_repo, inferred_repo_message, link_releases
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.decorate import decorate_release_headings
from sitegen.releases.detect import detect_releases
from sitegen.releases.outputs import (newest_first, release_feed_item, release_json_text, release_lastmod,
                                      releases_feed_chunks, releases_json_chunks)
from sitegen.releases.titles import add_post_releases, decorate_post_releases
from sitegen.site.assemble import LanguageSite, Site
from sitegen.site.urls import absolute_url, base_path, join_url, output_path

Lookup = Callable[[str, str], "str | None"]  # (lang, key) -> text or None
PackedItems = tuple[bytes, bytes]  # a page's release feed items and releases.json items (release_items)
Decorated = tuple[str, PackedItems]  # a page's decorated content and its packed items


def release_config(site: Site, diagnostics: Diagnostics) -> ReleaseConfig:
    config = ReleaseConfig.from_params(site.config.params, str(site.config.config_file or "config.toml"))
    if config.enabled and not config.repo:
        repo = infer_repo([p for p in site.pages if p.source], config.forge_host)
        if repo:
            config = config.with_repo(repo)
            diagnostics.warn(inferred_repo_message(repo))
    return config


def release_pages(site: Site) -> list[Page]:
    """The pages that can hold releases: the content files' regular pages."""
    return [p for p in site.pages if p.source is not None and p.kind == "page"]


# ---------------------------------------------------------------- detection (per page)

def detect_states(page: Page, config: ReleaseConfig) -> list[tuple] | SiteError:
    """The page's releases as plain tuples (they travel back from a worker without the page);
    its content was rendered by the build, release headings marked, references linked."""
    try:
        return [_state(r) for r in detect_releases(page, config, refs_linked=True)]
    except SiteError as error:
        return error


def _state(release: Release) -> tuple:
    """The release's fields but its page, in the order Release takes them."""
    return (release.version, release.heading_id, release.anchor, release.date, release.title, release.level,
            release.line, release.html, release.compare_url, release.previous)


def is_release_states(value: Any) -> bool:
    """The shape of a detect_states result (e.g. one the build kept)."""
    size = len(fields(Release)) - 1  # all but its page
    return isinstance(value, list) and all(isinstance(state, tuple) and len(state) == size for state in value)


def take_releases(page: Page, states: list[tuple]) -> None:
    page.releases = [Release(*state, page=page) for state in states]


# ---------------------------------------------------------------- across the site

def link_site_releases(pages: list[Page], config: ReleaseConfig) -> None:
    """Posts that are one release get theirs, then every release its predecessor."""
    add_post_releases(pages, config)
    link_releases([r for p in pages for r in p.releases], config)


def linked_parts(page: Page) -> list[tuple]:
    """What linking across the site gave the page's releases (for a key over its decoration)."""
    return [_state(r)[8:] + (r.date,) for r in page.releases]


# ---------------------------------------------------------------- decoration (per page)

def decorate_page(page: Page, config: ReleaseConfig, lookup: Lookup) -> Decorated:
    """The page's content with its release headings decorated, and its feed and JSON items."""
    translate = lambda key, lang=page.lang: lookup(lang, key)  # noqa: E731
    html = decorate_release_headings(page.content, page.releases, page.lang, translate, config, refs_linked=True)
    html = decorate_post_releases(html, page.releases, page.lang, translate, config)
    return html, release_items(page)


def is_decorated(value: Any) -> bool:
    """The shape of a decorate_page result: (html, (packed feed items, packed JSON items))."""
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)
            and isinstance(value[1], tuple) and len(value[1]) == 2 and all(isinstance(v, bytes) for v in value[1]))


def take_decoration(page: Page, decorated: Decorated) -> PackedItems:
    """Give the page its decorated content and the lastmod its releases imply; its items."""
    page.content = decorated[0]
    page.lastmod = release_lastmod(page) or page.lastmod
    return decorated[1]


def drop_marks(pages: Iterable[Page]) -> None:
    """Pages marked for releases they turned out not to have (a post announcing a version
    another post releases) lose the marks (content.markdown.release_marks)."""
    for page in pages:
        if not page.releases and has_marks(page.content):
            page.content = without_marks(page.content)


def release_items(page: Page) -> PackedItems:
    """The page's items of the release feed and of releases.json, UTF-8, each list packed:
    NUL-separated (neither XML nor JSON text holds a raw NUL) and compressed, since a large
    site's items wait in memory until the files are written."""
    return (zlib.compress(b"\0".join(release_feed_item(r).encode("utf-8") for r in page.releases), 1),
            zlib.compress(b"\0".join(release_json_text(r).encode("utf-8") for r in page.releases), 1))


def _unpack(packed: PackedItems) -> tuple[list[bytes], list[bytes]]:
    return zlib.decompress(packed[0]).split(b"\0"), zlib.decompress(packed[1]).split(b"\0")


# ---------------------------------------------------------------- the index and its files

def add_index_pages(site: Site, config: ReleaseConfig) -> None:
    """The release index page of each language (when releases are on)."""
    if config.enabled:
        for lang in site.languages:
            lang.pages.append(_index_page(site, lang))


def _index_page(site: Site, lang: LanguageSite) -> Page:
    page = Page(kind="releases", lang=lang.language.code, title="", section="releases")
    page.rel_permalink = join_url(lang.prefix, "releases")
    page.permalink = absolute_url(site.config.base_url, page.rel_permalink)
    page.output_path = output_path(page.rel_permalink, base_path(site.config.base_url))
    page.releases = newest_first(r for p in lang.regular_pages for r in p.releases)
    page.pages = [p for p in lang.regular_pages if p.releases]
    return page


def release_files(site: Site, items: dict[int, PackedItems] | None = None
                  ) -> Iterator[tuple[str, Iterator[bytes]]]:
    """(output path, its bytes piece by piece) of releases.json and releases/index.xml per
    language, beside the release index (pieces: at 10,000 posts each is large), from each
    page's `items` (by page id) made with its decoration (made here for a page missing there).
    Consume each file's pieces before asking for the next file."""
    items = items if items is not None else {}
    for lang in site.languages:
        index = next((p for p in lang.pages if p.kind == "releases"), None)
        if index is not None:
            yield from _language_files(site, lang, index, items)


def _language_files(site: Site, lang: LanguageSite, index: Page, items: dict[int, PackedItems]
                    ) -> list[tuple[str, Iterator[bytes]]]:
    folder = index.output_path.removesuffix("index.html")
    title = f"{lang.language.title or site.config.title} – Releases"
    position = {id(release): number for page in index.pages for number, release in enumerate(page.releases)}
    pages = {id(page): page for page in index.pages}

    # Releases go newest first, so one page's releases mostly come together: a few pages'
    # items are unpacked at a time.
    @lru_cache(maxsize=1024)
    def unpacked(page_id: int) -> tuple[list[bytes], list[bytes]]:
        return _unpack(items.get(page_id) or release_items(pages[page_id]))

    feed = releases_feed_chunks(
        index.releases, title=title, link=index.permalink, feed_url=index.permalink + "index.xml",
        lang=lang.language.locale, item_xml=lambda r: unpacked(id(r.page))[0][position[id(r)]],
        limit=site.config.rss_limit)
    json = releases_json_chunks(index.releases, item_text=lambda r: unpacked(id(r.page))[1][position[id(r)]])
    return [(folder + "index.xml", feed), (folder + "releases.json", json)]
