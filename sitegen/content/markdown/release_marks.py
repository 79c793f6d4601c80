"""Marks the Markdown pass leaves in a page's HTML for the release stage, so that it never
parses the HTML again: where a release heading's short anchor and meta line go, where its
section ends, and GitHub references written both ways where only some readers get links.

Marks are private-use characters, which no author writes and no HTML parser sees as markup:

- `A id ;` just inside the opening tag of the release heading with that id (its anchor span),
- `M id ;` just after the heading's line (its date and compare link: the section starts here),
- `E id ;` where the heading's section ends (before the next heading of its level or higher;
  none where it ends with the document);
- `L linked-html T text R`: a reference as a link and as the text it was (whole-post
  releases link references in the feed, while the post's page shows them as written).

`fill_marks` makes the page's HTML (marks filled or removed); `without_marks` and
`linked_text` give the two ways of the references, with the heading marks removed.
"""

from __future__ import annotations

import re

MARK, MARK_END = "\ue020", "\ue021"
LINKED, AS_TEXT, REF_END = "\ue022", "\ue023", "\ue024"
MARKS = frozenset({MARK, LINKED})  # a text holds marks when it holds one of these
_HEADING_MARK = re.compile("\ue020([AME])([^\ue021]*)\ue021")
_ANY = re.compile("\ue020([AME])([^\ue021]*)\ue021|\ue022([^\ue023]*)\ue023([^\ue024]*)\ue024")


def anchor_mark(heading_id: str) -> str:
    return f"{MARK}A{heading_id}{MARK_END}"


def meta_mark(heading_id: str) -> str:
    return f"{MARK}M{heading_id}{MARK_END}"


def end_mark(heading_id: str) -> str:
    return f"{MARK}E{heading_id}{MARK_END}"


def has_marks(html: str) -> bool:
    return MARK in html or LINKED in html


def fill_marks(html: str, fills: dict[str, str]) -> str:
    """The page's HTML: each heading mark replaced by `fills[mark]` ("" if absent), each
    reference as the text it was."""
    if not has_marks(html):
        return html

    def fill(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return fills.get(match.group(0), "")
        return match.group(4)

    return _ANY.sub(fill, html)


def without_marks(html: str) -> str:
    """The HTML without marks, references as the text they were."""
    return fill_marks(html, {})


def linked_text(html: str) -> str:
    """The HTML without marks, references as links."""
    if not has_marks(html):
        return html
    return _ANY.sub(lambda m: "" if m.group(1) is not None else m.group(3), html)


def section_html(html: str, heading_id: str) -> str | None:
    """The marked HTML of the section under the release heading `heading_id` (from just
    after its heading's line to where the section ends); None without its marks."""
    start = html.find(meta_mark(heading_id))
    if start < 0:
        return None
    end = html.find(end_mark(heading_id), start)
    end = len(html) if end < 0 else end
    return html[start + len(meta_mark(heading_id)) : end]


def marked_headings(html: str) -> list[str]:
    """The ids of the release headings marked in `html`, in document order."""
    return [m.group(2) for m in _HEADING_MARK.finditer(html) if m.group(1) == "M"]
