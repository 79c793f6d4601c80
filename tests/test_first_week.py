"""Issue 17: what a team meets in its first week (permissions, -s, new content, destinations,
CLI habits)."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import copy_example_site, run_sitegen, write_post


def _build_with_umask(site: Path, umask: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "-s", str(site), *args],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=lambda: os.umask(umask),
    )


@pytest.fixture
def open_site():
    """The example site in a folder every user may traverse (pytest's tmp folders are 0700)."""
    base = Path(tempfile.mkdtemp(prefix="sitegen-perm-"))
    base.chmod(0o755)
    site = copy_example_site(base / "site")
    for path in [site, *site.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield site
    shutil.rmtree(base, ignore_errors=True)


def _modes(folder: Path) -> set[tuple[str, int]]:
    return {
        ("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode))
        for p in [folder, *folder.rglob("*")]
    }


def test_public_follows_the_umask_and_another_user_can_read_it(open_site: Path):
    result = _build_with_umask(open_site, 0o022)
    assert result.returncode == 0, result.stderr
    public = open_site / "public"
    assert _modes(public) == {("dir", 0o755), ("file", 0o644)}
    # a second build goes through the staging folder and the swap again
    (open_site / "content" / "posts").exists()
    result = _build_with_umask(open_site, 0o022)
    assert result.returncode == 0, result.stderr
    assert _modes(public) == {("dir", 0o755), ("file", 0o644)}
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("reading as another user needs root and setpriv")
    as_nobody = subprocess.run(
        [
            "setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "cat",
            str(public / "index.html"),
        ],
        capture_output=True,
        text=True,
    )
    assert as_nobody.returncode == 0, as_nobody.stderr
    assert "<html" in as_nobody.stdout
    listing = subprocess.run(
        [
            "setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "find",
            str(public),
            "-type",
            "f",
            "!",
            "-readable",
        ],
        capture_output=True,
        text=True,
    )
    assert listing.returncode == 0 and listing.stdout == "", listing.stdout + listing.stderr


def test_a_stricter_umask_is_honoured(open_site: Path):
    (open_site / "static" / "private.txt").write_text("x")
    (open_site / "static" / "private.txt").chmod(0o600)
    result = _build_with_umask(open_site, 0o027)
    assert result.returncode == 0, result.stderr
    public = open_site / "public"
    rendered = [p for p in public.rglob("*") if p.suffix in (".html", ".xml", ".json")]
    assert len(rendered) > 10
    assert {stat.S_IMODE(p.stat().st_mode) for p in rendered} == {0o640}
    assert {stat.S_IMODE(p.stat().st_mode) for p in [public, *public.rglob("*")] if p.is_dir()} == {
        0o750
    }
    # static files keep their own mode, as Hugo copies them (without --noChmod)
    assert stat.S_IMODE((public / "private.txt").stat().st_mode) == 0o600


# --- the site folder (-s) and `new content` ------------------------------------------------


def test_a_mistyped_source_folder_is_an_error_and_is_not_created(tmp_path: Path):
    missing = tmp_path / "nosuchdir"
    for command in (["build"], ["releases"], ["new", "content", "posts/x.md"]):
        result = run_sitegen(*command, "-s", missing)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "the site folder does not exist" in result.stderr and "nosuchdir" in result.stderr
        assert not missing.exists()


def test_a_folder_that_is_not_a_site_is_an_error(tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_sitegen("build", "-s", empty)
    assert result.returncode == 1 and "this is not a site" in result.stderr
    assert list(empty.iterdir()) == []
    only_content = tmp_path / "only-content"
    write_post(only_content, "posts/a.md", "---\ntitle: A\n---\nText\n")
    assert (
        run_sitegen("build", "-s", only_content).returncode == 0
    )  # content/ alone is a site, as in Hugo


@pytest.mark.parametrize(
    "target", ["ABSOLUTE/x.md", "../x.md", "posts/../../x.md", "content/../../x.md"]
)
def test_new_content_refuses_paths_outside_the_content_folder(example_site: Path, target: str):
    # an absolute path elsewhere stands for `/etc/passwd2` (a test does not write to /etc)
    target = target.replace("ABSOLUTE", str(example_site.parent))
    result = run_sitegen("new", "content", target, "-s", example_site)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "outside the site's content folder" in result.stderr
    assert not (example_site / "x.md").exists() and not (example_site.parent / "x.md").exists()


def test_new_content_inside_the_content_folder_still_works(example_site: Path):
    for target in (
        "posts/2024/new-one/index.md",
        "content/posts/two.md",
        str(example_site / "content/posts/three.md"),
    ):
        result = run_sitegen("new", "content", target, "-s", example_site)
        assert result.returncode == 0, result.stderr
    for rel in ("posts/2024/new-one/index.md", "posts/two.md", "posts/three.md"):
        assert (example_site / "content" / rel).read_text().startswith("---")


# --- the destination ------------------------------------------------------------------------


def test_files_no_build_wrote_are_kept_and_stale_outputs_go(example_site: Path):
    assert run_sitegen("build", "-s", example_site).returncode == 0
    public = example_site / "public"
    (public / "google1234.html").write_text("google-site-verification: google1234.html")
    (public / "well-known").mkdir()
    (public / "well-known" / "security.txt").write_text("Contact: mailto:x@example.org")
    post = next((example_site / "content" / "posts").rglob("index.en.md"))
    page_folder = public / post.parent.relative_to(example_site / "content")
    assert (page_folder / "index.html").exists()
    post.unlink()  # the next build no longer makes this page
    before = (public / "google1234.html").stat().st_ino
    assert run_sitegen("build", "-s", example_site).returncode == 0
    assert (public / "google1234.html").read_text().startswith("google-site-verification")
    assert (public / "google1234.html").stat().st_ino == before  # hard-linked, not copied
    assert (public / "well-known" / "security.txt").exists()
    assert not (page_folder / "index.html").exists()  # the last build wrote it: it goes
    result = run_sitegen("build", "-s", example_site, "--cleanDestinationDir")
    assert result.returncode == 0, result.stderr
    assert not (public / "google1234.html").exists() and not (public / "well-known").exists()
    assert (public / "index.html").exists()


def test_without_a_cache_every_file_not_overwritten_is_kept(example_site: Path):
    public = example_site / "public"
    public.mkdir()
    (public / "CNAME").write_text("blog.example.org\n")
    assert run_sitegen("build", "-s", example_site, "--ignoreCache").returncode == 0
    assert (public / "CNAME").read_text() == "blog.example.org\n" and (
        public / "index.html"
    ).exists()


@pytest.mark.parametrize(
    "folder",
    ["content", "layouts", "static", "archetypes", "i18n", ".git", ".", "content/out", ".."],
)
def test_a_destination_that_is_or_holds_a_source_folder_is_refused(example_site: Path, folder: str):
    (example_site / "i18n").mkdir(exist_ok=True)
    (example_site / "i18n" / "en.toml").write_text('[hello]\nother = "Hello"\n')
    (example_site / ".git").mkdir(exist_ok=True)
    (example_site / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    before = {p for p in example_site.parent.rglob("*")}
    result = run_sitegen("build", "-s", example_site, "-d", example_site / folder)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the destination" in result.stderr and "error:" in result.stderr
    assert {p for p in example_site.parent.rglob("*")} == before  # nothing written, nothing lost


def test_a_destination_that_is_a_file_is_refused(example_site: Path, tmp_path: Path):
    target = tmp_path / "notes.txt"
    target.write_text("mine")
    result = run_sitegen("build", "-s", example_site, "-d", target)
    assert result.returncode == 1 and "the destination is a file" in result.stderr
    assert target.read_text() == "mine"


def test_a_missing_content_dir_is_an_error(example_site: Path):
    config = example_site / "config.toml"
    config.write_text('contentDir = "posts-src"\n' + config.read_text())
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 1 and "contentDir 'posts-src' does not exist" in result.stderr
    assert "config.toml" in result.stderr


@pytest.mark.parametrize(
    "base_url", ["5", "javascript:alert(1)", "example.org", "/blog/", "ftp://example.org/"]
)
def test_base_url_must_be_an_absolute_http_url(example_site: Path, base_url: str):
    result = run_sitegen("build", "-s", example_site, "-b", base_url)
    assert result.returncode == 1 and "is not an absolute http(s) URL" in result.stderr, (
        result.stderr
    )
    config = example_site / "config.toml"
    text = re.sub(r"(?mi)^baseURL\s*=.*$", f'baseURL = "{base_url}"', config.read_text())
    config.write_text(text)
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 1 and "config.toml" in result.stderr and "baseURL" in result.stderr
    assert not (example_site / "public").exists()
