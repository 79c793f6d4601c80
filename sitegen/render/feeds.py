"""RSS 2.0 feeds, sitemaps and robots.txt, written as XML text.

Hugo's feed for a list page lists its pages newest first with the escaped summary as
`<description>`; sitegen adds the full content as `content:encoded` to the newest
FULL_CONTENT_ITEMS posts of each feed. Readers poll for new items, so older posts need
no more than their summary, and a feed's size stays bounded as the site grows (full
content in every item of every term feed made a 1,000-post site's output four times
Hugo's, most of it feeds).
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from sitegen import __version__
from sitegen.load.config import SiteConfig
from sitegen.models import Page
from sitegen.site.urls import absolute_url

EPOCH_RFC822 = "Mon, 01 Jan 0001 00:00:00 +0000"
FULL_CONTENT_ITEMS = 10


def rfc822(moment: datetime | None) -> str:
    if moment is None:
        return EPOCH_RFC822
    return format_datetime(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))


def feed_items(page: Page, site_pages: list[Page]) -> list[Page]:
    """What a list's feed lists: the home lists every regular page, other lists their members."""
    members = site_pages if page.kind == "home" else page.pages
    regular = [p for p in members if p.kind in ("page", "term")] if page.kind == "taxonomy" else \
        [p for p in members if p.kind == "page"]
    return sorted(regular, key=lambda p: p.date or datetime(1, 1, 1, tzinfo=timezone.utc), reverse=True)


def rss_feed(page: Page, items: list[Page], config: SiteConfig, *, title: str, language_code: str,
             limit: int = -1) -> bytes:
    if limit >= 0:
        items = items[:limit]
    feed_url = page.permalink + "index.xml"
    newest = max((p.lastmod or p.date for p in items if p.lastmod or p.date), default=None)
    parts = [
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n',
        f"<title>{escape(title)}</title>\n<link>{escape(page.permalink)}</link>\n",
        f"<description>{escape('Recent content on ' + title if page.kind == 'home' else 'Recent content in ' + title)}"
        "</description>\n",
        f"<generator>sitegen {__version__}</generator>\n<language>{escape(language_code)}</language>\n",
    ]
    if config.author.get("email"):
        name = config.author.get("name", "")
        parts.append(f"<managingEditor>{escape(config.author['email'])}{escape(f' ({name})' if name else '')}</managingEditor>\n")
    if config.copyright:
        parts.append(f"<copyright>{escape(config.copyright)}</copyright>\n")
    if newest:
        parts.append(f"<lastBuildDate>{rfc822(newest)}</lastBuildDate>\n")
    parts.append(f'<atom:link href={quoteattr(feed_url)} rel="self" type="application/rss+xml"/>\n')
    for number, item in enumerate(items):
        parts.append(feed_item(item, full=number < FULL_CONTENT_ITEMS))
    parts.append("</channel>\n</rss>\n")
    return "".join(parts).encode("utf-8")


def feed_item(page: Page, full: bool = True) -> str:
    """One RSS <item>, with the post's full content if `full` (the serve patch swaps a
    single post's item in a built feed)."""
    content = f"<content:encoded>{_cdata(page.content)}</content:encoded>\n" if full and page.kind == "page" else ""
    return (
        f"<item>\n<title>{escape(page.title)}</title>\n<link>{escape(page.permalink)}</link>\n"
        f"<pubDate>{rfc822(page.date)}</pubDate>\n<guid>{escape(page.permalink)}</guid>\n"
        f"<description>{escape(str(page.summary))}</description>\n{content}</item>\n"
    )


def _cdata(html: str) -> str:
    return "<![CDATA[" + str(html).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sitemap(pages: list[Page], config: SiteConfig) -> bytes:
    changefreq = config.sitemap.get("changefreq", "")
    priority = config.sitemap.get("priority", -1)
    parts = ['<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n']
    for page in pages:
        if page.kind == "404" or page.params.get("private") or _sitemap_disabled(page):
            continue
        parts.append(f"  <url>\n    <loc>{escape(page.permalink)}</loc>\n")
        if page.lastmod:
            parts.append(f"    <lastmod>{page.lastmod.isoformat()}</lastmod>\n")
        if changefreq:
            parts.append(f"    <changefreq>{escape(str(changefreq))}</changefreq>\n")
        if priority is not None and float(priority) >= 0:
            parts.append(f"    <priority>{float(priority)}</priority>\n")
        for translation in sorted([page, *page.translations], key=lambda p: p.lang) if page.translations else []:
            parts.append(f'    <xhtml:link rel="alternate" hreflang={quoteattr(translation.lang)} '
                         f'href={quoteattr(translation.permalink)}/>\n')
        parts.append("  </url>\n")
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def _sitemap_disabled(page: Page) -> bool:
    spec = page.params.get("sitemap")
    return isinstance(spec, dict) and bool(spec.get("disable"))


def sitemap_index(urls: list[str], lastmod: datetime | None) -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    for url in urls:
        parts.append(f"  <sitemap>\n    <loc>{escape(url)}</loc>\n")
        if lastmod:
            parts.append(f"    <lastmod>{lastmod.isoformat()}</lastmod>\n")
        parts.append("  </sitemap>\n")
    parts.append("</sitemapindex>\n")
    return "".join(parts).encode("utf-8")


def robots_txt(config: SiteConfig) -> bytes:
    sitemap_url = absolute_url(config.base_url, "/sitemap.xml")
    return f"User-agent: *\nSitemap: {sitemap_url}\n".encode()


def alias_page(target: str) -> bytes:
    """A redirect page as Hugo writes for `aliases` and /page/1/."""
    url = escape(target, {'"': "&quot;"})
    return (f'<!DOCTYPE html><html lang="en"><head><title>{url}</title>'
            f'<link rel="canonical" href="{url}"><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={url}"></head></html>').encode()
