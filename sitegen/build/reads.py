"""What a render read: the pages, fields and build-date parts it looked at, for cache keys.

A template or shortcode may show anything of any page (`site.regular_pages[0].params.author`,
the newest post's summary in a footer, another bundle's resources) and any part of the build's
date (the year in a footer). Rather than list those in the cache keys, every render records
what it reads as it reads it: Jinja reaches every attribute and item through the environment
(`RecordingReads`), and the build date is a `BuildMoment` that notes each part asked of it. A
cached result is stored with its reads and a digest of their values (`Traced`); it is used
again only while those values digest the same (`ReadIndex.current`), so a cached render is one
that would come out the same.
"""

from __future__ import annotations

import dataclasses
import hashlib
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Iterator

from sitegen.build.cache import digest
from sitegen.models import Page, Release
from sitegen.build.uptodate import moment_part, now_utc

BUILD = "@build"  # the reference of the build date in a trace
WHOLE = "*"  # a read of everything of a page (a method called on it)

_reads: ContextVar[set | None] = ContextVar("sitegen_reads", default=None)


def note_read(obj: Any, name: Any) -> None:
    """Record that the render in progress read `obj.name` (pages and releases; other objects
    come from the config and the site's shape, which the cache keys cover already)."""
    kind = type(obj)  # exact types: this runs for every attribute a template reads
    if kind is not Page and kind is not Release:
        return
    reads = _reads.get()
    if reads is None or type(name) is not str:
        return
    if kind is Page:
        reads.add((obj, name))
    elif type(obj.page) is Page:
        reads.add((obj.page, release_field(obj, name)))


RELEASE_FIELD = "releases/"  # one field of one of a page's releases: "releases/<position>/<field>"


def release_field(release: Release, name: str) -> str:
    """The read of `release.name` as a field of its page. One field of one release, not the
    page's whole release list: that covers every section's HTML, which a release index row
    (version, date, anchor, compare link) never shows."""
    for position, held in enumerate(release.page.releases):
        if held is release:
            return f"{RELEASE_FIELD}{position}/{name}"
    return "releases"


class RecordingReads:
    """An environment mixin: attribute and item lookups in templates are recorded, while a
    recording is in progress (a build without a cache records nothing)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        kind = type(obj)  # note_read inlined for pages: this runs for every attribute a template reads
        if kind is Page:
            reads = _reads.get()
            if reads is not None and type(attribute) is str:
                reads.add((obj, attribute))
        elif kind is Release:
            note_read(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        kind = type(obj)
        if kind is Page or kind is Release:
            note_read(obj, argument)
        return super().getitem(obj, argument)


@contextmanager
def recording() -> Iterator[set]:
    """Collect the reads of what runs inside, as (page or BUILD, field); nested recordings
    see only their own reads (`replay` passes them on)."""
    reads: set = set()
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)


def replay(reads: Iterable) -> None:
    """Add reads made elsewhere (a memoized partial's) to the recording in progress."""
    current = _reads.get()
    if current is not None:
        current.update(reads)


def as_refs(reads: Iterable) -> frozenset[tuple[str, str]]:
    """Recorded reads as plain (reference, field) strings, to send or store."""
    refs: dict[int, str] = {}
    out = set()
    for obj, field in reads:
        if obj is BUILD:
            out.add((BUILD, field))
            continue
        ref = refs.get(id(obj))
        if ref is None:
            ref = refs[id(obj)] = page_ref(obj)
        out.add((ref, field))
    return frozenset(out)


def page_ref(page: Page) -> str:
    source = str(page.source.rel) if page.source is not None else ""
    return "\0".join((page.kind, page.lang, page.rel_permalink, source, page.term, page.taxonomy))


class BuildMoment(datetime):
    """The build's date and time as templates see it: each part read of it is recorded (the
    year alone for a footer's "© 2016–2026"), and any use of the whole moment reads it all."""

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_"):
            replay([(BUILD, name)])
        return super().__getattribute__(name)

    def _whole(self) -> datetime:
        replay([(BUILD, WHOLE)])
        return datetime(*datetime.timetuple(self)[:6], datetime.__getattribute__(self, "microsecond"),
                        datetime.__getattribute__(self, "tzinfo"))

    def __str__(self) -> str:
        return str(self._whole())

    def __repr__(self) -> str:
        return repr(self._whole())

    def __format__(self, spec: str) -> str:
        return format(self._whole(), spec)

    def __hash__(self) -> int:
        return hash(self._whole())

    def __eq__(self, other: Any) -> bool:
        return self._whole() == other

    def __ne__(self, other: Any) -> bool:
        return self._whole() != other

    def __lt__(self, other: Any) -> bool:
        return self._whole() < other

    def __le__(self, other: Any) -> bool:
        return self._whole() <= other

    def __gt__(self, other: Any) -> bool:
        return self._whole() > other

    def __ge__(self, other: Any) -> bool:
        return self._whole() >= other

    def __sub__(self, other: Any) -> Any:
        return self._whole() - other

    def __rsub__(self, other: Any) -> Any:
        return other - self._whole()

    def __add__(self, other: Any) -> Any:
        return self._whole() + other

    __radd__ = __add__


def as_moment(moment: datetime) -> BuildMoment:
    if isinstance(moment, BuildMoment):
        return moment
    made = BuildMoment(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
                       moment.microsecond, moment.tzinfo)
    made._seen = set()  # the parts any render of this build read, cached or not
    return made


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
    """The current values of everything a trace may name: the site's pages, the build moment."""

    def __init__(self, pages: Iterable[Page], moment: datetime, memoize: bool = True):
        self.pages = {page_ref(page): page for page in pages}
        self.moment = as_moment(moment)
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
        if not (isinstance(traced.value, expect) if isinstance(expect, type) else expect(traced.value)):
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
        else:
            page = self.pages.get(ref)
            value = None if page is None else _short_hash(_field_value(page, field))
        if self._memo is not None and value is not None:
            self._memo[(ref, field)] = value
        return value


def _short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def page_state(page: Page) -> str:
    """A digest of everything a page holds: every field of the model, found from the
    dataclass (so a new field is never left out); a Page's repr names it, so pages it points
    to count by address (their own fields are theirs)."""
    return digest(*[getattr(page, name) for name in _PAGE_FIELDS])


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
_PAGE_FIELDS = tuple(f.name for f in dataclasses.fields(Page))
