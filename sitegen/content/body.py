"""Render a page's Markdown body: shortcodes, Markdown, placeholders, summary, word count.

One page at a time and independent of every other page's content, so this stage runs
in worker processes (render_contents, over the whole site) and is cached by the page's inputs.
"""

from __future__ import annotations

import copy
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterator

import jinja2
from markupsafe import Markup

from sitegen.build.cache import BuildCache, digest
from sitegen.errors import BuildFailed, Diagnostics, SiteError, Unsupported
from sitegen.content.html_repair import images_without_alt, repair_outline, repair_raw_html, summary_for_list
from sitegen.content.markdown.headings import HeadingIds, build_toc
from sitegen.content.markdown.parser import MarkdownOptions, RenderedMarkdown, prepare_parsers, render_inline, render_markdown
from sitegen.content.markdown.release_marks import without_marks
from sitegen.models import Heading, Page
from sitegen.content.markdown.rules.github_refs import ReleaseRefs
from sitegen.build.parallel import map_pages
from sitegen.build.reads import ReadIndex, Traced, as_refs, build_moment, note_moment_reads, recording
from sitegen.content.shortcodes.expand import expand_shortcodes, has_shortcodes, restore_placeholders
from sitegen.content.shortcodes.jinja import JinjaShortcodeRenderer
from sitegen.site.assemble import Site
from sitegen.content.summary import MORE_MARKER, content_without_divider, count_words, isolate_divider, plain_text, reading_time, split_summary


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
    go_shortcodes: dict[str, str] = field(default_factory=dict)  # name -> Go template (sitegen.load.gotemplates)
    release_refs: Callable[[Page], ReleaseRefs | None] = lambda page: None  # what links the page's references


@dataclass
class RenderedContent:
    """What rendering fills into a page: plain, picklable, so workers can send it back
    and the build cache can keep it."""

    content: str
    summary: str
    truncated: bool
    toc: str
    headings: list[Heading]
    plain: str
    word_count: int
    reading_time: int
    warnings: list[tuple[str, str, str]]  # (message, path, hint) for Diagnostics.warn
    go_shortcodes: list[tuple[str, int]] = field(default_factory=list)  # (name, line) shown as placeholders


def apply_content(page: Page, rendered: RenderedContent) -> None:
    page.content, page.summary, page.truncated = rendered.content, rendered.summary, rendered.truncated
    page.toc, page.headings, page.plain = rendered.toc, list(rendered.headings), rendered.plain
    page.word_count, page.reading_time = rendered.word_count, rendered.reading_time


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
        rendered = render_markdown(isolate_divider(body), options, first_line=page.body_line, ids=ids,
                                   render_admonition=renderer.render_admonition, release_refs=ctx.release_refs(page),
                                   path=path)
    html = restore_placeholders(rendered.html, placeholders) if placeholders else rendered.html
    summary, truncated = split_summary(without_marks(html), ctx.summary_length)  # marks: for the release stage
    content = content_without_divider(html)
    warnings = [(f"image without alt text: {src}", path, "describe the image: ![what it shows](file.png)")
                for src in images_without_alt(content)]
    # Valid, accessible HTML whatever the author's raw HTML and heading levels (after the
    # summary cut, so Hugo's word count and cut point are unchanged).
    content, summary = repair_outline(repair_raw_html(content)), repair_raw_html(summary)
    if page.summary_override and MORE_MARKER not in html:  # the divider wins, as in Hugo
        summary, truncated = render_markdown(page.summary_override, options).html, True
    headings = list(rendered.headings)
    plain = plain_text(without_marks(content))
    words = count_words(plain)
    toc = build_toc(headings, options.toc_start, options.toc_end, options.toc_ordered)
    return RenderedContent(str(content), str(summary), truncated, str(toc), headings, plain, words, reading_time(words),
                           warnings, list(renderer.go_calls))


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
        go_shortcodes=ctx.go_shortcodes,
        highlight=options.highlight,
    )


def render_contents(site: Site, context: ContentContext, cache: BuildCache, inputs: str, workers: int,
                    diagnostics: Diagnostics, then: Callable[[Page], Any] | None = None,
                    markdown_inputs: str | None = None, moment: datetime | None = None) -> dict[int, Any]:
    """Every content page's body, from the cache or rendered over the workers. `then(page)`
    runs in the same worker on each page rendered anew, its content applied (one pass
    over the pages instead of two); its results come back by page id. A body without
    shortcodes or alerts (whose templates see the site) is keyed by `markdown_inputs`
    where given (what Markdown alone depends on), so a change elsewhere in the config,
    e.g. the title, renders no Markdown again. A cached body is kept with what its
    shortcodes read of other pages and of the build date (`moment`, default the views'),
    and used again only while those read the same (sitegen.build.reads)."""
    pages = [page for page in site.pages if page.source is not None]
    for options in context.options.values():
        prepare_parsers(options)
    index = None
    keys: list[str | None] = []
    for page in pages:
        if not cache.enabled:
            keys.append(None)
            continue
        templated = has_shortcodes(page.body) or ALERT_MARK in page.body
        parts = [inputs if templated or markdown_inputs is None else markdown_inputs, page.lang, page.source.path,
                 page.body, page.body_line, page.summary_override, repr(context.release_refs(page))]
        if has_shortcodes(page.body):  # shortcodes see the page and look up others
            index = index or _site_index(site)
            parts += [repr(page.front_matter), page.rel_permalink, [r.name for r in page.resources], index]
        keys.append(digest(*parts))
    if moment is None:
        moment = getattr(context.site_view(pages[0].lang), "build_date", None) if pages else None
    reads_now = ReadIndex(site.pages, moment or build_moment(), memoize=False) if cache.enabled else None
    found = [reads_now.current(cache.get("content", key, expect=Traced), expect=RenderedContent) if key else None
             for key in keys]
    todo = [page for page, hit in zip(pages, found) if hit is None]

    def render_one(page: Page):
        try:
            with recording() if reads_now is not None else nullcontext(set()) as reads:  # no cache: no reads kept
                rendered = render_content(page, context)
        except BuildFailed as failed:
            return None, failed.errors, None
        except SiteError as error:
            return None, [error], None
        except RecursionError:  # a nesting no limit of ours caught: still the author's file, not a crash
            return None, [SiteError("the content nests too deeply to render (HTML, lists or shortcodes)",
                                    page.source.path if page.source else page.rel_permalink, page.body_line,
                                    hint="flatten the nesting")], None
        if then is None:
            return _traced(rendered, reads, reads_now), [], None
        draft = copy.copy(page)  # not the page: a worker would keep every page's content it rendered
        apply_content(draft, rendered)
        return _traced(rendered, reads, reads_now), [], then(draft)

    results = iter(map_pages(render_one, todo, workers))  # a list: the workers are done
    followed: dict[int, Any] = {}
    with cache.batch():
        for page, key, hit in zip(pages, keys, found):
            _take_content(page, key, hit, results, then, followed, cache, reads_now, diagnostics)
    return followed


def _take_content(page: Page, key: str | None, hit: Any, results: Iterator, then: Callable | None,
                  followed: dict[int, Any], cache: BuildCache, reads_now: ReadIndex | None,
                  diagnostics: Diagnostics) -> None:
    """Apply one page's body (cached, or the next of the workers' results), caching a new one."""
    rendered, errors, after = (hit, [], None) if hit is not None else next(results)
    diagnostics.errors.extend(errors)
    if rendered is None:
        return
    if hit is None and then is not None:
        followed[id(page)] = after
    if isinstance(rendered, Traced):
        if key:
            cache.put("content", key, rendered)
        note_moment_reads(reads_now.moment, rendered.reads)  # a worker's notes stay in the worker
        rendered = rendered.value
    for message, path, hint in rendered.warnings:
        diagnostics.warn(message, path, hint=hint)
    for name, line in rendered.go_shortcodes:
        diagnostics.unsupported.append(Unsupported("go-shortcode", name, page.source.path, line))
    apply_content(page, rendered)


def _traced(rendered: RenderedContent, reads: set, index: ReadIndex | None) -> RenderedContent | Traced:
    """With a cache, the rendered content with what it read, digested as it was read."""
    return index.trace(rendered, as_refs(reads)) if index is not None else rendered


def _site_index(site: Site) -> str:
    """What a shortcode can learn about other pages (ref/relref and the like)."""
    return digest(*[(p.kind, p.lang, str(p.source.rel) if p.source else "", p.rel_permalink, p.title)
                    for p in site.pages])
