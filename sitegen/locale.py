"""Babel's locales and dates, for every stage that writes a date in a page's language (the
release dates of releases/, the templates' dates of render/i18n). Babel and its locale data
load with the first date formatted, not at start-up."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# Go reference-time tokens (Hugo's dateFormat) -> Babel/CLDR pattern tokens, longest first.
GO_LAYOUT_TOKENS = [
    ("January", "MMMM"),
    ("Monday", "EEEE"),
    ("2006", "yyyy"),
    ("Jan", "MMM"),
    ("Mon", "EEE"),
    ("MST", "z"),
    ("-0700", "Z"),
    ("15", "HH"),
    ("01", "MM"),
    ("02", "dd"),
    ("03", "hh"),
    ("04", "mm"),
    ("05", "ss"),
    ("06", "yy"),
    ("PM", "a"),
    ("_2", "d"),
    ("1", "M"),
    ("2", "d"),
    ("3", "h"),
]
HUGO_DATE_STYLES = {
    ":date_short": "short",
    ":date_medium": "medium",
    ":date_long": "long",
    ":date_full": "full",
}


@lru_cache(maxsize=64)
def babel_locale(code: str) -> Locale:
    # Babel and its locale data load with the first date or number a page formats, not at start-up.
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def go_layout_to_babel(layout: str) -> str:
    """Translate a Go time layout ("02.01.2006") into a CLDR pattern ("dd.MM.yyyy")."""
    out, index = [], 0
    while index < len(layout):
        for go, cldr in GO_LAYOUT_TOKENS:
            if layout.startswith(go, index):
                out.append(cldr)
                index += len(go)
                break
        else:
            char = layout[index]
            out.append(f"'{char}'" if char.isalpha() else char)
            index += 1
    return "".join(out)


@lru_cache(maxsize=65536)  # Babel builds its formatter on every call; lists repeat dates
def format_date_for(value: date | datetime | None, locale: str, style: str = "long") -> str:
    """A date in the page's language: a named style, a Hugo :date_* name, a Go layout or a CLDR pattern."""
    if value is None:
        return ""
    return _format_day(value.date() if isinstance(value, datetime) else value, locale, style)


@lru_cache(
    maxsize=4096
)  # Babel is slow, and a site shows the same days on many pages (lists, release index)
def _format_day(day: date, locale: str, style: str) -> str:
    style = HUGO_DATE_STYLES.get(style, style)
    if style not in ("short", "medium", "long", "full") and re.search(
        r"2006|January|Jan\b|01|02", style
    ):
        style = go_layout_to_babel(style)
    from babel.dates import format_date

    return format_date(day, format=style, locale=babel_locale(locale))


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc2822_date(moment: datetime) -> str:
    """`moment` as RSS writes dates (RFC 2822, English names whatever the locale), the bytes
    `email.utils.format_datetime` gives: importing `email.utils` pulls in `socket`, `calendar`
    and `locale`, about 5 ms of every build's start-up for this one line. A naive moment
    gets the zone "-0000" (unknown), as there."""
    zone = moment.strftime("%z") if moment.tzinfo is not None else "-0000"
    return "%s, %02d %s %04d %02d:%02d:%02d %s" % (  # email.utils' own format
        _WEEKDAYS[moment.weekday()],
        moment.day,
        _MONTHS[moment.month - 1],
        moment.year,
        moment.hour,
        moment.minute,
        moment.second,
        zone,
    )
