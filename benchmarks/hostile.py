"""How one huge or hostile post scales (issue 19): time and peak memory per byte.

Builds a one-post site per shape and size with the real command line (one worker, no
cache) and prints seconds, peak RSS and microseconds per KB, so a quadratic step shows as
a per-byte cost that grows with the size:

    python benchmarks/hostile.py --sizes 1000,4000,8000
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHAPES = {
    "identical headings": lambda n: "".join("## Same heading\n\ntext\n\n" for _ in range(n)),
    "unclosed shortcodes": lambda n: "".join("{{< details >}} x\n" for _ in range(n)),
    "paragraphs": lambda n: "".join(f"Paragraph {i} with **some** `code` and a [link](/x/).\n\n" for i in range(n)),
}


def build_once(body: str) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        (site / "config.toml").write_text('title = "big"\n', encoding="utf-8")
        post = site / "content" / "posts" / "big.md"
        post.parent.mkdir(parents=True)
        post.write_text("---\ntitle: big\n---\n" + body, encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "sitegen", "build", "-s", str(site), "--quiet",
                               "--ignoreCache", "--workers", "1"], capture_output=True, text=True, cwd=folder)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return seconds, peak, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,8000", help="repetitions of each shape")
    args = parser.parse_args()
    print("| shape | n | KB | exit | s | µs/KB | peak MiB (largest so far) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for shape, make in SHAPES.items():
        for n in [int(size) for size in args.sizes.split(",")]:
            body = make(n)
            seconds, peak, code = build_once(body)
            kb = len(body.encode()) / 1024
            print(f"| {shape} | {n:,} | {kb:,.0f} | {code} | {seconds:.2f} | {seconds * 1e6 / kb:,.0f} | {peak:,.0f} |")


if __name__ == "__main__":
    main()
