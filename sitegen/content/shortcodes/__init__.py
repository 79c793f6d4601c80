"""Hugo shortcodes: parse calls in a page body, render them through templates, and put
their HTML back after Markdown rendering. See `parser`, `expand` and `jinja`."""

from sitegen.content.shortcodes.expand import (
    ExpandedBody,
    ShortcodeCall,
    ShortcodeRenderer,
    ShortcodeRenderError,
    expand_shortcodes,
    has_shortcodes,
    restore_placeholders,
)
from sitegen.content.shortcodes.jinja import (
    JinjaShortcodeRenderer,
    ShortcodeContext,
    trim_short_html,
)
from sitegen.content.shortcodes.lexer import Text, unescape_tags
from sitegen.content.shortcodes.parser import ShortcodeNode, parse_shortcodes

__all__ = [
    "ExpandedBody",
    "JinjaShortcodeRenderer",
    "ShortcodeCall",
    "ShortcodeContext",
    "ShortcodeNode",
    "ShortcodeRenderError",
    "ShortcodeRenderer",
    "Text",
    "expand_shortcodes",
    "has_shortcodes",
    "parse_shortcodes",
    "restore_placeholders",
    "trim_short_html",
    "unescape_tags",
]
