"""Every user mistake is exit 1 with the file and line, never exit 70 (issue 19): wrongly
typed config values, template syntax errors in the site's layouts, a full disk."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, run_sitegen, write_post


def small_site(
    tmp_path: Path, config_name: str = "config.toml", config: str = 'title = "t"\n'
) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / config_name).write_text(config, encoding="utf-8")
    write_post(site, "posts/one.md", "---\ntitle: one\ndate: 2024-01-01\n---\nbody\n")
    return site


@pytest.mark.parametrize(
    "name, config, where, key",
    [
        ("config.json", '{"title": "t",\n "params": true}', "config.json:2", "params"),
        ("config.toml", 'title = "t"\npaginate = ["a"]\n', "config.toml:2", "paginate"),
        (
            "config.toml",
            "title = \"t\"\n[sitemap]\n  priority = 'high'\n",
            "config.toml:3",
            "sitemap.priority",
        ),
        (
            "config.toml",
            '[pagination]\npagerSize = "ten"\n',
            "config.toml:2",
            "pagination.pagerSize",
        ),
        ("config.toml", 'summaryLength = "abc"\n', "config.toml:1", "summaryLength"),
        ("config.toml", "taxonomies = 3\n", "config.toml:1", "taxonomies"),
        ("config.toml", "[taxonomies]\ntag = 3\n", "config.toml:2", "taxonomies.tag"),
        ("config.toml", "theme = 3\n", "config.toml:1", "theme"),
        ("config.toml", "[markup]\ngoldmark = 1\n", "config.toml:2", "markup.goldmark"),
        ("config.toml", '[services.rss]\nlimit = "x"\n', "config.toml:2", "services.rss.limit"),
        ("config.toml", '[languages.en]\nweight = "x"\n', "config.toml:2", "languages.en.weight"),
        ("config.toml", '[[menu.main]]\nname = "a"\nweight = "heavy"\n', "config.toml:3", "weight"),
        ("config.yaml", "title: t\nmenu:\n  main: 3\n", "config.yaml:3", "menu.main"),
        ("config.toml", "[params]\nmainSections = 1\n", "config.toml:2", "params.mainSections"),
        ("config.toml", "defaultContentLanguage = 1\n", "config.toml:1", "defaultContentLanguage"),
    ],
)
def test_wrongly_typed_config_values_are_errors_with_the_key_line(
    tmp_path, name, config, where, key
):
    site = small_site(tmp_path, name, config)
    result = run_sitegen("build", "-s", site, "--quiet")
    assert result.returncode == 1, result.stderr
    assert where in result.stderr and f"'{key}'" in result.stderr, result.stderr


def test_a_bad_yaml_timestamp_in_the_config_is_not_a_crash(tmp_path):
    site = small_site(
        tmp_path, "config.yaml", "title: t\nparams:\n  released: 2024-01-01T25:61:00\n"
    )
    result = run_sitegen("build", "-s", site, "--quiet")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "template",
    [
        "_default/single.html",
        "_default/list.html",
        "partials/summary.html",
        "index.html",
        "_default/baseof.html",
    ],
)
def test_template_syntax_errors_in_site_layouts_name_the_template_and_line(tmp_path, template):
    site = small_site(tmp_path)
    path = site / "layouts" / template
    path.parent.mkdir(parents=True)
    # A Jinja template with a mistake (Go syntax, `{{ .Title }}`, is passed over with a warning instead)
    path.write_text("<p>\n{{ page.title }\n</p>\n", encoding="utf-8")
    result = run_sitegen("build", "-s", site, "--quiet")
    assert result.returncode == 1, result.stderr
    assert f"layouts/{template}:2: template syntax error" in result.stderr
    assert "internal error" not in result.stderr


@pytest.fixture
def tiny_disk(tmp_path):
    """A 400 KiB file system (tmpfs; needs root, as CI and the dev machines are)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if (
        shutil.which("mount") is None
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True
        ).returncode
    ):
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.parametrize("cache", ["--ignoreCache", None])
def test_a_full_disk_is_an_error_naming_the_file_not_a_crash(tiny_disk, cache):
    site = tiny_disk / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "config.toml", site / "config.toml")
    (site / "static").mkdir()
    (site / "static" / "filler.bin").write_bytes(bytes(150_000))
    result = run_sitegen("build", "-s", site, "--quiet", *([cache] if cache else []))
    assert result.returncode == 1, result.stderr
    assert "the disk is full while" in result.stderr
    if cache:
        assert "public/" in result.stderr
    assert not (site / "public").exists()  # nothing half-written was swapped in
