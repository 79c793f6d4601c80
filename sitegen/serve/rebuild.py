"""Keeping the served site in step with its sources: plan, build, publish, report.

Each change is handled in full before the next: the rebuild plan (sitegen.build.plan) says
what the change calls for, the log says which plan and why, and only a good build replaces
the served snapshot, after which open pages are told to reload. A failed build leaves the
last good site up and shows its errors in the terminal and over every open page, in the
same words.

The render is a `Builder` kept for the whole session with its cache in memory: it plans
and applies, re-rendering only what a change affects. `Rebuilder.build` is the one seam
between serving and building (tests put a slow or counting build there).
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

from sitegen.build.builder import Builder, BuildOptions, BuildResult, write_site
from sitegen.build.changes import SiteLayout, site_layout
from sitegen.build.plan import Action, Change, ChangeSet, Plan, plan_changes
from sitegen.errors import BuildFailed, SiteError
from sitegen.serve.state import SiteState, Snapshot, make_snapshot
from sitegen.site.urls import base_path

BuildFunction = Callable[[Plan], BuildResult]


@dataclass
class Rebuilder:
    options: BuildOptions
    state: SiteState
    out: TextIO
    render_to_disk: bool = False
    build: BuildFunction | None = None  # default: a Builder's apply, held in memory
    result: BuildResult | None = None  # the last good build
    warned: frozenset[str] = (
        frozenset()
    )  # warnings already shown: each is said once, not per rebuild
    planner: Callable[[ChangeSet], Plan] | None = None  # default: the Builder's plan

    def __post_init__(self) -> None:
        if self.build is None:
            builder = Builder(self.options, keep_in_memory=True)
            self.build, self.planner = builder.apply, builder.plan

    @property
    def layout(self) -> SiteLayout:
        if self.result is None:
            return site_layout(self.options.source, destination=self.options.output_dir)
        return site_layout(
            self.options.source,
            self.result.site.config,
            self.result.themes,
            self.options.output_dir,
        )

    def initial_build(self) -> bool:
        return self.apply(ChangeSet(Change.CONFIG, ()))

    def on_change(self, changes: ChangeSet) -> SiteLayout:
        """The watcher's callback: apply the change, go on with the (maybe new) layout."""
        self._say(changes.describe())
        try:
            self.apply(changes)
        except Exception:  # e.g. --renderToDisk could not write: say so, keep watching
            self._failed(["internal error in sitegen (a bug):\n" + traceback.format_exc()])
        return self.layout

    def plan(self, changes: ChangeSet) -> Plan:
        if self.planner is not None and self.result is not None:
            return self.planner(changes)
        return plan_changes(changes, first=self.result is None, root=self.options.source.resolve())

    def apply(self, changes: ChangeSet) -> bool:
        """Bring the served site up to date with `changes`; False if the build failed."""
        started = time.perf_counter()
        plan = self.plan(changes)
        if self.result is not None:
            self._say(f"plan: {plan.describe()}")
        if plan.action == Action.NOTHING and self.result is not None:
            self.state.settle()
            return True
        if plan.action == Action.STATIC and self.result is not None:
            return self._refresh_static(changes, started)
        try:
            result = self.build(plan)
        except BuildFailed as failed:
            return self._failed([str(error) for error in failed.errors])
        except SiteError as error:
            return self._failed([str(error)])
        except Exception:  # a bug in sitegen: keep serving, say so, show the traceback
            return self._failed(["internal error in sitegen (a bug):\n" + traceback.format_exc()])
        if result.plan is not None and result.plan != plan:
            self._say(f"plan: {result.plan.describe()}")
        self._report(result, changes, started)
        return True

    def _report(self, result: BuildResult, changes: ChangeSet, started: float) -> None:
        warnings = {str(warning) for warning in result.diagnostics.warnings}
        for warning in sorted(warnings - self.warned):
            self._say(f"warning: {warning}")
        self.warned = frozenset(warnings)
        first = self.result is None
        changed = _changed_outputs(self.result, result, changes)
        self.result = result
        if self.render_to_disk:
            write_site(result)
        if changed or self.state.snapshot is None:
            self._publish(result, "full", self._changed_url(changes, result))
            verb = "built" if first else "rebuilt"
            self._say(f"{verb}: {len(changed)} files changed in {_ms(started)} ms")
        else:
            self.state.settle()
            self._say(f"rebuilt: nothing changed in {_ms(started)} ms")

    def _refresh_static(self, changes: ChangeSet, started: float) -> bool:
        """Static files are read from disk per request: only the list of them can be stale."""
        result = self.result
        roots = [theme.path / "static" for theme in reversed(result.themes)]
        roots.append(result.site.config.source / result.site.config.static_dir)
        result.copies = relist_static(result.copies, roots)
        if self.render_to_disk:
            write_site(result)
        kind = "css" if changes.kind == Change.CSS else "full"
        self._publish(result, kind, None)
        self._say(f"static files refreshed ({kind} reload, no render) in {_ms(started)} ms")
        return True

    def _publish(self, result: BuildResult, kind: str, url: str | None) -> Snapshot:
        roots = [result.site.config.source, *(theme.path for theme in result.themes)]
        snapshot = make_snapshot(
            result.outputs, result.copies, roots, base_path(result.site.config.base_url) + "/"
        )
        return self.state.publish(snapshot, kind, url)

    def _failed(self, errors: list[str]) -> bool:
        for error in errors:
            self._say(f"error: {error}")
        self._say(f"build failed: {len(errors)} error(s); still serving the last good site")
        self.state.fail(errors)
        return False

    def _changed_url(self, changes: ChangeSet, result: BuildResult) -> str | None:
        """The page whose own source changed, for --navigateToChanged."""
        changed = set(changes.paths)
        named = {str(path) for path in changed}
        sourced = [page for page in result.site.pages if page.source is not None]
        # Sources are found under the resolved site folder: compare their names as they are
        # first, and resolve each (slow: a stat per path part) only if none matched, e.g. behind a symlink.
        for page in sourced:
            if str(page.source.path) in named:
                return page.rel_permalink
        for page in sourced:
            if Path(page.source.path).resolve() in changed:
                return page.rel_permalink
        return None

    def _say(self, line: str) -> None:
        print(line, file=self.out, flush=True)


def relist_static(
    copies: list[tuple[Path, str]], static_roots: list[Path]
) -> list[tuple[Path, str]]:
    """`copies` with the static folders listed anew; the roots' order is lowest priority first."""
    resolved = [root.resolve() for root in static_roots]
    chosen: dict[str, Path] = {}
    for root in static_roots:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    chosen[path.relative_to(root).as_posix()] = path
    for path, rel in copies:  # bundle resources and loose content files stay as they were
        if not any(path.resolve().is_relative_to(root) for root in resolved):
            chosen.setdefault(rel, path)
    return [(path, rel) for rel, path in sorted(chosen.items())]


def _changed_outputs(
    before: BuildResult | None, after: BuildResult, changes: ChangeSet
) -> list[str]:
    """Site paths whose bytes differ between two builds, counting copied files that were edited."""
    old = before.outputs if before else {}
    changed = [
        rel
        for rel, data in after.outputs.items()
        if old.get(rel) is not data and old.get(rel) != data
    ]
    changed += [rel for rel in old if rel not in after.outputs]
    if (
        before is not None and after.copies is before.copies
    ):  # a body patch: the same files are copied
        return changed
    old_copies, new_copies = set(before.copies if before else ()), set(after.copies)
    edited = set(changes.paths)
    changed += [
        rel for path, rel in new_copies if (path, rel) not in old_copies or path.resolve() in edited
    ]
    changed += [rel for path, rel in old_copies - new_copies]
    return changed


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
