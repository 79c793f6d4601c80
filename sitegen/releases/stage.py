"""The release stage of the build: detect, link and decorate sub-releases, and add the
release index page, releases.json and the release feed of each language."""

from __future__ import annotations

from typing import Callable

from sitegen.errors import Diagnostics, SiteError
from sitegen.models import Page
from sitegen.releases.compare import infer_repo, inferred_repo_message, link_releases
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.decorate import decorate_release_headings
from sitegen.releases.detect import detect_releases
from sitegen.releases.outputs import newest_first, release_lastmod, releases_feed, releases_json
from sitegen.site import LanguageSite, Site
from sitegen.urls import absolute_url, join_url

Lookup = Callable[[str, str], "str | None"]  # (lang, key) -> text or None


def release_config(site: Site, diagnostics: Diagnostics) -> ReleaseConfig:
    config = ReleaseConfig.from_params(site.config.params, str(site.config.config_file or "config.toml"))
    if config.enabled and not config.repo:
        repo = infer_repo([p for p in site.pages if p.source], config.forge_host)
        if repo:
            config = config.with_repo(repo)
            diagnostics.warn(inferred_repo_message(repo))
    return config


def apply_releases(site: Site, config: ReleaseConfig, lookup: Lookup, diagnostics: Diagnostics) -> None:
    """Find every page's releases, link them across the site, decorate their headings."""
    content_pages = [p for p in site.pages if p.source is not None and p.kind == "page"]
    for page in content_pages:
        try:
            page.releases = detect_releases(page, config)
        except SiteError as error:
            diagnostics.error(error)
    link_releases([r for p in content_pages for r in p.releases], config)
    for page in content_pages:
        if page.releases:
            page.content = decorate_release_headings(
                page.content, page.releases, page.lang, lambda key, lang=page.lang: lookup(lang, key), config)
            page.lastmod = release_lastmod(page) or page.lastmod
    if config.enabled:
        for lang in site.languages:
            lang.pages.append(_index_page(site, lang))


def _index_page(site: Site, lang: LanguageSite) -> Page:
    page = Page(kind="releases", lang=lang.language.code, title="", section="releases")
    page.rel_permalink = join_url(lang.prefix, "releases")
    page.permalink = absolute_url(site.config.base_url, page.rel_permalink)
    page.output_path = page.rel_permalink.lstrip("/") + "index.html"
    page.releases = newest_first(r for p in lang.regular_pages for r in p.releases)
    page.pages = [p for p in lang.regular_pages if p.releases]
    return page


def release_outputs(site: Site, root: str) -> dict[str, bytes]:
    """releases.json and releases/index.xml per language, beside the release index."""
    outputs: dict[str, bytes] = {}
    for lang in site.languages:
        index = next((p for p in lang.pages if p.kind == "releases"), None)
        if index is None:
            continue
        folder = index.rel_permalink.removeprefix(root).lstrip("/")
        title = f"{lang.language.title or site.config.title} – Releases"
        outputs[folder + "index.xml"] = releases_feed(
            index.releases, title=title, link=index.permalink, feed_url=index.permalink + "index.xml",
            lang=lang.language.locale)
        outputs[folder + "releases.json"] = releases_json(index.releases)
    return outputs
