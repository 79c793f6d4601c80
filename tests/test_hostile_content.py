"""Hostile content (issue 19): posts sent by strangers cannot write outside the output folder,
read files outside the site, hang the build, crash it, or lose content without a word."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_sitegen, write_post

CONFIG = """baseURL = "https://example.org/"
title = "hostile"
[taxonomies]
  tag = "tags"
"""


def make_site(root: Path, config: str = CONFIG) -> Path:
    """A small site deep enough below `root` that a run of `..` would climb out of it."""
    site = root / "a" / "b" / "c" / "site"
    site.mkdir(parents=True)
    (site / "config.toml").write_text(config, encoding="utf-8")
    write_post(site, "posts/plain.md", "---\ntitle: plain\n---\nplain post\n")
    return site


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def outside_files(root: Path, site: Path) -> set[str]:
    """Files anywhere under `root` except the site's own (sources, public/, cache)."""
    return {
        rel
        for rel in files_under(root)
        if not (root / rel).resolve().is_relative_to(site.resolve())
    }


def build(site: Path, *args: str):
    return run_sitegen("build", "-s", site, "--quiet", *args)


UP = "/".join([".."] * 12)


@pytest.mark.parametrize(
    "field, value, published",
    [
        ("url", f'"/{UP}/escaped/url.html"', "escaped/url.html"),
        ("url", f'"{UP}/escaped/rel/"', "escaped/rel/index.html"),
        ("aliases", f'["/{UP}/escaped/alias/"]', "escaped/alias/index.html"),
        ("aliases", f'["{UP}/escaped/relalias/"]', "escaped/relalias/index.html"),
        ("slug", f'"{UP}/escaped/slug"', "escaped/slug/index.html"),
        ("slug", '"/escaped/abs"', "posts/escaped/abs/index.html"),
        ("tags", f'["{UP}/escaped/tag"]', "escaped/tag/index.html"),
        ("url", '"/%2e%2e/%2e%2e/escaped/enc/"', "%2e%2e/%2e%2e/escaped/enc/index.html"),
        ("tags", '["..\\\\..\\\\escaped"]', "tags/..\\..\\escaped/index.html"),
    ],
)
def test_front_matter_paths_stay_in_the_output_folder(tmp_path, field, value, published):
    """`..` cannot climb above the site's root, as in Hugo: the page is published inside
    public/ at the cleaned path (Hugo 0.168 gives the same files), never outside it."""
    site = make_site(tmp_path)
    write_post(site, "posts/evil.md", f"---\ntitle: evil\n{field}: {value}\n---\nevil\n")
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert outside_files(tmp_path, site) == set()
    assert published in files_under(site / "public")


def test_absolute_paths_in_front_matter_land_inside_public(tmp_path):
    site = make_site(tmp_path)
    target = tmp_path / "victim"
    write_post(
        site,
        "posts/evil.md",
        f'---\ntitle: evil\nurl: "{target}/x.html"\naliases: ["{target}/alias/"]\n---\nevil\n',
    )
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert not target.exists()
    assert f"{target.as_posix().lstrip('/')}/x.html" in files_under(site / "public")


def test_permalink_tokens_and_taxonomy_names_from_config_stay_inside(tmp_path):
    site = make_site(
        tmp_path,
        CONFIG.replace('tag = "tags"', f'tag = "{UP}/escaped-taxonomy"')
        + f'[permalinks]\n  posts = "/{UP}/escaped-permalink/:slug/"\n',
    )
    write_post(
        site, "posts/tagged.md", '---\ntitle: tagged\nslug: "up"\nescaped-taxonomy: [t]\n---\nx\n'
    )
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert outside_files(tmp_path, site) == set()
    published = files_under(site / "public")
    assert "escaped-permalink/up/index.html" in published
    assert "escaped-taxonomy/index.html" in published


def test_nul_in_a_path_field_is_an_error_naming_file_line_and_field(tmp_path):
    site = make_site(tmp_path)
    write_post(
        site, "posts/evil.md", '---\ntitle: evil\ndate: 2024-01-01\nurl: "/a\\0b/"\n---\nevil\n'
    )
    result = build(site)
    assert result.returncode == 1, result.stderr
    assert "posts/evil.md:4" in result.stderr and "'url'" in result.stderr
    assert "internal error" not in result.stderr


def test_control_characters_are_dropped_from_urls_as_hugo_does(tmp_path):
    site = make_site(tmp_path)
    write_post(site, "posts/evil.md", '---\ntitle: evil\naliases: ["/a/\\u0001b/"]\n---\nevil\n')
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert "a/b/index.html" in files_under(site / "public")


def test_symlinks_pointing_outside_the_site_are_never_read_or_published(tmp_path):
    site = make_site(tmp_path)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "token.txt").write_text("SECRET-TOKEN", encoding="utf-8")
    (secret / "post.md").write_text("---\ntitle: leaked\n---\nSECRET-POST\n", encoding="utf-8")
    (site / "static").mkdir()
    os.symlink(secret / "token.txt", site / "static" / "token.txt")
    os.symlink(secret, site / "static" / "folder")
    os.symlink(secret / "post.md", site / "content" / "posts" / "leaked.md")
    write_post(site, "bundle/index.md", "---\ntitle: bundle\n---\nbundle\n")
    os.symlink(secret / "token.txt", site / "content" / "bundle" / "token.txt")
    os.symlink(secret / "token.txt", site / "content" / "loose.txt")
    inside = site / "static" / "real.txt"
    inside.write_text("fine", encoding="utf-8")
    os.symlink(inside, site / "static" / "inside-link.txt")  # a link inside the site is fine
    result = run_sitegen("build", "-s", site, "--verbose")  # each warning on its own line
    assert result.returncode == 0, result.stderr
    public = site / "public"
    for path in public.rglob("*"):
        if path.is_file():
            assert b"SECRET" not in path.read_bytes(), path
    assert "inside-link.txt" in files_under(public)
    for name in ("static/token.txt", "posts/leaked.md", "bundle/token.txt", "content/loose.txt"):
        assert f"{name}: skipped: a symlink to a place outside the site" in result.stderr


def test_the_write_check_refuses_a_path_outside_the_output_folder(tmp_path):
    """The last line of defence, where every output is written: whatever a future URL rule
    lets through, the staging folder refuses a path that leads out of it."""
    from sitegen.errors import SiteError
    from sitegen.write.output import StagedOutputs

    staged = StagedOutputs(tmp_path / "public")
    for rel in ("../escaped.html", "a/../../escaped.html", "/tmp/escaped.html", "a\0b", ""):
        with pytest.raises(SiteError, match="outside the output folder"):
            staged[rel] = b"x"
    staged["fine/index.html"] = b"x"
    staged.discard()
    assert not (tmp_path / "escaped.html").exists()


BILLION_LAUGHS = "\n".join(
    ["title: laughs", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
)


@pytest.mark.parametrize("where", ["front matter", "config"])
def test_yaml_billion_laughs_is_an_error_with_file_and_line(tmp_path, where):
    site = make_site(tmp_path)
    if where == "front matter":
        write_post(site, "posts/laughs.md", f"---\n{BILLION_LAUGHS}\n---\nbody\n")
        expected = "posts/laughs.md:4"  # the first line with an alias
    else:
        (site / "config.toml").unlink()
        (site / "config.yaml").write_text(
            BILLION_LAUGHS + "\nbaseURL: https://example.org/\n", encoding="utf-8"
        )
        expected = "config.yaml:3"
    result = build(site)
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr and "aliases" in result.stderr


@pytest.mark.parametrize(
    "name, text",
    [
        ("deep.md", "---\ntitle: deep\nx: " + "[" * 5000 + "]" * 5000 + "\n---\nbody\n"),
        ("deep-toml.md", "+++\ntitle = 'deep'\nx = " + "[" * 5000 + "]" * 5000 + "\n+++\nbody\n"),
        ("deep-json.md", '{\n"title": "deep", "x": ' + "[" * 5000 + "]" * 5000 + "\n}\nbody\n"),
        ("self.md", "---\ntitle: self\nx: &x\n  y: *x\n---\nbody\n"),
    ],
)
def test_deeply_nested_front_matter_is_an_error_not_a_crash(tmp_path, name, text):
    site = make_site(tmp_path)
    write_post(site, f"posts/{name}", text)
    result = build(site)
    assert result.returncode == 1, result.stderr
    assert f"posts/{name}:" in result.stderr


def built_page(site: Path, rel: str) -> str:
    return (site / "public" / rel).read_text(encoding="utf-8")


def test_deep_lists_and_quotes_render_whole_as_hugo_renders_them(tmp_path):
    """markdown-it's preset stopped at 20 levels and dropped the rest of the post."""
    site = make_site(tmp_path)
    deep_list = "".join(
        "  " * level + f"- item{level}\n" for level in range(150)
    )  # as deep as Hugo was tried
    deep_quote = ">" * 300 + " deepest quote\n"
    write_post(
        site, "posts/deep.md", f"---\ntitle: deep\n---\n{deep_list}\n{deep_quote}\nTHE-END\n"
    )
    result = build(site)
    assert result.returncode == 0, result.stderr
    html = built_page(site, "posts/deep/index.html")
    assert "item149" in html and "deepest quote" in html and "THE-END" in html
    assert html.count("<blockquote>") == 300


def test_nesting_past_the_limit_is_an_error_with_file_and_line(tmp_path):
    site = make_site(tmp_path)
    deep_list = "".join("  " * level + f"- item{level}\n" for level in range(300))
    write_post(site, "posts/deeper.md", "---\ntitle: deeper\n---\nintro\n\n" + deep_list)
    result = build(site)
    assert result.returncode == 1, result.stderr
    assert "posts/deeper.md:" in result.stderr and "nest deeper" in result.stderr


def add_shortcode(site: Path, name: str, template: str) -> None:
    folder = site / "layouts" / "shortcodes"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.html").write_text(template, encoding="utf-8")


SCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "&#106;avascript:alert(1)",
]


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_script_urls_from_every_source_are_never_rendered(tmp_path, url):
    """Shortcode parameters, front matter and config strings pass the check Markdown links pass."""
    quoted = url.replace('"', '\\"')
    config = (
        CONFIG
        + f'''[[menu.main]]
  name = "evil"
  url = "{quoted}"
[params.footer]
  license = '<a href="{url}">license</a>'
[params.home.profile]
  enable = true
  avatarURL = "{quoted}"
'''
    )
    site = make_site(tmp_path, config)
    write_post(
        site,
        "posts/evil.md",
        f'''---
title: evil
date: 2024-01-01
authorLink: "{quoted}"
author: someone
featuredImage: "{quoted}"
---
{{{{< figure src="{quoted}" link="{quoted}" attrlink="{quoted}" attr="by" caption="c" >}}}}

[markdown link]({url.strip().replace(" ", "")})
''',
    )
    result = build(site)
    assert result.returncode == 0, result.stderr
    scheme = url.strip().replace("\t", "").replace("&#106;", "j").split(":")[0].lower()
    for path in (site / "public").rglob("*.html"):
        text = path.read_text(encoding="utf-8").lower().replace("\t", "").replace("&#106;", "j")
        assert f'="{scheme}:' not in text and f"='{scheme}:" not in text, path
    html = built_page(site, "posts/evil/index.html")
    assert "<figure>" in html and 'rel="author"' in html


def test_ordinary_urls_pass_the_check_unchanged(tmp_path):
    site = make_site(tmp_path)
    write_post(
        site,
        "posts/fine.md",
        '---\ntitle: fine\nauthor: a\nauthorLink: "https://example.org/a?b=1&c=2"\n---\n'
        '{{< figure src="data:image/png;base64,AAAA" link="mailto:a@example.org" >}}\n',
    )
    result = build(site)
    assert result.returncode == 0, result.stderr
    html = built_page(site, "posts/fine/index.html")
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    assert 'src="data:image/png;base64,AAAA"' in html and 'href="mailto:a@example.org"' in html


def test_thousands_of_identical_headings_get_hugos_numbered_ids(tmp_path):
    """One pass per heading (the id allocator remembers the next free number)."""
    site = make_site(tmp_path)
    write_post(
        site, "posts/same.md", "---\ntitle: same\n---\n" + "## Same\n\n" * 3000 + "## Same-1\n"
    )
    result = build(site)
    assert result.returncode == 0, result.stderr
    html = built_page(site, "posts/same/index.html")
    assert 'id="same"' in html and 'id="same-2999"' in html and 'id="same-1-1"' in html


def test_thousands_of_unclosed_shortcodes_are_each_reported(tmp_path):
    site = make_site(tmp_path)
    add_shortcode(site, "box", "<div>{{ shortcode.inner }}</div>")
    write_post(site, "posts/open.md", "---\ntitle: open\n---\n" + "{{< box >}}\n" * 3000)
    result = build(site)
    assert result.returncode == 1
    assert "posts/open.md:3003:" in result.stderr and "is never closed" in result.stderr


def test_a_post_over_the_size_limit_builds_with_a_warning(tmp_path):
    site = make_site(tmp_path, "largePostSize = 1000\n" + CONFIG)
    write_post(site, "posts/big.md", "---\ntitle: big\n---\n" + "word " * 400)
    result = run_sitegen("build", "-s", site)
    assert result.returncode == 0, result.stderr
    assert (
        "posts/big.md: a large file (" in result.stderr
        and "bytes, over largePostSize" in result.stderr
    )
    assert "plain.md: a large file" not in result.stderr
