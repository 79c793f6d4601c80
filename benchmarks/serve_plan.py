"""What one saved post costs `sitegen serve`, in process, without the file watcher's delay.

    .venv/bin/python benchmarks/serve_plan.py [--posts 1000] [--edits 9] [--keep DIR]

Builds the benchmark corpus (benchmarks/corpus.py, real release-note densities) with
sitegen's default theme, as `sitegen serve` does, then edits one post's body `--edits`
times and hands each edit to the server's own rebuild step (serve.rebuild.Rebuilder.apply,
the code the watcher calls). For each edit it prints the plan the rebuild chose, the wall
time and the CPU time of this process (the machine may be shared: CPU time is the steadier
figure), and checks that the served page shows the edit. The medians come last.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DEFAULT_SEED, hugo_post_path, hugo_post_url, make_posts, write_hugo_site  # noqa: E402


def measure(site: Path, post_file: Path, url: str, edits: int) -> list[tuple[str, float, float]]:
    from sitegen.build.builder import BuildOptions
    from sitegen.serve.rebuild import Rebuilder
    from sitegen.serve.state import SiteState
    from sitegen.serve.watch import classify

    log = io.StringIO()
    rebuilder = Rebuilder(
        BuildOptions(source=site, base_url="http://localhost:1313/"), SiteState(), log
    )
    started = time.perf_counter()
    if not rebuilder.initial_build():
        raise SystemExit(f"the first build failed:\n{log.getvalue()}")
    print(f"first build: {time.perf_counter() - started:.2f} s", file=sys.stderr)
    original = post_file.read_bytes()
    rel = url.strip("/") + "/index.html"
    times = []
    try:
        for number in range(edits):
            marker = f"Benchmark edit {number} {time.time_ns()}"
            post_file.write_bytes(original + f"\n\n{marker}.\n".encode())
            changes = classify([post_file], rebuilder.layout)
            offset = len(log.getvalue())
            wall, cpu = time.perf_counter(), time.process_time()
            rebuilder.apply(changes)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if marker.encode() not in rebuilder.state.snapshot.outputs[rel]:
                raise SystemExit(f"edit {number} is not served:\n{log.getvalue()[offset:]}")
            said = log.getvalue()[offset:].strip().splitlines()
            plan = next(
                (
                    line.removeprefix("plan: ").split(":")[0]
                    for line in reversed(said)
                    if line.startswith("plan: ")
                ),
                "?",
            )
            times.append((plan, wall, cpu))
            print(
                f"  edit {number}: {wall * 1000:6.1f} ms wall, {cpu * 1000:6.1f} ms CPU   {' / '.join(said)}",
                file=sys.stderr,
            )
    finally:
        post_file.write_bytes(original)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=9)
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sitegen-serve-plan-") as scratch:
        work = args.keep or Path(scratch)
        posts = make_posts(args.posts, DEFAULT_SEED)
        site = work / "hugo"
        if not (site / "config.toml").exists():
            write_hugo_site(posts, site)
        post = posts[args.posts // 2]
        times = measure(site, site / hugo_post_path(post), hugo_post_url(post), args.edits)
    walls, cpus = [wall for _, wall, _ in times], [cpu for _, _, cpu in times]
    print(
        f"| posts | edits | median wall ms | median CPU ms | plan |\n|---:|---:|---:|---:|---|\n"
        f"| {args.posts:,} | {len(times)} | {statistics.median(walls) * 1000:.1f} | "
        f"{statistics.median(cpus) * 1000:.1f} | {times[-1][0]} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
