"""The build's entry: ask the rebuild plan what to do (sitegen.build.plan), then do it.

Everything is read and rendered in memory before anything is written, so a failed build
leaves the previous output untouched. When the plan says nothing changed since the last
written build (sitegen.build.uptodate), there is nothing to do at all; this module imports
no more than that check needs, the stages live in sitegen.build.pipeline.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable, Mapping

from sitegen.build.options import BUILD_STAGES, BuildOptions, BuildResult
from sitegen.build.parallel import worker_count
from sitegen.build.plan import Action, Change, ChangeSet, Plan, plan_build, plan_changes
from sitegen.build.uptodate import BuildRecord, forget_record, load_record, now_utc
from sitegen.errors import BuildFailed, Diagnostics, SiteError, os_failure

__all__ = [
    "BUILD_STAGES",
    "BuildOptions",
    "BuildResult",
    "Builder",
    "UpToDate",
    "build_site",
    "write_site",
]


class UpToDate(BuildResult):
    """The output the last build wrote is still current: nothing was read or rendered, and
    writing this result writes nothing. It holds no site: a caller that needs the site in
    memory builds with `reuse_output=False`."""

    def __init__(self, record: BuildRecord, seconds: float, plan: Plan):
        self.diagnostics = Diagnostics(
            warnings=[SiteError(*warning) for warning in record.warnings]
        )
        self.destination, self.seconds, self.written, self.record = (
            record.destination,
            seconds,
            0,
            None,
        )
        self.plan, self._summary = plan, record.summary

    @property
    def site(self):
        raise RuntimeError(
            "nothing was built (the output is up to date): build with reuse_output=False"
        )

    outputs = copies = themes = site

    def summary_lines(self) -> list[str]:
        return [
            *self._summary,
            f"built in {self.seconds:.2f} s (nothing changed since the last build)",
        ]


def build_site(options: BuildOptions, reuse_output: bool = True) -> BuildResult:
    """Read and render the whole site in memory (with `reuse_output`, an UpToDate result
    when the plan finds nothing changed since the last written build). Raises BuildFailed
    listing every error."""
    return Builder(options).build(reuse_output)


class Builder:
    """Builds one site again and again, doing what the rebuild plan says.

    Per-page work is cached (sitegen.build.pipeline), and a build whose inputs all have the
    stamps of the last written build's is skipped outright. A Builder also remembers,
    between its builds, which source files it has read, so `rebuild` reads only what changed,
    and with `keep_in_memory` it patches one post's new body into the last build:

        builder = Builder(options, keep_in_memory=True)  # e.g. for `sitegen serve`
        result = builder.build()
        result, changed = builder.rebuild([Path("content/posts/x/index.md")])
        # changed: site paths (e.g. "posts/x/index.html") whose bytes differ from before
        result.plan.describe()  # "body patch: posts/x/index.md changed: ..."
    """

    def __init__(
        self, options: BuildOptions, keep_in_memory: bool = False, workers: int | None = None
    ):
        self.options = options
        self.workers = worker_count(workers or options.workers)
        self.keep_in_memory = keep_in_memory
        self.last: BuildResult | None = None
        self._pipeline = None

    @property
    def cache(self):
        return self._pipeline._cache if self._pipeline else None

    def plan(self, changes: ChangeSet) -> Plan:
        """What `changes` call for, given what this builder holds from its last build."""
        pipeline = self._pipeline
        held = pipeline.patchable_sources() if pipeline is not None else ()
        return plan_changes(
            changes,
            first=self.last is None,
            patchable=held,
            minified=pipeline is not None and pipeline.minified,
            root=self.options.source.resolve(),
        )

    def rebuild(self, changed_paths: Iterable[Path] = ()) -> tuple[BuildResult, list[str]]:
        """Build again; `changed_paths` are files known to have changed (without them, every
        file is checked by its stamp). Returns the new result and the site paths whose bytes
        changed."""
        paths = list(changed_paths)
        if paths and self.last is not None:
            plan = self.plan(self.classify(paths))
        elif paths:
            plan = plan_changes(ChangeSet(Change.CONFIG, ()), first=True)
        else:
            plan = plan_build(
                self.options,
                self.last.record if self.last else None,
                now_utc(),
                written=False,
                built_before=self._pipeline is not None,
            )
        before = self.last.outputs if self.last else {}
        result = self.apply(plan)
        return result, changed_outputs(before, result.outputs)

    def classify(self, paths: Iterable[Path]) -> ChangeSet:
        """The kind of change `paths` are, by the folders of the last build's site and themes."""
        from sitegen.build.changes import classify, site_layout

        site = self.last.site
        return classify(
            paths,
            site_layout(
                self.options.source, site.config, self.last.themes, self.options.output_dir
            ),
        )

    def build(self, reuse_output: bool = True) -> BuildResult:
        """The site in memory; with `reuse_output`, an UpToDate result if the last written
        build's inputs and output are all as they were."""
        started = time.perf_counter()
        written = reuse_output and not self.keep_in_memory
        record = load_record(self.options.cache_folder) if written else None
        plan = plan_build(
            self.options,
            record,
            now_utc(),
            written=written,
            built_before=self._pipeline is not None,
        )
        if plan.action == Action.NOTHING and record is not None:
            return UpToDate(record, time.perf_counter() - started, plan)
        return self.apply(plan, started)

    def apply(self, plan: Plan, started: float | None = None) -> BuildResult:
        """Do what `plan` says: keep the last build, patch one body into it, or build
        (a static change builds too: the build lists the copies; the server lists them
        itself, sitegen.serve.rebuild)."""
        started = time.perf_counter() if started is None else started
        if plan.action == Action.NOTHING and self.last is not None:
            return self.last
        if plan.action == Action.BODY_PATCH and self._pipeline is not None:
            patched = self._pipeline.patch_body(plan)
            if isinstance(patched, BuildResult):
                return self._done(patched, plan, started)
            plan = patched  # something besides the body changed: the plan says what to do instead
        if self._pipeline is None:
            # Imported here: the plan above must not pay for Markdown, Jinja and Pygments.
            from sitegen.build.pipeline import Pipeline

            self._pipeline = Pipeline(self.options, self.keep_in_memory, self.workers)
        elif plan.action == Action.FULL:
            self._pipeline.forget_all()
        else:
            for path in plan.paths:
                self._pipeline.forget(path)
        return self._done(self._pipeline.build(), plan, started)

    def _done(self, result: BuildResult, plan: Plan, started: float) -> BuildResult:
        result.seconds, result.plan = time.perf_counter() - started, plan
        self.last = result
        return result


def changed_outputs(before: Mapping[str, bytes], after: Mapping[str, bytes]) -> list[str]:
    """Site paths whose bytes differ between two builds' outputs, removed ones too."""
    changed = [rel for rel, data in after.items() if before.get(rel) != data]
    return changed + [rel for rel in before if rel not in after]


def write_site(result: BuildResult, clean_destination: bool = False) -> BuildResult:
    """Write the result to its destination, and note what was written for the next build.
    Files in the destination that no build wrote are kept unless `clean_destination`."""
    if isinstance(result, UpToDate):
        return result
    from sitegen.build.destination import (
        keep_rule,
        remember_published,
        remember_written,
        spare_folder,
    )
    from sitegen.write.output import write_site as write_output

    started = time.perf_counter()
    folder = result.record.folder if result.record else None
    forget_record(folder)  # until the new output is complete, no record claims it is current
    keep = keep_rule(folder, result.destination, clean_destination)
    try:
        result.written = write_output(
            result.outputs,
            result.copies,
            result.destination,
            keep,
            spare_folder(folder, result.destination),
        )
    except OSError as error:
        raise BuildFailed([os_failure(error)]) from None
    written = [*result.outputs, *(rel for _, rel in result.copies)]
    remember_written(folder, result.destination, written)
    if result.units is not None:
        remember_published(folder, result.destination, result.units, result.outputs)
    result.seconds += time.perf_counter() - started
    if folder is not None and result.record.destination == result.destination:
        result.record.summary = result.summary_lines()[:-1]
        result.record.warnings = [
            (w.message, w.path, w.line, None, w.hint) for w in result.diagnostics.warnings
        ]
        result.record.save(folder, written)
    return result
