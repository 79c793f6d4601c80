"""Watching the site's sources with watchfiles, and telling what kind of change a save was.

watchfiles gathers a burst of file events (an editor writing a temp file, renaming it and
removing a backup) into one batch once the folder has been quiet for `step_ms`; each batch
is classified by the most far-reaching change in it (the kinds are sitegen.build.plan's),
and the rebuild plan decides what that kind of change calls for.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import watchfiles

from sitegen.build.plan import Change, ChangeSet
from sitegen.load.config import CONFIG_NAMES

__all__ = ["Change", "ChangeSet", "SiteLayout", "Watcher", "classify", "site_layout"]


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
        templates=tuple(root / names["layouts"] for root in [source, *theme_roots]),
        i18n=tuple(root / names["i18n"] for root in [source, *theme_roots]),
        data=tuple(root / names["data"] for root in [source, *theme_roots]),
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
