"""Reusable checks over a built site folder: its URLs, ids, links, feeds and HTML validity.

Everything here reads files a build wrote, the way a browser or a feed reader would
meet them, so the checks hold for sitegen's output and for Hugo's alike.
"""

from __future__ import annotations

import atexit
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[1]
VNU_JAR_DEFAULT = REPO / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# (tag, attribute) pairs whose value a browser fetches or follows.
LINK_ATTRS = {
    ("a", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("video", "poster"),
}


# ---------------------------------------------------------------- URLs of a build


def url_of(relpath: str) -> str:
    """The URL a server gives a file: `a/b/index.html` -> `/a/b/`, `a/index.xml` stays."""
    relpath = relpath.replace(os.sep, "/")
    if relpath == "index.html":
        return "/"
    if relpath.endswith("/index.html"):
        return "/" + relpath[: -len("index.html")]
    return "/" + relpath


def normalise_url(url: str) -> str:
    """Compare URLs decoded: Hugo links `/de/tags/%C3%A4nderungen/` to a folder `änderungen`."""
    return unquote(urlsplit(url).path)


def built_files(out_dir: Path) -> dict[str, Path]:
    """Every file in a build folder, keyed by its (decoded) URL."""
    return {
        url_of(p.relative_to(out_dir).as_posix()): p
        for p in sorted(out_dir.rglob("*"))
        if p.is_file()
    }


def is_redirect_page(text: str) -> bool:
    """Hugo's alias pages (and `/page/1/`) are tiny documents with a meta refresh."""
    return 'http-equiv="refresh"' in text[:2000] and "<body" not in text


# ---------------------------------------------------------------- HTML facts


@dataclass(slots=True)
class Link:
    tag: str
    attr: str
    value: str
    line: int


@dataclass(slots=True)
class HtmlFacts:
    """What a page offers (ids) and what it points at (links), in document order."""

    ids: list[str] = field(default_factory=list)
    heading_ids: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    base: str | None = None


class _FactsParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = HtmlFacts()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        if "id" in values:
            self.facts.ids.append(values["id"])
            if tag in HEADING_TAGS:
                self.facts.heading_ids.append(values["id"])
        if tag == "a" and "name" in values:
            self.facts.ids.append(values["name"])
        if tag == "base" and "href" in values:
            self.facts.base = values["href"]
        for name, value in values.items():
            if (tag, name) in LINK_ATTRS and value:
                self.facts.links.append(Link(tag, name, value.strip(), line))
            elif name == "srcset" and value:
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.facts.links.append(Link(tag, name, url, line))

    handle_startendtag = handle_starttag


def html_facts(markup: str) -> HtmlFacts:
    parser = _FactsParser()
    parser.feed(markup)
    parser.close()
    return parser.facts


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(markup: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed: for comparing summaries."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return re.sub(r"\s+", " ", html.unescape("".join(parser.parts))).strip()


# ---------------------------------------------------------------- feeds


def feed_files(out_dir: Path) -> dict[str, Path]:
    return {url: p for url, p in built_files(out_dir).items() if p.name == "index.xml"}


def feed_item_links(path: Path) -> list[str]:
    """Item links of an RSS feed, decoded paths; raises AssertionError if it does not parse."""
    import feedparser

    parsed = feedparser.parse(path.read_bytes())
    if parsed.bozo:
        raise AssertionError(f"{path}: feed does not parse: {parsed.bozo_exception}")
    return [normalise_url(entry.link) for entry in parsed.entries]


# ---------------------------------------------------------------- Nu Html Checker


def vnu_command() -> list[str] | None:
    """`java -jar vnu.jar`, from $VNU_JAR or .tools/ (installed by .ci/install-tools.sh)."""
    java = shutil.which("java")
    jar = Path(os.environ.get("VNU_JAR", VNU_JAR_DEFAULT))
    if java is None or not jar.is_file():
        return None
    return [java, "-jar", str(jar)]


def vnu_errors(out_dir: Path) -> list[str]:
    """Errors the Nu Html Checker reports for every HTML file of a folder (one JVM start)."""
    command = vnu_command()
    if command is None:
        raise RuntimeError("vnu is not installed: run .ci/install-tools.sh (needs java)")
    run = subprocess.run(
        [*command, "--errors-only", "--skip-non-html", "--format", "json", str(out_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(run.stderr or run.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"vnu failed (exit {run.returncode}): {run.stderr[-2000:]}") from None
    errors = []
    for message in report.get("messages", []):
        if message.get("type") in ("error", "non-document-error"):
            where = message.get("url", "").replace(f"file:{out_dir}", "")
            line = message.get("lastLine", "?")
            errors.append(
                f"{where}:{line}: {message.get('message')} [{message.get('extract', '')}]"
            )
    return errors


# ---------------------------------------------------------------- sitemaps


def sitemap_locations(path: Path) -> list[str]:
    """The `<loc>` URLs of a sitemap or sitemap index (raises if it is not well-formed XML)."""
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.fromstring(path.read_bytes())
    return [
        element.text.strip()
        for element in root.iter()
        if element.tag.endswith("loc") and element.text
    ]


# ---------------------------------------------------------------- building with sitegen


@dataclass(frozen=True, slots=True)
class SitegenBuild:
    result: object  # sitegen.build.builder.BuildResult: .site.pages, .outputs
    out_dir: Path

    @property
    def pages(self) -> list:
        return list(self.result.site.pages)


_builds: dict[Path, SitegenBuild | Exception] = {}


def sitegen_build(site_dir: Path) -> SitegenBuild:
    """Build a site with sitegen once per test session and write it to a temporary folder.

    A failed build is remembered too, so each test using it fails fast with the same error.
    """
    if site_dir not in _builds:
        try:
            _builds[site_dir] = _build(site_dir)
        except Exception as error:  # noqa: BLE001 - re-raised for every test that needs it
            _builds[site_dir] = error
    outcome = _builds[site_dir]
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _build(site_dir: Path) -> SitegenBuild:
    from sitegen.build.builder import BuildOptions, build_site, write_site

    parent = Path(tempfile.mkdtemp(prefix="sitegen-test-"))
    atexit.register(shutil.rmtree, parent, ignore_errors=True)
    out = parent / "public"
    result = build_site(BuildOptions(source=site_dir, destination=out, theme=None))
    write_site(result)
    return SitegenBuild(result, out)


def base_url(site_dir: Path) -> str:
    import tomllib

    for name in ("config.toml", "hugo.toml"):
        if (site_dir / name).is_file():
            return tomllib.loads((site_dir / name).read_text(encoding="utf-8")).get("baseURL", "")
    return ""
