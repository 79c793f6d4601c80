"""The files of a site that are not pages: RSS feeds of its lists, the redirects to the
default language, sitemaps and robots.txt."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping

from sitegen.load.claims import OutputClaims
from sitegen.models import Page
from sitegen.render.feeds import (
    alias_page,
    feed_item,
    feed_items,
    robots_txt,
    rss_feed,
    sitemap,
    sitemap_index,
)
from sitegen.render.views import SiteView
from sitegen.site.assemble import LanguageSite, Site
from sitegen.site.urls import absolute_url, output_path


def render_site_files(
    site: Site,
    views: dict[str, SiteView],
    outputs: MutableMapping[str, bytes],
    root: str,
    claims: OutputClaims,
) -> None:
    """What is not a page: feeds, the language redirects, sitemaps, robots.txt (each unless disabled)."""
    config = site.config
    item_xml = _feed_items_once()
    for lang in site.languages:
        _render_feeds(lang, site, views[lang.language.code], outputs, root, claims, item_xml)
    _render_language_redirects(site, views, outputs, root, claims)
    if "sitemap" not in config.disabled_kinds:
        _render_sitemaps(site, outputs, root, claims)
    if config.enable_robots and "robotstxt" not in config.disabled_kinds:
        claims.claim("robots.txt", "sitegen's robots.txt")
        outputs["robots.txt"] = robots_txt(config)


def _render_language_redirects(
    site: Site,
    views: dict[str, SiteView],
    outputs: MutableMapping[str, bytes],
    root: str,
    claims: OutputClaims,
) -> None:
    """Hugo answers /en/ for a default language at the root, and the root for one in its
    folder, with a redirect; a page the site publishes there wins."""
    config = site.config
    if not config.is_multilingual and not config.default_in_subdir:
        return
    home = views[config.default_language].home
    rel = output_path(
        f"{root}/{config.default_language}/" if not config.default_in_subdir else f"{root}/", root
    )
    if rel not in claims and rel != home.output_path:
        claims.claim(rel, "the redirect to the default language")
        outputs[rel] = alias_page(home.permalink)


def _render_feeds(
    lang: LanguageSite,
    site: Site,
    view: SiteView,
    outputs: dict[str, bytes],
    root: str,
    claims: OutputClaims,
    item_xml: Callable[[Page, bool], bytes],
) -> None:
    config = site.config
    if "rss" in config.disabled_kinds:
        return
    lists = [lang.home, *lang.sections]
    for taxonomy in lang.taxonomies.values():
        lists += [taxonomy, *taxonomy.pages]
    for page in lists:
        if page.kind in config.disabled_kinds:
            continue
        items = feed_items(page, lang.regular_pages)
        title = view.title if page.kind == "home" else f"{page.title} on {view.title}"
        rel = output_path(page.rel_permalink + "index.xml", root)
        claims.claim(
            rel,
            f"the RSS feed of {claims.describe(page)}",
            page.source.path if page.source else None,
        )
        outputs[rel] = rss_feed(
            page,
            items,
            config,
            title=title,
            language_code=lang.language.locale,
            limit=config.rss_limit,
            item_xml=item_xml,
        )


def _feed_items_once() -> Callable[[Page, bool], bytes]:
    """feed_item as UTF-8, made once per page and build: a post is an item of the home's
    feed, its section's and each of its terms' (on the mailcow blog about eight feeds)."""
    made: dict[tuple[int, bool], bytes] = {}

    def item_xml(page: Page, full: bool) -> bytes:
        key = (id(page), full)
        xml = made.get(key)
        if xml is None:
            xml = made[key] = feed_item(page, full).encode("utf-8")
        return xml

    return item_xml


def _render_sitemaps(
    site: Site, outputs: dict[str, bytes], root: str, claims: OutputClaims
) -> None:
    config = site.config
    claims.claim("sitemap.xml", "sitegen's sitemap")
    if (
        not config.is_multilingual and not config.default_in_subdir
    ):  # else an index of per-language ones
        outputs["sitemap.xml"] = sitemap(site.pages, config)
        return
    urls = []
    for lang in site.languages:
        code = lang.language.code
        claims.claim(f"{code}/sitemap.xml", "sitegen's sitemap")
        outputs[f"{code}/sitemap.xml"] = sitemap(lang.pages, config)
        urls.append(absolute_url(config.base_url, f"{root}/{code}/sitemap.xml"))
    newest = max((p.lastmod for p in site.pages if p.lastmod), default=None)
    outputs["sitemap.xml"] = sitemap_index(urls, newest)
