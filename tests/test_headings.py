"""Heading ids, `{#id}` attributes and the table of contents, as Hugo 0.168 writes them
(expected values observed with the real hugo)."""

from __future__ import annotations

import pytest

from sitegen.content.markdown.headings import (
    HeadingIds,
    build_toc,
    hugo_anchor,
    split_heading_attributes,
)
from sitegen.content.markdown.parser import MarkdownOptions, render_markdown

OPTIONS = MarkdownOptions()


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("2024-01e (Release vom 08.02.2024)", "2024-01e-release-vom-08022024"),
        ("CORS - Warum wird es benötigt?", "cors---warum-wird-es-benötigt"),
        ("⚠️ Kritische Änderungen", "-kritische-änderungen"),
        ("A & B", "a--b"),
        ("x²", "x"),
        ("C++ & C#", "c--c"),
        ("Café_Über 123", "café_über-123"),
        ("中文标题", "中文标题"),
    ],
)
def test_hugo_anchor(text, anchor):
    assert hugo_anchor(text) == anchor


def ids_of(markdown: str, ids: HeadingIds | None = None) -> list[str]:
    return [h.id for h in render_markdown(markdown, OPTIONS, ids=ids).headings]


def test_duplicates_are_numbered_in_document_order():
    assert ids_of("## Dup\n## Dup\n## Dup-1\n## Dup\n") == ["dup", "dup-1", "dup-1-1", "dup-2"]


def test_only_punctuation_becomes_heading():
    assert ids_of("## !!!\n## ???\n") == ["heading", "heading-1"]


def test_custom_id_is_taken_as_written_and_reserved():
    assert ids_of("## A {#x}\n## X\n## B {#x}\n") == ["x", "x-1", "x"]


def test_custom_id_is_removed_from_text_and_html():
    heading = render_markdown("## Title {#custom-id .wide}\n", OPTIONS).headings[0]
    assert (heading.text, heading.html, heading.id) == ("Title", "Title", "custom-id")


def test_attribute_parsing():
    assert split_heading_attributes('T {#a .b .c k="v w"}') == (
        "T",
        {"id": "a", "class": "b c", "k": "v w"},
    )
    assert split_heading_attributes("Set {x} not attributes") == ("Set {x} not attributes", {})


def test_shared_allocator_dedups_across_pieces():
    ids = HeadingIds()
    assert ids_of("## Same\n", ids) + ids_of("## Same\n", ids) == ["same", "same-1"]


def test_heading_lines_are_file_lines():
    result = render_markdown("intro\n\n## One\n\ntext\n\n### Two\n", OPTIONS, first_line=5)
    assert [(h.level, h.line) for h in result.headings] == [(2, 7), (3, 11)]


def test_id_ignores_link_targets_and_autolinks():
    assert ids_of("## Use [the link](http://x.com/a_b) now\n## https://example.com autolink\n") == [
        "use-the-link-now",
        "autolink",
    ]


TOC_EXPECTED = """<nav id="TableOfContents">
  <ul>
    <li><a href="#a">A</a>
      <ul>
        <li><a href="#b-c">B <code>c</code></a></li>
      </ul>
    </li>
    <li><a href="#d">D</a></li>
  </ul>
</nav>"""


def test_toc_nests_levels():
    headings = render_markdown(
        "## A\n### B `c`\n#### deep\n## [D](https://x.org)\n", OPTIONS
    ).headings
    assert build_toc(headings, 2, 3, False) == TOC_EXPECTED


def test_toc_ordered_and_empty():
    headings = render_markdown("## A\n", OPTIONS).headings
    assert (
        build_toc(headings, 2, 3, True)
        == '<nav id="TableOfContents">\n  <ol>\n    <li><a href="#a">A</a></li>\n  </ol>\n</nav>'
    )
    assert build_toc((), 2, 3, False) == '<nav id="TableOfContents"></nav>'


def test_toc_h1_opens_a_new_list_and_skipped_levels_get_empty_items():
    headings = render_markdown("## A\n# Top\n### C\n", OPTIONS).headings
    assert build_toc(headings, 2, 3, False) == (
        '<nav id="TableOfContents">\n  <ul>\n    <li><a href="#a">A</a></li>\n  </ul>\n\n'
        '  <ul>\n    <li>\n      <ul>\n        <li><a href="#c">C</a></li>\n      </ul>\n    </li>\n  </ul>\n</nav>'
    )
