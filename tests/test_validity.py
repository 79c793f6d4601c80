"""What sitegen builds is valid: HTML passes the Nu Html Checker, feeds and sitemaps parse,
and every internal link, image, script, stylesheet and #fragment lands somewhere.

Checked on the example site of this repository and on the real mailcow blog corpus.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from site_checks import (
    REPO,
    SitegenBuild,
    base_url,
    built_files,
    feed_files,
    feed_item_links,
    normalise_url,
    plain_text,
    sitegen_build,
    sitemap_locations,
    vnu_command,
    vnu_errors,
)
from sitegen.commands.check import check_site

CORPUS = REPO.parent / "shared" / "corpus" / "mailcow-blog"
SITES = {"example": REPO, "corpus": CORPUS}


@pytest.fixture(scope="module", params=sorted(SITES))
def site(request: pytest.FixtureRequest) -> tuple[Path, SitegenBuild]:
    site_dir = SITES[request.param]
    assert (site_dir / "config.toml").is_file() and (site_dir / "content").is_dir(), (
        f"{site_dir} should hold a site (config.toml and content/)"
    )
    return site_dir, sitegen_build(site_dir)


def _limited(problems: list[str], limit: int = 60) -> str:
    more = [f"… and {len(problems) - limit} more"] if len(problems) > limit else []
    return "\n  ".join(problems[:limit] + more)


def test_every_page_passes_the_nu_html_checker(site: tuple[Path, SitegenBuild]) -> None:
    if vnu_command() is None:
        reason = "java or vnu.jar missing: run .ci/install-tools.sh"
        if os.environ.get("CI") or shutil.which("java"):
            pytest.fail(reason)  # CI installs both; with java here, only the jar is missing
        pytest.skip(reason)
    _, build = site
    errors = vnu_errors(build.out_dir)
    assert not errors, f"{len(errors)} HTML errors:\n  {_limited(errors)}"


def test_internal_links_and_fragments_resolve(site: tuple[Path, SitegenBuild]) -> None:
    """`sitegen check` (links, fragments, images, scripts, titles, lang, duplicate ids) is clean."""
    site_dir, build = site
    report = check_site(build.out_dir, base_url(site_dir))
    assert report.pages > 0 and report.links > 0
    problems = [str(problem) for problem in report.problems]
    assert not problems, f"{len(problems)} problems:\n  {_limited(problems)}"


def _expected_feed_items(build: SitegenBuild, list_url: str) -> set[str] | None:
    """The pages a list's feed should hold: those its list page shows (None: not a list)."""
    pages = {normalise_url(p.rel_permalink): p for p in build.pages}
    owner = pages.get(list_url)
    if owner is None:
        return None
    if owner.kind == "home":
        return {
            normalise_url(p.rel_permalink)
            for p in build.pages
            if p.kind == "page" and p.lang == owner.lang
        }
    if owner.kind in ("section", "term"):
        return {normalise_url(p.rel_permalink) for p in owner.pages if p.kind == "page"}
    return None


def test_feeds_parse_and_hold_the_expected_items(site: tuple[Path, SitegenBuild]) -> None:
    _, build = site
    feeds = feed_files(build.out_dir)
    assert feeds, "the site publishes no feed"
    files = built_files(build.out_dir)
    problems = []
    for url, path in sorted(feeds.items()):
        items = feed_item_links(path)
        problems += [f"{url}: item {item} was not built" for item in items if item not in files]
        expected = _expected_feed_items(build, url[: -len("index.xml")])
        if expected is not None and set(items) != expected:
            problems.append(
                f"{url}: missing {sorted(expected - set(items))[:5]}, "
                f"unexpected {sorted(set(items) - expected)[:5]}"
            )
    assert not problems, f"{len(problems)} feed problems:\n  {_limited(problems)}"


def test_feeds_carry_full_content_for_their_newest_posts_only(
    site: tuple[Path, SitegenBuild],
) -> None:
    """The newest ten posts of a feed come with their whole text (content:encoded), older
    ones with the summary alone, so a feed's size does not grow with the site."""
    import feedparser

    site_dir, build = site
    pages = {normalise_url(p.rel_permalink): p for p in build.pages if p.kind == "page"}
    problems, longest = [], 0
    for url, path in sorted(feed_files(build.out_dir).items()):
        if url.endswith("/releases/index.xml"):
            continue  # the release feed has its own items (test_releases_*)
        entries = feedparser.parse(path.read_bytes()).entries
        longest = max(longest, len(entries))
        for number, entry in enumerate(entries):
            page = pages.get(normalise_url(entry.link))
            full = [c.value for c in entry.get("content", [])]
            if page is None:
                continue
            if number < 10 and not (
                full and plain_text(full[0])[:200] == plain_text(str(page.content))[:200]
            ):
                problems.append(
                    f"{url}: item {number + 1} ({entry.link}) lacks the post's full text"
                )
            if number >= 10 and full:
                problems.append(f"{url}: item {number + 1} ({entry.link}) carries full text")
    assert longest > 10 or site_dir != CORPUS, (
        "no feed of the corpus is long enough to show the cut"
    )
    assert not problems, _limited(problems)


def test_sitemaps_parse_and_point_at_built_pages(site: tuple[Path, SitegenBuild]) -> None:
    _, build = site
    files = built_files(build.out_dir)
    assert "/sitemap.xml" in files, "no /sitemap.xml"
    problems = []
    for url, path in sorted(files.items()):
        if path.name == "sitemap.xml":
            problems += [
                f"{url}: {loc} was not built"
                for loc in sitemap_locations(path)
                if normalise_url(loc) not in files
            ]
    assert not problems, _limited(problems)


# The checks themselves must catch what they are for: small hand-made sites.


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


PAGE = '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{}</body></html>'


def test_nu_html_checker_reports_invalid_html(tmp_path: Path) -> None:
    if vnu_command() is None:
        pytest.skip("java or vnu.jar missing: run .ci/install-tools.sh")
    site = _write(
        tmp_path,
        {
            "good/index.html": PAGE.format("<p>fine</p>"),
            "bad/index.html": PAGE.format('<p id="a">x</p><p id="a">y</p>'),
            "style.css": "p {}",
        },
    )
    errors = vnu_errors(site)
    assert (
        len(errors) == 1 and errors[0].startswith("/bad/index.html") and "Duplicate ID" in errors[0]
    )
