"""html_repair: rendered HTML made valid without a reader noticing.

Small inputs with exact expected output, then the real corpus through the Nu Html Checker.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from site_checks import REPO, vnu_command, vnu_errors
from sitegen.content.html_repair import (
    clean_config_html,
    images_without_alt,
    outline_levels,
    repair_outline,
    repair_raw_html,
    summary_for_list,
)

CORPUS = REPO.parent / "shared" / "corpus" / "mailcow-blog"


# ---------------------------------------------------------------- outline


@pytest.mark.parametrize(
    "written, expected",
    [
        ([2, 3, 4], [2, 3, 4]),  # nothing skipped: nothing moves
        ([3, 4, 4], [2, 3, 3]),  # content starting at ### under the page's h1
        ([2, 4, 4, 2], [2, 3, 3, 2]),  # #### after ##
        ([3, 5, 4, 2], [2, 3, 3, 2]),  # siblings stay siblings, children stay children
        ([3, 4, 3, 4, 2], [2, 3, 2, 3, 2]),
        ([1, 3], [1, 2]),  # an h1 in the content stays h1
        ([5, 6, 6], [2, 3, 3]),
    ],
)
def test_outline_levels_never_skip_and_only_move_headings_up(written, expected):
    assert outline_levels(written, top_level=2) == expected
    assert all(new <= old for new, old in zip(expected, written))


def test_repair_outline_keeps_ids_classes_and_inner_html():
    html = (
        '<p>x</p>\n<h3 id="setup" class="c">Set <em>up</em></h3>\n<p>y</p>\n'
        '<h5 id="step-1">Step 1</h5>\n<h4 id="more">More</h4>'
    )
    assert repair_outline(html) == (
        '<p>x</p>\n<h2 id="setup" class="c">Set <em>up</em></h2>\n<p>y</p>\n'
        '<h3 id="step-1">Step 1</h3>\n<h3 id="more">More</h3>'
    )


def test_repair_outline_leaves_valid_content_as_it_is():
    html = '<h2 id="a">A</h2><p>text</p><h3 id="b">B</h3>'
    assert repair_outline(html) is html
    assert repair_outline("<p>no headings</p>") == "<p>no headings</p>"


def test_repair_outline_ignores_headings_in_comments_and_scripts():
    html = '<!-- <h3>old</h3> --><h4 id="x">X</h4><script>let s = "<h2>";</script>'
    assert (
        repair_outline(html)
        == '<!-- <h3>old</h3> --><h2 id="x">X</h2><script>let s = "<h2>";</script>'
    )


def test_repair_outline_top_level_is_configurable():
    assert repair_outline("<h4>A</h4><h5>B</h5>", top_level=3) == "<h3>A</h3><h4>B</h4>"


# ---------------------------------------------------------------- summaries


def test_summary_headings_become_bold_paragraphs_without_ids():
    html = '<h2 id="intro">Intro <code>x</code></h2>\n<p>Text<sup id="fnref:1"><a href="#fn:1">1</a></sup></p>'
    assert summary_for_list(html, "/posts/a/") == (
        "<p><strong>Intro <code>x</code></strong></p>\n"
        '<p>Text<sup><a href="/posts/a/#fn:1">1</a></sup></p>'
    )


def test_summary_relative_urls_point_into_the_post():
    html = (
        '<p><img src="cover.png" alt=""> <a href="other/">o</a> <a href="/abs/">a</a> '
        '<a href="https://x.org/">x</a> <a href="mailto:a@b.c">m</a></p>'
    )
    assert summary_for_list(html, "/posts/2021/a/") == (
        '<p><img src="/posts/2021/a/cover.png" alt=""> <a href="/posts/2021/a/other/">o</a> '
        '<a href="/abs/">a</a> <a href="https://x.org/">x</a> <a href="mailto:a@b.c">m</a></p>'
    )


def test_summary_cut_inside_an_admonition_is_closed():
    html = (
        '<details class="admonition" open>\n<summary>Note</summary>\n<div class="c"><p>Cut here</p>'
    )
    assert summary_for_list(html) == html + "</div></details>"


def test_summary_without_anything_to_fix_is_unchanged():
    html = '<p>Plain <a href="https://x.org/">text</a> and <strong>bold</strong>.</p>\n<ul>\n<li>one</li>\n</ul>'
    assert summary_for_list(html, "/posts/a/") is html


def test_many_summaries_on_one_page_repeat_no_id():
    summary = '<h3 id="changelog">Changelog</h3><p><a id="top" name="top">x</a></p>'
    combined = summary_for_list(summary) * 3
    assert "id=" not in combined and "name=" not in combined


# ---------------------------------------------------------------- raw HTML


def test_image_without_alt_gets_the_title_or_a_readable_file_name():
    html = (
        '<img src="images/sso_keycloak13.png" />\n<img src="x.png" title="The login form">\n'
        '<img src="spacer.gif" role="presentation">\n<img src="ok.png" alt="">'
    )
    assert repair_raw_html(html) == (
        '<img alt="sso keycloak13" src="images/sso_keycloak13.png" />\n'
        '<img alt="The login form" src="x.png" title="The login form">\n'
        '<img alt="" src="spacer.gif" role="presentation">\n<img src="ok.png" alt="">'
    )


def test_images_without_alt_lists_them_for_a_warning():
    html = '<img src="a.png"><img src="b.png" alt="b"><IMG SRC="c.png">'
    assert images_without_alt(html) == ["a.png", "c.png"]
    assert images_without_alt("<p>none</p>") == []


def test_link_inside_a_link_is_unwrapped_keeping_the_outer_one():
    html = (
        '<p><a href="mailto:c@m.email?subject=Hi" ><a href="mailto:c@m.email">c@m.email</a></a> '
        'and <a href="/x/">x</a></p>'
    )
    assert repair_raw_html(html) == (
        '<p><a href="mailto:c@m.email?subject=Hi" >c@m.email</a> and <a href="/x/">x</a></p>'
    )


def test_spaces_in_urls_are_percent_encoded():
    html = '<a href="mailto:c@m.email?subject=Buchstaben R&auml;tsel - L&ouml;sung" >c</a>'
    assert (
        repair_raw_html(html)
        == '<a href="mailto:c@m.email?subject=Buchstaben%20Rätsel%20-%20Lösung">c</a>'
    )


def test_obsolete_anchor_name_becomes_an_id():
    assert (
        repair_raw_html('<a name="top"></a><a name="x" id="y">y</a>')
        == '<a id="top"></a><a id="y">y</a>'
    )


def test_valid_raw_html_is_unchanged():
    html = (
        '<div style="text-align: center"><img src="a.png" alt="A"> <a href="/b c/">nope</a></div>'
    )
    fixed = repair_raw_html(html)
    assert (
        fixed
        == '<div style="text-align: center"><img src="a.png" alt="A"> <a href="/b%20c/">nope</a></div>'
    )
    assert repair_raw_html(fixed) is fixed


# ---------------------------------------------------------------- config snippets


def test_config_snippet_with_an_unclosed_link_is_balanced():
    icp = '<a href="/de/imprint/">Impressum</a> | <a href="/de/policy/">Datenschutz'
    assert clean_config_html(icp) == (
        '<a href="/de/imprint/">Impressum</a> | <a href="/de/policy/">Datenschutz</a>'
    )


def test_config_snippet_keeps_the_authors_rel_and_target():
    license_html = (
        '<a rel="license external nofollow noopener" href="https://tinc.gmbh?kontakt" '
        'target="_blank">The Infrastructure Company GmbH</a>'
    )
    assert clean_config_html(license_html) == license_html


def test_config_snippet_loses_scripts_and_javascript_urls():
    snippet = '<i class="fas fa-rss" onclick="steal()"></i><a href="javascript:alert(1)">x</a><script>x()</script>📰'
    assert clean_config_html(snippet) == '<i class="fas fa-rss"></i><a>x</a>📰'
    assert clean_config_html("") == "" and clean_config_html(None) == ""
    assert hasattr(clean_config_html("<b>x</b>"), "__html__")  # Jinja inserts it unescaped


# ---------------------------------------------------------------- the corpus through vnu

DOCUMENT = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body><main><h1>{title}</h1>\n{body}\n</main><footer><p>{footer}</p></footer></body></html>"
)


def _corpus_documents(repair: bool) -> dict[str, str]:
    """A post of the corpus (headings skip levels, raw <img> without alt), a list of every
    English summary, and the German footer snippet, rendered by the Markdown stage alone
    (the build repairs them itself): as files for the checker."""
    from sitegen.content.markdown.parser import MarkdownOptions, render_markdown
    from sitegen.content.summary import content_without_divider, split_summary
    from sitegen.errors import Diagnostics
    from sitegen.load.config import load_config
    from sitegen.load.front_matter import split_front_matter

    options = MarkdownOptions.from_markup(load_config(CORPUS, Diagnostics()).markup, "en")
    posts = {}
    for path in sorted((CORPUS / "content" / "posts").rglob("index.en.md")):
        meta, body, _, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
        html = render_markdown(body, options).html
        posts["/" + path.parent.relative_to(CORPUS / "content").as_posix().lower() + "/"] = (
            str(meta.get("title", "")),
            content_without_divider(html),
            split_summary(html)[0],
        )
    icp = '<a href="/de/imprint/">Impressum</a> | <a href="/de/policy/">Datenschutz'
    title, content, _ = posts["/posts/2023/mailcow-idp/"]
    footer = icp
    if repair:
        content, footer = repair_outline(repair_raw_html(content)), clean_config_html(icp)
    summaries = []
    for url, (post_title, _, summary) in posts.items():
        if repair:
            summary = summary_for_list(repair_raw_html(summary), url)
        summaries.append(f'<article><h2><a href="{url}">{post_title}</a></h2>{summary}</article>')
    return {
        "post.html": DOCUMENT.format(title=title, body=content, footer=footer),
        "list.html": DOCUMENT.format(title="Posts", body="\n".join(summaries), footer=footer),
    }


def test_corpus_content_passes_the_nu_html_checker_once_repaired(tmp_path: Path):
    if vnu_command() is None:
        if os.environ.get("CI") or shutil.which("java"):
            pytest.fail("vnu.jar missing: run .ci/install-tools.sh")
        pytest.skip("java or vnu.jar missing")
    for repair in (False, True):
        folder = tmp_path / ("repaired" if repair else "as-rendered")
        folder.mkdir()
        for name, text in _corpus_documents(repair).items():
            (folder / name).write_text(text, encoding="utf-8")
    errors = vnu_errors(tmp_path)
    before = [e for e in errors if "/as-rendered/" in e]
    after = [e for e in errors if "/repaired/" in e]
    assert any("skipping" in e for e in before) and any("Duplicate ID" in e for e in before)
    assert any("alt" in e for e in before) and any("Unclosed element" in e for e in before)
    assert after == [], "\n".join(after[:20])
