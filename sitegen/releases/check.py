"""`sitegen releases --check`: headings and releases a person should look at."""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.errors import SiteError
from sitegen.models import Page, Release
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.dates import find_date
from sitegen.releases.detect import detect_releases, release_heading
from sitegen.releases.titles import find_post_releases, near_misses
from sitegen.releases.versions import find_version

_HINT_DECLARE = (
    "if it is a release, declare it in front matter: releases: [{version: X, date: YYYY-MM-DD}]"
)


def check_releases(pages: Iterable[Page], config: ReleaseConfig | None = None) -> list[SiteError]:
    """Ambiguous cases, each at its file and line; an empty list means nothing to review."""
    config = config or ReleaseConfig.default()
    pages = [p for p in pages if p.is_page and p.front_matter.get("releases") is not False]
    found: dict[int, list[Release]] = {}
    problems: list[SiteError] = []
    for page in pages:
        try:
            found[id(page)] = detect_releases(page, config, refs_linked=True)  # built pages
        except SiteError as error:
            problems.append(error)
            found[id(page)] = []
        problems += _heading_problems(page, config)
    find_post_releases(pages, config, found)
    for page in pages:
        problems += [
            _at(
                page,
                r.line,
                f"release {r.version} has no date",
                "write the date in the heading (Release vom 08.02.2024) or in front matter `releases:`",
            )
            for r in found[id(page)]
            if r.date is None
        ]
    problems += _post_near_misses(pages, config, found)
    problems += _duplicates(pages, found)
    problems += _translation_mismatches(pages, found)
    return problems


def _heading_problems(page: Page, config: ReleaseConfig) -> list[SiteError]:
    problems = []
    for heading in page.headings:
        if release_heading(heading, config, page.lang):
            continue
        day = find_date(heading.text)
        match = find_version(
            heading.text, config.pattern, skip=(day.start, day.end) if day else None
        )
        if match:
            problems.append(
                _at(
                    page,
                    heading.line,
                    f"heading {heading.text!r} mentions {match.version} but is not "
                    "taken as a release (the version neither starts it nor follows a word like "
                    "Release or Update)",
                    _HINT_DECLARE.replace("X", match.version),
                )
            )
        elif day:
            problems.append(
                _at(
                    page,
                    heading.line,
                    f"heading {heading.text!r} carries a date but no version",
                    "put the version in the heading, e.g. ## 2024-01e (Release vom 08.02.2024)",
                )
            )
    return problems


def _post_near_misses(
    pages: list[Page], config: ReleaseConfig, found: dict[int, list[Release]]
) -> list[SiteError]:
    """Posts whose slug or title carries a version but that were not taken as a release."""
    where = {(p.lang, r.version): _where(p) for p in pages for r in found[id(p)]}
    problems = []
    for page in pages:
        if found[id(page)]:
            continue
        elsewhere = {version: path for (lang, version), path in where.items() if lang == page.lang}
        problems += [
            _at(
                page,
                1,
                f"post is not taken as a release: {reason}",
                _HINT_DECLARE.replace("X", version),
            )
            for version, reason in near_misses(page, config, elsewhere)
        ]
    return problems


def _duplicates(pages: list[Page], found: dict[int, list[Release]]) -> list[SiteError]:
    first: dict[tuple[str, str], Page] = {}
    problems = []
    for page in pages:
        for release in found[id(page)]:
            key = (page.lang, release.version)
            if key in first:
                problems.append(
                    _at(
                        page,
                        release.line,
                        f"release {release.version} is also in {_where(first[key])}",
                        "keep each version in one post, or set releases: false on one of them",
                    )
                )
            else:
                first[key] = page
    return problems


def _translation_mismatches(pages: list[Page], found: dict[int, list[Release]]) -> list[SiteError]:
    problems = []
    for page in pages:
        mine = {r.version: r for r in found[id(page)]}
        for other in page.translations:
            if id(other) not in found or other.lang <= page.lang:
                continue  # each pair once
            theirs = {r.version: r for r in found[id(other)]}
            for version in sorted(set(mine) ^ set(theirs)):
                problems.append(
                    _at(
                        page,
                        1,
                        f"release {version} is in only one of {page.lang} and {other.lang}",
                        f"compare with {_where(other)}",
                    )
                )
            for version in sorted(set(mine) & set(theirs)):
                a, b = mine[version].date, theirs[version].date
                if a and b and a.date() != b.date():
                    problems.append(
                        _at(
                            page,
                            mine[version].line,
                            f"release {version} is dated {a.date()} here but "
                            f"{b.date()} in {_where(other)}",
                            "correct the heading that is wrong",
                        )
                    )
    return problems


def _where(page: Page) -> str:
    return str(page.source.path if page.source else page.rel_permalink)


def _at(page: Page, line: int, message: str, hint: str = "") -> SiteError:
    return SiteError(message, _where(page), line or None, hint=hint)
