"""RSS 2.0 feeds (every list's and the release feed, through one writer: Channel,
rss_item, rss_chunks), sitemaps and robots.txt, written as XML text.

Hugo's feed for a list page lists its pages newest first with the escaped summary as
`<description>`; sitegen adds the full content as `content:encoded` to the newest
FULL_CONTENT_ITEMS posts of each feed. Readers poll for new items, so older posts need
no more than their summary, and a feed's size stays bounded as the site grows (full
content in every item of every term feed made most of a large site's output feeds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from html import escape as html_escape

from sitegen import __version__
from sitegen.load.config import SiteConfig
from sitegen.locale import rfc2822_date
from sitegen.models import Page, Release
from sitegen.releases.outputs import newest_first, release_feed_fields
from sitegen.site.urls import absolute_url

EPOCH_RFC822 = "Mon, 01 Jan 0001 00:00:00 +0000"
FULL_CONTENT_ITEMS = 10
# XML text escaping (&, <, >): the stdlib's `html.escape` without quotes does what
# `xml.sax.saxutils.escape` does, and importing the latter pulls in `urllib.request`,
# `http.client` and `ssl` at start-up.
escape = partial(html_escape, quote=False)


def rfc822(moment: datetime | None) -> str:
    if moment is None:
        return EPOCH_RFC822
    return rfc2822_date(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))


def feed_items(page: Page, site_pages: list[Page]) -> list[Page]:
    """What a list's feed lists: the home lists every regular page, other lists their members."""
    members = site_pages if page.kind == "home" else page.pages
    regular = (
        [p for p in members if p.kind in ("page", "term")]
        if page.kind == "taxonomy"
        else [p for p in members if p.kind == "page"]
    )
    return sorted(
        regular, key=lambda p: p.date or datetime(1, 1, 1, tzinfo=timezone.utc), reverse=True
    )


@dataclass(frozen=True)
class Channel:
    """An RSS channel: what a feed says of itself before its items."""

    title: str
    link: str
    description: str
    language: str
    feed_url: str
    last_build: datetime | None = None
    managing_editor: str = ""
    copyright: str = ""


def channel_head(channel: Channel) -> str:
    """The feed up to its first item; CHANNEL_TAIL closes it."""
    parts = [
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n',
        f"<title>{escape(channel.title)}</title>\n<link>{escape(channel.link)}</link>\n",
        f"<description>{escape(channel.description)}</description>\n",
        f"<generator>sitegen {__version__}</generator>\n<language>{escape(channel.language)}</language>\n",
    ]
    if channel.managing_editor:
        parts.append(f"<managingEditor>{escape(channel.managing_editor)}</managingEditor>\n")
    if channel.copyright:
        parts.append(f"<copyright>{escape(channel.copyright)}</copyright>\n")
    if channel.last_build:
        parts.append(f"<lastBuildDate>{rfc822(channel.last_build)}</lastBuildDate>\n")
    parts.append(
        f'<atom:link href="{html_escape(channel.feed_url)}" rel="self" type="application/rss+xml"/>\n'
    )
    return "".join(parts)


CHANNEL_TAIL = "</channel>\n</rss>\n"


def rss_item(
    title: str,
    link: str,
    guid: str,
    pub_date: str,
    description: str,
    content: str | None = None,
    guid_is_link: bool | None = None,
) -> str:
    """One <item>: `description` is text (escaped here), `content` HTML (as CDATA), `pub_date`
    RFC 822 ("" for none); `guid_is_link` writes isPermaLink where given."""
    permalink = (
        "" if guid_is_link is None else f' isPermaLink="{"true" if guid_is_link else "false"}"'
    )
    return (
        f"<item>\n<title>{escape(title)}</title>\n<link>{escape(link)}</link>\n"
        + (f"<pubDate>{pub_date}</pubDate>\n" if pub_date else "")
        + f"<guid{permalink}>{escape(guid)}</guid>\n<description>{escape(description)}</description>\n"
        + (f"<content:encoded>{_cdata(content)}</content:encoded>\n" if content is not None else "")
        + "</item>\n"
    )


def rss_chunks(channel: Channel, items: Iterable[str | bytes]) -> Iterator[bytes]:
    """The feed piece by piece (a large site's release feed is never whole in memory)."""
    yield channel_head(channel).encode("utf-8")
    for item in items:
        yield item if isinstance(item, bytes) else item.encode("utf-8")
    yield CHANNEL_TAIL.encode("utf-8")


def rss_feed(
    page: Page,
    items: list[Page],
    config: SiteConfig,
    *,
    title: str,
    language_code: str,
    limit: int = -1,
    item_xml: Callable[[Page, bool], str | bytes] | None = None,
) -> bytes:
    """A list page's feed: its pages newest first, the newest with their full content;
    `item_xml(page, full)` makes each <item> (default: feed_item)."""
    item_xml = item_xml or feed_item
    if limit >= 0:
        items = items[:limit]
    name = config.author.get("name", "")
    channel = Channel(
        title,
        page.permalink,
        "Recent content on " + title if page.kind == "home" else "Recent content in " + title,
        language_code,
        page.permalink + "index.xml",
        last_build=max((p.lastmod or p.date for p in items if p.lastmod or p.date), default=None),
        managing_editor=config.author["email"] + (f" ({name})" if name else "")
        if config.author.get("email")
        else "",
        copyright=config.copyright or "",
    )
    return b"".join(
        rss_chunks(
            channel,
            (item_xml(item, number < FULL_CONTENT_ITEMS) for number, item in enumerate(items)),
        )
    )


def feed_item(page: Page, full: bool = True) -> str:
    """One RSS <item>, with the post's full content if `full` (the serve patch swaps a
    single post's item in a built feed)."""
    content = str(page.content) if full and page.kind == "page" else None
    return rss_item(
        page.title, page.permalink, page.permalink, rfc822(page.date), str(page.summary), content
    )


def release_feed_item(release: Release) -> str:
    """One release's <item> of the release feed (releases.outputs says what it holds)."""
    title, link, guid, pub_date, description, guid_is_link = release_feed_fields(release)
    return rss_item(title, link, guid, pub_date, description, guid_is_link=guid_is_link)


def release_feed_chunks(
    releases: Iterable[Release],
    *,
    title: str,
    link: str,
    feed_url: str,
    lang: str,
    item_xml: Callable[[Release], bytes] | None = None,
    limit: int = -1,
) -> Iterator[bytes]:
    """The release feed: one item per sub-release, newest first; guid permalink#version,
    pubDate the release date. `item_xml` may hand back each release's item, UTF-8, made
    before (default: release_feed_item). With `limit` >= 0 (the site's `services.rss.limit`,
    as for every other feed) only the newest that many."""
    ordered = newest_first(releases)
    if limit >= 0:
        ordered = ordered[:limit]
    newest = max((r.date for r in ordered if r.date), default=None)
    channel = Channel(title, link, title, lang, feed_url, last_build=newest)
    return rss_chunks(channel, (item_xml(r) if item_xml else release_feed_item(r) for r in ordered))


def release_feed(
    releases: Iterable[Release], *, title: str, link: str, feed_url: str, lang: str, limit: int = -1
) -> bytes:
    """The release feed (see release_feed_chunks) as one piece."""
    return b"".join(
        release_feed_chunks(
            releases, title=title, link=link, feed_url=feed_url, lang=lang, limit=limit
        )
    )


def _cdata(html: str) -> str:
    return "<![CDATA[" + str(html).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sitemap(pages: list[Page], config: SiteConfig) -> bytes:
    changefreq = config.sitemap.get("changefreq", "")
    priority = config.sitemap.get("priority", -1)
    parts = [
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n',
    ]
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
        for translation in (
            sorted([page, *page.translations], key=lambda p: p.lang) if page.translations else []
        ):
            parts.append(
                f'    <xhtml:link rel="alternate" hreflang="{html_escape(translation.lang)}" '
                f'href="{html_escape(translation.permalink)}"/>\n'
            )
        parts.append("  </url>\n")
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def _sitemap_disabled(page: Page) -> bool:
    spec = page.params.get("sitemap")
    return isinstance(spec, dict) and bool(spec.get("disable"))


def sitemap_index(urls: list[str], lastmod: datetime | None) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n',
    ]
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
    url = escape(target).replace('"', "&quot;")
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{url}</title>'
        f'<link rel="canonical" href="{url}"><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={url}"></head></html>'
    ).encode()
