"""Benchmark sitegen against Hugo and Pelican on the same generated release-note posts.

    python benchmarks/run.py --posts 100,1000 --runs 3 [--tools sitegen,hugo,pelican,floor]
                             [--dense] [--blog DIR | --no-blog] [--no-rebuild] [--no-serve]
                             [--keep DIR] [--json FILE]

Prints a Markdown table of medians (wall, CPU) and peak memory per tool, corpus size and
mode, with the ratios to Hugo and Pelican, then the issue's targets as PASS/FAIL.
See benchmarks/README.md for what each column means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from blog import DEFAULT_BLOG, prepare_blog, run_blog
from corpus import (
    DEFAULT_SEED,
    DENSE_FACTOR,
    hugo_post_path,
    hugo_post_url,
    make_posts,
    write_corpus,
)
from densities import folder_densities, text_densities
from measure import CommandFailed, Measurement, measure
from serve_edit import time_edits
from tools import Tool, clear_cold_state, find_tools

REBUILD_TOOLS = ("sitegen", "hugo")  # Pelican has no incremental build to compare
SERVE_TOOLS = ("sitegen", "hugo")
MODES = [
    "cold",
    "first",
    "first-minify",
    "rebuild",
    "edit",
    "edit-again",
    "title",
    "serve-render",
    "serve-edit",
]


@dataclass
class Result:
    tool: str
    posts: int
    mode: str  # "cold", "first" (fresh checkout, cache written), "rebuild" (nothing changed), "serve-..."
    walls_s: list[float] = field(default_factory=list)
    cpus_s: list[float] = field(default_factory=list)
    peaks_mib: list[float] = field(default_factory=list)
    note: str = ""
    corpus: str = ""  # "" for the generated corpus of `posts` posts, "dense", or a real blog's name

    @property
    def label(self) -> str:
        if self.corpus and not self.posts:
            return self.corpus
        return f"{self.posts:,}" + (f" {self.corpus}" if self.corpus else "")

    @property
    def wall_s(self) -> float | None:
        return statistics.median(self.walls_s) if self.walls_s else None

    @property
    def cpu_s(self) -> float | None:
        return statistics.median(self.cpus_s) if self.cpus_s else None

    @property
    def peak_mib(self) -> float | None:
        return max(self.peaks_mib) if self.peaks_mib else None

    def add(self, measurement: Measurement) -> None:
        self.walls_s.append(measurement.wall_s)
        self.cpus_s.append(measurement.cpu_s)
        self.peaks_mib.append(measurement.peak_mib)


def run_builds(
    tools: list[Tool],
    hugo_site: Path,
    pelican_site: Path,
    work: Path,
    posts: int,
    runs: int,
    rebuild: bool,
    corpus: str = "",
) -> list[Result]:
    """Cold builds (and first builds and nothing-changed rebuilds) for each tool, alternating per round.

    A tool whose cold build skips its cache (sitegen's --ignoreCache) also gets a timed
    first build: from nothing again, but writing its cache as a fresh checkout's build
    does (for the others the cold build is that already). The rebuild follows it."""
    cold = {tool.name: Result(tool.name, posts, "cold", corpus=corpus) for tool in tools}
    first = {
        tool.name: Result(tool.name, posts, "first", corpus=corpus)
        for tool in tools
        if tool.cold_flags
    }
    warm = {
        tool.name: Result(tool.name, posts, "rebuild", corpus=corpus)
        for tool in tools
        if rebuild and tool.name in REBUILD_TOOLS
    }
    minified = {
        name: Result(name, posts, "first-minify", corpus=corpus)
        for name in first
        if name == "sitegen"
    }
    for round_number in range(runs):
        shift = round_number % len(tools)
        for tool in tools[shift:] + tools[:shift]:  # rotate so no tool always goes first
            if cold[tool.name].note:
                continue  # it failed before; do not spend the time again
            site = pelican_site if tool.name == "pelican" else hugo_site
            out, cache = (
                work / f"{tool.name}-{posts}{corpus}-out",
                work / f"{tool.name}-{posts}{corpus}-cache",
            )
            clear_cold_state(site, out, cache)
            command = tool.build_command(site, out, cache)
            cwd = site if tool.cwd_is_site else None
            try:
                cold[tool.name].add(
                    measure(
                        tool.build_command(site, out, cache, cold=True), cwd, tool.environment()
                    )
                )
                if tool.name in minified:
                    clear_cold_state(site, out, cache)
                    minified[tool.name].add(
                        measure(command + ["--minify"], cwd, tool.environment())
                    )
                if tool.name in first:
                    clear_cold_state(site, out, cache)
                    first[tool.name].add(measure(command, cwd, tool.environment()))
                if tool.name in warm:
                    warm[tool.name].add(measure(command, cwd, tool.environment()))
            except CommandFailed as failure:
                print(f"! {tool.name} failed on {posts} posts: {failure}", file=sys.stderr)
                for result in (cold, first, minified, warm):
                    if tool.name in result:
                        result[tool.name].note = "failed"
            print(
                f"  {tool.name:8} {posts:>6} posts round {round_number + 1}: "
                f"{_last(cold[tool.name])}",
                file=sys.stderr,
            )
    return (
        list(cold.values()) + list(first.values()) + list(minified.values()) + list(warm.values())
    )


def _last(result: Result) -> str:
    return f"{result.walls_s[-1]:.2f} s" if result.walls_s and not result.note else "failed"


def run_serve(
    tools: list[Tool], hugo_site: Path, work: Path, posts: int, edits: int
) -> list[Result]:
    """One-post-edit re-render time of each tool's preview server on the Hugo site."""
    post = make_posts(posts, DEFAULT_SEED)[posts // 2]
    serve_work = work / f"serve-{posts}"
    serve_work.mkdir(parents=True, exist_ok=True)
    results = []
    for tool in tools:
        if tool.name not in SERVE_TOOLS:
            continue
        result = Result(tool.name, posts, "serve-edit")
        reported = Result(tool.name, posts, "serve-render")
        if tool.serve is None:
            result.note = reported.note = "n/a: no serve command yet"
        else:
            try:
                times = time_edits(
                    tool,
                    hugo_site,
                    serve_work,
                    hugo_site / hugo_post_path(post),
                    hugo_post_url(post),
                    edits,
                )
                result.walls_s, reported.walls_s = times.edits_s, times.reported_s
                reported.note = "" if times.reported_s else "n/a: server logs no time"
                print(
                    f"  {tool.name:8} {posts:>6} posts serve: startup {times.startup_s:.2f} s,"
                    f" edits {_ms(times.edits_s)} ms, self-reported {_ms(times.reported_s)} ms",
                    file=sys.stderr,
                )
            except RuntimeError as failure:
                print(f"! {tool.name} serve failed on {posts} posts: {failure}", file=sys.stderr)
                result.note = reported.note = "failed"
        results += [result, reported]
    return results


def _ms(seconds: list[float]) -> str:
    return ", ".join(f"{value * 1000:.0f}" for value in seconds) or "–"


def _find(
    results: list[Result], tool: str, posts: int, mode: str, corpus: str = ""
) -> Result | None:
    for result in results:
        if (result.tool, result.posts, result.mode, result.corpus) == (
            tool,
            posts,
            mode,
            corpus,
        ) and result.walls_s:
            return result
    return None


def _counterpart(
    results: list[Result], tool: str, posts: int, mode: str, corpus: str = ""
) -> Result | None:
    """What a row compares with: the tool's same mode; for a first build, a tool without
    one has its cold build (which writes its caches already)."""
    return _find(results, tool, posts, mode, corpus) or (
        _find(results, tool, posts, "cold", corpus) if mode.startswith("first") else None
    )


def _ratio(result: Result, other: Result | None) -> str:
    if other is None or result.wall_s is None or not other.wall_s:
        return "–"
    return f"{result.wall_s / other.wall_s:.2f}×"


def _num(value: float | None, pattern: str) -> str:
    return "–" if value is None else pattern.format(value)


def format_table(results: list[Result]) -> str:
    lines = [
        "| tool | posts | mode | median wall s | median CPU s | peak MiB | ÷ Hugo | ÷ Pelican |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    order = ["sitegen", "hugo", "pelican", "floor"]
    for r in sorted(
        results,
        key=lambda r: (r.posts == 0, r.posts, r.corpus, MODES.index(r.mode), order.index(r.tool)),
    ):
        wall = r.note or _num(r.wall_s, "{:.3f}")
        hugo = _ratio(r, _counterpart(results, "hugo", r.posts, r.mode, r.corpus))
        pelican = _ratio(r, _counterpart(results, "pelican", r.posts, r.mode, r.corpus))
        lines.append(
            f"| {r.tool} | {r.label} | {r.mode} | {wall} | {_num(r.cpu_s, '{:.2f}')} "
            f"| {_num(r.peak_mib, '{:.0f}')} | {hugo} | {pelican} |"
        )
    return "\n".join(lines)


def _wall(
    results: list[Result], tool: str, posts: int, mode: str, corpus: str = ""
) -> float | None:
    found = _find(results, tool, posts, mode, corpus)
    return found.wall_s if found else None


def _target(name: str, measured: float | None, limit: float | None, passes, shows):
    """One target row; `passes(measured, limit)` decides, `shows(...)` formats the figure."""
    if measured is None or limit is None:
        return name, "not measured", "n/a"
    return name, shows(measured, limit), "PASS" if passes(measured, limit) else "FAIL"


def check_targets(results: list[Result]) -> list[tuple[str, str, str]]:
    """The issue's targets as (target, measured, verdict); n/a where data is missing."""

    def wall(tool, posts, mode):
        return _wall(results, tool, posts, mode)

    hugo_cold = wall("hugo", 1000, "cold")
    peak = _find(results, "sitegen", 10000, "cold")
    return [
        _target(
            "cold 1,000: sitegen ≤ 1.5 × Hugo wall",
            wall("sitegen", 1000, "cold"),
            hugo_cold,
            lambda a, b: a <= 1.5 * b,
            lambda a, b: f"{a / b:.2f}×",
        ),
        _target(
            "cold 1,000: ≥ 5 × faster than Pelican",
            wall("sitegen", 1000, "cold"),
            wall("pelican", 1000, "cold"),
            lambda a, b: b >= 5 * a,
            lambda a, b: f"{b / a:.1f}× faster",
        ),
        _target(
            "rebuild, nothing changed, 1,000: ≤ 0.2 × Hugo cold",
            wall("sitegen", 1000, "rebuild"),
            hugo_cold,
            lambda a, b: a <= 0.2 * b,
            lambda a, b: f"{a / b:.2f}×",
        ),
        _target(
            "serve, one post edited, 1,000: re-render ≤ 100 ms",
            wall("sitegen", 1000, "serve-render"),
            0.1,
            lambda a, b: a <= b,
            lambda a, b: f"{a * 1000:.0f} ms",
        ),
        _target(
            "serve, one post edited, 10,000: re-render ≤ Hugo's",
            wall("sitegen", 10000, "serve-render"),
            wall("hugo", 10000, "serve-render"),
            lambda a, b: a <= b,
            lambda a, b: f"{a * 1000:.0f} ms vs {b * 1000:.0f} ms",
        ),
        _target(
            "peak memory, 10,000: < 1 GiB",
            peak.peak_mib if peak else None,
            1024.0,
            lambda a, b: a < b,
            lambda a, b: f"{a:.0f} MiB",
        ),
    ]


def check_release_targets(results: list[Result], blog: str = "") -> list[tuple[str, str, str]]:
    """Issue 20's targets (release-note densities, a real blog) as (target, measured, verdict)."""

    def wall(tool, posts, mode, corpus=""):
        return _wall(results, tool, posts, mode, corpus)

    def ratio(limit):
        return lambda a, b: a <= limit * b

    def times(a, b):
        return f"{a / b:.2f}×"

    def seconds(a, b):
        return f"{a:.3f} s"

    peak = _find(results, "sitegen", 10000, "cold")
    rows = [
        _target(
            f"{blog or 'blog'} cold ≤ 1.0 s",
            wall("sitegen", 0, "cold", blog),
            1.0,
            ratio(1),
            seconds,
        ),
        _target(
            f"{blog or 'blog'} one post edited, with cache ≤ 0.3 s",
            wall("sitegen", 0, "edit", blog),
            0.3,
            ratio(1),
            seconds,
        ),
        _target(
            f"{blog or 'blog'} title changed, with cache ≤ 0.6 s",
            wall("sitegen", 0, "title", blog),
            0.6,
            ratio(1),
            seconds,
        ),
        _target(
            "cold 1,000 at real density ≤ 1.5 × Hugo",
            wall("sitegen", 1000, "cold"),
            wall("hugo", 1000, "cold"),
            ratio(1.5),
            times,
        ),
        _target(
            "cold 10,000 at real density ≤ 1.2 × Hugo",
            wall("sitegen", 10000, "cold"),
            wall("hugo", 10000, "cold"),
            ratio(1.2),
            times,
        ),
        _target(
            "cold 1,000 dense ≤ 2 × Hugo",
            wall("sitegen", 1000, "cold", "dense"),
            wall("hugo", 1000, "cold", "dense"),
            ratio(2),
            times,
        ),
        _target(
            "serve, one post edited, 1,000: re-render ≤ 50 ms",
            wall("sitegen", 1000, "serve-render"),
            0.05,
            ratio(1),
            lambda a, b: f"{a * 1000:.0f} ms",
        ),
        _target(
            "peak memory, 10,000 ≤ 600 MiB",
            peak.peak_mib if peak else None,
            600.0,
            ratio(1),
            lambda a, b: f"{a:.0f} MiB",
        ),
    ]
    for label, posts, corpus in ((blog or "blog", 0, blog), ("1,000", 1000, "")):
        rows += [
            _target(
                f"{label}: first build ≤ 1.15 × cold",
                wall("sitegen", posts, "first", corpus),
                wall("sitegen", posts, "cold", corpus),
                ratio(1.15),
                times,
            ),
            _target(
                f"{label}: --minify first build ≤ 1.3 × first",
                wall("sitegen", posts, "first-minify", corpus),
                wall("sitegen", posts, "first", corpus),
                ratio(1.3),
                times,
            ),
        ]
    return rows


def densities_note(blog: Path | None, sizes: list[int], dense: bool) -> str:
    """The real blog's densities (measured now) beside the generated corpora's."""
    lines = []
    if blog is not None and (blog / "content").is_dir():
        lines.append(
            "- " + folder_densities(blog / "content").line(f"real blog {blog.resolve().name}")
        )
    largest = max(sizes)
    lines.append(
        "- "
        + text_densities([p.body for p in make_posts(largest)]).line(
            f"generated, {largest:,} posts"
        )
    )
    if dense:
        lines.append(
            "- "
            + text_densities([p.body for p in make_posts(largest, dense=True)]).line(
                f"generated --dense ({DENSE_FACTOR}× the targets), {largest:,} posts"
            )
        )
    return "Densities (features per KB of Markdown, benchmarks/densities.py):\n" + "\n".join(lines)


def floor_note(results: list[Result]) -> str:
    """What floor.py's cold build (markdown-it-py alone) gives on the cold targets: a generator
    built on markdown-it-py meets a target only if its floor meets it with room to spare."""
    floor = _wall(results, "floor", 1000, "cold")
    hugo, pelican = _wall(results, "hugo", 1000, "cold"), _wall(results, "pelican", 1000, "cold")
    if floor is None or (hugo is None and pelican is None):
        return ""
    parts = ([f"{floor / hugo:.2f}× Hugo"] if hugo else []) + (
        [f"{pelican / floor:.1f}× faster than Pelican"] if pelican else []
    )
    return (
        f"markdown-it-py alone (benchmarks/floor.py: Markdown to one HTML file per post, on every core), "
        f"cold 1,000: {floor:.3f} s, {' and '.join(parts)}."
    )


def format_targets(rows: list[tuple[str, str, str]]) -> str:
    lines = ["| target | measured | verdict |", "| --- | --- | --- |"]
    lines += [f"| {target} | {measured} | {verdict} |" for target, measured, verdict in rows]
    return "\n".join(lines)


def describe_machine(tools: list[Tool]) -> str:
    versions = "; ".join(f"{tool.name} {tool.version}" for tool in tools)
    return (
        f"{time.strftime('%Y-%m-%d')}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; {versions}"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--posts",
        default="100,1000",
        help="comma-separated corpus sizes (default 100,1000; 10000 is opt-in)",
    )
    parser.add_argument("--runs", type=int, default=3, help="rounds per size (default 3)")
    parser.add_argument("--tools", default="sitegen,hugo,pelican")
    parser.add_argument(
        "--rebuild",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time a second build with nothing changed",
    )
    parser.add_argument(
        "--serve",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time one-post edits under sitegen serve and hugo server",
    )
    parser.add_argument("--edits", type=int, default=7, help="edits per server (default 7)")
    parser.add_argument("--keep", type=Path, help="work in DIR and keep corpora and outputs")
    parser.add_argument("--json", type=Path, help="also write all raw figures to FILE")
    parser.add_argument(
        "--dense",
        action="store_true",
        help=f"also build {DENSE_FACTOR}× denser corpora (the largest size only)",
    )
    parser.add_argument(
        "--blog",
        type=Path,
        default=DEFAULT_BLOG,
        help="a real Hugo blog to build too (default: ../shared/corpus/mailcow-blog)",
    )
    parser.add_argument(
        "--no-blog", action="store_const", const=None, dest="blog", help="skip the real blog"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tools, missing = find_tools([name.strip() for name in args.tools.split(",") if name.strip()])
    for note in missing:
        print(f"! {note}", file=sys.stderr)
    if not tools:
        return 1
    work = args.keep or Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    sizes = [int(size) for size in args.posts.split(",")]
    blog = args.blog if args.blog is not None and (args.blog / "content").is_dir() else None
    if args.blog is not None and blog is None:
        print(f"! no blog at {args.blog}; skipped", file=sys.stderr)
    try:
        if blog is not None:
            print(f"building {blog.resolve().name} in {work}", file=sys.stderr)
            results += run_blog(
                tools, prepare_blog(blog, work), work, blog.resolve().name, args.runs, Result
            )
        for posts in sizes:
            print(f"generating {posts} posts in {work}", file=sys.stderr)
            hugo_site, pelican_site = write_corpus(work / f"corpus-{posts}", posts)
            results += run_builds(
                tools, hugo_site, pelican_site, work, posts, args.runs, args.rebuild
            )
            if args.serve:
                results += run_serve(tools, hugo_site, work, posts, args.edits)
            if not args.keep:
                _remove_outputs(work, posts)
        if args.dense:
            posts = max(sizes)
            print(f"generating {posts} dense posts in {work}", file=sys.stderr)
            hugo_site, pelican_site = write_corpus(
                work / f"corpus-{posts}-dense", posts, dense=True
            )
            results += run_builds(
                tools, hugo_site, pelican_site, work, posts, args.runs, False, corpus="dense"
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    blog_name = blog.resolve().name if blog is not None else ""
    report = (
        f"{describe_machine(tools)}\n\n{densities_note(blog, sizes, args.dense)}\n\n"
        f"{format_table(results)}\n\n{format_targets(check_targets(results))}\n\n"
        f"{format_targets(check_release_targets(results, blog_name))}"
    )
    note = floor_note(results)
    if note:
        report += f"\n\n{note}"
    print(report)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": describe_machine(tools),
                    "results": [
                        {**asdict(r), "wall_s": r.wall_s, "cpu_s": r.cpu_s, "peak_mib": r.peak_mib}
                        for r in results
                    ],
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


def _remove_outputs(work: Path, posts: int) -> None:
    """10,000-post outputs are large: drop them once their size is measured."""
    for path in [*work.glob(f"*-{posts}-*"), work / f"serve-{posts}"]:
        shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
