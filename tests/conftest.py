"""Shared paths and helpers: tests build real sites into temporary folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "mailcow-blog"
SEED = SHARED / "seed" / "000_7e6f5bbde1a89b62.txt"


def run_sitegen(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real command line, as a user would."""
    return subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A writable copy of the example site (config.toml, content/, static/, layouts/, archetypes/)."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "config.toml", site / "config.toml")
    for folder in ("content", "static", "layouts", "archetypes"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, site / folder)
    return site


def write_post(site: Path, rel: str, text: str | bytes) -> Path:
    path = site / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
