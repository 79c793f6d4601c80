"""`sitegen fix-encoding`: show or make the repairs that reading a file would make.

A dry run prints a unified diff per file and changes nothing. `--write` saves each file
it would change as UTF-8, with its line endings as they were, after a backup of the
original (beside it, or under a backup folder). Files it would not change are never
touched. The exit status tells CI whether anything needed fixing.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, TextIO

from sitegen.errors import SiteError
from sitegen.load.encoding.decode import decode_bytes, decode_content
from sitegen.load.encoding.model import DecodedText
from sitegen.load.encoding.mojibake import repair_text

NOTHING_TO_FIX, FIXABLE, ERROR = 0, 1, 2
TEXT_SUFFIXES = frozenset(
    {
        ".md",
        ".markdown",
        ".mdown",
        ".html",
        ".htm",
        ".toml",
        ".yaml",
        ".yml",
        ".json",
        ".txt",
        ".csv",
        ".xml",
    }
)
BACKUP_SUFFIX = ".orig"


@dataclass(frozen=True)
class FileFix:
    """What fixing one file means: its text as read, as repaired, and why."""

    path: Path
    original: bytes
    before: str  # decoded, not yet repaired
    decoded: DecodedText

    def new_bytes(self) -> bytes:
        bom = b"\xef\xbb\xbf" if self.decoded.charset == "utf-8-sig" else b""
        return bom + self.decoded.text.encode("utf-8")


def fix_encoding_command(
    paths: list[Path], *, write: bool, backup_dir: Path | None, out: TextIO
) -> int:
    """Print what would change (or change it, with `write`); returns the exit status."""
    status = NOTHING_TO_FIX
    fixes = 0
    for path in _text_files(paths, out):
        if path is None:
            status = ERROR
            continue
        try:
            fix = plan_fix(path)
            if fix is None:
                continue
            fixes += 1
            status = max(status, FIXABLE)
            if write:
                backup = write_fix(fix, backup_dir)
                out.write(f"fixed {path}: {fix.decoded.describe()} (original saved as {backup})\n")
            else:
                out.write(render_diff(fix))
        except (SiteError, OSError) as error:
            out.write(f"error: {error if isinstance(error, SiteError) else f'{path}: {error}'}\n")
            status = ERROR
    out.write(_summary(fixes, write))
    return status


def plan_fix(path: Path) -> FileFix | None:
    """The fix for one file, or None when reading it changes nothing."""
    data = path.read_bytes()
    before, charset = decode_bytes(data, path)
    text, repairs = repair_text(before)
    decoded = DecodedText(text, charset, repairs)
    if (
        repairs
        and path.suffix.lower() in (".md", ".markdown", ".html")
        and decode_content(data, path) != decoded
    ):
        decoded = DecodedText(before, charset, ())  # its front matter says fixEncoding: false
    if not decoded.changed:
        return None
    fix = FileFix(path, data, before, decoded)
    return fix if fix.new_bytes() != data else None


def render_diff(fix: FileFix) -> str:
    """A unified diff of the repair, headed by what was found."""
    header = f"# {fix.path}: {fix.decoded.describe()}\n"
    old, new = _lines(fix.before), _lines(fix.decoded.text)
    lines = difflib.unified_diff(old, new, f"a/{fix.path}", f"b/{fix.path}")
    return header + "".join(_terminated(lines))


def write_fix(fix: FileFix, backup_dir: Path | None) -> Path:
    """Back the original up, then replace the file atomically; returns the backup's path."""
    backup = _backup_path(fix.path, backup_dir)
    backup.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(fix.path, backup)
    handle, temp = tempfile.mkstemp(prefix=f".{fix.path.name}.", dir=fix.path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(fix.new_bytes())
        shutil.copymode(fix.path, temp)
        os.replace(temp, fix.path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return backup


def _backup_path(path: Path, backup_dir: Path | None) -> Path:
    if backup_dir is None:
        base = path.with_name(path.name + BACKUP_SUFFIX)
    else:
        absolute = path.resolve()
        try:
            relative = absolute.relative_to(Path.cwd().resolve())
        except ValueError:
            relative = absolute.relative_to(absolute.anchor)
        base = backup_dir / relative
    candidate, number = base, 1
    while candidate.exists():  # never overwrite an earlier backup
        candidate = base.with_name(f"{base.name}.{number}")
        number += 1
    return candidate


def _text_files(paths: list[Path], out: TextIO) -> Iterable[Path | None]:
    """The files named, and the text files under the folders named; None for a bad path."""
    for path in paths:
        if path.is_file():
            yield path
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if (
                    child.is_file()
                    and child.suffix.lower() in TEXT_SUFFIXES
                    and not any(part.startswith(".") for part in relative)
                ):
                    yield child
        else:
            out.write(f"error: {path}: no such file or folder\n")
            yield None


def _lines(text: str) -> list[str]:
    """Lines split at "\n" only: Latin-1 mojibake may hold U+0085, which splitlines() splits at."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _terminated(lines: Iterable[str]) -> Iterable[str]:
    """Diff lines as `diff -u` prints them, marking a last line without a newline."""
    for line in lines:
        if line.endswith("\n"):
            yield line
        else:
            yield line + "\n\\ No newline at end of file\n"


def _summary(fixes: int, write: bool) -> str:
    if not fixes:
        return "fix-encoding: nothing to fix\n"
    noun = "file" if fixes == 1 else "files"
    if write:
        return f"fix-encoding: fixed {fixes} {noun}\n"
    return f"fix-encoding: {fixes} {noun} to fix; run `sitegen fix-encoding --write` to fix them\n"
