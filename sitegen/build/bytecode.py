"""Compiled templates kept between builds, keyed by everything the compiled code depends on.

Jinja's optimizer runs filters with constant arguments at compile time (`"/logo.png"|absurl`
becomes a string in the bytecode), and its own bytecode caches key on the template's source
alone. Here the key also covers the environment the code was compiled for: sitegen's and
Jinja's code, the environment's class and syntax options, its extensions and policies, and
every filter and test Jinja may fold, down to the values their closures hold (a filter over
the base URL compiles anew when the base URL changes). Filters whose value depends on the
build (URLs, dates, language) take the render context, which Jinja never folds.

The built-in theme's templates go to the user's cache folder, compiled once per sitegen code
and reused by every site and every build, `--ignoreCache` or not (that option ignores the
site's build cache, not sitegen's own code); a site's and its themes' templates go to the
site's build cache. Entries are sealed (sitegen.build.signing): marshal'd code is code, and only
code this user's sitegen compiled is loaded. A damaged or foreign entry is a miss, dropped.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

from sitegen.build.cache import code_fingerprint, digest
from sitegen.build.signing import seal, unseal, user_cache_dir

BUILTIN_PREFIX = "builtin-"
KEPT_VERSIONS = 4  # compiled built-in themes of this many sitegen versions stay in the user folder


class SealedBytecodeCache(jinja2.BytecodeCache):
    """Jinja bytecode in files under `site_folder` (site templates) or `user_folder`
    (templates under `builtin_root`), one folder per environment fingerprint."""

    def __init__(
        self,
        fingerprint: str,
        builtin_root: Path,
        site_folder: Path | None,
        user_folder: Path | None,
    ):
        self.fingerprint = fingerprint
        self.builtin_root = str(builtin_root.resolve()) + os.sep
        self.folders = {
            True: _version_folder(user_folder, fingerprint),
            False: _version_folder(site_folder, fingerprint),
        }

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        builtin = bool(filename) and os.path.realpath(filename).startswith(self.builtin_root)
        return (BUILTIN_PREFIX if builtin else "site-") + digest(
            self.fingerprint, name, filename or ""
        )

    def _path(self, key: str) -> Path | None:
        folder = self.folders[key.startswith(BUILTIN_PREFIX)]
        return folder / f"{key}.bytecode" if folder is not None else None

    def load_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket.key)
        if path is None:
            return
        try:
            sealed = path.read_bytes()
        except OSError:
            return
        data = unseal("jinja", bucket.key, sealed)
        try:
            if data is None:
                raise ValueError("not sealed by this user's sitegen")
            bucket.bytecode_from_string(data)
        except Exception:  # planted, truncated or from another Python: compile again
            bucket.reset()
            path.unlink(missing_ok=True)

    def dump_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket.key)
        if path is None:
            return
        try:
            data = seal("jinja", bucket.key, bucket.bytecode_to_string())
            with tempfile.NamedTemporaryFile(
                dir=path.parent, prefix=".tmp-", delete=False
            ) as handle:
                handle.write(data)
            os.replace(handle.name, path)
        except OSError:
            pass  # an unwritable or full folder: compiled again next time


def bytecode_cache(
    env: jinja2.Environment, builtin_root: Path, site_folder: Path | None
) -> SealedBytecodeCache:
    """The bytecode cache for `env` as it is now configured (call after its filters are set)."""
    return SealedBytecodeCache(
        environment_fingerprint(env), builtin_root, site_folder, user_cache_dir() / "jinja"
    )


def environment_fingerprint(env: jinja2.Environment) -> str:
    """Everything compiled template code of `env` depends on, besides the template's source."""
    options = [
        getattr(env, name, None)
        for name in (
            "block_start_string",
            "block_end_string",
            "variable_start_string",
            "variable_end_string",
            "comment_start_string",
            "comment_end_string",
            "line_statement_prefix",
            "line_comment_prefix",
            "trim_blocks",
            "lstrip_blocks",
            "newline_sequence",
            "keep_trailing_newline",
            "optimized",
            "is_async",
        )
    ]
    foldable = [
        (kind, name, _stable(function))
        for kind, table in (("filter", env.filters), ("test", env.tests))
        for name, function in sorted(table.items())
        if jinja2.utils._PassArg.from_obj(function) is not jinja2.utils._PassArg.context
    ]
    return digest(
        code_fingerprint(),
        jinja2.__version__,
        type(env).__module__,
        type(env).__qualname__,
        options,
        _stable(env.autoescape),
        _stable(env.finalize),
        sorted(env.extensions),
        [(key, _stable(value)) for key, value in sorted(env.policies.items())],
        foldable,
    )


def _stable(value: Any, depth: int = 0) -> str:
    """A repr without memory addresses: functions by name, with what their closures and
    defaults hold (a folded filter's result depends on them)."""
    if depth > 4:
        return "…"
    function = getattr(value, "__func__", value)
    if callable(function) and hasattr(function, "__qualname__"):
        cells = [
            cell.cell_contents
            for cell in getattr(function, "__closure__", None) or ()
            if _filled(cell)
        ]
        defaults = list(getattr(function, "__defaults__", None) or ()) + sorted(
            (getattr(function, "__kwdefaults__", None) or {}).items()
        )
        return (
            f"{getattr(function, '__module__', '')}.{function.__qualname__}"
            f"({[_stable(c, depth + 1) for c in cells + defaults]})"
        )
    if isinstance(value, (list, tuple)):
        return repr([_stable(item, depth + 1) for item in value])
    return repr(value)


def _filled(cell) -> bool:
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


def _version_folder(folder: Path | None, fingerprint: str) -> Path | None:
    """FOLDER/<fingerprint>, made if need be; older fingerprints' folders beyond the newest
    few are removed. None if it cannot be made."""
    if folder is None:
        return None
    target = folder / fingerprint[:20]
    try:
        target.mkdir(parents=True, exist_ok=True)
        os.utime(target)
        others = sorted(
            (p for p in folder.iterdir() if p.is_dir() and p != target),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in others[KEPT_VERSIONS - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return None
    return target
