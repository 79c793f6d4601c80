"""The release stage of the build, as values: each page's releases detected, linked across
the site and decorated into a new body of the page (a `Rendered` with its releases and the
lastmod they imply), and the release index page of each language. Functions over pages that
leave the pages as they are; the build (build/releases_stage.py) decides what it takes from
its cache, runs them over its workers, hands the bodies on to the pages and writes
releases.json (releases.outputs) and the release feed (render.feeds) from what they return."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from typing import Any

from sitegen.content.markdown.release_marks import has_marks, without_marks
from sitegen.errors import Diagnostics, SiteError
from sitegen.models import Page, Release, Rendered, pack_text
from sitegen.releases.compare import infer_repo, inferred_repo_message, link_releases
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.decorate import decorate_release_headings
from sitegen.releases.detect import detect_releases
from sitegen.releases.outputs import newest_first, release_lastmod
from sitegen.releases.titles import decorate_post_releases, find_post_releases
from sitegen.site.assemble import LanguageSite, Site
from sitegen.site.urls import absolute_url, base_path, join_url, output_path

Lookup = Callable[[str, str], "str | None"]  # (lang, key) -> text or None


def release_config(site: Site, diagnostics: Diagnostics) -> ReleaseConfig:
    config = ReleaseConfig.from_params(
        site.config.params, str(site.config.config_file or "config.toml")
    )
    if config.enabled and not config.repo:
        repo = infer_repo([p for p in site.pages if p.source], config.forge_host)
        if repo:
            config = config.with_repo(repo)
            diagnostics.warn(inferred_repo_message(repo))
    return config


def release_pages(site: Site) -> list[Page]:
    """The pages that can hold releases: the content files' regular pages."""
    return [p for p in site.pages if p.source is not None and p.kind == "page"]


# ---------------------------------------------------------------- detection (per page)


def detect_states(page: Page, config: ReleaseConfig) -> list[tuple] | SiteError:
    """The page's releases as plain tuples (they travel back from a worker without the page);
    its content was rendered by the build, release headings marked, references linked."""
    try:
        return [_state(r) for r in detect_releases(page, config, refs_linked=True)]
    except SiteError as error:
        return error


def _state(release: Release) -> tuple:
    """The release's fields but its page, in the order Release takes them."""
    return (
        release.version,
        release.heading_id,
        release.anchor,
        release.date,
        release.title,
        release.level,
        release.line,
        release.packed_html,
        release.compare_url,
        release.previous,
    )


def is_release_states(value: Any) -> bool:
    """The shape of a detect_states result (e.g. one the build kept)."""
    size = len(fields(Release)) - 1  # all but its page
    return isinstance(value, list) and all(
        isinstance(state, tuple) and len(state) == size for state in value
    )


def releases_of(page: Page, states: list[tuple]) -> list[Release]:
    """The page's releases from detect_states' tuples."""
    return [Release(*state, page=page) for state in states]


# ---------------------------------------------------------------- across the site


def link_site_releases(
    pages: list[Page], found: dict[int, list[Release]], config: ReleaseConfig
) -> None:
    """Posts that are one release get theirs in `found` (by page id), then every release its
    predecessor (the pages rendered by the build, with release marks)."""
    find_post_releases(pages, config, found, marked=True)
    link_releases([r for p in pages for r in found[id(p)]], config)


def linked_parts(releases: Sequence[Release]) -> list[tuple]:
    """What linking across the site gave a page's releases (for a key over its decoration)."""
    return [_state(r)[8:] + (r.date,) for r in releases]


# ---------------------------------------------------------------- decoration (per page)


def decorate_page(
    page: Page, releases: Sequence[Release], config: ReleaseConfig, lookup: Lookup
) -> bytes:
    """The page's content with the headings of its releases decorated, packed (pack_text)."""
    translate = lambda key, lang=page.lang: lookup(lang, key)  # noqa: E731
    html = decorate_release_headings(
        page.content, releases, page.lang, translate, config, refs_linked=True
    )
    return pack_text(decorate_post_releases(html, releases, page.lang, translate, config))


def decorated(page: Page, packed: bytes, releases: Sequence[Release]) -> Rendered:
    """The page's new body: its decorated content (`packed` by decorate_page), its releases
    and the lastmod they imply."""
    return replace(
        page.rendered,
        packed_content=packed,
        releases=tuple(releases),
        lastmod=release_lastmod(page, releases),
    )


def without_release_marks(page: Page) -> Rendered | None:
    """The new body of a page marked for releases it turned out not to have (a post announcing
    a version another post releases): its content without the marks
    (content.markdown.release_marks); None when it has none."""
    content = page.content
    if not has_marks(content):
        return None
    return replace(page.rendered, packed_content=pack_text(without_marks(content)))


# ---------------------------------------------------------------- the index and its files


def add_index_pages(site: Site, config: ReleaseConfig) -> None:
    """The release index page of each language (when releases are on)."""
    if config.enabled:
        for lang in site.languages:
            lang.pages.append(_index_page(site, lang))


def _index_page(site: Site, lang: LanguageSite) -> Page:
    listed = newest_first(r for p in lang.regular_pages for r in p.releases)
    page = Page(
        kind="releases",
        lang=lang.language.code,
        title="",
        section="releases",
        rendered=Rendered(releases=tuple(listed)),
    )
    page.rel_permalink = join_url(lang.prefix, "releases")
    page.permalink = absolute_url(site.config.base_url, page.rel_permalink)
    page.output_path = output_path(page.rel_permalink, base_path(site.config.base_url))
    page.pages = [p for p in lang.regular_pages if p.releases]
    return page
