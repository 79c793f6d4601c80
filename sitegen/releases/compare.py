"""Linking releases to their predecessors across the site, and finding the forge repository."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from sitegen.models import Page, Release
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.versions import version_key

_FORGE_PATHS = r"(?:-/)?(?:compare|releases|pull|pulls|commit|commits|issues|merge_requests)/"


def link_releases(releases: Iterable[Release], config: ReleaseConfig) -> None:
    """Give each release its predecessor and compare URL, within its language.

    The predecessor is the release just before it in version order across the whole site.
    A compare URL the author wrote (already set by detection) wins. The oldest release
    links to its tag page instead of a compare view.
    """
    releases = list(releases)
    agree_on_inherited_dates(releases)
    by_lang: dict[str, list[Release]] = {}
    for release in releases:
        by_lang.setdefault(_lang(release), []).append(release)
    for group in by_lang.values():
        versions = sorted({r.version for r in group}, key=version_key)
        previous_of = dict(zip(versions[1:], versions[:-1]))
        for release in group:
            if release.compare_url:
                continue
            release.previous = release.previous or previous_of.get(release.version, "")
            if release.previous:
                release.compare_url = config.compare_link(release.previous, release.version)
            else:
                release.compare_url = config.tag_link(release.version)


def agree_on_inherited_dates(releases: list[Release]) -> None:
    """A release ships once: when its date only came from the posts' dates and translations
    disagree (one post dated a day later), every language takes the earliest of them."""
    inherited: dict[str, list[Release]] = {}
    for release in releases:
        if (
            release.page is not None
            and release.date is not None
            and release.date == release.page.date
        ):
            inherited.setdefault(release.version, []).append(release)
    for group in inherited.values():
        earliest = min(r.date for r in group)
        for release in group:
            release.date = earliest


def _lang(release: Release) -> str:
    return release.page.lang if release.page is not None else ""


def infer_repo(pages: Iterable[Page], host: str = "github.com") -> str | None:
    """The owner/repo most often linked as compare, release, pull, issue or commit on `host`."""
    pattern = re.compile(rf"https?://{re.escape(host)}/([\w.-]+/[\w.-]+)/{_FORGE_PATHS}")
    counts = Counter(repo for page in pages for repo in pattern.findall(page.body or page.content))
    return counts.most_common(1)[0][0] if counts else None


def inferred_repo_message(repo: str) -> str:
    """What the build says, once, when it inferred the repository."""
    return (
        f"releases: compare links go to {repo}, the repository the posts link to most; "
        f'set [params.releases] repo = "owner/name" to choose another'
    )
