"""How one huge or hostile post scales (issue 19): time and peak memory per byte.

Builds a one-post site per shape and size with the real command line (one worker, no
cache) and prints seconds, peak RSS and microseconds per KB, so a quadratic step shows as
a per-byte cost that grows with the size:

    python benchmarks/hostile.py --sizes 1000,4000,8000

`--traced` builds in this process instead, twice per post (the first loads what a build
imports), and prints tracemalloc's peak of the second build above a one-paragraph post's,
per MB of post, and how much of it Markdown rendering holds (`sitegen.content.body.render_markdown`):
    python benchmarks/hostile.py --traced --shapes paragraphs --sizes 200,2000,20000,80000
"""

from __future__ import annotations

import argparse
import functools
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

SHAPES = {
    "identical headings": lambda n: "".join("## Same heading\n\ntext\n\n" for _ in range(n)),
    "unclosed shortcodes": lambda n: "".join("{{< details >}} x\n" for _ in range(n)),
    "paragraphs": lambda n: "".join(
        f"Paragraph {i} with **some** `code` and a [link](/x/).\n\n" for i in range(n)
    ),
}


def build_once(body: str) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        (site / "config.toml").write_text('title = "big"\n', encoding="utf-8")
        post = site / "content" / "posts" / "big.md"
        post.parent.mkdir(parents=True)
        post.write_text("---\ntitle: big\n---\n" + body, encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sitegen",
                "build",
                "-s",
                str(site),
                "--quiet",
                "--ignoreCache",
                "--workers",
                "1",
            ],
            capture_output=True,
            text=True,
            cwd=folder,
        )
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return seconds, peak, done.returncode


def write_site(folder: Path, body: str) -> Path:
    (folder / "config.toml").write_text('title = "big"\n', encoding="utf-8")
    post = folder / "content" / "posts" / "big.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text("---\ntitle: big\n---\n" + body, encoding="utf-8")
    return folder


def traced_build(body: str) -> tuple[float, float]:
    """(peak bytes of a build, peak bytes while Markdown was rendered), in this process."""
    import sitegen.content.body
    from sitegen.cli import main as sitegen_main

    markdown_peak = [0]
    render = sitegen.content.body.render_markdown

    @functools.wraps(render)
    def measured(*args, **kwargs):
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        try:
            return render(*args, **kwargs)
        finally:
            markdown_peak[0] = max(markdown_peak[0], tracemalloc.get_traced_memory()[1] - before)

    with tempfile.TemporaryDirectory() as folder:
        argv = [
            "build",
            "-s",
            str(write_site(Path(folder), body)),
            "--quiet",
            "--ignoreCache",
            "--workers",
            "1",
        ]
        sitegen_main(argv)
        sitegen.content.body.render_markdown = measured
        tracemalloc.start()
        try:
            sitegen_main(argv)
            peak = max(tracemalloc.get_traced_memory()[1], markdown_peak[0])
        finally:
            tracemalloc.stop()
            sitegen.content.body.render_markdown = render
    return peak, markdown_peak[0]


def print_traced(shapes: list[str], sizes: list[int]) -> None:
    baseline, _ = traced_build(SHAPES["paragraphs"](1))
    print(f"baseline (one paragraph): {baseline / 2**20:.1f} MiB")
    print("| shape | n | MB | peak MiB above baseline | MiB per MB | of it in Markdown rendering |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for shape in shapes:
        for n in sizes:
            body = SHAPES[shape](n)
            peak, markdown = traced_build(body)
            mb = len(body.encode()) / 1e6
            extra = (peak - baseline) / 2**20
            print(
                f"| {shape} | {n:,} | {mb:.3f} | {extra:,.1f} | {extra / mb:,.0f} | {markdown / 2**20 / mb:,.0f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,8000", help="repetitions of each shape")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="which shapes, comma-separated")
    parser.add_argument(
        "--traced", action="store_true", help="in-process tracemalloc peaks per MB instead"
    )
    args = parser.parse_args()
    shapes = args.shapes.split(",")
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.traced:
        print_traced(shapes, sizes)
        return
    print("| shape | n | KB | exit | s | µs/KB | peak MiB (largest so far) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for shape in shapes:
        make = SHAPES[shape]
        for n in sizes:
            body = make(n)
            seconds, peak, code = build_once(body)
            kb = len(body.encode()) / 1024
            print(
                f"| {shape} | {n:,} | {kb:,.0f} | {code} | {seconds:.2f} | {seconds * 1e6 / kb:,.0f} | {peak:,.0f} |"
            )


if __name__ == "__main__":
    main()
