"""Typographer output as private-use placeholders, and the entities Goldmark writes for them.

The typography rules write placeholders so that the final HTML can carry Goldmark's
entities (`&ldquo;`) while characters the author typed stay as typed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

LDQUO, RDQUO, LSQUO, RSQUO = "\ue001", "\ue002", "\ue003", "\ue004"
NDASH, MDASH, HELLIP, LAQUO, RAQUO = "\ue005", "\ue006", "\ue007", "\ue008", "\ue009"
TYPED_RSQUO = "\ue00a"
APOSTROPHE = "\ue00b"  # smartquotes' apostrophe: always &rsquo;, even where quotes are German
_FIXED_ENTITIES = {
    APOSTROPHE: "&rsquo;",
    NDASH: "&ndash;",
    MDASH: "&mdash;",
    HELLIP: "&hellip;",
    LAQUO: "&laquo;",
    RAQUO: "&raquo;",
}
_PLACEHOLDERS = re.compile("[\ue001-\ue00b]")


@lru_cache(maxsize=32)
def _entities(quotes: tuple[str, str, str, str]) -> dict[str, str]:
    table = dict(_FIXED_ENTITIES)
    table.update(zip((LDQUO, RDQUO, LSQUO, RSQUO), quotes))
    return table


def finish_html(html: str, quotes: tuple[str, str, str, str]) -> str:
    """Turn typographer placeholders into the entities Goldmark writes (a regular
    expression finds the few placeholders faster than str.translate walks every character)."""
    table = _entities(quotes)
    return _PLACEHOLDERS.sub(lambda match: table.get(match.group(), match.group()), html)


def finish_text(text: str, quotes: tuple[str, str, str, str]) -> str:
    """The same for plain text: the characters the entities stand for."""
    table = _entities(quotes)
    return _PLACEHOLDERS.sub(lambda match: unescape(table.get(match.group(), match.group())), text)
