"""Throughput of decode_source (decode + mojibake repair) on clean and damaged posts, in MB/s.

    .venv/bin/python benchmarks/encoding_throughput.py [--rounds N]

Reads the real posts of ../shared/corpus in place; the damaged copies are made in
memory the way tools make them (UTF-8 bytes decoded as Mac Roman / cp1252).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ftfy.bad_codecs  # noqa: E402,F401  registers "sloppy-windows-1252"

from sitegen.load.encoding import decode_source  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "mailcow-blog" / "content"
SEED = ROOT.parent / "shared" / "seed" / "000_7e6f5bbde1a89b62.txt"


def throughput(files: list[bytes], rounds: int) -> float:
    """Best of `rounds` passes over all files, in MB (10^6 bytes) per second."""
    size = sum(len(data) for data in files)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for data in files:
            decode_source(data, "bench.md")
        best = min(best, time.perf_counter() - started)
    return size / best / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    posts = [path.read_bytes() for path in sorted(CORPUS.rglob("*.md"))]
    texts = [data.decode("utf-8") for data in posts]
    sets = {
        "clean posts (UTF-8, as published)": posts,
        "clean posts, ASCII only": [t.encode("ascii", "ignore") for t in texts],
        "whole post read as Mac Roman": [t.encode().decode("mac_roman").encode() for t in texts],
        "whole post read as cp1252 (browser)": [
            t.encode().decode("sloppy-windows-1252").encode() for t in texts
        ],
        "seed post (real Mac Roman damage)": [SEED.read_bytes()],
    }
    mixed = []
    for t in texts:  # every other line damaged: the repair's slowest path
        lines = t.split("\n")
        lines[::2] = [line.encode().decode("mac_roman") for line in lines[::2]]
        mixed.append("\n".join(lines).encode())
    sets["every other line read as Mac Roman"] = mixed
    print(f"{'input':40} {'MB':>7} {'MB/s':>8}")
    for name, files in sets.items():
        size = sum(len(d) for d in files) / 1e6
        print(f"{name:40} {size:7.3f} {throughput(files, rounds):8.1f}")


if __name__ == "__main__":
    main()
