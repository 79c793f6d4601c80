"""Imports before a build reads its first page: `python -X importtime` of a real build, cut
where the pipeline starts to read the pages.

    python benchmarks/startup.py SITE [--top 15] [--runs 5] [--code DIR]

Prints the import time (the sum of every module's own time, as -X importtime reports it)
before the first page is read and in the whole build, and the heaviest imports before it,
of the run with the least (on a shared machine the others are slower, not different).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

MARK = "sitegen-startup: first page read"
_WRAPPER = f"""
import sys
sys.path[:0] = [path for path in sys.argv[1:2] if path]
try:  # where pages are read: build/loading.py, or the pipeline itself in older trees (--code)
    from sitegen.build.loading import PageReader as _owner
    _name = "load_pages"
except ImportError:
    from sitegen.build.pipeline import Pipeline as _owner
    _name = "_load_pages"
_load = getattr(_owner, _name)
def _marked(self, *args, **kwargs):
    print({MARK!r}, file=sys.stderr, flush=True)
    setattr(_owner, _name, _load)
    return _load(self, *args, **kwargs)
setattr(_owner, _name, _marked)
from sitegen.cli import main
sys.exit(main(sys.argv[2:]))
"""


def import_times(stderr: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(self µs, module) of the imports before the mark and after it."""
    before, after, seen_mark = [], [], False
    for line in stderr.splitlines():
        if line.strip() == MARK:
            seen_mark = True
            continue
        if not line.startswith("import time:") or "|" not in line:
            continue
        own, _, name = line[len("import time:") :].split("|", 2)
        if own.strip().isdigit():
            (after if seen_mark else before).append((int(own), name.rstrip()))
    return before, after


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--code", default="", help="import sitegen from DIR (e.g. an export of main) instead"
    )
    args = parser.parse_args(argv)
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as out:
            command = [
                sys.executable,
                "-X",
                "importtime",
                "-c",
                _WRAPPER,
                args.code,
                "build",
                "-s",
                str(args.site),
                "-d",
                out,
                "--quiet",
                "--ignoreCache",
            ]
            run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode != 0:
            print(run.stderr[-2000:], file=sys.stderr)
            return 1
        runs.append(import_times(run.stderr))
    before, after = min(runs, key=lambda found: sum(t for t, _ in found[0]))
    print(
        f"{args.site}: {sum(t for t, _ in before) / 1e6:.3f} s of imports before the first page is read "
        f"({len(before)} modules), {sum(t for t, _ in before + after) / 1e6:.3f} s in the whole build"
    )
    for own, name in sorted(before, reverse=True)[: args.top]:
        print(f"  {own / 1000:6.1f} ms  {name.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
