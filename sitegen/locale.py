"""Babel's locales, dates, numbers and plurals, for every stage that writes them in a page's
language (the release dates of releases/, the templates' dates, counts and plurals of
render/i18n). Babel and its locale data load with the first answer not known already, not
at start-up.

Each answer is kept by its question in `ANSWERS`, which a build with a cache starts from and
keeps (sitegen.build.site_setup.locale_answers): a rebuild whose pages show only days, counts
and plurals shown before loads none of Babel's locale data (about 23 ms of the mailcow blog's
one-post edit build: the plural rules of "de" and "en" come with their whole data)."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable

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


def format_date_for(value: date | datetime | None, locale: str, style: str = "long") -> str:
    """A date in the page's language: a named style, a Hugo :date_* name, a Go layout or a CLDR pattern."""
    if value is None:
        return ""
    return known_answer(
        "day", value.date() if isinstance(value, datetime) else value, locale, style
    )


# (what, type of value, value, locale, ...) -> Babel's answer. The type is in the key because
# 1, 1.0 and True are one dict key, while Babel is free to answer an int and a float apart.
ANSWERS: dict[tuple, str] = {}


def known_answer(what: str, value: Any, locale: str, *more: str) -> str:
    """Babel's answer to `what` ("day", "number", "plural") of `value` in `locale`, asked
    once per question (Babel builds its formatter on every call; pages repeat their dates)."""
    question = (what, type(value).__name__, value, locale, *more)
    answer = ANSWERS.get(question)
    if answer is None:
        answer = ANSWERS[question] = _ASK[what](value, locale, *more)
    return answer


def _ask_day(day: date, locale: str, style: str) -> str:
    style = HUGO_DATE_STYLES.get(style, style)
    if style not in ("short", "medium", "long", "full") and re.search(
        r"2006|January|Jan\b|01|02", style
    ):
        style = go_layout_to_babel(style)
    from babel.dates import format_date

    return format_date(day, format=style, locale=babel_locale(locale))


def _ask_number(value: float | int, locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=babel_locale(locale))


def _ask_plural(count: float | int, locale: str) -> str:
    return babel_locale(locale).plural_form(abs(count))


_ASK: dict[str, Callable[..., str]] = {
    "day": _ask_day,
    "number": _ask_number,
    "plural": _ask_plural,
}


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
