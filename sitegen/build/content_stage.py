"""The content stage: every content page's body (sitegen.content.body), from the build cache
or rendered over the workers, handed back as values by page (sitegen.build.pipeline hands
them on to the pages)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable

from sitegen.build.cache import BuildCache, digest
from sitegen.build.reads import ReadIndex, build_moment
from sitegen.build.stage_map import KeyedStore, Made, stage_map
from sitegen.content.body import (
    ContentContext,
    RenderedContent,
    is_templated,
    render_or_errors,
)
from sitegen.content.markdown.parser import prepare_parsers
from sitegen.content.shortcodes.expand import has_shortcodes
from sitegen.errors import Diagnostics, Unsupported
from sitegen.models import Page, Rendered
from sitegen.site.assemble import Site


@dataclass
class RenderedContents:
    """What the content stage made, by page id."""

    bodies: dict[int, Rendered] = field(default_factory=dict)
    followed: dict[int, Any] = field(default_factory=dict)  # then(page) of each page rendered anew


def render_contents(
    site: Site,
    context: ContentContext,
    cache: BuildCache,
    inputs: str,
    workers: int,
    diagnostics: Diagnostics,
    then: Callable[[Page], Any] | None = None,
    markdown_inputs: str | None = None,
    moment: datetime | None = None,
) -> RenderedContents:
    """Every content page's body, from the cache or rendered over the workers; errors and
    warnings go to `diagnostics`. `then(page)` runs in the same worker on each page rendered
    anew, its content applied to a copy (one pass over the pages instead of two). A body
    without shortcodes or alerts (whose templates see the site) is keyed by `markdown_inputs`
    where given (what Markdown alone depends on), so a change elsewhere in the config, e.g.
    the title, renders no Markdown again; `inputs` need not cover what the site view shows
    (the titles). A cached body is kept with what its shortcodes read of the pages, of the
    site view (`context.site_view`) and of the build date (`moment`, default the views'),
    and used again only while those read the same (sitegen.build.reads)."""
    pages = [page for page in site.pages if page.source is not None]
    for options in context.options.values():
        prepare_parsers(options)  # before the workers fork: they inherit the parsers
    store = (
        _content_store(site, pages, context, cache, inputs, markdown_inputs, moment)
        if cache.enabled
        else None
    )
    follow = None if then is None else lambda page, made: _followed(page, made, then)
    made = RenderedContents()
    for page, result in zip(
        pages,
        stage_map(
            pages, lambda page: Made(*render_or_errors(page, context)), workers, store, then=follow
        ),
        strict=True,
    ):
        diagnostics.errors.extend(result.errors)
        if result.value is None:
            continue
        if then is not None and not result.cached:
            made.followed[id(page)] = result.extra
        for message, path, hint in result.value.warnings:
            diagnostics.warn(message, path, hint=hint)
        for name, line in result.value.go_shortcodes:
            diagnostics.unsupported.append(
                Unsupported("go-shortcode", name, page.source.path, line)
            )
        made.bodies[id(page)] = result.value.body
    return made


def _followed(page: Page, made: Made, then: Callable[[Page], Any]) -> Made:
    if made.value is not None:
        draft = copy.copy(
            page
        )  # not the page: a worker would keep every page's content it rendered
        draft.rendered = made.value.body
        made.extra = then(draft)
    return made


def _content_store(
    site: Site,
    pages: list[Page],
    context: ContentContext,
    cache: BuildCache,
    inputs: str,
    markdown_inputs: str | None,
    moment: datetime | None,
) -> KeyedStore:
    """The cache of bodies, keyed by what each depends on, with what its shortcodes read."""
    site_index: list[str] = []  # what a shortcode can learn about other pages, made once if needed

    def key(page: Page) -> str:
        parts = [
            inputs if is_templated(page) or markdown_inputs is None else markdown_inputs,
            page.lang,
            page.source.path,
            page.body,
            page.body_line,
            page.summary_override,
            repr(context.release_refs(page)),
        ]
        if has_shortcodes(page.body):  # shortcodes see the page and look up others
            if not site_index:
                site_index.append(_site_index(site))
            parts += [
                repr(page.front_matter),
                page.rel_permalink,
                [r.name for r in page.resources],
                site_index[0],
            ]
        return digest(*parts)

    if moment is None:
        moment = getattr(context.site_view(pages[0].lang), "build_date", None) if pages else None
    reads = ReadIndex(
        site.pages, moment or build_moment(), memoize=False, site_view=context.site_view
    )
    return KeyedStore(cache, "content", key, expect=RenderedContent, index=reads)


def _site_index(site: Site) -> str:
    """Which page a shortcode's ref/relref finds and the address it gives (the lookup reads
    these of every page: sitegen.site.assemble.Site.get_page). What a template shows of the
    page it finds, or of any other, is recorded as it reads it."""
    return digest(
        *[
            (
                p.kind,
                p.lang,
                str(p.source.rel) if p.source else "",
                p.source.translation_key if p.source else "",
                p.rel_permalink,
            )
            for p in site.pages
        ]
    )


def hand_on(pages: Iterable[Page], body_of: Callable[[Page], Rendered | None]) -> None:
    """Each page's new body as a stage made it (None: none), onto the page, where the stages
    after read it: the one place the stages' bodies reach the pages, each as a whole value. One
    page at a time, so that a large site's HTML is held twice only for the page at hand (a
    stage's `bodies` are popped as they go)."""
    for page in pages:
        body = body_of(page)
        if body is not None:
            page.rendered = body
