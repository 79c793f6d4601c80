"""The build, top to bottom: load, parse, render, then (only if all went well) write.

Everything is read and rendered in memory before anything is written, so a failed
build leaves the previous output untouched. When nothing the build reads has changed
since the last written build (sitegen.build.uptodate), there is nothing to do at all; this
module imports no more than that check needs, the stages live in sitegen.build.pipeline.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from sitegen.build.cache import default_cache_dir
from sitegen.errors import BuildFailed, Diagnostics, SiteError, os_failure
from sitegen.build.parallel import worker_count
from sitegen.build.uptodate import BuildRecord, forget_record, load_record, now_utc

if TYPE_CHECKING:
    from sitegen.site.assemble import Site
    from sitegen.render.templates import Theme


BUILD_STAGES = 5  # reading, rendering, releases, templates, writing


@dataclass
class BuildOptions:
    source: Path = Path(".")
    destination: Path | None = None  # default: SOURCE/public
    theme: str | None = None
    build_drafts: bool = False
    build_future: bool = False
    build_expired: bool = False
    base_url: str | None = None
    strict_encoding: bool = False
    minify: bool = False
    ignore_cache: bool = False
    cache_dir: Path | None = None  # default: SOURCE/.sitegen-cache (or $SITEGEN_CACHE_DIR)
    workers: int | None = None  # processes for rendering; default: $SITEGEN_WORKERS or every core; 1 = serial
    progress: Callable[[str, int, int], None] | None = None  # (stage, number, of) as the build moves on
    clean_destination: bool = False  # write even if up to date, so that write_site can clean the destination
    config_file: Path | None = None  # --config: this file instead of SOURCE/hugo.toml, config.toml, …

    @property
    def output_dir(self) -> Path:
        return (self.destination or self.source / "public").resolve()

    def identity(self) -> tuple:
        """Every option that changes the output (not workers, progress or the cache's place)."""
        return (str(self.source.resolve()), str(self.output_dir), self.theme, self.build_drafts, self.build_future,
                self.build_expired, self.base_url, self.strict_encoding, self.minify,
                str(self.config_file.resolve()) if self.config_file else None)

    @property
    def cache_folder(self) -> Path | None:
        return None if self.ignore_cache else (self.cache_dir or default_cache_dir(self.source.resolve()))


@dataclass
class BuildResult:
    site: Site
    outputs: Mapping[str, bytes]  # a dict, or sitegen.write.output.StagedOutputs (files in the staging folder)
    copies: list[tuple[Path, str]]
    diagnostics: Diagnostics
    destination: Path
    seconds: float = 0.0
    written: int = 0
    themes: list[Theme] = field(default_factory=list)
    record: BuildRecord | None = None  # saved once written, for the next build to compare against

    def summary_lines(self) -> list[str]:
        lines = []
        for lang in self.site.languages:
            kinds = Counter(p.kind for p in lang.pages)
            described = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
            lines.append(f"{lang.language.code}: {len(lang.pages)} pages ({described})")
        alias = b"<!DOCTYPE html><html lang=\"en\"><head><title>"
        starts = getattr(self.outputs, "startswith", None)  # StagedOutputs: without reading every file back
        aliases = sum(1 for rel in self.outputs if starts(rel, alias)) if starts else \
            sum(1 for data in self.outputs.values() if data.startswith(alias))
        lines.append(f"{len(self.copies)} static files, {aliases} aliases, {len(self.outputs)} files rendered")
        lines.append(f"built in {self.seconds:.2f} s")
        return lines


class UpToDate(BuildResult):
    """The output the last build wrote is still current: nothing was read or rendered.

    The site, outputs and copies are built only if someone asks for them (e.g. to list the
    site's releases); writing this result writes nothing."""

    def __init__(self, builder: Builder, record: BuildRecord, seconds: float):
        self.diagnostics = Diagnostics(warnings=[SiteError(*warning) for warning in record.warnings])
        self.destination, self.seconds, self.written, self.record = record.destination, seconds, 0, None
        self._builder, self._summary = builder, record.summary

    def __getattr__(self, name: str) -> Any:
        if name not in ("site", "outputs", "copies", "themes"):
            raise AttributeError(name)
        full = self._builder.build(reuse_output=False)
        self.__dict__.update(site=full.site, outputs=full.outputs, copies=full.copies, themes=full.themes)
        return getattr(full, name)

    def summary_lines(self) -> list[str]:
        return [*self._summary, f"built in {self.seconds:.2f} s (nothing changed since the last build)"]


def build_site(options: BuildOptions) -> BuildResult:
    """Read and render the whole site in memory. Raises BuildFailed listing every error."""
    return Builder(options).build()


class Builder:
    """Builds one site again and again, redoing only what changed.

    Per-page work is cached (sitegen.build.pipeline), and a build whose inputs all have the
    stamps of the last written build's is skipped outright. A Builder also remembers,
    between its builds, which source files it has read, so `rebuild` reads only what changed:

        builder = Builder(options, keep_in_memory=True)  # e.g. for `sitegen serve`
        result = builder.build()
        result, changed = builder.rebuild([Path("content/posts/x/index.md")])
        # changed: site paths (e.g. "posts/x/index.html") whose bytes differ from before
    """

    def __init__(self, options: BuildOptions, keep_in_memory: bool = False, workers: int | None = None):
        self.options = options
        self.workers = worker_count(workers or options.workers)
        self.keep_in_memory = keep_in_memory
        self.last: BuildResult | None = None
        self._pipeline = None

    @property
    def _cache(self):
        return self._pipeline._cache if self._pipeline else None

    def rebuild(self, changed_paths: Iterable[Path] = ()) -> tuple[BuildResult, list[str]]:
        """Build again; `changed_paths` are files known to have changed (others are checked
        by size and mtime). Returns the new result and the site paths whose bytes changed."""
        changed_paths = list(changed_paths)
        if self.last is not None and not changed_paths and self._unchanged_since(self.last):
            return self.last, []
        before = self.last.outputs if self.last else {}
        result = self._patch(changed_paths) if self.keep_in_memory and self.last is not None else None
        if result is None:
            if self._pipeline is not None:
                for path in changed_paths:
                    self._pipeline.forget(path)
            result = self.build(reuse_output=False)
        self.last = result
        changed = [rel for rel, data in result.outputs.items() if before.get(rel) != data]
        changed += [rel for rel in before if rel not in result.outputs]
        return result, changed

    def build(self, reuse_output: bool = True) -> BuildResult:
        """The site in memory; with `reuse_output`, an UpToDate result if the last written
        build's inputs and output are all as they were."""
        started = time.perf_counter()
        if reuse_output and not self.keep_in_memory and not self.options.clean_destination:
            record = load_record(self.options.cache_folder)
            if record is not None and record.still_current(self.options.identity(), now_utc()):
                return UpToDate(self, record, time.perf_counter() - started)
        if self._pipeline is None:
            # Imported here: the check above must not pay for Markdown, Jinja and Pygments.
            from sitegen.build.pipeline import Pipeline
            self._pipeline = Pipeline(self.options, self.keep_in_memory, self.workers)
        result = self._pipeline.build()
        result.seconds = time.perf_counter() - started
        self.last = result
        return result

    def _patch(self, changed_paths: list[Path]):
        """With one post's body changed, the last build patched (sitegen.build.patch); else None."""
        return self._pipeline.patch(changed_paths) if self._pipeline is not None else None

    def _unchanged_since(self, result: BuildResult) -> bool:
        return result.record is not None and result.record.inputs_current(now_utc())


def write_site(result: BuildResult, clean_destination: bool = False) -> BuildResult:
    """Write the result to its destination, and note what was written for the next build.
    Files in the destination that no build wrote are kept unless `clean_destination`."""
    if isinstance(result, UpToDate):
        return result
    from sitegen.build.destination import keep_rule, remember_written
    from sitegen.write.output import write_site as write_output

    started = time.perf_counter()
    folder = result.record.folder if result.record else None
    forget_record(folder)  # until the new output is complete, no record claims it is current
    keep = keep_rule(folder, result.destination, clean_destination)
    try:
        result.written = write_output(result.outputs, result.copies, result.destination, keep)
    except OSError as error:
        raise BuildFailed([os_failure(error)]) from None
    remember_written(folder, result.destination, [*result.outputs, *(rel for _, rel in result.copies)])
    result.seconds += time.perf_counter() - started
    if folder is not None and result.record.destination == result.destination:
        result.record.summary = result.summary_lines()[:-1]
        result.record.warnings = [(w.message, w.path, w.line, None, w.hint) for w in result.diagnostics.warnings]
        result.record.save(folder)
    return result
