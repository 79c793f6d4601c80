"""Dates in release headings ("Release vom 08.02.2024", "Released 12th October 2023"),
read with Babel's month names, and release dates formatted for readers."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import get_month_names

from sitegen.locale import format_date_for

DEFAULT_LOCALES = ("en", "de")

_MONTH = r"(?P<mon>[^\W\d_]{3,})\.?"
_DAY = r"(?<!\d)(?P<d>\d{1,2})"
_ORDINAL = r"(?:\.|st|nd|rd|th)?"  # any suffix is accepted: authors write "31th" and "08th"
_YEAR = r"(?P<y>\d{4})(?!\d)"
_FOUR_DIGITS = re.compile(r"\d{4}")  # every form has a year: most headings are out at once

# Where the date stands in the heading does not matter: each form is searched anywhere.
_FORMS = (
    re.compile(rf"{_DAY}\.\s?(?P<m>\d{{1,2}})\.\s?{_YEAR}"),  # 08.02.2024
    re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])"),  # 2024-02-08
    re.compile(
        rf"{_DAY}{_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}", re.IGNORECASE
    ),  # 12. Oktober 2023
    re.compile(rf"{_MONTH}\s+{_DAY}{_ORDINAL},?\s+{_YEAR}", re.IGNORECASE),  # April 4th, 2024
)


@dataclass(frozen=True)
class FoundDate:
    value: date
    start: int
    end: int


def find_date(text: str, locales: tuple[str, ...] = DEFAULT_LOCALES) -> FoundDate | None:
    """The first valid date written anywhere in `text`, or None."""
    if not _FOUR_DIGITS.search(text):
        return None
    found: list[FoundDate] = []
    for form in _FORMS:
        for match in form.finditer(text):
            value = _to_date(match, locales)
            if value:
                found.append(FoundDate(value, match.start(), match.end()))
                break
    return min(found, key=lambda f: f.start, default=None)


def _to_date(match: re.Match[str], locales: tuple[str, ...]) -> date | None:
    parts = match.groupdict()
    month = int(parts["m"]) if parts.get("m") else month_number(parts["mon"], locales)
    if not month:
        return None
    try:
        return date(int(parts["y"]), month, int(parts["d"]))
    except ValueError:
        return None


def month_number(word: str, locales: tuple[str, ...] = DEFAULT_LOCALES) -> int | None:
    """The month a word names in any of `locales`, tolerant of small slips ("Februars")."""
    names = _month_names(tuple(sorted(set(locales))))
    key = word.casefold().rstrip(".")
    if key in names:
        return names[key]
    wide = {name: month for name, month in names.items() if len(name) > 4}
    candidates = {
        month for name, month in wide.items() if key.startswith(name) and len(key) - len(name) <= 2
    }
    if not candidates:
        candidates = {
            month for name, month in wide.items() if name.startswith(key) and len(key) >= 4
        }
    if not candidates:
        close = difflib.get_close_matches(key, list(wide), n=3, cutoff=0.8)
        candidates = {wide[name] for name in close}
    return candidates.pop() if len(candidates) == 1 else None


@lru_cache(maxsize=16)
def _month_names(locales: tuple[str, ...]) -> dict[str, int]:
    names: dict[str, int] = {}
    for code in locales:
        locale = _locale(code)
        if locale is None:
            continue
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context, locale=locale).items():
                    names.setdefault(name.casefold().rstrip("."), month)
    return names


def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def format_release_date(value: date, lang: str) -> str:
    """The date as a reader of `lang` writes it: "8. Februar 2024", "February 8, 2024"."""
    return format_date_for(value, lang, "long")
