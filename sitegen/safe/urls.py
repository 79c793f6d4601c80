"""The one check every URL from content, config and i18n passes before it reaches an attribute.

It is markdown-it's own `validateLink`, the rule Markdown links are held to (no
`javascript:`, `vbscript:`, `file:`, and `data:` only for gif/png/jpeg/webp images), applied
to what a browser would read: entities decoded, and the whitespace and control characters
it skips inside a scheme (`java\tscript:`) removed first.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

_SKIPPED_BY_BROWSERS = re.compile(r"[\s\x00-\x1f\x7f]")


def allowed_url(url: str) -> bool:
    # markdown-it loads with the first URL checked, not before a build has read its pages
    from markdown_it.common.normalize_url import validateLink

    return validateLink(_SKIPPED_BY_BROWSERS.sub("", unescape(url)))


def safe_url(url: Any) -> str:
    """The URL as it is, or "#" for one Markdown would not link to (the `safe_url` filter)."""
    text = "" if url is None else str(url)
    return text if allowed_url(text) else "#"
