"""Finding a version in a heading, and ordering versions."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Words that announce a version in a heading ("Update 2023-04a", "stable Branch 2022-11b",
# "Release v1.2.3"). A version after any other word ("SOGo 5.6.0") is only mentioned.
RELEASE_WORDS = {
    "release",
    "released",
    "releases",
    "update",
    "version",
    "versions",
    "branch",
    "tag",
    "hotfix",
    "patch",
    "revision",
    "changelog",
    "stable",
    "nightly",
    "veröffentlichung",
    "veröffentlicht",
    "aktualisierung",
    "versionen",
}

_WORD_BEFORE = re.compile(r"([^\W\d_]+)[\s:(\[–—-]*$")
_LEADING_NOISE = re.compile(r"^[\W_]*")


@dataclass(frozen=True)
class VersionMatch:
    version: str
    start: int
    end: int
    announced: bool  # first in the heading or after a release word: a release, not a mention


def find_version(
    text: str, pattern: re.Pattern[str], skip: tuple[int, int] | None = None
) -> VersionMatch | None:
    """The first version in `text` outside the `skip` span (where a date stands)."""
    for match in pattern.finditer(text):
        group = "version" if "version" in pattern.groupindex else 0
        start, end = match.span(group)
        if skip and start < skip[1] and end > skip[0]:
            continue
        return VersionMatch(match.group(group), start, end, _is_announced(text, match.start()))
    return None


def _is_announced(text: str, start: int) -> bool:
    before = text[:start]
    if not _LEADING_NOISE.sub("", before):
        return True  # the heading starts with the version (emoji and punctuation aside)
    word = _WORD_BEFORE.search(before)
    return bool(word) and word.group(1).lower() in RELEASE_WORDS


_SEMVER = re.compile(r"v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


@functools.lru_cache(maxsize=65536)  # a site sorts the same few thousand versions again and again
def version_key(version: str) -> tuple:
    """A sort key: semantic versions by semver precedence, others naturally (2024-01 < 2024-01a)."""
    semver = _SEMVER.fullmatch(version)
    if semver:
        major, minor, patch, pre = semver.groups()
        core = (int(major), int(minor), int(patch))
        if pre is None:
            return (1, core, 1, ())
        return (1, core, 0, tuple(_identifier_key(part) for part in pre.split(".")))
    return (0, tuple(_identifier_key(token) for token in _TOKEN.findall(version)))


def _identifier_key(token: str) -> tuple[int, int | str]:
    # Numbers sort before words, and numerically among themselves.
    return (0, int(token)) if token.isdigit() else (1, token.lower())
