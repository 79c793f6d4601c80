"""The shared corpus, edit after edit: a fixed list of edit kinds (each case of issue 18), each
followed by a cached build compared byte for byte with a cold one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cache_helpers import (
    NEW_YEAR,
    NEW_YEARS_EVE,
    Differential,
    flip_bytes,
    rewrite_keeping_stamp,
    serve_once,
    update_entries,
    user_cache,  # noqa: F401 (an autouse fixture)
)
from conftest import CORPUS, write_post

# --- the shared corpus, edit after edit ------------------------------------------------------


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _flip_entries(site: Path) -> None:
    update_entries(site / ".sitegen-cache", flip_bytes)


def _move_content_outside(site: Path) -> None:
    outside = site.parent / "elsewhere"
    outside.mkdir()
    shutil.move(str(site / "content"), outside / "content")
    _replace(
        site / "config.toml",
        'title = "mailcow',
        'contentDir = "../elsewhere/content"\ntitle = "mailcow',
    )


POST = "content/posts/2023/arm64-announcement/index.en.md"
NEWEST_SUMMARY = """{% extends "_default/baseof.html" %}
{% block main %}{{ page.content }}<aside>{{ site.regular_pages[0].title }}: {{ site.regular_pages[0].summary }}
{{ site.regular_pages[0].params.author }}</aside>{% endblock %}
"""

# (name, edit of the site folder, extra build arguments, environment); in this order, each
# followed by a cached build compared with a cold one.
CORPUS_EDITS = [
    ("first build", lambda site: None, (), NEW_YEARS_EVE),
    ("nothing changed", lambda site: None, (), NEW_YEARS_EVE),
    ("post body", lambda site: _append(site / POST, "\nOne more line.\n"), (), NEW_YEARS_EVE),
    (
        "post title",
        lambda site: _replace(site / POST, 'Announcement"', 'Announcement, edited"'),
        (),
        NEW_YEARS_EVE,
    ),
    (
        "config title",
        lambda site: _replace(
            site / "config.toml",
            'title = "mailcow: dockerized - Blog"',
            'title = "mailcow: dockerized - Edited"',
        ),
        (),
        NEW_YEARS_EVE,
    ),
    ("New Year", lambda site: None, (), NEW_YEAR),
    (
        "config baseURL",
        lambda site: _replace(
            site / "config.toml",
            'baseURL = "https://mailcow.email"',
            'baseURL = "https://mailcow.email/blog/"',
        ),
        (),
        NEW_YEAR,
    ),
    ("-b", lambda site: None, ("-b", "https://preview.example/"), NEW_YEAR),
    (
        "static file, cp -p",
        lambda site: rewrite_keeping_stamp(
            site / "static/favicon.ico",
            bytes(b ^ 1 for b in (site / "static/favicon.ico").read_bytes()),
        ),
        (),
        NEW_YEAR,
    ),
    (
        "bundle image, cp -p",
        lambda site: rewrite_keeping_stamp(
            site / "content/posts/2023/mailcow-idp/images/sso_keycloak9.png",
            (site / "content/posts/2023/mailcow-idp/images/sso_keycloak9.png").read_bytes()[::-1],
        ),
        (),
        NEW_YEAR,
    ),
    (
        "partial showing the newest post",
        lambda site: (
            (site / "layouts/_default").mkdir(parents=True, exist_ok=True),
            (site / "layouts/_default/single.html").write_text(NEWEST_SUMMARY, encoding="utf-8"),
        ),
        (),
        NEW_YEAR,
    ),
    ("newest post's summary and author", lambda site: _newest_post_edit(site), (), NEW_YEAR),
    (
        "new post",
        lambda site: write_post(
            site,
            "posts/2024/new-one/index.en.md",
            "---\ntitle: A new post\ndate: 2024-06-01T10:00:00Z\n---\nNew text.\n",
        ),
        (),
        NEW_YEAR,
    ),
    (
        "deleted post",
        lambda site: shutil.rmtree(site / "content/posts/2023/arm64-delay"),
        (),
        NEW_YEAR,
    ),
    ("damaged cache entries", _flip_entries, (), NEW_YEAR),
    ("serve, then build", serve_once, (), NEW_YEAR),
    ("content outside the site", _move_content_outside, (), NEW_YEAR),
    (
        "post outside the site",
        lambda site: _append(site.parent / "elsewhere" / POST, "\nEdited outside.\n"),
        (),
        NEW_YEAR,
    ),
]


def _newest_post_edit(site: Path) -> None:
    posts = sorted(
        (site / "content/posts").rglob("index.en.md"),
        key=lambda p: p.read_text(encoding="utf-8").split("date:", 1)[1][:26],
    )
    post = posts[-1]
    text = post.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    front = (
        front.replace("\nauthor:", "\nauthor: Edited Author\nformer_author:", 1)
        if "\nauthor:" in front
        else front + "\nauthor: Edited Author"
    )
    post.write_text(
        front + "\n---\n" + "An edited opening of the newest post.\n\n" + body, encoding="utf-8"
    )


def test_cached_builds_of_the_corpus_equal_cold_builds_after_every_edit(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip("needs ../shared/corpus/mailcow-blog")
    site = tmp_path / "blog" / "site"
    shutil.copytree(CORPUS, site)
    for folder in [site, *(path for path in site.rglob("*") if path.is_dir())]:
        folder.chmod(0o755)  # a checkout the user can write to (the shared copy is read-only)
    check = Differential(site, tmp_path / "builds")
    done = []
    for name, edit, args, epoch in CORPUS_EDITS:
        edit(site)
        tree = check.build(*args, env={"SOURCE_DATE_EPOCH": epoch})
        done.append(name)
        assert len(tree) > 250, name
    assert b"An edited opening of the newest post." in b"".join(
        data for rel, data in tree.items() if rel.endswith(".html")
    )
    assert len(done) == len(CORPUS_EDITS) == check.cold_builds
