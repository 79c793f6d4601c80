"""A damaged, planted or foreign cache, and what killed builds leave behind: never an error,
never code run, never a stale file; the next build is byte for byte a cold one."""

from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from cache_helpers import (
    LOGO_LAYOUT,
    Differential,
    entries_file,
    flip_bytes,
    small_site,
    update_entries,
    user_cache,  # noqa: F401 (an autouse fixture)
)
from conftest import run_sitegen

# --- a damaged or planted cache ---------------------------------------------------------------


class Planted:
    """A pickle that, when loaded, leaves a file behind."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _sealed_wrong_type(kind, key, value):
    from sitegen.build.signing import seal

    return seal(kind, key, pickle.dumps(("not", "what", "was", "stored", 42)))


def _zlib_garbage(kind, key, value):
    import zlib

    data = bytearray(zlib.compress(value))
    data[len(data) // 2] ^= 0xFF
    return bytes(data)


CORRUPTIONS = {
    "wrong type": lambda kind, key, value: pickle.dumps(42),
    "sealed wrong type": _sealed_wrong_type,
    "flipped byte": flip_bytes,
    "flipped zlib payload": _zlib_garbage,
    "truncated": lambda kind, key, value: value[: len(value) // 3],
    "empty": lambda kind, key, value: b"",
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_damaged_cache_entries_are_misses(tmp_path, corrupt):
    site = small_site(tmp_path)
    cache = tmp_path / "cache"
    check = Differential(site, tmp_path, cache)
    first = check.build()
    assert update_entries(cache, corrupt) > 10
    (cache / "last-build.pickle").unlink()
    assert check.build() == first
    with closing(
        sqlite3.connect(entries_file(cache))
    ) as db:  # the damaged entries were dropped, then made again
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] > 10


def _bytecode_files(*folders: Path) -> list[Path]:
    return [path for folder in folders for path in folder.rglob("*.bytecode")]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty"])
def test_damaged_compiled_templates_are_compiled_again(tmp_path, user_cache, damage):
    site = small_site(tmp_path)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(LOGO_LAYOUT, encoding="utf-8")
    cache = tmp_path / "cache"
    check = Differential(site, tmp_path, cache)
    first = check.build()
    files = _bytecode_files(cache, user_cache)
    assert any(cache in path.parents for path in files) and any(
        user_cache in path.parents for path in files
    )
    for path in files:
        data = path.read_bytes()
        path.write_bytes(
            {
                "truncated": data[: len(data) - 40],
                "flipped": flip_bytes("", "", data),
                "empty": b"",
            }[damage]
        )
    (cache / "last-build.pickle").unlink()  # not "nothing changed": the templates are loaded
    assert check.build() == first


def test_a_planted_pickle_or_bytecode_in_the_site_cache_never_runs(tmp_path, user_cache):
    import marshal

    site = small_site(tmp_path)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(LOGO_LAYOUT, encoding="utf-8")
    cache = site / ".sitegen-cache"  # the default place, inside the checkout
    check = Differential(site, tmp_path, cache)
    first = check.build()
    marker = tmp_path / "pwned"
    planted = pickle.dumps(Planted(marker))
    update_entries(cache, lambda kind, key, value: planted)
    (cache / "last-build.pickle").write_bytes(planted)
    from jinja2.bccache import bc_magic

    code = compile(f"open({str(marker)!r}, 'w').close()", "<planted>", "exec")
    planted_code = list(_bytecode_files(cache))
    assert planted_code
    for (
        path
    ) in planted_code:  # a valid Jinja bucket for the template's source, with the attacker's code
        checksum = pickle.loads(path.read_bytes()[32 + len(bc_magic) :])
        path.write_bytes(
            os.urandom(32) + bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code)
        )
    assert check.build() == first
    assert not marker.exists()


def test_a_damaged_database_file_is_started_afresh(tmp_path):
    site = small_site(tmp_path)
    cache = tmp_path / "cache"
    check = Differential(site, tmp_path, cache)
    first = check.build()
    database = entries_file(cache)
    data = bytearray(database.read_bytes())
    for offset in range(200, len(data), 997):
        data[offset] ^= 0xA5
    database.write_bytes(bytes(data))
    (cache / "last-build.pickle").unlink()
    assert check.build() == first


# --- the output folder and the cache folder ---------------------------------------------------


def test_leftovers_of_killed_builds_beside_the_output_are_removed(tmp_path):
    site = small_site(tmp_path, posts=40)
    out = tmp_path / "public"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    mine = [
        tmp_path / f".public.sitegen-new-{dead_pid}-abc123",
        tmp_path / f".public.sitegen-old-{dead_pid}",
    ]
    running = tmp_path / f".public.sitegen-new-{os.getpid()}-running"  # a build still at work
    foreign = [tmp_path / ".public.backup", tmp_path / ".other.sitegen-new-1-x", running]
    for folder in mine + foreign:
        (folder / "posts").mkdir(parents=True)
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5):  # builds killed at different stages
        build = subprocess.Popen(
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
                "--workers",
                "1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        build.kill()
        build.wait()
    result = run_sitegen("build", "-s", site, "-d", out)
    assert result.returncode == 0, result.stderr

    def left():
        return sorted(
            p.name
            for p in tmp_path.iterdir()
            if p.name.startswith(".public.") or p.name.startswith(".other.")
        )

    deadline = (
        time.monotonic() + 30
    )  # the tree the build replaced goes in a process of its own, after it
    while left() != sorted(p.name for p in foreign) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left() == sorted(p.name for p in foreign)
    assert (out / "index.html").is_file()


def test_a_cache_folder_that_is_the_site_gets_no_gitignore(tmp_path):
    site = small_site(tmp_path)
    result = run_sitegen("build", "-s", site, "--cacheDir", site)
    assert result.returncode == 0, result.stderr
    assert not (site / ".gitignore").exists()
    (site / ".gitignore").write_text("public/\n", encoding="utf-8")
    assert run_sitegen("build", "-s", site, "--cacheDir", site).returncode == 0
    assert (site / ".gitignore").read_text(encoding="utf-8") == "public/\n"
    assert run_sitegen("build", "-s", site).returncode == 0
    assert (site / ".sitegen-cache/.gitignore").read_text(encoding="utf-8") == "*\n"


def test_the_built_in_theme_compiles_once_for_every_build_and_site(tmp_path, user_cache):
    first = small_site(tmp_path / "one")
    second = small_site(tmp_path / "two")
    assert run_sitegen("build", "-s", first, "--ignoreCache").returncode == 0
    compiled = {path: path.stat().st_mtime_ns for path in _bytecode_files(user_cache)}
    assert len(compiled) > 10
    assert run_sitegen("build", "-s", second, "--ignoreCache").returncode == 0
    assert {path: path.stat().st_mtime_ns for path in _bytecode_files(user_cache)} == compiled
    assert not (second / ".sitegen-cache").exists()
