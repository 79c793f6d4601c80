"""What a rebuild redoes, decided in one place: from what changed to a plan.

Every way sitegen builds again asks this module and no other: `sitegen build` (the record of
the last written build and the clock, sitegen.build.uptodate), `sitegen serve` (the watcher's
changed paths, by kind) and a Builder told which files changed. The answer is a `Plan`, a
plain value whose reason the serve log and `sitegen build --verbose` show. The plan says what
to do; the stages do it (each stage's cache key picks the pages a partial build redoes,
sitegen.build.patch patches one body), as Zola's serve matches a change kind to an action.

    what changed                                   plan
    nothing the site is built from, data files     nothing (sitegen reads no data files)
    stylesheets only / other static files only     static: the copies listed anew, no render
    one page's file, its last build in memory      body patch, if only its body changed
      ... its front matter or releases changed     partial
    content files                                  partial
    i18n, layouts                                  partial: every output renders, Markdown cached
    the config, or no earlier build                full
    time: a page became due or expired, a new      partial
      year or month that pages show
    nothing, by the last written build's stamps    nothing

Only stdlib imports: `sitegen build` asks before Markdown, Jinja or Pygments load.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sitegen.build.uptodate import BuildRecord


class AskedBuild(Protocol):
    """What the plan reads of a build's options (sitegen.build.options.BuildOptions)."""

    ignore_cache: bool
    clean_destination: bool
    collect_garbage: bool

    def identity(self) -> tuple: ...


class Change(enum.IntEnum):
    """Kinds of changed path, ordered by how much of the site they can affect."""

    NONE = 0  # nothing the site is built from (archetypes, a theme's README, public/)
    DATA = 1  # data files: no template of sitegen's reads them (Hugo's site.Data is not supported)
    CSS = 2  # stylesheets among the static files only
    STATIC = 3  # static files only: no render, the copies are listed anew
    CONTENT = 4  # Markdown or bundle resources: the pages, their lists, terms and feeds
    I18N = 5  # translation tables: every page may show them
    TEMPLATE = 6  # layouts, the site's or its themes': every page may use them
    CONFIG = 7  # the config file: everything, and maybe the watched folders themselves


@dataclass(frozen=True)
class ChangeSet:
    kind: Change
    paths: tuple[Path, ...]  # every changed path, resolved, sorted

    def describe(self) -> str:
        names = ", ".join(path.name for path in self.paths[:3])
        more = f" and {len(self.paths) - 3} more" if len(self.paths) > 3 else ""
        return f"{self.kind.name.lower()} change: {names}{more}"


class Action(enum.IntEnum):
    """What a rebuild does, from least to most."""

    NOTHING = 0  # keep the last output as it is
    STATIC = 1  # no render: the static files are listed (and copied) anew
    BODY_PATCH = (
        2  # one page's body renders again into the last build, with the lists and feeds showing it
    )
    PARTIAL = 3  # the build runs; each stage reuses its cached work whose inputs are the same
    FULL = (
        4  # the build runs, every source read again; nothing kept from an earlier build in memory
    )

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")


@dataclass(frozen=True)
class Plan:
    action: Action
    reason: str  # in words, for the serve log and --verbose
    paths: tuple[Path, ...] = ()  # the changed paths it was made from, if known

    def describe(self) -> str:
        return f"{self.action.label}: {self.reason}"

    def renders(self) -> bool:
        return self.action >= Action.BODY_PATCH


def plan_changes(
    changes: ChangeSet,
    *,
    first: bool,
    patchable: Collection[Path] = (),
    minified: bool = False,
    root: Path | None = None,
) -> Plan:
    """The plan for changed paths of a known kind (`sitegen serve`'s watcher, a Builder).
    `first`: no build was made yet; `patchable`: the page sources whose last build is held
    in memory, ready for a body patch; `minified`: the last build's output was minified
    (a patch renders unminified, so it builds instead); `root`: the site's folder, which the
    reasons name paths from."""
    paths, kind = changes.paths, changes.kind
    if first:
        return Plan(Action.FULL, "the first build", paths)
    named = _names(paths, root)
    if kind == Change.NONE:
        return Plan(Action.NOTHING, "no file the site is built from changed", paths)
    if kind == Change.DATA:
        return Plan(
            Action.NOTHING,
            f"data files only ({named}): sitegen's templates do not read them",
            paths,
        )
    if kind == Change.CSS:
        return Plan(Action.STATIC, f"stylesheets only ({named}): refreshed in place", paths)
    if kind == Change.STATIC:
        return Plan(Action.STATIC, f"static files only ({named}): no render", paths)
    if kind == Change.CONTENT:
        if len(paths) == 1 and paths[0] in patchable and minified:
            return Plan(
                Action.PARTIAL,
                f"{named} changed, and the output is minified, which a body patch is not",
                paths,
            )
        if len(paths) == 1 and paths[0] in patchable:
            return Plan(
                Action.BODY_PATCH,
                f"{named} changed: its body renders again, if nothing else of it changed",
                paths,
            )
        return Plan(
            Action.PARTIAL, f"content changed ({named}): the pages it feeds render again", paths
        )
    if kind in (Change.I18N, Change.TEMPLATE):
        return Plan(
            Action.PARTIAL,
            f"{kind.name.lower()} changed ({named}): every output renders again, "
            "Markdown from the cache",
            paths,
        )
    return Plan(Action.FULL, f"the config changed ({named}): everything builds again", paths)


def plan_after_reading(plan: Plan, difference: str | None, root: Path | None = None) -> Plan:
    """A body patch stays one only if the page's new file differs from the last in its body
    alone (`difference`: what else differs, found by sitegen.build.patch, or None)."""
    if plan.action != Action.BODY_PATCH or difference is None:
        return plan
    return Plan(
        Action.PARTIAL,
        f"{_names(plan.paths, root)}: {difference}, so the pages showing it render again",
        plan.paths,
    )


def plan_build(
    options: AskedBuild,
    record: BuildRecord | None,
    now: datetime,
    *,
    written: bool,
    built_before: bool = False,
) -> Plan:
    """The plan of a build from the stamps of the last one (`sitegen build`, or a Builder asked
    to build again without being told what changed). `written`: compare against the output the
    last build wrote (else only its inputs, e.g. a build held in memory); `built_before`: this
    process built the site already and keeps what it read."""
    if options.ignore_cache and not built_before:
        return Plan(Action.FULL, "--ignoreCache: nothing is reused")
    if written and options.clean_destination:
        return Plan(Action.PARTIAL, "--cleanDestinationDir: the output is written anew")
    if written and options.collect_garbage:
        return Plan(Action.PARTIAL, "--gc: the build looks up every cache entry it uses")
    if record is None:
        if built_before:
            return Plan(Action.PARTIAL, "asked to build again")
        return Plan(Action.FULL, "no earlier build is recorded in the cache")
    stale = record.written_stale(options.identity(), now) if written else record.inputs_stale(now)
    if stale is None:
        return Plan(Action.NOTHING, "nothing changed since the last build")
    return Plan(Action.PARTIAL, stale)


def _names(paths: tuple[Path, ...], root: Path | None) -> str:
    """The changed paths, short: from the site's folder (else by their last three parts), at
    most three of them."""

    def name(path: Path) -> str:
        return (
            path.relative_to(root).as_posix()
            if root and path.is_relative_to(root)
            else "/".join(path.parts[-3:])
        )

    shown = ", ".join(name(path) for path in paths[:3])
    return (
        shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        if paths
        else "nothing named"
    )
