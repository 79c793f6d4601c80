"""Markdown → HTML with markdown-it-py, configured from Hugo's `[markup]` options so the
output matches what Hugo's Goldmark writes (entities, footnotes, task lists, tables).

`parser` assembles a MarkdownIt from markdown-it-py's own rules, mdit-py-plugins and
sitegen's rules (`sitegen.content.markdown.rules`, one per module), in a fixed order. It is
built once per options value (a frozen, hashable dataclass) and cached at module level, so
worker processes each build it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.common import normalize_url
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

from sitegen.content.markdown.alerts import alerts_plugin
from sitegen.content.markdown.emoji import emoji_plugin
from sitegen.content.markdown.entities import LDQUO, LSQUO, RDQUO, RSQUO, finish_html, finish_text
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
from sitegen.content.markdown.options import MarkdownOptions
from sitegen.content.markdown.rules.angle_quote import angle_quote
from sitegen.content.markdown.rules.autolink_hard_break import autolink_hard_break
from sitegen.content.markdown.rules.github_refs import (
    ENV_HEADING_TEXT,
    ENV_RELEASE_REFS,
    ReleaseRefs,
    github_refs,
)
from sitegen.content.markdown.rules.protect_apostrophes import protect_apostrophes
from sitegen.content.markdown.rules.release_headings import (
    MARK_TOKEN,
    release_headings,
    render_mark,
)
from sitegen.content.markdown.rules.task_lists import task_lists
from sitegen.content.markdown.rules.typography import goldmark_typography
from sitegen.content.summary import isolate_divider
from sitegen.errors import SiteError
from sitegen.models import Heading

# markdown-it's commonmark preset stops at 20 levels and drops the rest of the document
# without a word; Goldmark (Hugo 0.168) renders 300 nested quotes and 150 nested lists (a
# list level takes two here: list and item). Deeper than this is an error (check_nesting).
MAX_NESTING = 500
# Normalizing a link's URL (parse, punycode the host, percent-encode) is a pure function of
# the URL, and release notes give the same pull request, commit or compare link again and
# again (in the post, its translations and its release feed entries): each is worked out once.
LINKS_REMEMBERED = 16384
_normalized_link = lru_cache(maxsize=LINKS_REMEMBERED)(normalize_url.normalizeLink)
_normalized_link_text = lru_cache(maxsize=LINKS_REMEMBERED)(normalize_url.normalizeLinkText)


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    headings: tuple[Heading, ...]


def check_nesting(tokens: list, first_line: int, path: Path | str | None) -> None:
    """markdown-it drops what lies deeper than maxNesting: say so, with the line."""
    deepest = max(tokens, key=lambda token: token.level, default=None)
    if deepest is not None and deepest.level >= MAX_NESTING - 1:
        line = first_line + deepest.map[0] if deepest.map else first_line
        raise SiteError(
            f"lists or block quotes nest deeper than sitegen can render here ({MAX_NESTING} levels, "
            "two for each list); the rest would be lost",
            path,
            line,
            hint="flatten the nesting",
        )


@lru_cache(maxsize=64)
def parser(options: MarkdownOptions, footnotes: bool = True, www_links: bool = True) -> MarkdownIt:
    """The configured MarkdownIt instance for these options (cached: the hot path).

    `footnotes=False` and `www_links=False` leave out the footnote rules and the bare
    `www.` autolinks, for a document that cannot hold them (see parser_for)."""
    md = MarkdownIt(
        "commonmark",
        {
            "html": True,
            "xhtmlOut": options.xhtml,
            "breaks": options.hard_wraps,
            "maxNesting": MAX_NESTING,
        },
    )
    md.normalizeLink = _normalized_link  # markdown-it's own, remembered (its documented hook)
    md.normalizeLinkText = _normalized_link_text
    md.options["typographer"] = options.typographer
    md.options["quotes"] = LDQUO + RDQUO + LSQUO + RSQUO
    for name, wanted in (("table", options.table), ("strikethrough", options.strikethrough)):
        if wanted:
            md.enable(name)
    if options.linkify:
        _use_autolinks(md, www_links)
    if options.definition_list:
        deflist_plugin(md)
    if options.footnote and footnotes:
        footnote_plugin(md, inline=False)
    md.disable("replacements")  # Goldmark's typography instead (rules.typography)
    if options.typographer:
        _use_typographer(md)
    md.core.ruler.before("inline", "heading_attributes", heading_attributes_rule)
    if options.emoji:
        emoji_plugin(md)
    if options.task_list:
        md.core.ruler.push("task_lists", task_lists)
    md.core.ruler.before("text_join", "heading_ids", heading_ids_rule)
    alerts_plugin(md)
    md.core.ruler.push("github_refs", github_refs)
    md.core.ruler.push("release_headings", release_headings)
    md.add_render_rule(MARK_TOKEN, render_mark)
    install_renderers(md, options)
    return md


def _use_autolinks(md: MarkdownIt, www_links: bool) -> None:
    """GFM's bare URLs (and `www.` ones where `www_links`), ending lines as Goldmark's do."""
    plain_text_ends = md.inline.terminator_re
    gfm_autolink_plugin(md)
    if not www_links:  # the plugin ends plain text at every "w" to look for "www."
        md.inline.terminator_re = plain_text_ends
        md.disable("gfm_autolink_www")
    md.core.ruler.push("autolink_hard_break", autolink_hard_break)


def _use_typographer(md: MarkdownIt) -> None:
    """markdown-it's smart quotes, wrapped in Goldmark's apostrophes, dashes and angle quotes."""
    md.enable("smartquotes")
    md.core.ruler.before("smartquotes", "protect_apostrophes", protect_apostrophes)
    md.core.ruler.after("smartquotes", "goldmark_typography", goldmark_typography)
    md.inline.ruler.before("html_inline", "angle_quote", angle_quote)


def parser_for(text: str, options: MarkdownOptions) -> MarkdownIt:
    """The parser for one document: without the rules it cannot use. Footnotes need `[^`,
    a bare link `www.`; leaving their rules out gives the same tokens faster (the www rule
    stops the text scanner at every "w")."""
    return parser(options, "[^" in text, "www." in text)


def prepare_parsers(options: MarkdownOptions) -> None:
    """Build every parser parser_for may pick (before worker processes fork, so that
    they inherit them instead of each building its own)."""
    for footnotes in (True, False):
        for www_links in (True, False):
            parser(options, footnotes, www_links)


def render_markdown(
    text: str,
    options: MarkdownOptions,
    *,
    first_line: int = 1,
    ids: HeadingIds | None = None,
    render_admonition: Callable[[str, str | None, str], str] | None = None,
    release_refs: ReleaseRefs | None = None,
    path: Path | str | None = None,
) -> RenderedMarkdown:
    """Render a Markdown document; heading lines are reported as file lines. With
    `release_refs`, GitHub references in release sections become links (rules.github_refs)."""
    text = isolate_divider(text)
    md = parser_for(text, options)
    env: dict = {ENV_IDS: ids if ids is not None else HeadingIds()}
    if render_admonition is not None:  # alerts (> [!NOTE]) through the theme's admonition template
        env["render_admonition"] = render_admonition
    if release_refs is not None:
        env[ENV_RELEASE_REFS] = release_refs
        env[ENV_HEADING_TEXT] = lambda children: finish_text(
            plain_heading_text(children), options.quotes
        )
    tokens = md.parse(text, env)
    check_nesting(tokens, first_line, path)
    html = finish_html(md.renderer.render(tokens, md.options, env), options.quotes)
    return RenderedMarkdown(html, tuple(_headings(md, env, first_line, options)))


def _headings(
    md: MarkdownIt, env: dict, first_line: int, options: MarkdownOptions
) -> list[Heading]:
    """The document's headings as the heading_ids rule found them, lines as file lines."""
    headings = []
    for token, inline in env.get(ENV_HEADINGS, []):
        inner = finish_html(
            md.renderer.renderInline(inline.children or [], md.options, env), options.quotes
        )
        line = token.map[0] + first_line if token.map else 0
        text = finish_text(plain_heading_text(inline.children or []), options.quotes)
        headings.append(
            Heading(int(token.tag[1]), text, inner, str(token.attrs.get("id", "")), line)
        )
    return headings


def render_inline(text: str, options: MarkdownOptions) -> str:
    """Inline Markdown (a title): no `<p>`, no heading ids."""
    md = parser(options)
    env: dict = {}
    return finish_html(
        md.renderer.render(md.parseInline(text, env), md.options, env), options.quotes
    )


__all__ = [
    "MarkdownOptions",
    "RenderedMarkdown",
    "render_markdown",
    "render_inline",
    "build_toc",
    "hugo_anchor",
    "HeadingIds",
    "HighlightOptions",
]
