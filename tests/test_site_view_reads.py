"""What a page's shortcodes and alerts read of the site view is recorded: after a title
change only the bodies whose templates show the title (of the site, or of its home page)
are rendered again, no page is read again, and the output equals a build from nothing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from conftest import tree_bytes, write_site
from sitegen.build.builder import Builder, BuildOptions
from sitegen.build.builder import write_site as write_outputs
from sitegen.build.cache import BuildCache

SHORTCODES = {
    "site-title": "<b>{{ site.title }}</b>",
    "home-title": "<b>{{ site.home.title }}</b>",
    "site-param": "<b>{{ shortcode.param('motto') }}</b>",  # read in Python, not by Jinja
    "plain": "<b>{{ shortcode.get(0) }}</b>",
}
POSTS = {
    "site-title": "{{< site-title >}}",
    "home-title": "{{< home-title >}}",
    "site-param": "{{< site-param >}}",
    "plain": '{{< plain "x" >}}',
    "alert": "> [!NOTE]\n> An alert renders through the admonition template.",
    "markdown": "Only *Markdown*.",
}


def _site(root: Path) -> Path:
    files = {
        "config.toml": 'baseURL = "https://example.org/"\ntitle = "Old title"\n'
        '[params]\nmotto = "moo"\n',
        **{f"layouts/shortcodes/{name}.html": text for name, text in SHORTCODES.items()},
        **{
            f"content/posts/{name}.md": f"---\ntitle: {name}\ndate: 2024-01-0{n}\n---\n{body}\n"
            for n, (name, body) in enumerate(POSTS.items(), 1)
        },
    }
    return write_site(root, files)


def _stored(cache: Path, kind: str = "content") -> dict[str, int]:
    """Each kept body's (or other `kind`'s) key and the row it was last stored in (storing
    again makes a new row)."""
    with closing(sqlite3.connect(BuildCache(cache).database)) as db:
        return dict(db.execute("SELECT key, rowid FROM entries WHERE kind = ?", (kind,)))


def _build(site: Path, out: Path, **options) -> dict[str, bytes]:
    write_outputs(Builder(BuildOptions(source=site, destination=out, **options)).build())
    return tree_bytes(out)


def _stored_again(site: Path, tmp_path: Path, cache: Path, name: str) -> int:
    before = _stored(cache)
    cached = _build(site, tmp_path / name, cache_dir=cache)
    assert cached == _build(site, tmp_path / f"{name}-cold", ignore_cache=True)
    after = _stored(cache)
    return sum(1 for key, row in after.items() if before.get(key) != row)


def _set_config(site: Path, old: str, new: str) -> None:
    path = site / "config.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_title_change_renders_again_only_the_bodies_that_show_it(tmp_path):
    site = _site(tmp_path / "site")
    cache = tmp_path / "cache"
    _build(site, tmp_path / "first", cache_dir=cache)
    assert len(_stored(cache)) == len(POSTS)

    _set_config(site, 'title = "Old title"', 'title = "New title"')
    loaded = _stored(cache, "page")
    assert _stored_again(site, tmp_path, cache, "title") == 2  # site-title, home-title
    assert _stored(cache, "page") == loaded  # no page was read again
    post = (tmp_path / "title/posts/site-title/index.html").read_text(encoding="utf-8")
    assert "<b>New title</b>" in post

    _set_config(site, 'motto = "moo"', 'motto = "baa"')  # a config change beyond the title
    assert _stored_again(site, tmp_path, cache, "param") >= 4  # every body with templates
    assert "<b>baa</b>" in (tmp_path / "param/posts/site-param/index.html").read_text("utf-8")

    assert _stored_again(site, tmp_path, cache, "nothing") == 0
