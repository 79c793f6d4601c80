"""Search and the release index as a reader meets them (issue 17): a version query opens the
release's section, dates are localized, the box is usable on a phone and shows its whole
placeholder; the release index lists each post once, its releases under it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO
from publish_helpers import build, chromium_page, serve_folder

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("search") / "public"
    build(REPO, out)
    return out


def _search(page, query: str) -> list[dict]:
    page.fill(".search-input", query)
    page.wait_for_selector(".search-results li a")
    return page.evaluate("""() => [...document.querySelectorAll('.search-results li')].map(li => ({
        href: li.querySelector('a').getAttribute('href'), text: li.querySelector('a').textContent,
        time: (li.querySelector('time') || {}).textContent || ''}))""")


@pytest.mark.parametrize("home, day", [("/", "Feb 2, 2024"), ("/de/", "02.02.2024")])
def test_a_version_query_opens_the_release_section_with_a_local_date(
    public: Path, home: str, day: str
):
    with (
        serve_folder(public) as base,
        chromium_page(viewport={"width": 1280, "height": 800}) as page,
    ):
        page.goto(base + home)
        hits = _search(page, "2024-01c")
        assert hits[0]["href"].endswith("/posts/2024/release-2024-01/#2024-01c"), hits
        assert hits[0]["text"].startswith("2024-01c – ")
        assert hits[0]["time"] == day, (
            hits
        )  # the release's own date, as the page's language writes it
        words = _search(page, "ARM64")  # a plain query still opens the post
        assert all("#" not in hit["href"] for hit in words)
        assert all(hit["time"] and not ISO_DAY.match(hit["time"]) for hit in words)


PLACEHOLDER_FITS = """() => {
  const input = document.querySelector('.search-input');
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d');
  context.font = style.font;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {text: context.measureText(input.placeholder).width, room: room, width: input.getBoundingClientRect().width};
}"""


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}]
)
def test_the_search_box_shows_its_placeholder_and_is_wide_on_a_phone(
    public: Path, tmp_path: Path, viewport
):
    with serve_folder(public) as base, chromium_page(viewport=viewport) as page:
        for home in ("/", "/de/"):
            page.goto(base + home)
            if viewport["width"] < 600:
                page.click(".menu-toggle")
            page.wait_for_selector(".search-input", state="visible")
            box = page.evaluate(PLACEHOLDER_FITS)
            assert box["text"] <= box["room"], (home, box)
            if viewport["width"] < 600:
                assert box["width"] >= 0.75 * viewport["width"], (home, box)
                page.screenshot(path=str(tmp_path / f"menu{home.strip('/') or 'en'}.png"))


def test_the_release_index_lists_each_post_once_with_its_releases_under_it(public: Path):
    index = (public / "releases" / "index.html").read_text()
    groups = re.findall(r"<tbody>(.*?)</tbody>", index, re.S)
    titles = [
        re.search(r'class="release-post".*?<a href="([^"]+)"', g, re.S).group(1) for g in groups
    ]
    assert len(titles) == len(set(titles)) >= 2  # one group per post
    january = next(g for g, t in zip(groups, titles) if t.endswith("/release-2024-01/"))
    versions = re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a>', january)
    assert (
        versions == ["2024-01e", "2024-01c", "2024-01b", "2024-01a", "2024-01"][: len(versions)]
        and len(versions) >= 4
    )
    assert index.count("January 2024 Update") == 1  # the title once, not on every row
