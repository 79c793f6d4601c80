"""Which files of the destination a build may drop: those an earlier build wrote.

Like Hugo, a build keeps files in its destination that it did not write (a hand-placed
`google1234.html`, a `CNAME`), unless `--cleanDestinationDir`. Unlike Hugo, the files the
last build wrote and this one no longer makes (a deleted post) go, so they do not linger:
the list of what was written is kept in the build cache, one file per destination. Without
a cache (or before the first written build) every file not overwritten is kept.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def _key(destination: Path) -> str:
    return hashlib.blake2b(
        str(destination.resolve()).encode("utf-8", "surrogateescape"), digest_size=8
    ).hexdigest()


def _list_path(cache_folder: Path, destination: Path) -> Path:
    return cache_folder / f"written-{_key(destination)}.txt"


def spare_folder(cache_folder: Path | None, destination: Path) -> Path | None:
    """Where the tree the last swap to `destination` retired is kept for the next build to
    stage in (sitegen.write.spare); None without a cache. In the cache folder: ignored by
    Git, deleted with the cache, and (usually) on the destination's file system."""
    return cache_folder / f"output-{_key(destination)}" if cache_folder is not None else None


def keep_rule(cache_folder: Path | None, destination: Path, clean: bool) -> Callable[[str], bool]:
    """keep(rel) for sitegen.write.output.write_site: False for all with `clean`, else True for
    files the last build to this destination did not write."""
    if clean:
        return lambda rel: False
    written = _read(cache_folder, destination) if cache_folder else None
    if written is None:
        return lambda rel: True
    return lambda rel: rel not in written


def remember_written(cache_folder: Path | None, destination: Path, rels: Iterable[str]) -> None:
    """Note the files this build wrote (outputs and copies), for the next build's keep_rule."""
    if cache_folder is None:
        return
    cache_folder.mkdir(parents=True, exist_ok=True)
    target = _list_path(cache_folder, destination)
    handle, temporary = tempfile.mkstemp(dir=cache_folder, prefix=".written-")
    with os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape") as out:
        out.writelines(f"{rel}\n" for rel in sorted(set(rels)))
    os.replace(temporary, target)


def _read(cache_folder: Path, destination: Path) -> set[str] | None:
    try:
        text = _list_path(cache_folder, destination).read_text(
            encoding="utf-8", errors="surrogateescape"
        )
    except OSError:
        return None
    return set(text.splitlines())
