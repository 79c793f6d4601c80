"""Watching the site's sources with watchfiles, and telling what kind of change a save was.

watchfiles gathers a burst of file events (an editor writing a temp file, renaming it and
removing a backup) into one batch once the folder has been quiet for `step_ms`; each batch
is classified by the most far-reaching change in it (sitegen.build.changes, the kinds of
sitegen.build.plan), and the rebuild plan decides what that kind of change calls for.
"""

from __future__ import annotations

import threading
from typing import Callable

import watchfiles

from sitegen.build.changes import SiteLayout, classify
from sitegen.build.plan import Change, ChangeSet

__all__ = ["Watcher"]


class Watcher:
    """Runs watchfiles in a thread and hands each classified batch to `on_change`.

    `on_change` returns the layout to go on with; when its folders differ (a config change
    named another theme or content folder), watching restarts on the new folders.
    """

    def __init__(
        self,
        layout: SiteLayout,
        on_change: Callable[[ChangeSet], SiteLayout],
        step_ms: int = 50,
        debounce_ms: int = 1600,
        poll_ms: int | None = None,
    ):
        self.layout = layout
        self.poll_ms = (
            poll_ms  # None: file events; else poll this often (network drives, some containers)
        )
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
            for batch in watchfiles.watch(
                *roots,
                step=self.step_ms,
                debounce=self.debounce_ms,
                stop_event=self.stopping,
                rust_timeout=500,
                yield_on_timeout=True,
                raise_interrupt=False,
                force_polling=self.poll_ms is not None,
                poll_delay_ms=self.poll_ms or 300,
            ):
                self.ready.set()  # the first (empty) batch comes once the watches are in place
                if not batch:
                    continue
                changes = classify((path for _, path in batch), self.layout)
                if changes.kind != Change.NONE:
                    self.layout = self.on_change(changes)
                if self.layout.roots() != roots:
                    break
