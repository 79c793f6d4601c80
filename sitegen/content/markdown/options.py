"""Hugo's `[markup]` options as one frozen, hashable value (a parser is built once per value).

A leaf of the Markdown package: the parser, its rules and its renderers all read these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.content.markdown.highlight import HighlightOptions

ENGLISH_QUOTES = ("&ldquo;", "&rdquo;", "&lsquo;", "&rsquo;")
# Quotation marks by language, CLDR's (Babel does not expose them). Hugo writes English
# quotes on every page; sitegen writes the page language's unless the config sets them.
LOCALE_QUOTES = {
    "de": ("&bdquo;", "&ldquo;", "&sbquo;", "&lsquo;"),
    "de-ch": ("&laquo;", "&raquo;", "&lsaquo;", "&rsaquo;"),
    "fr": ("&laquo;&nbsp;", "&nbsp;&raquo;", "&laquo;&nbsp;", "&nbsp;&raquo;"),
    "nl": ("&ldquo;", "&rdquo;", "&lsquo;", "&rsquo;"),
    "pl": ("&bdquo;", "&rdquo;", "&sbquo;", "&rsquo;"),
    "cs": ("&bdquo;", "&ldquo;", "&sbquo;", "&lsquo;"),
}
TYPOGRAPHER_QUOTE_KEYS = (
    "leftdoublequote",
    "rightdoublequote",
    "leftsinglequote",
    "rightsinglequote",
)


def quotes_for(lang: str, typographer: dict) -> tuple[str, str, str, str]:
    """The config's typographer quotes (Hugo's keys) win; else the language's own."""
    configured = [typographer.get(key) for key in TYPOGRAPHER_QUOTE_KEYS]
    code = lang.lower().replace("_", "-")
    defaults = LOCALE_QUOTES.get(code) or LOCALE_QUOTES.get(code.split("-")[0]) or ENGLISH_QUOTES
    return tuple(c if c else d for c, d in zip(configured, defaults))  # type: ignore[return-value]


@dataclass(frozen=True)
class MarkdownOptions:
    """Hugo's `markup` configuration; the defaults are Hugo's defaults."""

    unsafe: bool = False
    table: bool = True
    strikethrough: bool = True
    linkify: bool = True
    task_list: bool = True
    definition_list: bool = True
    footnote: bool = True
    typographer: bool = True
    hard_wraps: bool = False
    xhtml: bool = False
    highlight: HighlightOptions = field(default_factory=HighlightOptions)
    toc_start: int = 2
    toc_end: int = 3
    toc_ordered: bool = False
    lang: str = "en"
    # Hook for language-specific typography (German „…“): the four strings written for
    # left/right double and left/right single quotes. Goldmark writes English ones always.
    quotes: tuple[str, str, str, str] = ENGLISH_QUOTES
    emoji: bool = False  # the config's enableEmoji

    @classmethod
    def from_markup(
        cls, markup: dict | None, lang: str = "en", emoji: bool = False
    ) -> "MarkdownOptions":
        """Read the config's `[markup]` table (Hugo key names, any case)."""
        markup = _lower_keys(markup or {})
        goldmark = markup.get("goldmark", {})
        ext = goldmark.get("extensions", {})
        renderer = goldmark.get("renderer", {})
        toc = markup.get("tableofcontents", {})
        values: dict = {
            "lang": lang,
            "highlight": HighlightOptions.from_config(markup.get("highlight", {})),
            "emoji": emoji,
        }
        for name, key, table in (
            ("unsafe", "unsafe", renderer),
            ("hard_wraps", "hardwraps", renderer),
            ("xhtml", "xhtml", renderer),
            ("table", "table", ext),
            ("strikethrough", "strikethrough", ext),
            ("linkify", "linkify", ext),
            ("task_list", "tasklist", ext),
            ("definition_list", "definitionlist", ext),
            ("footnote", "footnote", ext),
        ):
            if key in table:
                values[name] = bool(table[key])
        typographer = ext.get("typographer", True)
        values["typographer"] = (
            typographer if isinstance(typographer, bool) else not typographer.get("disable", False)
        )
        values["quotes"] = quotes_for(lang, typographer if isinstance(typographer, dict) else {})
        for name, key in (("toc_start", "startlevel"), ("toc_end", "endlevel")):
            if key in toc:
                values[name] = int(toc[key])
        if "ordered" in toc:
            values["toc_ordered"] = bool(toc["ordered"])
        return cls(**values)


def _lower_keys(value):
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    return value
