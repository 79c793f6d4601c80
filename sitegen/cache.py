"""The persistent build cache: results of pure per-page work, keyed by all they depend on.

Each entry is one small pickle file named by its key (a hash over the inputs: source
bytes, config, templates, i18n tables, sitegen version, and for pages that look at other
pages, those pages' addresses), so a stale entry can never be found, only orphaned. The
folder is safe to delete at any time; a broken or unreadable entry counts as a miss, and
an unwritable folder just means no cache. An in-memory layer in front of it keeps a
long-running `sitegen serve` off the disk.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from pathlib import Path
from typing import Any, Iterable

from sitegen import __version__

CACHE_DIR_NAME = ".sitegen-cache"
CACHE_ENV = "SITEGEN_CACHE_DIR"
FORMAT = "1"  # bump when the layout of cached values changes


def digest(*parts: Any) -> str:
    """A stable hash of strings, bytes and reprs of plain values."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def code_fingerprint() -> str:
    """sitegen's own code, so that cached pieces never outlive the code that made them
    (the version number alone does not change between commits)."""
    package = Path(__file__).parent
    stamps = sorted((str(p.relative_to(package)), p.stat().st_size, p.stat().st_mtime_ns)
                    for p in package.rglob("*.py"))
    return digest(__version__, FORMAT, stamps)


def files_digest(roots: Iterable[Path]) -> str:
    """Hash of every file's path and bytes under `roots` (templates, i18n tables: few and small)."""
    h = hashlib.blake2b(digest_size=20)
    for root in roots:
        if not root.is_dir():
            h.update(f"missing {root}\n".encode())
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            h.update(f"{path}\n".encode("utf-8", "surrogateescape"))
            h.update(path.read_bytes())
    return h.hexdigest()


def default_cache_dir(source: Path) -> Path | None:
    """$SITEGEN_CACHE_DIR, else SOURCE/.sitegen-cache; None for a site folder marked read-only
    (no write bit; root could write there anyway, but a shared or mounted site is not ours to change)."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    try:
        if not source.stat().st_mode & stat.S_IWUSR:
            return None
    except OSError:
        return None
    return source / CACHE_DIR_NAME


class BuildCache:
    """get/put of picklable values by (kind, key), on disk under `folder` and in memory."""

    def __init__(self, folder: Path | None, keep_in_memory: bool = False):
        self.folder = folder
        self.memory: dict[tuple[str, str], bytes] | None = {} if keep_in_memory else None
        self.hits = self.misses = 0
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                _write_ignore_file(folder)
            except OSError:
                self.folder = None  # read-only site: build without a disk cache

    @property
    def enabled(self) -> bool:
        """False with --ignoreCache (or an unwritable folder outside serve): keys need not be made."""
        return self.memory is not None or self.folder is not None

    def get(self, kind: str, key: str) -> Any | None:
        data = self.memory.get((kind, key)) if self.memory is not None else None
        if data is None and self.folder is not None:
            try:
                data = self._path(kind, key).read_bytes()
            except OSError:
                data = None
        if data is None:
            self.misses += 1
            return None
        try:
            value = pickle.loads(data)
        except Exception:  # a truncated or foreign file: a miss, rebuilt and overwritten
            self.misses += 1
            return None
        if self.memory is not None:
            self.memory[(kind, key)] = data
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        if self.memory is None and self.folder is None:
            return
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if self.memory is not None:
            self.memory[(kind, key)] = data
        if self.folder is None:
            return
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as handle:
                handle.write(data)
            os.replace(handle.name, path)  # whole or not at all, even if two builds race
        except OSError:
            pass

    def jinja_folder(self) -> Path | None:
        """Where Jinja keeps compiled templates (its own bytecode cache checks freshness)."""
        if self.folder is None:
            return None
        folder = self.folder / "jinja"
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            return None
        return folder

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / f"v{FORMAT}-{__version__}" / kind / key[:2] / key


def _write_ignore_file(folder: Path) -> None:
    """The cache never belongs in version control, wherever it is put."""
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
