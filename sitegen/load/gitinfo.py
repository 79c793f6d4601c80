"""`enableGitInfo`: a page's `lastmod` is the author date of the last commit that touched
its source file, as Hugo does.

The whole history is read in ONE `git log` pass (newest commit first; the first date seen
for a path is its last change), not one process per page. Two differences from Hugo's
defaults, both on purpose: a `lastmod` set in front matter wins over git (the author said
so explicitly), and outside a git checkout the build warns once and keeps the front
matter dates instead of failing.

That pass depends only on the commit HEAD names (and the files that cut or rewrite history),
which `head_state` reads from the repository's own files without running git, so a build can
keep the dates of an earlier one while HEAD stays put (sitegen.build.loading).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Callable

from sitegen.errors import Diagnostics
from sitegen.models import Page

# Each commit starts with a NUL-free marker line holding its author date (strict ISO 8601).
_COMMIT_MARK = "\x1ecommit "
_OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # SHA-1 or SHA-256
# Variables that point git elsewhere or change what history it walks: then only git can tell.
_GIT_ENVIRONMENT = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_REPLACE_REF_BASE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_GRAFT_FILE",
    "GIT_CONFIG",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
)


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


def head_state(folder: Path) -> str | None:
    """What `last_commit_dates(folder)` depends on, read from the files of the repository
    holding `folder`: its top, the commit HEAD resolves to, and the shallow and graft files
    (a fetch that deepens history, a graft, changes them). None when only git could tell: a
    `.git` file (a worktree or submodule), git variables in the environment, replace refs,
    an unborn or unreadable HEAD."""
    if any(name in os.environ for name in _GIT_ENVIRONMENT):
        return None
    folder = folder.resolve()
    for top in (folder, *folder.parents):
        git = top / ".git"
        if git.is_dir():
            break
        if os.path.lexists(git):
            return None
    else:
        return None
    try:
        commit = _resolve(git, (git / "HEAD").read_text(encoding="utf-8").strip())
        if commit is None or (git / "refs" / "replace").exists():
            return None
        cuts = [
            hashlib.blake2b((git / name).read_bytes()).hexdigest() if (git / name).exists() else "-"
            for name in ("shallow", "info/grafts")
        ]
    except (OSError, UnicodeDecodeError):
        return None
    return "\0".join([str(top), str(folder), commit, *cuts])


def _resolve(git: Path, head: str) -> str | None:
    """The commit id `head` (HEAD's text) names: itself, or its branch's loose or packed ref."""
    if _OBJECT_ID.fullmatch(head):
        return head
    if not head.startswith("ref: refs/"):
        return None
    ref = head[len("ref: ") :]
    loose = git / ref
    if loose.is_file():
        target = loose.read_text(encoding="utf-8").strip()
        return target if _OBJECT_ID.fullmatch(target) else None
    packed = git / "packed-refs"
    if not packed.is_file():
        return None  # a branch without commits yet
    text = packed.read_text(encoding="utf-8")
    if " refs/replace/" in text:
        return None
    for line in text.splitlines():
        target, _, name = line.partition(" ")
        if name == ref and _OBJECT_ID.fullmatch(target):
            return target
    return None


def last_commit_dates(folder: Path) -> dict[str, datetime]:
    """Absolute path (a string: a build keeps the dates, and strings load and hash faster
    than Paths) -> author date of the last commit touching it, for every file under `folder`
    that git has history for. Raises GitUnavailable outside a checkout."""
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


def _parse_log(output: str, root: Path) -> dict[str, datetime]:
    """Parse `git log --name-only -z` output: a marker line per commit, then NUL-separated paths."""
    dates: dict[str, datetime] = {}
    current: datetime | None = None
    for field in output.split("\0"):
        field = field.strip("\n")
        if _COMMIT_MARK in field:
            header, _, first_path = field.partition("\n")
            current = datetime.fromisoformat(header.split(_COMMIT_MARK, 1)[1].strip())
            field = first_path.strip("\n")
        if field and current is not None:
            dates.setdefault(os.path.join(root, field), current)
    return dates


def apply_git_lastmod(
    pages: list[Page],
    content_root: Path,
    diagnostics: Diagnostics,
    dates_of: Callable[[Path], dict[str, datetime]] = last_commit_dates,
) -> int:
    """Set `lastmod` of every page with a source file from git (`dates_of`: last_commit_dates,
    or one that remembers them), unless its front matter sets one. Returns how many pages
    got a git date; warns once when git cannot be read."""
    try:
        dates = dates_of(content_root)
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
        moment = dates.get(os.path.realpath(page.source.path))
        if moment is not None:
            page.source_lastmod = moment
            applied += 1
    return applied


def _front_matter_sets_lastmod(page: Page) -> bool:
    return any(
        str(key).lower() == "lastmod" and value not in (None, "")
        for key, value in page.front_matter.items()
    )
