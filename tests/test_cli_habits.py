"""Hugo's command-line habits (issue 17): bare `sitegen` builds, Hugo's flag names where they
mean something, a clear "not supported by sitegen" otherwise, folded warnings, TOML lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, run_sitegen, write_post


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "config.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Main"\nlanguageCode = "en"\n'
    )
    write_post(site, "posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nText.\n")
    return site


def test_bare_sitegen_builds_the_site_in_the_current_folder(tmp_path: Path):
    site = _site(tmp_path)
    result = run_sitegen(cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "public" / "posts" / "a" / "index.html").exists()
    assert run_sitegen("-s", site, "--quiet").returncode == 0  # with Hugo's build flags too


def test_version_command_and_debug_anywhere(tmp_path: Path):
    result = run_sitegen("version")
    assert result.returncode == 0 and result.stdout.startswith("sitegen ")
    site = _site(tmp_path)
    assert run_sitegen("build", "-s", site, "--debug", "--quiet").returncode == 0
    assert run_sitegen("--debug", "build", "-s", site, "--quiet").returncode == 0


def test_config_flag_picks_another_config_file(tmp_path: Path):
    site = _site(tmp_path)
    (site / "staging.toml").write_text(
        'baseURL = "https://staging.example.org/"\ntitle = "Staging"\n'
    )
    result = run_sitegen("build", "-s", site, "--config", "staging.toml", "--quiet")
    assert result.returncode == 0, result.stderr
    home = (site / "public" / "index.html").read_text()
    assert "<title>Staging" in home and "https://staging.example.org/" in home
    missing = run_sitegen("build", "-s", site, "--config", "nope.toml")
    assert missing.returncode == 1 and "the config file does not exist" in missing.stderr
    several = run_sitegen("build", "-s", site, "--config", "a.toml,b.toml")
    assert several.returncode == 1 and "not supported by sitegen" in several.stderr


def test_environment_clean_destination_and_render_to_memory_are_accepted(tmp_path: Path):
    site = _site(tmp_path)
    assert run_sitegen("build", "-s", site, "-e", "production", "--quiet").returncode == 0
    assert (
        run_sitegen(
            "build", "-s", site, "--environment", "production", "--cleanDestinationDir"
        ).returncode
        == 0
    )
    staging = run_sitegen("build", "-s", site, "-e", "staging")
    assert staging.returncode == 1 and "not supported by sitegen" in staging.stderr
    assert "Traceback" not in staging.stderr
    helps = run_sitegen("serve", "--help").stdout
    assert "--renderToMemory" in helps and "--poll" in helps


@pytest.mark.parametrize(
    "flag", ["--noBuildLock", "--noChmod", "--templateMetrics", "--logLevel=debug", "-w"]
)
def test_hugo_flags_sitegen_lacks_are_named_as_such(tmp_path: Path, flag: str):
    result = run_sitegen("build", "-s", _site(tmp_path), flag)
    assert result.returncode in (1, 2) and "not supported by sitegen" in result.stderr, (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_new_path_form_and_kind(tmp_path: Path):
    site = _site(tmp_path)
    (site / "archetypes").mkdir()
    (site / "archetypes" / "release.md").write_text(
        '---\ntitle: "Release {{ .Name }}"\ndraft: true\n---\n'
    )
    assert (
        run_sitegen("new", "posts/plain.md", "-s", site).returncode == 0
    )  # Hugo's `hugo new PATH`
    assert (site / "content" / "posts" / "plain.md").exists()
    result = run_sitegen("new", "content", "-s", site, "posts/2024-02.md", "-k", "release")
    assert result.returncode == 0, result.stderr
    assert 'title: "Release 2024-02"' in (site / "content" / "posts" / "2024-02.md").read_text()
    missing = run_sitegen("new", "--kind", "nope", "posts/x.md", "-s", site)
    assert missing.returncode == 1 and "no archetype 'nope'" in missing.stderr


def test_repeated_warnings_fold_into_one_line_and_verbose_lists_them(tmp_path: Path):
    out = tmp_path / "public"
    folded = run_sitegen("build", "-s", CORPUS, "-d", out)
    assert folded.returncode == 0, folded.stderr
    alt = [
        line
        for line in folded.stderr.splitlines()
        if "image without alt text" in line and line.startswith("warning:")
    ]
    assert len(alt) == 1 and "times in" in alt[0] and "--verbose lists every one" in alt[0]
    count = int(alt[0].split("image without alt text: ")[1].split(" times")[0])
    verbose = run_sitegen("build", "-s", CORPUS, "-d", out, "--verbose", "--ignoreCache")
    listed = [
        line
        for line in verbose.stderr.splitlines()
        if line.startswith("warning:") and "image without alt text" in line
    ]
    assert len(listed) == count > 30
    assert len([l for l in folded.stderr.splitlines() if l.startswith("warning:")]) < 10


def test_toml_front_matter_errors_name_their_line(tmp_path: Path):
    site = _site(tmp_path)
    write_post(
        site, "posts/bad.md", '+++\ntitle = "x"\ndate = 2024-01-01\n\ntags = [oops]\n+++\nText\n'
    )
    write_post(site, "posts/open.md", '+++\ntitle = "x"\n\ntags = ["a",\n+++\nText\n')
    result = run_sitegen("build", "-s", site)
    assert result.returncode == 1
    assert "posts/bad.md:5: invalid TOML front matter" in result.stderr
    assert "posts/open.md:5: invalid TOML front matter: Invalid value" in result.stderr
    assert "at end of document" not in result.stderr and ".md:1:" not in result.stderr
