"""Where a sitegen build's time goes: CPU seconds per stage, template loads per page, and
(with --profile) the heaviest functions, for one serial build in this process.

    python benchmarks/stages.py SITE [--cache] [--profile 25]

SITE is built with one worker (so every stage's time is in this process) into a temporary
folder; without --cache it is built as with --ignoreCache. The stages are the build's own
(its progress callback); "start-up" is the imports before the first stage begins. Template
loads count every template Jinja looks up (the page's layout, what it extends, includes
and imports), divided by the number of pages rendered, and per page kind: the loads from
choosing a page's layout to choosing the next page's (one worker renders pages in turn).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument(
        "--cache", action="store_true", help="use (and write) the site's build cache"
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="also print the N heaviest functions"
    )
    args = parser.parse_args(argv)
    marks: list[tuple[str, float]] = [("start-up", time.process_time())]
    profile = cProfile.Profile() if args.profile else None
    if profile:
        profile.enable()
    import jinja2

    from sitegen.build.builder import BuildOptions, build_site

    loads = {"count": 0}
    load_template = jinja2.Environment._load_template

    def counting(self, name, globals):
        loads["count"] += 1
        return load_template(self, name, globals)

    jinja2.Environment._load_template = counting
    by_kind = _count_loads_by_kind(loads)
    with tempfile.TemporaryDirectory() as out:
        options = BuildOptions(
            source=args.site,
            destination=Path(out),
            ignore_cache=not args.cache,
            workers=1,
            progress=lambda stage, number, of: marks.append((stage, time.process_time())),
        )
        result = build_site(options)
        marks.append(("done", time.process_time()))
    if profile:
        profile.disable()
    pages = sum(1 for name in result.outputs if name.endswith(".html"))
    print(
        f"{args.site}: {pages} HTML outputs, {len(result.outputs)} files, one worker, "
        f"{'with' if args.cache else 'without'} the cache"
    )
    print("| stage | CPU s |\n| --- | ---: |")
    for (stage, start), (_, end) in zip(marks, marks[1:]):
        print(
            f"| {stage.split(' ')[0] if stage.startswith('rendering') else stage} | {end - start:.3f} |"
        )
    print(f"| total | {marks[-1][1] - marks[0][1]:.3f} |")
    print(f"template loads: {loads['count']}, {loads['count'] / max(pages, 1):.1f} per HTML output")
    by_kind.close()
    print(
        "template loads per page, by kind (from choosing its layout to the next page's): "
        + ", ".join(
            f"{kind} {sum(counts) / len(counts):.1f} (max {max(counts)})"
            for kind, counts in sorted(by_kind.counts.items())
        )
    )
    if profile:
        stream = io.StringIO()
        pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(args.profile)
        print(stream.getvalue())
    return 0


class _LoadsByKind:
    """Loads between one page's layout choice and the next (one worker: pages render in turn)."""

    def __init__(self, loads: dict[str, int]):
        self.loads, self.counts, self.current = loads, {}, None

    def start(self, kind: str) -> None:
        self.close()
        self.current = (kind, self.loads["count"])

    def close(self) -> None:
        if self.current:
            kind, start = self.current
            self.counts.setdefault(kind, []).append(self.loads["count"] - start)
            self.current = None


def _count_loads_by_kind(loads: dict[str, int]) -> _LoadsByKind:
    import sitegen.render.renderer

    tracker = _LoadsByKind(loads)
    choose = sitegen.render.renderer.select_template

    def counting_select(env, page, *args, **kwargs):
        tracker.start(page.kind)
        return choose(env, page, *args, **kwargs)

    sitegen.render.renderer.select_template = counting_select
    return tracker


if __name__ == "__main__":
    sys.exit(main())
