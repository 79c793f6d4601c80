"""Inline rule (before html_inline): `<<` is Goldmark's left angle quote, even where `<`
could open raw HTML."""

from __future__ import annotations

from markdown_it.rules_inline import StateInline

from sitegen.content.markdown.entities import LAQUO


def angle_quote(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("<<", state.pos):
        return False
    if not silent:
        state.push("text", "", 0).content = LAQUO
    state.pos += 2
    return True
