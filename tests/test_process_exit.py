"""The `sitegen` process ends without tearing the interpreter down (sitegen.cli.run): whatever
it had to say reaches the reader whole, its exit code is the build's, and the cache it leaves
is whole and used by the next build."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from cache_helpers import Differential, entries_file, small_site, user_cache  # noqa: F401
from conftest import tree_bytes, write_post

IMAGES = 400  # enough warnings that stderr outgrows a pipe's buffer (64 KiB on Linux)


def run_sitegen(*args, command=(sys.executable, "-m", "sitegen")) -> subprocess.CompletedProcess:
    """The command with its output buffered, as a pipe to a user's shell or CI is (this
    machine's environment sets PYTHONUNBUFFERED, which would hide a stream left unflushed)."""
    buffered = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, timeout=300, env=buffered
    )


def _site_with_warnings(tmp_path: Path) -> Path:
    site = small_site(tmp_path, extra="[markup.goldmark.renderer]\n  unsafe = true\n")
    images = "\n\n".join(f'<img src="picture-{n}.png">' for n in range(IMAGES))
    post = write_post(site, "posts/gallery/index.md", f"---\ntitle: Gallery\n---\n{images}\n")
    for n in range(IMAGES):
        (post.parent / f"picture-{n}.png").write_bytes(b"\x89PNG picture")
    return site


def test_everything_said_reaches_a_pipe_whole(tmp_path: Path):
    site = _site_with_warnings(tmp_path)
    built = run_sitegen("build", "-s", site, "-d", tmp_path / "public", "--verbose")
    assert built.returncode == 0, built.stderr
    assert len(built.stderr.encode()) > 65536
    listed = [n for n in range(IMAGES) if f"picture-{n}.png" in built.stderr]
    assert listed == list(range(IMAGES))
    assert built.stdout.rstrip().splitlines()[-1].startswith("built in ")
    assert (tmp_path / "public/posts/gallery/index.html").is_file()


def test_the_installed_command_ends_the_same_way(tmp_path: Path):
    command = Path(sys.executable).with_name("sitegen")
    site = small_site(tmp_path)
    built = run_sitegen("build", "-s", site, "-d", tmp_path / "public", command=[command])
    assert built.returncode == 0, built.stderr
    assert "files rendered" in built.stdout
    version = run_sitegen("version", command=[command])
    assert version.returncode == 0 and version.stdout.startswith("sitegen ")


def test_a_failed_build_exits_with_its_code_and_says_why(tmp_path: Path):
    site = small_site(tmp_path)
    public = tmp_path / "public"
    assert run_sitegen("build", "-s", site, "-d", public).returncode == 0
    before = tree_bytes(public)
    write_post(site, "posts/broken/index.md", "---\ntitle: [unclosed\n---\nText.\n")
    failed = run_sitegen("build", "-s", site, "-d", public)
    assert failed.returncode == 1
    assert "posts/broken/index.md" in failed.stderr
    assert failed.stderr.rstrip().splitlines()[-1] == "build failed: 1 error(s)"
    assert tree_bytes(public) == before


def test_the_cache_left_behind_is_whole_and_used(tmp_path: Path):
    site = small_site(tmp_path, posts=6)
    differential = Differential(site, tmp_path / "work", cache=tmp_path / "cache")
    differential.build()
    with closing(sqlite3.connect(entries_file(tmp_path / "cache"))) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] > 6
    again = run_sitegen(
        "build",
        "-s",
        site,
        "-d",
        tmp_path / "work/cached",
        "--cacheDir",
        tmp_path / "cache",
        "--verbose",
    )
    assert again.returncode == 0, again.stderr
    assert "nothing changed since the last build" in again.stdout + again.stderr
    post = site / "content/posts/post-2/index.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    rebuilt = differential.build()
    assert b"One more line." in rebuilt["posts/post-2/index.html"]
