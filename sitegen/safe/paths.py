"""Keep every output inside the output folder and every input inside the site.

Content from strangers (a post sent by pull request) chooses URLs, slugs, aliases and
taxonomy terms, and each of them becomes a file path. `clean_url` normalises a URL path the
way Hugo does (`..` cannot climb above the root, control characters dropped), so a page's
links and its file agree; `confined` is the last check where a file is written; and
`leaves_site` finds symlinks in content/ and static/ that point outside the site (Hugo
publishes none of them).
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

from sitegen.errors import SiteError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_url(url: str) -> str:
    """An absolute URL path with `.` and `..` resolved against the root and control characters
    removed, keeping a trailing slash: "/../../tmp/x/" -> "/tmp/x/" (as Hugo publishes it)."""
    url = _CONTROL.sub("", url)
    cleaned = posixpath.normpath("/" + url.lstrip("/"))
    if cleaned.startswith("//"):  # normpath keeps a leading "//"
        cleaned = "/" + cleaned.lstrip("/")
    if url.endswith("/") and cleaned != "/":
        cleaned += "/"
    return cleaned


def has_nul(value: object) -> bool:
    """Whether a front matter value (or any string in a list of them) holds a NUL character,
    which no file name can carry (Hugo fails on it too)."""
    values = value if isinstance(value, (list, tuple)) else [value]
    return any(isinstance(v, str) and "\x00" in v for v in values)


def confined(folder: Path, rel: str) -> Path:
    """`folder / rel`, refusing any `rel` that would put the file elsewhere (absolute, `..`,
    NUL). The one check every written output passes. (The folder is a fresh staging folder
    that only sitegen writes to, so no symlink inside it can lead out.)"""
    target = Path(os.path.normpath(folder / rel)) if "\x00" not in rel else None
    if (
        target is None
        or posixpath.isabs(rel)
        or ".." in rel.split("/")
        or not target.is_relative_to(folder)
        or target == folder
    ):
        raise SiteError(
            f"refusing to write {rel!r}: it lies outside the output folder",
            folder,
            hint="a url, slug, alias, taxonomy term or file name names a place outside the site; "
            "change it to a path inside the site",
        )
    return target


def leaves_site(path: Path, site: Path) -> bool:
    """Whether `path` is a symlink (or lies under one) whose target is outside `site`."""
    return not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(site))
