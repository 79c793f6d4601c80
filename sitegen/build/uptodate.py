"""Is the last build's output still current? Stamps of every input and of the output.

After a build is written, a small record goes into the build cache: a hash over the path,
size, modification and change times and inode of every file the build could have read (the
site's folder without its output and cache, every input folder the config names wherever it
lives, themes outside it, sitegen's own code and built-in themes, git's HEAD and index), a hash of the same for each file the build wrote into the output
(files it did not write, it keeps as they are whatever happens to them), the options,
and the earliest moment a page becomes due or expires. A later build with the same options
whose stamps all match has nothing to do. A file changed within the file system's timestamp
granularity of the stamp being taken could change again unseen (same size, same tick), so
the record also keeps such files' content hashes and checks them (git's "racy clean" rule).
The record is sealed like every cache entry (sitegen.build.signing). Only stdlib imports: the check runs before any
of Markdown, Jinja or Pygments is imported, which costs more than the check itself.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sitegen.build.signing import seal, unseal
from sitegen.errors import SiteError

RECORD_NAME = "last-build.pickle"
SKIPPED_NAMES = frozenset({"__pycache__", ".git", ".sitegen-cache", ".DS_Store"})
GIT_FILES = (
    "HEAD",
    "index",
    "packed-refs",
    "logs/HEAD",
)  # a commit or checkout touches one of them
CODE_ROOT = Path(__file__).resolve().parents[1]  # sitegen's code and built-in themes
RACY_SECONDS = 2.0  # more than any file system's timestamp granularity sitegen expects (FAT: 2 s)
DATE_ENV = "SOURCE_DATE_EPOCH"  # reproducible-builds.org: the build's date, in Unix seconds


def tree_stamp(roots: list[Path], skip: list[Path] = ()) -> str:
    """Hash of the path, size and mtime of every file under `roots`, leaving out `skip`
    folders, caches, and the staging folders that writing an output leaves beside it."""
    return _tree_stamp(roots, skip)[0]


def _tree_stamp(
    roots: list[Path], skip: list[Path] = (), recent_since: float = float("inf")
) -> tuple[str, list[str]]:
    """(stamp, the files modified or changed at `recent_since` (ns) or later)."""
    h = _Stamp(recent_since)
    skipped = {str(path) for path in skip}
    staging = tuple(f".{Path(path).name}.sitegen-" for path in skip)
    for root in roots:
        h.update(f"root {root}\n".encode("utf-8", "surrogateescape"))
        _walk(str(root), h, skipped, staging)
    return h.hexdigest(), h.recent


class _Stamp:
    """A hash of file stamps that also lists the files changed since `recent_since` (ns)."""

    def __init__(self, recent_since: float = float("inf")):
        self._hash = hashlib.blake2b(digest_size=20)
        self.recent_since = recent_since
        self.recent: list[str] = []

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _walk(folder: str, h, skipped: set[str], staging: tuple[str, ...]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        h.update(f"missing {folder}\n".encode("utf-8", "surrogateescape"))
        return
    for entry in entries:
        if entry.name in SKIPPED_NAMES or entry.path in skipped or entry.name.startswith(staging):
            continue
        try:
            if entry.is_dir():
                _walk(entry.path, h, skipped, staging)
                continue
            stat = entry.stat()
        except OSError:
            continue
        h.update(
            f"{entry.path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}\n".encode(
                "utf-8", "surrogateescape"
            )
        )
        if max(stat.st_mtime_ns, stat.st_ctime_ns) >= h.recent_since:
            h.recent.append(entry.path)


def output_stamp(destination: Path, rels: Iterable[str]) -> str:
    """Hash of the files a build wrote (`rels`, under `destination`) as they lie there now:
    type, size, modification and change times and inode of each (lstat), or that it is
    missing. Files the build did not write are left out: every build keeps them as they are
    (a `CNAME`, a deploy setup's `.git`), so adding one needs no build; and listing the
    whole output (a folder per page: 522 on the blog) cost 7-20 ms, several times the lstat
    of each written file."""
    base = str(destination)
    lines = []
    for rel in rels:
        try:
            status = os.lstat(os.path.join(base, rel))
        except OSError:
            lines.append(f"{rel}\0missing\n")
            continue
        lines.append(
            f"{rel}\0{status.st_mode}\0{status.st_size}\0{status.st_mtime_ns}"
            f"\0{status.st_ctime_ns}\0{status.st_ino}\n"
        )
    return hashlib.blake2b(
        "".join(lines).encode("utf-8", "surrogateescape"), digest_size=20
    ).hexdigest()


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
    outputs: str = ""  # output_stamp(destination, written), once written
    written: tuple[str, ...] = ()  # the files the build wrote, relative to destination
    racy: dict[str, str] = field(
        default_factory=dict
    )  # inputs changed just before the stamp -> content hash
    date_parts: dict[str, str] = field(
        default_factory=dict
    )  # what templates read of the build date -> value

    def inputs_stale(self, now: datetime) -> str | None:
        """Why the inputs are not what they were (an input changed, a page became due, what
        the pages show of the build date differs now: the year always counts), or None."""
        if now.year != self.year:
            return f"it is {now.year} now, and pages show the build's year"
        if self.due is not None and now >= self.due:
            return f"a page's publish or expiry date ({self.due.isoformat()}) has come"
        for name, value in self.date_parts.items():
            if (
                moment_part(now, name) != value
            ):  # e.g. a page shows the build's month, and it is another now
                return f"pages show the build date's {'value' if name == '*' else name}, which differs now"
        if self.inputs != input_stamp(self.roots, self.skip):
            return "a file the site is built from changed"
        for path, known in self.racy.items():
            if content_hash(path) != known:
                return f"{path} changed within its timestamp's granularity"
        return None

    def written_stale(self, options: tuple, now: datetime) -> str | None:
        """Why the written output is not what a build with `options` would write now, or None."""
        if options != self.options:
            return "the build's options differ from the last build's"
        if not self.outputs:
            return "the last build's output was not written"
        if (stale := self.inputs_stale(now)) is not None:
            return stale
        if self.outputs != output_stamp(self.destination, self.written):
            return "the output folder changed since the last build wrote it"
        return None

    def save(self, folder: Path, written: Iterable[str]) -> None:
        """Keep the record in `folder`, with the stamp of the files the build `written`."""
        self.written = tuple(sorted(set(written)))
        self.outputs = output_stamp(self.destination, self.written)
        self.folder = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", delete=False) as handle:
                handle.write(
                    seal(
                        "record", RECORD_NAME, pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)
                    )
                )
            os.replace(handle.name, folder / RECORD_NAME)
        except OSError:
            pass


def input_stamp(roots: list[Path], skip: list[Path]) -> str:
    return tree_stamp(roots, skip) + git_stamp(roots[0])


def stamp_inputs(roots: list[Path], skip: list[Path]) -> tuple[str, dict[str, str]]:
    """(input_stamp, {path: content hash} of the files changed too recently for their stamp
    to prove that they did not change again)."""
    stamp, recent = _tree_stamp(roots, skip, recent_since=time.time_ns() - RACY_SECONDS * 1e9)
    return stamp + git_stamp(roots[0]), {path: content_hash(path) for path in recent}


def moment_part(moment: datetime, name: str) -> str:
    """What a template sees of `moment` when it reads its attribute `name` ("*": all of it;
    a method, such as strftime, can show all of it too)."""
    whole = datetime.isoformat(moment)
    if name == "*" or not hasattr(datetime, name):
        return whole if name == "*" else "missing"
    part = datetime.__getattribute__(moment, name)
    return whole if callable(part) else repr(part)


def content_hash(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=20)).hexdigest()
    except OSError:
        return "unreadable"


def load_record(folder: Path | None) -> BuildRecord | None:
    if folder is None:
        return None
    try:
        data = unseal("record", RECORD_NAME, (folder / RECORD_NAME).read_bytes())
        record = (
            pickle.loads(data) if data is not None else None
        )  # never a pickle sitegen did not write
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
    """The build's moment: $SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    setting = os.environ.get(DATE_ENV, "").strip()
    if not setting:
        return datetime.now(timezone.utc)
    try:
        return datetime.fromtimestamp(int(setting), timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise SiteError(
            f"{DATE_ENV}={setting!r} is not a date in whole seconds since 1970",
            hint=f"set {DATE_ENV} to e.g. $(git log -1 --format=%ct), or unset it",
        ) from None
