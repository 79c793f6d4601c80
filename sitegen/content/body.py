"""Render a page's Markdown body: shortcodes, Markdown, placeholders, summary, word count.

One page at a time and independent of every other page's content: `render_content` is a
function from a page and its context to a `RenderedContent` (the page's `Rendered` body and
what to tell the author), so the build can run it over worker processes and cache it by the
page's inputs (sitegen.build.content_stage).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from sitegen.content.html_repair import (
    images_without_alt,
    repair_outline,
    repair_raw_html,
    summary_for_list,
)
from sitegen.content.markdown.headings import HeadingIds, build_toc
from sitegen.content.markdown.parser import (
    MarkdownOptions,
    RenderedMarkdown,
    render_inline,
    render_markdown,
)
from sitegen.content.markdown.release_marks import without_marks
from sitegen.content.markdown.rules.github_refs import ReleaseRefs
from sitegen.content.shortcodes.expand import (
    expand_shortcodes,
    has_shortcodes,
    restore_placeholders,
)
from sitegen.content.shortcodes.jinja import JinjaShortcodeRenderer
from sitegen.content.summary import (
    MORE_MARKER,
    content_without_divider,
    count_words,
    isolate_divider,
    plain_text,
    reading_time,
    split_summary,
)
from sitegen.errors import BuildFailed, SiteError
from sitegen.models import Page, Rendered, pack_text

ALERT_MARK = "[!"  # > [!NOTE]: alerts render through the theme's admonition template


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
    go_shortcodes: dict[str, str] = field(
        default_factory=dict
    )  # name -> Go template (sitegen.load.gotemplates)
    release_refs: Callable[[Page], ReleaseRefs | None] = lambda page: (
        None
    )  # what links the page's references


@dataclass
class RenderedContent:
    """What rendering a page's content makes: its body, and what to tell the author about it;
    plain, picklable, so workers can send it back and the build cache can keep it."""

    body: Rendered
    warnings: list[tuple[str, str, str]]  # (message, path, hint) for Diagnostics.warn
    go_shortcodes: list[tuple[str, int]] = field(
        default_factory=list
    )  # (name, line) shown as placeholders


def render_content(page: Page, ctx: ContentContext) -> RenderedContent:
    """Render the page's body; the page itself is left as it was."""
    options = ctx.options[page.lang]
    body = page.body
    placeholders: dict[str, str] = {}
    ids = HeadingIds()
    path = page.source.path if page.source else page.rel_permalink
    renderer = _shortcode_renderer(page, ctx, options)
    if has_shortcodes(body):
        expanded = expand_shortcodes(body, renderer, path=path, first_line=page.body_line)
        body, placeholders = expanded.markdown, expanded.placeholders
    if page.source is not None and page.source.is_html:
        # An HTML content file is published as written (Hugo gives its headings no ids).
        rendered = RenderedMarkdown(body, ())
    else:
        rendered = render_markdown(
            isolate_divider(body),
            options,
            first_line=page.body_line,
            ids=ids,
            render_admonition=renderer.render_admonition,
            release_refs=ctx.release_refs(page),
            path=path,
        )
    html = restore_placeholders(rendered.html, placeholders) if placeholders else rendered.html
    summary, truncated = split_summary(
        without_marks(html), ctx.summary_length
    )  # marks: for the release stage
    content = content_without_divider(html)
    warnings = [
        (f"image without alt text: {src}", path, "describe the image: ![what it shows](file.png)")
        for src in images_without_alt(content)
    ]
    # Valid, accessible HTML whatever the author's raw HTML and heading levels (after the
    # summary cut, so Hugo's word count and cut point are unchanged).
    content, summary = repair_outline(repair_raw_html(content)), repair_raw_html(summary)
    if page.summary_override and MORE_MARKER not in html:  # the divider wins, as in Hugo
        summary, truncated = render_markdown(page.summary_override, options).html, True
    headings = tuple(rendered.headings)
    plain = plain_text(without_marks(content))
    words = count_words(plain)
    toc = build_toc(headings, options.toc_start, options.toc_end, options.toc_ordered)
    body = Rendered(
        packed_content=pack_text(str(content)),
        summary=str(summary),
        truncated=truncated,
        toc=str(toc),
        headings=headings,
        word_count=words,
        reading_time=reading_time(words),
        packed_plain=pack_text(plain),
    )
    return RenderedContent(body, warnings, list(renderer.go_calls))


def marked_safe(page: Page) -> Rendered:
    """The page's body with its HTML trusted by templates; until now it stayed plain text so
    that the stages after rendering can slice and join it without Markup escaping their pieces.
    A packed content stays packed (page.content gives it back as Markup)."""
    body = page.rendered
    if body.trusted:
        return body  # handed to the templates already
    # Many summaries share a list page: no ids, no headings, URLs resolved against the post.
    summary = Markup(summary_for_list(body.summary, page.rel_permalink) if body.summary else "")
    return replace(body, trusted=True, toc=Markup(body.toc), summary=summary)


def _shortcode_renderer(
    page: Page, ctx: ContentContext, options: MarkdownOptions
) -> JinjaShortcodeRenderer:
    return JinjaShortcodeRenderer(
        ctx.env,
        page=page,
        site=ctx.site_view(page.lang),
        render_markdown=lambda text: render_markdown(text, options).html,
        render_inline=lambda text: render_inline(text, options),
        translate=lambda key, count=None, **values: ctx.translate(page.lang, key, count, **values),
        get_page=lambda ref: ctx.get_page(ref, page.lang),
        go_shortcodes=ctx.go_shortcodes,
        highlight=options.highlight,
    )


def render_or_errors(
    page: Page, ctx: ContentContext
) -> tuple[RenderedContent | None, list[SiteError]]:
    """render_content, or what is wrong with the page's content (never raised: the build
    reports every page's errors together)."""
    try:
        return render_content(page, ctx), []
    except BuildFailed as failed:
        return None, failed.errors
    except SiteError as error:
        return None, [error]
    except (
        RecursionError
    ):  # a nesting no limit of ours caught: still the author's file, not a crash
        return None, [
            SiteError(
                "the content nests too deeply to render (HTML, lists or shortcodes)",
                page.source.path if page.source else page.rel_permalink,
                page.body_line,
                hint="flatten the nesting",
            )
        ]


def is_templated(page: Page) -> bool:
    """Whether the body goes through templates (shortcodes, alerts), which see the site."""
    return has_shortcodes(page.body) or ALERT_MARK in page.body
