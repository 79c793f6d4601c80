"""Deep nesting from content (issue 19): shortcodes and raw HTML nest as deep as Hugo renders
them, and past sitegen's limit the build stops with the file and line, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_sitegen, write_post
from hugo_reference import run_hugo
from sitegen.content.shortcodes.parser import MAX_DEPTH

CONFIG = 'baseURL = "https://example.org/"\ntitle = "deep"\n'
UNSAFE = CONFIG + "[markup.goldmark.renderer]\n  unsafe = true\n"


def make_site(root: Path, config: str = CONFIG) -> Path:
    site = root / "site"
    site.mkdir()
    (site / "config.toml").write_text(config, encoding="utf-8")
    return site


def add_shortcode(site: Path, name: str, template: str) -> None:
    folder = site / "layouts" / "shortcodes"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.html").write_text(template, encoding="utf-8")


def nested(name: str, depth: int, core: str, markup: str = "<") -> str:
    right = ">" if markup == "<" else "%"
    return (
        f"{{{{{markup} {name} {right}}}}}" * depth
        + core
        + f"{{{{{markup} /{name} {right}}}}}" * depth
    )


def build(site: Path):
    return run_sitegen("build", "-s", site, "--quiet")


def page(site: Path, rel: str = "posts/deep/index.html") -> str:
    return (site / "public" / rel).read_text(encoding="utf-8")


def test_shortcodes_nest_as_deep_as_hugo_renders_them(tmp_path):
    """Hugo 0.168 renders 500, 2,000 and 100,000 levels; sitegen stopped at 250 (exit 1)."""
    site = make_site(tmp_path)
    add_shortcode(site, "box", "<b>{{ shortcode.inner }}</b>")
    write_post(
        site,
        "posts/deep.md",
        "---\ntitle: deep\n---\n" + nested("box", 2000, "CORE") + "\n\nAFTER\n",
    )
    result = build(site)
    assert result.returncode == 0, result.stderr
    html = page(site)
    assert "<b>" * 2000 + "CORE" + "</b>" * 2000 in html and "<p>AFTER</p>" in html


def test_markdown_shortcodes_nest_deep_and_their_output_stays_markdown(tmp_path):
    site = make_site(tmp_path)
    add_shortcode(site, "md", "{{ shortcode.inner }}")
    write_post(
        site,
        "posts/deep.md",
        "---\ntitle: deep\n---\n" + nested("md", 1000, "**CORE**", "%") + "\n",
    )
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert "<p><strong>CORE</strong></p>" in page(site)


def test_deep_calls_still_see_their_parent_and_position(tmp_path):
    site = make_site(tmp_path)
    add_shortcode(
        site,
        "box",
        "{% if shortcode.inner %}<i>{{ shortcode.inner }}</i>"
        "{% else %}[{{ shortcode.parent.name }}:{{ shortcode.parent.inner | length }}"
        ":{{ shortcode.ordinal }}]{% endif %}",
    )
    core = "{{< box />}}{{< box />}}"
    write_post(site, "posts/deep.md", "---\ntitle: deep\n---\n" + nested("box", 1500, core) + "\n")
    result = build(site)
    assert result.returncode == 0, result.stderr
    # The innermost parent's inner is its raw source (Hugo's .Parent.Inner), the two calls in it.
    assert "<i>" * 1500 + f"[box:{len(core)}:0][box:{len(core)}:1]" + "</i>" * 1500 in page(site)


def test_shortcodes_past_the_limit_are_an_error_with_file_and_line(tmp_path):
    site = make_site(tmp_path)
    add_shortcode(site, "box", "<div>{{ shortcode.inner }}</div>")
    depth = MAX_DEPTH + 1
    write_post(
        site, "posts/deep.md", "---\ntitle: deep\n---\nintro\n\n" + nested("box", depth, "x") + "\n"
    )
    result = build(site)
    assert result.returncode == 1, result.stderr
    column = len("{{< box >}}") * MAX_DEPTH + 1  # the first call past the limit
    assert (
        f"posts/deep.md:6:{column}: shortcodes nest deeper than {MAX_DEPTH} levels" in result.stderr
    )
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert not (site / "public" / "posts" / "deep").exists()


def hugo_content(site: Path, tmp: Path, rel: str = "posts/deep/index.html") -> str:
    text = (run_hugo(site, tmp) / rel).read_text(encoding="utf-8")
    found = re.search(r"<ref-content>(.*?)</ref-content>", text, re.S)
    assert found, text[:500]
    return found.group(1).strip()


@pytest.mark.parametrize(
    "body",
    [
        "<div>" * 20000 + "CORE" + "</div>" * 20000 + "\n\nAFTER *em*\n",  # an HTML block
        "<div>" * 20000 + "CORE\n\nAFTER *em*\n",  # never closed
        "text " + "<span>" * 20000 + "CORE" + "</span>" * 20000 + "\n\nAFTER *em*\n",  # inline HTML
        "<section>\n\n"
        + "<div>\n\n" * 3000
        + "*CORE*\n\n"
        + "</div>\n\n" * 3000
        + "</section>\n\nAFTER *em*\n",
    ],
    ids=["block", "unclosed", "inline", "markdown-between"],
)
def test_deeply_nested_raw_html_renders_as_hugo_renders_it(tmp_path, body):
    site = make_site(tmp_path, UNSAFE)
    write_post(site, "posts/deep.md", "---\ntitle: deep\n---\n" + body)
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert hugo_content(site, tmp_path / "hugo") in page(site)
