"""The default theme's LoveIt/FixIt shortcodes beyond admonition (issue 16): link, image,
person, version, style, built through the CLI with their documented parameters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_sitegen

CONFIG = """baseURL = "https://example.org/"
title = "T"
defaultContentLanguage = "de"
[params.repo_version]
name = "Demo"
url = "https://github.com/o/demo/releases/tag/"
"""


def build(tmp_path: Path, body: str, config: str = CONFIG) -> tuple[str, str]:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "config.toml").write_text(config, encoding="utf-8")
    (site / "content/a.md").write_text(f"---\ntitle: A\n---\n{body}\n", encoding="utf-8")
    result = run_sitegen("build", "-s", site, "--ignoreCache")
    if result.returncode != 0:
        return "", result.stderr
    html = (site / "public/a/index.html").read_text(encoding="utf-8")
    return html.split('<div class="content">', 1)[1].split("</article>", 1)[0], result.stderr


def test_link_positional_and_named(tmp_path: Path) -> None:
    html, _ = build(
        tmp_path,
        '{{< link "https://gohugo.io/" "**Hugo** docs" "The docs" >}} '
        '{{< link href="/posts/" content="Posts" class="btn" rel="tag" download="x.zip" >}} '
        '{{< link "https://example.org/x" >}}',
    )
    assert (
        '<a href="https://gohugo.io/" title="The docs" rel="external nofollow noopener noreferrer" '
        'target="_blank"><strong>Hugo</strong> docs</a>'
    ) in html
    assert '<a href="/posts/" class="btn" rel="tag" download="x.zip">Posts</a>' in html
    assert ">https://example.org/x</a>" in html


@pytest.mark.parametrize(
    "call",
    [
        '{{< link "javascript:alert(1)" "x" >}}',
        '{{< link href=" JaVaScRiPt:alert(1)" content="x" >}}',
        '{{< image src="javascript:alert(1)" alt="x" >}}',
        '{{< person url="javascript:alert(1)" name="x" picture="javascript:alert(2)" >}}',
        '{{< version "javascript:alert(1)" "new" "" >}}',
        '{{< figure src="x.png" link="javascript:alert(1)" alt="x" >}}',
    ],
)
def test_javascript_urls_are_never_rendered(tmp_path: Path, call: str) -> None:
    html, stderr = build(
        tmp_path, call, CONFIG.replace('"https://github.com/o/demo/releases/tag/"', '""')
    )
    assert html, stderr
    assert not re.search(r'(?:href|src)="\s*javascript:', html, re.I), html


def test_image_with_caption_is_a_linked_figure(tmp_path: Path) -> None:
    html, _ = build(
        tmp_path,
        '{{< image src="/cover.png" alt="A *cover*" caption="The **cover**" title="T" width=300 height=200 >}}\n\n'
        '{{< image "/x.png" "X" >}}\n\n{{< image src="/y.png" alt="Y" linked=false src_l="/y-large.png" >}}',
    )
    assert (
        '<figure><a class="lightgallery" href="/cover.png" title="T"><img src="/cover.png" alt="A cover" title="T" '
        'width="300" height="200" loading="lazy"></a><figcaption class="image-caption">The <strong>cover</strong>'
        "</figcaption></figure>"
    ) in html
    assert (
        '<a class="lightgallery" href="/x.png"><img src="/x.png" alt="X" loading="lazy"></a>'
        in html
    )
    assert '<img src="/y.png" alt="Y" loading="lazy">' in html and "/y-large.png" not in html


def test_person_is_an_h_card(tmp_path: Path) -> None:
    html, _ = build(
        tmp_path,
        'By {{< person url="https://example.org/jane" name="Jane Doe" nick="jd" text="author" '
        'picture="https://example.org/j.png" >}} and {{< person "https://example.org/bob" "Bob" "maintainer" >}}.',
    )
    assert re.search(
        r'<span class="h-card person-mention"><a href="https://example.org/jane" class="u-url" title="author"'
        r'[^>]*><img class="u-photo person-photo" src="https://example.org/j.png"[^>]*> <span class="p-name">'
        r'Jane Doe</span> \(<span class="p-nickname">jd</span>\)</a></span>',
        html,
    )
    assert 'href="https://example.org/bob" class="u-url" title="maintainer"' in html


def test_version_badges_link_to_the_tag_in_the_page_language(tmp_path: Path) -> None:
    html, _ = build(
        tmp_path,
        'Seit {{< version "v1.2.0" >}}, {{< version "v0.9" "deprecated" >}} und '
        '{{< version "2.0" "changed" "https://example.org/r/" "Other" >}}.',
    )
    assert (
        '<a class="version-badge version-new" href="https://github.com/o/demo/releases/tag/v1.2.0" '
        'title="Demo v1.2.0 | Neu"'
    ) in html
    assert (
        '<span class="version-label">Veraltet</span><span class="version-number">v0.9</span>'
        in html
    )
    assert 'href="https://example.org/r/2.0" title="Other 2.0 | Geändert"' in html


def test_version_of_an_unknown_type_is_an_error_with_its_line(tmp_path: Path) -> None:
    _, stderr = build(tmp_path, 'Text.\n\n{{< version "v1" "shiny" >}}')
    assert "content/a.md:6:1: shortcode 'version': version type shiny is not one of" in stderr


def test_style_scopes_nested_rules_to_its_element(tmp_path: Path) -> None:
    html, _ = build(
        tmp_path,
        '{{< style "text-align:right; strong{color:#00b1ff;}" >}}\nA **right-aligned** paragraph.\n{{< /style >}}\n\n'
        'Inline {{< style "color:red" "span" >}}*red*{{< /style >}} and {{< style "x{}</style><script>" >}}y{{< /style >}}',
    )
    found = re.search(
        r'<style>#(style-\d+-1) strong\{color:#00b1ff;\}</style><div id="\1" style="text-align:right;">'
        r"<p>A <strong>right-aligned</strong> paragraph.</p>",
        html,
    )
    assert found, html
    assert re.search(r'<span id="style-\d+-8" style="color:red"><em>red</em></span>', html)
    assert "<script>" not in html and html.count("</style>") == 2


def test_unknown_shortcodes_stay_errors(tmp_path: Path) -> None:
    _, stderr = build(tmp_path, "Text.\n\n{{< bilibili BV1 >}}")
    assert "content/a.md:6:1: unknown shortcode 'bilibili'" in stderr
