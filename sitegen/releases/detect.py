"""Finding a page's release sections: headings that carry a version, plus front matter `releases:`."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from functools import lru_cache
from html import unescape
from typing import Any, NamedTuple

from sitegen.content.markdown.release_marks import (
    has_marks,
    linked_text,
    section_html,
    without_marks,
)
from sitegen.errors import SiteError
from sitegen.models import Heading, Page, Release, pack_text
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.dates import DEFAULT_LOCALES, find_date
from sitegen.releases.markup import HeadingSpan, element_ids, heading_spans, section_end
from sitegen.releases.refs import link_github_refs
from sitegen.releases.versions import find_version, version_key

_RULE = re.compile(r"<hr\s*/?>", re.IGNORECASE)
_COMPARE_HREF = re.compile(r"""href\s*=\s*["']([^"']*/compare/[^"']+)["']""", re.IGNORECASE)
_COMPARE_PATH = re.compile(r"/compare/(?P<previous>[^/?#]+?)\.\.\.?(?P<version>[^/?#]+)$")


def detect_releases(page: Page, config: ReleaseConfig, refs_linked: bool = False) -> list[Release]:
    """The page's releases in document order, each with its section's HTML. With
    `refs_linked`, the page's content was rendered with release_refs (the references of
    sections under release headings are links already).

    Raises SiteError when the front matter's `releases:` is malformed.
    """
    declared = page.front_matter.get("releases")
    if not config.enabled or declared is False:
        return []
    places = _heading_places(page.content)  # the content once: it is kept packed
    releases = []
    for heading in page.headings:
        found = release_heading(heading, config, page.lang)
        if found:
            version, day = found
            releases.append(
                _release(page, heading, version, day, places, config, linked=refs_linked)
            )
    if isinstance(declared, list):
        _apply_declarations(page, releases, declared, places, config, marked=refs_linked)
    elif declared not in (None, True):
        raise _front_matter_error(
            page, "`releases` must be a list of {version, date, compare} or false"
        )
    _assign_anchors(places.content, releases)
    _date_newest_from_page(page, releases)
    return releases


def links_refs(heading_text: str, config: ReleaseConfig, lang: str) -> bool:
    """Whether the Markdown pass linked the references under a heading with this text."""
    return config.link_refs and bool(config.repo) and announces_release(heading_text, config, lang)


def announces_release(heading_text: str, config: ReleaseConfig, lang: str) -> bool:
    """Whether a heading with this text announces a release."""
    return _release_in(heading_text, config, lang) is not None


class _Places(NamedTuple):
    """The page's content and where its headings stand in it."""

    content: str
    span_list: list[HeadingSpan] | None  # None where the Markdown pass marked the release headings
    spans: dict[str, tuple[int, HeadingSpan]]  # else every `<hN id>` of the HTML, by id


def _heading_places(content: str) -> _Places:
    """Where the headings stand: nothing to find where the Markdown pass marked the release
    headings; else every `<hN id>` of the HTML, by id."""
    if has_marks(content):
        return _Places(content, None, {})
    span_list = heading_spans(content)
    spans: dict[str, tuple[int, HeadingSpan]] = {}
    for index, span in enumerate(span_list):
        spans.setdefault(span.id, (index, span))  # the first of equal ids wins, as in a browser
    return _Places(content, span_list, spans)


def release_heading(
    heading: Heading, config: ReleaseConfig, lang: str
) -> tuple[str, date | None] | None:
    """(version, date) when the heading announces a release; None for other headings."""
    return _release_in(heading.text, config, lang)


@lru_cache(maxsize=4096)
def _release_in(text: str, config: ReleaseConfig, lang: str) -> tuple[str, date | None] | None:
    # Kept per process: the Markdown pass, detection and decoration each ask about the same headings.
    day = find_date(text, _locales(lang))
    match = find_version(text, config.pattern, skip=(day.start, day.end) if day else None)
    if not match or not match.announced:
        return None
    return match.version, day.value if day else None


@lru_cache(maxsize=64)
def _locales(lang: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*DEFAULT_LOCALES, lang or "en")))


def _release(page, heading, version, day, places: _Places, config, linked=False) -> Release:
    located = heading.id if places.span_list is None else places.spans.get(heading.id)
    html = _section_html(places.content, places.span_list, located, config, linked)
    release = Release(
        version=version,
        heading_id=heading.id,
        anchor=version,
        date=_as_datetime(day, page),
        title=heading.text,
        level=heading.level,
        line=heading.line,
        packed_html=pack_text(html),
        page=page,
    )
    _take_author_compare(release, html)
    return release


def _section_html(
    content: str, span_list: list[HeadingSpan], located, config: ReleaseConfig, linked: bool
) -> str:
    """The section's HTML; its references linked already when `linked` (in the Markdown pass)."""
    if span_list is None:  # marked by the Markdown pass (rules.release_headings)
        html = section_html(content, located) if located else None
        return _without_closing_rules(without_marks(html)).lstrip() if html is not None else ""
    if located is None:
        return ""
    index, span = located
    html = content[span.end : section_end(span_list, index, len(content))]
    html = _without_closing_rules(html).lstrip()
    if config.link_refs and config.repo and not linked:
        html = link_github_refs(html, config.repo, f"https://{config.forge_host}")
    return html


def _without_closing_rules(html: str) -> str:
    """The section without the `<hr>`s that end it (the separator before the next one).
    Looked for from the end: a pattern anchored at the end would be tried at every
    position of the section."""
    html = html.rstrip()
    while html.endswith(">") and (start := html.rfind("<")) >= 0 and _RULE.fullmatch(html, start):
        html = html[:start].rstrip()
    return html


def _take_author_compare(release: Release, html: str) -> None:
    """A compare link the author wrote in the section's `html` (…/compare/2024-01d...2024-01e) wins."""
    for href in _COMPARE_HREF.findall(html):
        url = unescape(href)
        match = _COMPARE_PATH.search(url.split("#")[0].split("?")[0])
        if match and match.group("version") == release.version:
            release.compare_url = url
            release.previous = match.group("previous")
            return


def _as_datetime(value: Any, page: Page) -> datetime | None:
    """Dates become aware datetimes at noon in the page's time zone (UTC if it has none):
    a feed reader anywhere from UTC-10 to UTC+12 then shows the same day the author wrote."""
    zone = page.date.tzinfo if page.date and page.date.tzinfo else timezone.utc
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = (
            datetime.fromisoformat(value)
            if "T" in value or " " in value.strip()
            else date.fromisoformat(value)
        )
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(12), tzinfo=zone)
    raise ValueError(f"not a date: {value!r}")


def _apply_declarations(page, releases, declared, places, config, marked=False) -> None:
    """Front matter `releases:` corrects detected releases or declares new ones."""
    by_version = {release.version: release for release in releases}
    for entry in declared:
        if not isinstance(entry, dict) or not entry.get("version"):
            raise _front_matter_error(page, f"each `releases` entry needs a version, got {entry!r}")
        version = str(entry["version"])
        release = by_version.get(version) or _declared_release(
            page, version, entry, places, config, marked
        )
        if release.version not in by_version:
            releases.append(release)
            by_version[version] = release
        try:
            if "date" in entry:
                release.date = _as_datetime(entry["date"], page)
        except ValueError:
            raise _front_matter_error(
                page,
                f"release {version}: date {entry['date']!r} is not a date",
                "write it as 2024-02-08",
            ) from None
        if entry.get("compare"):
            release.compare_url, release.previous = (
                str(entry["compare"]),
                str(entry.get("previous", "")),
            )
        elif entry.get("previous"):
            release.previous = str(entry["previous"])
            release.compare_url = config.compare_link(release.previous, version)
    releases.sort(key=lambda r: r.line if r.heading_id else 10**9)


def _declared_release(page, version, entry, places, config, marked=False) -> Release:
    """A declared release takes the heading that names its version, or else the whole post."""
    wanted = str(entry.get("heading", ""))
    word = re.compile(rf"(?<![\w.-]){re.escape(version)}(?![\w-])")
    for heading in page.headings:
        if heading.id == wanted or (not wanted and word.search(heading.text)):
            return _release(page, heading, version, None, places, config)
    return Release(
        version=version,
        heading_id="",
        anchor="",
        date=None,
        title=page.title,
        level=0,
        line=page.body_line,
        packed_html=pack_text(whole_post_html(page, config, marked, places.content)),
        page=page,
    )


def whole_post_html(
    page: Page, config: ReleaseConfig, marked: bool = False, content: str | None = None
) -> str:
    """The post's HTML as a release that is the whole post has it: references linked.
    `marked`: the content was rendered with release marks (references written both ways);
    `content`: the page's, where the caller has it at hand (it is kept packed)."""
    content = page.content if content is None else content
    if marked or has_marks(content):
        return linked_text(content) if config.link_refs and config.repo else without_marks(content)
    if config.link_refs and config.repo:
        return link_github_refs(content, config.repo, f"https://{config.forge_host}")
    return content


def _assign_anchors(content: str, releases: list[Release]) -> None:
    """The short anchor is the version, unless another element of the page's `content`
    already uses that id."""
    taken = element_ids(content)
    heading_ids = {release.heading_id for release in releases}
    for release in releases:
        if not release.heading_id:
            continue
        if release.anchor == release.heading_id:
            continue  # `### 2022-05c` already has the id "2022-05c"
        if release.anchor in taken or release.anchor in heading_ids:
            release.anchor = release.heading_id
        taken.add(release.anchor)


def _date_newest_from_page(page: Page, releases: list[Release]) -> None:
    """An undated newest release shipped when the post was (last) dated."""
    if not releases or page.date is None:
        return
    newest = max(releases, key=lambda r: version_key(r.version))
    dated = [r.date for r in releases if r.date]
    if newest.date is None and all(d <= page.date for d in dated):
        newest.date = page.date if page.date.tzinfo else page.date.replace(tzinfo=timezone.utc)


def _front_matter_error(page: Page, message: str, hint: str = "") -> SiteError:
    path = page.source.path if page.source else page.rel_permalink
    return SiteError(
        message, path, 1, hint=hint or "e.g. releases: [{version: 2024-01e, date: 2024-02-08}]"
    )
