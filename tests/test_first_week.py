"""Issue 17: what a team meets in its first week (permissions, -s, new content, destinations,
CLI habits)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import REPO, run_sitegen, write_post


def _build_with_umask(site: Path, umask: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen", "build", "-s", str(site), *args],
                          capture_output=True, text=True, timeout=300, preexec_fn=lambda: os.umask(umask))


@pytest.fixture
def open_site():
    """The example site in a folder every user may traverse (pytest's tmp folders are 0700)."""
    base = Path(tempfile.mkdtemp(prefix="sitegen-perm-"))
    base.chmod(0o755)
    site = base / "site"
    site.mkdir()
    shutil.copy(REPO / "config.toml", site / "config.toml")
    for folder in ("content", "static", "layouts", "archetypes"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, site / folder)
    for path in [site, *site.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield site
    shutil.rmtree(base, ignore_errors=True)


def _modes(folder: Path) -> set[tuple[str, int]]:
    return {("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode)) for p in [folder, *folder.rglob("*")]}


def test_public_follows_the_umask_and_another_user_can_read_it(open_site: Path):
    result = _build_with_umask(open_site, 0o022)
    assert result.returncode == 0, result.stderr
    public = open_site / "public"
    assert _modes(public) == {("dir", 0o755), ("file", 0o644)}
    # a second build goes through the staging folder and the swap again
    (open_site / "content" / "posts").exists()
    result = _build_with_umask(open_site, 0o022)
    assert result.returncode == 0, result.stderr
    assert _modes(public) == {("dir", 0o755), ("file", 0o644)}
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("reading as another user needs root and setpriv")
    as_nobody = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                "cat", str(public / "index.html")], capture_output=True, text=True)
    assert as_nobody.returncode == 0, as_nobody.stderr
    assert "<html" in as_nobody.stdout
    listing = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                              "find", str(public), "-type", "f", "!", "-readable"], capture_output=True, text=True)
    assert listing.returncode == 0 and listing.stdout == "", listing.stdout + listing.stderr


def test_a_stricter_umask_is_honoured(open_site: Path):
    (open_site / "static" / "private.txt").write_text("x")
    (open_site / "static" / "private.txt").chmod(0o600)
    result = _build_with_umask(open_site, 0o027)
    assert result.returncode == 0, result.stderr
    public = open_site / "public"
    rendered = [p for p in public.rglob("*") if p.suffix in (".html", ".xml", ".json")]
    assert len(rendered) > 10
    assert {stat.S_IMODE(p.stat().st_mode) for p in rendered} == {0o640}
    assert {stat.S_IMODE(p.stat().st_mode) for p in [public, *public.rglob("*")] if p.is_dir()} == {0o750}
    # static files keep their own mode, as Hugo copies them (without --noChmod)
    assert stat.S_IMODE((public / "private.txt").stat().st_mode) == 0o600
