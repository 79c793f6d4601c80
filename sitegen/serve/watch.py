"""Watching the site's sources with watchfiles, and telling what kind of change a save was.

watchfiles gathers a burst of file events (an editor writing a temp file, renaming it and
removing a backup) into one batch once the folder has been quiet for `step_ms`; each batch
is classified by the most far-reaching change in it, so the rebuild does no more than it
must: a stylesheet alone is refreshed in place, other static files need no render, content
needs the pages it feeds, and templates, i18n, data or the config need everything.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import watchfiles

from sitegen.load.config import CONFIG_NAMES


class Change(enum.IntEnum):
    """Kinds of change, ordered by how much of the site they can affect."""

    NONE = 0  # nothing the site is built from (archetypes, a theme's README, public/)
    CSS = 1  # stylesheets among the static files only
    STATIC = 2  # static files only: no render, the copies are listed anew
    CONTENT = 3  # Markdown or bundle resources: the pages, their lists, terms and feeds
    TEMPLATE = 4  # layouts, i18n, data: every page may use them
    CONFIG = 5  # the config file: everything, and maybe the watched folders themselves


@dataclass(frozen=True)
class ChangeSet:
    kind: Change
    paths: tuple[Path, ...]  # every changed path, resolved, sorted

    def describe(self) -> str:
        names = ", ".join(path.name for path in self.paths[:3])
        more = f" and {len(self.paths) - 3} more" if len(self.paths) > 3 else ""
        return f"{self.kind.name.lower()} change: {names}{more}"


@dataclass(frozen=True)
class SiteLayout:
    """Which folders of a site (and its themes) hold which kind of source."""

    source: Path
    content: tuple[Path, ...]
    static: tuple[Path, ...]
    templates: tuple[Path, ...]  # layouts, i18n and data, the site's and its themes'
    config: tuple[Path, ...]  # config files, the config/ folder, themes' own config files
    ignored: tuple[Path, ...]  # the destination, archetypes

    def roots(self) -> tuple[Path, ...]:
        """Folders to watch: the site, and themes that live outside it (e.g. the built-in one)."""
        outside = {path.parent for path in self.templates + self.static if not path.is_relative_to(self.source)}
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
        if under(self.content):
            return Change.CONTENT
        if under(self.static):
            return Change.CSS if _stylesheets_only(path) else Change.STATIC
        return Change.NONE


def _stylesheets_only(path: Path) -> bool:
    """A .css file, or a folder holding nothing else (editors and `mkdir -p` report folders too)."""
    if path.is_dir():
        return all(child.suffix.lower() == ".css" for child in path.rglob("*") if not child.is_dir())
    return path.suffix.lower() == ".css"


def site_layout(source: Path, config=None, themes: Iterable = (), destination: Path | None = None) -> SiteLayout:
    """The layout from a loaded SiteConfig and themes; without them, Hugo's default folder names."""
    source = source.resolve()
    names = {"content": "content", "static": "static", "layouts": "layouts", "i18n": "i18n",
             "data": "data", "archetypes": "archetypes"}
    contents = []
    if config is not None:
        names.update(content=config.content_dir, static=config.static_dir, layouts=config.layout_dir,
                     i18n=config.i18n_dir, data=config.data_dir, archetypes=config.archetype_dir)
        contents = [language.content_dir for language in config.languages if language.content_dir]
    theme_roots = [Path(theme.path).resolve() for theme in themes]
    return SiteLayout(
        source=source,
        content=tuple(source / name for name in [names["content"], *contents]),
        static=tuple([source / names["static"]] + [root / "static" for root in theme_roots]),
        templates=tuple(root / name for root in [source, *theme_roots] for name in
                        (names["layouts"], names["i18n"], names["data"])),
        config=tuple([source / name for name in (*CONFIG_NAMES, "config")]
                     + [root / name for root in theme_roots for name in (*CONFIG_NAMES, "theme.toml")]),
        ignored=tuple([source / names["archetypes"], source / "public", source / "resources"]
                      + ([destination.resolve()] if destination else [])),
    )


def classify(paths: Iterable[Path | str], layout: SiteLayout) -> ChangeSet:
    """The kind of a batch of changed paths: the most far-reaching among them."""
    resolved = sorted({Path(path).resolve() for path in paths})
    kinds = [layout.kind_of(path) for path in resolved]
    relevant = tuple(path for path, kind in zip(resolved, kinds) if kind != Change.NONE)
    return ChangeSet(max(kinds, default=Change.NONE), relevant)


class Watcher:
    """Runs watchfiles in a thread and hands each classified batch to `on_change`.

    `on_change` returns the layout to go on with; when its folders differ (a config change
    named another theme or content folder), watching restarts on the new folders.
    """

    def __init__(self, layout: SiteLayout, on_change: Callable[[ChangeSet], SiteLayout],
                 step_ms: int = 50, debounce_ms: int = 1600, poll_ms: int | None = None):
        self.layout = layout
        self.poll_ms = poll_ms  # None: file events; else poll this often (network drives, some containers)
        self.on_change = on_change
        self.step_ms, self.debounce_ms = step_ms, debounce_ms
        self.ready = threading.Event()  # set once the first watch is in place
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sitegen-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop watching; False if a rebuild is still running after `timeout` seconds."""
        self.stopping.set()
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while not self.stopping.is_set():
            roots = self.layout.roots()
            for batch in watchfiles.watch(*roots, step=self.step_ms, debounce=self.debounce_ms,
                                          stop_event=self.stopping, rust_timeout=500,
                                          yield_on_timeout=True, raise_interrupt=False,
                                          force_polling=self.poll_ms is not None, poll_delay_ms=self.poll_ms or 300):
                self.ready.set()  # the first (empty) batch comes once the watches are in place
                if not batch:
                    continue
                changes = classify((path for _, path in batch), self.layout)
                if changes.kind != Change.NONE:
                    self.layout = self.on_change(changes)
                if self.layout.roots() != roots:
                    break
