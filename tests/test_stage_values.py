"""Stages are functions from values to values (issue 21): a page's rendered body is one value
that the content stage makes, the release stage replaces with a new one (decorated, with its
releases and the lastmod they imply), and the build hands on whole; nothing writes into it."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest

from conftest import write_post
from sitegen.build.builder import Builder, BuildOptions, build_site
from sitegen.models import Rendered

# Dated the 2nd, its newest sub-release shipped the 20th: the release moves its lastmod.
RELEASE_POST = """---
title: "Update 2024-05"
date: 2024-05-02T10:00:00Z
---
Two releases this month.

## 2024-05a (Release vom 20.05.2024)

- fixed {fix}

## 2024-05 (Release vom 02.05.2024)

- the first one
"""
POST_PATH = "posts/2024/update-2024-05/index.md"


def sitemap_lastmod(outputs: dict[str, bytes], url_tail: str) -> str:
    """The <lastmod> a sitemap (of any language) gives the page at `url_tail`."""
    pattern = re.compile(rf"<loc>[^<]*{re.escape(url_tail)}</loc>\s*<lastmod>([^<]+)</lastmod>")
    found = [
        entry.group(1)
        for rel, data in outputs.items()
        if rel.endswith("sitemap.xml")
        for entry in [pattern.search(data.decode())]
        if entry is not None
    ]
    assert len(found) == 1, found
    return found[0]


def the_post(result):
    return next(p for p in result.site.pages if p.source and p.source.rel.as_posix() == POST_PATH)


def test_a_release_post_shows_the_lastmod_its_releases_imply(example_site, tmp_path):
    write_post(example_site, POST_PATH, RELEASE_POST.format(fix="one thing"))
    result = build_site(BuildOptions(source=example_site, destination=tmp_path / "out"))
    shown = sitemap_lastmod(result.outputs, "/posts/2024/update-2024-05/")
    assert shown.startswith("2024-05-20")
    post = the_post(result)
    assert post.source_lastmod.date() == date(2024, 5, 2)  # what the source says
    assert post.lastmod.date() == date(2024, 5, 20)  # what the release stage's value says
    assert 'class="release-meta"' in post.content


def test_a_page_body_is_one_value_nothing_writes_into(example_site, tmp_path):
    write_post(example_site, POST_PATH, RELEASE_POST.format(fix="one thing"))
    post = the_post(build_site(BuildOptions(source=example_site, destination=tmp_path / "out")))
    assert isinstance(post.rendered, Rendered)
    assert [r.version for r in post.releases] == ["2024-05a", "2024-05"]
    assert all(release.page is post for release in post.releases)
    with pytest.raises(AttributeError):
        post.content = "<p>replaced</p>"
    with pytest.raises(dataclasses.FrozenInstanceError):
        post.rendered.content = "<p>replaced</p>"
    assert isinstance(post.releases, tuple) and isinstance(post.headings, tuple)


def test_a_patched_body_gets_its_new_value_from_the_same_stages(example_site, tmp_path):
    """Under `sitegen serve` an edited body is patched into the last build: the page takes a
    new value made as the full build makes it (decorated, its lastmod from its releases)."""
    write_post(example_site, POST_PATH, RELEASE_POST.format(fix="one thing"))
    builder = Builder(
        BuildOptions(source=example_site, destination=tmp_path / "out", ignore_cache=True),
        keep_in_memory=True,
    )
    first = builder.build()
    before = the_post(first).rendered
    write_post(example_site, POST_PATH, RELEASE_POST.format(fix="another thing"))
    patched, _ = builder.rebuild([example_site / "content" / POST_PATH])
    cold = build_site(
        BuildOptions(source=example_site, destination=tmp_path / "cold", ignore_cache=True)
    )
    post = the_post(patched)
    assert post.rendered is not before and "another thing" not in before.content
    assert "another thing" in post.content and 'class="release-meta"' in post.content
    assert post.lastmod == the_post(cold).lastmod
    assert sitemap_lastmod(patched.outputs, "/posts/2024/update-2024-05/").startswith("2024-05-20")
    sitemaps = [rel for rel in cold.outputs if rel.endswith("sitemap.xml")]
    assert [patched.outputs[rel] for rel in sitemaps] == [cold.outputs[rel] for rel in sitemaps]
    page = "posts/2024/update-2024-05/index.html"
    assert patched.outputs[page] == cold.outputs[page]
