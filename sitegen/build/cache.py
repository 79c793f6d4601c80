"""The persistent build cache: results of pure per-page work, keyed by all they depend on.

Entries live in one SQLite database in the cache folder, each a pickle under (kind, key),
the key a hash over its inputs (source bytes, config, templates, i18n tables, sitegen's
code, and for pages that look at other pages, those pages' addresses; what a render read
beyond that is kept with the entry and checked on reuse, sitegen.build.reads), so a stale entry
can never be found, only orphaned. One file instead of a file per entry: a 1,000-post site
has about 5,600 entries, and creating (and later deleting) that many small files cost a
fresh checkout's first build more time than all its rendering. Worker processes write
through connections of their own; SQLite's write-ahead log lets them and a concurrent
build share the file. The folder is safe to delete at any time; a broken or unreadable
entry counts as a miss (and is dropped), a damaged database is started afresh, and an
unwritable folder just means no cache. Entries are sealed (sitegen.build.signing): one that sitegen
did not write itself is never unpickled. An in-memory layer in front of it keeps a long-running
`sitegen serve` off the disk.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sqlite3
import stat
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from sitegen import __version__
from sitegen.build.signing import seal, unseal

CACHE_DIR_NAME = ".sitegen-cache"
CACHE_ENV = "SITEGEN_CACHE_DIR"
FORMAT = "3"  # bump when the layout of cached values changes
PAGE_SIZE = 16384  # of a new database


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
    return digest(__version__, FORMAT, _code_stamps())


@functools.cache
def _code_stamps() -> tuple[tuple[str, int, int], ...]:
    """Path, size and mtime of each of sitegen's modules, taken once per process: the code a
    process runs is what it imported, whatever happens to the files later (a build asks from
    several stages, a `sitegen serve` from every rebuild)."""
    package = Path(__file__).parents[1]  # the sitegen package, this module is in sitegen/build/
    stamps = []
    for path in package.rglob("*.py"):
        status = path.stat()
        stamps.append((str(path.relative_to(package)), status.st_size, status.st_mtime_ns))
    return tuple(sorted(stamps))


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
    """get/put of picklable values by (kind, key), in a database under `folder` and in memory."""

    def __init__(self, folder: Path | None, keep_in_memory: bool = False):
        self.folder = folder
        self.memory: dict[tuple[str, str], bytes] | None = {} if keep_in_memory else None
        self.hits = self.misses = 0
        self.used: set[tuple[str, str]] = set()  # (kind, key) looked up or put by this process
        # (process, thread) -> its connection. A forked worker opens its own; the one it
        # inherited stays referenced, since closing it could checkpoint and remove the
        # write-ahead log under the parent's feet.
        self._connections: dict[tuple[int, int], sqlite3.Connection | None] = {}
        if folder is not None:
            try:
                _make_cache_folder(folder)
            except OSError:
                self.folder = None  # read-only site: build without a disk cache

    @property
    def enabled(self) -> bool:
        """False with --ignoreCache (or an unwritable folder outside serve): keys need not be made."""
        return self.memory is not None or self.folder is not None

    def get(
        self, kind: str, key: str, expect: type | tuple[type, ...] | Callable[[Any], bool] = object
    ) -> Any | None:
        """The value put under (kind, key), or None: never written, not sealed by this user's
        sitegen, damaged, or not of the shape `expect` says (a type, or a test of the value);
        a damaged entry is dropped."""
        self.used.add((kind, key))
        data = self.memory.get((kind, key)) if self.memory is not None else None
        if data is None and self.folder is not None:
            sealed = self._read(kind, key)
            data = unseal(kind, key, sealed) if sealed is not None else None
            if data is None and sealed is not None:
                self._drop(kind, key)
        if data is None:
            self.misses += 1
            return None
        try:
            value = pickle.loads(data)
        except Exception:  # sealed but unreadable (another Python, a bug): a miss, made again
            value = None
        if value is None or not _has_shape(value, expect):
            self._drop(kind, key)
            self.misses += 1
            return None
        if self.memory is not None:
            self.memory[(kind, key)] = data
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        if self.memory is None and self.folder is None:
            return
        self.used.add((kind, key))
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if self.memory is not None:
            self.memory[(kind, key)] = data
        if self.folder is not None:
            self._write(kind, key, seal(kind, key, data))

    def note_used(self, kind: str, key: str) -> None:
        """(kind, key) is in use though not read now (a unit taken from the output as it is)."""
        self.used.add((kind, key))

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The puts of this process inside the block go into the database in one transaction
        (one commit instead of one per entry). Only where no other process of the build
        writes meanwhile: they would wait for the block to end."""
        connection = self._connection() if self.folder is not None else None
        began = False
        if connection is not None and not connection.in_transaction:
            try:
                connection.execute("BEGIN")
                began = True
            except sqlite3.Error:
                pass  # locked out: each put commits on its own, as outside a batch
        try:
            yield
        finally:
            if began:
                try:
                    connection.execute("COMMIT")  # the entries put so far are whole: keep them
                except sqlite3.Error:
                    try:
                        connection.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass

    def _drop(self, kind: str, key: str) -> None:
        if self.memory is not None:
            self.memory.pop((kind, key), None)
        connection = self._connection() if self.folder is not None else None
        if connection is not None:
            try:
                connection.execute("DELETE FROM entries WHERE kind = ? AND key = ?", (kind, key))
            except sqlite3.Error:
                pass

    def jinja_folder(self) -> Path | None:
        """Where the site's own templates are kept compiled (sitegen.build.bytecode; the built-in
        theme's live in the user's cache folder)."""
        if self.folder is None:
            return None
        folder = self.folder / "jinja"
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            return None
        return folder

    @property
    def database(self) -> Path | None:
        return self.folder / f"entries-v{FORMAT}.sqlite3" if self.folder is not None else None

    def _read(self, kind: str, key: str) -> bytes | None:
        connection = self._connection()
        if connection is None:
            return None
        try:
            row = connection.execute(
                "SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)
            ).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def _write(self, kind: str, key: str, data: bytes) -> None:
        connection = self._connection()
        if connection is None:
            return
        try:
            connection.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", (kind, key, data))
        except sqlite3.Error:
            pass  # a full disk or a locked-out writer: the entry is made again next time

    def _connection(self) -> sqlite3.Connection | None:
        """This process's and thread's connection, opened on first use; None if the
        database cannot be opened (a damaged file is replaced by an empty one first:
        everything in it can be made again)."""
        owner = (os.getpid(), threading.get_ident())
        if owner not in self._connections:
            self._connections[owner] = _open_database(self.database)
        return self._connections[owner]


def _has_shape(value: Any, expect: Any) -> bool:
    if isinstance(expect, type) or isinstance(expect, tuple):
        return isinstance(value, expect)
    try:
        return bool(expect(value))
    except Exception:
        return False


def _open_database(path: Path) -> sqlite3.Connection | None:
    try:
        return _connect(path)
    except sqlite3.OperationalError:
        return None  # unwritable, or locked for a minute: not the file's fault, leave it
    except sqlite3.DatabaseError:  # not a database (any more)
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return _connect(path)
        except (OSError, sqlite3.Error):
            return None


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit: each entry is written whole or not at all, with no transaction held open
    # against the other workers. The cache can always be made again, so writes skip fsync.
    connection = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        # Set before the file is made (an existing database keeps its own): entries are mostly
        # kilobytes of HTML, and on small pages each is a chain of overflow pages that SQLite
        # writes and links one by one. Larger pages would cost the workers' one-entry commits more.
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = OFF")
        # A rowid table: entries are kilobytes, and SQLite meant WITHOUT ROWID for small rows.
        connection.execute(
            "CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL,"
            " value BLOB NOT NULL, PRIMARY KEY (kind, key))"
        )
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def _make_cache_folder(folder: Path) -> None:
    """The cache folder, with a `.gitignore` of `*` when sitegen made the folder or finds it
    empty: the cache never belongs in version control, but a folder the user already keeps
    files in (`--cacheDir SITE`) is theirs, and sitegen writes nothing there but its entries."""
    if folder.is_dir() and any(folder.iterdir()):
        return
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
