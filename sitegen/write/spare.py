"""The spare output tree: the tree a swap retired, kept in the build cache to become the next
build's staging folder. A build then changes in it only the files that differ from the output
it replaces, instead of making every folder and hard link of the site anew (and removing the
old tree after it); the swap is still write/retire.py's one-step exchange.

Nothing in a spare is taken on trust: a file stays only where it is the very file (the same
inode: a hard link) the live output holds and this build made the same bytes, and whatever
the build did not make is removed before the swap. A spare is claimed by renaming it to the
build's own staging name, so two builds never share one.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SpareTree:
    """What a claimed spare holds: files (anything that is not a real folder, symlinks
    too) by path relative to its root with their inode, and its real folders (absolute)."""

    files: dict[str, int] = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)


def claim_spare(spare: Path | None, staging: Path) -> SpareTree | None:
    """Move the spare to `staging` (which must not exist) and list it; None where there is
    none to claim (then nothing moved)."""
    if spare is None:
        return None
    try:
        if not stat.S_ISDIR(os.lstat(spare).st_mode):
            return None
        os.rename(spare, staging)
    except OSError:  # none there, another build took it, or another file system
        return None
    tree = SpareTree(folders={str(staging)})
    _list(str(staging), "", tree)
    return tree


def _list(folder: str, prefix: str, tree: SpareTree) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                tree.folders.add(entry.path)
                _list(entry.path, f"{prefix}{entry.name}/", tree)
            else:
                tree.files[prefix + entry.name] = entry.inode()


def keep_as_spare(retired: Path, spare: Path | None) -> bool:
    """Put the tree a swap retired where the next build claims its spare; False (nothing
    moved) where it cannot go there: no spare wanted, one there already, another file system."""
    if spare is None:
        return False
    try:
        os.rename(retired, spare)
    except OSError:
        return False
    return True


def put_back(folder: Path, spare: Path | None) -> None:
    """A staging folder that will not be published: kept as the spare where one is wanted
    (whatever it holds, the next build checks every file), else removed."""
    if not keep_as_spare(folder, spare):
        shutil.rmtree(folder, ignore_errors=True)


def prune(folder: Path, files: list[str]) -> None:
    """Remove these files of the staged tree (what the spare held and this build did not
    make) and the folders they leave empty."""
    emptied: set[str] = set()
    root = str(folder)
    for rel in files:
        path = os.path.join(root, rel)
        try:
            os.unlink(path)
        except IsADirectoryError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue  # gone with a folder removed before it
        emptied.add(os.path.dirname(path))
    for parent in sorted(emptied, key=len, reverse=True):
        while parent != root:
            try:
                os.rmdir(parent)
            except OSError:
                break  # not empty: it holds files of this build
            parent = os.path.dirname(parent)
