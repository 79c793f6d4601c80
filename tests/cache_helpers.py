"""Helpers of the build cache's differential tests: a small site, builds compared with cold
builds, edits that keep a file's stamp, and access to the cache's entries."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import run_sitegen, tree_bytes, write_post

NEW_YEARS_EVE = str(int(datetime(2025, 12, 31, 12, tzinfo=timezone.utc).timestamp()))
NEW_YEAR = str(int(datetime(2026, 1, 1, 12, tzinfo=timezone.utc).timestamp()))


@pytest.fixture(autouse=True)
def user_cache(tmp_path, monkeypatch) -> Path:
    """The user's cache folder (the cache's secret, the built-in theme's compiled templates)
    in the test's folder; the build date is the clock's unless a test sets it."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("SITEGEN_CACHE_DIR", raising=False)
    return folder


class Differential:
    """A site built twice after every edit: with its cache into one folder, as a user
    rebuilds, and with --ignoreCache into a fresh folder, as from nothing."""

    def __init__(self, site: Path, work: Path, cache: Path | None = None):
        self.site, self.work, self.cold_builds = site, work, 0
        self.cache = cache

    def build(self, *args: str, env: dict[str, str] | None = None) -> dict[str, bytes]:
        cache = ["--cacheDir", str(self.cache)] if self.cache else []
        cached = sitegen(
            "build", "-s", self.site, "-d", self.work / "cached", *cache, *args, env=env
        )
        assert cached.returncode == 0, cached.stderr
        self.cold_builds += 1
        cold_dir = self.work / f"cold-{self.cold_builds}"
        cold = sitegen("build", "-s", self.site, "-d", cold_dir, "--ignoreCache", *args, env=env)
        assert cold.returncode == 0, cold.stderr
        cached_tree, cold_tree = tree_bytes(self.work / "cached"), tree_bytes(cold_dir)
        assert cached_tree.keys() == cold_tree.keys()
        assert [rel for rel in cold_tree if cached_tree[rel] != cold_tree[rel]] == []
        shutil.rmtree(cold_dir)
        return cached_tree


def sitegen(*args, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    if not env:
        return run_sitegen(*args)
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )


CONFIG = """baseURL = "{base}"
title = "Cache test"
languageCode = "en"
{extra}
[params.footer]
  since = 2016
"""

LOGO_LAYOUT = """{% extends "_default/baseof.html" %}
{% block main %}<p class="logo">{{ "/logo.png"|absurl }} {{ "/logo.png"|relurl }}</p>{{ page.content }}{% endblock %}
"""


def small_site(
    root: Path, base: str = "https://example.org/", extra: str = "", posts: int = 3
) -> Path:
    site = root / "site"
    (site / "static").mkdir(parents=True)
    (site / "config.toml").write_text(CONFIG.format(base=base, extra=extra), encoding="utf-8")
    (site / "static/logo.png").write_bytes(b"\x89PNG logo one")
    for n in range(posts):
        write_post(
            site,
            f"posts/post-{n}/index.md",
            f"---\ntitle: Post {n}\ndate: 2024-{n % 12 + 1:02d}-{n // 12 + 1:02d}T10:00:00Z\nauthor: Author {n}\n---\n"
            f"Summary of post {n}.\n\n<!--more-->\n\nText of post {n}.\n",
        )
    (site / "content/posts/post-0/photo.jpg").write_bytes(b"JPEG one")
    return site


def set_config(site: Path, old: str, new: str) -> None:
    path = site / "config.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rewrite_keeping_stamp(path: Path, data: bytes) -> None:
    """New bytes of the same size with the old mtime, as `cp -p`, `rsync -a` or `tar x` leave them."""
    before = path.stat()
    assert len(data) == before.st_size
    path.write_bytes(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def entries_file(cache: Path) -> Path:
    return next(cache.glob("entries-v*.sqlite3"))


def update_entries(cache: Path, change) -> int:
    with closing(sqlite3.connect(entries_file(cache))) as db, db:
        rows = db.execute("SELECT kind, key, value FROM entries").fetchall()
        for kind, key, value in rows:
            db.execute(
                "UPDATE entries SET value = ? WHERE kind = ? AND key = ?",
                (change(kind, key, value), kind, key),
            )
    return len(rows)


def flip_bytes(kind, key, value):
    middle = len(value) // 2
    return value[:middle] + bytes([value[middle] ^ 0x55]) + value[middle + 1 :]


def serve_once(site: Path) -> None:
    """`sitegen serve` on any free port, stopped once it serves (its build is done)."""
    serve = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "-s", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = ""
        for line in serve.stdout:
            if "Web server available" in line:
                break
        assert "Web server available" in line
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=60)
