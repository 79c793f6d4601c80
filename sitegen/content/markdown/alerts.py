"""GitHub and Obsidian alerts (`> [!WARNING] Title`) for markdown-it-py.

A block quote whose first line is `[!TYPE]`, optionally followed by `+`/`-` (Obsidian's
open/folded marker) and a title, becomes an admonition. The quote's content is rendered as
usual and handed with the type and title to a callback, `render_admonition(type, title,
body_html) -> str`, so alerts and the `admonition` shortcode share one template. The callback
is given to the plugin, or per render in the env (`md.render(text, {"render_admonition": f}`),
which lets each page render with its own language.

Types are the admonition's (note, tip, warning, …) and their aliases (important, caution, …),
case-insensitive; a block quote with another `[!WORD]` stays a block quote, as on GitHub.
"""

from __future__ import annotations

import re
from html import escape
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

RenderAdmonition = Callable[[str, "str | None", str], str]

ADMONITION_TYPES = frozenset(
    "note abstract info tip success question warning failure danger bug example quote todo".split()
)
ALIASES = {
    "summary": "abstract",
    "tldr": "abstract",
    "hint": "tip",
    "important": "tip",
    "check": "success",
    "done": "success",
    "help": "question",
    "faq": "question",
    "caution": "warning",
    "attention": "warning",
    "fail": "failure",
    "missing": "failure",
    "error": "danger",
    "cite": "quote",
}
_MARKER = re.compile(r"\[!([A-Za-z]+)\]([+-]?)[ \t]*(.*)")


def alerts_plugin(md: MarkdownIt, render_admonition: RenderAdmonition | None = None) -> None:
    """Turn alert block quotes into admonitions rendered by `render_admonition`."""
    md.options["alerts"] = False  # markdown-it's own GitHub alerts would take these quotes first
    md.core.ruler.after("block", "alerts_detect", _detect_alerts)
    md.core.ruler.push(
        "alerts_render",
        lambda state: _render_alerts(state, render_admonition or default_render_admonition),
    )
    md.add_render_rule("alert_html", lambda self, tokens, idx, options, env: tokens[idx].content)


def default_render_admonition(kind: str, title: str | None, body_html: str) -> str:
    """Plain markup used when no template is given: the admonition's structure, no icon."""
    heading = escape(title) if title else kind.capitalize()
    return (
        f'<details class="admonition {kind}" open>\n<summary class="admonition-title">{heading}</summary>\n'
        f'<div class="admonition-content">{body_html}</div>\n</details>\n'
    )


def alert_kind(word: str) -> str | None:
    """The admonition type an alert word names, or None for a word that is no alert."""
    word = word.lower()
    word = ALIASES.get(word, word)
    return word if word in ADMONITION_TYPES else None


def _detect_alerts(state: StateCore) -> None:
    """Before inline parsing: mark alert quotes and cut the marker line from their text."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "blockquote_open" or index + 2 >= len(tokens):
            continue
        paragraph, inline = tokens[index + 1], tokens[index + 2]
        if paragraph.type != "paragraph_open" or inline.type != "inline":
            continue
        first_line, _, rest = inline.content.partition("\n")
        match = _MARKER.fullmatch(first_line.strip())
        kind = alert_kind(match.group(1)) if match else None
        if match is None or kind is None:
            continue
        token.meta = {
            "alert": kind,
            "title": match.group(3).strip() or None,
            "folded": match.group(2) == "-",
        }
        inline.content = rest
        if not rest.strip():
            # The marker was the whole paragraph: drop the now empty paragraph.
            for dropped in (paragraph, inline, tokens[index + 3]):
                dropped.hidden = True
                dropped.type = "alert_dropped"


def _render_alerts(state: StateCore, render_admonition: RenderAdmonition) -> None:
    """After inline parsing: render each alert's content and replace the quote by the callback's
    HTML, innermost first so nested alerts are already HTML inside their parent."""
    tokens = state.tokens
    callback = (
        state.env.get("render_admonition", render_admonition)
        if isinstance(state.env, dict)
        else render_admonition
    )
    for open_index in range(len(tokens) - 1, -1, -1):
        token = tokens[open_index]
        if token.type != "blockquote_open" or "alert" not in (token.meta or {}):
            continue
        close_index = _matching_close(tokens, open_index)
        inner = [t for t in tokens[open_index + 1 : close_index] if t.type != "alert_dropped"]
        body_html = state.md.renderer.render(inner, state.md.options, state.env)
        html = callback(token.meta["alert"], token.meta["title"], body_html)
        if token.meta["folded"]:
            html = html.replace(" open>", ">", 1)
        # Its own token type: the theme's trusted template output, not the author's raw HTML,
        # so it is written even when raw HTML is off.
        block = Token(
            "alert_html",
            "",
            0,
            content=html if html.endswith("\n") else html + "\n",
            map=token.map,
            level=token.level,
            block=True,
        )
        tokens[open_index : close_index + 1] = [block]


def _matching_close(tokens: list[Token], open_index: int) -> int:
    depth = 0
    for index in range(open_index, len(tokens)):
        if tokens[index].type == "blockquote_open":
            depth += 1
        elif tokens[index].type == "blockquote_close":
            depth -= 1
            if depth == 0:
                return index
    return len(tokens) - 1
