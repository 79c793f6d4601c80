"""Tags found in rendered HTML with their exact places, for repairs that rewrite only the
tags they fix and leave every other byte as written (sitegen.content.html_repair)."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(slots=True)
class Tag:
    kind: str  # "start", "end" or "empty" (<x/>)
    name: str
    attrs: list[tuple[str, str | None]]
    start: int  # offsets into the HTML string
    end: int
    raw: str


class TagScanner(HTMLParser):
    """Every tag with its exact place in the source, in document order."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[Tag] = []
        self._markup = markup
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", markup)]

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("start", tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("empty", tag, attrs)

    def _add(self, kind: str, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        self.tags.append(Tag(kind, tag, attrs, start, start + len(raw), raw))

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        end = self._markup.find(">", start) + 1 or len(self._markup)
        self.tags.append(Tag("end", tag, [], start, end, self._markup[start:end]))


def scan_tags(markup: str) -> list[Tag]:
    scanner = TagScanner(markup)
    scanner.feed(markup)
    scanner.close()
    return scanner.tags


def apply_edits(markup: str, edits: list[tuple[int, int, str]]) -> str:
    """Replace the (start, end) spans by new text; spans never overlap."""
    if not edits:
        return markup
    parts, position = [], 0
    for start, end, text in sorted(edits):
        parts += [markup[position:start], text]
        position = end
    parts.append(markup[position:])
    return "".join(parts)


def start_tag(tag: Tag, attrs: list[tuple[str, str | None]]) -> str:
    """A start tag rebuilt from attributes (values escaped, `<x/>` kept as written)."""
    written = "".join(
        f" {name}" if value is None else f' {name}="{html_lib.escape(value)}"'
        for name, value in attrs
    )
    return f"<{tag.name}{written}{' /' if tag.kind == 'empty' else ''}>"


def heading_pairs(tags: list[Tag]) -> list[tuple[Tag, Tag | None]]:
    """Each heading's start tag with the heading end tag that closes it (as browsers pair
    them: any `</hN>` closes an open heading, whatever N)."""
    pairs: list[tuple[Tag, Tag | None]] = []
    open_heading: Tag | None = None
    for tag in tags:
        if tag.name not in HEADINGS:
            continue
        if tag.kind == "start":
            if open_heading is not None:
                pairs.append((open_heading, None))
            open_heading = tag
        elif tag.kind == "end" and open_heading is not None:
            pairs.append((open_heading, tag))
            open_heading = None
    if open_heading is not None:
        pairs.append((open_heading, None))
    return pairs


_HEADING_TAG = re.compile(
    r"""<(/?)(h[1-6])(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""",
    re.IGNORECASE,
)


def heading_tags(html: str) -> list[Tag]:
    """Heading tags found by a regex: enough where no comment, script or textarea could
    hide a `<h2` that is not a tag (Markdown escapes `<` everywhere else)."""
    return [
        Tag("end" if m.group(1) else "start", m.group(2).lower(), [], m.start(), m.end(), m.group())
        for m in _HEADING_TAG.finditer(html)
    ]


def retag(tag: Tag, name: str) -> str:
    """The tag as written, with its element name replaced (attributes untouched)."""
    prefix = "</" if tag.kind == "end" else "<"
    return prefix + name + tag.raw[len(prefix) + len(tag.name) :]
