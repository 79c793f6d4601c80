"""The output cache: which rendered files of a page or pager a build may use again, and the
key each is stored under (the page, the pages it shows, the site's shape, what else it read)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.build.cache import BuildCache, digest
from sitegen.build.destination import Published, Unpublished
from sitegen.build.reads import ReadIndex, Traced, note_moment_reads, page_ref, page_state
from sitegen.build.stage_map import KeyedStore
from sitegen.models import Page, Pager
from sitegen.render.recording import release_field
from sitegen.site.assemble import Site
from sitegen.write.published import live_files

if TYPE_CHECKING:
    from sitegen.render.renderer import Unit


class OutputStore(KeyedStore):
    """The render stage's Store: a unit's files, keyed by the page, the pages it lists (a
    pager: those on it), and the site's shape (every page's address and front matter: menus,
    neighbours, term lists and translations show them). A page's releases count by their key
    from apply_releases (the release index lists pages with releases). A page counts by
    everything it holds (page_state), so what a render reads of the pages in its key needs no
    note and is dropped as the result is sealed; whatever else it read (other pages' fields,
    the build date's parts) is kept with its files and checked against the current values
    (sitegen.build.reads).

    A unit the last written build published under the same key, whose reads read the same
    and whose files are still in the output as it left them, is taken from there
    (`published`: sitegen.build.destination keeps that build's list), without reading the
    cache. `units` lists what this build publishes, for the list the next build reads."""

    def __init__(
        self,
        site: Site,
        cache: BuildCache,
        inputs: str,
        release_keys: dict[int, str],
        now: datetime,
        published: Published | None = None,
    ):
        super().__init__(
            cache, "output", self._unit_key, expect=_output_files, index=ReadIndex(site.pages, now)
        )
        self.site, self.release_keys = site, release_keys
        self.inputs = inputs
        self.shape = digest(
            *[
                (
                    p.kind,
                    p.lang,
                    p.rel_permalink,
                    p.title,
                    p.date,
                    p.lastmod,
                    repr(p.front_matter),
                    len(p.pages),
                )
                for p in site.pages
            ]
        )
        self._own: dict[int, str] = {}
        self.published = published or Published(Path(), {})
        self.units: dict[str, Unpublished] = {}

    def get(self, unit: Unit) -> Any | None:
        key = self.key(unit)
        entry = self.published.units.get(key)
        if entry is not None and self.index.digest(entry.reads) == entry.digest:
            files = live_files(self.published.destination, entry.files)
            if files is not None:
                self.cache.note_used(
                    self.kind, key
                )  # the entry stays for a build without the output
                note_moment_reads(self.index.moment, entry.reads)
                self.units[key] = Unpublished(entry.reads, entry.digest, tuple(files))
                return files
        traced = self.cache.get(self.kind, key, expect=Traced)
        value = self.index.current(traced, expect=self.expect)
        if value is not None:
            self._note(key, traced)
        return value

    def put(self, unit: Unit, sealed: Any) -> None:
        super().put(unit, sealed)
        self._note(self.key(unit), sealed)

    def _note(self, key: str, traced: Traced) -> None:
        self.units[key] = Unpublished(traced.reads, traced.digest, tuple(traced.value))

    def seal(self, unit: Unit, files: dict[str, bytes], reads: frozenset | None) -> Any:
        keyed = {page_ref(page) for page in self.keyed_pages(*unit)}
        return super().seal(unit, files, [read for read in reads or () if read[0] not in keyed])

    def keyed_pages(self, page: Page, pager: Pager | None) -> list[Page]:
        """The pages whose whole state is in the unit's key."""
        if pager is not None:
            members = pager.pages
        elif page.kind == "releases":
            members = []  # what it reads of the release posts is traced (one field of a release at a time)
        else:
            members = (
                page.pages
                if page.kind != "home"
                else page.pages + self.site.language(page.lang).regular_pages
            )
        return [page, *members, *page.translations]

    def _unit_key(self, unit: Unit) -> str:
        page, pager = unit
        return digest(
            self.inputs,
            self.shape,
            pager.number if pager else "all",
            *[self._page_digest(keyed) for keyed in self.keyed_pages(page, pager)],
        )

    def _page_digest(self, page: Page) -> str:
        key = self._own.get(id(page))
        if key is None:
            state = release_index_state(page) if page.kind == "releases" else page_state(page)
            key = self._own[id(page)] = digest(state, self.release_keys.get(id(page), ""))
        return key


def output_store(
    site: Site,
    cache: BuildCache,
    inputs: str,
    release_keys: dict[int, str],
    now: datetime,
    published: Published | None = None,
) -> OutputStore | None:
    """The render stage's store, or None when the build keeps no cache (--ignoreCache)."""
    if not cache.enabled:
        return None
    return OutputStore(site, cache, inputs, release_keys, now, published)


def release_index_state(page: Page) -> str:
    """A digest of a release index page: its own fields, and of the releases and posts it
    lists only which they are, in order; what its render reads of each is traced, so an
    edit to a release post's text re-renders the index only where it shows the change."""
    listed = [(page_ref(release.page), release_field(release, "")) for release in page.releases]
    own = page_state(page, leaving_out=("releases", "pages"))
    return digest(own, listed, [page_ref(p) for p in page.pages])


def _output_files(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, bytes) for k, v in value.items()
    )
