"""What the Markdown pass needs to know of a page's releases before any release is found:
which headings are release headings and whether the whole post may be one release
(`sitegen.content.markdown.rules.github_refs.ReleaseRefs`)."""

from __future__ import annotations

import re

from sitegen.content.markdown.rules.github_refs import ReleaseRefs
from sitegen.models import Page
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.detect import announces_release
from sitegen.releases.titles import announcements


def release_refs(page: Page, config: ReleaseConfig) -> ReleaseRefs | None:
    """The page's ReleaseRefs (None where it can have no releases): references in release
    sections are linked where the settings link them, release headings are marked."""
    declared = page.front_matter.get("releases")
    if page.kind != "page" or not config.enabled or declared is False:
        return None
    linking = config.link_refs and bool(config.repo)
    versions, heading_ids = _declared(declared)
    whole_post = isinstance(declared, list) or (
        declared in (None, True) and any(a.announced for a in announcements(page, config))
    )
    word = (
        re.compile("|".join(rf"(?<![\w.-]){re.escape(v)}(?![\w-])" for v in versions))
        if versions
        else None
    )

    def is_release(text: str) -> bool:
        return announces_release(text, config, page.lang) or (
            word is not None and word.search(text) is not None
        )

    return ReleaseRefs(
        is_release,
        (config.repo or "") if linking else "",
        f"https://{config.forge_host}",
        whole_post=whole_post,
        heading_ids=frozenset(heading_ids),
    )


def _declared(declared) -> tuple[list[str], list[str]]:
    """(versions declared without a heading, heading ids named) of front matter `releases:`."""
    if not isinstance(declared, list):
        return [], []
    entries = [entry for entry in declared if isinstance(entry, dict) and entry.get("version")]
    return (
        [str(e["version"]) for e in entries if not e.get("heading")],
        [str(e["heading"]) for e in entries if e.get("heading")],
    )
