"""Every release of the real mailcow blog, in both languages, against a table read off the posts."""

from dataclasses import replace
from datetime import date

import pytest

from sitegen.releases import ReleaseConfig, check_releases, detect_releases, link_releases
from test_releases_pages import corpus_pages

# Read by hand from the headings of content/posts/*/index.{de,en}.md. Dates in the heading,
# else the post's date for the newest release of a post (the 2022-05 post is dated 12 May in
# German and 13 May in English: the release takes the earlier), else unknown.
TABLE = {
    ("release-2022-05", "2022-05c"): date(2022, 5, 12),
    ("release-2022-05", "2022-05b"): None,
    ("release-2022-05", "2022-05a"): None,
    ("release-2022-05", "2022-05"): None,
    ("release-2022-09", "2022-09a"): date(2022, 9, 30),
    ("release-2022-09", "2022-09"): date(2022, 9, 27),
    ("release-2022-11a", "2022-11b"): date(2022, 12, 12),
    ("release-2022-11a", "2022-11a"): None,
    ("release-2022-11a", "2022-11"): None,
    ("release-2023-04", "2023-04a"): date(2023, 4, 3),
    ("release-2023-04", "2023-04"): None,
    ("release-2023-07", "2023-07a"): date(2023, 7, 31),
    ("release-2023-07", "2023-07"): date(2023, 7, 28),
    ("release-2023-08", "2023-08"): date(2023, 8, 3),
    ("release-2023-09", "2023-09"): date(2023, 9, 29),
    ("release-2023-10", "2023-10a"): date(2023, 10, 12),
    ("release-2023-10", "2023-10"): date(2023, 10, 12),
    ("release-2023-11", "2023-11a"): date(2023, 12, 7),
    ("release-2023-11", "2023-11"): date(2023, 11, 21),
    ("release-2023-12", "2023-12a"): date(2023, 12, 29),
    ("release-2023-12", "2023-12"): date(2023, 12, 19),
}

CONFIG = ReleaseConfig.from_params({"releases": {"repo": "mailcow/mailcow-dockerized"}})


@pytest.fixture(scope="module")
def site():
    pages = {lang: corpus_pages(lang) for lang in ("en", "de")}
    releases = []
    for lang_pages in pages.values():
        for page in lang_pages:
            page.rendered = replace(page.rendered, releases=tuple(detect_releases(page, CONFIG)))
            releases += page.releases
    link_releases(releases, CONFIG)
    return pages


def found(pages):
    return {
        (page.source.rel.parent.name, r.version): (r.date.date() if r.date else None)
        for page in pages
        for r in page.releases
    }


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_release_of_the_corpus_is_found_with_its_date(site, lang) -> None:
    assert (
        found(site[lang]) == TABLE
    )  # equality: no heading outside the table is taken as a release


def test_german_and_english_posts_agree(site) -> None:
    assert found(site["de"]) == found(site["en"])


def test_every_release_links_to_its_predecessor_across_posts(site) -> None:
    by_version = {r.version: r for page in site["en"] for r in page.releases}
    assert by_version["2022-05"].compare_url.endswith("/releases/tag/2022-05")  # the oldest
    assert by_version["2023-07"].previous == "2023-04a"  # from the April post
    assert by_version["2022-11"].previous == "2022-09a"
    assert all(r.previous for v, r in by_version.items() if v != "2022-05")


def test_check_reports_the_ambiguous_cases(site) -> None:
    problems = [str(p) for p in check_releases(site["en"], CONFIG)]
    mentions = [
        p for p in problems if "mentions" in p and "heading '" in p
    ]  # posts: test_releases_titles.py
    assert (
        len(mentions) == 1
        and "release-2022-05/index.en.md:85" in mentions[0]
        and "SOGo 5.6.0" in mentions[0]
    )
    undated = sorted(p.split(" ")[2] for p in problems if "has no date" in p)
    assert undated == sorted(v for (_, v), d in TABLE.items() if d is None)


def test_check_compares_translations() -> None:
    en = {p.source.rel.parent.name: p for p in corpus_pages("en")}
    de = {p.source.rel.parent.name: p for p in corpus_pages("de")}
    for name, page in en.items():
        if name in de:
            page.translations, de[name].translations = [de[name]], [page]
    problems = [str(p) for p in check_releases([*de.values(), *en.values()], CONFIG)]
    mismatches = [p for p in problems if "here but" in p or "only one of" in p]
    # The 2022-05 post is dated 12 May in German and 13 May in English: its newest release differs.
    assert (
        len(mismatches) == 1 and "2022-05c is dated 2022-05-12 here but 2022-05-13" in mismatches[0]
    )


def test_check_reports_a_dated_heading_without_version() -> None:
    from test_releases_pages import page_from_text

    page = page_from_text(
        "---\ntitle: T\n---\n## Release vom 08.02.2024\nx\n", "posts/x/index.de.md", "de"
    )
    (problem,) = check_releases([page], CONFIG)
    assert "posts/x/index.de.md:4" in str(problem) and "date but no version" in str(problem)
