"""Files of the live output that a build publishes again as they are: what the last written
build published for an output unit whose key and reads are unchanged (sitegen.build.output_cache
finds them from that build's list, sitegen.build.destination keeps it), taken while each
file still has the inode, size and modification time it was published with. The staging
folder links them (StagedOutputs.update); their bytes are read only where asked for.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


@dataclass(frozen=True)
class PublishedFile:
    """One file as the last written build left it in the output."""

    rel: str
    inode: int
    size: int
    mtime_ns: int
    head: bytes  # its first 64 bytes (StagedOutputs.startswith)


class PublishedFiles(Mapping):
    """relpath -> bytes of published files, read from the output folder when asked for."""

    def __init__(self, destination: Path, files: tuple[PublishedFile, ...]):
        self.destination, self.files = destination, files

    def __getitem__(self, rel: str) -> bytes:
        if not any(file.rel == rel for file in self.files):
            raise KeyError(rel)
        return (self.destination / rel).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return (file.rel for file in self.files)

    def __len__(self) -> int:
        return len(self.files)


def live_files(destination: Path, files: tuple[PublishedFile, ...]) -> PublishedFiles | None:
    """The files, if every one is still in `destination` as it was published; else None."""
    for file in files:
        try:
            status = os.lstat(destination / file.rel)
        except OSError:
            return None
        if (status.st_ino, status.st_size, status.st_mtime_ns) != (
            file.inode,
            file.size,
            file.mtime_ns,
        ):
            return None
    return PublishedFiles(destination, files)


def published_files(
    destination: Path, heads: list[tuple[str, bytes]]
) -> tuple[PublishedFile, ...] | None:
    """How the files named in `heads` (relpath, first bytes) lie in `destination` now that
    they are published; None if one of them is not there."""
    found = []
    for rel, head in heads:
        try:
            status = os.lstat(destination / rel)
        except OSError:
            return None
        found.append(PublishedFile(rel, status.st_ino, status.st_size, status.st_mtime_ns, head))
    return tuple(found)
