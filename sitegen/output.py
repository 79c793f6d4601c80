"""Write a rendered site: the whole output folder is swapped in only after everything is
written, so a failed build never leaves a half-written or emptied `public/`.

Files whose bytes did not change are hard-linked from the previous output instead of
rewritten, so their modification times (and rsync/CDN uploads) stay put.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.errors import SiteError


def check_destination(source: Path, destination: Path, content_dir: str = "content") -> None:
    source, destination = source.resolve(), destination.resolve()
    if destination == source:
        raise SiteError("the destination is the site's own folder; building there would replace the site",
                        destination, hint="choose another destination, e.g. -d public")
    if source.is_relative_to(destination):
        raise SiteError("the destination lies above the site's folder; building there would replace the site",
                        destination, hint="choose a folder inside or beside the site, e.g. -d public")
    if (destination / content_dir).exists() or (destination / "config.toml").exists():
        raise SiteError("the destination looks like a site (it has content/ or config.toml); refusing to replace it",
                        destination, hint="choose an empty folder or the site's public/")


def write_site(outputs: dict[str, bytes], copies: list[tuple[Path, str]], destination: Path) -> int:
    """Write outputs (relpath -> bytes) and copies (source file, relpath); return files written anew."""
    destination = destination.resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = destination.parent / f".{destination.name}.sitegen-new-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    written = 0
    try:
        for rel, data in outputs.items():
            written += _write_file(staging / rel, data, destination / rel)
        for source, rel in copies:
            written += _copy_file(source, staging / rel, destination / rel)
        _swap(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _write_file(target: Path, data: bytes, previous: Path) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if previous.is_file() and previous.stat().st_size == len(data) and previous.read_bytes() == data:
            os.link(previous, target)
            return 0
    except OSError:
        pass
    target.write_bytes(data)
    return 1


def _copy_file(source: Path, target: Path, previous: Path) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        old, new = previous.stat(), source.stat()
        if old.st_size == new.st_size and int(old.st_mtime) == int(new.st_mtime):
            os.link(previous, target)
            return 0
    except OSError:
        pass
    shutil.copy2(source, target)
    return 1


def _carry_hidden_entries(retired: Path, destination: Path) -> None:
    """Keep what a deploy setup put in public/ (a .git folder, .nojekyll) across builds."""
    for entry in retired.iterdir():
        if entry.name.startswith(".") and not (destination / entry.name).exists():
            os.replace(entry, destination / entry.name)


def _swap(staging: Path, destination: Path) -> None:
    if not destination.exists():
        os.replace(staging, destination)
        return
    retired = destination.parent / f".{destination.name}.sitegen-old-{os.getpid()}"
    os.replace(destination, retired)
    os.replace(staging, destination)
    _carry_hidden_entries(retired, destination)
    shutil.rmtree(retired, ignore_errors=True)
