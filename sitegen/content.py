"""Render a page's Markdown body: shortcodes, Markdown, placeholders, summary, word count.

One page at a time and independent of every other page's content, so this stage can run
in worker processes and be cached by the page's inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from sitegen.html_repair import images_without_alt, repair_outline, repair_raw_html, summary_for_list
from sitegen.headings import HeadingIds, build_toc
from sitegen.markdown import MarkdownOptions, render_inline, render_markdown
from sitegen.models import Page
from sitegen.shortcodes.expand import expand_shortcodes, has_shortcodes, restore_placeholders
from sitegen.shortcodes.jinja import JinjaShortcodeRenderer
from sitegen.summary import content_without_divider, count_words, isolate_divider, plain_text, reading_time, split_summary


@dataclass
class ContentContext:
    """What rendering a page's content needs besides the page itself."""

    env: jinja2.Environment
    options: dict[str, MarkdownOptions]  # per language
    summary_length: int
    site_view: Callable[[str], Any]  # language -> SiteView
    translate: Callable[..., str]  # (lang, key, count=None, **values) -> text
    get_page: Callable[[str, str], Page | None]  # (ref, lang) -> page
    warn: Callable[..., None] = lambda *args, **kwargs: None  # Diagnostics.warn


def render_page_content(page: Page, ctx: ContentContext) -> None:
    """Fill page.content, summary, toc, headings, word count and reading time."""
    options = ctx.options[page.lang]
    body = page.body
    placeholders: dict[str, str] = {}
    ids = HeadingIds()
    path = page.source.path if page.source else page.rel_permalink
    renderer = _shortcode_renderer(page, ctx, options)
    if has_shortcodes(body):
        expanded = expand_shortcodes(body, renderer, path=path, first_line=page.body_line)
        body, placeholders = expanded.markdown, expanded.placeholders
    rendered = render_markdown(isolate_divider(body), options, first_line=page.body_line, ids=ids,
                               render_admonition=renderer.render_admonition)
    html = restore_placeholders(rendered.html, placeholders) if placeholders else rendered.html
    summary, truncated = split_summary(html, ctx.summary_length)
    content = content_without_divider(html)
    for src in images_without_alt(content):
        ctx.warn(f"image without alt text: {src}", path, hint="describe the image: ![what it shows](file.png)")
    # Valid, accessible HTML whatever the author's raw HTML and heading levels (after the
    # summary cut, so Hugo's word count and cut point are unchanged).
    content, summary = repair_outline(repair_raw_html(content)), repair_raw_html(summary)
    if page.summary_override:
        summary, truncated = render_markdown(page.summary_override, options).html, True
    page.content = content
    page.summary = summary
    page.truncated = truncated
    page.headings = list(rendered.headings)
    start, end, ordered = options.toc_start, options.toc_end, options.toc_ordered
    page.toc = build_toc(page.headings, start, end, ordered)
    page.plain = plain_text(content)
    page.word_count = count_words(page.plain)
    page.reading_time = reading_time(page.word_count)


def mark_safe(page: Page) -> None:
    """Rendered HTML is trusted by templates; until now it stayed plain text so that the
    stages after rendering can slice and join it without Markup escaping their pieces."""
    page.content, page.toc = Markup(page.content), Markup(page.toc)
    # Many summaries share a list page: no ids, no headings, URLs resolved against the post.
    page.summary = Markup(summary_for_list(page.summary, page.rel_permalink)) if page.summary else Markup("")


def _shortcode_renderer(page: Page, ctx: ContentContext, options: MarkdownOptions) -> JinjaShortcodeRenderer:
    return JinjaShortcodeRenderer(
        ctx.env,
        page=page,
        site=ctx.site_view(page.lang),
        render_markdown=lambda text: render_markdown(text, options).html,
        render_inline=lambda text: render_inline(text, options),
        translate=lambda key, count=None, **values: ctx.translate(page.lang, key, count, **values),
        get_page=lambda ref: ctx.get_page(ref, page.lang),
    )
