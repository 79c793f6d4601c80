"""Find the site's content files, bundle resources and other files under content/.

This is one of the two places that look at the file system (the other is `output`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sitegen.load.claims import OutputClaims
from sitegen.load.config import SiteConfig
from sitegen.models import Page, SourceFile
from sitegen.safe.paths import leaves_site

# Hugo's content formats that need no external tool: Markdown and HTML.
CONTENT_SUFFIXES = (".md", ".markdown", ".mdown", ".html", ".htm")
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
            _walk(
                root, fixed_lang, config, tree, {other for other, _lang in roots if other != root}
            )
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
    # The shared folder serves the languages without their own (all have one: it serves none).
    if shared not in seen and any(not language.content_dir for language in config.languages):
        roots.append((shared, None))
    return roots


def _walk(
    root: Path,
    fixed_lang: str | None,
    config: SiteConfig,
    tree: ContentTree,
    other_roots: set[Path] = frozenset(),
) -> None:
    # A disabled language's suffix is still a language suffix: its files are left out, as in Hugo.
    codes = {lang.code for lang in config.languages} | config.disabled_languages
    for dirpath, dirnames, filenames in os.walk(root):
        directory = Path(dirpath)
        # A language's own content folder inside the shared one is that language's alone.
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and (directory / d) not in other_roots
        )
        rel_dir = PurePosixPath(directory.relative_to(root).as_posix())
        names = [n for n in _visible(filenames) if tree.keeps(directory / n, config.source)]
        is_leaf = any(is_content_file(n) and content_name(n, codes)[0] == "index" for n in names)
        if is_leaf:
            _add_leaf_bundle(directory, rel_dir, fixed_lang, codes, config, tree)
            dirnames[:] = []  # a leaf bundle owns everything below it
            continue
        for name in names:
            path = directory / name
            rel = rel_dir / name if str(rel_dir) != "." else PurePosixPath(name)
            if is_content_file(name):
                stem, lang = content_name(name, codes)
                if lang in config.disabled_languages:
                    continue
                bundle = "branch" if stem == "_index" else ""
                tree.sources.append(
                    SourceFile(
                        path, rel, fixed_lang or lang or config.default_language, bundle, stem
                    )
                )
            else:
                tree.loose_files.append((path, str(rel)))


def _add_leaf_bundle(
    directory: Path,
    rel_dir: PurePosixPath,
    fixed_lang: str | None,
    codes: set[str],
    config: SiteConfig,
    tree: ContentTree,
) -> None:
    resources: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in _visible(filenames):
            path = Path(dirpath) / name
            if not tree.keeps(path, config.source):
                continue
            inner = path.relative_to(directory).as_posix()
            stem, lang = content_name(name, codes)
            if lang in config.disabled_languages:
                continue
            if Path(dirpath) == directory and stem == "index" and is_content_file(name):
                rel = rel_dir / name
                tree.sources.append(
                    SourceFile(
                        path, rel, fixed_lang or lang or config.default_language, "leaf", stem
                    )
                )
            elif not is_content_file(name):
                resources.append((path, inner))
    tree.resources[str(rel_dir)] = resources


def is_content_file(name: str) -> bool:
    return name.lower().endswith(CONTENT_SUFFIXES)


def content_name(name: str, codes: set[str]) -> tuple[str, str]:
    """(stem, language) of a content file name, as Hugo reads it: the suffix goes, then a
    last dotted part that is one of the site's language codes (any case); every other dot
    stays in the stem: `2017-04-11-2.1.4-released.md` -> ("2017-04-11-2.1.4-released", ""),
    `index.pt-BR.md` -> ("index", "pt-br"), `file.fr.md` without a French site -> ("file.fr", "")."""
    stem = name.rsplit(".", 1)[0] if is_content_file(name) else name
    base, dot, last = stem.rpartition(".")
    if dot and base and last.lower() in codes:
        return base, last.lower()
    return stem, ""


def published_copies(
    config: SiteConfig,
    theme_roots: list[Path],
    tree: ContentTree,
    pages: list[Page],
    claims: OutputClaims | None = None,
) -> list[tuple[Path, str]]:
    """Files published as they are: static files (the site's over its themes', the first theme
    over later ones), loose content files, and bundle resources beside every language's page.
    Each claims its path in `claims`: one that meets a page or another file is an error."""
    chosen: dict[str, Path] = {}
    for owner in [*reversed(theme_roots), None]:
        root, owner = (
            (owner / "static", owner)
            if owner
            else (config.source / config.static_dir, config.source)
        )
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and tree.keeps(path, owner):
                    chosen[path.relative_to(root).as_posix()] = path
    owners: dict[str, tuple[str, Path]] = {
        rel: ("the static file", path) for rel, path in chosen.items()
    }
    for path, rel in tree.loose_files:
        _claim_copy(claims, owners, rel, "the content file", path)
    for page in pages:
        for resource in page.resources:
            rel = page.output_path.removesuffix("index.html") + resource.name
            _claim_copy(claims, owners, rel, "the bundle resource", resource.path)
    if claims is not None:
        for rel, (kind, path) in sorted(owners.items()):
            claims.claim(rel, f"{kind} {claims.describe_file(path)}", path)
    return [(path, rel) for rel, (_kind, path) in sorted(owners.items())]


def _claim_copy(
    claims: OutputClaims | None,
    owners: dict[str, tuple[str, Path]],
    rel: str,
    kind: str,
    path: Path,
) -> None:
    """The first copy at `rel` stays; another file there is an error (the same file again,
    a bundle resource beside each language's page, is not)."""
    first = owners.get(rel)
    if first is None:
        owners[rel] = (kind, path)
    elif first[1] != path and claims is not None:
        claims.claim(rel, f"{first[0]} {claims.describe_file(first[1])}", first[1])
        claims.claim(rel, f"{kind} {claims.describe_file(path)}", path)
