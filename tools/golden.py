"""Golden checksum lists of built sites: `tests/golden/<site>.sha256`.

Each test site is built through the real command line (`sitegen build --ignoreCache`) into a
temporary folder; the list has one `sha256  path` line per output file, sorted by path. A
change to any output shows as a changed, added or removed path, so a refactoring that must not
change output can prove it did not.

    python tools/golden.py            compare fresh builds with the lists (exit 1 on a difference)
    python tools/golden.py --write    rebuild and rewrite the lists, on purpose

The build date is pinned to `BUILD_DATE` through SOURCE_DATE_EPOCH, which sitegen reads as
the build's moment, as the date reaches the output (the footer's year; which pages are
published, future or expired).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"
BUILD_DATE = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)

# site name -> source folder
SITES = {
    "example": REPO,
    "mailcow-blog": REPO.parent / "shared" / "corpus" / "mailcow-blog",
}


def build(site: str, destination: Path, moment: datetime = BUILD_DATE) -> None:
    """Build one test site into `destination` with the clock pinned to `moment`, through the CLI."""
    source = SITES[site]
    if not (source / "config.toml").is_file():
        raise FileNotFoundError(f"golden: the {site} site is not at {source}")
    env = dict(os.environ, TZ="UTC", SOURCE_DATE_EPOCH=str(int(moment.timestamp())))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen",
            "build",
            "--source",
            str(source),
            "--destination",
            str(destination),
            "--ignoreCache",
            "--quiet",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"golden: building {site} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        )


def checksums(folder: Path) -> dict[str, str]:
    """{path: sha256} of every file under `folder`, paths relative and with forward slashes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def built_checksums(site: str) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix=f"golden-{site}-") as temp:
        destination = Path(temp) / "public"
        build(site, destination)
        return checksums(destination)


def list_text(sums: dict[str, str]) -> str:
    return "".join(f"{digest}  {path}\n" for path, digest in sorted(sums.items()))


def library_versions() -> dict[str, str]:
    """The installed versions of sitegen and its dependencies: a new Pygments or Babel can change
    output too, so the lists record what they were written with."""
    from importlib import metadata

    names = ["sitegen"] + [
        re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0]
        for requirement in metadata.requires("sitegen") or []
        if "extra ==" not in requirement
    ]
    return {"Python": platform.python_version()} | {name: metadata.version(name) for name in names}


def version_changes() -> list[str]:
    """Libraries whose version differs from the one the lists were written with."""
    path = GOLDEN / "versions.txt"
    recorded = (
        dict(line.split(" ", 1) for line in path.read_text(encoding="utf-8").splitlines())
        if path.exists()
        else {}
    )
    return [
        f"{name} {recorded.get(name, '(none)')} -> {version}"
        for name, version in library_versions().items()
        if recorded.get(name) != version
    ]


def read_list(site: str) -> dict[str, str]:
    sums = {}
    for line in (GOLDEN / f"{site}.sha256").read_text(encoding="utf-8").splitlines():
        digest, path = line.split("  ", 1)
        sums[path] = digest
    return sums


def differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """One line per changed, added or removed path, empty when the trees are the same."""
    lines = [
        f"changed: {p}" for p in sorted(expected.keys() & actual.keys()) if expected[p] != actual[p]
    ]
    lines += [f"added:   {p}" for p in sorted(actual.keys() - expected.keys())]
    lines += [f"removed: {p}" for p in sorted(expected.keys() - actual.keys())]
    return lines


REGENERATE = "python tools/golden.py --write"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite tests/golden/<site>.sha256")
    parser.add_argument(
        "sites", nargs="*", metavar="SITE", help=f"which sites (default: all: {', '.join(SITES)})"
    )
    args = parser.parse_args(argv)
    if unknown := [site for site in args.sites if site not in SITES]:
        parser.error(f"unknown site {unknown[0]!r}: choose from {', '.join(SITES)}")
    status = 0
    for site in args.sites or list(SITES):
        sums = built_checksums(site)
        if args.write:
            GOLDEN.mkdir(parents=True, exist_ok=True)
            (GOLDEN / f"{site}.sha256").write_text(list_text(sums), encoding="utf-8")
            print(
                f"{site}: wrote {len(sums)} paths to {(GOLDEN / f'{site}.sha256').relative_to(REPO)}"
            )
            (GOLDEN / "versions.txt").write_text(
                "".join(f"{name} {version}\n" for name, version in library_versions().items()),
                encoding="utf-8",
            )
            continue
        changes = differences(read_list(site), sums)
        print(f"{site}: {len(sums)} files, {len(changes)} difference(s)")
        for line in changes:
            print(f"  {line}")
        status = status or bool(changes)
    if status:
        if versions := version_changes():
            print("libraries changed since the lists were written: " + ", ".join(versions))
        print(f"if the change is on purpose: {REGENERATE}")
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
