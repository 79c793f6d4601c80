"""HTML → text, one way for every stage: Hugo's StripHTML (`.Plain`, word counts, the
`plainify` filter), the text a reader sees (search index, releases.json), word truncation,
and the elements that never take an end tag."""

from __future__ import annotations

import re
from html import unescape

# HTML's void elements, and the SVG shapes inline icons write without a closing tag:
# neither opens an element that needs closing.
VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
SVG_SHAPES = frozenset("path circle polyline line rect polygon ellipse use".split())
NO_END_TAG = VOID_ELEMENTS | SVG_SHAPES

_TAG = re.compile(r"<[^>]*>")
_READER_TAG = re.compile(r"<[^>]+>")  # a tag; a bare "<>" is text a reader sees
# Whitespace runs become one space. Tabs and the like first become spaces, then only runs
# of two or more are replaced: a pattern that also matches each single space between words
# is much slower (benchmarks/README.md).
_OTHER_SPACE = re.compile("[\t\r\f\v]")
_SPACE_RUN = re.compile("  +")


def strip_html(html: str) -> str:
    """Hugo's StripHTML: tags removed, `</p>` and `<br>` become line breaks, spaces collapsed."""
    if "<" not in html and ">" not in html:
        return html
    text = (
        html.replace("\n", " ").replace("</p>", "\n").replace("<br>", "\n").replace("<br />", "\n")
    )
    text = _TAG.sub("", text)
    if "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _OTHER_SPACE.sub(" ", text)
    text = _SPACE_RUN.sub(" ", text)
    return text.replace("\n ", "\n")


def reader_text(html: str) -> str:
    """The text a reader sees, for indexes and JSON: tags become spaces, entities are
    decoded, whitespace collapsed (unlike `.Plain`, which keeps entities as Hugo does)."""
    return " ".join(unescape(_READER_TAG.sub(" ", html)).split())


def truncate_words(html: str, count: int = 30) -> str:
    """The first `count` words of the HTML's text, with " …" when there were more."""
    words = strip_html(html).split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")
