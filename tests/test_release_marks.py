"""Release decorations come from marks the Markdown pass leaves, not from reading the
rendered HTML again: built pages carry the anchor, date and compare link beside each
release heading, a post that is one release links its references in the release feed
only, and no mark is ever left in what a build writes."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser

from conftest import run_sitegen, write_post

REPO = "acme/widget"
GH = "https://github.com"
MARKS = re.compile("[\ue020-\ue024]")


def _site(tmp_path: Path, posts: dict[str, str]) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "config.toml").write_text(
        f'baseURL = "https://example.org/"\ntitle = "T"\n[params.releases]\nrepo = "{REPO}"\n',
        encoding="utf-8",
    )
    for rel, text in posts.items():
        write_post(site, rel, text)
    result = run_sitegen("build", "-s", site, "-d", tmp_path / "public", "--quiet")
    assert result.returncode == 0, result.stderr
    return tmp_path / "public"


HEADINGS = """\
---
title: "Widget updates"
date: 2024-03-01
---

Intro with #1 and a summary.

## 2024-02 (Release 2024-02-20)

Fixed #10 by @ann.

### Notes

Still in 2024-02's section: #11.

## 2024-03 (Release 2024-03-01)

Fixed #12.

## Unrelated

#13 stays text.
"""

ONE_RELEASE = """\
---
title: "Widget 2024-01 is released"
date: 2024-01-15
---

This release fixes #5 reported by @bob.

## Details

More about #6.
"""


def test_release_headings_carry_anchor_date_and_compare_link(tmp_path):
    public = _site(tmp_path, {"posts/updates.md": HEADINGS, "posts/widget-2024-01.md": ONE_RELEASE})
    html = (public / "posts" / "updates" / "index.html").read_text("utf-8")
    opening = re.search(
        r'<h2 id="2024-02-release-2024-02-20">(.*?)</h2>\n(<p class="release-meta">.*?</p>)',
        html,
        re.S,
    )
    assert opening, html
    assert opening.group(1).startswith('<span class="release-anchor" id="2024-02"></span>')
    assert '<time datetime="2024-02-20">' in opening.group(2)
    assert f'href="{GH}/{REPO}/compare/2024-01...2024-02"' in opening.group(
        2
    )  # the other post's release
    assert (
        f'<a href="{GH}/{REPO}/issues/11" class="issue-link">#11</a>' in html
    )  # the nested heading's text
    assert "#13 stays text." in html and "with #1 and" in html
    summary = (public / "index.html").read_text("utf-8")
    assert "release-meta" not in summary.split("Intro with", 1)[1].split("</div>", 1)[0]


def test_a_post_that_is_one_release_links_references_in_the_feed_only(tmp_path):
    public = _site(tmp_path, {"posts/widget-2024-01.md": ONE_RELEASE})
    page = (public / "posts" / "widget-2024-01" / "index.html").read_text("utf-8")
    assert "fixes #5 reported by @bob." in page and "issue-link" not in page
    feed = feedparser.parse((public / "releases" / "index.xml").read_bytes())
    [item] = feed.entries
    assert item.title.startswith("2024-01")
    # feedparser writes the attributes in its own order
    assert f'<a class="issue-link" href="{GH}/{REPO}/issues/5">#5</a>' in item.description
    assert f'<a class="user-mention" href="{GH}/bob">@bob</a>' in item.description
    assert f"{GH}/{REPO}/issues/6" in item.description  # under a heading that announces nothing


def test_no_build_output_holds_a_mark(tmp_path):
    taken = ONE_RELEASE.replace(
        "date: 2024-01-15", "date: 2024-01-16"
    )  # a second post announcing 2024-01
    public = _site(
        tmp_path,
        {
            "posts/updates.md": HEADINGS,
            "posts/widget-2024-01.md": ONE_RELEASE,
            "posts/again-2024-01.md": taken,
        },
    )
    again = (public / "posts" / "again-2024-01" / "index.html").read_text("utf-8")
    assert "fixes #5 reported by @bob." in again
    for path in public.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json"}:
            assert not MARKS.search(path.read_text("utf-8")), path
