"""Reading the site's sources into pages, each file only when its bytes may have changed.

A `PageReader` lives as long as its Builder: it remembers each source file's stamp (size,
modification and change times, inode) and the cache key of what it made, so a later build
reads again only the files whose stamps differ, and the rebuild plan's paths are forgotten
(read again) even when their stamps look the same. Loaded pages are cached by the file's bytes.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from sitegen.build.cache import BuildCache, code_fingerprint, digest
from sitegen.build.uptodate import RACY_SECONDS, BuildRecord
from sitegen.errors import Diagnostics, SiteError
from sitegen.load.config import SiteConfig, without_titles
from sitegen.load.discover import ContentTree
from sitegen.load.encoding import decode_content, repair_enabled
from sitegen.load.gitinfo import head_state, last_commit_dates
from sitegen.load.pages import is_published, load_page
from sitegen.models import Page, SourceFile

if TYPE_CHECKING:
    from sitegen.build.options import BuildOptions


class PageReader:
    """Loads a build's pages, remembering what it read for the next build of the same site."""

    def __init__(self, options: BuildOptions):
        self.options = options
        self._settings: tuple = ()  # (config, settings, strict, cache) of the last build's loading
        self._stamps: dict[
            Path, tuple[tuple, bool, str]
        ] = {}  # source -> (stamp, trusted, load key)

    def forget(self, path: Path) -> None:
        """`path` is known to have changed: read it again even if its stamp looks the same."""
        self._stamps.pop(Path(path).resolve(), None)

    def forget_all(self) -> None:
        self._stamps.clear()

    def last_reading(self, path: Path, cache: BuildCache):
        """What the last build loaded from `path` (resolved): (Page, warnings), or None."""
        stamp = self._stamps.get(path)
        return cache.get("page", stamp[2], expect=_loaded_page) if stamp else None

    def read_again(self, source: SourceFile):
        """(Page, warnings) or the SiteError, from the file as it is now, with the last build's settings."""
        self.forget(source.path)
        return self._load_page(source, *self._settings)

    def load_pages(
        self,
        tree: ContentTree,
        config: SiteConfig,
        cache: BuildCache,
        diagnostics: Diagnostics,
        now: datetime,
        record: BuildRecord,
    ) -> list[Page]:
        options = self.options
        strict = options.strict_encoding or config.strict_encoding
        settings = digest(code_fingerprint(), repr(without_titles(config)), strict)
        self._settings = (config, settings, strict, cache)
        pages = []
        folders: dict[Path, Path] = {}  # each folder resolved once (a bundle's files share one)
        with cache.batch():
            for source in tree.sources:
                loaded = self._load_page(source, config, settings, strict, cache, folders)
                if isinstance(loaded, SiteError):
                    diagnostics.error(loaded)
                    continue
                page, warnings = loaded
                for message, path, hint in warnings:
                    diagnostics.warn(message, path, hint=hint)
                if is_published(
                    page, now, options.build_drafts, options.build_future, options.build_expired
                ):
                    pages.append(page)
                record.due = _earlier(record.due, _next_change(page, now, options))
        return pages

    def _load_page(
        self,
        source: SourceFile,
        config: SiteConfig,
        settings: str,
        strict: bool,
        cache: BuildCache,
        folders: dict[Path, Path] | None = None,
    ):
        """(Page, warnings) or the SiteError, from the cache when the file's bytes were seen before."""
        path = _resolved(source.path, {} if folders is None else folders)
        try:
            stat = path.stat()
            stamp = self._stamps.get(path)
            if (
                stamp
                and stamp[1]
                and stamp[0] == _file_stamp(stat)
                and (loaded := cache.get("page", stamp[2], expect=_loaded_page))
            ):
                return loaded
            read_at = time.time_ns()
            data = source.path.read_bytes()
        except OSError as error:
            return SiteError(f"cannot read the file: {error.strerror}", source.path)
        key = digest(settings, repr(source), data)
        loaded = cache.get("page", key, expect=_loaded_page)
        if loaded is None:
            loaded = _read_page(source, data, config, strict)
            if not isinstance(loaded, SiteError):
                cache.put("page", key, loaded)
        # A stamp proves the bytes unchanged only if the file was not written within the
        # timestamp granularity of reading it (a second save in the same tick keeps it).
        trusted = read_at - max(stat.st_mtime_ns, stat.st_ctime_ns) > RACY_SECONDS * 1e9
        self._stamps[path] = (_file_stamp(stat), trusted, key)
        return loaded


def git_dates(cache: BuildCache) -> Callable[[Path], dict[str, datetime]]:
    """`last_commit_dates`, kept in `cache` by the commit HEAD names: a build whose HEAD is
    the last one's runs no git (two processes, and a walk of the whole history)."""

    def dates_of(folder: Path) -> dict[str, datetime]:
        state = head_state(folder) if cache.enabled else None
        if state is None:
            return last_commit_dates(folder)
        key = digest(code_fingerprint(), state)
        dates = cache.get("gitinfo", key, expect=_dates_shape)
        if dates is None:
            dates = last_commit_dates(folder)  # GitUnavailable is not kept: it warns each time
            cache.put("gitinfo", key, dates)
        return dates

    return dates_of


def _dates_shape(value: Any) -> bool:
    """The shape of a "gitinfo" cache entry: path -> datetime (last_commit_dates)."""
    return isinstance(value, dict) and all(
        isinstance(path, str) and isinstance(moment, datetime) for path, moment in value.items()
    )


def _resolved(path: Path, folders: dict[Path, Path]) -> Path:
    """`path.resolve()`, with its folder's resolved path taken from `folders` (and kept
    there): resolving walks every part of the path with an lstat."""
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = path.parent.resolve()
    resolved = folder / path.name
    return resolved.resolve() if resolved.is_symlink() else resolved


def _loaded_page(value: Any) -> bool:
    """The shape of a "page" cache entry: (Page, [(message, path, hint)])."""
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], Page)
        and isinstance(value[1], list)
    )


def _file_stamp(stat) -> tuple[int, int, int, int]:
    """What changes whenever a file's bytes do (its change time even under `cp -p`)."""
    return stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns, stat.st_ino


def _next_change(page: Page, now: datetime, options: BuildOptions) -> datetime | None:
    """When the page's publish date or expiry date next changes whether it is built."""
    publish = page.publish_date or page.date
    moments = [
        publish if not options.build_future else None,
        page.expiry_date if not options.build_expired else None,
    ]
    return min((moment for moment in moments if moment and moment > now), default=None)


def _earlier(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _read_page(source: SourceFile, data: bytes, config: SiteConfig, strict: bool):
    try:
        decoded = decode_content(data, source.path, repair_enabled(config.raw))
        warnings = []
        if len(data) > config.large_post_size:
            warnings.append(
                (
                    f"a large file ({len(data):,} bytes, over largePostSize): it builds, but slowly "
                    "and with much memory",
                    source.path,
                    "split it into several posts, or raise largePostSize (bytes) in the config",
                )
            )
        if decoded.changed:
            hint = "run 'sitegen fix-encoding' to fix the file for good"
            if strict:
                raise SiteError(f"damaged encoding: {decoded.describe()}", source.path, hint=hint)
            warnings.append((f"repaired encoding: {decoded.describe()}", source.path, hint))
        return load_page(source, decoded.text, config), warnings
    except SiteError as error:
        return error
