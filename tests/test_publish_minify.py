"""`--minify` on the real corpus: a smaller site, same pages for the Nu Html Checker,
for feed readers and for a browser (same visible text), code blocks untouched, PNGs
with the same pixels."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from publish_helpers import build, chromium_page, serve_folder
from site_checks import feed_item_links, vnu_command, vnu_errors

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "mailcow-blog"
TEXT_SUFFIXES = (".html", ".css", ".js", ".xml", ".json")
# Pages of every kind: home, posts with code and tables (en, de), lists, terms, releases, 404.
SAMPLE_PAGES = [
    "index.html",
    "de/index.html",
    "posts/2023/release-2023-12/index.html",
    "de/posts/2023/release-2023-12/index.html",
    "posts/2023/mailcow-idp/index.html",
    "tags/changelog/index.html",
    "de/categories/updates/index.html",
    "releases/index.html",
    "posts/page/2/index.html",
    "404.html",
]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("minify")
    build(CORPUS, root / "plain")
    build(CORPUS, root / "min", minify=True)
    return root / "plain", root / "min"


def text_files(folder: Path) -> dict[str, Path]:
    return {
        p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.suffix in TEXT_SUFFIXES
    }


def all_files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}


def bytes_by_suffix(files: dict[str, Path]) -> Counter:
    sizes = Counter()
    for rel, path in files.items():
        sizes[Path(rel).suffix.lower()] += path.stat().st_size
    return sizes


def saving(builds) -> float:
    """How much smaller the whole minified output is (every file, images too); prints
    the figures per kind of file."""
    plain, small = builds
    before, after = bytes_by_suffix(all_files(plain)), bytes_by_suffix(all_files(small))
    for suffix in sorted(before, key=before.get, reverse=True):
        print(f"{suffix or '(none)':12} {before[suffix]:>10} -> {after[suffix]:>10}")
    saved = 1 - sum(after.values()) / sum(before.values())
    print(
        f"{'all files':12} {sum(before.values()):>10} -> {sum(after.values()):>10} ({saved:.1%} smaller)"
    )
    return saved


def test_every_file_is_published_and_each_minified_kind_is_smaller(builds):
    plain, small = builds
    assert all_files(plain).keys() == all_files(small).keys()
    before, after = bytes_by_suffix(all_files(plain)), bytes_by_suffix(all_files(small))
    for suffix in (".html", ".xml", ".css", ".js", ".json", ".png"):
        assert after[suffix] < before[suffix], suffix
    assert saving(builds) >= 0.10


def test_png_images_keep_every_pixel_and_colour_profile(builds):
    from PIL import Image

    plain, small = builds
    checked = 0
    for rel, path in all_files(plain).items():
        if rel.endswith(".png"):
            with Image.open(path) as before, Image.open(small / rel) as after:
                assert after.size == before.size, rel
                assert after.info.get("icc_profile") == before.info.get("icc_profile"), rel
                assert after.info.get("gamma") == before.info.get("gamma"), rel
                assert after.convert("RGBA").tobytes() == before.convert("RGBA").tobytes(), rel
            checked += 1
    assert checked >= 20  # the corpus has screenshots in a post bundle and in static/


_JSON_LD = re.compile(r"<script type=\"?application/ld\+json\"?>(.*?)</script>", re.S)


def test_json_ld_is_compact_and_says_the_same(builds):
    plain, small = builds
    for rel in SAMPLE_PAGES[2:5]:  # posts (en, de): BlogPosting
        before = _JSON_LD.findall((plain / rel).read_text(encoding="utf-8"))
        after = _JSON_LD.findall((small / rel).read_text(encoding="utf-8"))
        assert before and [json.loads(x) for x in after] == [json.loads(x) for x in before], rel
        assert sum(map(len, after)) < sum(map(len, before)), rel


class _PreText(HTMLParser):
    """The text of every <pre>, as the browser keeps it (whitespace and all)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth, self.blocks = 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self.depth += 1
            self.blocks.append("")

    def handle_endtag(self, tag):
        if tag == "pre":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.blocks[-1] += data


def pre_blocks(html: str) -> list[str]:
    parser = _PreText()
    parser.feed(html)
    return parser.blocks


def test_code_blocks_keep_every_space_and_line(builds):
    plain, small = builds
    checked = 0
    for rel, path in text_files(plain).items():
        if rel.endswith(".html"):
            blocks = pre_blocks(path.read_text(encoding="utf-8"))
            assert pre_blocks((small / rel).read_text(encoding="utf-8")) == blocks, rel
            checked += len(blocks)
    assert checked >= 10  # the corpus has shell and config blocks


def test_feeds_sitemaps_and_json_stay_valid_with_the_same_entries(builds):
    plain, small = builds
    for rel, path in text_files(small).items():
        if rel.endswith(".xml"):
            ElementTree.parse(path)  # well-formed
            if path.name == "index.xml":
                assert feed_item_links(path) == feed_item_links(plain / rel), rel
        elif rel.endswith(".json"):
            assert json.loads(path.read_text(encoding="utf-8")) == json.loads(
                (plain / rel).read_text(encoding="utf-8")
            )


def test_static_css_and_js_are_minified(builds):
    plain, small = builds
    for rel in ("css/main.css", "js/main.js"):
        assert (small / rel).stat().st_size < (plain / rel).stat().st_size, rel


@pytest.mark.skipif(
    vnu_command() is None, reason="needs the Nu Html Checker (.ci/install-tools.sh)"
)
def test_minified_pages_pass_the_nu_html_checker(builds, tmp_path):
    _plain, small = builds
    for rel in SAMPLE_PAGES:
        target = tmp_path / rel.replace("/", "__")
        shutil.copy(small / rel, target)
    assert vnu_errors(tmp_path) == []


def test_a_browser_shows_the_same_text_minified(builds):
    plain, small = builds
    with (
        serve_folder(plain) as plain_url,
        serve_folder(small) as small_url,
        chromium_page() as page,
    ):
        for rel in SAMPLE_PAGES:
            url_path = "/" + rel.removesuffix("index.html")
            texts = []
            for base in (plain_url, small_url):
                page.goto(base + url_path)
                texts.append(page.evaluate("document.body.innerText"))
            assert texts[0] == texts[1], rel
            assert len(texts[0]) > 20, rel


FEEDS = ["index.xml", "de/index.xml", "tags/update/index.xml"]


def feed_html(path: Path) -> list[str]:
    """The HTML of every item's <description> and <content:encoded>, as an XML parser reads it."""
    encoded = "{http://purl.org/rss/1.0/modules/content/}encoded"
    return [
        element.text or ""
        for item in ElementTree.parse(path).iter("item")
        for element in item
        if element.tag in ("description", encoded)
    ]


def test_a_browser_shows_the_same_text_for_feed_items_minified(builds):
    """Feed readers render an item's HTML like a browser does: same innerText, same code blocks."""
    plain, small = builds
    render = """html => { const box = document.createElement("div"); document.body.append(box);
        return html.map(h => { box.innerHTML = h; return box.innerText; }); }"""
    with chromium_page() as page:
        page.set_content("<!doctype html><title>feed items</title><body>")
        for rel in FEEDS:
            before, after = feed_html(plain / rel), feed_html(small / rel)
            assert len(after) == len(before) > 10, rel
            assert [pre_blocks(h) for h in after] == [pre_blocks(h) for h in before], rel
            assert page.evaluate(render, after) == page.evaluate(render, before), rel
