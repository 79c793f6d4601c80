"""One file into the staged tree: hard-linked from the previous output where that holds the
same bytes (its modification time, and rsync/CDN uploads, stay put), else written anew; and
the files of the previous output a build keeps although it did not make them."""

from __future__ import annotations

import filecmp
import os
import shutil
import stat
from pathlib import Path
from typing import Callable


def link_if_same(target: Path, previous: Path, size: int) -> int:
    """Replace the new file `target` by a hard link to `previous` if their bytes are equal;
    1 if `target` stays a file written anew, else 0."""
    try:
        if (
            previous.is_file()
            and previous.stat().st_size == size
            and filecmp.cmp(previous, target, shallow=False)
        ):
            link = target.with_name(target.name + ".sitegen-link")
            os.link(previous, link)
            os.replace(link, target)
            return 0
    except OSError:
        pass
    return 1


def holding(previous: Path, data: bytes) -> int | None:
    """The inode of `previous` if it is a file holding exactly `data`, else None."""
    try:
        status = os.stat(previous)
        if not stat.S_ISREG(status.st_mode) or status.st_size != len(data):
            return None
        with open(previous, "rb") as handle:
            return status.st_ino if handle.read() == data else None
    except OSError:
        return None


def write_file(
    target: Path, data: bytes, previous: Path, exclusive: bool = False, live: int | None = -1
) -> int:
    """Hard-link `previous` if it holds `data` (`live`: what holding said of it, when it
    was asked already), else write; `exclusive`: raise FileExistsError rather than replace a
    file already at `target`, whose folder exists."""
    if live == -1:
        live = holding(previous, data)
    if live is not None:
        try:
            os.link(previous, target)
            return 0
        except FileExistsError:
            if exclusive:
                raise
        except OSError:
            pass
    try:
        with open(target, "xb" if exclusive else "wb") as handle:
            handle.write(data)
    except OSError as error:  # e.g. a full disk: name the file as the user knows it
        error.filename = error.filename if isinstance(error, FileExistsError) else str(previous)
        raise
    return 1


def copy_file(source: Path, target: Path, previous: Path, same: bool | None = None) -> int:
    """Hard-link `previous` if it holds the source's bytes (`same`: what same_file_contents
    said of it, when it was asked already), else copy the source."""
    try:
        if same if same is not None else same_file_contents(source, previous):
            os.link(previous, target)
            return 0
    except OSError:
        pass
    try:
        shutil.copy2(source, target)
    except OSError as error:
        error.filename = str(previous)
        raise
    return 1


def keep_other_files(
    destination: Path,
    staging: Path,
    keep: Callable[[str], bool],
    made: set[str],
    old: dict[str, int],
) -> None:
    """Hard-link into the staged tree the files of `destination` this build did not make
    (`made`) and `keep` accepts (a hand-placed verification file), unless the spare's file
    there (`old`, which loses the ones kept) is that file already; hidden top-level entries
    go by write.retire.swap. Walks with plain strings: every file of the old output is looked at."""
    if not destination.is_dir():
        return
    root = str(destination)
    for folder, dirs, files in os.walk(root):
        prefix = folder[len(root) + 1 :].replace(os.sep, "/") + "/"
        if folder == root:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            files = [f for f in files if not f.startswith(".")]
            prefix = ""
        for name in files:
            rel = prefix + name
            if rel in made or not keep(rel):
                continue
            source, target = os.path.join(folder, name), os.path.join(staging, rel)
            inode = old.pop(rel, None)
            if inode is not None:
                if os.lstat(source).st_ino == inode:
                    continue
                os.unlink(target)
            try:
                os.makedirs(os.path.dirname(target), exist_ok=True)
            except OSError:
                continue  # the build made a file where this one's folder was: the build wins
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:
                shutil.copy2(source, target, follow_symlinks=False)


RACY_NS = 2_000_000_000  # more than any file system's timestamp granularity (FAT: 2 s)


def same_file_contents(source: Path, previous: Path) -> bool:
    """Whether the previous output's copy still holds the source's bytes. Its stamp shows it
    when the copy has the source's size and mtime (copy2 keeps it) and the source has not
    changed since the copy was made or last carried over (its change time, which `cp -p`,
    `rsync -a` and `tar x` cannot keep, is older than the copy's by more than the timestamp
    granularity); otherwise the bytes are compared."""
    old, new = previous.stat(), source.stat()
    if old.st_size != new.st_size:
        return False
    if old.st_mtime_ns == new.st_mtime_ns and new.st_ctime_ns < old.st_ctime_ns - RACY_NS:
        return True
    return filecmp.cmp(source, previous, shallow=False)
