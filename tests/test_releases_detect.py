"""Release sections found in pages, their dates, anchors and compare links."""

from dataclasses import replace
from datetime import date

import pytest

from sitegen.errors import SiteError
from sitegen.models import Heading
from sitegen.releases import (
    ReleaseConfig,
    detect_releases,
    infer_repo,
    link_releases,
    release_heading,
    version_key,
)
from test_releases_pages import FIXTURES, corpus_pages, page_from_text, seed_page

REPO = "mailcow/mailcow-dockerized"
CONFIG = ReleaseConfig.from_params({"releases": {"repo": REPO}})
COMPARE = f"https://github.com/{REPO}/compare/"


def site_releases(pages, config=CONFIG):
    releases = []
    for page in pages:
        page.rendered = replace(page.rendered, releases=tuple(detect_releases(page, config)))
        releases += page.releases
    link_releases(releases, config)
    return releases


def test_seed_post_has_five_releases_with_dates_and_compare_links() -> None:
    seed = seed_page()
    site_releases([seed, *corpus_pages("de")])
    found = [(r.version, r.date.date(), r.previous, r.compare_url) for r in seed.releases]
    assert found == [
        (
            "2024-01e",
            date(2024, 2, 8),
            "2024-01d",
            COMPARE + "2024-01d...2024-01e",
        ),  # the author's link
        ("2024-01c", date(2024, 2, 2), "2024-01b", COMPARE + "2024-01b...2024-01c"),
        ("2024-01b", date(2024, 1, 22), "2024-01a", COMPARE + "2024-01a...2024-01b"),
        ("2024-01a", date(2024, 1, 18), "2024-01", COMPARE + "2024-01...2024-01a"),
        (
            "2024-01",
            date(2024, 1, 17),
            "2023-12a",
            COMPARE + "2023-12a...2024-01",
        ),  # last month's post
    ]
    assert [r.anchor for r in seed.releases] == [
        "2024-01e",
        "2024-01c",
        "2024-01b",
        "2024-01a",
        "2024-01",
    ]
    assert seed.releases[0].heading_id == "2024-01e-release-vom-08022024"


def test_without_last_months_post_the_oldest_release_links_its_tag() -> None:
    seed = seed_page()
    site_releases([seed])
    assert seed.releases[-1].previous == ""
    assert seed.releases[-1].compare_url == f"https://github.com/{REPO}/releases/tag/2024-01"


def test_section_runs_to_the_next_heading_of_the_same_level() -> None:
    page = fixture_page()
    oldest = page.releases[-1] if page.releases else detect_releases(page, CONFIG)[-1]
    assert "<h3" in oldest.html and "Changelog" in oldest.html and "SOGo 5.9.1" in oldest.html
    newest = detect_releases(page, CONFIG)[0]
    assert "Isolationsregel" in newest.html and "2024-01c" not in newest.html
    assert not newest.html.rstrip().endswith(
        "<hr />"
    )  # the divider between sections is not content


def test_mentions_in_passing_are_not_releases() -> None:
    versions = [r.version for r in detect_releases(fixture_page(), CONFIG)]
    assert versions == [
        "2024-01e",
        "2024-01c",
        "2024-01b",
        "2024-01a",
        "2024-01",
    ]  # not "5.9.1", not "2024-02"


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("2024-01e (Release vom 08.02.2024)", "2024-01e"),
        ("Update 2023-04a", "2023-04a"),
        ("Stabile Änderungen (stable Branch 2022-11b)", "2022-11b"),
        ("🚀 v1.2.3", "v1.2.3"),
        ("Release 1.2.3-rc.1 (2nd February 2024)", "1.2.3-rc.1"),
        ("2.0.0", "2.0.0"),
    ],
)
def test_release_headings(text: str, version: str) -> None:
    assert release_heading(Heading(2, text, text, "x", 1), CONFIG, "en")[0] == version


@pytest.mark.parametrize(
    "text",
    [
        "SOGo 5.6.0",
        "Wichtige Änderungen ab November 2021",
        "Was ist CVE-2023-34108?",
        "Docker Compose v2",
        "Release vom 08.02.2024",
        "Upgrade from 1.2.3.4",
        "Changelog",
    ],
)
def test_not_release_headings(text: str) -> None:
    assert release_heading(Heading(2, text, text, "x", 1), CONFIG, "de") is None


def test_versions_sort_as_releases_do() -> None:
    versions = ["2024-01a", "2023-12a", "2024-01", "2023-12", "2024-01e", "2024-01c"]
    assert sorted(versions, key=version_key) == [
        "2023-12",
        "2023-12a",
        "2024-01",
        "2024-01a",
        "2024-01c",
        "2024-01e",
    ]
    semver = ["1.10.0", "1.2.3", "1.2.3-rc.1", "v1.2.4", "1.2.3-beta.2", "1.2.3-beta.11"]
    assert sorted(semver, key=version_key) == [
        "1.2.3-beta.2",
        "1.2.3-beta.11",
        "1.2.3-rc.1",
        "1.2.3",
        "v1.2.4",
        "1.10.0",
    ]


def test_undated_newest_release_takes_the_posts_date_and_older_stay_unknown() -> None:
    page = page_from_text(
        "---\ntitle: T\ndate: 2022-05-13T09:22:00+02:00\n---\n### 2022-05c\nx\n### 2022-05b\ny\n",
        "posts/a/index.en.md",
        "en",
    )
    newest, older = detect_releases(page, CONFIG)
    assert newest.date == page.date and older.date is None


def test_front_matter_corrects_and_declares_releases() -> None:
    text = (
        "---\ntitle: T\ndate: 2022-05-13T09:22:00+02:00\nreleases:\n"
        "  - {version: 2022-05b, date: 2022-05-10}\n"
        "  - {version: 5.6.0, date: 2022-05-01, previous: 5.5.1}\n"
        "  - {version: 2022-05a, compare: 'https://example.org/c/1'}\n---\n"
        "### 2022-05b\nx\n### 2022-05a\ny\n#### SOGo 5.6.0\nz\n"
    )
    page = page_from_text(text, "posts/a/index.en.md", "en")
    releases = {r.version: r for r in detect_releases(page, CONFIG)}
    assert releases["2022-05b"].date.date() == date(2022, 5, 10)
    assert (
        releases["5.6.0"].heading_id == "sogo-560" and releases["5.6.0"].html.strip() == "<p>z</p>"
    )
    assert releases["5.6.0"].compare_url == COMPARE + "5.5.1...5.6.0"
    assert releases["2022-05a"].compare_url == "https://example.org/c/1"


def test_a_declared_release_without_a_heading_is_the_whole_post() -> None:
    page = page_from_text(
        "---\ntitle: Moopril\nreleases: [{version: 2022-04, date: 2022-04-05}]\n---\nAll new.\n",
        "posts/b/index.en.md",
        "en",
    )
    (release,) = detect_releases(page, CONFIG)
    assert (release.version, release.anchor, release.html.strip()) == (
        "2022-04",
        "",
        "<p>All new.</p>",
    )


def test_releases_false_switches_detection_off() -> None:
    page = page_from_text(
        "---\ntitle: T\nreleases: false\n---\n## 2024-01e (Release vom 08.02.2024)\n",
        "posts/c/index.de.md",
        "de",
    )
    assert detect_releases(page, CONFIG) == []


def test_malformed_front_matter_is_an_error_naming_the_file() -> None:
    page = page_from_text(
        "---\ntitle: T\nreleases: [{date: 2024-01-01}]\n---\n", "posts/d/index.de.md", "de"
    )
    with pytest.raises(SiteError, match="needs a version") as error:
        detect_releases(page, CONFIG)
    assert "posts/d/index.de.md" in str(error.value)


def test_short_anchor_never_duplicates_an_existing_id() -> None:
    text = "---\ntitle: T\n---\n## 2024-01\nintro\n### 2024-01a (Release vom 18.01.2024)\nx\n## 2024-01a\ndup\n"
    page = page_from_text(text, "posts/e/index.de.md", "de")
    anchors = [r.anchor for r in detect_releases(page, CONFIG)]
    # `## 2024-01a` already owns the id "2024-01a", so the dated heading keeps only Hugo's id.
    assert anchors == ["2024-01", "2024-01a-release-vom-18012024", "2024-01a"]


def test_custom_pattern_from_config() -> None:
    config = ReleaseConfig.from_params(
        {"releases": {"repo": "o/r", "pattern": r"(?<!\w)r(?P<version>\d+)(?!\w)"}}
    )
    page = page_from_text(
        "---\ntitle: T\n---\n## r42 (Released 3rd May 2024)\nx\n## 2024-01\n",
        "posts/f/index.en.md",
        "en",
    )
    assert [(r.version, r.date.date()) for r in detect_releases(page, config)] == [
        ("42", date(2024, 5, 3))
    ]


def test_bad_config_is_reported_with_a_hint() -> None:
    with pytest.raises(SiteError, match="owner/name"):
        ReleaseConfig.from_params({"releases": {"repo": "https://github.com/x"}})
    with pytest.raises(SiteError, match="regular expression"):
        ReleaseConfig.from_params({"releases": {"pattern": "("}})


def test_gitlab_compare_form() -> None:
    config = ReleaseConfig.from_params({"releases": {"repo": "group/app", "forge": "gitlab"}})
    assert (
        config.compare_link("1.0.0", "1.1.0")
        == "https://gitlab.com/group/app/-/compare/1.0.0...1.1.0"
    )
    assert config.forge == "GitLab"


def test_repository_is_inferred_from_the_posts_links() -> None:
    assert infer_repo(corpus_pages("en")) == REPO
    assert (
        infer_repo([page_from_text("---\ntitle: T\n---\nno links\n", "posts/g/index.en.md", "en")])
        is None
    )


def fixture_page():
    path = FIXTURES / "monthly.de.md"
    return page_from_text(
        path.read_text("utf-8"), "posts/2024/release-2024-01/index.de.md", "de", path
    )
