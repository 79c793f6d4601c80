"""Who publishes each output path: no page is ever lost to another output.

Every file of a build (a page, a pager, an alias, a feed, a sitemap, a bundle resource, a
static file) claims its path with a description of where it comes from; a second claim by
another source is an error naming both. sitegen's own redirects (`/` to the default
language, `/en/` to `/`) are weak: a page of the site published there wins, as in Hugo.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.errors import Diagnostics, SiteError
from sitegen.models import Page

RELEASES_HINT = (
    "sitegen publishes its release index, feed and releases.json under /releases/: give the "
    "site's own page there another 'url' or folder, or set enable = false under [params.releases]"
)


class OutputClaims:
    """Output path -> the source that publishes it, with errors for paths claimed twice."""

    def __init__(self, diagnostics: Diagnostics, source_root: Path | None = None):
        self._owners: dict[str, tuple[str, Path | None]] = {}
        self._diagnostics = diagnostics
        self._root = source_root

    def __contains__(self, rel: str) -> bool:
        return rel in self._owners

    def claim(self, rel: str, owner: str, path: Path | None = None) -> bool:
        """Claim `rel` for `owner` (a description; `path` the file behind it, for the error's
        location). False, with an error, when another owner has it already."""
        first = self._owners.get(rel)
        if first is None:
            self._owners[rel] = (owner, path)
            return True
        if first[0] == owner:
            return True
        ours = "sitegen's release" in owner or "sitegen's release" in first[0]
        self._diagnostics.error(
            SiteError(
                f"two outputs publish to /{rel}: {owner} and {first[0]}; one would be lost",
                path or first[1],
                1,
                hint=RELEASES_HINT
                if ours
                else "give one of them another 'slug', 'url' or alias, or rename or "
                "remove one of the files",
            )
        )
        return False

    def claim_page_files(self, page: Page, files: list[str]) -> None:
        """The files one unit of `page` rendered: the page itself, its pagers, its aliases."""
        label = self.describe(page)
        for rel in files:
            if rel == page.output_path:
                owner = label
            elif rel.endswith("index.html") and rel.startswith(
                page.output_path.removesuffix("index.html") + "page/"
            ):
                owner = f"a pager of {label}"
            elif rel.endswith(".xml") or rel.endswith(".json"):
                owner = f"an output of {label}"
            else:
                owner = f"an alias of {label}"
            self.claim(rel, owner, page.source.path if page.source else None)

    def describe(self, page: Page) -> str:
        if page.source is not None:
            path = page.source.path
            if self._root is not None and path.is_relative_to(self._root):
                return str(path.relative_to(self._root))
            return str(path)
        if page.kind == "releases":
            return f"sitegen's release index {page.rel_permalink}"
        return f"the {page.kind} page {page.rel_permalink}"

    def describe_file(self, path: Path) -> str:
        if self._root is not None and path.is_relative_to(self._root):
            return str(path.relative_to(self._root))
        return str(path)
