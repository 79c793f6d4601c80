"""Link previews: canonical, OpenGraph, Twitter cards and JSON-LD in a post's <head>, and
the per-language search index with the theme's search box (in a real Chromium)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from publish_helpers import build, chromium_page, serve_folder

REPO = Path(__file__).resolve().parents[1]


class HeadParser(HTMLParser):
    """<meta property/name> -> content, <link rel> -> href, and JSON-LD script texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, str] = {}
        self.json_ld: list[str] = []
        self.lang = ""
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta.setdefault(values.get("property") or values["name"], []).append(
                values.get("content", "")
            )
        if tag == "link" and values.get("rel") and "hreflang" not in values:
            self.links.setdefault(values["rel"], values.get("href", ""))
        self._in_json = tag == "script" and values.get("type") == "application/ld+json"
        if self._in_json:
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_ld[-1] += data


def head_of(path: Path) -> HeadParser:
    parser = HeadParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "public"
    build(REPO, out)
    return out


@pytest.mark.parametrize(
    "rel, lang, title, locale",
    [
        ("posts/2024/welcome/index.html", "en", "Welcome to the new release blog", "en"),
        ("de/posts/2024/welcome/index.html", "de", "Willkommen im neuen Release-Blog", "de"),
    ],
)
def test_a_post_head_carries_canonical_open_graph_twitter_and_json_ld(
    example, rel, lang, title, locale
):
    head = head_of(example / rel)
    permalink = "https://blog.example.org/" + rel.removesuffix("index.html")
    meta = lambda key: head.meta[key][0]  # noqa: E731
    assert head.lang == lang
    assert head.links["canonical"] == permalink
    assert meta("og:url") == permalink and meta("og:type") == "article"
    assert meta("og:title") == title == meta("twitter:title")
    assert meta("og:locale") == locale
    description = meta("og:description")
    assert description == meta("twitter:description") == meta("description")
    assert len(description) > 40 and "<" not in description and "&" not in description
    image = meta("og:image")
    assert (
        image == meta("twitter:image") == permalink + "images/cover.svg"
    )  # the bundle's featuredImage
    assert meta("twitter:card") == "summary_large_image"
    assert meta("article:published_time").startswith("2024-01-02T09:00:00")
    assert meta("article:modified_time")
    (ld_text,) = head.json_ld
    data = json.loads(ld_text)
    assert data["@context"] == "https://schema.org" and data["@type"] == "BlogPosting"
    assert data["headline"] == title and data["url"] == permalink
    assert data["mainEntityOfPage"]["@id"] == permalink
    assert data["datePublished"] == meta("article:published_time") and data["inLanguage"] == lang
    assert data["image"] == image and data["description"] == description
    # Nothing in the head points at another host for the build or the browser to fetch.
    assert all(
        not href.startswith("http") or href.startswith("https://blog.example.org/")
        for href in head.links.values()
    )


def test_hostile_titles_stay_inside_the_json_ld_script(tmp_path: Path):
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "config.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "T"\n[params]\nimages = ["/cover.png"]\n'
    )
    title = 'Ends </script><!--<script> & "quotes"'
    (site / "content" / "posts" / "x.md").write_text(
        f"---\ntitle: '{title}'\ndate: 2024-05-01\n---\n\nA &amp; B <b>bold</b> text.\n"
    )
    build(site, tmp_path / "public")
    head = head_of(tmp_path / "public" / "posts" / "x" / "index.html")
    assert json.loads(head.json_ld[0])["headline"] == title
    assert head.meta["og:title"][0] == title
    assert head.meta["og:image"][0] == "https://example.org/cover.png"  # the site default image
    assert head.meta["og:description"][0] == "A & B bold text."


def test_each_language_gets_a_search_index_with_versions(example):
    english = json.loads((example / "index.json").read_text(encoding="utf-8"))
    german = json.loads((example / "de" / "index.json").read_text(encoding="utf-8"))
    assert {e["url"] for e in english} and all(e["url"].startswith("/de/") for e in german)
    release = next(e for e in english if e["url"] == "/posts/2024/release-2024-02/")
    assert release["versions"] == ["2024-02a", "2024-02"] and release["date"] == "2024-02-27"
    assert "Quota" in release["content"] and "<" not in release["content"]
    assert all(len(e["content"]) <= 4000 for e in english)


def test_content_length_setting_cuts_the_indexed_text(tmp_path: Path):
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "config.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "T"\n'
        "[params.search]\nenable = true\ncontentLength = 60\n"
    )
    (site / "content" / "posts" / "x.md").write_text(
        "---\ntitle: X\ndate: 2024-05-01\n---\n\n" + "word " * 100
    )
    build(site, tmp_path / "public")
    (entry,) = json.loads((tmp_path / "public" / "index.json").read_text(encoding="utf-8"))
    assert 48 <= len(entry["content"]) <= 60 and entry["content"].startswith("word word")


@pytest.mark.parametrize(
    "path, query, expected",
    [
        ("/", "netfilter", "/posts/2024/release-2024-01/"),
        ("/de/", "quota", "/de/posts/2024/release-2024-02/"),
        (
            "/posts/2024/welcome/",
            "2024-02a",
            "/posts/2024/release-2024-02/#2024-02a",
        ),  # a version opens its section
    ],
)
def test_typing_a_word_into_the_search_box_lists_the_post(example, path, query, expected):
    with serve_folder(example) as base, chromium_page() as page:
        page.goto(base + path)
        box = page.locator("#search-input")
        box.fill(query)
        results = page.locator("#search-results a")
        results.first.wait_for(timeout=15_000)
        hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert expected in hrefs
        status = page.locator("#search-status").inner_text()
        assert str(len(hrefs)) in status
