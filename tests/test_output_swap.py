"""Swapping a new build in as the output folder: the output is never missing, the tree it
replaces is removed after the build (by a process of its own) and leaves nothing behind."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import run_sitegen, tree_bytes, write_post
from sitegen.write.output import write_site


def leftovers(folder: Path, name: str = "public") -> list[str]:
    return sorted(
        entry.name for entry in folder.iterdir() if entry.name.startswith(f".{name}.sitegen-")
    )


def wait_until_no_leftovers(
    folder: Path, name: str = "public", patience_s: float = 30.0
) -> list[str]:
    """The retired trees still beside the output after `patience_s` (the remover runs on)."""
    deadline = time.monotonic() + patience_s
    while leftovers(folder, name) and time.monotonic() < deadline:
        time.sleep(0.05)
    return leftovers(folder, name)


def many_files(count: int, version: str) -> dict[str, bytes]:
    return {
        f"posts/{n // 50}/{n}/index.html": f"<p>{version} {n}</p>".encode() for n in range(count)
    }


def test_a_rebuild_leaves_no_retired_tree_beside_the_output(example_site: Path):
    out = example_site / "public"
    assert run_sitegen("build", "-s", example_site).returncode == 0
    (out / ".nojekyll").write_text("", encoding="utf-8")  # a deploy setup's file is carried over
    write_post(
        example_site,
        "posts/2024/extra/index.md",
        "---\ntitle: Extra\ndate: 2024-03-01\n---\nMore.\n",
    )
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 0, result.stderr
    assert (out / "posts/2024/extra/index.html").is_file() and (out / ".nojekyll").is_file()
    assert wait_until_no_leftovers(example_site) == []
    assert (
        out / "posts/2024/extra/index.html"
    ).is_file()  # removing the old tree kept the new one whole


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the one-step swap is Linux's renameat2"
)
def test_a_reader_never_finds_the_output_missing_while_builds_swap(tmp_path: Path):
    destination = tmp_path / "public"
    write_site(many_files(300, "first"), [], destination)
    missing: list[int] = []
    done = threading.Event()

    def read_all_the_time():
        while not done.is_set():
            if not (destination / "posts/0/0/index.html").is_file():
                missing.append(1)

    reader = threading.Thread(target=read_all_the_time)
    reader.start()
    try:
        for version in range(8):
            write_site(many_files(300, f"v{version}"), [], destination)
    finally:
        done.set()
        reader.join()
    assert missing == []
    assert (destination / "posts/5/299/index.html").read_bytes() == b"<p>v7 299</p>"
    assert wait_until_no_leftovers(tmp_path) == []


def test_swaps_in_quick_succession_in_one_process_all_succeed(tmp_path: Path):
    """`sitegen serve` swaps again while the last retired tree may still be being removed."""
    destination = tmp_path / "public"
    for version in range(5):
        write_site(many_files(2000, f"v{version}"), [], destination)
    assert tree_bytes(destination) == many_files(2000, "v4")
    assert wait_until_no_leftovers(tmp_path) == []


def test_a_retired_tree_whose_remover_was_killed_goes_with_the_next_build(tmp_path: Path):
    destination = tmp_path / "public"
    write_site(many_files(10, "first"), [], destination)
    # what a build killed with its remover leaves: a retired tree named for a process that is gone
    stale = tmp_path / f".public.sitegen-old-{_dead_pid()}-0a1b2c3d"
    (stale / "posts").mkdir(parents=True)
    (stale / "posts" / "index.html").write_text("old", encoding="utf-8")
    write_site(many_files(10, "second"), [], destination)
    assert wait_until_no_leftovers(tmp_path) == []
    assert tree_bytes(destination) == many_files(10, "second")


def _dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid
