"""A spool: byte strings one stage of the build makes for a later one, kept in an anonymous
temporary file rather than in memory.

The release stage makes every page's items of the release feed and of releases.json in its
workers; they are wanted only when those two files are written, and at 10,000 posts they
are some 200 MB. Held compressed (zlib, level 1) they cost about 4 % of a 1,000-post build's
CPU; in a file they cost the write and one read each, and no memory but the page cache's.
The file has no name (the system removes it when it is closed, or the process ends).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Hashable, Sequence
from typing import IO


class Spool:
    """key -> a tuple of byte strings, each tuple stored once and read back as often as asked."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._end = 0
        self._where: dict[Hashable, tuple[int, tuple[int, ...]]] = {}  # key -> offset, lengths

    def __setitem__(self, key: Hashable, parts: Sequence[bytes]) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile()
        data = b"".join(parts)
        os.pwrite(self._file.fileno(), data, self._end)
        self._where[key] = (self._end, tuple(len(part) for part in parts))
        self._end += len(data)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._where

    def __len__(self) -> int:
        return len(self._where)

    def get(self, key: Hashable) -> tuple[bytes, ...] | None:
        where = self._where.get(key)
        if where is None or self._file is None:
            return None
        offset, lengths = where
        data = os.pread(self._file.fileno(), sum(lengths), offset)
        parts, start = [], 0
        for length in lengths:
            parts.append(data[start : start + length])
            start += length
        return tuple(parts)

    def clear(self) -> None:
        """Forget every entry and give the file back."""
        if self._file is not None:
            self._file.close()
        self._file, self._end, self._where = None, 0, {}
