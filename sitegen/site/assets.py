"""Images from `assets/`, published where Hugo's image handling publishes them.

Hugo publishes a file of `assets/` only when a template asks for it (`resources.Get …
.RelPermalink`), at its path under `assets/` (`assets/images/a.png` → `/images/a.png`).
LoveIt and FixIt ask for every image they show: `![](…)` through their image render hook,
their `image` shortcode, `featuredImage` and `featuredImagePreview`, each path looked up as a
page resource first, then under `assets/` (the site's, then the themes'). sitegen's default
theme stands in for them, so it does the same for an image that is neither a bundle resource
nor a static file, and points a relative reference at the published file, as they do.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from sitegen.models import Page, Rendered, pack_text

_IMAGE_REF = re.compile(r'(<img\b[^>]*?\bsrc="|<a\b[^>]*?\bhref=")([^"]+)(")')
_IMAGE_SUFFIXES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".avif",
    ".svg",
    ".bmp",
    ".ico",
    ".tif",
    ".tiff",
)
FEATURED_KEYS = ("featuredimage", "featuredimagepreview")


class AssetImages:
    """Finds and publishes the `assets/` images pages refer to."""

    def __init__(self, roots: list[Path], taken: set[str], root_path: str):
        self.roots = [root for root in roots if root.is_dir()]
        self.taken = taken  # output paths already published (static files, resources, pages)
        self.root_path = root_path  # baseURL's path, e.g. "/blog"
        self.copies: dict[str, Path] = {}

    def resolve(self, page: Page, reference: str) -> str | None:
        """The site URL the reference gets when it names an `assets/` image, else None."""
        parts = urlsplit(unquote(reference))
        if (
            parts.scheme
            or parts.netloc
            or not parts.path
            or not parts.path.lower().endswith(_IMAGE_SUFFIXES)
        ):
            return None
        path = parts.path
        if not path.startswith("/"):
            beside = page.output_path.removesuffix("index.html") + path
            if path in {resource.name for resource in page.resources} or beside in self.taken:
                return None  # a page resource wins, as in LoveIt/FixIt
        rel = path.lstrip("/")
        if rel in self.taken and rel not in self.copies:
            return None  # a static file (or a page) already answers there
        for root in self.roots:
            candidate = root / rel
            if candidate.is_file() and candidate.resolve().is_relative_to(root.resolve()):
                self.copies.setdefault(rel, candidate)
                return f"{self.root_path}/{rel}" + (f"?{parts.query}" if parts.query else "")
        return None

    def rewrite(self, page: Page, html: str) -> str:
        def replace(match: re.Match[str]) -> str:
            url = self.resolve(page, match.group(2))
            if url is None or match.group(2).startswith("/"):
                return match.group(0)  # a site path stays as written: the file is now there
            return match.group(1) + url + match.group(3)

        return _IMAGE_REF.sub(replace, html) if "<img" in html or "<a" in html else html


def publish_asset_images(
    pages: list[Page], roots: list[Path], taken: set[str], root_path: str
) -> tuple[list[tuple[Path, str]], dict[int, Rendered]]:
    """Copies for every `assets/` image the pages show, and the new bodies (by page id) of
    the pages whose references now point at them; the pages' featured images point there too."""
    images = AssetImages(roots, taken, root_path)
    if not images.roots:
        return [], {}
    bodies = {}
    for page in pages:
        body = _pointing_at_copies(images, page)
        if body is not None:
            bodies[id(page)] = body
        for key in FEATURED_KEYS:
            value = page.params.get(key)
            if isinstance(value, str) and value:
                url = images.resolve(page, value)
                if url is not None and not value.startswith("/"):
                    page.params[key] = url
    return [(path, rel) for rel, path in sorted(images.copies.items())], bodies


def _pointing_at_copies(images: AssetImages, page: Page) -> Rendered | None:
    """The page's body with its image references rewritten, or None if none changed."""
    current = page.content  # once: it is unpacked at every read
    content = images.rewrite(page, str(current)) if current else current
    summary = images.rewrite(page, str(page.summary)) if page.summary else page.summary
    if content == current and summary == page.summary:
        return None
    return replace(
        page.rendered,
        packed_content=pack_text(content),
        trusted=True,
        summary=Markup(summary),
    )
