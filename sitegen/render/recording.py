"""What a render reads, recorded as it reads it: the pages, fields and build-date parts it
looked at.

A template or shortcode may show anything of any page (`site.regular_pages[0].params.author`,
the newest post's summary in a footer, another bundle's resources), any part of the build's
date (the year in a footer) and, in a page's body, any field of the site view (`site.title`).
Jinja reaches every attribute and item through the environment, whose lookups
(`render/templates.py`) note the reads of pages and releases here; the build date is a
`BuildMoment` that notes each part asked of it, and the site view a page's body sees a
`RecordedSiteView` (`render/views.py`) that notes each field. Whoever runs a render and wants to know what
it read wraps it in `recording()`; outside a recording nothing is kept. What the reads are
used for (the build cache's checks on reuse) is `build/`'s business (`sitegen.build.reads`).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, Iterable, Iterator

from sitegen.models import Page, Release

BUILD = "@build"  # the reference of the build date in a trace
SITE = "@site/"  # the reference of one language's site view in a trace: "@site/<language>"
WHOLE = "*"  # a read of everything of a page (a method called on it)

_reads: ContextVar[set | None] = ContextVar("sitegen_reads", default=None)
# The reads of the recording in progress, None outside one: the environment's attribute
# lookup (sitegen.render.templates) asks it itself rather than through a call of note_read.
current_reads = _reads.get


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


def note_view_read(ref: str, name: str) -> None:
    """Record that the render in progress read field `name` of the view `ref` refers to (a
    site view: sitegen.render.views.recorded_views)."""
    reads = _reads.get()
    if reads is not None:
        reads.add((ref, name))


@contextmanager
def recording() -> Iterator[set]:
    """Collect the reads of what runs inside, as (page, BUILD or a view's reference, field); nested recordings
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


class BuildMoment(datetime):
    """The build's date and time as templates see it: each part read of it is recorded (the
    year alone for a footer's "© 2016–2026"), and any use of the whole moment reads it all."""

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_"):
            replay([(BUILD, name)])
        return super().__getattribute__(name)

    def _whole(self) -> datetime:
        replay([(BUILD, WHOLE)])
        return datetime(
            *datetime.timetuple(self)[:6],
            datetime.__getattribute__(self, "microsecond"),
            datetime.__getattribute__(self, "tzinfo"),
        )

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
    made = BuildMoment(
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
        moment.tzinfo,
    )
    made._seen = set()  # the parts any render of this build read, cached or not
    return made
