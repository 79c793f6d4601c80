"""A rebuild after one post's text changed: patch the last build instead of building again.

Under `sitegen serve` most saves change a post's body and nothing else: not its front
matter (title, dates, tags, URL), nor its release versions and dates. Then the site's shape
is as it was, and only a few outputs can differ: the post's own page, the list pagers that
show its summary card, the feeds that carry its text, the release feed and releases.json,
and the search index. Those are made again from the last build's site, whose post is
updated in place; every other output is the last build's. Whether to patch is the rebuild
plan's call (sitegen.build.plan): this module tells it what else a new file changes (its
front matter, a release added or re-dated), and the plan builds instead.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from sitegen.content.body import ContentContext, marked_safe, render_content
from sitegen.errors import BuildFailed, Diagnostics, SiteError
from sitegen.models import Page
from sitegen.releases.compare import link_releases
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.detect import detect_releases
from sitegen.releases.outputs import release_json_text
from sitegen.releases.stage import decorate_page, decorated, without_release_marks
from sitegen.releases.titles import post_release
from sitegen.render.feeds import feed_item, release_feed_item
from sitegen.render.renderer import FEED_KINDS, render_units, units_listing
from sitegen.render.search import search_outputs
from sitegen.site.assemble import Site
from sitegen.site.urls import base_path, output_path


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
    taken = {
        r.version
        for other in site.pages
        if other is not page and other.lang == page.lang
        for r in other.releases
    }
    release = post_release(draft, config, taken, marked=True)
    return [release] if release else []


def front_matter_difference(new: Page, old: Page) -> str | None:
    """What differs between two freshly loaded pages besides their body, in words, or None."""
    keys = sorted(
        key
        for key in new.front_matter.keys() | old.front_matter.keys()
        if new.front_matter.get(key) != old.front_matter.get(key)
    )
    if keys:
        return f"its front matter changed ({', '.join(keys)})"
    fields = [
        f.name
        for f in dataclasses.fields(Page)
        if f.name != "body" and getattr(new, f.name) != getattr(old, f.name)
    ]
    return f"its {', '.join(fields)} changed too" if fields else None


def patch_body(
    last: LastBuild, page: Page, body: str, load_warnings: list[SiteError]
) -> tuple[dict[str, bytes], Diagnostics] | str:
    """The outputs and diagnostics after `page`'s body became `body`; or, in words, what
    else the new body changes (its releases: the release index and the other posts' compare
    links would change), for the rebuild plan. `page` (in last.site) is updated only on success."""
    diagnostics = Diagnostics()
    draft, rendered = _draft(last, page, body, diagnostics)
    if not _same_releases_before_linking(draft, page):
        return "its release versions or anchors changed"
    _link_with_the_others(last.site, page, draft, last.releases)
    if _release_rows(draft) != _release_rows(page):
        return "its release dates or compare links changed"
    _decorate(last, draft)
    old_feed_items = [feed_item(page, full).encode("utf-8") for full in (True, False)]
    old_release_items = [(release_feed_item(r), release_json_text(r)) for r in page.releases]
    _adopt(last.site, page, draft)
    outputs = _render_outputs(last, page, diagnostics, old_feed_items, old_release_items)
    for warning in [
        w for w in last.warnings if str(w.path) != str(page.source.path)
    ] + load_warnings:
        diagnostics.warn(warning.message, warning.path, warning.line, warning.hint)
    for message, path, hint in rendered.warnings:
        diagnostics.warn(message, path, hint=hint)
    return outputs, diagnostics


def _draft(last: LastBuild, page: Page, body: str, diagnostics: Diagnostics):
    """A copy of `page` with `body` rendered, its releases found and decorated, as the full
    build would; (draft, the rendered content with its warnings)."""
    draft = copy.copy(page)
    draft.body = body
    try:
        rendered = render_content(draft, dataclasses.replace(last.context, warn=diagnostics.warn))
        draft.rendered = rendered.body
        releases = detect_releases(draft, last.releases, refs_linked=True) or _post_release(
            last.site, page, draft, last.releases
        )
    except BuildFailed as failed:
        raise BuildFailed(failed.errors) from None
    except SiteError as error:
        raise BuildFailed([error]) from None
    draft.rendered = replace(draft.rendered, releases=tuple(releases))
    return draft, rendered


def _decorate(last: LastBuild, draft: Page) -> None:
    """The draft's release headings decorated and its content marked safe, as the full build
    does (sitegen.build.releases_stage, sitegen.build.pipeline)."""
    if draft.releases:
        lookup = last.translations.get
        html = decorate_page(draft, draft.releases, last.releases, lookup)
        draft.rendered = decorated(draft, html, draft.releases)
    else:
        draft.rendered = without_release_marks(draft) or draft.rendered
    draft.rendered = marked_safe(draft)


def _adopt(site: Site, page: Page, draft: Page) -> None:
    """The page in the site takes the draft's body and what it made of it, its releases in the
    release index too."""
    old_releases = page.releases
    page.body, page.rendered = draft.body, draft.rendered
    for release in page.releases:
        release.page = page
    _replace_in_release_index(site, page, old_releases)


def _render_outputs(
    last: LastBuild,
    page: Page,
    diagnostics: Diagnostics,
    old_feed_items: list[bytes],
    old_release_items: list[tuple[str, str]],
) -> dict[str, bytes]:
    """The last build's outputs with those showing the page made again: its own page, the
    list pagers with its card, the feeds carrying it, the release outputs and the search index."""
    outputs = dict(last.outputs)
    outputs.update(
        render_units(
            last.site,
            last.env,
            last.views,
            last.translations.translate,
            diagnostics,
            [(page, None)] + units_listing(last.site, last.env, page),
            last.extra_context,
        )
    )
    _patch_feeds(
        last.site,
        page,
        outputs,
        old_feed_items,
        [feed_item(page, full).encode("utf-8") for full in (True, False)],
    )
    _patch_release_outputs(last.site, page, outputs, old_release_items)
    outputs.update(
        search_outputs(last.site, {code: view.params for code, view in last.views.items()})
    )
    return outputs


def _same_releases_before_linking(draft: Page, page: Page) -> bool:
    return [(r.version, r.anchor) for r in draft.releases] == [
        (r.version, r.anchor) for r in page.releases
    ]


def _release_rows(page: Page) -> list[tuple]:
    """What the release index and other posts show of a post's releases."""
    return [(r.version, r.anchor, r.date, r.previous, r.compare_url) for r in page.releases]


def _link_with_the_others(site: Site, page: Page, draft: Page, config: ReleaseConfig) -> None:
    """Link the draft's releases as the full build links everyone's (idempotent for the others)."""
    releases = [
        r
        for p in site.pages
        if p.source is not None and p.kind == "page"
        for r in (draft.releases if p is page else p.releases)
    ]
    link_releases(releases, config)


def _replace_in_release_index(site: Site, page: Page, old_releases: list) -> None:
    replaced = {id(old): new for old, new in zip(old_releases, page.releases)}
    for index in site.language(page.lang).pages:
        if index.kind == "releases":
            listed = tuple(replaced.get(id(r), r) for r in index.releases)
            index.rendered = replace(index.rendered, releases=listed)


def _patch_feeds(
    site: Site, page: Page, outputs: dict[str, bytes], old: list[bytes], new: list[bytes]
) -> None:
    """Swap the post's item (with or without its full content) in every list feed that
    carries it (the order and dates stay)."""
    if old == new:
        return
    root = base_path(site.config.base_url)
    for lister in site.language(page.lang).pages:
        # A list's feed carries its members (the home's: every regular page, feeds.feed_items).
        if lister.kind in FEED_KINDS and (
            lister.kind == "home" or any(member is page for member in lister.pages)
        ):
            path = output_path(lister.rel_permalink + "index.xml", root)
            data = outputs.get(path)
            for old_item, new_item in zip(old, new):
                if data is not None and old_item in data:
                    outputs[path] = data.replace(old_item, new_item, 1)
                    break


def _patch_release_outputs(
    site: Site, page: Page, outputs: dict[str, bytes], old_items: list[tuple[str, str]]
) -> None:
    index = next((p for p in site.language(page.lang).pages if p.kind == "releases"), None)
    if index is None:
        return
    folder = index.output_path.removesuffix("index.html")
    for release, (old_xml, old_json) in zip(page.releases, old_items):
        for path, old, new in (
            (folder + "index.xml", old_xml, release_feed_item(release)),
            (folder + "releases.json", old_json, release_json_text(release)),
        ):
            data = outputs.get(path)
            if data is not None and old != new:
                outputs[path] = data.replace(old.encode("utf-8"), new.encode("utf-8"), 1)
