"""Find the site's content files, bundle resources and other files under content/.

This is one of the two places that look at the file system (the other is `output`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sitegen.config import SiteConfig
from sitegen.confine import leaves_site
from sitegen.models import Page, SourceFile

CONTENT_SUFFIXES = (".md", ".markdown")
# Backups (fix-encoding's *.orig, editors' *~ and swap files) are never content or resources.
IGNORED_FILE = re.compile(r"(\.orig(\.\d+)?|~|\.swp|\.swx|\.tmp)$|^\.|^#.*#$")


def _visible(names: list[str]) -> list[str]:
    return sorted(n for n in names if not IGNORED_FILE.search(n))


@dataclass
class ContentTree:
    """What discovery found: content files, bundle resources and loose files."""

    sources: list[SourceFile] = field(default_factory=list)
    # bundle dir (relative, posix) -> resource files inside it
    resources: dict[str, list[tuple[Path, str]]] = field(default_factory=dict)
    # files outside any leaf bundle, published at their path (content/images/x.svg -> /images/x.svg)
    loose_files: list[tuple[Path, str]] = field(default_factory=list)
    # symlinks in content/ or static/ that point outside the site: never read or published
    outside: list[Path] = field(default_factory=list)

    def keeps(self, path: Path, root: Path) -> bool:
        """False (and `path` noted) for a symlink that leads outside `root`."""
        if path.is_symlink() and leaves_site(path, root):
            self.outside.append(path)
            return False
        return True


def discover_content(config: SiteConfig) -> ContentTree:
    tree = ContentTree()
    roots = _content_roots(config)
    for root, fixed_lang in roots:
        if root.is_dir():
            _walk(root, fixed_lang, config, tree)
    tree.sources.sort(key=lambda s: (str(s.rel), s.lang))
    return tree


def _content_roots(config: SiteConfig) -> list[tuple[Path, str | None]]:
    """The shared content dir, plus per-language contentDirs (whose files take that language)."""
    roots: list[tuple[Path, str | None]] = []
    seen: set[Path] = set()
    for language in config.languages:
        if language.content_dir:
            path = (config.source / language.content_dir).resolve()
            roots.append((path, language.code))
            seen.add(path)
    shared = (config.source / config.content_dir).resolve()
    if shared not in seen:
        roots.append((shared, None))
    return roots


def _walk(root: Path, fixed_lang: str | None, config: SiteConfig, tree: ContentTree) -> None:
    codes = {lang.code for lang in config.languages}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        directory = Path(dirpath)
        rel_dir = PurePosixPath(directory.relative_to(root).as_posix())
        names = [n for n in _visible(filenames) if tree.keeps(directory / n, config.source)]
        is_leaf = any(_stem(n) == "index" and n.endswith(CONTENT_SUFFIXES) for n in names)
        if is_leaf:
            _add_leaf_bundle(directory, rel_dir, fixed_lang, codes, config, tree)
            dirnames[:] = []  # a leaf bundle owns everything below it
            continue
        for name in names:
            path = directory / name
            rel = rel_dir / name if str(rel_dir) != "." else PurePosixPath(name)
            if name.endswith(CONTENT_SUFFIXES):
                bundle = "branch" if _stem(name) == "_index" else ""
                tree.sources.append(SourceFile(path, rel, _language_of(name, fixed_lang, codes, config), bundle))
            else:
                tree.loose_files.append((path, str(rel)))


def _add_leaf_bundle(directory: Path, rel_dir: PurePosixPath, fixed_lang: str | None, codes: set[str],
                     config: SiteConfig, tree: ContentTree) -> None:
    resources: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in _visible(filenames):
            path = Path(dirpath) / name
            if not tree.keeps(path, config.source):
                continue
            inner = path.relative_to(directory).as_posix()
            if Path(dirpath) == directory and _stem(name) == "index" and name.endswith(CONTENT_SUFFIXES):
                rel = rel_dir / name
                tree.sources.append(SourceFile(path, rel, _language_of(name, fixed_lang, codes, config), "leaf"))
            elif not name.endswith(CONTENT_SUFFIXES):
                resources.append((path, inner))
    tree.resources[str(rel_dir)] = resources


def _stem(name: str) -> str:
    return name.split(".", 1)[0]


def _language_of(name: str, fixed_lang: str | None, codes: set[str], config: SiteConfig) -> str:
    """`index.de.md` is German when "de" is a site language; a file without suffix takes the default."""
    if fixed_lang:
        return fixed_lang
    parts = name.split(".")
    if len(parts) >= 3 and parts[-2].lower() in codes:
        return parts[-2].lower()
    return config.default_language


def published_copies(config: SiteConfig, theme_roots: list[Path], tree: ContentTree,
                     pages: list[Page]) -> list[tuple[Path, str]]:
    """Files published as they are: static files (the site's over its themes', the first theme
    over later ones), loose content files, and bundle resources beside every language's page."""
    chosen: dict[str, Path] = {}
    for owner in [*reversed(theme_roots), None]:
        root, owner = (owner / "static", owner) if owner else (config.source / config.static_dir, config.source)
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and tree.keeps(path, owner):
                    chosen[path.relative_to(root).as_posix()] = path
    for path, rel in tree.loose_files:
        chosen.setdefault(rel, path)
    for page in pages:
        for resource in page.resources:
            chosen.setdefault(page.output_path.removesuffix("index.html") + resource.name, resource.path)
    return [(path, rel) for rel, path in sorted(chosen.items())]
