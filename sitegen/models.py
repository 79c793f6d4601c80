"""The content model: plain dataclasses shared by every stage of the pipeline.

Templates see these objects directly, with Hugo-like names in snake_case
(`page.title`, `page.permalink`, `page.summary`, `site.params`), so a Hugo user finds
what they look for. Free-form front matter goes into `params`, never onto attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from pathlib import Path, PurePosixPath
from typing import Any


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A content file found under a content directory."""

    path: Path  # absolute path on disk
    rel: PurePosixPath  # relative to its content dir, e.g. posts/2023/x/index.de.md
    lang: str
    bundle: str  # "leaf" (index.md), "branch" (_index.md) or "" (a plain page)
    stem: str = ""  # the name without its content suffix and language: 2017-04-11-2.1.4-released

    @property
    def is_html(self) -> bool:
        """An HTML content file (`about.html` with front matter): its body is not Markdown."""
        return self.rel.suffix.lower() in (".html", ".htm")

    @property
    def translation_key(self) -> str:
        """Path without the language suffix: files sharing it are translations."""
        return str(self.rel.parent / (self.stem or self.rel.name.split(".", 1)[0]))


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading as rendered: its level, plain text, inner HTML and id."""

    level: int
    text: str
    html: str
    id: str
    line: int  # 1-based line in the source file (front matter included), 0 if unknown


@dataclass(slots=True)
class Resource:
    """A file of a page bundle (an image beside index.md), published beside the page."""

    path: Path
    name: str  # relative to the bundle, posix style: images/a.png
    rel_permalink: str = ""
    permalink: str = ""


def pack_text(text: str) -> bytes:
    """A long text that waits in memory for one or two readers, as UTF-8. A page's HTML takes
    2 bytes a character as a string where it holds a „ or a –, about 1 as UTF-8: a
    10,000-post site's contents, section HTML and plain texts held 380 MiB as strings before
    the render stage forked its workers. Compressing them too (zlib, level 1) saved another
    180 MiB at that size but cost 5-18 % of the build's CPU time, and of every small site's
    too (benchmarks/README.md, session 5, task M)."""
    return text.encode("utf-8")


def unpack_text(packed: bytes) -> str:
    return packed.decode("utf-8")


@dataclass(slots=True)
class Release:
    """One sub-release section of a release post."""

    version: str
    heading_id: str  # Hugo's id of the heading
    anchor: str  # short, date-free anchor (the version)
    date: datetime | None
    title: str  # the heading's plain text
    level: int
    line: int
    packed_html: bytes = b""  # the section's own HTML, packed (pack_text): read it as `html`
    compare_url: str = ""
    previous: str = ""
    page: Any = None  # the Page it belongs to

    @property
    def html(self) -> str:
        """The section's own HTML (read by the release feed, releases.json and templates)."""
        return unpack_text(self.packed_html)


@dataclass(slots=True)
class MenuEntry:
    identifier: str
    name: str
    url: str
    weight: int = 0
    pre: str = ""
    post: str = ""
    title: str = ""
    parent: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    children: list["MenuEntry"] = field(default_factory=list)

    @property
    def has_children(self) -> bool:
        return bool(self.children)


@dataclass(slots=True)
class Pager:
    """One page of a paginated list."""

    number: int
    total_pages: int
    pages: list["Page"]
    url: str  # relative permalink of this pager page
    first_url: str
    last_url: str
    prev_url: str | None
    next_url: str | None

    @property
    def has_prev(self) -> bool:
        return self.prev_url is not None

    @property
    def has_next(self) -> bool:
        return self.next_url is not None


# Not slots: a frozen slots class raises TypeError, not FrozenInstanceError, when a property
# (content, plain) is assigned (Python 3.11's dataclasses); one per page, so the dict costs little.
@dataclass(frozen=True)
class Rendered:
    """What the stages after loading made of a page's body, as one value: the content stage
    makes it, the release stage makes a new one (decorated, with its releases and the lastmod
    they imply), and the build hands each on to the page whole (sitegen.build.content_stage.hand_on)."""

    summary: str = ""
    truncated: bool = False
    toc: str = ""
    headings: tuple[Heading, ...] = ()
    word_count: int = 0
    reading_time: int = 0
    packed_plain: bytes = b""  # the content as plain text, packed (pack_text): read it as `plain`
    releases: tuple[Release, ...] = ()
    lastmod: datetime | None = None  # what the releases imply, where they move it
    # The content packed (pack_text): each page's is read a few times (release detection
    # and decoration, its own render, the newest items of the feeds) and waits in memory
    # from the content stage to the render. Read it as `content`.
    packed_content: bytes = b""
    trusted: bool = False  # handed to the templates (marked_safe): `content` is Markup

    @property
    def content(self) -> str:
        """The content's HTML: trusted (Markup) once handed to the templates."""
        if not self.trusted:
            return unpack_text(self.packed_content)
        from markupsafe import Markup  # loaded by then: the templates' own string type

        return Markup(unpack_text(self.packed_content))

    @property
    def plain(self) -> str:
        """The content as plain text (read by the search index and templates)."""
        return unpack_text(self.packed_plain)


NOT_RENDERED = Rendered()


def _rendered(name: str) -> property:
    # attrgetter rather than a function: templates read these parts of every page often.
    return property(attrgetter(f"rendered.{name}"), doc=f"The rendered body's {name}.")


@dataclass(slots=True, eq=False)
class Page:
    """A page of the site: a content page, or a list (home, section, taxonomy, term)."""

    kind: str  # "home", "section", "page", "taxonomy", "term", "404"
    lang: str
    title: str = ""
    source: SourceFile | None = None
    section: str = ""  # first path segment under content/, "" for home
    section_path: str = ""  # folder of the page's own section (a section's own folder): blog/alice
    date: datetime | None = None
    source_lastmod: datetime | None = None  # front matter, git, else the date
    publish_date: datetime | None = None
    expiry_date: datetime | None = None
    draft: bool = False
    slug: str = ""
    url: str = ""  # the front matter `url`, if any
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    weight: int = 0
    toc_enabled: bool = False
    layout: str = ""
    type: str = ""
    taxonomies: dict[str, list[str]] = field(default_factory=dict)  # plural -> terms
    params: dict[str, Any] = field(default_factory=dict)
    front_matter: dict[str, Any] = field(default_factory=dict)
    body: str = ""  # Markdown after front matter
    body_line: int = 1  # line in the file where the body starts
    summary_override: str = ""  # front matter `summary`, as Markdown

    rendered: Rendered = NOT_RENDERED  # the body's HTML and what came with it

    # Filled by site assembly.
    rel_permalink: str = ""
    permalink: str = ""
    translations: list["Page"] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    pages: list["Page"] = field(default_factory=list)  # for list pages
    parent: "Page | None" = None
    prev: "Page | None" = None  # newer page in the section
    next: "Page | None" = None  # older page in the section
    term: str = ""  # for taxonomy terms: the term's name
    taxonomy: str = ""  # for taxonomy and term pages: the plural name
    output_path: str = ""  # e.g. posts/x/index.html

    content = _rendered("content")
    summary = _rendered("summary")
    truncated = _rendered("truncated")
    toc = _rendered("toc")
    headings = _rendered("headings")
    word_count = _rendered("word_count")
    reading_time = _rendered("reading_time")
    plain = _rendered("plain")
    releases = _rendered("releases")

    @property
    def lastmod(self) -> datetime | None:
        return self.rendered.lastmod or self.source_lastmod

    @property
    def is_page(self) -> bool:
        return self.kind == "page"

    @property
    def is_home(self) -> bool:
        return self.kind == "home"

    @property
    def is_list(self) -> bool:
        return self.kind in ("home", "section", "taxonomy", "term")

    @property
    def all_translations(self) -> list["Page"]:
        return sorted([self, *self.translations], key=lambda p: p.lang)

    @property
    def tags(self) -> list[str]:
        return self.taxonomies.get("tags", [])

    @property
    def categories(self) -> list[str]:
        return self.taxonomies.get("categories", [])

    def __repr__(self) -> str:
        return f"Page({self.kind}, {self.lang}, {self.rel_permalink or self.title!r})"
