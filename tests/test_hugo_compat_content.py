"""Content Hugo renders in ways sitegen must match (issue 16, part B): `enableEmoji` and the
summaries of raw-HTML posts, each a tiny site built by real Hugo and by sitegen."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import feedparser

from test_hugo_compat_templates import hugo_build, sitegen_build, texts, write_site

EMOJI_BODY = """---
title: "Camp :tent:"
---
A :tent: and :+1: and :thumbsup: and :nope: and x:tent:y and :tent::tent: and `:tent:` and [:tent:](https://x.org/:tent:).

```
:tent: in fence
```

:smile_cat: :de: :man_technologist: :white_check_mark: :heavy_check_mark: :heart: :cat: :cat2: :beetle: :egg:

## Heading :rocket: ready

Not an emoji: 10:30:00 and :: and :-) and https://example.org/a:b:c
"""


def content_of(html: str) -> str:
    return html.split('<div class="content">', 1)[1].split("</article>", 1)[0]


def test_emoji_as_hugo_writes_them(tmp_path: Path) -> None:
    config = 'baseURL = "https://example.org/"\ntitle = "T"\nenableEmoji = true\n'
    hugo_site = write_site(
        tmp_path / "hugo-site",
        {
            "hugo.toml": config,
            "content/p.md": EMOJI_BODY,
            "layouts/_default/single.html": "{{ .Content }}",
        },
    )
    ours = write_site(tmp_path / "site", {"hugo.toml": config, "content/p.md": EMOJI_BODY})
    hugo_html = (hugo_build(hugo_site, tmp_path / "hugo") / "p/index.html").read_text(
        encoding="utf-8"
    )
    result = sitegen_build(ours, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out/p/index.html").read_text(encoding="utf-8")
    html = content_of(page)
    for tag in ("p", "code", "h2"):
        assert texts(html, tag) == texts(unescape(hugo_html), tag), tag
    assert (
        re.findall(r'<h2 id="([^"]+)"', html)
        == re.findall(r'<h2 id="([^"]+)"', hugo_html)
        == ["heading-rocket-ready"]
    )
    assert (
        "A ⛺ and 👍" in html
        and "<code>:tent:</code>" in html
        and 'href="https://x.org/:tent:"' in html
    )
    assert '<h1 class="post-title">Camp :tent:</h1>' in page, "titles are not emojified, as in Hugo"


def test_without_enable_emoji_names_stay_text(tmp_path: Path) -> None:
    ours = write_site(
        tmp_path / "site",
        {
            "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "T"\n',
            "content/p.md": EMOJI_BODY,
        },
    )
    result = sitegen_build(ours, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = content_of((tmp_path / "out/p/index.html").read_text(encoding="utf-8"))
    assert "A :tent: and :+1:" in html and "⛺" not in html


WORDS = "one two three four five six seven eight"
RAW_HTML_POSTS = {
    "wrapped": f'<div class="post">\n<p>{WORDS}</p>\n<p>{WORDS}</p>\n<p>{WORDS}</p>\n</div>\n\nAfter {WORDS}\n',
    "attributes": f'<div>\n<p class="x">{WORDS}</p><p>{WORDS}</p>\n<p>{WORDS}</p>\n</div>\n\nAfter {WORDS}\n',
    "no-paragraphs": f"<div>{WORDS}<br>{WORDS}<br>{WORDS}</div>\n\n<div>{WORDS}</div>\n",
    "table-and-list": f"<table><tr><td>{WORDS}</td></tr></table>\n\n<ul><li>{WORDS}</li></ul>\n\nPara {WORDS}\n\nNext {WORDS}\n",
    "markdown-in-section": f"<section>\n\n{WORDS}\n\n{WORDS}\n\n</section>\n\n<P>{WORDS}</P>\n\nlast {WORDS}\n",
    "nested": f"<div><div><p>{WORDS}</p><p>{WORDS}</p></div><p>{WORDS}</p></div>\n<p>{WORDS}</p>\n\nLast {WORDS}\n",
    "heading-first": f"<h2>Title here</h2>\n<p>short</p>\n<img src=x.png alt=x>\n<p>{WORDS} {WORDS}</p>\n<p>{WORDS}</p>\n",
    "iframe": f'<iframe src="https://example.org/v" title="v"></iframe>\n\n{WORDS}\n\n<p>{WORDS}</p>\n\n{WORDS}\n',
}


def feed_summaries(folder: Path) -> dict[str, str]:
    feed = feedparser.parse((folder / "index.xml").read_bytes())
    text = lambda html: " ".join(re.sub(r"<[^>]+>", " ", unescape(html)).split())
    return {
        entry.link.rstrip("/").rsplit("/", 1)[-1]: text(entry.summary) for entry in feed.entries
    }


def test_summaries_of_raw_html_posts_are_cut_as_hugo_cuts_them(tmp_path: Path) -> None:
    config = (
        'baseURL = "https://example.org/"\ntitle = "T"\nsummaryLength = 10\n'
        "[markup.goldmark.renderer]\nunsafe = true\n"
    )
    files = {"hugo.toml": config}
    for number, (name, body) in enumerate(RAW_HTML_POSTS.items()):
        files[f"content/{name}.md"] = (
            f"---\ntitle: {name}\ndate: 2024-01-{number + 1:02d}\n---\n{body}"
        )
    hugo_site = write_site(tmp_path / "hugo-site", files)
    ours = write_site(tmp_path / "site", files)
    hugo = feed_summaries(hugo_build(hugo_site, tmp_path / "hugo"))
    result = sitegen_build(ours, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    summaries = feed_summaries(tmp_path / "out")
    assert summaries.keys() == hugo.keys() == RAW_HTML_POSTS.keys()
    for name in RAW_HTML_POSTS:
        assert summaries[name] == hugo[name], name
    assert "After" not in summaries["wrapped"] and "Next" not in summaries["table-and-list"]


def test_assets_images_are_published_where_loveit_and_fixit_publish_them(tmp_path: Path) -> None:
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
    site = write_site(
        tmp_path / "site",
        {
            "hugo.toml": 'baseURL = "https://example.org/blog/"\ntitle = "T"\n',
            "content/posts/one.md": "---\ntitle: One\nfeaturedImage: images/f.png\n---\n"
            "![a](/images/a.png) ![b](images/b.png) ![s](/images/s.png) ![gone](/images/none.png)\n",
            "content/posts/bundle/index.md": "---\ntitle: Bundle\n---\n![c](c.png) ![b](images/b.png)\n",
            "static/images/s.png": "",
        },
    )
    for rel in (
        "assets/images/a.png",
        "assets/images/b.png",
        "assets/images/f.png",
        "assets/images/s.png",
        "assets/images/unused.png",
        "content/posts/bundle/c.png",
    ):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(png)
    result = sitegen_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert (out / "images/a.png").read_bytes() == png and (out / "images/b.png").is_file()
    assert (out / "images/f.png").is_file() and (out / "posts/bundle/c.png").is_file()
    assert (out / "images/s.png").read_bytes() == b"", "a static file wins"
    assert not (out / "images/unused.png").exists(), "only what a page shows is published"
    one = (out / "posts/one/index.html").read_text(encoding="utf-8")
    assert '<img src="/images/a.png"' in one and '<img src="/blog/images/b.png"' in one
    assert 'src="/blog/images/f.png"' in one, "the featured image too"
    bundle = (out / "posts/bundle/index.html").read_text(encoding="utf-8")
    assert '<img src="c.png"' in bundle and '<img src="/blog/images/b.png"' in bundle
