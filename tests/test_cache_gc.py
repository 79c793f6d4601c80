"""`sitegen build --gc` (as Hugo's flag): after a good build the cache holds only what that
build used, the next build takes everything from it again, and the file shrinks."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from cache_helpers import entries_file, set_config, sitegen, small_site, user_cache  # noqa: F401
from conftest import tree_bytes, write_post


def _entries(cache: Path) -> set[tuple[str, str]]:
    with closing(sqlite3.connect(entries_file(cache))) as db:
        return set(db.execute("SELECT kind, key FROM entries"))


def _build(site: Path, public: Path, cache: Path, *more: str):
    built = sitegen("build", "-s", site, "-d", public, "--cacheDir", cache, *more)
    assert built.returncode == 0, built.stderr
    return built


@pytest.mark.parametrize("workers", ["1", "2"])  # with two, workers put what they make
def test_gc_keeps_exactly_what_the_build_uses(tmp_path: Path, workers: str):
    site = small_site(tmp_path, posts=8)
    (site / "static/style.css").write_text("body {  color : red ;  }\n" * 50, encoding="utf-8")
    public, cache = tmp_path / "public", tmp_path / "cache"
    _build(site, public, cache, "--minify", "--workers", workers)
    first = _entries(cache)
    post = site / "content/posts/post-3/index.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nAn edit.\n", encoding="utf-8")
    _build(site, public, cache, "--minify", "--workers", workers)
    grown = _entries(cache)
    stale = first - grown
    assert not stale and len(grown) > len(first)  # nothing is dropped by a plain build

    collected = _build(site, public, cache, "--minify", "--gc", "--workers", workers)
    kept = _entries(cache)
    assert f"gc: removed {len(grown) - len(kept)} unused cache entries" in collected.stdout
    assert first - kept and kept < grown  # the edited post's old entries went
    assert any(kind == "minified" for kind, _ in kept)

    # Everything the site needs is still there: a build into an empty output (as a CI that
    # keeps the cache but not public/) makes no entry, and its files are a cold build's.
    shutil.rmtree(public)
    _build(site, public, cache, "--minify", "--workers", workers)
    assert _entries(cache) == kept
    cold = tmp_path / "cold"
    assert sitegen("build", "-s", site, "-d", cold, "--minify", "--ignoreCache").returncode == 0
    assert tree_bytes(public) == tree_bytes(cold)


def test_gc_gives_the_space_back(tmp_path: Path):
    site = small_site(tmp_path, posts=30)
    public, cache = tmp_path / "public", tmp_path / "cache"
    _build(site, public, cache)
    for title in ("Second title", "Third title", "Fourth title"):
        set_config(site, 'title = "', f'title = "{title} ')
        _build(site, public, cache)  # every output again, under new keys
    database = entries_file(cache)
    before = database.stat().st_size + database.with_name(database.name + "-wal").stat().st_size
    _build(site, public, cache, "--gc")
    wal = database.with_name(database.name + "-wal")
    after = database.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    assert after < before / 2
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_gc_runs_on_a_build_with_nothing_changed(tmp_path: Path):
    site = small_site(tmp_path)
    public, cache = tmp_path / "public", tmp_path / "cache"
    _build(site, public, cache)
    set_config(site, 'title = "', 'title = "New ')
    _build(site, public, cache)
    entries = _entries(cache)
    collected = _build(site, public, cache, "--gc", "--verbose")
    assert "plan: partial: --gc" in collected.stdout
    assert "gc: removed 0 " not in collected.stdout
    assert _entries(cache) < entries


def test_a_failed_build_collects_nothing(tmp_path: Path):
    site = small_site(tmp_path)
    public, cache = tmp_path / "public", tmp_path / "cache"
    _build(site, public, cache)
    set_config(site, 'title = "', 'title = "New ')
    _build(site, public, cache)
    entries = _entries(cache)
    write_post(site, "posts/broken/index.md", "---\ntitle: [unclosed\n---\nText.\n")
    failed = sitegen("build", "-s", site, "-d", public, "--cacheDir", cache, "--gc")
    assert failed.returncode == 1 and "gc:" not in failed.stdout
    assert _entries(cache) >= entries


def test_gc_without_a_cache_says_nothing(tmp_path: Path):
    site = small_site(tmp_path)
    built = sitegen("build", "-s", site, "-d", tmp_path / "public", "--ignoreCache", "--gc")
    assert built.returncode == 0, built.stderr
    assert "gc:" not in built.stdout + built.stderr
