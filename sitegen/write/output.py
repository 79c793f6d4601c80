"""Write a rendered site: the whole output folder is swapped in only after everything is
written, so a failed build never leaves a half-written or emptied `public/`.

Files whose bytes did not change are hard-linked from the previous output instead of
rewritten, so their modification times (and rsync/CDN uploads) stay put.

A build that will be written can put its files into the staging folder as it makes them
(`StagedOutputs`), so a large site's outputs never sit in memory all at once.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
import weakref
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from sitegen.errors import SiteError
from sitegen.safe.paths import confined
from sitegen.write.retire import remove_leftovers, swap


def check_destination(source: Path, destination: Path, content_dir: str = "content") -> None:
    source, destination = source.resolve(), destination.resolve()
    if destination == source:
        raise SiteError(
            "the destination is the site's own folder; building there would replace the site",
            destination,
            hint="choose another destination, e.g. -d public",
        )
    if source.is_relative_to(destination):
        raise SiteError(
            "the destination lies above the site's folder; building there would replace the site",
            destination,
            hint="choose a folder inside or beside the site, e.g. -d public",
        )
    if (destination / content_dir).exists() or (destination / "config.toml").exists():
        raise SiteError(
            "the destination looks like a site (it has content/ or config.toml); refusing to replace it",
            destination,
            hint="choose an empty folder or the site's public/",
        )


@dataclass(frozen=True)
class Receipt:
    """One file a worker process made (or, with `data`, could not make: another unit had
    made it first, or it came from the cache), for StagedOutputs.adopt in the parent."""

    rel: str
    size: int
    head: bytes
    written: int  # 1 written anew, 0 hard-linked from the previous output
    data: bytes | None = None


class StagedOutputs(MutableMapping):
    """relpath -> bytes, kept in a staging folder beside `destination` instead of in memory.

    Each file is written (or hard-linked from the previous output) when it is set and read
    back when asked for; with `minify`, it is minified first (sitegen.write.minify.minify_file),
    where it was made: in a render worker, the work is spread with the rendering. `publish`
    swaps the folder in; a result never published takes its staging folder with it when it
    is garbage-collected or the program ends."""

    def __init__(self, destination: Path, minify: bool = False):
        destination = destination.resolve()
        destination.parent.mkdir(parents=True, exist_ok=True)
        self.destination = destination
        self.minified = minify
        self.unminified: set[str] = set()  # files set by write_chunks, minified by minify_site
        if minify:
            from sitegen.write.minify import (
                minify_file,  # minify-html and oxipng load only when asked for
            )

            self._prepare: Callable[[str, bytes], bytes] = minify_file
        else:
            self._prepare = _as_made
        remove_leftovers(destination)
        self.folder = _make_staging_folder(destination)
        self._folders = {self.folder}  # folders of the staged tree made so far
        self.written = 0
        self._sizes: dict[str, int] = {}
        self._heads: dict[str, bytes] = {}
        self._cleanup = weakref.finalize(self, shutil.rmtree, str(self.folder), True)

    def __setitem__(self, rel: str, data: bytes) -> None:
        self.put_prepared(rel, self._prepare(rel, data))

    def put_prepared(self, rel: str, data: bytes) -> None:
        """Set a file as it is: minified already where the outputs are minified."""
        target = confined(self.folder, rel)
        if rel in self._sizes:
            target.unlink()  # it may be a hard link to the previous output: never write through it
        self._make_parent(target)
        self.written += _write_file(target, data, self.destination / rel)
        self._sizes[rel], self._heads[rel] = len(data), data[:64]
        self.unminified.discard(rel)

    def write_apart(self, rel: str, data: bytes) -> Receipt:
        """Write a file from a worker process, which cannot update this object's records:
        the parent adopts the receipt. A file already there is left alone and its bytes
        travel back instead (the parent decides which of two units making it wins)."""
        made, target = self._prepare(rel, data), confined(self.folder, rel)
        self._make_parent(target)
        try:
            written = _write_file(target, made, self.destination / rel, exclusive=True)
        except FileExistsError:
            return Receipt(
                rel, len(made), made[:64], 0, data
            )  # set again by adopt, which prepares it
        return Receipt(rel, len(made), made[:64], written)

    def adopt(self, receipts: Iterable[Receipt]) -> None:
        """Take over the workers' files, given in the order of the units that made them;
        where several made the same file, the last one wins, as with assignment."""
        receipts = list(receipts)
        last = {receipt.rel: receipt for receipt in receipts}
        for receipt in receipts:
            if receipt.data is None:
                self.written += receipt.written
                self._sizes[receipt.rel], self._heads[receipt.rel] = receipt.size, receipt.head
        for receipt in last.values():
            if receipt.data is not None:
                self[receipt.rel] = receipt.data

    def write_chunks(self, rel: str, chunks: Iterable[bytes]) -> None:
        """Set a file from pieces, never holding it whole (a hard link to the previous
        output if the bytes came out the same). With `minify`, it is noted in `unminified`
        for minify_site: minifying needs it whole, which for a large site's release feed (the
        largest file it writes) is better done after the render workers than before they fork."""
        if self.minified:
            self.unminified.add(rel)
        target = confined(self.folder, rel)
        if rel in self._sizes:
            target.unlink()
        self._make_parent(target)
        size, head = 0, b""
        with open(target, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                head = head if len(head) >= 64 else (head + chunk)[:64]
                size += len(chunk)
        self.written += _link_if_same(target, self.destination / rel, size)
        self._sizes[rel], self._heads[rel] = size, head

    def __getitem__(self, rel: str) -> bytes:
        if rel not in self._sizes:
            raise KeyError(rel)
        return (self.folder / rel).read_bytes()

    def __delitem__(self, rel: str) -> None:
        del self._sizes[rel], self._heads[rel]
        self.unminified.discard(rel)
        (self.folder / rel).unlink()

    def __iter__(self) -> Iterator[str]:
        return iter(self._sizes)

    def __len__(self) -> int:
        return len(self._sizes)

    def startswith(self, rel: str, prefix: bytes) -> bool:
        """Whether the file begins with `prefix` (up to 64 bytes), without reading it."""
        return self._heads[rel].startswith(prefix)

    def _make_parent(self, target: Path) -> None:
        """Make the folder `target` goes in, asking the file system once per folder."""
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)

    def discard(self) -> None:
        """The build failed: remove the staging folder now."""
        self._cleanup()

    def publish(
        self, copies: list[tuple[Path, str]], keep: Callable[[str], bool] | None = None
    ) -> int:
        """Add the copies and swap the folder in as the destination; return files written anew.
        Files of the old destination that this build did not make and `keep(rel)` accepts
        are hard-linked into the new tree first."""
        written = self.written
        try:
            for source, rel in copies:
                target = confined(self.folder, rel)
                self._make_parent(target)
                written += _copy_file(source, target, self.destination / rel)
            if keep is not None:
                _keep_other_files(self.destination, self.folder, keep)
            self._cleanup.detach()
            swap(self.folder, self.destination)
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self.folder = self.destination  # read back from where the files now are
        return written


def _as_made(rel: str, data: bytes) -> bytes:
    return data


def write_site(
    outputs: Mapping[str, bytes],
    copies: list[tuple[Path, str]],
    destination: Path,
    keep: Callable[[str], bool] | None = None,
) -> int:
    """Write outputs (relpath -> bytes) and copies (source file, relpath); return files written anew.
    Outputs already staged for `destination` are published as they are; others (in memory,
    or published elsewhere) are staged first. `keep`: see StagedOutputs.publish."""
    destination = destination.resolve()
    staged = outputs if isinstance(outputs, StagedOutputs) else None
    if staged is None or staged.destination != destination or staged.folder == destination:
        staged = StagedOutputs(destination)
        try:
            for rel, data in outputs.items():
                staged[rel] = data
        except BaseException:
            staged.discard()
            raise
    return staged.publish(copies, keep)


def write_chunks(outputs: MutableMapping[str, bytes], rel: str, chunks: Iterable[bytes]) -> None:
    """outputs[rel] = b"".join(chunks), streamed to disk where the outputs allow it."""
    if isinstance(outputs, StagedOutputs):
        outputs.write_chunks(rel, chunks)
    else:
        outputs[rel] = b"".join(chunks)


def _make_staging_folder(destination: Path) -> Path:
    """A fresh folder beside `destination`, with the mode the umask gives a new folder
    (mkdtemp makes it 0700, and the folder becomes `public/` itself: a web server running
    as another user could not read it, and `rsync -a` would carry the mode to the server)."""
    folder = Path(
        tempfile.mkdtemp(
            prefix=f".{destination.name}.sitegen-new-{os.getpid()}-", dir=destination.parent
        )
    )
    folder.chmod(0o777 & ~_current_umask())
    return folder


def _current_umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it
    os.umask(mask)
    return mask


def _link_if_same(target: Path, previous: Path, size: int) -> int:
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


def _write_file(target: Path, data: bytes, previous: Path, exclusive: bool = False) -> int:
    """Hard-link `previous` if it holds `data`, else write; `exclusive`: raise
    FileExistsError rather than replace a file already at `target`, whose folder exists."""
    try:
        if (
            previous.is_file()
            and previous.stat().st_size == len(data)
            and previous.read_bytes() == data
        ):
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


def _copy_file(source: Path, target: Path, previous: Path) -> int:
    try:
        if _same_file_contents(source, previous):
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


def _keep_other_files(destination: Path, staging: Path, keep: Callable[[str], bool]) -> None:
    """Hard-link into the staged tree the files of `destination` it lacks and `keep` accepts
    (a hand-placed verification file); hidden top-level entries go by write.retire.swap.
    Walks with plain strings: every file of the old output is looked at."""
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
            target = os.path.join(staging, rel)
            if os.path.lexists(target) or not keep(rel):
                continue
            try:
                os.makedirs(os.path.dirname(target), exist_ok=True)
            except OSError:
                continue  # the build made a file where this one's folder was: the build wins
            try:
                os.link(os.path.join(folder, name), target, follow_symlinks=False)
            except OSError:
                shutil.copy2(os.path.join(folder, name), target, follow_symlinks=False)


RACY_NS = 2_000_000_000  # more than any file system's timestamp granularity (FAT: 2 s)


def _same_file_contents(source: Path, previous: Path) -> bool:
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
