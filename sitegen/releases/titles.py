"""Posts that are one release: the version stands in the post's slug or title, not in a heading.

The rule (the README's "Release posts" says the same): a post with no release headings of
its own and no `releases:` front matter is one release when its slug or its title
*announces* a version, the slug looked at first. A version is announced when

- it is all the slug or title is, or what it starts with (emoji and punctuation aside; in a
  slug, a date prefix `2017-04-11-` aside), e.g. `2022-05d`, "⚠️ 2022-05d Important
  Security Update! ⚠️", "2022-10a | Critical stability update";
- a release word stands just before it (the words that announce a version in a heading:
  Release, Update, Version, Hotfix, …), e.g. `release-2022-05d`, "Release v1.2.3";
- "released", "is released", "is out", "is available" or "ist erschienen" follows it,
  e.g. "Gitea 1.8.0 is released", `keepassxc-2.7.11-released`;
- the title opens with a release word and a colon and the version is within the next three
  words, e.g. "New Release: KeePassXC 2.7.11".

Any other version in a title is only mentioned ("Spamhaus DNS Blocklist changes since
2023-07", "Important Information about the 2022-04 Update"). A version another post
already releases (in the same language) is not released twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timezone

from sitegen.models import Page, Release, pack_text
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.decorate import release_meta
from sitegen.releases.detect import whole_post_html
from sitegen.releases.versions import RELEASE_WORDS, find_version

_WORD = re.compile(r"[^\W_]+")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[-_]")
_RELEASED_AFTER = re.compile(
    r"^[\W_]*(?:(?:is|has\s+been|ist)[\W_]+)?(?:released|out|available|erschienen)\b", re.IGNORECASE
)
_OPENING = re.compile(r"^[\W_]*(?:(?:new|neue[sr]?)\s+)?(?P<word>[^\W\d_]+)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Announcement:
    """What a slug or title says about a version."""

    version: str
    where: str  # "slug" or "title"
    text: str
    announced: bool


def post_release(
    page: Page, config: ReleaseConfig, taken: set[str], marked: bool = False
) -> Release | None:
    """The whole post as one release, if its slug or title announces a version not in
    `taken` (for a page without release headings; `releases:` front matter overrides).
    `marked`: the page was rendered with release marks (as the build renders it)."""
    if not config.enabled or page.front_matter.get("releases") not in (None, True):
        return None
    announcement = next((a for a in announcements(page, config) if a.announced), None)
    if announcement is None or announcement.version in taken:
        return None
    html = whole_post_html(page, config, marked)
    day = (
        page.date
        if page.date is None or page.date.tzinfo
        else page.date.replace(tzinfo=timezone.utc)
    )
    return Release(
        version=announcement.version,
        heading_id="",
        anchor="",
        date=day,
        title=page.title,
        level=0,
        line=page.body_line,
        packed_html=pack_text(html),
        page=page,
    )


def find_post_releases(
    pages: list[Page], config: ReleaseConfig, found: dict[int, list[Release]], marked: bool = False
) -> None:
    """Set `found[id(page)]` to the post release of each page that has none. A version
    released elsewhere in the same language is skipped; of two posts announcing one
    version, the one whose slug announces it wins, else the older post."""
    taken = {(p.lang, r.version) for p in pages for r in found[id(p)]}
    for page in sorted(pages, key=lambda page: _post_order(page, config)):
        if found[id(page)]:
            continue
        release = post_release(
            page, config, {version for lang, version in taken if lang == page.lang}, marked
        )
        if release is not None:
            found[id(page)] = [release]
            taken.add((page.lang, release.version))


def _post_order(page: Page, config: ReleaseConfig) -> tuple:
    by_slug = any(a.announced and a.where == "slug" for a in announcements(page, config))
    return (
        not by_slug,
        page.date.timestamp() if page.date else float("inf"),
        str(page.source.path if page.source else ""),
    )


def announcements(page: Page, config: ReleaseConfig) -> list[Announcement]:
    """The versions the page's slug and title carry, slug first, announced or not."""
    found = []
    slug = page_slug(page)
    version = _slug_version(slug, config)
    if version:
        found.append(Announcement(version[0], "slug", slug, version[1]))
    match = find_version(page.title, config.pattern)
    if match:
        announced = match.announced or _title_announces(page.title, match.start, match.end)
        found.append(Announcement(match.version, "title", page.title, announced))
    return found


def page_slug(page: Page) -> str:
    """The front matter `slug`, else the last part of the page's URL (its folder or file name)."""
    return page.slug or page.rel_permalink.rstrip("/").rsplit("/", 1)[-1]


def _title_announces(title: str, start: int, end: int) -> bool:
    """The title forms a heading does not have: "X 1.8.0 is released", "New Release: X 2.7.11"."""
    if _RELEASED_AFTER.match(title[end:]):
        return True
    opening = _OPENING.match(title)
    return (
        bool(opening)
        and opening.group("word").lower() in RELEASE_WORDS
        and opening.end() <= start
        and len(_WORD.findall(title[opening.end() : start])) <= 2
    )


def _slug_version(slug: str, config: ReleaseConfig) -> tuple[str, bool] | None:
    """(version, announced) for the first version that is a whole run of slug words."""
    body = _DATE_PREFIX.sub("", slug)
    cuts = [0] + [i + 1 for i, c in enumerate(body) if c in "-_"]
    ends = [i for i, c in enumerate(body) if c in "-_"] + [len(body)]
    for start in cuts:
        for end in ends:
            if end <= start:
                continue
            match = config.pattern.fullmatch(body[start:end])
            if match:
                version = (
                    match.group("version")
                    if "version" in config.pattern.groupindex
                    else match.group(0)
                )
                before = re.split(r"[-_]", body[:start].strip("-_")) if start else []
                after = body[end:].strip("-_").replace("-", " ").replace("_", " ")
                announced = (
                    (not before and not after)
                    or (bool(before) and before[-1].lower() in RELEASE_WORDS)
                    or bool(_RELEASED_AFTER.match(after))
                )
                return version, announced
    return None


def near_misses(
    page: Page, config: ReleaseConfig, released_elsewhere: dict[str, str]
) -> list[tuple[str, str]]:
    """Why a page without releases, whose slug or title carries a version, was not taken
    as one, as (version, reason); `released_elsewhere`: version -> the post that releases it."""
    reasons = []
    for a in announcements(page, config):
        if a.announced and a.version in released_elsewhere:
            reasons.append(
                (
                    a.version,
                    f"its {a.where} {a.text!r} announces {a.version}, which {released_elsewhere[a.version]} "
                    "already releases",
                )
            )
        elif not a.announced:
            reasons.append(
                (
                    a.version,
                    f"its {a.where} {a.text!r} mentions {a.version} but does not announce it (the version "
                    "neither starts it, follows a word like Release or Update, nor comes before 'released')",
                )
            )
    return reasons


def decorate_post_releases(
    html: str,
    releases: Iterable[Release],
    lang: str,
    translate=None,
    config: ReleaseConfig | None = None,
) -> str:
    """Put the date and compare link of each release that is the whole post (it has no
    heading to sit beside) at the top of the post."""
    meta = "".join(release_meta(r, lang, translate, config) for r in releases if not r.heading_id)
    return meta.lstrip("\n") + "\n" + html if meta else html
