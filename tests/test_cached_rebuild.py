"""A cached rebuild redoes only what changed: a config change that touches no Markdown
setting (the title) renders the pages again, not the Markdown; the output stays the same
as a build from nothing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from conftest import tree_bytes
from sitegen.build.builder import Builder, BuildOptions, build_site, write_site
from sitegen.build.cache import BuildCache
from test_incremental import add_posts


def _content_keys(cache: Path) -> set[str]:
    with closing(sqlite3.connect(BuildCache(cache).database)) as db:
        return {key for (key,) in db.execute("SELECT key FROM entries WHERE kind = 'content'")}


def _replace_in_config(site: Path, old: str, new: str) -> None:
    path = site / "config.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _build(site: Path, out: Path, **options) -> dict[str, bytes]:
    write_site(Builder(BuildOptions(source=site, destination=out, **options)).build())
    return tree_bytes(out)


def test_a_title_change_renders_the_pages_again_but_not_the_markdown(example_site, tmp_path):
    add_posts(example_site)
    cache = tmp_path / "cache"
    _build(example_site, tmp_path / "first", cache_dir=cache)
    before = _content_keys(cache)
    _replace_in_config(
        example_site, 'title = "cowpoke — Release Blog"', 'title = "A new title"'
    )  # the site's
    _replace_in_config(
        example_site, 'title = "cowpoke — Release Blog"', 'title = "A new title"'
    )  # English one

    cached = _build(example_site, tmp_path / "cached", cache_dir=cache)
    cold = _build(example_site, tmp_path / "cold", ignore_cache=True)
    assert cached == cold
    assert any(b"A new title" in data for rel, data in cold.items() if rel.endswith(".html"))
    added = _content_keys(cache) - before
    # Only bodies whose shortcodes or alerts see the site (title included) were rendered again.
    with_templates = sum(
        1
        for path in (example_site / "content").rglob("*.md")
        if "{{<" in (text := path.read_text(encoding="utf-8")) or "{{%" in text or "[!" in text
    )
    assert len(added) <= with_templates < len(before)


def test_a_markdown_setting_renders_every_body_again(example_site, tmp_path):
    add_posts(example_site)
    cache = tmp_path / "cache"
    _build(example_site, tmp_path / "first", cache_dir=cache)
    before = _content_keys(cache)
    path = example_site / "config.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("endLevel = 3", "endLevel = 4", 1),
        encoding="utf-8",
    )
    cached = _build(example_site, tmp_path / "cached", cache_dir=cache)
    assert cached == _build(example_site, tmp_path / "cold", ignore_cache=True)
    assert len(_content_keys(cache) - before) >= len(before) - 1


def test_a_release_opt_out_in_front_matter_is_not_served_from_the_cache(example_site, tmp_path):
    add_posts(example_site)
    cache = tmp_path / "cache"
    _build(example_site, tmp_path / "first", cache_dir=cache)
    post = example_site / "content/posts/2024/batch-03/index.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace("---\n", "---\nreleases: false\n", 1),
        encoding="utf-8",
    )
    cached = _build(example_site, tmp_path / "cached", cache_dir=cache)
    assert cached == tree_bytes(_cold(example_site, tmp_path / "cold"))


def _cold(site: Path, out: Path) -> Path:
    write_site(build_site(BuildOptions(source=site, destination=out, ignore_cache=True)))
    return out
