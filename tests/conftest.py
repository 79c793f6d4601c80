"""Shared paths and helpers: tests build real sites into temporary folders."""

from __future__ import annotations

import contextlib
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
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A writable copy of the example site (config.toml, content/, static/, layouts/, archetypes/)."""
    return copy_example_site(tmp_path / "site")


def copy_example_site(site: Path) -> Path:
    """The example site's files (config.toml, content/, static/, layouts/, archetypes/) in `site`."""
    site.mkdir()
    shutil.copy(REPO / "config.toml", site / "config.toml")
    for folder in ("content", "static", "layouts", "archetypes"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, site / folder)
    return site


def write_site(root: Path, files: dict[str, str]) -> Path:
    """A site made of `files` (path under `root` -> text)."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def write_post(site: Path, rel: str, text: str | bytes) -> Path:
    path = site / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


CHROMIUM = (
    "/usr/bin/chromium"  # Debian's, installed by .ci/install-tools.sh (never a downloaded build)
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium_page(local_only: bool = True, **page_options):
    """A headless Chromium page; with `local_only`, requests to any other host are aborted."""
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(**page_options)
            if local_only:
                page.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if route.request.url.startswith(("http://127.0.0.1:", "file://"))
                        else route.abort()
                    ),
                )
            yield page
        finally:
            browser.close()
