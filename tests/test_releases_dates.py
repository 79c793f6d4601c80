"""Dates in release headings, in the forms the real posts use and others of the same kind."""

from datetime import date

import pytest
from babel.dates import get_month_names

from sitegen.releases import find_date, format_release_date, month_number

HEADINGS = [
    # (heading text, expected date)
    ("2024-01e (Release vom 08.02.2024)", date(2024, 2, 8)),
    ("2023-11a (Release am 07.12.2023)", date(2023, 12, 7)),
    ("2022-09a (Release: 30.09.2022)", date(2022, 9, 30)),
    ("2023-10a (Veröffentlicht am 12. Oktober 2023)", date(2023, 10, 12)),
    ("2023-10a (Released 12th October 2023)", date(2023, 10, 12)),
    ("2023-07 (Release 28th July 2023)", date(2023, 7, 28)),
    ("2024-01c (Release: 2nd February 2024)", date(2024, 2, 2)),
    ("2024-04 (Release April 4th, 2024)", date(2024, 4, 4)),
    ("2024-01e (Release 08th Februars 2024)", date(2024, 2, 8)),  # slips: 08th, Februars
    ("2023-07a (Release 31th July 2023)", date(2023, 7, 31)),
    ("2023-08  (Release 3rd August 2023)", date(2023, 8, 3)),
    # Other phrasings of the same kind: the date is found wherever it stands.
    ("Erschienen: 3. März 2024 – 2024-03", date(2024, 3, 3)),
    ("v1.2.3 shipped on 2024-02-08", date(2024, 2, 8)),
    ("1.4.0, ausgeliefert am 5. Mai 2024", date(2024, 5, 5)),
    ("Version 2.0.0 – published 3 Sept. 2024", date(2024, 9, 3)),
    ("2024-02 (Feburary 3rd, 2024)", date(2024, 2, 3)),
    ("2024-12 — 24 Dez. 2024", date(2024, 12, 24)),
]

NO_DATE = [
    "### 2022-05c",
    "2023-09",
    "Update 2023-04a",
    "Stabile Änderungen (stable Branch 2022-11b)",
    "Wichtige Änderungen ab November 2021",
    "SOGo 5.6.0",
    "Release 31.02.2024",
    "CVE-2023-34108",
]


@pytest.mark.parametrize(("text", "expected"), HEADINGS, ids=[h[0] for h in HEADINGS])
def test_date_in_heading(text: str, expected: date) -> None:
    found = find_date(text)
    assert found is not None and found.value == expected
    assert text[found.start : found.end].strip()  # the span names where the date stands


@pytest.mark.parametrize("text", NO_DATE)
def test_heading_without_date(text: str) -> None:
    assert find_date(text) is None


@pytest.mark.parametrize("locale", ["de", "en"])
def test_every_babel_month_name_is_understood(locale: str) -> None:
    for width in ("wide", "abbreviated"):
        for month, name in get_month_names(width, locale=locale).items():
            assert month_number(name) == month, name


def test_other_page_languages_use_their_own_month_names() -> None:
    assert find_date("2024-03 (publié le 3 mars 2024)", ("fr",)).value == date(2024, 3, 3)
    assert find_date("2024-03 (publié le 3 mars 2024)", ("en", "de")) is None


def test_dates_are_shown_the_way_readers_write_them() -> None:
    assert format_release_date(date(2024, 2, 8), "de") == "8. Februar 2024"
    assert format_release_date(date(2024, 2, 8), "en") == "February 8, 2024"
    assert format_release_date(date(2024, 2, 8), "xx-unknown") == "February 8, 2024"
