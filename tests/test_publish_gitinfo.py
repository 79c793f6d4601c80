"""`enableGitInfo`: lastmod from the last commit touching each file, read in one git pass."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ElementTree
from datetime import datetime
from pathlib import Path

import pytest

from publish_helpers import build

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CONFIG = 'baseURL = "https://example.org/"\ntitle = "Git dates"\nenableGitInfo = true\n'


def post(title: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: 2024-01-01T10:00:00Z\n{extra}---\n\nText of {title}.\n"


def commit(site: Path, message: str, when: str, *paths: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", "add", *paths], cwd=site, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=site, check=True, env=env)


def sitemap_lastmods(public: Path) -> dict[str, datetime]:
    root = ElementTree.parse(public / "sitemap.xml").getroot()
    return {
        url.findtext(f"{SITEMAP}loc"): datetime.fromisoformat(url.findtext(f"{SITEMAP}lastmod"))
        for url in root.iter(f"{SITEMAP}url")
        if url.findtext(f"{SITEMAP}lastmod")
    }


@pytest.fixture
def git_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "config.toml").write_text(CONFIG)
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    posts = site / "content" / "posts"
    (posts / "alpha.md").write_text(post("Alpha"))
    (posts / "beta.md").write_text(post("Beta"))
    (posts / "gamma.md").write_text(post("Gamma", "lastmod: 2024-02-02T08:00:00Z\n"))
    commit(site, "first", "2024-03-01T12:00:00+02:00", ".")
    (posts / "alpha.md").write_text(post("Alpha") + "More.\n")
    commit(site, "edit alpha", "2024-06-15T09:30:00+00:00", "content/posts/alpha.md")
    (posts / "gamma.md").write_text(post("Gamma", "lastmod: 2024-02-02T08:00:00Z\n") + "More.\n")
    (site / "config.toml").write_text(CONFIG + "# touched\n")
    commit(
        site,
        "edit gamma and config",
        "2024-07-20T18:00:00+00:00",
        "content/posts/gamma.md",
        "config.toml",
    )
    return site


def test_sitemap_lastmod_is_the_last_commit_of_each_file_unless_front_matter_sets_it(
    git_site: Path, tmp_path
):
    result = build(git_site, tmp_path / "public")
    lastmods = sitemap_lastmods(tmp_path / "public")
    assert lastmods["https://example.org/posts/alpha/"] == datetime.fromisoformat(
        "2024-06-15T09:30:00+00:00"
    )
    assert lastmods["https://example.org/posts/beta/"] == datetime.fromisoformat(
        "2024-03-01T12:00:00+02:00"
    )
    # gamma was committed last, but its front matter names its lastmod: that wins.
    assert lastmods["https://example.org/posts/gamma/"] == datetime.fromisoformat(
        "2024-02-02T08:00:00+00:00"
    )
    assert not [w for w in result.diagnostics.warnings if "enableGitInfo" in w.message]
    html = (tmp_path / "public" / "posts" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert '<meta property="article:modified_time" content="2024-06-15T09:30:00+00:00">' in html


def test_a_file_without_commits_keeps_its_front_matter_date(git_site: Path, tmp_path):
    (git_site / "content" / "posts" / "delta.md").write_text(post("Delta"))
    build(git_site, tmp_path / "public")
    lastmods = sitemap_lastmods(tmp_path / "public")
    assert lastmods["https://example.org/posts/delta/"] == datetime.fromisoformat(
        "2024-01-01T10:00:00+00:00"
    )


def test_outside_a_git_checkout_the_build_warns_once_and_uses_front_matter(tmp_path: Path):
    site = tmp_path / "plain"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "config.toml").write_text(CONFIG)
    for name in ("one", "two"):
        (site / "content" / "posts" / f"{name}.md").write_text(post(name))
    result = build(site, tmp_path / "public")
    warnings = [w for w in result.diagnostics.warnings if "enableGitInfo" in w.message]
    assert len(warnings) == 1 and "not inside a git checkout" in warnings[0].message
    lastmods = sitemap_lastmods(tmp_path / "public")
    assert lastmods["https://example.org/posts/one/"] == datetime.fromisoformat(
        "2024-01-01T10:00:00+00:00"
    )


def _cached_build(site: Path, public: Path):
    from sitegen.build.builder import BuildOptions, build_site, write_site

    options = BuildOptions(source=site, destination=public, cache_dir=site.parent / "cache")
    return write_site(build_site(options))


@pytest.mark.parametrize("pack_refs", [False, True], ids=["loose-ref", "packed-refs"])
def test_a_cached_build_after_a_new_commit_shows_its_date(git_site: Path, tmp_path, pack_refs):
    """The dates are kept between builds while HEAD names the same commit; a commit (also to
    a branch whose ref git has packed) moves HEAD, and the next cached build reads the
    history again, as a cold build would."""
    alpha = "https://example.org/posts/alpha/"
    _cached_build(git_site, tmp_path / "public")
    if pack_refs:
        subprocess.run(["git", "pack-refs", "--all"], cwd=git_site, check=True)
    _cached_build(git_site, tmp_path / "public")  # from the kept dates
    assert sitemap_lastmods(tmp_path / "public")[alpha] == datetime.fromisoformat(
        "2024-06-15T09:30:00+00:00"
    )
    (git_site / "content" / "posts" / "alpha.md").write_text(post("Alpha") + "Even more.\n")
    commit(git_site, "edit alpha again", "2024-09-01T07:00:00+00:00", "content/posts/alpha.md")
    _cached_build(git_site, tmp_path / "public")
    assert sitemap_lastmods(tmp_path / "public")[alpha] == datetime.fromisoformat(
        "2024-09-01T07:00:00+00:00"
    )
    build(git_site, tmp_path / "cold")
    assert (tmp_path / "public" / "sitemap.xml").read_bytes() == (
        tmp_path / "cold" / "sitemap.xml"
    ).read_bytes()
