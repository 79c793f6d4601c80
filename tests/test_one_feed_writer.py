"""The release feed and the list feeds come from one RSS writer (sitegen.render.feeds): the
same prolog, channel fields and item markup, so a feed reader sees one kind of feed."""

from __future__ import annotations

from pathlib import Path

import feedparser

from conftest import run_sitegen, write_post

POST = """\
---
title: "Widget 2024-01 is released"
date: 2024-01-15
---

This release fixes #5 & more.
"""


def test_release_feed_and_home_feed_share_one_writer(tmp_path: Path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "config.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "T"\n[params.releases]\nrepo = "acme/widget"\n',
        encoding="utf-8",
    )
    write_post(site, "posts/widget-2024-01.md", POST)
    result = run_sitegen("build", "-s", site, "-d", tmp_path / "public", "--quiet")
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "public" / "index.xml").read_text("utf-8")
    releases = (tmp_path / "public" / "releases" / "index.xml").read_text("utf-8")
    prolog = home.split("<title>", 1)[0]
    assert releases.startswith(prolog)  # declaration, <rss> with its namespaces, <channel>
    home_feed, release_feed = feedparser.parse(home.encode()), feedparser.parse(releases.encode())
    assert not home_feed.bozo and not release_feed.bozo
    assert home_feed.feed.generator == release_feed.feed.generator
    assert release_feed.feed.links[-1].href == "https://example.org/releases/index.xml"
    [item] = release_feed.entries
    assert item.title == "2024-01 – Widget 2024-01 is released"
    assert item.id == "https://example.org/posts/widget-2024-01/#2024-01"
    assert "#5</a> &amp; more." in item.description or "#5</a> & more." in item.description
    assert item.published_parsed[:3] == (2024, 1, 15)
