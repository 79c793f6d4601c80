"""What a render read, for the cache: the reads `sitegen.render.recording` recorded, as plain
references to store with a cached value and check when it is used again.

Rather than list in the cache keys everything a template or shortcode might show of other
pages and of the build date, each render is recorded as it runs (`recording()`). A cached
result is stored with its reads and a digest of their values (`Traced`); it is used again
only while those values digest the same (`ReadIndex.current`), so a cached render is one that
would come out the same.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Collection, Iterable

from sitegen.build.cache import digest
from sitegen.build.uptodate import moment_part, now_utc
from sitegen.models import Page, Rendered
from sitegen.render.recording import (
    BUILD,
    RELEASE_FIELD,
    SITE,
    WHOLE,
    BuildMoment,
    as_moment,
)


def as_refs(reads: Iterable) -> frozenset[tuple[str, str]]:
    """Recorded reads as plain (reference, field) strings, to send or store."""
    refs: dict[int, str] = {}
    out = set()
    for obj, field in reads:
        if type(obj) is str:  # BUILD or a site view's reference
            out.add((obj, field))
            continue
        ref = refs.get(id(obj))
        if ref is None:
            ref = refs[id(obj)] = page_ref(obj)
        out.add((ref, field))
    return frozenset(out)


def page_ref(page: Page) -> str:
    source = str(page.source.rel) if page.source is not None else ""
    return "\0".join((page.kind, page.lang, page.rel_permalink, source, page.term, page.taxonomy))


def note_moment_reads(moment: BuildMoment, refs: Iterable[tuple[str, str]] | None) -> None:
    """Note the build-date parts among a render's reads (refs) as read in this build."""
    moment._seen.update(field for ref, field in refs or () if ref == BUILD)


def moment_parts_read(moment: BuildMoment) -> dict[str, str]:
    """The parts of the build date this build's renders read, with their values, for the
    up-to-date record (sitegen.build.uptodate: a new month may be news to a page)."""
    return {name: moment_part(moment, name) for name in sorted(moment._seen)}


def build_moment() -> BuildMoment:
    """Now, or SOURCE_DATE_EPOCH when set (sitegen.build.uptodate.now_utc), as templates see it."""
    return as_moment(now_utc())


@dataclass(frozen=True)
class Traced:
    """A cached value with what making it read, and a digest of those reads' values then."""

    value: Any
    reads: tuple[tuple[str, str], ...]
    digest: str


class ReadIndex:
    """The current values of everything a trace may name: the site's pages, the build moment
    and, with `site_view` (language -> view), the site views."""

    def __init__(
        self,
        pages: Iterable[Page],
        moment: datetime,
        memoize: bool = True,
        site_view: Callable[[str], Any] | None = None,
    ):
        self.pages = {page_ref(page): page for page in pages}
        self.moment = as_moment(moment)
        self.site_view = site_view
        self._memo: dict[tuple[str, str], str] | None = {} if memoize else None

    def trace(self, value: Any, refs: Iterable[tuple[str, str]]) -> Traced:
        reads = tuple(sorted(refs))
        note_moment_reads(self.moment, reads)
        return Traced(value, reads, self.digest(reads) or "")

    def current(self, traced: Any, expect: Any = object) -> Any | None:
        """The traced value if it has the shape `expect` says (a type or a test) and
        everything it read reads the same now, else None."""
        if not isinstance(traced, Traced):
            return None
        if not (
            isinstance(traced.value, expect) if isinstance(expect, type) else expect(traced.value)
        ):
            return None
        if self.digest(traced.reads) != traced.digest:
            return None
        note_moment_reads(self.moment, traced.reads)
        return traced.value

    def digest(self, reads: Iterable[tuple[str, str]]) -> str | None:
        parts = []
        for read in reads:
            value = self._memo.get(read) if self._memo is not None else None
            if value is None:
                value = self._value(*read)
                if value is None:
                    return None  # a page that is gone
            parts.append(value)
        return _short_hash("".join(parts))  # each part is a hash of one length: joined, unambiguous

    def _value(self, ref: str, field: str) -> str | None:
        if ref == BUILD:
            value = _short_hash(moment_part(self.moment, field))
        elif ref.startswith(SITE):
            value = self._view_value(ref.removeprefix(SITE), field)
        else:
            page = self.pages.get(ref)
            value = None if page is None else _short_hash(_field_value(page, field))
        if self._memo is not None and value is not None:
            self._memo[(ref, field)] = value
        return value

    def _view_value(self, lang: str, field: str) -> str | None:
        """A hash of the repr of the view's field (pages in it by their repr, which names
        them: what they hold counts as read where it is read); None where the language is gone."""
        try:
            view = self.site_view(lang) if self.site_view is not None else None
        except KeyError:
            view = None
        if view is None:
            return None
        value = getattr(view, field, _MISSING)
        return _short_hash("missing" if value is _MISSING else repr(value))


def _short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def page_state(page: Page, leaving_out: Collection[str] = ()) -> str:
    """A digest of everything a page holds but the fields `leaving_out` names: every field of
    the model and of its rendered body, found from the dataclasses (so a new field is never
    left out); a Page's repr names it, so pages it points to count by address (their own
    fields are theirs)."""
    rendered = page.rendered
    return digest(
        *[getattr(page, name) for name in _PAGE_FIELDS if name not in leaving_out],
        *[getattr(rendered, name) for name in _RENDERED_FIELDS if name not in leaving_out],
    )


def _field_value(page: Page, field: str) -> str:
    """repr of the field's value, or everything the page holds when the field is a method
    or the whole page was read."""
    if field.startswith(RELEASE_FIELD):
        return _release_field_value(page, field)
    value = getattr(page, field, _MISSING) if field != WHOLE else None
    if field == WHOLE or callable(value):
        return page_state(page)
    if value is _MISSING:
        return "missing"
    return value if type(value) is str else repr(value)  # long texts as they are: no escaped copy


def _release_field_value(page: Page, field: str) -> str:
    position, _, name = field.removeprefix(RELEASE_FIELD).partition("/")
    releases = page.releases
    if not position.isdigit() or int(position) >= len(releases):
        return "missing"
    value = getattr(releases[int(position)], name, _MISSING)
    return "missing" if value is _MISSING else repr(value)


_MISSING = object()
# The body counts by its parts: the HTML as it is, not escaped into one repr of the whole.
_PAGE_FIELDS = tuple(f.name for f in dataclasses.fields(Page) if f.name != "rendered")
_RENDERED_FIELDS = tuple(f.name for f in dataclasses.fields(Rendered))
