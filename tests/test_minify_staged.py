"""`--minify` as files are staged (in the render workers of a parallel build): every file
comes out as minifying the plain build's file gives it, once, whichever process made it."""

from __future__ import annotations

from pathlib import Path

from cache_helpers import user_cache  # noqa: F401 (an autouse fixture)
from conftest import copy_example_site, run_sitegen, tree_bytes


def build(site: Path, out: Path, *args: str) -> dict[str, bytes]:
    result = run_sitegen("build", "-s", site, "-d", out, *args)
    assert result.returncode == 0, result.stderr
    return tree_bytes(out)


def test_a_minified_build_is_the_plain_build_minified_file_by_file(tmp_path: Path):
    from sitegen.write.minify import minify_file

    site = copy_example_site(tmp_path / "site")
    plain = build(site, tmp_path / "plain", "--ignoreCache", "--workers", "2")
    small = build(site, tmp_path / "small", "--ignoreCache", "--workers", "2", "--minify")
    assert small.keys() == plain.keys()
    kinds = {Path(rel).suffix for rel in plain}
    assert {
        ".html",
        ".xml",
        ".json",
        ".css",
        ".js",
    } <= kinds  # pages, feeds, releases.json, static files
    assert [rel for rel in plain if small[rel] != minify_file(rel, plain[rel])] == []
    assert sum(map(len, small.values())) < sum(map(len, plain.values()))


def test_serial_and_parallel_minified_builds_are_identical(tmp_path: Path):
    site = copy_example_site(tmp_path / "site")
    serial = build(site, tmp_path / "serial", "--ignoreCache", "--workers", "1", "--minify")
    parallel = build(site, tmp_path / "parallel", "--ignoreCache", "--workers", "2", "--minify")
    assert serial == parallel


def test_png_images_are_recompressed_once_per_content_and_kept_across_builds(tmp_path: Path):
    from PIL import Image

    site = copy_example_site(tmp_path / "site")
    image = Image.new("RGB", (300, 200), "white")
    for x in range(0, 300, 10):
        for y in range(200):
            image.putpixel((x, y), (20, 40, 200))
    for rel in ("static/a.png", "static/b.png"):  # two copies of one image
        image.save(site / rel, compress_level=1)
    first = build(site, tmp_path / "out", "--minify")
    assert len(first["a.png"]) < (site / "static/a.png").stat().st_size
    assert first["a.png"] == first["b.png"]
    with (
        Image.open(site / "static/a.png") as before,
        Image.open(tmp_path / "out" / "a.png") as after,
    ):
        assert after.convert("RGB").tobytes() == before.tobytes()
    again = build(site, tmp_path / "again", "--minify")  # a new destination: files are made again
    assert again == first
