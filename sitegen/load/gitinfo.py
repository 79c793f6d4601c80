"""`enableGitInfo`: a page's `lastmod` is the author date of the last commit that touched
its source file, as Hugo does.

The whole history is read in ONE `git log` pass (newest commit first; the first date seen
for a path is its last change), not one process per page. Two differences from Hugo's
defaults, both on purpose: a `lastmod` set in front matter wins over git (the author said
so explicitly), and outside a git checkout the build warns once and keeps the front
matter dates instead of failing.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from sitegen.errors import Diagnostics
from sitegen.models import Page

# Each commit starts with a NUL-free marker line holding its author date (strict ISO 8601).
_COMMIT_MARK = "\x1ecommit "


class GitUnavailable(Exception):
    """No git program, or the folder is not inside a git work tree."""


def repository_root(folder: Path) -> Path:
    """The top of the git work tree holding `folder`; raises GitUnavailable outside one."""
    git = shutil.which("git")
    if git is None:
        raise GitUnavailable("the git program is not installed")
    run = subprocess.run(
        [git, "-C", str(folder), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise GitUnavailable(f"{folder} is not inside a git checkout")
    return Path(run.stdout.strip()).resolve()


def last_commit_dates(folder: Path) -> dict[Path, datetime]:
    """Absolute path -> author date of the last commit touching it, for every file under
    `folder` that git has history for. Raises GitUnavailable outside a checkout."""
    root = repository_root(folder)
    run = subprocess.run(
        [
            "git",
            "-C",
            str(root),
            "-c",
            "core.quotepath=off",
            "log",
            "--no-renames",
            "--name-only",
            f"--format={_COMMIT_MARK}%aI",
            "-z",
            "--",
            str(folder.resolve()),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        check=False,
    )
    if run.returncode != 0:  # e.g. a fresh repository without commits
        return {}
    return _parse_log(run.stdout, root)


def _parse_log(output: str, root: Path) -> dict[Path, datetime]:
    """Parse `git log --name-only -z` output: a marker line per commit, then NUL-separated paths."""
    dates: dict[Path, datetime] = {}
    current: datetime | None = None
    for field in output.split("\0"):
        field = field.strip("\n")
        if _COMMIT_MARK in field:
            header, _, first_path = field.partition("\n")
            current = datetime.fromisoformat(header.split(_COMMIT_MARK, 1)[1].strip())
            field = first_path.strip("\n")
        if field and current is not None:
            dates.setdefault(root / field, current)
    return dates


def apply_git_lastmod(pages: list[Page], content_root: Path, diagnostics: Diagnostics) -> int:
    """Set `lastmod` of every page with a source file from git, unless its front matter sets
    one. Returns how many pages got a git date; warns once when git cannot be read."""
    try:
        dates = last_commit_dates(content_root)
    except GitUnavailable as reason:
        diagnostics.warn(
            f"enableGitInfo is set, but {reason}; using the front matter dates",
            content_root,
            hint="build from a git checkout, or set enableGitInfo = false",
        )
        return 0
    applied = 0
    for page in pages:
        if page.source is None or _front_matter_sets_lastmod(page):
            continue
        moment = dates.get(page.source.path.resolve())
        if moment is not None:
            page.source_lastmod = moment
            applied += 1
    return applied


def _front_matter_sets_lastmod(page: Page) -> bool:
    return any(
        str(key).lower() == "lastmod" and value not in (None, "")
        for key, value in page.front_matter.items()
    )
