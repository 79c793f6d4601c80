"""Reading rendered HTML: where each heading stands, and rewriting text outside code and links."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

_HEADING = re.compile(r"<h([1-6])(\s[^>]*)?>", re.IGNORECASE)
_ID_ATTR = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_CLOSE = {level: re.compile(rf"</h{level}\s*>", re.IGNORECASE) for level in range(1, 7)}
_ANY_ID = re.compile(r"""<[a-zA-Z][^>]*?\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


@dataclass(frozen=True)
class HeadingSpan:
    """Offsets of one `<hN id=...>...</hN>` in a page's HTML."""

    level: int
    id: str
    start: int  # at "<hN"
    open_end: int  # just after the opening tag
    end: int  # just after "</hN>"


def heading_spans(html: str) -> list[HeadingSpan]:
    """Every `<hN id=...>` heading of `html`, in document order."""
    spans: list[HeadingSpan] = []
    for match in _HEADING.finditer(html):
        id_match = _ID_ATTR.search(match.group(2) or "")
        level = int(match.group(1))
        close = _CLOSE[level].search(html, match.end())
        if not id_match or not close:
            continue
        heading_id = unescape(next(g for g in id_match.groups() if g is not None))
        spans.append(HeadingSpan(level, heading_id, match.start(), match.end(), close.end()))
    return spans


def section_end(spans: list[HeadingSpan], index: int, html_length: int) -> int:
    """Where the section under `spans[index]` ends: at the next heading of the same or a higher level."""
    level = spans[index].level
    for later in spans[index + 1 :]:
        if later.level <= level:
            return later.start
    return html_length


def element_ids(html: str) -> set[str]:
    """All id attribute values in `html` (to keep added anchors unique)."""
    return {unescape(next(g for g in m.groups() if g is not None)) for m in _ANY_ID.finditer(html)}


SKIPPED_TAGS = frozenset(
    {
        "a",
        "code",
        "pre",
        "kbd",
        "samp",
        "script",
        "style",
        "textarea",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)


def rewrite_text(
    html: str, rewrite: Callable[[str], str], skipped: frozenset[str] = SKIPPED_TAGS
) -> str:
    """Apply `rewrite` to each run of text (still HTML-escaped) outside `skipped` elements.

    Tags, comments and entities are copied as written, so untouched markup stays byte-equal.
    """
    writer = _TextRewriter(rewrite, skipped)
    writer.feed(html)
    writer.close()
    return "".join(writer.out)


class _TextRewriter(HTMLParser):
    def __init__(self, rewrite: Callable[[str], str], skipped: frozenset[str]):
        super().__init__(convert_charrefs=False)
        self.rewrite = rewrite
        self.skipped = skipped
        self.open_skipped: list[str] = []
        self.out: list[str] = []
        self.text: list[str] = []

    def _flush(self) -> None:
        if self.text:
            run = "".join(self.text)
            self.out.append(run if self.open_skipped else self.rewrite(run))
            self.text = []

    def _markup(self, raw: str) -> None:
        self._flush()
        self.out.append(raw)

    def handle_starttag(self, tag, attrs):
        self._markup(self.get_starttag_text())
        if tag in self.skipped:
            self.open_skipped.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._markup(self.get_starttag_text())

    def handle_endtag(self, tag):
        self._markup(f"</{tag}>")
        if tag in self.open_skipped:
            # Close up to the matching element; stray end tags are ignored.
            while self.open_skipped and self.open_skipped.pop() != tag:
                pass

    def handle_data(self, data):
        self.text.append(data)

    def handle_entityref(self, name):
        self.text.append(f"&{name};")

    def handle_charref(self, name):
        self.text.append(f"&#{name};")

    def handle_comment(self, data):
        self._markup(f"<!--{data}-->")

    def handle_decl(self, decl):
        self._markup(f"<!{decl}>")

    def handle_pi(self, data):
        self._markup(f"<?{data}>")

    def unknown_decl(self, data):
        self._markup(f"<![{data}]>")

    def close(self):
        super().close()
        self._flush()
