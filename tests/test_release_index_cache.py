"""The release index with the build cache: an edit to a release post's text leaves the
index as it was (it shows versions, dates, anchors, compare links and post titles, not the
sections' text) and reuses it; an edit to what it shows renders it again. Either way the
cached build equals a cold one."""

from __future__ import annotations

import pickle
import sqlite3
from contextlib import closing
from pathlib import Path

from cache_helpers import Differential, entries_file, user_cache  # noqa: F401 (an autouse fixture)
from conftest import copy_example_site

POST = "content/posts/2024/release-2024-02/index.en.md"
INDEX = "releases/index.html"


def edit(site: Path, old: str, new: str) -> None:
    path = site / POST
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def stored_renders_of(cache: Path, rel: str) -> set[bytes]:
    """The build cache's entries that hold the output file `rel`, as stored: a render that
    was reused leaves them as they were, one made again is stored anew."""
    from sitegen.build.signing import unseal

    with closing(sqlite3.connect(entries_file(cache))) as db:
        rows = db.execute("SELECT key, value FROM entries WHERE kind = 'output'").fetchall()
    found = set()
    for key, sealed in rows:
        data = unseal("output", key, sealed)
        assert data is not None
        if rel in pickle.loads(data).value:
            found.add(bytes(sealed))
    return found


def test_the_release_index_follows_what_it_shows_of_the_release_posts(tmp_path: Path):
    site = copy_example_site(tmp_path / "site")
    cache = tmp_path / "cache"
    check = Differential(site, tmp_path, cache)
    check.build("--workers", "1")
    first = stored_renders_of(cache, INDEX)
    assert len(first) == 1

    # Text inside a release section, and an appended line (inside the last section): reused.
    edit(
        site,
        "Fixed quota notifications for shared mailboxes",
        "Fixed the quota notifications of shared mailboxes",
    )
    tree = check.build("--workers", "1")
    with (site / POST).open("a", encoding="utf-8") as stream:
        stream.write("\nOne more line at the end.\n")
    tree = check.build("--workers", "1")
    assert (
        b"Fixed the quota notifications of shared mailboxes"
        in tree["posts/2024/release-2024-02/index.html"]
    )
    assert stored_renders_of(cache, INDEX) == first

    # A release's date (its heading) is in the index: rendered again, as a cold build has it.
    edit(site, "## 2024-02a (Release 29th February 2024)", "## 2024-02a (Release 1st March 2024)")
    tree = check.build("--workers", "1")
    dated = stored_renders_of(cache, INDEX)
    assert dated and dated != first
    assert b'<time datetime="2024-03-01T' in tree[INDEX]

    # A new release in the post: a new row.
    edit(
        site,
        "## 2024-02a (Release 1st March 2024)",
        "## 2024-02b (Release 2nd March 2024)\n\n+ One more fix.\n\n## 2024-02a (Release 1st March 2024)",
    )
    tree = check.build("--workers", "1")
    assert stored_renders_of(cache, INDEX) - dated
    assert b">2024-02b</a>" in tree[INDEX]


def test_a_site_release_index_that_shows_the_sections_follows_their_text(tmp_path: Path):
    """What the index reads is what counts: a site's own layout that shows each release's
    section renders again when a section's text changes."""
    site = copy_example_site(tmp_path / "site")
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "releases.html").write_text(
        '{% extends "_default/baseof.html" %}{% block main %}'
        "{% for release in releases %}<section>{{ release.version }} {{ release.html|safe }}</section>"
        "{% endfor %}{% endblock %}\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    check = Differential(site, tmp_path, cache)
    check.build()
    first = stored_renders_of(cache, INDEX)
    edit(
        site,
        "Fixed quota notifications for shared mailboxes",
        "Fixed the quota notifications of shared mailboxes",
    )
    tree = check.build()
    assert b"Fixed the quota notifications of shared mailboxes" in tree[INDEX]
    assert stored_renders_of(cache, INDEX) != first
