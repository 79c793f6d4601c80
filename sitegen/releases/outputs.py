"""What releases publish: the ordered index, releases.json and what the release feed says
(sitegen.render.feeds writes the feed, as it writes every feed)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from html import escape, unescape
from urllib.parse import quote, urljoin

from sitegen.content.html_text import reader_text
from sitegen.locale import rfc2822_date
from sitegen.models import Page, Release
from sitegen.releases.versions import version_key

_START_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_URL_ATTR = re.compile(r"""(\s(?:href|src)\s*=\s*)(["'])([^"']*)\2""", re.IGNORECASE)
# An absolute http(s) URL of characters that neither HTML escaping nor urljoin changes (no
# entity, query, fragment, parameters or port): urljoin hands it back as it is, so the
# attribute stays as written. Release notes link mostly such URLs (pull requests, commits).
_PLAIN_ABSOLUTE = re.compile(r"https?://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~!$()*+,=:@/%-]*)?\Z")
# One encoder for every value: json.dumps with any option makes a new encoder per call.
_json_value = json.JSONEncoder(ensure_ascii=False).encode


def newest_first(releases: Iterable[Release]) -> list[Release]:
    """Releases by date, newest first; undated ones last; ties by version, newest first."""
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    return sorted(releases, key=lambda r: (r.date or oldest, version_key(r.version)), reverse=True)


def release_url(release: Release, absolute: bool = True) -> str:
    """The release's address: its post's permalink with the short anchor."""
    page = release.page
    base = (page.permalink if absolute else page.rel_permalink) if page is not None else ""
    return f"{base}#{quote(release.anchor, safe='-._~')}" if release.anchor else base


def release_guid(release: Release) -> str:
    """Stable per sub-release: permalink#version (even when the anchor had to fall back)."""
    page = release.page
    return f"{page.permalink if page is not None else ''}#{quote(release.version, safe='-._~')}"


def newest_release(releases: Sequence[Release]) -> Release | None:
    """The release a post is about (the theme's badge says "Release 2024-01e"): the newest
    dated one, else the first in the document (posts list the newest sub-release first)."""
    dated = [release for release in releases if release.date is not None]
    if dated:
        return max(dated, key=lambda release: _comparable(release.date))
    return releases[0] if releases else None


def release_lastmod(page: Page, releases: Iterable[Release]) -> datetime | None:
    """The page's lastmod (or date), moved up to its newest release's date when that is a later day."""
    current = page.lastmod or page.date
    dated = [r.date for r in releases if r.date is not None]
    newest = max(dated, key=_comparable, default=None)
    if newest is None or (current is not None and newest.date() <= current.date()):
        return current
    return newest


def _comparable(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def releases_json(
    releases: Iterable[Release], item_text: Callable[[Release], bytes] | None = None
) -> bytes:
    """releases.json: every release, newest first, with its text (see releases_json_chunks)."""
    return b"".join(releases_json_chunks(releases, item_text))


def releases_json_chunks(
    releases: Iterable[Release], item_text: Callable[[Release], bytes] | None = None
) -> Iterator[bytes]:
    """releases.json piece by piece, so a large site's file is never whole in memory.
    `item_text` may hand back each release's part, UTF-8, from a cache (default: release_json_text)."""
    item_text = item_text or (lambda r: release_json_text(r).encode("utf-8"))
    # The same text json.dumps(items, indent=2) writes, one item at a time.
    separator = b"[\n  "
    for release in newest_first(releases):
        yield separator + item_text(release)
        separator = b",\n  "
    yield b"[]\n" if separator == b"[\n  " else b"\n]\n"


def release_json_text(r: Release) -> str:
    """One release's object in releases.json, indented as an item of the list."""
    item = {
        "version": r.version,
        "date": r.date.date().isoformat() if r.date else None,
        "datetime": r.date.isoformat() if r.date else None,
        "title": r.title,
        "post_title": r.page.title if r.page is not None else "",
        "url": release_url(r),
        "anchor": r.anchor or r.heading_id,
        "previous": r.previous or None,
        "compare_url": r.compare_url or None,
        "text": reader_text(r.html),
    }
    # json.dumps(item, indent=2) indented one level more, written by the C encoder (indent
    # makes json use its pure-Python one): the values are flat.
    return (
        "{\n    "
        + ",\n    ".join(f"{json.dumps(key)}: {_json_value(value)}" for key, value in item.items())
        + "\n  }"
    )


def release_feed_fields(release: Release) -> tuple[str, str, str, str, str, bool]:
    """What the release feed says of a release (sitegen.render.feeds writes it): title,
    link, guid, pubDate (RFC 822, "" when undated), description (its section's HTML, URLs
    made absolute) and whether the guid is the link."""
    post_title = release.page.title if release.page is not None else ""
    url, guid = release_url(release), release_guid(release)
    base = release.page.permalink if release.page is not None else ""
    return (
        f"{release.version} – {post_title}" if post_title else release.title,
        url,
        guid,
        rfc2822_date(release.date) if release.date else "",
        absolute_urls(release.html, base),
        guid == url,
    )


def absolute_urls(html: str, base: str) -> str:
    """Relative href/src made absolute against `base`, so feed readers can follow them."""
    if not base:
        return html

    def fix(match: re.Match[str]) -> str:
        if _PLAIN_ABSOLUTE.match(match.group(3)):
            return match.group(0)
        url = urljoin(base, unescape(match.group(3)))
        return f"{match.group(1)}{match.group(2)}{escape(url)}{match.group(2)}"

    def fix_tag(tag: re.Match[str]) -> str:
        text = tag.group(0)
        return _URL_ATTR.sub(fix, text) if "=" in text else text  # <li>, <p>: no attribute

    # Only real tags: code text has its "<" escaped, so it never matches.
    return _START_TAG.sub(fix_tag, html)
