"""The release stage of the build: detect, link and decorate sub-releases, and add the
release index page, releases.json and the release feed of each language."""

from __future__ import annotations

import zlib
from collections.abc import MutableMapping
from contextlib import nullcontext
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, Callable, Protocol

from sitegen.build.cache import digest
from sitegen.content.markdown.release_marks import has_marks, without_marks
from sitegen.errors import Diagnostics, SiteError
from sitegen.models import Page, Release
from sitegen.write.output import write_chunks
from sitegen.build.parallel import map_pages
from sitegen.releases.compare import infer_repo, inferred_repo_message, link_releases
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.decorate import decorate_release_headings
from sitegen.releases.detect import detect_releases
from sitegen.releases.outputs import (newest_first, release_feed_item, release_json_text, release_lastmod,
                                      releases_feed_chunks, releases_json_chunks)
from sitegen.releases.titles import add_post_releases, decorate_post_releases
from sitegen.site.assemble import LanguageSite, Site
from sitegen.site.urls import absolute_url, join_url

Lookup = Callable[[str, str], "str | None"]  # (lang, key) -> text or None
PackedItems = tuple[bytes, bytes]  # a page's release feed items and releases.json items (release_items)
DECORATE_BATCH = 1000  # pages per pool of the decoration pass


class Cache(Protocol):  # sitegen.build.cache.BuildCache
    def get(self, kind: str, key: str, expect: Any = object) -> Any | None: ...
    def put(self, kind: str, key: str, value: Any) -> None: ...


def release_config(site: Site, diagnostics: Diagnostics) -> ReleaseConfig:
    config = ReleaseConfig.from_params(site.config.params, str(site.config.config_file or "config.toml"))
    if config.enabled and not config.repo:
        repo = infer_repo([p for p in site.pages if p.source], config.forge_host)
        if repo:
            config = config.with_repo(repo)
            diagnostics.warn(inferred_repo_message(repo))
    return config


@dataclass
class AppliedReleases:
    """What apply_releases hands on besides the pages it changed."""

    keys: dict[int, str] = field(default_factory=dict)  # page id -> key over its releases (with a cache)
    items: dict[int, PackedItems] = field(default_factory=dict)  # page id -> its feed and JSON items (release_items)


def apply_releases(site: Site, config: ReleaseConfig, lookup: Lookup, diagnostics: Diagnostics,
                   cache: Cache | None = None, inputs: str = "", workers: int = 1,
                   detected_already: dict[int, Any] | None = None) -> AppliedReleases:
    """Find every page's releases, link them across the site, decorate their headings, and
    write each release's item of the release feed and releases.json.

    With a `cache` (get(kind, key) / put(kind, key, value)), detection and decoration are
    looked up per page by their inputs (`inputs`: the build's settings, templates and i18n
    tables). Detection and decoration run over `workers` forked processes. Returns, with a
    cache, a key per page (by id) over its releases, for caching what lists them.
    `detected_already` holds detect_states results by page id where they were made with
    the pages' rendering."""
    content_pages = [p for p in site.pages if p.source is not None and p.kind == "page"]
    settings = digest(inputs, repr(config))
    detected = {id(page): digest(settings, page.lang, page.source.path, page.body_line, page.title, page.rel_permalink,
                                 page.date, page.content, repr(page.headings), repr(page.front_matter))
                for page in content_pages} if cache else {}
    _find_releases(content_pages, config, diagnostics, cache, detected, workers, detected_already or {})
    add_post_releases(content_pages, config)
    link_releases([r for p in content_pages for r in p.releases], config)
    keys = {id(page): digest(detected[id(page)], *[_state(r)[8:] + (r.date,) for r in page.releases])
            for page in content_pages if page.releases} if cache else {}
    applied = AppliedReleases(keys)
    _decorate(content_pages, config, lookup, cache, applied, workers)
    for page in content_pages:  # marked for releases it turned out not to have (rules.release_headings)
        if not page.releases and has_marks(page.content):
            page.content = without_marks(page.content)
    if config.enabled:
        for lang in site.languages:
            lang.pages.append(_index_page(site, lang))
    return applied


def _find_releases(pages: list[Page], config: ReleaseConfig, diagnostics: Diagnostics, cache: Cache | None,
                   keys: dict[int, str], workers: int, detected_already: dict[int, Any]) -> None:
    """Set each page's releases: detected already, from the cache, or detected over the workers."""
    found = [detected_already[id(page)] if id(page) in detected_already else
             cache.get("releases", keys[id(page)], expect=_release_states) if cache else None for page in pages]
    todo = [page for page, states in zip(pages, found) if states is None]
    results = iter(map_pages(lambda page: detect_states(page, config), todo, workers))
    with _batch(cache):
        for page, states in zip(pages, found):
            made = states is None or id(page) in detected_already
            states = next(results) if states is None else states
            if isinstance(states, SiteError):
                diagnostics.error(states)
                continue
            if made and cache:
                cache.put("releases", keys[id(page)], states)
            page.releases = [Release(*state, page=page) for state in states]


def _decorate(pages: list[Page], config: ReleaseConfig, lookup: Lookup, cache: Cache | None,
              applied: AppliedReleases, workers: int) -> None:
    """Decorate the release headings of each page with releases and make its feed and JSON
    items (into `applied.items`), from the cache or over the workers."""
    with_releases = [page for page in pages if page.releases]
    found = [cache.get("decorated", applied.keys[id(page)], expect=_decorated) if cache else None
             for page in with_releases]
    todo = [page for page, decorated in zip(with_releases, found) if decorated is None]

    def decorate(page: Page) -> tuple[str, PackedItems]:
        translate = lambda key, lang=page.lang: lookup(lang, key)  # noqa: E731
        html = decorate_release_headings(page.content, page.releases, page.lang, translate, config, refs_linked=True)
        html = decorate_post_releases(html, page.releases, page.lang, translate, config)
        return html, release_items(page)

    # In batches: the parent holds a page's old and new content at once only for one batch.
    results = (result for start in range(0, len(todo), DECORATE_BATCH)
               for result in map_pages(decorate, todo[start:start + DECORATE_BATCH], workers))
    with _batch(cache):  # the workers decorating meanwhile write no entries
        for page, decorated in zip(with_releases, found):
            if decorated is None:
                decorated = next(results)
                if cache:
                    cache.put("decorated", applied.keys[id(page)], decorated)
            page.content, applied.items[id(page)] = decorated
            page.lastmod = release_lastmod(page) or page.lastmod


def _batch(cache: Cache | None):
    """The cache's puts in one transaction (sitegen.build.cache.BuildCache.batch), where it has one."""
    batch = getattr(cache, "batch", None)
    return batch() if batch is not None else nullcontext()


def _release_states(value: Any) -> bool:
    """The shape of a cached detect_states result."""
    size = len(fields(Release)) - 1  # all but its page
    return isinstance(value, list) and all(isinstance(state, tuple) and len(state) == size for state in value)


def _decorated(value: Any) -> bool:
    """The shape of a cached decoration: (html, (packed feed items, packed JSON items))."""
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)
            and isinstance(value[1], tuple) and len(value[1]) == 2 and all(isinstance(v, bytes) for v in value[1]))


def release_items(page: Page) -> PackedItems:
    """The page's items of the release feed and of releases.json, UTF-8, each list packed:
    NUL-separated (neither XML nor JSON text holds a raw NUL) and compressed, since a large
    site's items (160 MB at 10,000 posts) wait in memory until the files are written."""
    return (zlib.compress(b"\0".join(release_feed_item(r).encode("utf-8") for r in page.releases), 1),
            zlib.compress(b"\0".join(release_json_text(r).encode("utf-8") for r in page.releases), 1))


def _unpack(packed: PackedItems) -> tuple[list[bytes], list[bytes]]:
    return zlib.decompress(packed[0]).split(b"\0"), zlib.decompress(packed[1]).split(b"\0")


def detect_states(page: Page, config: ReleaseConfig) -> list[tuple] | SiteError:
    """The page's releases as plain tuples (they travel back from a worker without the page);
    its content was rendered by the build, references in release sections linked."""
    try:
        return [_state(r) for r in detect_releases(page, config, refs_linked=True)]
    except SiteError as error:
        return error


def _state(release: Release) -> tuple:
    """The release's fields but its page, in the order Release takes them."""
    return (release.version, release.heading_id, release.anchor, release.date, release.title, release.level,
            release.line, release.html, release.compare_url, release.previous)


def _index_page(site: Site, lang: LanguageSite) -> Page:
    page = Page(kind="releases", lang=lang.language.code, title="", section="releases")
    page.rel_permalink = join_url(lang.prefix, "releases")
    page.permalink = absolute_url(site.config.base_url, page.rel_permalink)
    page.output_path = page.rel_permalink.lstrip("/") + "index.html"
    page.releases = newest_first(r for p in lang.regular_pages for r in p.releases)
    page.pages = [p for p in lang.regular_pages if p.releases]
    return page


def release_outputs(site: Site, root: str, outputs: MutableMapping[str, bytes],
                    items: dict[int, PackedItems] | None = None) -> None:
    """releases.json and releases/index.xml per language, beside the release index, into
    `outputs` (streamed where it takes pieces: at 10,000 posts each is over 100 MB), from
    each page's `items` made by apply_releases (made here for a page missing there)."""
    items = items if items is not None else {}
    for lang in site.languages:
        index = next((p for p in lang.pages if p.kind == "releases"), None)
        if index is None:
            continue
        folder = index.rel_permalink.removeprefix(root).lstrip("/")
        title = f"{lang.language.title or site.config.title} – Releases"
        position = {id(release): number for page in index.pages for number, release in enumerate(page.releases)}
        pages = {id(page): page for page in index.pages}

        # Releases go newest first, so one page's releases mostly come together: a few
        # pages' items are unpacked at a time (1,024 pages: about 16 MB).
        @lru_cache(maxsize=1024)
        def unpacked(page_id: int) -> tuple[list[bytes], list[bytes]]:
            return _unpack(items.get(page_id) or release_items(pages[page_id]))

        write_chunks(outputs, folder + "index.xml", releases_feed_chunks(
            index.releases, title=title, link=index.permalink, feed_url=index.permalink + "index.xml",
            lang=lang.language.locale, item_xml=lambda r: unpacked(id(r.page))[0][position[id(r)]],
            limit=site.config.rss_limit))
        write_chunks(outputs, folder + "releases.json", releases_json_chunks(
            index.releases, item_text=lambda r: unpacked(id(r.page))[1][position[id(r)]]))
