"""Is the last build's output still current? Stamps of every input and of the output.

After a build is written, a small record goes into the build cache: a hash over the path,
size and modification time of every file the build could have read (the site's folder
without its output and cache, themes outside it, sitegen's own code and built-in themes,
git's HEAD and index), a hash of the same for the output folder as written, the options,
and the earliest moment a page becomes due or expires. A later build with the same options
whose stamps all match has nothing to do. Only stdlib imports: the check runs before any
of Markdown, Jinja or Pygments is imported, which costs more than the check itself.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

RECORD_NAME = "last-build.pickle"
SKIPPED_NAMES = frozenset({"__pycache__", ".git", ".sitegen-cache", ".DS_Store"})
GIT_FILES = ("HEAD", "index", "packed-refs", "logs/HEAD")  # a commit or checkout touches one of them
CODE_ROOT = Path(__file__).resolve().parent  # sitegen's code and built-in themes


def tree_stamp(roots: list[Path], skip: list[Path] = ()) -> str:
    """Hash of the path, size and mtime of every file under `roots`, leaving out `skip`
    folders, caches, and the staging folders that writing an output leaves beside it."""
    h = hashlib.blake2b(digest_size=20)
    skipped = {str(path) for path in skip}
    staging = tuple(f".{Path(path).name}.sitegen-" for path in skip)
    for root in roots:
        h.update(f"root {root}\n".encode("utf-8", "surrogateescape"))
        _walk(str(root), h, skipped, staging)
    return h.hexdigest()


def _walk(folder: str, h, skipped: set[str], staging: tuple[str, ...], top_hidden: bool = True) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        h.update(f"missing {folder}\n".encode("utf-8", "surrogateescape"))
        return
    for entry in entries:
        if entry.name in SKIPPED_NAMES or entry.path in skipped or entry.name.startswith(staging):
            continue
        if not top_hidden and entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                _walk(entry.path, h, skipped, staging)
                continue
            stat = entry.stat()
        except OSError:
            continue
        h.update(f"{entry.path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))


def output_stamp(destination: Path) -> str:
    """Hash of the output folder as written (hidden top-level entries, kept by deploy setups, aside)."""
    h = hashlib.blake2b(digest_size=20)
    _walk(str(destination), h, set(), (), top_hidden=False)
    return h.hexdigest()


def git_stamp(source: Path) -> str:
    parts = []
    for name in GIT_FILES:
        try:
            stat = (source / ".git" / name).stat()
            parts.append(f"{name} {stat.st_size} {stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{name} missing")
    return ";".join(parts)


@dataclass
class BuildRecord:
    """What a written build leaves behind for the next one to compare against."""

    options: tuple
    roots: list[Path]
    skip: list[Path]
    inputs: str  # tree_stamp(roots, skip) + git, taken before anything was read
    destination: Path
    due: datetime | None  # the next time a page's publish date or expiry date is reached
    year: int  # footers show the build's year
    folder: Path | None = None  # the build cache, where this record is kept
    summary: list[str] = field(default_factory=list)
    warnings: list[tuple] = field(default_factory=list)  # (message, path, line, hint)
    outputs: str = ""  # output_stamp(destination), once written

    def inputs_current(self, now: datetime) -> bool:
        """No input changed, no page became due and the year (in footers) is the same."""
        if now.year != self.year or (self.due is not None and now >= self.due):
            return False
        return self.inputs == input_stamp(self.roots, self.skip)

    def still_current(self, options: tuple, now: datetime) -> bool:
        """The written output is what a build with `options` would write now."""
        return (options == self.options and bool(self.outputs) and self.inputs_current(now)
                and self.outputs == output_stamp(self.destination))

    def save(self, folder: Path) -> None:
        self.outputs = output_stamp(self.destination)
        self.folder = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", delete=False) as handle:
                pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, folder / RECORD_NAME)
        except OSError:
            pass


def input_stamp(roots: list[Path], skip: list[Path]) -> str:
    return tree_stamp(roots, skip) + git_stamp(roots[0])


def load_record(folder: Path | None) -> BuildRecord | None:
    if folder is None:
        return None
    try:
        record = pickle.loads((folder / RECORD_NAME).read_bytes())
    except Exception:  # missing, damaged or from another version: build
        return None
    return record if isinstance(record, BuildRecord) else None


def forget_record(folder: Path | None) -> None:
    if folder is not None:
        try:
            (folder / RECORD_NAME).unlink()
        except OSError:
            pass


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
