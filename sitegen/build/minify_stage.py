"""The minify stage of `--minify` / `minify = true`: the rendered outputs and the static
copies worth minifying (sitegen.write.minify's pure minifiers), each static file's result
kept in the build cache by its content, so an unchanged image is minified once, not per build.

The copies are known before anything is rendered, and neither oxipng nor minify-html lets
go of the interpreter while it works, so `MinifiedCopies` minifies them in a forked process
(sitegen.build.parallel.Apart) while this one renders: on the mailcow blog, its 30 PNGs
are about 0.15 s of CPU that a second core takes off the build's wall time."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sitegen.build.cache import BuildCache, code_fingerprint, digest
from sitegen.build.parallel import Apart
from sitegen.write.minify import copies_to_minify, copy_to_minify, minify_files, minify_rendered

# Less than this many bytes to minify costs less than forking a process to do it.
APART_BYTES = 64 * 1024


class MinifiedCopies:
    """The static .css/.js/.png copies minified: started with the copies, before the render,
    and taken by `minify_site` after it; each content once (a bundle's image is published
    once per language), from the cache or minified now."""

    def __init__(self, copies: list[tuple[Path, str]], cache: BuildCache | None):
        self.cache = cache
        settings = code_fingerprint() if cache else ""  # the minifiers' settings live in the code
        self.keys: dict[str, str] = {}  # relpath -> cache key of its content
        self.made: dict[str, bytes] = {}  # cache key -> minified bytes
        todo: dict[str, tuple[str, bytes]] = {}  # cache key -> (a relpath with it, bytes)
        for source, rel in copies:
            if not copy_to_minify(rel):
                continue
            data = source.read_bytes()
            key = digest(settings, Path(rel).suffix.lower(), hashlib.sha256(data).digest())
            self.keys[rel] = key
            if key in self.made or key in todo:
                continue
            found = cache.get("minified", key, expect=bytes) if cache else None
            if found is not None:
                self.made[key] = found
            else:
                todo[key] = (rel, data)
        self._todo = todo
        apart = sum(len(data) for _, data in todo.values()) >= APART_BYTES
        self._apart = Apart(minify_files, list(todo.values())) if apart else None

    def take(self, copies: list[tuple[Path, str]]) -> dict[str, bytes]:
        """relpath -> minified bytes of each of `copies` (all started with)."""
        results = self._apart.result() if self._apart else minify_files(list(self._todo.values()))
        for key, result in zip(self._todo, results, strict=True):
            self.made[key] = result
            if self.cache:
                self.cache.put("minified", key, result)
        self._todo, self._apart = {}, None
        return {rel: self.made[self.keys[rel]] for _, rel in copies}


def minify_site(
    outputs: dict[str, bytes], copies: list[tuple[Path, str]], minified: MinifiedCopies
) -> list[tuple[Path, str]]:
    """Minify rendered outputs in place; static .css/.js/.png copies, not rendered over, are
    moved into `outputs` from `minified`. Returns the copies left to copy as they are."""
    put = minify_rendered(outputs)
    chosen, remaining = copies_to_minify(copies, outputs)
    for rel, data in minified.take(chosen).items():
        put(rel, data)
    return remaining
