"""Core rule: `www.example.org\\` at a line end is a link and a hard line break in Goldmark;
the GFM autolinker takes the backslash into the link. This gives it back to the line break."""

from __future__ import annotations

from markdown_it.rules_core import StateCore


def autolink_hard_break(state: StateCore) -> None:
    for block in state.tokens:
        children = block.children or []
        for index in range(len(children) - 3):
            opening, text, closing, after = children[index : index + 4]
            if (
                opening.type == "link_open"
                and opening.info == "auto"
                and closing.type == "link_close"
                and after.type == "softbreak"
                and text.content.endswith("\\")
            ):
                text.content = text.content[:-1]
                href = str(opening.attrs.get("href", ""))
                opening.attrs["href"] = href.removesuffix("%5C")
                after.type, after.tag = "hardbreak", "br"
