"""The release stage of the build, as values: each page's releases detected, linked across
the site and decorated, and the release index page of each language. Pure functions over
pages; the build (build/releases_stage.py) decides what it takes from its cache, runs them
over its workers and writes releases.json (releases.outputs) and the release feed
(render.feeds) from what they return."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import Any

from sitegen.content.markdown.release_marks import has_marks, without_marks
from sitegen.errors import Diagnostics, SiteError
from sitegen.models import Page, Release
from sitegen.releases.compare import infer_repo, inferred_repo_message, link_releases
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.decorate import decorate_release_headings
from sitegen.releases.detect import detect_releases
from sitegen.releases.outputs import newest_first, release_lastmod
from sitegen.releases.titles import add_post_releases, decorate_post_releases
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
        release.html,
        release.compare_url,
        release.previous,
    )


def is_release_states(value: Any) -> bool:
    """The shape of a detect_states result (e.g. one the build kept)."""
    size = len(fields(Release)) - 1  # all but its page
    return isinstance(value, list) and all(
        isinstance(state, tuple) and len(state) == size for state in value
    )


def take_releases(page: Page, states: list[tuple]) -> None:
    page.releases = [Release(*state, page=page) for state in states]


# ---------------------------------------------------------------- across the site


def link_site_releases(pages: list[Page], config: ReleaseConfig) -> None:
    """Posts that are one release get theirs, then every release its predecessor (the pages
    rendered by the build, with release marks)."""
    add_post_releases(pages, config, marked=True)
    link_releases([r for p in pages for r in p.releases], config)


def linked_parts(page: Page) -> list[tuple]:
    """What linking across the site gave the page's releases (for a key over its decoration)."""
    return [_state(r)[8:] + (r.date,) for r in page.releases]


# ---------------------------------------------------------------- decoration (per page)


def decorate_page(page: Page, config: ReleaseConfig, lookup: Lookup) -> str:
    """The page's content with its release headings decorated."""
    translate = lambda key, lang=page.lang: lookup(lang, key)  # noqa: E731
    html = decorate_release_headings(
        page.content, page.releases, page.lang, translate, config, refs_linked=True
    )
    return decorate_post_releases(html, page.releases, page.lang, translate, config)


def take_decoration(page: Page, html: str) -> None:
    """Give the page its decorated content and the lastmod its releases imply."""
    page.content = html
    page.lastmod = release_lastmod(page) or page.lastmod


def drop_marks(pages: Iterable[Page]) -> None:
    """Pages marked for releases they turned out not to have (a post announcing a version
    another post releases) lose the marks (content.markdown.release_marks)."""
    for page in pages:
        if not page.releases and has_marks(page.content):
            page.content = without_marks(page.content)


# ---------------------------------------------------------------- the index and its files


def add_index_pages(site: Site, config: ReleaseConfig) -> None:
    """The release index page of each language (when releases are on)."""
    if config.enabled:
        for lang in site.languages:
            lang.pages.append(_index_page(site, lang))


def _index_page(site: Site, lang: LanguageSite) -> Page:
    page = Page(kind="releases", lang=lang.language.code, title="", section="releases")
    page.rel_permalink = join_url(lang.prefix, "releases")
    page.permalink = absolute_url(site.config.base_url, page.rel_permalink)
    page.output_path = output_path(page.rel_permalink, base_path(site.config.base_url))
    page.releases = newest_first(r for p in lang.regular_pages for r in p.releases)
    page.pages = [p for p in lang.regular_pages if p.releases]
    return page
