"""Markdown → HTML with markdown-it-py, configured from Hugo's `[markup]` options so the
output matches what Hugo's Goldmark writes (entities, footnotes, task lists, tables).

The MarkdownIt instance is built once per options value (a frozen, hashable dataclass)
and cached at module level, so worker processes each build it once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

from sitegen.content.markdown.alerts import alerts_plugin
from sitegen.content.markdown.emoji import emoji_plugin
from sitegen.errors import SiteError
from sitegen.content.markdown.goldmark_html import install_renderers
from sitegen.content.markdown.headings import (
    ENV_HEADINGS,
    ENV_IDS,
    HeadingIds,
    build_toc,  # noqa: F401  (re-exported: the build calls markdown.build_toc)
    heading_attributes_rule,
    heading_ids_rule,
    hugo_anchor,  # noqa: F401
    plain_heading_text,
)
from sitegen.content.markdown.highlight import HighlightOptions
from sitegen.models import Heading
from sitegen.releases.rules.github_refs import ENV_HEADING_TEXT, ENV_RELEASE_REFS, ReleaseRefs, github_refs_rule
from sitegen.content.summary import isolate_divider

# Typographer output goes through private-use placeholders so the final HTML can carry
# Goldmark's entities (`&ldquo;`) while characters the author typed stay as typed.
_LDQUO, _RDQUO, _LSQUO, _RSQUO = "\ue001", "\ue002", "\ue003", "\ue004"
_NDASH, _MDASH, _HELLIP, _LAQUO, _RAQUO = "\ue005", "\ue006", "\ue007", "\ue008", "\ue009"
_TYPED_RSQUO = "\ue00a"
_APOSTROPHE = "\ue00b"  # smartquotes' apostrophe: always &rsquo;, even where quotes are German
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
TYPOGRAPHER_QUOTE_KEYS = ("leftdoublequote", "rightdoublequote", "leftsinglequote", "rightsinglequote")


def quotes_for(lang: str, typographer: dict) -> tuple[str, str, str, str]:
    """The config's typographer quotes (Hugo's keys) win; else the language's own."""
    configured = [typographer.get(key) for key in TYPOGRAPHER_QUOTE_KEYS]
    code = lang.lower().replace("_", "-")
    defaults = LOCALE_QUOTES.get(code) or LOCALE_QUOTES.get(code.split("-")[0]) or ENGLISH_QUOTES
    return tuple(c if c else d for c, d in zip(configured, defaults))  # type: ignore[return-value]
_FIXED_ENTITIES = {_APOSTROPHE: "&rsquo;", _NDASH: "&ndash;", _MDASH: "&mdash;", _HELLIP: "&hellip;", _LAQUO: "&laquo;", _RAQUO: "&raquo;"}


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
    def from_markup(cls, markup: dict | None, lang: str = "en", emoji: bool = False) -> "MarkdownOptions":
        """Read the config's `[markup]` table (Hugo key names, any case)."""
        markup = _lower_keys(markup or {})
        goldmark = markup.get("goldmark", {})
        ext = goldmark.get("extensions", {})
        renderer = goldmark.get("renderer", {})
        toc = markup.get("tableofcontents", {})
        values: dict = {"lang": lang, "highlight": HighlightOptions.from_config(markup.get("highlight", {})), "emoji": emoji}
        for name, key, table in (
            ("unsafe", "unsafe", renderer), ("hard_wraps", "hardwraps", renderer), ("xhtml", "xhtml", renderer),
            ("table", "table", ext), ("strikethrough", "strikethrough", ext), ("linkify", "linkify", ext),
            ("task_list", "tasklist", ext), ("definition_list", "definitionlist", ext),
            ("footnote", "footnote", ext),
        ):
            if key in table:
                values[name] = bool(table[key])
        typographer = ext.get("typographer", True)
        values["typographer"] = typographer if isinstance(typographer, bool) else not typographer.get("disable", False)
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


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    headings: tuple[Heading, ...]


def _text_tokens(state: StateCore):
    for block in state.tokens:
        if block.type == "inline" and block.children:
            yield from (t for t in block.children if t.type == "text")


def _protect_apostrophes_rule(state: StateCore) -> None:
    """Hide typed `’` so the ones smartquotes writes can become Goldmark's `&rsquo;`."""
    for token in _text_tokens(state):
        if "\u2019" in token.content:
            token.content = token.content.replace("\u2019", _TYPED_RSQUO)


def _angle_quote_rule(state, silent: bool) -> bool:
    """`<<` is Goldmark's left angle quote, even where `<` could open raw HTML."""
    if not state.src.startswith("<<", state.pos):
        return False
    if not silent:
        state.push("text", "", 0).content = _LAQUO
    state.pos += 2
    return True


def _typography_rule(state: StateCore) -> None:
    """Goldmark's typographer substitutions (markdown-it's also does (c), +-, ?..., …)."""
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
                if "\u2019" in token.content or _TYPED_RSQUO in token.content:
                    token.content = token.content.replace("\u2019", _APOSTROPHE).replace(_TYPED_RSQUO, "\u2019")
                if not in_autolink:
                    token.content = _replace_typography(token.content)
                    if '"' in token.content or "'" in token.content:
                        token.content = _LONE_QUOTE.sub(_lone_quote, token.content)


_TYPO_RE = re.compile(r"---|--|\.\.\.|<<|>>")


def _replace_typography(text: str) -> str:
    """Goldmark's dashes, ellipsis and angle quotes (`...` before `..`, `---` before `--`)."""
    if "--" not in text and "..." not in text and "<<" not in text and ">>" not in text:
        return text
    table = {"---": _MDASH, "--": _NDASH, "...": _HELLIP, "<<": _LAQUO, ">>": _RAQUO}
    return _TYPO_RE.sub(lambda m: table[m.group(0)], text)


_LONE_QUOTE = re.compile(r"""(^|.)(["'])(?=(.|$))""", re.S)


def _lone_quote(match: re.Match) -> str:
    """Goldmark turns an unpaired quote that can open (after a space, before a non-space)
    into an opening quote; any other unpaired quote stays straight."""
    before, quote = match.group(1), match.group(2)
    after = match.string[match.end(): match.end() + 1]
    opening = (not before or before.isspace() or before in "([{") and after and not after.isspace()
    if not opening:
        return match.group(0)
    return before + (_LDQUO if quote == '"' else _LSQUO)


_TASK = re.compile(r"\[([ xX])\](?=\s|$)")


def task_list_rule(state: StateCore) -> None:
    """A list item starting `[ ]` / `[x]` gets Goldmark's disabled checkbox."""
    tokens = state.tokens
    for index in range(2, len(tokens)):
        inline = tokens[index]
        if inline.type != "inline" or tokens[index - 2].type != "list_item_open":
            continue
        first = inline.children[0] if inline.children else None
        if first is None or first.type != "text" or not (match := _TASK.match(first.content)):
            continue
        first.content = first.content[match.end():]
        checkbox = Token("task_checkbox", "input", 0)
        checkbox.meta = {"checked": match.group(1) != " "}
        inline.children.insert(0, checkbox)


def autolink_hard_break_rule(state: StateCore) -> None:
    """`www.example.org\\` at a line end is a link and a hard line break in Goldmark; the GFM
    autolinker takes the backslash into the link. Give it back to the line break."""
    for block in state.tokens:
        children = block.children or []
        for index in range(len(children) - 3):
            opening, text, closing, after = children[index:index + 4]
            if (opening.type == "link_open" and opening.info == "auto" and closing.type == "link_close"
                    and after.type == "softbreak" and text.content.endswith("\\")):
                text.content = text.content[:-1]
                href = str(opening.attrs.get("href", ""))
                opening.attrs["href"] = href.removesuffix("%5C")
                after.type, after.tag = "hardbreak", "br"


# markdown-it's commonmark preset stops at 20 levels and drops the rest of the document
# without a word; Goldmark (Hugo 0.168) renders 300 nested quotes and 150 nested lists (a
# list level takes two here: list and item). Deeper than this is an error (check_nesting).
MAX_NESTING = 500


def check_nesting(tokens: list, first_line: int, path: Path | str | None) -> None:
    """markdown-it drops what lies deeper than maxNesting: say so, with the line."""
    deepest = max(tokens, key=lambda token: token.level, default=None)
    if deepest is not None and deepest.level >= MAX_NESTING - 1:
        line = first_line + deepest.map[0] if deepest.map else first_line
        raise SiteError(f"lists or block quotes nest deeper than sitegen can render here ({MAX_NESTING} levels, "
                        "two for each list); the rest would be lost", path, line, hint="flatten the nesting")


@lru_cache(maxsize=64)
def parser(options: MarkdownOptions, footnotes: bool = True, www_links: bool = True) -> MarkdownIt:
    """The configured MarkdownIt instance for these options (cached: the hot path).

    `footnotes=False` and `www_links=False` leave out the footnote rules and the bare
    `www.` autolinks, for a document that cannot hold them (see parser_for)."""
    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": options.xhtml, "breaks": options.hard_wraps,
                                   "maxNesting": MAX_NESTING})
    md.options["typographer"] = options.typographer
    md.options["quotes"] = _LDQUO + _RDQUO + _LSQUO + _RSQUO
    if options.table:
        md.enable("table")
    if options.strikethrough:
        md.enable("strikethrough")
    if options.linkify:
        plain_text_ends = md.inline.terminator_re
        gfm_autolink_plugin(md)
        if not www_links:  # the plugin ends plain text at every "w" to look for "www."
            md.inline.terminator_re = plain_text_ends
            md.disable("gfm_autolink_www")
        md.core.ruler.push("autolink_hard_break", autolink_hard_break_rule)
    if options.definition_list:
        deflist_plugin(md)
    if options.footnote and footnotes:
        footnote_plugin(md, inline=False)
    md.disable("replacements")
    if options.typographer:
        md.enable("smartquotes")
        md.core.ruler.before("smartquotes", "protect_apostrophes", _protect_apostrophes_rule)
        md.core.ruler.after("smartquotes", "goldmark_typography", _typography_rule)
        md.inline.ruler.before("html_inline", "angle_quote", _angle_quote_rule)
    md.core.ruler.before("inline", "heading_attributes", heading_attributes_rule)
    if options.emoji:
        emoji_plugin(md)
    if options.task_list:
        md.core.ruler.push("task_lists", task_list_rule)
    md.core.ruler.before("text_join", "heading_ids", heading_ids_rule)
    alerts_plugin(md)
    md.core.ruler.push("github_refs", github_refs_rule)
    install_renderers(md, options)
    return md


def parser_for(text: str, options: MarkdownOptions) -> MarkdownIt:
    """The parser for one document: without the rules it cannot use. Footnotes need `[^`,
    a bare link `www.`; leaving their rules out makes a typical post parse a fifth faster
    (the www rule stops the text scanner at every "w") and gives the same tokens."""
    return parser(options, "[^" in text, "www." in text)


def prepare_parsers(options: MarkdownOptions) -> None:
    """Build every parser parser_for may pick (before worker processes fork, so that
    they inherit them instead of each building its own)."""
    for footnotes in (True, False):
        for www_links in (True, False):
            parser(options, footnotes, www_links)


_PLACEHOLDERS = re.compile("[\ue001-\ue00b]")


@lru_cache(maxsize=32)
def _entities(quotes: tuple[str, str, str, str]) -> dict[str, str]:
    table = dict(_FIXED_ENTITIES)
    table.update(zip((_LDQUO, _RDQUO, _LSQUO, _RSQUO), quotes))
    return table


def _finish(html: str, options: MarkdownOptions) -> str:
    """Turn typographer placeholders into the entities Goldmark writes (a regular
    expression finds the few placeholders faster than str.translate walks every character)."""
    table = _entities(options.quotes)
    return _PLACEHOLDERS.sub(lambda match: table.get(match.group(), match.group()), html)


def _plain(text: str, options: MarkdownOptions) -> str:
    table = _entities(options.quotes)
    return _PLACEHOLDERS.sub(lambda match: unescape(table.get(match.group(), match.group())), text)


def render_markdown(
    text: str, options: MarkdownOptions, *, first_line: int = 1, ids: HeadingIds | None = None,
    render_admonition: Callable[[str, str | None, str], str] | None = None,
    release_refs: ReleaseRefs | None = None, path: Path | str | None = None,
) -> RenderedMarkdown:
    """Render a Markdown document; heading lines are reported as file lines. With
    `release_refs`, GitHub references in release sections become links (releases.rules)."""
    text = isolate_divider(text)
    md = parser_for(text, options)
    env: dict = {ENV_IDS: ids if ids is not None else HeadingIds()}
    if render_admonition is not None:  # alerts (> [!NOTE]) through the theme's admonition template
        env["render_admonition"] = render_admonition
    if release_refs is not None:
        env[ENV_RELEASE_REFS] = release_refs
        env[ENV_HEADING_TEXT] = lambda children: _plain(plain_heading_text(children), options)
    tokens = md.parse(text, env)
    check_nesting(tokens, first_line, path)
    html = _finish(md.renderer.render(tokens, md.options, env), options)
    headings = []
    for token, inline in env.get(ENV_HEADINGS, []):
        inner = _finish(md.renderer.renderInline(inline.children or [], md.options, env), options)
        line = token.map[0] + first_line if token.map else 0
        level = int(token.tag[1])
        text_ = _plain(plain_heading_text(inline.children or []), options)
        headings.append(Heading(level, text_, inner, str(token.attrs.get("id", "")), line))
    return RenderedMarkdown(html, tuple(headings))


def render_inline(text: str, options: MarkdownOptions) -> str:
    """Inline Markdown (a title): no `<p>`, no heading ids."""
    md = parser(options)
    env: dict = {}
    return _finish(md.renderer.render(md.parseInline(text, env), md.options, env), options)


__all__ = [
    "MarkdownOptions", "RenderedMarkdown", "render_markdown", "render_inline", "build_toc",
    "hugo_anchor", "HeadingIds", "HighlightOptions",
]
