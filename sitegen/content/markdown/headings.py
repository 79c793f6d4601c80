"""Heading ids as Hugo makes them, `{#id .class}` heading attributes, and the TOC.

Hugo's default `autoHeadingIDType = "github"` (markup/goldmark/autoid.go): lowercase
letters, keep letters, digits and `_`, turn each space or `-` into `-` (runs are not
collapsed) and drop everything else. An empty result becomes `heading`; a taken id gets
`-1`, `-2`, … Explicit `{#id}` ids are taken as written (never deduplicated) but do
reserve the id, so a later automatic one moves on. Inbound links depend on all of this.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from sitegen.models import Heading

ENV_IDS = "sitegen_heading_ids"
ENV_HEADINGS = "sitegen_headings"


_ASCII_DROPPED = re.compile(r"[^a-z0-9_ -]")


def hugo_anchor(text: str) -> str:
    """Hugo's "github" anchor of a heading's plain text (no fallback, no dedup)."""
    if text.isascii():  # most headings: the same rule without a Python loop per character
        return _ASCII_DROPPED.sub("", text.lower()).replace(" ", "-")
    out = []
    for char in text:
        if char == "-" or char == " ":
            out.append("-")
        elif char == "_" or char.isalpha() or unicodedata.category(char) == "Nd":
            lower = char.lower()
            out.append(lower if len(lower) == 1 else char)
    return "".join(out)


@dataclass
class HeadingIds:
    """A page's id allocator: pieces of one page rendered apart share one of these."""

    taken: set[str] = field(default_factory=set)
    # base -> the number to try next: every lower one is taken, so 8,000 headings of one
    # text cost 8,000 steps, not 32 million
    next_number: dict[str, int] = field(default_factory=dict)

    def reserve(self, explicit_id: str) -> str:
        self.taken.add(explicit_id)
        return explicit_id

    def generate(self, text: str) -> str:
        base = hugo_anchor(text) or "heading"
        candidate, number = base, self.next_number.get(base, 1) - 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base}-{number}"
        self.next_number[base] = number + 1
        self.taken.add(candidate)
        return candidate


# Goldmark's attribute syntax at the end of a heading line: `{#id .class key=value key="v"}`.
_ATTR_BLOCK = re.compile(
    r"[ \t]*\{((?:[ \t]*(?:#[\w-]+|\.[\w-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s}\"']+)))*)[ \t]*\}[ \t]*$"
)
_ATTR_ITEM = re.compile(r"#([\w-]+)|\.([\w-]+)|([\w-]+)=(?:\"([^\"]*)\"|'([^']*)'|([^\s}\"']+))")


def split_heading_attributes(text: str) -> tuple[str, dict[str, str]]:
    """`Title {#x .y}` → ("Title", {"id": "x", "class": "y"}); text without a block stays."""
    match = _ATTR_BLOCK.search(text)
    if not match:
        return text, {}
    attrs: dict[str, str] = {}
    for item in _ATTR_ITEM.finditer(match.group(1)):
        ident, cls, key = item.group(1), item.group(2), item.group(3)
        if ident:
            attrs["id"] = ident
        elif cls:
            attrs["class"] = f"{attrs['class']} {cls}" if "class" in attrs else cls
        else:
            value = next(v for v in item.group(4, 5, 6) if v is not None)
            attrs[key] = value
    return text[: match.start()].rstrip(), attrs


def heading_attributes_rule(state: StateCore) -> None:
    """Core rule (before `inline`): move a heading's trailing `{…}` into its attributes."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        text, attrs = split_heading_attributes(inline.content)
        if attrs:
            inline.content = text
            token.attrs = {**attrs}
            token.meta["explicit_id"] = "id" in attrs


def anchor_text(children: list[Token]) -> str:
    """The heading text Goldmark derives ids from: autolinks and raw HTML add nothing,
    numeric character references count as written (`&#169;` gives `169`)."""
    parts: list[str] = []
    in_autolink = False
    for token in children:
        if token.type == "link_open":
            in_autolink = token.info == "auto" or token.markup in ("autolink", "linkify")
        elif token.type == "link_close":
            in_autolink = False
        elif in_autolink or token.type == "html_inline":
            continue
        elif (
            token.type == "text_special"
            and token.info == "entity"
            and token.markup.startswith("&#")
        ):
            parts.append(token.markup)
        elif token.type == "image":
            parts.append(anchor_text(token.children or []))
        elif token.type == "emoji":  # Goldmark's emoji extension: the id keeps the name
            parts.append(token.markup)
        elif token.type in ("text", "text_special", "code_inline"):
            parts.append(token.content.replace("\t", ""))
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip(" ")


def plain_heading_text(children: list[Token]) -> str:
    """The heading's text as a reader sees it (link targets dropped, URLs kept)."""
    parts = []
    for token in children:
        if token.type == "image":
            parts.append(plain_heading_text(token.children or []))
        elif token.type in ("text", "text_special", "code_inline", "emoji"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def heading_ids_rule(state: StateCore) -> None:
    """Core rule (after inline rules): give each heading its id and record it in env."""
    ids: HeadingIds = state.env.setdefault(ENV_IDS, HeadingIds())
    found: list[tuple[Token, Token]] = state.env.setdefault(ENV_HEADINGS, [])
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        if token.meta.get("explicit_id"):
            ids.reserve(str(token.attrs["id"]))
        elif inline.children:
            token.attrs["id"] = ids.generate(anchor_text(inline.children))
        found.append((token, inline))


def toc_title(inner_html: str) -> str:
    """Hugo's TOC entry: the heading's HTML without its links' `<a>` tags."""
    return re.sub(r"</?a\b[^>]*>", "", inner_html)


@dataclass
class _Node:
    heading: Heading | None = None
    children: list["_Node"] = field(default_factory=list)


def _tree(headings) -> list[_Node]:
    """Hugo's ToC tree: each h1 (or the first heading) opens a row; deeper levels nest,
    with empty placeholders where a level is skipped."""
    rows: list[_Node] = []
    for heading in headings:
        if heading.level == 1 or not rows:
            rows.append(_Node())
        if heading.level == 1:
            rows[-1].heading = heading
            continue
        node = rows[-1]
        for _ in range(1, heading.level - 1):
            if not node.children:
                node.children.append(_Node())
            node = node.children[-1]
        node.children.append(_Node(heading))
    return rows


def build_toc(headings, start: int = 2, end: int = 3, ordered: bool = False) -> str:
    """Hugo's `.TableOfContents`: `<nav id="TableOfContents">` with nested lists."""
    tag = "ol" if ordered else "ul"
    out: list[str] = ['<nav id="TableOfContents">']

    def write_list(level: int, indent: int, nodes: list[_Node]) -> None:
        if level < start:
            for node in nodes:
                write_list(level + 1, indent, node.children)
            return
        if end != -1 and level > end:
            return
        if nodes:
            out.append("\n" + "  " * (indent + 1) + f"<{tag}>\n")
        for node in nodes:
            out.append("  " * (indent + 2) + "<li>")
            if node.heading is not None and (node.heading.id or node.heading.html):
                out.append(f'<a href="#{node.heading.id}">{toc_title(node.heading.html)}</a>')
            write_list(level + 1, indent + 2, node.children)
            out.append("</li>\n")
        if nodes:
            out.append("  " * (indent + 1) + f"</{tag}>\n" + "  " * indent)

    write_list(1, 0, _tree(headings))
    out.append("</nav>")
    return "".join(out)
