"""GitHub references in release sections are linked in the Markdown pass (a markdown-it-py
core rule on the token stream), as the HTML rewriter links them, without parsing HTML again."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_sitegen, write_post
from sitegen.content.markdown.parser import MarkdownOptions, render_markdown
from sitegen.content.markdown.release_marks import without_marks
from sitegen.content.markdown.rules.github_refs import ReleaseRefs
from sitegen.releases import ReleaseConfig, link_github_refs
from sitegen.releases.detect import links_refs

REPO = "mailcow/mailcow-dockerized"
CONFIG = ReleaseConfig.from_params({"releases": {"repo": REPO}})
POST = """\
---
title: "Update 2024-01"
date: 2024-02-08
---

Intro with #1 outside any release section.

## 2024-01e (Release vom 08.02.2024)

- Fix by @milkmaker in #5801, see Alinto/sogo#12 and 5a9702771cba4fedbc79331e92ff757f734df58e
- Left alone: `#5579 @user`, [PR #5700](https://github.com/x/y/pull/5700), <code>#77</code>, <a href="/x">#78</a>
- Hex words and mail: a decade of added facades, me@example.com, https://example.org/page#12

### Details for #2

Nested section text mentions @DerLinkman.

## Unrelated heading

Text after the release section with #3 stays.
"""


def _built_post(tmp_path: Path, *extra_config: str) -> str:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "config.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "T"\n'
        "[markup.goldmark.renderer]\nunsafe = true\n"
        f'[params.releases]\nrepo = "{REPO}"\n' + "".join(extra_config),
        encoding="utf-8",
    )
    write_post(site, "posts/update.md", POST)
    result = run_sitegen("build", "-s", site, "-d", tmp_path / "public", "--quiet")
    assert result.returncode == 0, result.stderr
    return (tmp_path / "public" / "posts" / "update" / "index.html").read_text(encoding="utf-8")


def test_references_in_release_sections_become_links_in_the_built_page(tmp_path):
    html = _built_post(tmp_path)
    gh = "https://github.com"
    assert f'<a href="{gh}/milkmaker" class="user-mention">@milkmaker</a>' in html
    assert f'<a href="{gh}/{REPO}/issues/5801" class="issue-link">#5801</a>' in html
    assert f'<a href="{gh}/Alinto/sogo/issues/12" class="issue-link">Alinto/sogo#12</a>' in html
    assert (
        f'<a href="{gh}/{REPO}/commit/5a9702771cba4fedbc79331e92ff757f734df58e" class="commit-link">'
        "<code>5a97027</code></a>"
    ) in html
    assert (
        f'<a href="{gh}/DerLinkman" class="user-mention">@DerLinkman</a>' in html
    )  # nested section
    for untouched in (
        "<code>#5579 @user</code>",
        '">PR #5700</a>',
        "<code>#77</code>",
        '<a href="/x">#78</a>',
        "a decade of added facades",
        "with #1 outside",
        "with #3 stays",
        "Details for #2</h3>",
    ):
        assert untouched in html, untouched
    assert "me@example.com" in html and f'href="{gh}/example' not in html


def test_without_link_refs_nothing_is_linked(tmp_path):
    html = _built_post(tmp_path, "link_refs = false\n")
    assert "issue-link" not in html and "user-mention" not in html


REAL_BLOG = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "mailcow-blog"


def _bodies() -> list[tuple[str, str, str]]:
    if not REAL_BLOG.is_dir():
        pytest.skip(f"the real blog is not at {REAL_BLOG}")
    found = []
    for path in sorted((REAL_BLOG / "content" / "posts").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        lang = "de" if path.name.endswith(".de.md") else "en"
        found.append(
            (path.name, lang, text.split("\n---", 1)[1] if text.startswith("---") else text)
        )
    return found


def test_the_token_rule_links_what_the_html_rewriter_linked_on_the_real_blog():
    """Each real post rendered with the rule equals the post rendered without it and then
    rewritten by link_github_refs over its release sections (the former second pass)."""
    from sitegen.releases.markup import heading_spans, section_end

    compared = 0
    for name, lang, body in _bodies():
        options = MarkdownOptions.from_markup({}, lang)
        refs = ReleaseRefs(lambda text, lang=lang: links_refs(text, CONFIG, lang), REPO)
        linked = render_markdown(body, options, release_refs=refs)
        plain = render_markdown(body, options)
        expected, spans = plain.html, heading_spans(plain.html)
        release_ids = {h.id for h in plain.headings if links_refs(h.text, CONFIG, lang)}
        ranges: list[list[int]] = []
        for index, span in enumerate(spans):
            if span.id in release_ids:
                start, end = span.end, section_end(spans, index, len(expected))
                if ranges and start <= ranges[-1][1]:
                    ranges[-1][1] = max(ranges[-1][1], end)
                else:
                    ranges.append([start, end])
        for start, end in reversed(ranges):
            expected = (
                expected[:start] + link_github_refs(expected[start:end], REPO) + expected[end:]
            )
        assert without_marks(linked.html) == expected, name  # marks: for the release stage
        compared += bool(ranges)
    assert compared >= 20  # the blog's release posts were among them
