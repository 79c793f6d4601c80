"""Posts that are one release: the version in the slug or title (issue 17, and issue 16's
"Project 1.8.0 is released"), on the real mailcow blog and on small sites."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from conftest import CORPUS, run_sitegen, write_post
from sitegen.releases.versions import version_key

RELEASE_POSTS = sorted(p.name for p in (CORPUS / "content" / "posts").glob("*/release-*"))
FOLDER = re.compile(r"/posts/\d{4}/([^/#]+)/")


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mailcow") / "public"
    result = run_sitegen("build", "-s", CORPUS, "-d", out, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def _json(public: Path, lang: str) -> list[dict]:
    return json.loads(
        (public / ("" if lang == "en" else lang) / "releases" / "releases.json").read_text()
    )


@pytest.mark.parametrize("lang", ["en", "de"])
def test_all_27_release_posts_are_in_releases_json(corpus_build: Path, lang: str):
    assert len(RELEASE_POSTS) == 27
    entries = _json(corpus_build, lang)
    posts = {FOLDER.search(e["url"]).group(1) for e in entries}
    assert posts == set(RELEASE_POSTS)  # and no other post (2022-04-info, spamhaus-dnsblocklist)
    versions = [e["version"] for e in entries]
    assert len(versions) == len(set(versions)), "a version is listed twice"
    for post in RELEASE_POSTS:  # each post's own version (its slug) is among its releases
        assert post.removeprefix("release-") in {
            e["version"] for e in entries if f"/{post}/" in e["url"]
        }


@pytest.mark.parametrize("lang", ["en", "de"])
def test_compare_links_span_neighbours_only(corpus_build: Path, lang: str):
    entries = sorted(_json(corpus_build, lang), key=lambda e: version_key(e["version"]))
    assert entries[0]["compare_url"].endswith("/releases/tag/2022-01")
    for older, newer in zip(entries, entries[1:]):
        assert newer["previous"] == older["version"]
        assert newer["compare_url"].endswith(f"/compare/{older['version']}...{newer['version']}")
    by_version = {e["version"]: e for e in entries}
    assert by_version["2022-05d"]["previous"] == "2022-05c"  # was 2022-05c...2022-09 before
    assert by_version["2022-06"]["previous"] == "2022-05d"


def test_a_post_release_has_the_posts_top_and_date(corpus_build: Path):
    entry = next(e for e in _json(corpus_build, "en") if e["version"] == "2022-05d")
    assert (
        entry["url"] == "https://mailcow.email/posts/2022/release-2022-05d/"
    )  # no fragment: the post's top
    assert entry["date"] == "2022-05-19" and entry["post_title"].startswith("⚠️ 2022-05d")
    page = (corpus_build / "posts/2022/release-2022-05d/index.html").read_text()
    meta = re.search(r'<p class="release-meta">.*?</p>', page, re.S).group(0)
    assert '<time datetime="2022-05-19">' in meta and "compare/2022-05c...2022-05d" in meta


@pytest.mark.parametrize("lang", ["en", "de"])
def test_release_index_and_feed_list_every_post(corpus_build: Path, lang: str):
    folder = corpus_build / ("" if lang == "en" else lang) / "releases"
    index = (folder / "index.html").read_text()
    for post in RELEASE_POSTS:
        assert f"/{post}/" in index
    feed = feedparser.parse((folder / "index.xml").read_bytes())
    assert not feed.bozo
    assert any(e.link.endswith("/release-2023-05a/") for e in feed.entries)
    assert "/2022-04-info/" not in index and "/spamhaus-dnsblocklist/" not in index


def test_check_lists_the_near_misses_with_reasons():
    result = run_sitegen("releases", "--check", "-s", CORPUS)
    misses = [
        line for line in result.stdout.splitlines() if "post is not taken as a release" in line
    ]
    assert len(misses) == 6, misses  # two posts x two languages, 2022-04-info by slug and title
    spamhaus = [m for m in misses if "spamhaus-dnsblocklist/index.en.md:1:" in m]
    assert len(spamhaus) == 1 and "mentions 2023-07 but does not announce it" in spamhaus[0]
    info_de = [m for m in misses if "2022-04-info/index.de.md" in m]
    assert any(
        "announces 2022-04, which" in m and "release-2022-04/index.de.md already releases" in m
        for m in info_de
    )
    assert any("its slug '2022-04-info' mentions 2022-04" in m for m in info_de)


# --- small sites: the rule on both sides --------------------------------------------------

CONFIG = """baseURL = "https://example.org/"
title = "T"
languageCode = "en"
[params.releases]
repo = "acme/project"
"""


def _site(tmp_path: Path, posts: dict[str, str]) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "config.toml").write_text(CONFIG)
    for rel, text in posts.items():
        write_post(site, rel, text)
    return site


def _post(title: str, day: str, body: str = "Some notes.\n", extra: str = "") -> str:
    return f'---\ntitle: "{title}"\ndate: {day}\n{extra}---\n{body}'


def _released(site: Path) -> dict[str, str]:
    result = run_sitegen("build", "-s", site, "--quiet")
    assert result.returncode == 0, result.stderr
    return {
        e["version"]: e["url"]
        for e in json.loads((site / "public/releases/releases.json").read_text())
    }


def test_titles_and_slugs_that_announce_a_version(tmp_path: Path):
    site = _site(
        tmp_path,
        {
            "posts/gitea-is-out.md": _post(
                "Gitea 1.8.0 is released", "2019-04-21", "## Changelog\n\n- fixes\n"
            ),
            "posts/keepass.md": _post("New Release: KeePassXC 2.7.11", "2025-06-01"),
            "posts/old.md": _post(
                "Another one", "2017-04-11", extra="slug: 2017-04-11-2.1.4-released\n"
            ),
            "posts/release-2024-02.md": _post("February update", "2024-02-10"),
            "posts/hot.md": _post("⚠️ 2024-03a Important Security Update! ⚠️", "2024-03-20"),
            "posts/pipe.md": _post("2024-04a | Critical stability update", "2024-04-20"),
        },
    )
    released = _released(site)
    assert released == {
        "1.8.0": "https://example.org/posts/gitea-is-out/",
        "2.7.11": "https://example.org/posts/keepass/",
        "2.1.4": "https://example.org/posts/2017-04-11-2.1.4-released/",
        "2024-02": "https://example.org/posts/release-2024-02/",
        "2024-03a": "https://example.org/posts/hot/",
        "2024-04a": "https://example.org/posts/pipe/",
    }


def test_titles_that_only_mention_a_version_and_ignored_headings(tmp_path: Path):
    site = _site(
        tmp_path,
        {
            "posts/spamhaus.md": _post(
                "Spamhaus DNS Blocklist changes since 2023-07", "2023-08-01"
            ),
            "posts/info.md": _post("Important Information about the 2022-04 Update", "2022-04-01"),
            "posts/toolchain.md": _post(
                "Our toolchain",
                "2023-09-01",
                "## GCC 13.2.0\n\nx\n\n## 2.1 Create Your Project\n\ny\n",
            ),
            "posts/slug-info.md": _post("Notes", "2022-04-02", extra="slug: 2022-04-info\n"),
        },
    )
    result = run_sitegen("build", "-s", site, "--quiet")
    assert result.returncode == 0, result.stderr
    assert json.loads((site / "public/releases/releases.json").read_text()) == []
    check = run_sitegen("releases", "--check", "-s", site)
    assert check.returncode == 1
    assert "spamhaus.md:1: post is not taken as a release: its title" in check.stdout
    assert "info.md:1: post is not taken as a release: its title" in check.stdout
    assert "its slug '2022-04-info' mentions 2022-04" in check.stdout


def test_headings_win_front_matter_overrides_and_no_version_twice(tmp_path: Path):
    site = _site(
        tmp_path,
        {
            # version headings of its own: the title's version is not a second release
            "posts/release-2024-05.md": _post(
                "Release 2024-05",
                "2024-05-30",
                "## 2024-05a (Released 30th May 2024)\n\nx\n\n## 2024-05 (Released 2nd May 2024)\n\ny\n",
            ),
            "posts/again.md": _post(
                "2024-05a is out", "2024-06-01"
            ),  # already released by the post above
            "posts/release-2024-06.md": _post("June", "2024-06-10", extra="releases: false\n"),
            "posts/release-2024-07.md": _post(
                "July", "2024-07-10", extra="releases:\n  - version: 2024-07b\n"
            ),
        },
    )
    released = _released(site)
    assert sorted(released) == ["2024-05", "2024-05a", "2024-07b"]
    assert released["2024-05a"].endswith("/posts/release-2024-05/#2024-05a")
    check = run_sitegen("releases", "--check", "-s", site)
    assert (
        "again.md:1: post is not taken as a release: its title '2024-05a is out' announces 2024-05a"
        in check.stdout
    )
