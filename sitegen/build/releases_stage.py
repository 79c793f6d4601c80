"""The release stage run by the build: what sitegen.releases.stage's functions make, taken
from the build cache where it holds them, made over the workers where not, handed back as
new bodies by page (the build hands them on: sitegen.build.content_stage.hand_on), and
written to the outputs. The one place that knows the release stage's cache keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sitegen.build.cache import BuildCache, code_fingerprint, digest
from sitegen.build.spool import Spool
from sitegen.build.stage_map import KeyedStore, Made, stage_map
from sitegen.errors import Diagnostics, SiteError
from sitegen.models import Page, Release, Rendered
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.outputs import release_json_text, releases_json_chunks
from sitegen.releases.stage import (
    Lookup,
    decorate_page,
    decorated,
    detect_states,
    is_release_states,
    link_site_releases,
    linked_parts,
    release_pages,
    releases_of,
    without_release_marks,
)
from sitegen.render.feeds import release_feed_chunks, release_feed_item
from sitegen.site.assemble import LanguageSite, Site
from sitegen.write.output import write_chunks

PackedItems = tuple[
    bytes, bytes
]  # a page's release feed items and releases.json items (release_items)
Decorated = tuple[bytes, PackedItems]  # a page's decorated content and its items, packed

DECORATE_BATCH = 1000  # pages per pool of the decoration pass


@dataclass
class AppliedReleases:
    """What apply_releases made: the pages' new bodies, and what the outputs take from them."""

    bodies: dict[int, Rendered] = field(
        default_factory=dict
    )  # page id -> its new body: decorated, with its releases, or without release marks
    keys: dict[int, str] = field(
        default_factory=dict
    )  # page id -> key over its releases (with a cache)
    items: Spool = field(default_factory=Spool)  # page id -> its feed and JSON items, on disk


def apply_releases(
    site: Site,
    config: ReleaseConfig,
    lookup: Lookup,
    diagnostics: Diagnostics,
    cache: BuildCache | None = None,
    i18n: str = "",
    workers: int = 1,
    detected_already: dict[int, Any] | None = None,
    take_body: Callable[[Page, Rendered], None] | None = None,
) -> AppliedReleases:
    """Find every page's releases, link them across the site, decorate their headings and
    make each page's items of the release feed and releases.json; the pages are left as they
    are, their new bodies returned.

    With a `cache`, detection is looked up per page by the page and the release settings,
    decoration also by what else it reads: `i18n` (a digest of the tables `lookup` reads), the
    page's permalink (the base URL) and what linking gave its releases; they run over
    `workers` forked processes. Returns, with a cache, a key per page (by id) over its releases, for
    caching what lists them. `detected_already` holds detect_states results by page id
    where they were made with the pages' rendering. `take_body(page, body)`, where given,
    takes each new body as soon as it is made, instead of `bodies` (the build hands it on to
    the page there and then, so that a large site's old and new content are held together
    for one chunk of the decoration only, not for every page)."""
    pages = release_pages(site)
    # Decoration reads the i18n tables and the base URL besides what detection reads (no
    # template, nor the rest of the config), so a change of e.g. the site's title decorates
    # no release again.
    decoration = digest(code_fingerprint(), repr(config), i18n) if cache else ""
    detected = _detection_keys(pages, config) if cache else {}
    found = _find_releases(
        pages, config, diagnostics, cache, detected, workers, detected_already or {}
    )
    link_site_releases(pages, found, config)
    keys = (
        {
            id(page): digest(
                decoration, detected[id(page)], page.permalink, *linked_parts(found[id(page)])
            )
            for page in pages
            if found[id(page)]
        }
        if cache
        else {}
    )
    applied = AppliedReleases(keys=keys)
    take = take_body or (lambda page, body: applied.bodies.update({id(page): body}))
    _decorate(pages, found, config, lookup, cache, applied, workers, take)
    for page in pages:
        if not found[id(page)] and (body := without_release_marks(page)) is not None:
            take(page, body)
    return applied


def _detection_keys(pages: list[Page], config: ReleaseConfig) -> dict[int, str]:
    """The key of each page's detection, by page id. Detection reads only the page and the
    release settings (no template, i18n table or other config), so a change of e.g. the
    site's title finds no release again."""
    detection = digest(code_fingerprint(), repr(config))
    return {
        id(page): digest(
            detection,
            page.lang,
            page.source.path,
            page.body_line,
            page.title,
            page.rel_permalink,
            page.date,
            page.rendered.packed_content,  # packed: no need to unpack it
            repr(page.headings),
            repr(page.front_matter),
        )
        for page in pages
    }


def _find_releases(
    pages: list[Page],
    config: ReleaseConfig,
    diagnostics: Diagnostics,
    cache: BuildCache | None,
    keys: dict[int, str],
    workers: int,
    detected_already: dict[int, Any],
) -> dict[int, list[Release]]:
    """Each page's releases by page id: detected already with the pages' rendering (kept in
    the cache here), else from the cache or detected over the workers."""
    store = (
        KeyedStore(cache, "releases", key=lambda page: keys[id(page)], expect=is_release_states)
        if cache
        else None
    )
    rest = [page for page in pages if detected_already.get(id(page)) is None]
    made = dict(
        zip(
            map(id, rest),
            stage_map(rest, lambda page: _detected(detect_states(page, config)), workers, store),
            strict=True,
        )
    )
    found: dict[int, list[Release]] = {}
    with store.batch() if store else nullcontext():
        for page in pages:
            result = made[id(page)] if id(page) in made else _detected(detected_already[id(page)])
            diagnostics.errors.extend(result.errors)
            found[id(page)] = [] if result.errors else releases_of(page, result.value)
            if store and id(page) not in made and not result.errors:
                store.put(page, result.value)
    return found


def _detected(states: list[tuple] | SiteError) -> Made:
    return Made(errors=[states]) if isinstance(states, SiteError) else Made(states)


def _decorate(
    pages: list[Page],
    found: dict[int, list[Release]],
    config: ReleaseConfig,
    lookup: Lookup,
    cache: BuildCache | None,
    applied: AppliedReleases,
    workers: int,
    take: Callable[[Page, Rendered], None],
) -> None:
    """Each page with releases decorated (its new body to `take`) and its feed and JSON
    items (in `applied.items`), from the cache or over the workers."""
    with_releases = [page for page in pages if found[id(page)]]
    store = (
        KeyedStore(
            cache, "decorated", key=lambda page: applied.keys[id(page)], expect=_is_decorated
        )
        if cache
        else None
    )

    def decorate(page: Page) -> Made:
        releases = found[id(page)]
        return Made((decorate_page(page, releases, config, lookup), release_items(releases)))

    # In chunks: the parent holds a page's old and new content at once only for one chunk.
    made = stage_map(with_releases, decorate, workers, store, chunk=DECORATE_BATCH)
    for page, result in zip(with_releases, made, strict=True):
        take(page, decorated(page, result.value[0], found[id(page)]))
        applied.items[id(page)] = result.value[1]


def _is_decorated(value: Any) -> bool:
    """The shape of a kept decoration: (packed html, (packed feed items, packed JSON items))."""
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], bytes)
        and isinstance(value[1], tuple)
        and len(value[1]) == 2
        and all(isinstance(v, bytes) for v in value[1])
    )


def release_items(releases: Sequence[Release]) -> PackedItems:
    """A page's items of the release feed and of releases.json, UTF-8, each list packed
    NUL-separated (neither XML nor JSON text holds a raw NUL); a large site's items wait in
    a Spool until the files are written."""
    return (
        b"\0".join(release_feed_item(r).encode("utf-8") for r in releases),
        b"\0".join(release_json_text(r).encode("utf-8") for r in releases),
    )


def _unpack(packed: Sequence[bytes]) -> tuple[list[bytes], list[bytes]]:
    return packed[0].split(b"\0"), packed[1].split(b"\0")


def release_outputs(
    site: Site, outputs: MutableMapping[str, bytes], items: Spool | None = None
) -> None:
    """releases.json and releases/index.xml per language, beside the release index, into
    `outputs` (streamed where it takes pieces: at 10,000 posts each is large), from each
    page's `items` made by apply_releases (made here for a page missing there)."""
    items = items if items is not None else Spool()
    for lang in site.languages:
        index = next((p for p in lang.pages if p.kind == "releases"), None)
        if index is not None:
            for rel, chunks in _language_files(site, lang, index, items):
                write_chunks(outputs, rel, chunks)


def _language_files(
    site: Site, lang: LanguageSite, index: Page, items: Spool
) -> list[tuple[str, Iterator[bytes]]]:
    folder = index.output_path.removesuffix("index.html")
    title = f"{lang.language.title or site.config.title} – Releases"
    position = {
        id(release): number for page in index.pages for number, release in enumerate(page.releases)
    }
    pages = {id(page): page for page in index.pages}

    # Releases go newest first, so one page's releases mostly come together: a few pages'
    # items are unpacked at a time.
    @lru_cache(maxsize=1024)
    def unpacked(page_id: int) -> tuple[list[bytes], list[bytes]]:
        return _unpack(items.get(page_id) or release_items(pages[page_id].releases))

    feed = release_feed_chunks(
        index.releases,
        title=title,
        link=index.permalink,
        feed_url=index.permalink + "index.xml",
        lang=lang.language.locale,
        item_xml=lambda r: unpacked(id(r.page))[0][position[id(r)]],
        limit=site.config.rss_limit,
    )
    json = releases_json_chunks(
        index.releases, item_text=lambda r: unpacked(id(r.page))[1][position[id(r)]]
    )
    return [(folder + "index.xml", feed), (folder + "releases.json", json)]
