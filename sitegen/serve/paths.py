"""From a raw request target to a file of the served site, and the file's content type.

Nothing here joins a request path onto a folder: a request names a key of the snapshot's
outputs or copies, or nothing. Anything that could mean "somewhere else" (dot segments,
encoded slashes or dots that decode to them, backslashes, NUL, absolute or
protocol-relative targets, bytes that are not UTF-8) is refused before the lookup, and a
copied file is served only if its real path (after symlinks) lies in one of the
snapshot's roots.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from sitegen.serve.state import Snapshot


class BadRequest(ValueError):
    """A request target the server refuses to interpret."""


@dataclass(frozen=True)
class Found:
    rel: str
    data: bytes | None  # rendered in memory
    path: Path | None  # or a file to read


@dataclass(frozen=True)
class Redirect:
    location: str


_REFUSED_ESCAPES = re.compile(r"%(2f|5c|00)", re.IGNORECASE)  # "/", "\", NUL inside a segment


def request_path(target: str) -> str:
    """The decoded path of a raw request target, or BadRequest."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or path.startswith("//"):
        raise BadRequest("the request target must be a path starting with a single /")
    if "\\" in path or "\x00" in path or _REFUSED_ESCAPES.search(path):
        raise BadRequest("backslashes, NUL and encoded slashes are not allowed in paths")
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        raise BadRequest("the path is not UTF-8") from None
    if any(segment in (".", "..") for segment in decoded.split("/")):
        raise BadRequest("dot segments are not allowed in paths")
    return decoded


def resolve(snapshot: Snapshot, target: str) -> Found | Redirect | None:
    """What a request for `target` gets from `snapshot`: a file, a redirect, or None (404)."""
    path = request_path(target)
    base = snapshot.base_path
    if path + "/" == base:
        return Redirect(quote(base))
    if not path.startswith(base):
        return None
    rel = path[len(base) :]
    if rel == "" or rel.endswith("/"):
        return _find(snapshot, rel + "index.html")
    found = _find(snapshot, rel)
    if found is None and _find(snapshot, rel + "/index.html") is not None:
        return Redirect(quote(base + rel + "/"))
    return found


def not_found_page(snapshot: Snapshot, target: str) -> Found | None:
    """The site's 404 page for `target`: a language's own (de/404.html) when the path is under it."""
    try:
        rel = request_path(target).removeprefix(snapshot.base_path)
    except BadRequest:
        rel = ""
    prefixes = sorted((p for p in snapshot.not_found if rel.startswith(p)), key=len, reverse=True)
    return _find(snapshot, snapshot.not_found[prefixes[0]]) if prefixes else None


def _find(snapshot: Snapshot, rel: str) -> Found | None:
    data = snapshot.outputs.get(rel)
    if data is not None:
        return Found(rel, data, None)
    path = snapshot.copies.get(rel)
    if path is None or not _inside(path, snapshot.roots):
        return None
    return Found(rel, None, path)


def _inside(path: Path, roots: tuple[Path, ...]) -> bool:
    try:
        real = path.resolve(strict=True)
    except OSError:  # deleted since the build, or a dangling symlink
        return False
    return real.is_file() and any(real.is_relative_to(root) for root in roots)


# Explicit types for what a site serves; the platform's table varies between machines.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/vnd.microsoft.icon",
    ".pdf": "application/pdf",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".wasm": "application/wasm",
}
_FEED_ROOTS = {b"<rss": "application/rss+xml", b"<feed": "application/atom+xml"}


def content_type(rel: str, head: bytes = b"") -> str:
    """The Content-Type for `rel`; `head` (the file's first bytes) tells an RSS or Atom feed."""
    suffix = Path(rel).suffix.lower()
    if suffix == ".xml":
        for root, feed_type in _FEED_ROOTS.items():
            if root in head[:512]:
                return feed_type + "; charset=utf-8"
        return "application/xml; charset=utf-8"
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"
