"""The output cache: which rendered files of a page or pager a build may use again, and the
key each is stored under (the page, the pages it shows, the site's shape, what else it read)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from sitegen.build.cache import BuildCache, digest
from sitegen.build.reads import ReadIndex, Traced, page_ref, page_state
from sitegen.render.recording import release_field
from sitegen.models import Page, Pager
from sitegen.site.assemble import Site


def output_cache(site: Site, cache: BuildCache, inputs: str, release_keys: dict[int, str], now: datetime):
    """reuse(page, pager) and rendered(page, pager, files, reads) for render_site, keyed by the
    page, the pages it lists (a pager: those on it), and the site's shape (every page's address
    and front matter: menus, neighbours, term lists and translations show them). A page's
    releases count by their key from apply_releases (the release index lists pages with
    releases). A page counts by everything it holds (page_state), so what a render reads of
    the pages in its key needs no note; whatever else it read (other pages' fields, the build
    date's parts) is kept with its files and checked against the current values (sitegen.build.reads)."""
    if not cache.enabled:
        return None, None
    shape = digest(*[(p.kind, p.lang, p.rel_permalink, p.title, p.date, p.lastmod, repr(p.front_matter),
                      len(p.pages)) for p in site.pages])
    own: dict[int, str] = {}
    index = ReadIndex(site.pages, now)

    def page_digest(page: Page) -> str:
        key = own.get(id(page))
        if key is None:
            state = release_index_state(page) if page.kind == "releases" else page_state(page)
            key = own[id(page)] = digest(state, release_keys.get(id(page), ""))
        return key

    def keyed_pages(page: Page, pager: Pager | None) -> list[Page]:
        if pager is not None:
            members = pager.pages
        elif page.kind == "releases":
            members = []  # what it reads of the release posts is traced (one field of a release at a time)
        else:
            members = page.pages if page.kind != "home" else page.pages + site.language(page.lang).regular_pages
        return [page, *members, *page.translations]

    def key_of(page: Page, pager: Pager | None) -> str:
        return digest(inputs, shape, pager.number if pager else "all",
                      *[page_digest(keyed) for keyed in keyed_pages(page, pager)])

    def reuse(page: Page, pager: Pager | None) -> dict[str, bytes] | None:
        return index.current(cache.get("output", key_of(page, pager), expect=Traced), expect=_output_files)

    def rendered(page: Page, pager: Pager | None, files: dict[str, bytes], reads) -> None:
        keyed = {page_ref(p) for p in keyed_pages(page, pager)}
        cache.put("output", key_of(page, pager), index.trace(files, [read for read in reads if read[0] not in keyed]))

    return reuse, rendered


def release_index_state(page: Page) -> str:
    """A digest of a release index page: its own fields, and of the releases and posts it
    lists only which they are, in order; what its render reads of each is traced, so an
    edit to a release post's text re-renders the index only where it shows the change."""
    listed = [(page_ref(release.page), release_field(release, "")) for release in page.releases]
    return digest(*[getattr(page, name) for name in _OWN_FIELDS], listed, [page_ref(p) for p in page.pages])


_OWN_FIELDS = tuple(f.name for f in dataclasses.fields(Page) if f.name not in ("releases", "pages"))


def _output_files(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, bytes) for k, v in value.items())
