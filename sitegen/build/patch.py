"""A rebuild after one post's text changed: patch the last build instead of building again.

Under `sitegen serve` most saves change a post's body and nothing else: not its front
matter (title, dates, tags, URL), nor its release versions and dates. Then the site's shape
is as it was, and only a few outputs can differ: the post's own page, the list pagers that
show its summary card, the feeds that carry its text, the release feed and releases.json,
and the search index. Those are made again from the last build's site, whose post is
updated in place; every other output is the last build's. Anything else (a front matter
change, a release added or re-dated, minified output) returns None: build in full.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable

from sitegen.content.body import ContentContext, apply_content, mark_safe, render_content
from sitegen.errors import BuildFailed, Diagnostics, SiteError
from sitegen.render.feeds import feed_item, release_feed_item
from sitegen.models import Page
from sitegen.content.markdown.release_marks import without_marks
from sitegen.releases.compare import link_releases
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.decorate import decorate_release_headings
from sitegen.releases.detect import detect_releases
from sitegen.releases.outputs import release_json_text
from sitegen.releases.titles import decorate_post_releases, post_release
from sitegen.render.renderer import FEED_KINDS, render_units, units_listing
from sitegen.render.search import search_outputs
from sitegen.site.assemble import Site
from sitegen.site.urls import base_path, output_path

# What a post's body makes; the rest of a Page comes from front matter and the site.
BODY_FIELDS = ("body", "content", "summary", "truncated", "toc", "headings", "word_count", "reading_time", "plain",
               "releases")


@dataclass
class LastBuild:
    """What a patch needs of the last full build, besides its result."""

    site: Site
    outputs: dict[str, bytes]
    env: Any
    views: dict[str, Any]
    translations: Any  # sitegen.render.i18n.Translations
    context: ContentContext
    releases: ReleaseConfig
    extra_context: Callable[[Page], dict[str, Any]]
    warnings: list[SiteError] = field(default_factory=list)


def _post_release(site: Site, page: Page, draft: Page, config: ReleaseConfig) -> list:
    """The draft as one release (sitegen.releases.titles), as the full build would make it."""
    taken = {r.version for other in site.pages if other is not page and other.lang == page.lang
             for r in other.releases}
    release = post_release(draft, config, taken, marked=True)
    return [release] if release else []


def same_but_body(new: Page, old: Page) -> bool:
    """Whether two freshly loaded pages differ in their body at most."""
    return all(getattr(new, f.name) == getattr(old, f.name) for f in dataclasses.fields(Page) if f.name != "body")


def patch_body(last: LastBuild, page: Page, body: str, load_warnings: list[SiteError]) -> tuple[dict[str, bytes], Diagnostics] | None:
    """The outputs and diagnostics after `page`'s body became `body`; None when more than
    the body's own outputs would change. `page` (in last.site) is updated only on success."""
    diagnostics = Diagnostics()
    draft = copy.copy(page)
    draft.body = body
    try:
        rendered = render_content(draft, dataclasses.replace(last.context, warn=diagnostics.warn))
        apply_content(draft, rendered)
        draft.releases = (detect_releases(draft, last.releases, refs_linked=True)
                          or _post_release(last.site, page, draft, last.releases))
    except BuildFailed as failed:
        raise BuildFailed(failed.errors) from None
    except SiteError as error:
        raise BuildFailed([error]) from None
    if not _same_releases_before_linking(draft, page):
        return None
    _link_with_the_others(last.site, page, draft, last.releases)
    if _release_rows(draft) != _release_rows(page):
        return None  # the release index and the other posts' compare links would change
    if draft.releases:
        translate = lambda key: last.translations.get(draft.lang, key)  # noqa: E731
        draft.content = decorate_release_headings(draft.content, draft.releases, draft.lang, translate, last.releases,
                                                  refs_linked=True)
        draft.content = decorate_post_releases(draft.content, draft.releases, draft.lang, translate, last.releases)
    else:
        draft.content = without_marks(draft.content)  # the release stage's marks (content.markdown.release_marks)
    mark_safe(draft)

    old_feed_items = [feed_item(page, full).encode("utf-8") for full in (True, False)]
    old_release_items = [(release_feed_item(r), release_json_text(r)) for r in page.releases]
    old_releases = page.releases
    for name in BODY_FIELDS:
        setattr(page, name, getattr(draft, name))
    for release in page.releases:
        release.page = page
    _replace_in_release_index(last.site, page, old_releases)

    outputs = dict(last.outputs)
    outputs.update(render_units(last.site, last.env, last.views, last.translations.translate, diagnostics,
                                [(page, None)] + units_listing(last.site, last.env, page), last.extra_context))
    _patch_feeds(last.site, page, outputs, old_feed_items, [feed_item(page, full).encode("utf-8") for full in (True, False)])
    _patch_release_outputs(last.site, page, outputs, old_release_items)
    outputs.update(search_outputs(last.site, {code: view.params for code, view in last.views.items()}))
    for warning in last.warnings:
        if str(warning.path) != str(page.source.path):
            diagnostics.warn(warning.message, warning.path, warning.line, warning.hint)
    for warning in load_warnings:
        diagnostics.warn(warning.message, warning.path, warning.line, warning.hint)
    for message, path, hint in rendered.warnings:
        diagnostics.warn(message, path, hint=hint)
    return outputs, diagnostics


def _same_releases_before_linking(draft: Page, page: Page) -> bool:
    return [(r.version, r.anchor) for r in draft.releases] == [(r.version, r.anchor) for r in page.releases]


def _release_rows(page: Page) -> list[tuple]:
    """What the release index and other posts show of a post's releases."""
    return [(r.version, r.anchor, r.date, r.previous, r.compare_url) for r in page.releases]


def _link_with_the_others(site: Site, page: Page, draft: Page, config: ReleaseConfig) -> None:
    """Link the draft's releases as the full build links everyone's (idempotent for the others)."""
    releases = [r for p in site.pages if p.source is not None and p.kind == "page"
                for r in (draft.releases if p is page else p.releases)]
    link_releases(releases, config)


def _replace_in_release_index(site: Site, page: Page, old_releases: list) -> None:
    replaced = {id(old): new for old, new in zip(old_releases, page.releases)}
    for index in site.language(page.lang).pages:
        if index.kind == "releases":
            index.releases = [replaced.get(id(r), r) for r in index.releases]


def _patch_feeds(site: Site, page: Page, outputs: dict[str, bytes], old: list[bytes], new: list[bytes]) -> None:
    """Swap the post's item (with or without its full content) in every list feed that
    carries it (the order and dates stay)."""
    if old == new:
        return
    root = base_path(site.config.base_url)
    for lister in site.language(page.lang).pages:
        if lister.kind in FEED_KINDS:
            path = output_path(lister.rel_permalink + "index.xml", root)
            data = outputs.get(path)
            for old_item, new_item in zip(old, new):
                if data is not None and old_item in data:
                    outputs[path] = data.replace(old_item, new_item, 1)
                    break


def _patch_release_outputs(site: Site, page: Page, outputs: dict[str, bytes], old_items: list[tuple[str, str]]) -> None:
    index = next((p for p in site.language(page.lang).pages if p.kind == "releases"), None)
    if index is None:
        return
    folder = index.output_path.removesuffix("index.html")
    for release, (old_xml, old_json) in zip(page.releases, old_items):
        for path, old, new in ((folder + "index.xml", old_xml, release_feed_item(release)),
                               (folder + "releases.json", old_json, release_json_text(release))):
            data = outputs.get(path)
            if data is not None and old != new:
                outputs[path] = data.replace(old.encode("utf-8"), new.encode("utf-8"), 1)
