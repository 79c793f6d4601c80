"""Core rule (before smartquotes): typed `’` hidden, so that the apostrophes smartquotes
writes can become Goldmark's `&rsquo;` while the author's own stay as typed."""

from __future__ import annotations

from markdown_it.rules_core import StateCore

from sitegen.content.markdown.entities import TYPED_RSQUO


def text_tokens(state: StateCore):
    """Every text token of the document's inline content."""
    for block in state.tokens:
        if block.type == "inline" and block.children:
            yield from (t for t in block.children if t.type == "text")


def protect_apostrophes(state: StateCore) -> None:
    for token in text_tokens(state):
        if "\u2019" in token.content:
            token.content = token.content.replace("\u2019", TYPED_RSQUO)
