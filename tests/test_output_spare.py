"""Staging a build in the spare (the tree the last swap retired, kept in the build cache): a
cached rebuild changes only what differs, yet publishes exactly what a cold build makes."""

from __future__ import annotations

import os
import time
from pathlib import Path

from conftest import run_sitegen, tree_bytes, write_post
from sitegen.write.output import write_site

WELCOME = "content/posts/2024/welcome/index.en.md"


def build(site: Path, out: Path, *flags: str) -> None:
    result = run_sitegen("build", "-s", site, "-d", out, "--quiet", *flags)
    assert result.returncode == 0, result.stderr


def cold_tree(site: Path, tmp_path: Path) -> dict[str, bytes]:
    build(site, tmp_path / "cold", "--ignoreCache")
    return tree_bytes(tmp_path / "cold")


def test_an_edit_keeps_unchanged_files_and_replaces_changed_ones(example_site: Path, tmp_path):
    out = example_site / "public"
    build(example_site, out)
    build(example_site, out)  # from now on a spare is there to stage in
    unchanged, edited = out / "about/index.html", out / "posts/2024/welcome/index.html"
    before = {path: os.stat(path) for path in (unchanged, edited)}
    old_edited = edited.read_bytes()
    with (example_site / WELCOME).open("a", encoding="utf-8") as post:
        post.write("\nOne more line.\n")
    build(example_site, out)
    kept = os.stat(unchanged)
    assert (kept.st_ino, kept.st_mtime_ns) == (
        before[unchanged].st_ino,
        before[unchanged].st_mtime_ns,
    )
    assert os.stat(edited).st_ino != before[edited].st_ino
    assert b"One more line." in edited.read_bytes() and old_edited != edited.read_bytes()
    assert tree_bytes(out) == cold_tree(example_site, tmp_path)


def test_a_removed_page_leaves_neither_its_file_nor_its_folder(example_site: Path, tmp_path):
    out = example_site / "public"
    write_post(example_site, "posts/2024/extra/index.md", "---\ntitle: Extra\n---\nMore.\n")
    build(example_site, out)
    build(example_site, out)
    assert (out / "posts/2024/extra/index.html").is_file()
    (example_site / "content/posts/2024/extra/index.md").unlink()
    build(example_site, out)
    assert not (out / "posts/2024/extra").exists()
    assert tree_bytes(out) == cold_tree(example_site, tmp_path)


def test_a_failed_build_leaves_the_output_and_the_next_one_is_whole(example_site: Path, tmp_path):
    out = example_site / "public"
    build(example_site, out)
    build(example_site, out)
    published = tree_bytes(out)
    broken = example_site / "layouts/_default/single.html"
    broken.parent.mkdir(parents=True)
    broken.write_text("{{ page.title | no_such_filter }}\n", encoding="utf-8")
    failed = run_sitegen("build", "-s", example_site, "-d", out, "--quiet")
    assert failed.returncode != 0 and "no_such_filter" in failed.stderr
    assert tree_bytes(out) == published
    broken.unlink()
    with (example_site / WELCOME).open("a", encoding="utf-8") as post:
        post.write("\nAfter the failure.\n")
    build(example_site, out)
    assert tree_bytes(out) == cold_tree(example_site, tmp_path)


def test_workers_staging_in_a_spare_make_what_a_cold_build_makes(example_site: Path, tmp_path):
    out = example_site / "public"
    for line in ("first", "second"):
        with (example_site / WELCOME).open("a", encoding="utf-8") as post:
            post.write(f"\nA {line} line.\n")
        build(example_site, out, "--workers", "2")
    made = tree_bytes(out)
    assert made == cold_tree(example_site, tmp_path)
    assert not [rel for rel in made if rel.endswith(".sitegen-made")]


def test_whatever_a_spare_holds_the_output_is_exactly_the_new_files(tmp_path: Path):
    destination, spare, outside = tmp_path / "public", tmp_path / "spare", tmp_path / "outside"
    outside.mkdir()
    first = {"a/index.html": b"a1", "b/index.html": b"b1", "c/index.html": b"c1"}
    write_site(first, [], destination, spare=spare)
    write_site(first, [], destination, spare=spare)  # the first tree is now the spare
    (destination / "hand-placed.txt").write_bytes(b"mine")
    (spare / "stray.html").write_bytes(b"left over")
    (spare / "d").write_bytes(b"a file where a folder goes")
    (spare / "c/index.html").unlink()
    (spare / "c/index.html").mkdir()  # a folder where a file goes
    (spare / "e").symlink_to(outside, target_is_directory=True)
    with open(spare / "a/index.html", "ab") as shared:  # a hard link to the live file
        shared.write(b" changed through the spare")
    new = {
        "a/index.html": b"a1",
        "b/index.html": b"b2",
        "c/index.html": b"c2",
        "d/index.html": b"d2",
        "e/index.html": b"e2",
    }
    write_site(new, [], destination, keep=lambda rel: True, spare=spare)
    assert tree_bytes(destination) == {**new, "hand-placed.txt": b"mine"}
    assert list(outside.iterdir()) == []
    assert spare.is_dir()  # the tree this swap retired waits for the next build


def test_a_published_file_changed_by_hand_is_made_again(example_site: Path, tmp_path: Path):
    """A unit the last build published unchanged is taken from the output only while its
    files are as that build left them."""
    out = example_site / "public"
    build(example_site, out)
    build(example_site, out)
    about = out / "about/index.html"
    original = about.read_bytes()
    about.unlink()
    about.write_bytes(original.replace(b"<", b"[", 1))  # same size, another file
    other = out / "posts/2024/release-2024-01/index.html"
    other.write_bytes(b"edited in place")
    with (example_site / WELCOME).open("a", encoding="utf-8") as post:
        post.write("\nOne more line.\n")
    build(example_site, out)
    assert about.read_bytes() == original
    assert tree_bytes(out) == cold_tree(example_site, tmp_path)


def test_a_static_file_rewritten_keeping_its_stamp_is_published(example_site: Path, tmp_path):
    """`cp -p` over a static file: same size and mtime, new bytes, published once the
    change is older than the timestamp granularity (the shared corpus's walk,
    test_cache_corpus_walk, is where staging in the spare once missed it: unlinking the
    spare's hard link gave the live copy a new change time before it was compared)."""
    out = example_site / "public"
    build(example_site, out)
    build(example_site, out)
    static = next(path for path in sorted((example_site / "static").rglob("*")) if path.is_file())
    before = static.stat()
    static.write_bytes(bytes(byte ^ 1 for byte in static.read_bytes()))
    os.utime(static, ns=(before.st_atime_ns, before.st_mtime_ns))
    time.sleep(2.5)  # past the timestamp granularity that write.files.RACY_NS allows for
    build(example_site, out)
    assert (out / static.relative_to(example_site / "static")).read_bytes() == static.read_bytes()
    assert tree_bytes(out) == cold_tree(example_site, tmp_path)
