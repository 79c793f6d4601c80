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
import pickle
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.build.signing import seal, unseal
from sitegen.write.output import StagedOutputs
from sitegen.write.published import PublishedFile, published_files


@dataclass(frozen=True)
class Unpublished:
    """An output unit a build publishes (sitegen.build.output_cache): what its render read
    (sitegen.build.reads) and the paths of its files."""

    reads: tuple[tuple[str, str], ...]
    digest: str
    rels: tuple[str, ...]


@dataclass(frozen=True)
class PublishedUnit:
    """An output unit as the last written build published it."""

    reads: tuple[tuple[str, str], ...]
    digest: str
    files: tuple[PublishedFile, ...]


@dataclass(frozen=True)
class Published:
    """What the last written build published to `destination`, by output unit key."""

    destination: Path
    units: dict[str, PublishedUnit]


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


def _published_path(cache_folder: Path, destination: Path) -> Path:
    return cache_folder / f"published-{_key(destination)}.pickle"


def remember_published(
    cache_folder: Path | None,
    destination: Path,
    units: dict[str, Unpublished],
    outputs: object,
) -> None:
    """Note, for the next build's output cache, how each unit's files lie in the output
    now that they are published. Only a unit whose files hold what it made counts: none that
    another output set again (or that is missing); and only from staged outputs, which know
    that (in memory, the next build reads the cache)."""
    if cache_folder is None or not isinstance(outputs, StagedOutputs):
        return
    destination = destination.resolve()
    published = {}
    for key, unit in units.items():
        if any(rel in outputs.overwritten for rel in unit.rels):
            continue
        files = published_files(destination, [(rel, outputs.head(rel)) for rel in unit.rels])
        if files is not None:
            published[key] = PublishedUnit(unit.reads, unit.digest, files)
    path = _published_path(cache_folder, destination)
    data = pickle.dumps(Published(destination, published), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        handle, temporary = tempfile.mkstemp(dir=cache_folder, prefix=".published-")
        with os.fdopen(handle, "wb") as out:
            out.write(seal("published", path.name, data))
        os.replace(temporary, path)
    except OSError:
        pass  # the next build reads the cache instead


def load_published(cache_folder: Path | None, destination: Path) -> Published | None:
    """What the last written build to `destination` published, if this user's sitegen
    noted it."""
    if cache_folder is None:
        return None
    path = _published_path(cache_folder, destination)
    try:
        data = unseal("published", path.name, path.read_bytes())
        value = pickle.loads(data) if data is not None else None
    except Exception:  # unreadable, or sealed by another sitegen's classes: not used
        return None
    return value if isinstance(value, Published) else None
