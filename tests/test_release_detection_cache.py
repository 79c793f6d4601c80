"""Releases found in a page are kept by what finding them reads (the page and the release
settings): a title change finds none again, a release setting change finds them all again,
and either way the output equals a build from nothing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sitegen.build.cache import BuildCache
from test_cached_rebuild import _build, _replace_in_config
from test_incremental import add_posts


def _keys(cache: Path, kind: str) -> set[str]:
    with closing(sqlite3.connect(BuildCache(cache).database)) as db:
        return {key for (key,) in db.execute("SELECT key FROM entries WHERE kind = ?", (kind,))}


def _templated_posts(site: Path) -> int:
    return sum(
        1
        for path in (site / "content").rglob("*.md")
        if "{{<" in (text := path.read_text(encoding="utf-8")) or "{{%" in text or "[!" in text
    )


def test_a_title_change_finds_no_release_again(example_site, tmp_path):
    add_posts(example_site)
    cache = tmp_path / "cache"
    _build(example_site, tmp_path / "first", cache_dir=cache)
    before = _keys(cache, "releases")
    assert before
    _replace_in_config(example_site, 'title = "cowpoke — Release Blog"', 'title = "A new title"')
    cached = _build(example_site, tmp_path / "cached", cache_dir=cache)
    assert cached == _build(example_site, tmp_path / "cold", ignore_cache=True)
    # Only the bodies rendered again (their shortcodes see the site) were searched again.
    assert len(_keys(cache, "releases") - before) <= _templated_posts(example_site) < len(before)


def test_a_release_setting_change_finds_every_release_again(example_site, tmp_path):
    add_posts(example_site)
    cache = tmp_path / "cache"
    _build(example_site, tmp_path / "first", cache_dir=cache)
    before = _keys(cache, "releases")
    _replace_in_config(
        example_site, 'repo = "mailcow/mailcow-dockerized"', 'repo = "example/other"'
    )
    cached = _build(example_site, tmp_path / "cached", cache_dir=cache)
    cold = _build(example_site, tmp_path / "cold", ignore_cache=True)
    assert cached == cold
    assert any(b"example/other" in data for rel, data in cold.items() if rel.endswith(".html"))
    assert len(_keys(cache, "releases") - before) >= len(before) - _templated_posts(example_site)


def test_decoration_is_kept_across_a_title_change_but_not_an_i18n_base_url_or_release_change(
    example_site, tmp_path
):
    """Decoration reads the i18n tables, the base URL and the release settings, nothing else
    of the config: a title change decorates no page again; a change of any of the three
    decorates every release post again; each cached build equals a build from nothing."""
    add_posts(example_site)
    cache = tmp_path / "cache"
    _build(example_site, tmp_path / "first", cache_dir=cache)
    first = _keys(cache, "decorated")
    assert first

    def rebuilt(name: str) -> set[str]:
        before = _keys(cache, "decorated")
        cached = _build(example_site, tmp_path / name, cache_dir=cache)
        assert cached == _build(example_site, tmp_path / f"{name}-cold", ignore_cache=True)
        return _keys(cache, "decorated") - before

    _replace_in_config(example_site, 'title = "cowpoke — Release Blog"', 'title = "A new title"')
    assert rebuilt("title") == set()

    i18n = example_site / "i18n" / "en.toml"
    i18n.parent.mkdir(exist_ok=True)
    i18n.write_text('[release_changes]\nother = "What changed on {forge}"\n', encoding="utf-8")
    assert len(rebuilt("i18n")) >= len(first) // 2  # the English half of the release posts

    _replace_in_config(
        example_site, 'baseURL = "https://blog.example.org/"', 'baseURL = "https://other.org/"'
    )
    assert len(rebuilt("base-url")) == len(first)

    _replace_in_config(
        example_site, 'repo = "mailcow/mailcow-dockerized"', 'repo = "example/other"'
    )
    assert len(rebuilt("release-setting")) == len(first)
