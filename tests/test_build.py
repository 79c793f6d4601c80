"""`sitegen build` on real sites, as a user runs it: what it writes, what it says, how it fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CORPUS, run_sitegen, tree_bytes, write_post

SEED_TITLE = (
    "🦾6️⃣4️⃣ 🐄 Janmuhary 2024 Update | Das Multiarch (x86 + ARM64) & Performance Update - Revision E"
)
MOJIBAKE = ("√", "Ô∏è", "‚É£", "ü¶")


def test_example_site_builds_and_says_what_it_built(example_site: Path) -> None:
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^en: \d+ pages \(", result.stdout, re.M)
    assert re.search(r"^de: \d+ pages \(", result.stdout, re.M)
    assert "static files" in result.stdout and "built in" in result.stdout
    assert (example_site / "public" / "index.html").is_file()
    assert (example_site / "public" / "de" / "index.html").is_file()


def test_seed_post_is_published_repaired(example_site: Path) -> None:
    result = run_sitegen("build", "-s", example_site)
    assert "UTF-8 read as Mac Roman" in result.stderr and "sitegen fix-encoding" in result.stderr
    html = (example_site / "public/de/posts/2024/release-2024-01/index.html").read_text(
        encoding="utf-8"
    )
    title = re.search(r"<title>(.*?)</title>", html, re.S)[1]
    assert SEED_TITLE.replace("&", "&amp;") in title
    assert "geändert" in html and "lauffähig" in html
    for broken in MOJIBAKE:
        assert broken not in html


def test_quiet_prints_errors_only(example_site: Path) -> None:
    quiet = run_sitegen("build", "-s", example_site, "--quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == "" and quiet.stderr == ""  # the seed post's repair warning is not shown
    assert (example_site / "public/de/posts/2024/release-2024-01/index.html").is_file()
    failed = run_sitegen("build", "-s", example_site, "--quiet", "--strict-encoding")
    assert failed.returncode == 1 and "damaged encoding" in failed.stderr


def test_strict_encoding_turns_the_repair_into_an_error(example_site: Path) -> None:
    result = run_sitegen("build", "-s", example_site, "--strict-encoding")
    assert result.returncode == 1
    assert "release-2024-01/index.de.md" in result.stderr and "damaged encoding" in result.stderr


def test_corpus_builds_in_both_languages(tmp_path: Path) -> None:
    result = run_sitegen("build", "-s", CORPUS, "-d", tmp_path / "public")
    assert result.returncode == 0, result.stderr
    assert "theme 'FixIt' not found" in result.stderr
    public = tmp_path / "public"
    for page in (
        "posts/2023/release-2023-12/index.html",
        "de/posts/2023/release-2023-12/index.html",
        "tags/index.html",
        "de/categories/index.html",
        "index.xml",
        "sitemap.xml",
        "robots.txt",
    ):
        assert (public / page).is_file(), page


def test_no_shortcode_is_left_unrendered_in_the_corpus(tmp_path: Path) -> None:
    assert run_sitegen("build", "-s", CORPUS, "-d", tmp_path / "public").returncode == 0
    for page in (tmp_path / "public").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "{{<" not in text and "{{%" not in text and "HAHAHUGOSHORTCODE" not in text, page


def test_indented_admonition_stays_in_its_list_item(example_site: Path) -> None:
    assert run_sitegen("build", "-s", example_site).returncode == 0
    html = (example_site / "public/de/posts/2024/release-2024-01/index.html").read_text(
        encoding="utf-8"
    )
    item = re.search(r"<li>(?:(?!</li>).)*?<details class=\"admonition (\w+)", html, re.S)
    assert item, "the admonition indented under a list item must be inside the <li>"


def test_site_shortcode_overrides_the_themes(example_site: Path) -> None:
    assert run_sitegen("build", "-s", example_site).returncode == 0
    html = (example_site / "public/posts/2024/welcome/index.html").read_text(encoding="utf-8")
    assert '<figure class="site-figure">' in html and 'loading="lazy"' in html
    assert 'alt="The cover of the release blog"' in html
    assert "<figcaption>The blog&rsquo;s <em>cover</em></figcaption>" in html


def test_a_failed_build_leaves_the_previous_output_untouched(example_site: Path) -> None:
    assert run_sitegen("build", "-s", example_site).returncode == 0
    before = tree_bytes(example_site / "public")
    write_post(example_site, "posts/2024/broken/index.md", "---\ntitle: [unclosed\n---\nBody\n")
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 1
    assert tree_bytes(example_site / "public") == before
    assert not list(example_site.glob(".public.sitegen-*"))


def test_unchanged_files_are_not_rewritten(example_site: Path) -> None:
    assert run_sitegen("build", "-s", example_site).returncode == 0
    feed = example_site / "public" / "index.xml"
    first = feed.stat()
    assert run_sitegen("build", "-s", example_site).returncode == 0
    assert feed.stat().st_ino == first.st_ino and feed.stat().st_mtime_ns == first.st_mtime_ns


BAD_INPUTS = {
    "malformed YAML": (
        "---\ntitle: x\ntags: [a, b\n---\nbody\n",
        r"index\.md:\d+: invalid YAML front matter",
    ),
    "malformed TOML": (
        '+++\ntitle = "x"\ndate = \n+++\nbody\n',
        r"index\.md:3: invalid TOML front matter",
    ),
    "malformed JSON": ('{\n"title": "x",\n}\nbody\n', r"index\.md:\d+: invalid JSON front matter"),
    "unclosed front matter": (
        "---\ntitle: x\nbody\n",
        r"index\.md:1: the YAML front matter is not closed",
    ),
    "bad date": (
        "---\ntitle: x\ndate: 2024-13-45\n---\nbody\n",
        r"index\.md:3: front matter 'date'",
    ),
    "unknown shortcode": (
        "---\ntitle: x\n---\n\nText\n\n{{< nosuchshortcode >}}\n",
        r"index\.md:7:\d+: .*nosuchshortcode",
    ),
    "binary junk": (b"\x00\x01\x02\xff\xfe\x00garbage\x00" * 20, r"index\.md"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_fails_with_file_and_line(example_site: Path, case: str) -> None:
    text, expected = BAD_INPUTS[case]
    write_post(example_site, "posts/2024/bad/index.md", text)
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 1, result.stdout
    assert re.search(expected, result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert not (example_site / "public").exists()


def test_unknown_layout_falls_back_with_a_warning(example_site: Path) -> None:
    write_post(
        example_site, "posts/2024/odd/index.md", "---\ntitle: x\nlayout: nosuchlayout\n---\nbody\n"
    )
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 0
    assert re.search(
        r"odd/index\.md: layout 'nosuchlayout' not found; using _default/single\.html",
        result.stderr,
    )


def test_missing_template_names_the_layout_and_line(example_site: Path) -> None:
    layout = example_site / "layouts" / "_default" / "single.html"
    layout.parent.mkdir(parents=True, exist_ok=True)
    layout.write_text(
        '{% extends "_default/baseof.html" %}\n{% block main %}\n{% include "partials/nope.html" %}\n'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 1
    assert re.search(
        r"layouts/_default/single\.html:3: template error: .*nope\.html", result.stderr
    ), result.stderr


def test_all_errors_are_reported_not_only_the_first(example_site: Path) -> None:
    write_post(example_site, "posts/a/index.md", "---\ntitle: [x\n---\n")
    write_post(example_site, "posts/b/index.md", "---\ndate: nonsense\n---\n")
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 1
    assert "posts/a/index.md" in result.stderr and "posts/b/index.md" in result.stderr
    assert "2 error(s)" in result.stderr


@pytest.mark.parametrize(
    "text", ["", "---\ntitle: Only front matter\n---\n"], ids=["empty", "front-matter-only"]
)
def test_empty_posts_build(example_site: Path, text: str) -> None:
    write_post(example_site, "posts/2024/empty/index.md", text)
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 0, result.stderr
    assert (example_site / "public/posts/2024/empty/index.html").is_file()


def test_legacy_charset_post_is_read_with_a_warning(example_site: Path) -> None:
    write_post(
        example_site,
        "posts/2024/legacy/index.md",
        "---\ntitle: Grüße\n---\nÄnderungen für euch\n".encode("cp1252"),
    )
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 0, result.stderr
    assert "legacy/index.md" in result.stderr
    html = (example_site / "public/posts/2024/legacy/index.html").read_text(encoding="utf-8")
    assert "Änderungen für euch" in html and "Grüße" in html


@pytest.mark.parametrize("destination", [".", "..", "content/.."])
def test_refuses_to_build_over_the_site(example_site: Path, destination: str) -> None:
    result = run_sitegen("build", "-s", example_site, "-d", example_site / destination)
    assert result.returncode == 1
    assert "refusing" in result.stderr or "would replace the site" in result.stderr
    assert (example_site / "content").is_dir()


def test_drafts_and_future_posts_only_with_flags(example_site: Path) -> None:
    write_post(
        example_site, "posts/2099/future/index.md", "---\ntitle: Future\ndate: 2099-01-01\n---\nx\n"
    )
    write_post(
        example_site, "posts/2024/draft/index.md", "---\ntitle: Draft\ndraft: true\n---\nx\n"
    )
    assert run_sitegen("build", "-s", example_site).returncode == 0
    public = example_site / "public"
    assert not (public / "posts/2099/future/index.html").exists()
    assert not (public / "posts/2024/draft/index.html").exists()
    assert run_sitegen("build", "-s", example_site, "-D", "-F").returncode == 0
    assert (public / "posts/2099/future/index.html").exists()
    assert (public / "posts/2024/draft/index.html").exists()


def test_new_content_uses_the_archetype(example_site: Path) -> None:
    result = run_sitegen(
        "new", "content", "posts/2024/release-2024-03/index.md", "-s", example_site
    )
    assert result.returncode == 0, result.stderr
    text = (example_site / "content/posts/2024/release-2024-03/index.md").read_text(
        encoding="utf-8"
    )
    assert 'title: "Release 2024 03"' in text and "draft: true" in text
    again = run_sitegen("new", "content", "posts/2024/release-2024-03/index.md", "-s", example_site)
    assert again.returncode == 1 and "exists already" in again.stderr


def test_version_and_help() -> None:
    assert run_sitegen("--version").stdout.startswith("sitegen ")
    assert "build" in run_sitegen("--help").stdout


def test_progress_bar_only_on_a_terminal_and_only_for_long_builds() -> None:
    import io

    from sitegen.build import progress as progress_module
    from sitegen.build.progress import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet_pipe = io.StringIO()
    ProgressBar(quiet_pipe)("rendering", 2, 5)
    assert quiet_pipe.getvalue() == ""

    terminal = Terminal()
    bar = ProgressBar(terminal)
    bar("reading content", 1, 5)
    assert terminal.getvalue() == "", "a quick build shows no bar"
    bar.started -= progress_module.DELAY + 1
    bar("rendering 1000 pages", 2, 5)
    assert "2/5 rendering 1000 pages" in terminal.getvalue() and "[#####" in terminal.getvalue()
    bar.done()
    assert terminal.getvalue().endswith("\r\x1b[2K")


def test_unknown_config_keys_are_listed_once(example_site: Path) -> None:
    config = example_site / "config.toml"
    config.write_text(
        "fooBar = 1\nbazQux = true\n" + config.read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("config keys sitegen does not read") == 1
    assert "config.toml:2  bazQux\n    config.toml:1  fooBar" in result.stderr


@pytest.mark.parametrize(
    "name, text, where",
    [
        ("config.toml", 'title = "x"\nbaseURL = \n', r"config\.toml:2:\d+: invalid TOML"),
        ("config.yaml", "title: x\nmenu: [a\nfoo: 1\n", r"config\.yaml:\d+:\d+: invalid YAML"),
    ],
)
def test_invalid_config_names_file_line_and_column(
    tmp_path: Path, name: str, text: str, where: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_sitegen("build", "-s", tmp_path)
    assert result.returncode == 1
    assert re.search(where, result.stderr), result.stderr
