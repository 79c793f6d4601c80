"""`sitegen build --gc`: the build cache keeps only what the build just used.

A stale entry is never found again (its key names everything it was made from), but it stays
in the database: every edited post leaves its old content and outputs behind, every sitegen
upgrade the whole site's. A CI that keeps the cache between
runs (Hugo's own workflow runs `hugo --gc --minify`) would carry them forever. After a
successful build, --gc drops every entry that build neither read nor wrote, and gives the
freed space back to the file system once a quarter of the file is free.

Entries of other builds sharing the cache (`sitegen serve`, drafts) go too; they are made
again when next needed, which is all a cache entry ever costs.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sitegen.build.cache import BuildCache

BATCH = 500  # rowids per DELETE: below SQLite's limit of bound parameters


@dataclass(frozen=True)
class Collected:
    removed: int  # entries dropped
    freed: int  # bytes of their values
    kept: int  # entries left
    file_bytes: int  # the database's size afterwards (its write-ahead log included)

    def summary(self) -> str:
        return (
            f"gc: removed {self.removed} unused cache entries ({_megabytes(self.freed)}); "
            f"{self.kept} kept, {_megabytes(self.file_bytes)} on disk"
        )


def collect_garbage(cache: BuildCache) -> Collected | None:
    """Drop the entries of `cache` that this process did not use; None without a database."""
    database = cache.database
    if database is None or not database.is_file():
        return None
    with sqlite3.connect(database, timeout=60, isolation_level=None) as connection:
        rows = connection.execute("SELECT rowid, kind, key, length(value) FROM entries").fetchall()
        unused = [(rowid, size) for rowid, kind, key, size in rows if (kind, key) not in cache.used]
        connection.execute("BEGIN IMMEDIATE")
        for start in range(0, len(unused), BATCH):
            rowids = [rowid for rowid, _ in unused[start : start + BATCH]]
            connection.execute(
                f"DELETE FROM entries WHERE rowid IN ({','.join('?' * len(rowids))})", rowids
            )
        connection.execute("COMMIT")
        free, pages = (
            connection.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("freelist_count", "page_count")
        )
        if free * 4 >= pages:
            connection.execute("VACUUM")
        # The log holds the deleted pages (and a vacuum's whole copy): fold it into the file.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    on_disk = sum(
        path.stat().st_size
        for path in (database, database.with_name(database.name + "-wal"))
        if path.exists()
    )
    return Collected(
        removed=len(unused),
        freed=sum(size for _, size in unused),
        kept=len(rows) - len(unused),
        file_bytes=on_disk,
    )


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"
