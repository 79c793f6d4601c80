"""What kind of change a changed path is: which folder of the site (or its themes) holds it.

`sitegen serve`'s watcher and a Builder told which files changed both classify here, and
sitegen.build.plan decides what each kind calls for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from sitegen.build.plan import Change, ChangeSet
from sitegen.load.config import CONFIG_NAMES


@dataclass(frozen=True)
class SiteLayout:
    """Which folders of a site (and its themes) hold which kind of source."""

    source: Path
    content: tuple[Path, ...]
    static: tuple[Path, ...]
    templates: tuple[Path, ...]  # layouts, the site's and its themes'
    i18n: tuple[Path, ...]
    data: tuple[Path, ...]
    config: tuple[Path, ...]  # config files, the config/ folder, themes' own config files
    ignored: tuple[Path, ...]  # the destination, archetypes

    def roots(self) -> tuple[Path, ...]:
        """Folders to watch: the site, and themes that live outside it (e.g. the built-in one)."""
        folders = self.templates + self.i18n + self.data + self.static
        outside = {path.parent for path in folders if not path.is_relative_to(self.source)}
        return (self.source, *sorted(root for root in outside if root.is_dir()))

    def kind_of(self, path: Path) -> Change:
        def under(folders: tuple[Path, ...]) -> bool:
            return any(path == folder or path.is_relative_to(folder) for folder in folders)

        if under(self.ignored):
            return Change.NONE
        if under(self.config):
            return Change.CONFIG
        if under(self.templates):
            return Change.TEMPLATE
        if under(self.i18n):
            return Change.I18N
        if under(self.data):
            return Change.DATA
        if under(self.content):
            return Change.CONTENT
        if under(self.static):
            return Change.CSS if _stylesheets_only(path) else Change.STATIC
        return Change.NONE


def _stylesheets_only(path: Path) -> bool:
    """A .css file, or a folder holding nothing else (editors and `mkdir -p` report folders too)."""
    if path.is_dir():
        return all(
            child.suffix.lower() == ".css" for child in path.rglob("*") if not child.is_dir()
        )
    return path.suffix.lower() == ".css"


def site_layout(
    source: Path, config=None, themes: Iterable = (), destination: Path | None = None
) -> SiteLayout:
    """The layout from a loaded SiteConfig and themes; without them, Hugo's default folder names."""
    source = source.resolve()
    names = {
        "content": "content",
        "static": "static",
        "layouts": "layouts",
        "i18n": "i18n",
        "data": "data",
        "archetypes": "archetypes",
    }
    contents = []
    if config is not None:
        names.update(
            content=config.content_dir,
            static=config.static_dir,
            layouts=config.layout_dir,
            i18n=config.i18n_dir,
            data=config.data_dir,
            archetypes=config.archetype_dir,
        )
        contents = [language.content_dir for language in config.languages if language.content_dir]
    theme_roots = [Path(theme.path).resolve() for theme in themes]
    return SiteLayout(
        source=source,
        content=tuple(source / name for name in [names["content"], *contents]),
        static=tuple([source / names["static"]] + [root / "static" for root in theme_roots]),
        templates=tuple(root / names["layouts"] for root in [source, *theme_roots]),
        i18n=tuple(root / names["i18n"] for root in [source, *theme_roots]),
        data=tuple(root / names["data"] for root in [source, *theme_roots]),
        config=tuple(
            [source / name for name in (*CONFIG_NAMES, "config")]
            + [root / name for root in theme_roots for name in (*CONFIG_NAMES, "theme.toml")]
        ),
        ignored=tuple(
            [source / names["archetypes"], source / "public", source / "resources"]
            + ([destination.resolve()] if destination else [])
        ),
    )


def classify(paths: Iterable[Path | str], layout: SiteLayout) -> ChangeSet:
    """The kind of a batch of changed paths: the most far-reaching among them."""
    resolved = sorted({Path(path).resolve() for path in paths})
    kinds = [layout.kind_of(path) for path in resolved]
    relevant = tuple(path for path, kind in zip(resolved, kinds) if kind != Change.NONE)
    return ChangeSet(max(kinds, default=Change.NONE), relevant)
