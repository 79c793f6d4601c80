"""`enableEmoji`: GitHub's emoji names (`:tent:` → ⛺), as Hugo's Goldmark emoji extension
writes them: in text only (never in code or addresses), a heading's id made from the name.

The names are GitHub's gemoji database as pymdown-extensions ships it (`pymdownx.gemoji_db`,
a plain data module), each written in its emoji-presentation form (`unicode_alt`), which is
what Hugo writes for every one of its names; an unknown name stays as it was written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

_NAME = re.compile(r":([A-Za-z0-9_+-]+):")


@lru_cache(maxsize=1)
def emoji_names() -> dict[str, str]:
    """name (without colons) → emoji, GitHub's names and aliases."""
    from pymdownx import gemoji_db  # only sites with enableEmoji pay for the table

    def char(entry: dict) -> str:
        return "".join(
            chr(int(code, 16)) for code in (entry.get("unicode_alt") or entry["unicode"]).split("-")
        )

    names = {short.strip(":"): char(entry) for short, entry in gemoji_db.emoji.items()}
    names.update(
        {
            alias.strip(":"): char(gemoji_db.emoji[target])
            for alias, target in gemoji_db.aliases.items()
        }
    )
    return names


def _emoji_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != ":":
        return False
    match = _NAME.match(state.src, state.pos)
    char = emoji_names().get(match.group(1)) if match else None
    if char is None:
        return False
    if not silent:
        token = state.push("emoji", "", 0)
        token.content, token.markup = char, match.group(1)
    state.pos = match.end()
    return True


def emoji_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("text", "emoji", _emoji_rule)
    md.add_render_rule("emoji", lambda self, tokens, idx, options, env: tokens[idx].content)
