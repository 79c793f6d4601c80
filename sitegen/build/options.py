"""What a build is asked to do and what it made: the options and the result.

A leaf of build/: the builder, the pipeline and the rebuild plan all use these, and none of
them imports another for them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

from sitegen.build.cache import default_cache_dir
from sitegen.errors import Diagnostics

if TYPE_CHECKING:
    from sitegen.build.plan import Plan
    from sitegen.build.uptodate import BuildRecord
    from sitegen.render.templates import Theme
    from sitegen.site.assemble import Site


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
    workers: int | None = (
        None  # processes for rendering; default: $SITEGEN_WORKERS or every core; 1 = serial
    )
    progress: Callable[[str, int, int], None] | None = (
        None  # (stage, number, of) as the build moves on
    )
    clean_destination: bool = (
        False  # write even if up to date, so that write_site can clean the destination
    )
    config_file: Path | None = (
        None  # --config: this file instead of SOURCE/hugo.toml, config.toml, …
    )
    collect_garbage: bool = False  # --gc: after the build, drop the cache entries it did not use

    @property
    def output_dir(self) -> Path:
        return (self.destination or self.source / "public").resolve()

    def identity(self) -> tuple:
        """Every option that changes the output (not workers, progress or the cache's place)."""
        return (
            str(self.source.resolve()),
            str(self.output_dir),
            self.theme,
            self.build_drafts,
            self.build_future,
            self.build_expired,
            self.base_url,
            self.strict_encoding,
            self.minify,
            str(self.config_file.resolve()) if self.config_file else None,
        )

    @property
    def cache_folder(self) -> Path | None:
        return (
            None
            if self.ignore_cache
            else (self.cache_dir or default_cache_dir(self.source.resolve()))
        )


@dataclass
class BuildResult:
    site: Site
    outputs: Mapping[
        str, bytes
    ]  # a dict, or sitegen.write.output.StagedOutputs (files in the staging folder)
    copies: list[tuple[Path, str]]
    diagnostics: Diagnostics
    destination: Path
    seconds: float = 0.0
    written: int = 0
    themes: list[Theme] = field(default_factory=list)
    record: BuildRecord | None = None  # saved once written, for the next build to compare against
    plan: Plan | None = None  # what the rebuild plan (sitegen.build.plan) chose to make this result
    units: dict | None = None  # output unit key -> build.destination.Unpublished, once rendered

    def summary_lines(self) -> list[str]:
        lines = []
        for lang in self.site.languages:
            kinds = Counter(p.kind for p in lang.pages)
            described = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
            lines.append(f"{lang.language.code}: {len(lang.pages)} pages ({described})")
        alias = b'<!DOCTYPE html><html lang="en"><head><title>'
        starts = getattr(
            self.outputs, "startswith", None
        )  # StagedOutputs: without reading every file back
        aliases = (
            sum(1 for rel in self.outputs if starts(rel, alias))
            if starts
            else sum(1 for data in self.outputs.values() if data.startswith(alias))
        )
        lines.append(
            f"{len(self.copies)} static files, {aliases} aliases, {len(self.outputs)} files rendered"
        )
        lines.append(f"built in {self.seconds:.2f} s")
        return lines
