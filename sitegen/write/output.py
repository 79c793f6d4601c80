"""Write a rendered site: the whole output folder is swapped in only after everything is
written, so a failed build never leaves a half-written or emptied `public/`.

Files whose bytes did not change are hard-linked from the previous output instead of
rewritten, so their modification times (and rsync/CDN uploads) stay put. Given a spare
(write/spare.py: the tree the last swap retired), the staging folder is that tree, and only
what differs from the output it replaces is changed in it.

A build that will be written can put its files into the staging folder as it makes them
(`StagedOutputs`), so a large site's outputs never sit in memory all at once.
"""

from __future__ import annotations

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
from sitegen.write.files import (
    copy_file,
    holding,
    keep_other_files,
    link_if_same,
    same_file_contents,
    write_file,
)
from sitegen.write.published import PublishedFiles
from sitegen.write.retire import remove_leftovers, swap
from sitegen.write.spare import SpareTree, claim_spare, prune, put_back


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
    claimed: bool = False  # made over a spare's file, its name claimed by a marker beside it


class StagedOutputs(MutableMapping):
    """relpath -> bytes, kept in a staging folder beside `destination` instead of in memory.

    Each file is written (or hard-linked from the previous output) when it is set and read
    back when asked for; with `minify`, it is minified first (sitegen.write.minify.minify_file),
    where it was made: in a render worker, the work is spread with the rendering. `publish`
    swaps the folder in; a result never published takes its staging folder with it when it
    is garbage-collected or the program ends."""

    def __init__(self, destination: Path, minify: bool = False, spare: Path | None = None):
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
        self.spare = spare
        self.folder = _staging_name(destination)
        old = claim_spare(spare, self.folder)
        if old is None:
            self.folder = _make_staging_folder(destination)
            old = SpareTree(folders={str(self.folder)})
        self._old = old.files  # the spare's files this build has not yet made or kept
        self._folders = old.folders  # the staged tree's folders, made or found
        self.written = 0
        self._sizes: dict[str, int] = {}
        self._heads: dict[str, bytes] = {}
        self.overwritten: set[str] = set()  # files set more than once (the last one stays)
        self._cleanup = weakref.finalize(self, put_back, self.folder, spare)

    def __setitem__(self, rel: str, data: bytes) -> None:
        self.put_prepared(rel, self._prepare(rel, data))

    def put_prepared(self, rel: str, data: bytes) -> None:
        """Set a file as it is: minified already where the outputs are minified."""
        target, previous = confined(self.folder, rel), self.destination / rel
        live = holding(previous, data)
        if live is not None and rel not in self._sizes and self._old.get(rel) == live:
            del self._old[rel]  # the spare's file is the live one, which holds these bytes
        else:
            self._clear(rel, target)
            self._make_parent(rel, target)
            self.written += write_file(target, data, previous, live=live)
        self._sizes[rel], self._heads[rel] = len(data), data[:64]
        self.unminified.discard(rel)

    def update(self, other=(), /, **more) -> None:
        """Set many files; published files (write/published.py) are linked from the output
        as they are, without reading them."""
        if not isinstance(other, PublishedFiles):
            return super().update(other, **more)
        for file in other.files:
            rel, live = file.rel, self.destination / file.rel
            target = confined(self.folder, rel)
            if rel not in self._sizes and self._old.get(rel) == file.inode:
                del self._old[rel]  # the spare's file is the published one
            else:
                self._clear(rel, target)
                self._make_parent(rel, target)
                os.link(live, target)
            self._sizes[rel], self._heads[rel] = file.size, file.head
            self.unminified.discard(rel)

    def write_apart(self, rel: str, data: bytes) -> Receipt:
        """Write a file from a worker process, which cannot update this object's records:
        the parent adopts the receipt. A file already there is left alone and its bytes
        travel back instead (the parent decides which of two units making it wins). Over a
        spare's file, a marker beside it, made as exclusively, decides who made it first."""
        made, target = self._prepare(rel, data), confined(self.folder, rel)
        claimed = rel in self._old
        try:
            if claimed:
                _make_marker(target)
                target.unlink(missing_ok=True)
            self._make_parent(rel, target)
            written = write_file(target, made, self.destination / rel, exclusive=True)
        except FileExistsError:
            return Receipt(
                rel, len(made), made[:64], 0, data
            )  # set again by adopt, which prepares it
        return Receipt(rel, len(made), made[:64], written, claimed=claimed)

    def adopt(self, receipts: Iterable[Receipt]) -> None:
        """Take over the workers' files, given in the order of the units that made them;
        where several made the same file, the last one wins, as with assignment."""
        receipts = list(receipts)
        last = {receipt.rel: receipt for receipt in receipts}
        for receipt in receipts:
            if receipt.data is None:
                if receipt.rel in self._sizes:
                    self.overwritten.add(receipt.rel)
                self.written += receipt.written
                self._sizes[receipt.rel], self._heads[receipt.rel] = receipt.size, receipt.head
            if receipt.claimed:
                self._old.pop(receipt.rel, None)
                _marker(confined(self.folder, receipt.rel)).unlink(missing_ok=True)
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
        self._clear(rel, target)
        self._make_parent(rel, target)
        size, head = 0, b""
        with open(target, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                head = head if len(head) >= 64 else (head + chunk)[:64]
                size += len(chunk)
        self.written += link_if_same(target, self.destination / rel, size)
        self._sizes[rel], self._heads[rel] = size, head

    def __getitem__(self, rel: str) -> bytes:
        if rel not in self._sizes:
            raise KeyError(rel)
        return (self.folder / rel).read_bytes()

    def __delitem__(self, rel: str) -> None:
        del self._sizes[rel], self._heads[rel]
        self.overwritten.add(rel)
        self.unminified.discard(rel)
        (self.folder / rel).unlink()

    def __iter__(self) -> Iterator[str]:
        return iter(self._sizes)

    def __len__(self) -> int:
        return len(self._sizes)

    def head(self, rel: str) -> bytes:
        """The file's first 64 bytes, without reading it."""
        return self._heads[rel]

    def startswith(self, rel: str, prefix: bytes) -> bool:
        """Whether the file begins with `prefix` (up to 64 bytes), without reading it."""
        return self._heads[rel].startswith(prefix)

    def _clear(self, rel: str, target: Path) -> None:
        """Make way for a new file at `target`: never write through a file already there (a
        spare's file may be a hard link to the live output's)."""
        if rel in self._sizes:
            self.overwritten.add(rel)
            target.unlink()
        elif self._old.pop(rel, None) is not None:
            target.unlink()
        elif str(target) in self._folders:  # the spare has a folder where this build puts a file
            shutil.rmtree(target)
            self._folders = {f for f in self._folders if not f.startswith(f"{target}{os.sep}")}
            self._folders.discard(str(target))

    def _make_parent(self, rel: str, target: Path) -> None:
        """Make the folder `target` goes in, asking the file system once per folder; a
        spare's file where one of its folders goes is removed first."""
        parent = os.path.dirname(target)
        if parent in self._folders:
            return
        if self._old:
            parts = rel.split("/")
            for depth in range(1, len(parts)):
                if self._old.pop("/".join(parts[:depth]), None) is not None:
                    os.unlink(os.path.join(self.folder, *parts[:depth]))
        os.makedirs(parent, exist_ok=True)
        self._folders.add(parent)

    def discard(self) -> None:
        """The build failed: the staging folder goes now (back to being the spare, if one
        is kept)."""
        self._cleanup()

    def publish(
        self, copies: list[tuple[Path, str]], keep: Callable[[str], bool] | None = None
    ) -> int:
        """Add the copies and swap the folder in as the destination; return files written anew.
        Files of the old destination that this build did not make and `keep(rel)` accepts
        are hard-linked into the new tree first; what else a spare held goes."""
        written = self.written
        try:
            made = set(self._sizes)
            for source, rel in copies:
                written += self._copy(source, rel)
                made.add(rel)
            if keep is not None:
                keep_other_files(self.destination, self.folder, keep, made, self._old)
            prune(self.folder, list(self._old))
            self._old = {}
            self._cleanup.detach()
            swap(self.folder, self.destination, self.spare)
        except BaseException:
            put_back(self.folder, self.spare)
            raise
        self.folder = self.destination  # read back from where the files now are
        return written

    def _copy(self, source: Path, rel: str) -> int:
        target, previous = confined(self.folder, rel), self.destination / rel
        # Asked before anything is unlinked: removing the spare's hard link to the live copy
        # changes that copy's change time, which same_file_contents trusts.
        try:
            same = same_file_contents(source, previous)
        except OSError:
            same = False
        old = self._old.pop(rel, None)
        if old is not None:
            try:
                if same and os.stat(previous).st_ino == old:
                    return 0  # the spare's file is the live one, which holds the source's bytes
            except OSError:
                pass
            target.unlink()
        self._make_parent(rel, target)
        return copy_file(source, target, previous, same)


def _as_made(rel: str, data: bytes) -> bytes:
    return data


def write_site(
    outputs: Mapping[str, bytes],
    copies: list[tuple[Path, str]],
    destination: Path,
    keep: Callable[[str], bool] | None = None,
    spare: Path | None = None,
) -> int:
    """Write outputs (relpath -> bytes) and copies (source file, relpath); return files written anew.
    Outputs already staged for `destination` are published as they are; others (in memory,
    or published elsewhere) are staged first, in `spare` where there is one (write/spare.py).
    `keep`: see StagedOutputs.publish."""
    destination = destination.resolve()
    staged = outputs if isinstance(outputs, StagedOutputs) else None
    if staged is None or staged.destination != destination or staged.folder == destination:
        staged = StagedOutputs(destination, spare=spare)
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


def _staging_name(destination: Path) -> Path:
    """A name for a staging folder beside `destination` that write.retire.remove_leftovers
    knows (nothing is made there)."""
    return destination.parent / (
        f".{destination.name}.sitegen-new-{os.getpid()}-{os.urandom(4).hex()}"
    )


def _marker(target: Path) -> Path:
    return target.with_name(target.name + ".sitegen-made")


def _make_marker(target: Path) -> None:
    """Claim `target`'s name for this build's first unit to make it; FileExistsError if
    another has."""
    os.close(os.open(_marker(target), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _current_umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it
    os.umask(mask)
    return mask
