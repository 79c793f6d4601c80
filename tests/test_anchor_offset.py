"""Release deep links (#2024-01c, as the release index, feeds and releases.json hand them out)
show their heading below the sticky header, on desktop and mobile (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish_helpers import build, chromium_page, serve_folder

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 390, "height": 844}}
LINKS = ["/posts/2024/release-2024-01/#2024-01c", "/de/posts/2024/release-2024-01/#2024-01c"]

MEASURE = """() => {
  const header = document.querySelector('.site-header').getBoundingClientRect();
  const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  const heading = target.closest('h1, h2, h3, h4, h5, h6').getBoundingClientRect();
  return {headerBottom: header.bottom, top: heading.top, bottom: heading.bottom, scrollY: window.scrollY};
}"""


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    from conftest import REPO

    out = tmp_path_factory.mktemp("anchors") / "public"
    build(REPO, out)
    return out


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("link", LINKS)
def test_a_followed_release_link_shows_its_heading_below_the_header(
    public: Path, tmp_path: Path, viewport, link
):
    with serve_folder(public) as base, chromium_page(viewport=VIEWPORTS[viewport]) as page:
        page.goto(base + link)
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)
        box = page.evaluate(MEASURE)
        page.screenshot(path=str(tmp_path / f"{viewport}.png"))
    assert (tmp_path / f"{viewport}.png").stat().st_size > 0
    assert box["scrollY"] > 0, box  # the link was followed: the page scrolled to the heading
    assert box["top"] >= box["headerBottom"], box  # not under the sticky header
    assert box["top"] <= box["headerBottom"] + 40, box  # and right below it, not further down
    assert box["bottom"] <= VIEWPORTS[viewport]["height"], box
