"""Markdown options, link safety, code highlighting, inline rendering and summaries.
Expected values marked "Hugo" were observed with hugo 0.168."""

from __future__ import annotations

import pickle

from sitegen.content.markdown.parser import MarkdownOptions, parser, render_inline, render_markdown
from sitegen.content.summary import (
    MORE_MARKER,
    count_words,
    plain_text,
    reading_time,
    split_summary,
)

CORPUS_MARKUP = {
    "highlight": {
        "codeFences": True,
        "guessSyntax": True,
        "lineNos": True,
        "lineNumbersInTable": True,
        "noClasses": False,
    },
    "goldmark": {
        "extensions": {"typographer": True, "linkify": True},
        "renderer": {"unsafe": True},
    },
    "tableOfContents": {"startLevel": 2, "endLevel": 6},
}


def test_from_markup_reads_hugo_keys_in_any_case():
    options = MarkdownOptions.from_markup(
        {
            "Goldmark": {
                "Renderer": {"Unsafe": True},
                "extensions": {"typographer": {"disable": True}},
            },
            "highlight": {"lineNos": True, "noClasses": False, "hl_Lines": [1, 2]},
            "tableOfContents": {"startLevel": 1, "endLevel": 4, "ordered": True},
        },
        lang="de",
    )
    assert options.unsafe and not options.typographer and options.lang == "de"
    assert options.highlight.line_nos and not options.highlight.no_classes
    assert (options.toc_start, options.toc_end, options.toc_ordered) == (1, 4, True)


def test_defaults_are_hugos():
    options = MarkdownOptions.from_markup({})
    assert options == MarkdownOptions()
    assert (
        not options.unsafe
        and options.typographer
        and options.linkify
        and options.highlight.no_classes
    )


def test_options_are_hashable_and_parsers_cached_and_picklable():
    options = MarkdownOptions.from_markup(CORPUS_MARKUP)
    assert parser(options) is parser(MarkdownOptions.from_markup(CORPUS_MARKUP))
    assert pickle.loads(pickle.dumps(options)) == options


def test_javascript_links_are_never_links_even_when_unsafe():
    # Deliberate difference: Hugo writes href="javascript:…" when unsafe, href="" otherwise.
    for options in (MarkdownOptions(), MarkdownOptions(unsafe=True)):
        html = render_markdown(
            "[x](javascript:alert(1)) [y](JAVASCRIPT:x) <vbscript:x>\n", options
        ).html
        assert "href" not in html and "<a" not in html


def test_data_images_stay_but_data_links_do_not():
    html = render_markdown(
        "![i](data:image/png;base64,xx) [d](data:text/html,x)\n", MarkdownOptions()
    ).html
    assert '<img src="data:image/png;base64,xx"' in html and "<a" not in html


def test_raw_html_is_omitted_unless_unsafe_but_the_more_divider_survives():
    html = render_markdown("a <b>x</b>\n\n<!--more-->\n\n<div>y</div>\n", MarkdownOptions()).html
    assert (
        html
        == "<p>a <!-- raw HTML omitted -->x<!-- raw HTML omitted --></p>\n<!--more-->\n<!-- raw HTML omitted -->\n"
    )


def test_go_fence_has_chroma_structure_and_classes():
    html = render_markdown(
        '```go\nfunc main() {\n\tfmt.Println("hi")\n}\n```\n',
        MarkdownOptions.from_markup(CORPUS_MARKUP),
    ).html
    assert html.startswith('<div class="highlight"><div class="chroma">\n<table class="lntable">')
    assert (
        '<code class="language-go" data-lang="go"><span class="line"><span class="cl"><span class="kd">func</span>'
        in html
    )
    assert '<span class="s">&#34;hi&#34;</span>' in html
    assert html.count('<span class="lnt">') == 3


def test_inline_line_numbers_and_no_classes():
    options = MarkdownOptions.from_markup(
        {"highlight": {"lineNos": True, "lineNumbersInTable": False, "noClasses": False}}
    )
    html = render_markdown("```text\na\nb\n```\n", options).html
    assert '<span class="line"><span class="ln">1</span><span class="cl">a\n</span></span>' in html
    html = render_markdown("```python\nx = 1\n```\n", MarkdownOptions()).html
    assert 'style="' in html and 'class="chroma"' not in html


def test_render_inline_has_no_paragraph():
    assert render_inline('Release "2023-12" -- *now*', MarkdownOptions()) == (
        "Release &ldquo;2023-12&rdquo; &ndash; <em>now</em>"
    )


def test_quotes_hook_for_other_languages():
    german = MarkdownOptions(lang="de", quotes=("&bdquo;", "&ldquo;", "&sbquo;", "&lsquo;"))
    assert render_inline('"Hallo"', german) == "&bdquo;Hallo&ldquo;"


def test_typed_typographic_characters_stay_as_typed():
    assert render_inline("it’s “x”", MarkdownOptions()) == "it’s “x”"


# Summaries: the divider cases were observed with Hugo.
def test_more_divider_summary_and_content():
    html = render_markdown(
        "Para one.\n<!--more-->\nstill para.\n\nPara two.\n", MarkdownOptions()
    ).html
    assert split_summary(html) == ("<p>Para one.</p>", True)
    assert plain_text(html).split() == ["Para", "one.", "still", "para.", "Para", "two."]


def test_more_divider_first_gives_empty_summary():
    html = render_markdown(f"{MORE_MARKER}\n\nPara two.\n", MarkdownOptions()).html
    assert split_summary(html) == ("", True)


def test_more_divider_mid_paragraph_splits_it():
    html = render_markdown(
        "Intro text here.<!--more--> rest of para.\n\nNext.\n", MarkdownOptions()
    ).html
    assert split_summary(html)[0] == "<p>Intro text here.</p>"


WORDS = " ".join(f"w{i}" for i in range(40))


def test_automatic_summary_ends_with_the_top_level_block_that_reaches_the_length():
    for markdown, end in (
        (f"{WORDS}\n\n- {WORDS}\n\n- {WORDS}\n\nafter\n", "</ul>"),
        (f"{WORDS}\n\n> {WORDS}\n>\n> {WORDS}\n\nafter\n", "</blockquote>"),
    ):
        html = render_markdown(markdown, MarkdownOptions()).html
        summary, truncated = split_summary(html, 70)
        assert summary.endswith(end) and truncated and html.startswith(summary)


def test_words_only_count_up_to_a_paragraph_end():
    # Hugo counts words up to each </p>; a tight list has none, so the cut comes later.
    html = render_markdown(f"{WORDS}\n\n- {WORDS}\n- {WORDS}\n\nafter\n", MarkdownOptions()).html
    assert split_summary(html, 70) == (html.strip(), False)


def test_short_content_is_not_truncated():
    html = render_markdown("Just a few words.\n", MarkdownOptions()).html
    assert split_summary(html) == ("<p>Just a few words.</p>", False)


def test_word_count_and_reading_time():
    html = render_markdown("One *two* three.\n\n- four\n- five\n", MarkdownOptions()).html
    assert count_words(html) == 5
    assert [reading_time(n) for n in (0, 1, 213, 214)] == [0, 1, 1, 2]
