"""The minify stage of `--minify` / `minify = true`: the rendered outputs and the static
copies worth minifying (sitegen.write.minify's pure minifiers), each static file's result
kept in the build cache by its content, so an unchanged image is minified once, not per build."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sitegen.build.cache import BuildCache, code_fingerprint, digest
from sitegen.write.minify import copies_to_minify, minify_files, minify_rendered


def minify_site(
    outputs: dict[str, bytes], copies: list[tuple[Path, str]], cache: BuildCache | None = None
) -> list[tuple[Path, str]]:
    """Minify rendered outputs in place; static .css/.js/.png copies are read, minified and
    moved into `outputs`. Returns the copies left to copy as they are."""
    put = minify_rendered(outputs)
    chosen, remaining = copies_to_minify(copies, outputs)
    for rel, data in _minified_copies(chosen, cache).items():
        put(rel, data)
    return remaining


def _minified_copies(copies: list[tuple[Path, str]], cache: BuildCache | None) -> dict[str, bytes]:
    """relpath -> minified bytes of each copy; each content once (a bundle's image is
    published once per language), from the cache or minified now."""
    settings = code_fingerprint() if cache else ""  # the minifiers' settings live in the code
    contents: dict[str, tuple[str, bytes]] = {}  # relpath -> (cache key, source bytes)
    for source, rel in copies:
        data = source.read_bytes()
        contents[rel] = (
            digest(settings, Path(rel).suffix.lower(), hashlib.sha256(data).digest()),
            data,
        )
    made: dict[str, bytes] = {}
    todo: dict[str, tuple[str, bytes]] = {}  # cache key -> (a relpath with it, bytes)
    for rel, (key, data) in contents.items():
        if key not in made and key not in todo:
            found = cache.get("minified", key, expect=bytes) if cache else None
            if found is not None:
                made[key] = found
            else:
                todo[key] = (rel, data)
    for key, result in zip(todo, minify_files(list(todo.values())), strict=True):
        made[key] = result
        if cache:
            cache.put("minified", key, result)
    return {rel: made[key] for rel, (key, _) in contents.items()}
