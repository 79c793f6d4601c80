"""`sitegen check`: read a built site the way a browser would and report what is broken.

Every HTML file is parsed once (html.parser, which keeps line numbers). Reported, each with
the file and the line: internal links, images, scripts and stylesheets that point at no
built file, `#fragments` with no matching id, pages without a `<title>` or without `lang`
on `<html>`, and ids used twice on a page. Links to other hosts are collected and only
fetched on request (`check_external`, with a timeout and a cap on parallel requests).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from sitegen import __version__

# (tag, attribute) pairs whose value a browser fetches or follows.
LINK_ATTRIBUTES = {
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
}
SRCSET_TAGS = {"img", "source"}
IGNORED_SCHEMES = (
    "mailto",
    "tel",
    "javascript",
    "data",
    "sms",
    "geo",
    "irc",
    "xmpp",
    "magnet",
    "news",
)
# Fragments a browser understands without an id: the top of the page, text fragments.
BUILTIN_FRAGMENTS = {"", "top"}


@dataclass(frozen=True, slots=True)
class Problem:
    page: str  # file in the built folder, e.g. posts/x/index.html
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Link:
    tag: str
    attribute: str
    value: str
    line: int

    def describe(self) -> str:
        return f'<{self.tag} {self.attribute}="{self.value}">'


@dataclass(slots=True)
class PageFacts:
    """What one HTML file offers (ids) and points at (links)."""

    ids: dict[str, int] = field(default_factory=dict)  # id -> first line
    duplicate_ids: list[tuple[str, int]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    base: str | None = None
    has_title: bool = False
    lang: str | None = None
    html_line: int = 1
    canonical: str = ""


@dataclass(slots=True)
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    external: dict[str, list[tuple[str, int]]] = field(
        default_factory=dict
    )  # url -> [(page, line)]
    pages: int = 0
    links: int = 0


class _FactsParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in_title = False
        self._title_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        line = self.getpos()[0]
        facts = self.facts
        if tag == "html":
            facts.lang, facts.html_line = values.get("lang"), line
        elif tag == "title":
            self._in_title = True
        elif tag == "base" and values.get("href"):
            facts.base = values["href"]
        elif (
            tag == "link"
            and "canonical" in values.get("rel", "").lower().split()
            and not facts.canonical
        ):
            facts.canonical = values.get("href", "")
        for name in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(name):
                self._add_id(values[name], line, count_duplicate=name == "id")
        for name, value in values.items():
            if (tag, name) in LINK_ATTRIBUTES and value.strip():
                facts.links.append(Link(tag, name, value.strip(), line))
            elif name == "srcset" and tag in SRCSET_TAGS and value.strip():
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        facts.links.append(Link(tag, name, url, line))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "title":
            self._in_title = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self.facts.has_title = bool(self._title_text.strip())

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_text += data

    def _add_id(self, value: str, line: int, count_duplicate: bool) -> None:
        if value in self.facts.ids:
            if count_duplicate:
                self.facts.duplicate_ids.append((value, line))
        else:
            self.facts.ids[value] = line


def page_facts(markup: str) -> PageFacts:
    parser = _FactsParser()
    parser.feed(markup)
    parser.close()
    return parser.facts


def url_of(relpath: str) -> str:
    """The URL path a static server answers with a file: `a/index.html` -> `/a/`."""
    if relpath == "index.html":
        return "/"
    if relpath.endswith("/index.html"):
        return "/" + relpath[: -len("index.html")]
    return "/" + relpath


def _built_files(folder: Path) -> dict[str, str]:
    """Decoded URL path -> relpath of every file in the folder."""
    files = {}
    for directory, _dirs, names in os.walk(folder):
        for name in names:
            rel = Path(directory, name).relative_to(folder).as_posix()
            files[url_of(rel)] = rel
    return files


def _resolve(files: dict[str, str], path: str) -> str | None:
    for candidate in (path, path + "/" if not path.endswith("/") else path, path + "index.html"):
        if candidate in files:
            return files[candidate]
    return None


def check_site(folder: Path, base_url: str = "") -> CheckReport:
    """Check every HTML file of a built site. `base_url` (the site's baseURL) tells which
    absolute links are the site's own; without it, the home page's canonical link does."""
    folder = folder.resolve()
    files = _built_files(folder)
    facts = {
        rel: page_facts(_read(folder / rel))
        for rel in sorted(files.values())
        if rel.endswith((".html", ".htm"))
    }
    base_url = base_url or _canonical_home(facts.get("index.html"))
    site = urlsplit(base_url)
    root = site.path.rstrip("/")
    report = CheckReport(pages=len(facts))
    for rel, page in facts.items():
        _check_document(rel, page, report)
        page_url = root + url_of(rel)
        base = urljoin(page_url, page.base) if page.base else page_url
        for link in page.links:
            report.links += 1
            _check_link(rel, base, link, site.netloc, root, files, facts, report)
    report.problems.sort(key=lambda p: (p.page, p.line, p.message))
    return report


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def _canonical_home(home: PageFacts | None) -> str:
    return home.canonical if home and urlsplit(home.canonical).scheme in ("http", "https") else ""


def _check_document(rel: str, page: PageFacts, report: CheckReport) -> None:
    if not page.has_title:
        report.problems.append(Problem(rel, 1, "page without a <title> (or with an empty one)"))
    if not (page.lang or "").strip():
        report.problems.append(
            Problem(rel, page.html_line, "page without a lang attribute on <html>")
        )
    for value, line in page.duplicate_ids:
        report.problems.append(
            Problem(rel, line, f"duplicate id {value!r} (first on line {page.ids[value]})")
        )


def _check_link(
    rel: str,
    base: str,
    link: Link,
    host: str,
    root: str,
    files: dict[str, str],
    facts: dict[str, PageFacts],
    report: CheckReport,
) -> None:
    parts = urlsplit(link.value)
    if parts.scheme and parts.scheme.lower() in IGNORED_SCHEMES:
        return
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return  # ftp:, ssh: and other schemes a checker cannot follow
    if (parts.scheme or parts.netloc) and parts.netloc.lower() != host.lower():
        url = urljoin("https:", link.value) if not parts.scheme else link.value
        report.external.setdefault(url, []).append((rel, link.line))
        return
    absolute = urlsplit(urljoin(base, link.value))
    path, fragment = unquote(absolute.path), unquote(absolute.fragment)
    if root and not (path == root or path.startswith(root + "/")):
        report.problems.append(
            Problem(rel, link.line, f"{link.describe()} points outside the site ({root}/)")
        )
        return
    target = _resolve(files, path[len(root) :] or "/")
    if target is None:
        what = (
            "image"
            if link.tag in ("img", "source")
            else "file"
            if link.tag in ("script", "link")
            else "page"
        )
        report.problems.append(Problem(rel, link.line, f"{link.describe()}: no {what} at {path}"))
    elif (
        fragment not in BUILTIN_FRAGMENTS
        and not fragment.startswith(":~:")
        and target in facts
        and fragment not in facts[target].ids
    ):
        report.problems.append(
            Problem(rel, link.line, f"{link.describe()}: no id {fragment!r} in {target}")
        )


# ---------------------------------------------------------------- external links


def check_external(
    external: dict[str, list[tuple[str, int]]], timeout: float = 10.0, max_parallel: int = 8
) -> list[Problem]:
    """Fetch every external URL once (HEAD, then GET where HEAD is refused), at most
    `max_parallel` at a time; one Problem per place that links a URL that failed."""

    def status(url: str) -> str | None:
        for method in ("HEAD", "GET"):
            request = urllib.request.Request(
                url, method=method, headers={"User-Agent": f"sitegen-check/{__version__}"}
            )
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                    response.read(0)
                return None
            except urllib.error.HTTPError as error:
                if method == "HEAD" and error.code in (403, 405, 501):
                    continue
                return f"HTTP {error.code}"
            except (urllib.error.URLError, OSError, ValueError) as error:
                return f"cannot fetch: {getattr(error, 'reason', error)}"
        return None

    urls = sorted(external)
    with ThreadPoolExecutor(max_workers=max(1, max_parallel)) as pool:
        results = list(pool.map(status, urls))
    problems = []
    for url, failure in zip(urls, results):
        if failure:
            problems += [
                Problem(page, line, f"external link {url}: {failure}")
                for page, line in external[url]
            ]
    return sorted(problems, key=lambda p: (p.page, p.line, p.message))


# ---------------------------------------------------------------- the command


def check_command(
    folder: Path | None,
    source: Path,
    base_url: str = "",
    external: bool = False,
    timeout: float = 10.0,
    max_parallel: int = 8,
    quiet: bool = False,
    out=None,
) -> int:
    """`sitegen check [DIR]`: check DIR, or build the site in `source` into a temporary
    folder and check that. Prints one line per problem; returns 1 if any, else 0."""
    import sys
    import tempfile
    import time

    out = out or sys.stdout
    with tempfile.TemporaryDirectory(prefix="sitegen-check-") as scratch:
        if folder is None:
            from sitegen.build.builder import BuildOptions, build_site, write_site

            result = write_site(
                build_site(
                    BuildOptions(
                        source=source,
                        destination=Path(scratch) / "public",
                        base_url=base_url or None,
                    )
                )
            )
            folder, base_url = result.destination, base_url or result.site.config.base_url
        elif not folder.is_dir():
            print(
                f"error: {folder} is not a folder; build the site first or leave DIR out",
                file=sys.stderr,
            )
            return 2
        started = time.perf_counter()
        report = check_site(folder, base_url)
        problems = list(report.problems)
        if external:
            problems += check_external(report.external, timeout, max_parallel)
        seconds = time.perf_counter() - started
    for problem in problems:
        print(problem, file=out)
    if report.external and not quiet:
        print(
            f"external links ({'fetched' if external else 'not fetched; --external fetches them'}):",
            file=out,
        )
        for url, places in sorted(report.external.items()):
            print(f"  {url}  ({len(places)}×, first {places[0][0]}:{places[0][1]})", file=out)
    print(
        f"checked {report.pages} pages, {report.links} links in {seconds:.2f} s: "
        f"{len(problems) or 'no'} problem{'s' if len(problems) != 1 else ''}, "
        f"{len(report.external)} external URLs",
        file=out,
    )
    return 1 if problems else 0
