"""Core rule: a list item starting `[ ]` / `[x]` gets Goldmark's disabled checkbox
(a `task_checkbox` token; goldmark_html writes it)."""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_TASK = re.compile(r"\[([ xX])\](?=\s|$)")


def task_lists(state: StateCore) -> None:
    tokens = state.tokens
    for index in range(2, len(tokens)):
        inline = tokens[index]
        if inline.type != "inline" or tokens[index - 2].type != "list_item_open":
            continue
        first = inline.children[0] if inline.children else None
        if first is None or first.type != "text" or not (match := _TASK.match(first.content)):
            continue
        first.content = first.content[match.end() :]
        checkbox = Token("task_checkbox", "input", 0)
        checkbox.meta = {"checked": match.group(1) != " "}
        inline.children.insert(0, checkbox)
