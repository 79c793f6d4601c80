"""Speed features keep the output exact: a parallel build writes the same bytes as a serial
one, and a build from the cache after an edit writes the same tree as a build from nothing."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from conftest import tree_bytes, write_post
from sitegen.build.builder import Builder, BuildOptions, build_site, write_site
from sitegen.build.cache import BuildCache

POST = """---
title: "Release {n}"
date: 2024-03-{day:02d}T10:00:00Z
tags: ["release", "batch-{group}"]
categories: ["updates"]
---
Intro of release {n} with **bold** text and a [link](https://example.org/{n}).

<!--more-->

## 2024-03{letter} (Release vom {day:02d}.03.2024)

### Fixes

- fixed thing {n}
- fixed other thing

```python
print("release {n}")
```
"""


def add_posts(site: Path, count: int = 24) -> None:
    """Enough posts that the build really forks workers and paginates lists."""
    for n in range(count):
        text = POST.format(n=n, day=n % 28 + 1, group=n % 3, letter="abcdefgh"[n % 8])
        write_post(site, f"posts/2024/batch-{n:02d}/index.md", text)


def build_into(site: Path, destination: Path, **options) -> dict[str, bytes]:
    write_site(build_site(BuildOptions(source=site, destination=destination, **options)))
    return tree_bytes(destination)


def test_parallel_build_writes_the_same_bytes_as_a_serial_build(example_site, tmp_path):
    add_posts(example_site)
    serial = build_into(example_site, tmp_path / "serial", workers=1, ignore_cache=True)
    parallel = build_into(example_site, tmp_path / "parallel", workers=3, ignore_cache=True)
    assert len(serial) > 50
    assert serial.keys() == parallel.keys()
    assert [rel for rel in serial if serial[rel] != parallel[rel]] == []


def test_a_rebuild_leaves_files_whose_bytes_did_not_change_as_they_were(example_site, tmp_path):
    """Pages written by the workers, the streamed release feed and JSON, the list feeds:
    a rebuild that does not change them keeps the very same files (inode and mtime)."""
    add_posts(example_site)
    out = tmp_path / "out"
    build_into(example_site, out, workers=2)
    kept = [
        "posts/2024/batch-05/index.html",
        "releases/index.xml",
        "releases/releases.json",
        "index.xml",
        "tags/index.html",
    ]
    before = {rel: (out / rel).stat() for rel in kept}
    (example_site / "static" / "extra.txt").write_text("a new static file\n", encoding="utf-8")
    build_into(example_site, out, workers=2)
    assert (out / "extra.txt").is_file()
    assert {rel: ((out / rel).stat().st_ino, (out / rel).stat().st_mtime_ns) for rel in kept} == {
        rel: (stat.st_ino, stat.st_mtime_ns) for rel, stat in before.items()
    }


def _edit_post(site: Path) -> str:
    path = site / "content/posts/2024/batch-05/index.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("fixed thing 5", "fixed thing five, edited"),
        encoding="utf-8",
    )
    return "fixed thing five, edited"


def _edit_template(site: Path) -> str:
    # A site layout over the theme's single-page template.
    theme_single = (
        Path(__file__).resolve().parents[1] / "sitegen/themes/default/layouts/_default/single.html"
    )
    text = theme_single.read_text(encoding="utf-8")
    marker = "<!-- edited single layout -->"
    (site / "layouts/_default").mkdir(parents=True, exist_ok=True)
    (site / "layouts/_default/single.html").write_text(
        text.replace("{% block main %}", "{% block main %}" + marker, 1), encoding="utf-8"
    )
    return marker


def _edit_shortcode(site: Path) -> str:
    path = site / "layouts/shortcodes/figure.html"
    path.write_text(
        path.read_text(encoding="utf-8") + "<!-- edited figure shortcode -->", encoding="utf-8"
    )
    return "<!-- edited figure shortcode -->"


def _edit_config(site: Path) -> str:
    path = site / "config.toml"
    text = path.read_text(encoding="utf-8")
    old = 'description = "Release notes of cowpoke, the friendly mail server suite"'
    assert old in text
    path.write_text(
        text.replace(old, 'description = "Release notes of cowpoke, edited config"', 1),
        encoding="utf-8",
    )
    return "Release notes of cowpoke, edited config"


def _edit_i18n(site: Path) -> str:
    # The site's own table over one string of the theme's (the parsed tables are cached).
    (site / "i18n").mkdir(exist_ok=True)
    (site / "i18n/en.toml").write_text(
        '[skipToContent]\nother = "Skip to the edited content"\n', encoding="utf-8"
    )
    return "Skip to the edited content"


@pytest.mark.parametrize(
    "edit",
    [_edit_post, _edit_template, _edit_shortcode, _edit_config, _edit_i18n],
    ids=["post", "template", "shortcode", "config", "i18n"],
)
def test_cached_rebuild_after_an_edit_equals_a_cold_build(example_site, tmp_path, edit):
    add_posts(example_site)
    cache = tmp_path / "cache"
    builder = Builder(
        BuildOptions(source=example_site, destination=tmp_path / "cached", cache_dir=cache)
    )
    write_site(builder.build())
    before = tree_bytes(tmp_path / "cached")

    marker = edit(example_site)
    result, changed = builder.rebuild([])
    write_site(result)
    cached = tree_bytes(tmp_path / "cached")
    # A fresh process's view: a new Builder that only has the cache folder.
    write_site(
        Builder(
            BuildOptions(source=example_site, destination=tmp_path / "cached2", cache_dir=cache)
        ).build()
    )
    cold = build_into(example_site, tmp_path / "cold", ignore_cache=True)

    assert any(marker.encode() in data for data in cold.values())
    assert [rel for rel in cold if cached.get(rel) != cold[rel]] == []
    assert cached.keys() == cold.keys()
    assert tree_bytes(tmp_path / "cached2") == cold
    assert changed and set(changed) <= {rel for rel in cold if before.get(rel) != cold[rel]} | set(
        before
    )


def test_rebuild_with_nothing_changed_renders_nothing_and_reports_no_change(example_site, tmp_path):
    add_posts(example_site)
    builder = Builder(
        BuildOptions(
            source=example_site, destination=tmp_path / "out", cache_dir=tmp_path / "cache"
        )
    )
    first = builder.build()
    misses = builder.cache.misses
    second, changed = builder.rebuild([])
    assert changed == []
    assert builder.cache.misses == misses  # every page, body and output came from the cache
    assert second.outputs == first.outputs


def test_cache_folder_is_safe_to_delete_and_a_damaged_cache_is_a_miss(example_site, tmp_path):
    add_posts(example_site, 4)
    cache = tmp_path / "cache"
    first = build_into(example_site, tmp_path / "a", cache_dir=cache)
    database = BuildCache(cache).database
    with closing(sqlite3.connect(database)) as db, db:
        damaged = db.execute(
            "UPDATE entries SET value = ? WHERE kind = 'content'", (b"not a pickle",)
        ).rowcount
    assert damaged > 0
    assert (
        build_into(example_site, tmp_path / "b", cache_dir=cache) == first
    )  # damaged entries: misses
    database.write_bytes(b"not a database " * 1000)
    assert build_into(example_site, tmp_path / "c", cache_dir=cache) == first  # started afresh
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] > 0
    shutil.rmtree(cache)
    assert build_into(example_site, tmp_path / "d", cache_dir=cache) == first


def test_entries_written_by_parallel_workers_serve_the_next_build(example_site, tmp_path):
    add_posts(example_site)
    cache = tmp_path / "cache"
    first = build_into(example_site, tmp_path / "a", cache_dir=cache, workers=3)
    builder = Builder(
        BuildOptions(source=example_site, destination=tmp_path / "b", cache_dir=cache, workers=3)
    )
    result = builder.build()
    assert (
        builder.cache.hits > 50 and builder.cache.misses == 0
    )  # pages, bodies and every unit's files
    write_site(result)
    assert tree_bytes(tmp_path / "b") == first


def test_two_builds_sharing_one_cache_at_once_both_finish_with_the_same_tree(
    example_site, tmp_path
):
    add_posts(example_site, 60)
    cache = tmp_path / "cache"
    command = [
        sys.executable,
        "-m",
        "sitegen",
        "build",
        "-s",
        str(example_site),
        "--quiet",
        "--cacheDir",
        str(cache),
    ]
    builds = [
        subprocess.Popen(command + ["-d", str(tmp_path / name)], stderr=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]
    for build in builds:
        assert build.wait(timeout=300) == 0, build.stderr.read()
    assert (
        tree_bytes(tmp_path / "a")
        == tree_bytes(tmp_path / "b")
        == build_into(example_site, tmp_path / "cold", ignore_cache=True)
    )
    with closing(sqlite3.connect(BuildCache(cache).database)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM entries WHERE kind = 'output'").fetchone()[0] > 60


def test_build_with_nothing_changed_since_the_last_written_build_writes_nothing(
    example_site, tmp_path
):
    add_posts(example_site, 4)
    options = BuildOptions(
        source=example_site, destination=tmp_path / "out", cache_dir=tmp_path / "cache"
    )
    write_site(build_site(options))
    written = tree_bytes(tmp_path / "out")
    stamps = {path: path.stat().st_mtime_ns for path in (tmp_path / "out").rglob("*")}

    again = write_site(build_site(options))  # as a new `sitegen build` process would
    assert again.written == 0
    assert any("nothing changed" in line for line in again.summary_lines())
    assert {path: path.stat().st_mtime_ns for path in (tmp_path / "out").rglob("*")} == stamps
    with pytest.raises(
        RuntimeError, match="nothing was built"
    ):  # no hidden full build behind .site
        _ = again.site
    in_memory = build_site(options, reuse_output=False)  # a caller that needs the site asks for it
    assert [p.kind for p in in_memory.site.pages if p.kind == "page"]
    assert in_memory.outputs and all(
        written[rel] == in_memory.outputs[rel] for rel in in_memory.outputs
    )
    in_memory.outputs.discard()  # staged beside the output, never written


@pytest.mark.parametrize("change", ["edit a post", "delete an output file", "other options"])
def test_build_after_a_change_to_inputs_or_output_is_a_real_build(example_site, tmp_path, change):
    add_posts(example_site, 6)
    options = BuildOptions(
        source=example_site, destination=tmp_path / "out", cache_dir=tmp_path / "cache"
    )
    write_site(build_site(options))
    if change == "edit a post":
        marker = _edit_post(example_site).encode()
    elif change == "delete an output file":
        (tmp_path / "out/index.html").unlink()
        marker = b"<html"
    else:
        options.base_url = "https://other.example.org/"
        marker = b"https://other.example.org/"
    result = write_site(build_site(options))
    assert result.written > 0
    assert marker in (tmp_path / "out/posts/2024/batch-05/index.html").read_bytes()
    assert tree_bytes(tmp_path / "out") == build_into(
        example_site, tmp_path / "cold", ignore_cache=True, base_url=options.base_url
    )


def _replace_in_post(site: Path, old: str, new: str) -> str:
    path = site / "content/posts/2024/batch-05/index.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return new


SERVE_EDITS = {
    "release text": lambda site: _edit_post(site),
    "summary": lambda site: _replace_in_post(
        site, "Intro of release 5", "Intro of release five, edited"
    ),
    "release date": lambda site: _replace_in_post(
        site, "(Release vom 06.03.2024)", "(Release vom 09.03.2024)"
    )[13:23],
    "new release": lambda site: _replace_in_post(
        site, "### Fixes", "## 2024-04z (Release vom 01.04.2024)\n\n### Fixes"
    )[3:11],
    "title": lambda site: _replace_in_post(
        site, 'title: "Release 5"', 'title: "Release five, edited"'
    )[8:-1],
}


@pytest.mark.parametrize("edit", SERVE_EDITS.values(), ids=SERVE_EDITS.keys())
def test_serve_rebuild_of_an_edited_post_equals_a_cold_build_with_releases_and_feeds(
    example_site, tmp_path, edit
):
    add_posts(example_site)
    builder = Builder(
        BuildOptions(source=example_site, destination=tmp_path / "out", ignore_cache=True),
        keep_in_memory=True,
    )
    before = builder.build().outputs
    for n in range(2):  # twice: a rebuild must also be a good base for the next one
        marker = (
            edit(example_site)
            if n == 0
            else _replace_in_post(example_site, "fixed other thing", f"other {n}")
        )
        result, changed = builder.rebuild([example_site / "content/posts/2024/batch-05/index.md"])
        cold = build_site(
            BuildOptions(source=example_site, destination=tmp_path / "cold", ignore_cache=True)
        ).outputs

        assert {
            "releases/index.xml",
            "releases/releases.json",
            "index.xml",
            "posts/index.xml",
        } <= cold.keys()
        assert marker in cold["posts/2024/batch-05/index.html"].decode()
        assert [rel for rel in cold if result.outputs.get(rel) != cold[rel]] == []
        assert result.outputs.keys() == cold.keys()
        assert set(changed) == {rel for rel in cold if before.get(rel) != cold[rel]}
        assert "posts/2024/batch-05/index.html" in changed
        before = result.outputs


def test_the_up_to_date_check_stamps_the_files_the_build_wrote(example_site, tmp_path):
    """A written file changed in place is written again by the next build; a file the build
    did not write (a CNAME, a deploy setup's files) is left alone, and needs no build."""
    add_posts(example_site, 4)
    options = BuildOptions(
        source=example_site, destination=tmp_path / "out", cache_dir=tmp_path / "cache"
    )
    write_site(build_site(options))
    written = tree_bytes(tmp_path / "out")
    (tmp_path / "out/CNAME").write_text("blog.example.org\n", encoding="utf-8")
    (tmp_path / "out/posts/notes.txt").write_text("kept\n", encoding="utf-8")

    again = write_site(build_site(options))
    assert again.written == 0 and any("nothing changed" in line for line in again.summary_lines())

    page = tmp_path / "out/index.html"
    page.write_bytes(page.read_bytes().replace(b"<html", b"<HTML", 1))  # same size, new bytes
    rebuilt = write_site(build_site(options))
    assert rebuilt.written > 0
    assert tree_bytes(tmp_path / "out") == {
        **written,
        "CNAME": b"blog.example.org\n",
        "posts/notes.txt": b"kept\n",
    }
