"""The default theme's shortcode templates, rendered through the real pipeline."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from markdown_it import MarkdownIt

from shortcode_helpers import make_renderer, render_page
from sitegen.content.markdown.alerts import alerts_plugin
from sitegen.content.markdown.highlight import HighlightOptions
from sitegen.errors import BuildFailed


def summary_text(html: str) -> str:
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", html, re.S).group(1)
    return re.sub(r"<svg.*?</svg>", "", summary, flags=re.S)


def test_admonition_positional_type_and_default_title():
    html = render_page("{{< admonition info >}}\nSome *text*.\n{{< /admonition >}}\n")
    assert '<details class="admonition info" open>' in html
    assert summary_text(html) == "Info"
    # a body that is exactly one paragraph loses its <p>
    assert '<div class="admonition-content">Some <em>text</em>.</div>' in html


def test_admonition_named_params_from_the_seed_post():
    html = render_page(
        '{{< admonition type=warning title="Wichtig" open=true >}}\n\nA\n\nB\n{{< /admonition >}}\n',
        make_renderer("de"),
    )
    assert '<details class="admonition warning" open>' in html
    assert summary_text(html) == "Wichtig"
    assert "<p>A</p>\n<p>B</p>" in html


@pytest.mark.parametrize(
    ("call", "is_open"),
    [("open=false", False), ('open="false"', True), ("open=true", True), ("", True)],
)
def test_admonition_only_boolean_false_closes_it(call: str, is_open: bool):
    html = render_page(f"{{{{< admonition type=tip {call} >}}}}x{{{{< /admonition >}}}}")
    assert ('class="admonition tip" open>' in html) is is_open


def test_admonition_positional_open_false():
    html = render_page('{{< admonition tip "Title" false >}}x{{< /admonition >}}')
    assert '<details class="admonition tip">' in html


@pytest.mark.parametrize(
    ("alias", "kind"),
    [
        ("tldr", "abstract"),
        ("important", "tip"),
        ("done", "success"),
        ("faq", "question"),
        ("caution", "warning"),
        ("missing", "failure"),
        ("error", "danger"),
        ("cite", "quote"),
        ("NOTE", "note"),
        ("nonsense", "note"),
    ],
)
def test_admonition_aliases(alias: str, kind: str):
    html = render_page(f"{{{{< admonition {alias} >}}}}x{{{{< /admonition >}}}}")
    assert f'class="admonition {kind}"' in html


@pytest.mark.parametrize(
    ("lang", "kind", "title"),
    [
        ("en", "danger", "Danger"),
        ("de", "danger", "Vorsicht"),
        ("de", "abstract", "Kurzfassung"),
        ("de", "todo", "Aufgabe"),
        ("en", "note", "Note"),
    ],
)
def test_admonition_default_title_is_translated(lang: str, kind: str, title: str):
    html = render_page(
        f"{{{{< admonition {kind} >}}}}x{{{{< /admonition >}}}}", make_renderer(lang)
    )
    assert summary_text(html) == title


def test_admonition_title_is_inline_markdown_and_escaped():
    html = render_page('{{< admonition note "Use **care** & <b>" >}}x{{< /admonition >}}')
    assert (
        summary_text(html) == "Use <strong>care</strong> &amp; <b>"
    )  # raw HTML passes, as with Hugo's unsafe = true


def test_every_admonition_type_has_its_own_icon():
    icons = set()
    for kind in "note abstract info tip success question warning failure danger bug example quote todo".split():
        html = render_page(f"{{{{< admonition {kind} >}}}}x{{{{< /admonition >}}}}")
        icons.add(re.search(r"<svg.*?</svg>", html, re.S).group())
    assert len(icons) == 13


def test_admonition_indented_under_a_list_item_stays_inside_it():
    body = '+ item\n\n    {{< admonition type=danger title="Vorsicht">}} \n**Wichtig**\n    {{< /admonition >}}\n\n+ next\n'
    html = render_page(body, make_renderer("de"))
    item = re.search(r"<li>(.*?)</li>", html, re.S).group(1)
    assert '<details class="admonition danger" open>' in item and "<strong>Wichtig</strong>" in item


def test_youtube_requests_nothing_from_a_third_party_on_load():
    html = render_page("{{< youtube QiDDczFSeKQ >}}")
    iframe = re.search(r"<iframe([^>]*)>", html).group(1)
    assert " src=" not in iframe  # the frame starts from local srcdoc content
    assert "youtube-nocookie.com/embed/QiDDczFSeKQ" in iframe
    assert "<img" not in html and "<script" not in html
    assert 'title="YouTube video"' in iframe


def test_youtube_named_params_and_missing_id():
    assert 'title="Demo &amp; more"' in render_page('{{< youtube id=abc title="Demo & more" >}}')
    with pytest.raises(
        BuildFailed, match=r"page.md:1:1: shortcode 'youtube': youtube needs a video id"
    ):
        render_page("{{< youtube >}}")


def test_figure_with_caption_link_and_attribution():
    html = render_page(
        '{{< figure src="/img/a.png" alt="A cow" caption="The *moo*" link="/big.png" attr="CC-BY" attrlink="https://example.org" width=300 >}}'
    )
    assert '<a href="/big.png"><img src="/img/a.png" alt="A cow" width="300"></a>' in html
    assert (
        '<figcaption><p>The <em>moo</em><a href="https://example.org">CC-BY</a></p></figcaption>'
        in html
    )


def test_highlight_writes_the_code_fences_markup():
    renderer = make_renderer()
    renderer.highlight = HighlightOptions(no_classes=False)
    html = render_page(
        '{{< highlight python "linenos=table,hl_lines=2" >}}\nx = 1\ny = 2\n{{< /highlight >}}',
        renderer,
    )
    assert (
        '<table class="lntable">' in html
        and '<span class="line hl">' in html
        and '<span class="n">x</span>' in html
    )
    assert (
        html.count('<span class="lnt">') == 2
        and html.count('<span class="hl"><span class="lnt">') == 1
    )


def test_ref_and_relref_resolve_through_get_page():
    pages = {
        "posts/a.md": SimpleNamespace(
            permalink="https://example.org/posts/a/", rel_permalink="/posts/a/"
        )
    }
    renderer = make_renderer(pages=pages)
    html = render_page(
        '[A]({{< ref "posts/a.md#part" >}}) [B]({{< relref "posts/a.md" >}}) [C]({{< relref "#top" >}})',
        renderer,
    )
    assert '<a href="https://example.org/posts/a/#part">A</a>' in html
    assert '<a href="/posts/a/">B</a>' in html and '<a href="/here/#top">C</a>' in html


def test_ref_to_a_missing_page_names_file_and_line():
    with pytest.raises(
        BuildFailed, match=r"post.md:12:5: shortcode 'relref': no page 'posts/gone.md' found"
    ):
        render_page('text\nsee {{< relref "posts/gone.md" >}}', path="post.md", first_line=11)


def test_param_reads_page_then_site_and_fails_when_missing():
    assert "<p>v1 0.2.X deep</p>" in render_page(
        '{{< param v >}} {{< param version >}} {{< param "nested.key" >}}',
        make_renderer(page_params={"v": "v1"}),
    )
    with pytest.raises(BuildFailed, match="param 'nope' not found"):
        render_page("{{< param nope >}}")


def test_details_shortcode():
    html = render_page('{{< details summary="More *info*" >}}\nHidden **text**\n{{< /details >}}')
    assert (
        "<details>\n<summary>More <em>info</em></summary>\n<p>Hidden <strong>text</strong></p>"
        in html
    )
    assert " open>" in render_page("{{< details open=true >}}x{{< /details >}}")


def render_alerts(text: str, lang: str = "en") -> str:
    renderer = make_renderer(lang)
    return (
        MarkdownIt("commonmark")
        .use(alerts_plugin)
        .render(text, {"render_admonition": renderer.render_admonition})
    )


def test_github_alert_renders_through_the_admonition_template():
    html = render_alerts("> [!WARNING]\n> Back up *first*.\n", "de")
    assert '<details class="admonition warning" open>' in html and summary_text(html) == "Warnung"
    assert '<div class="admonition-content">Back up <em>first</em>.</div>' in html


def test_obsidian_alert_with_title_and_fold_marker():
    html = render_alerts("> [!tip]- Read **this**\n> one\n>\n> two\n")
    assert (
        '<details class="admonition tip">' in html
        and summary_text(html) == "Read <strong>this</strong>"
    )
    assert "<p>one</p>\n<p>two</p>" in html


def test_alert_aliases_and_non_alerts():
    assert 'class="admonition warning"' in render_alerts("> [!CAUTION]\n> x\n")
    assert "<blockquote>\n<p>[!foo]\nx</p>\n</blockquote>" in render_alerts("> [!foo]\n> x\n")
    assert "<blockquote>" in render_alerts("> plain quote\n")


def test_nested_alert_and_alert_in_a_list():
    html = render_alerts("> [!NOTE]\n> outer\n>\n> > [!DANGER]\n> > inner\n")
    assert html.count("<details") == 2 and html.index("admonition note") < html.index(
        "admonition danger"
    )
    listed = render_alerts("- item\n\n  > [!TIP]\n  > inside\n")
    assert re.search(r"<li>.*admonition tip.*</li>", listed, re.S)


def test_alert_without_template_uses_plain_markup():
    html = MarkdownIt("commonmark").use(alerts_plugin).render("> [!NOTE] Hi <b>\n> body\n")
    assert (
        '<details class="admonition note" open>\n<summary class="admonition-title">Hi &lt;b&gt;</summary>'
        in html
    )
