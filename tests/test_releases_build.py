"""Releases as `sitegen build` publishes them: the seed post, the index, the feed, the JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from conftest import CORPUS, REPO, run_sitegen

SEED_POST = "posts/2024/release-2024-01/index.de.md"


def _site_with_seed_and_corpus(tmp_path: Path) -> Path:
    """The corpus plus the seed as its January 2024 post (its predecessor is 2023-12a)."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(CORPUS, site)
    target = site / "content" / SEED_POST
    target.parent.mkdir(parents=True)
    shutil.copy(REPO / "content" / SEED_POST, target)
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = _site_with_seed_and_corpus(tmp_path_factory.mktemp("releases"))
    result = run_sitegen("build", "-s", site)
    assert result.returncode == 0, result.stderr
    return site / "public"


def test_seed_post_releases_dates_and_compare_links(built: Path) -> None:
    html = (built / "de/posts/2024/release-2024-01/index.html").read_text(encoding="utf-8")
    expected = [
        ("2024-01e", "2024-02-08", "2024-01d...2024-01e"),
        ("2024-01c", "2024-02-02", "2024-01b...2024-01c"),
        ("2024-01b", "2024-01-22", "2024-01a...2024-01b"),
        ("2024-01a", "2024-01-18", "2024-01...2024-01a"),
        ("2024-01", "2024-01-17", "2023-12a...2024-01"),
    ]
    for version, day, compare in expected:
        heading = re.search(
            rf'<h2 id="{re.escape(version)}-release-vom-[0-9]+">(.*?)</h2>\s*<p class="release-meta">(.*?)</p>',
            html,
            re.S,
        )
        assert heading, version
        assert f'<span class="release-anchor" id="{version}"></span>' in heading[1]
        assert f'<time datetime="{day}">' in heading[2]
        assert f"https://github.com/mailcow/mailcow-dockerized/compare/{compare}" in heading[2]
    assert "8. Februar 2024" in html and "Änderungen auf GitHub" in html


def test_release_feed_has_one_item_per_release(built: Path) -> None:
    feed = feedparser.parse((built / "de/releases/index.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    guids = [entry.id for entry in feed.entries]
    assert len(guids) == len(set(guids))
    seed = {e.id.rsplit("#", 1)[1]: e for e in feed.entries if "/release-2024-01/" in e.id}
    assert sorted(seed) == ["2024-01", "2024-01a", "2024-01b", "2024-01c", "2024-01e"]
    assert seed["2024-01e"].published_parsed[:3] == (2024, 2, 8)
    assert "Netfilter" in seed["2024-01e"].summary and "2024-01c" not in seed["2024-01e"].summary


def test_release_index_and_json_list_every_release_newest_first(built: Path) -> None:
    data = json.loads((built / "de/releases/releases.json").read_text(encoding="utf-8"))
    versions = [item["version"] for item in data]
    assert versions[:2] == ["2024-01e", "2024-01c"]
    dates = [item["date"] for item in data if item.get("date")]
    assert dates == sorted(dates, reverse=True)
    index = (built / "de/releases/index.html").read_text(encoding="utf-8")
    assert 'href="/de/posts/2024/release-2024-01/#2024-01e"' in index
    for anchor in re.findall(r'href="(/de/posts/[^"#]+)#([^"]+)"', index):
        page = (built / anchor[0].strip("/") / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor[1]}"' in page, anchor


def test_appending_a_section_adds_exactly_one_feed_item(example_site: Path) -> None:
    assert run_sitegen("build", "-s", example_site).returncode == 0
    feed_path = example_site / "public/releases/index.xml"
    before = {e.id for e in feedparser.parse(feed_path.read_bytes()).entries}
    post = example_site / "content/posts/2024/release-2024-02/index.en.md"
    text = post.read_text(encoding="utf-8").replace(
        "## 2024-02a", "## 2024-02b (Release 5th March 2024)\n\n+ Fixed the fix.\n\n## 2024-02a", 1
    )
    post.write_text(text, encoding="utf-8")
    assert run_sitegen("build", "-s", example_site).returncode == 0
    after = {e.id: e for e in feedparser.parse(feed_path.read_bytes()).entries}
    assert set(after) - before == {"https://blog.example.org/posts/2024/release-2024-02/#2024-02b"}
    assert before <= set(after)
    assert after["https://blog.example.org/posts/2024/release-2024-02/#2024-02b"].published_parsed[
        :3
    ] == (2024, 3, 5)


def test_the_release_feed_keeps_to_the_sites_rss_limit_and_the_json_lists_every_release(
    example_site: Path,
) -> None:
    config = example_site / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[services.rss]\n  limit = 3\n", encoding="utf-8"
    )
    assert run_sitegen("build", "-s", example_site).returncode == 0
    public = example_site / "public"
    every = json.loads((public / "releases/releases.json").read_text(encoding="utf-8"))
    assert len(every) > 3
    feed = feedparser.parse((public / "releases/index.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    newest = [item["url"] for item in every[:3]]
    assert [entry.link for entry in feed.entries] == newest
    assert len(feedparser.parse((public / "index.xml").read_bytes()).entries) <= 3


def test_releases_check_on_the_corpus_lists_located_doubts() -> None:
    result = run_sitegen("releases", "--check", "-s", CORPUS)
    assert result.returncode == 1
    assert re.search(r"release-2022-05/index\.en\.md:85", result.stdout), result.stdout


def test_releases_lists_every_release() -> None:
    result = run_sitegen("releases", "-s", REPO)
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"^de\s+2024-01e\s+2024-02-08\s+https://blog\.example\.org/de/posts/2024/release-2024-01/#2024-01e$",
        result.stdout,
        re.M,
    ), result.stdout
