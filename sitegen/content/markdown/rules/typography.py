"""Core rule (after smartquotes): Goldmark's typographer substitutions, where markdown-it's
`replacements` would also write (c), +-, ?... and …: dashes, ellipsis, angle quotes, and
Goldmark's handling of unpaired quotes and of apostrophes."""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore

from sitegen.content.markdown.entities import (
    APOSTROPHE,
    HELLIP,
    LAQUO,
    LDQUO,
    LSQUO,
    MDASH,
    NDASH,
    RAQUO,
    TYPED_RSQUO,
)

_TYPO_RE = re.compile(r"---|--|\.\.\.|<<|>>")
_TYPO = {"---": MDASH, "--": NDASH, "...": HELLIP, "<<": LAQUO, ">>": RAQUO}
_LONE_QUOTE = re.compile(r"""(^|.)(["'])(?=(.|$))""", re.S)


def goldmark_typography(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        in_autolink = False
        for token in block.children:
            if token.type == "link_open":
                in_autolink = token.info == "auto"
            elif token.type == "link_close":
                in_autolink = False
            elif token.type == "text":
                if "\u2019" in token.content or TYPED_RSQUO in token.content:
                    token.content = token.content.replace("\u2019", APOSTROPHE).replace(
                        TYPED_RSQUO, "\u2019"
                    )
                if not in_autolink:
                    token.content = _replace_typography(token.content)
                    if '"' in token.content or "'" in token.content:
                        token.content = _LONE_QUOTE.sub(_lone_quote, token.content)


def _replace_typography(text: str) -> str:
    """Goldmark's dashes, ellipsis and angle quotes (`...` before `..`, `---` before `--`)."""
    if "--" not in text and "..." not in text and "<<" not in text and ">>" not in text:
        return text
    return _TYPO_RE.sub(lambda m: _TYPO[m.group(0)], text)


def _lone_quote(match: re.Match) -> str:
    """Goldmark turns an unpaired quote that can open (after a space, before a non-space)
    into an opening quote; any other unpaired quote stays straight."""
    before, quote = match.group(1), match.group(2)
    after = match.string[match.end() : match.end() + 1]
    opening = (not before or before.isspace() or before in "([{") and after and not after.isspace()
    if not opening:
        return match.group(0)
    return before + (LDQUO if quote == '"' else LSQUO)
