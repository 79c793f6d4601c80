"""Turn a decoded content file into a Page: front matter fields, dates, taxonomies, params."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone, tzinfo
from typing import Any

from sitegen.errors import SiteError
from sitegen.load.config import SiteConfig
from sitegen.load.front_matter import key_line, split_front_matter
from sitegen.models import Page, SourceFile
from sitegen.safe.paths import has_nul

DATE_KEYS = {
    "date": "date",
    "lastmod": "source_lastmod",
    "publishdate": "publish_date",
    "expirydate": "expiry_date",
}
# The layouts Hugo accepts (spf13/cast's list) beside ISO 8601, as strptime patterns; %H
# takes one digit as Go's "15" does (`2024-02-13 4:30:00-04:00`), %z takes `Z`, `-0400`
# and `-04:00`. The last five are sitegen's own, kept for sites that relied on them.
DATE_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S.%f %z",
    "%Y-%m-%d %H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d",
    "%d %b %Y",
    "%a, %d %b %Y %H:%M:%S %z",
    "%a, %d %b %Y %H:%M:%S",
    "%d %b %y %H:%M %z",
    "%d %b %y %H:%M",
    "%A, %d-%b-%y %H:%M:%S",
    "%a %b %d %H:%M:%S %Y",
    "%a %b %d %H:%M:%S %z %Y",
    "%Y-%m-%d %H:%M",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%Y/%m/%d",
)
# Zone names Go prints (`MST`, `UTC`) after an offset or in place of one: the offset or UTC counts.
_ZONE_NAME = re.compile(r"\s+(?:UTC|GMT|[A-Z]{3,5})(?=\s+\d{4}$|$)")


def parse_date(value: Any, zone: tzinfo = timezone.utc) -> datetime | None:
    """A front matter date as an aware datetime; one without an offset is in `zone` (the
    config's timeZone, else UTC), as Hugo takes it."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        moment = _parse_date_text(value.strip())
    else:
        raise ValueError(f"not a date: {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _parse_date_text(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    text = re.sub(r"(\.\d{6})\d+", r"\1", re.sub(r"\s+", " ", text))  # Go keeps nanoseconds
    for candidate in dict.fromkeys((text, _ZONE_NAME.sub("", text))):
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(candidate, fmt)
            except ValueError:
                continue
    raise ValueError(f"cannot read {text!r} as a date")


def load_page(source: SourceFile, text: str, config: SiteConfig) -> Page:
    """Build a Page from its file's text. Raises SiteError with the file's line on bad input."""
    if source.is_html and not config.allow_html_content:
        raise SiteError(
            "an HTML content file is refused by the security policy (security.allowContent "
            "does not allow text/html, Hugo's default since 0.162)",
            source.path,
            1,
            hint="to publish it as a page, add allowContent = ['.*'] under [security] in the "
            "config; or rename it to .md; or move a file meant to be copied as it is to static/",
        )
    meta, body, body_line, _fmt = split_front_matter(text, source.path)
    fields = {str(k).lower(): v for k, v in meta.items()}
    page = Page(
        kind="section" if source.bundle == "branch" else "page",
        lang=source.lang,
        source=source,
        section=_section_of(source),
        body=body,
        body_line=body_line,
        front_matter=meta,
        params=fields,
    )
    _refuse_nul(fields, config, source, text, body_line)
    page.title = _text(fields.get("title", ""))
    page.description = _text(fields.get("description", ""))
    page.summary_override = _text(fields.get("summary", ""))
    page.slug = _text(fields.get("slug", ""))
    page.url = _text(fields.get("url", ""))
    page.layout = _text(fields.get("layout", ""))
    page.type = _text(fields.get("type", ""))
    page.draft = _bool(fields.get("draft", False))
    page.toc_enabled = (
        _bool(fields.get("toc", False))
        if not isinstance(fields.get("toc"), dict)
        else _bool(fields["toc"].get("enable", False))
    )
    page.aliases = _string_list(fields.get("aliases"))
    page.weight = _int(fields.get("weight", 0), source, text, body_line, "weight")
    for key, attribute in DATE_KEYS.items():
        try:
            setattr(page, attribute, parse_date(fields.get(key), config.zone))
        except ValueError as exc:
            raise SiteError(
                f"front matter '{key}': {exc}",
                source.path,
                key_line(text, key, body_line),
                hint="write dates as 2024-02-08, 2024-02-08 11:19:02 or 2024-02-08T11:19:02+02:00",
            ) from None
    if page.source_lastmod is None:
        page.source_lastmod = page.date
    if page.publish_date and page.date is None:
        page.date = page.publish_date
    for plural in config.taxonomies.values():
        terms = _string_list(fields.get(plural.lower()))
        if terms:
            page.taxonomies[plural] = terms
    return page


def _refuse_nul(
    fields: dict[str, Any], config: SiteConfig, source: SourceFile, text: str, body_line: int
) -> None:
    """Fields that become file names cannot hold a NUL (Hugo fails on it too)."""
    for key in (
        "url",
        "slug",
        "aliases",
        *(plural.lower() for plural in config.taxonomies.values()),
    ):
        if has_nul(fields.get(key)):
            raise SiteError(
                f"front matter '{key}' holds a NUL character, which no URL or file name can carry",
                source.path,
                key_line(text, key, body_line),
                hint="remove the \\0 from the value",
            )


def _section_of(source: SourceFile) -> str:
    """The top folder, unless the file's own bundle is that folder (content/about/index.md)."""
    folders = source.rel.parent.parts
    if source.bundle == "leaf":
        return folders[0] if len(folders) > 1 else ""
    return folders[0] if folders else ""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1")
    return bool(value)


def _int(value: Any, source: SourceFile, text: str, body_line: int, key: str) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        raise SiteError(
            f"front matter '{key}' must be a whole number, not {value!r}",
            source.path,
            key_line(text, key, body_line),
        ) from None


def _string_list(value: Any) -> list[str]:
    if value is None or value == "" or isinstance(value, dict):  # Hugo takes no terms of a map
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None and str(v) != ""]
    return [str(value)]


def is_published(page: Page, now: datetime, drafts: bool, future: bool, expired: bool) -> bool:
    """Hugo leaves out drafts, pages dated in the future and expired pages unless asked."""
    if page.draft and not drafts:
        return False
    publish = page.publish_date or page.date
    if publish and publish > now and not future:
        return False
    if page.expiry_date and page.expiry_date <= now and not expired:
        return False
    return True
