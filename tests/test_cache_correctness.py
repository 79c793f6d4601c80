"""The build cache is never wrong: after any edit, a cached build writes the same bytes as a
build with --ignoreCache into a fresh folder. Each case is one a user meets (serve then
build, a new baseURL, New Year, inputs outside the site, edits that keep size and mtime,
pages that show other pages), built through the real command line and compared file by file."""

from __future__ import annotations

import shutil

import pytest

from cache_helpers import (
    LOGO_LAYOUT,
    NEW_YEAR,
    NEW_YEARS_EVE,
    Differential,
    rewrite_keeping_stamp,
    serve_once,
    set_config,  # noqa: F401 (an autouse fixture)
    sitegen,
    small_site,
    user_cache,  # noqa: F401 (an autouse fixture)
)
from conftest import write_post

# --- base URL ---------------------------------------------------------------------------------


def test_serve_then_build_publishes_no_preview_urls(tmp_path):
    site = small_site(tmp_path)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(LOGO_LAYOUT, encoding="utf-8")
    serve_once(site)  # its preview build compiles the site's templates for http://127.0.0.1:PORT/
    tree = Differential(site, tmp_path).build()
    page = tree["posts/post-1/index.html"].decode()
    assert "https://example.org/logo.png /logo.png" in page
    assert not [rel for rel, data in tree.items() if b"127.0.0.1" in data]


def test_a_new_base_url_in_the_config_or_from_b_reaches_every_page(tmp_path):
    site = small_site(tmp_path)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(LOGO_LAYOUT, encoding="utf-8")
    check = Differential(site, tmp_path)
    check.build()
    set_config(site, 'baseURL = "https://example.org/"', 'baseURL = "https://example.org/blog/"')
    tree = check.build()
    assert b"https://example.org/blog/logo.png /blog/logo.png" in tree["posts/post-1/index.html"]
    assert b'href="/blog/favicon.ico"' in tree["index.html"]
    tree = check.build("-b", "https://other.example/sub/")
    assert b"https://other.example/sub/logo.png /sub/logo.png" in tree["posts/post-1/index.html"]
    assert b'href="/sub/favicon.ico"' in tree["index.html"]


# --- the build date ---------------------------------------------------------------------------


def test_new_year_reaches_every_footer(tmp_path):
    site = small_site(tmp_path)
    check = Differential(site, tmp_path)
    assert (
        "©&nbsp;2016–2025"
        in check.build(env={"SOURCE_DATE_EPOCH": NEW_YEARS_EVE})["index.html"].decode()
    )
    tree = check.build(env={"SOURCE_DATE_EPOCH": NEW_YEAR})
    assert [
        rel
        for rel, data in tree.items()
        if rel.endswith(".html") and b"2016\xe2\x80\x932025" in data
    ] == []
    assert "©&nbsp;2016–2026" in tree["posts/post-2/index.html"].decode()


def test_a_template_showing_more_of_the_build_date_than_its_year(tmp_path):
    site = small_site(tmp_path)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(
        '{% extends "_default/baseof.html" %}{% block main %}<p class="built">{{ site.build_date.month }}'
        ' {{ now()|date_format("short") }}</p>{% endblock %}',
        encoding="utf-8",
    )
    check = Differential(site, tmp_path)
    check.build(env={"SOURCE_DATE_EPOCH": NEW_YEAR})
    later = str(int(NEW_YEAR) + 40 * 86400)
    assert (
        b'<p class="built">2 2/10/26</p>'
        in check.build(env={"SOURCE_DATE_EPOCH": later})["posts/post-0/index.html"]
    )


def test_a_bad_source_date_epoch_is_a_clear_error(tmp_path):
    result = sitegen("build", "-s", small_site(tmp_path), env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.returncode == 1
    assert "SOURCE_DATE_EPOCH" in result.stderr


# --- inputs ----------------------------------------------------------------------------------


def test_content_and_static_folders_outside_the_site_are_watched_like_the_site(tmp_path):
    site = small_site(
        tmp_path, extra='contentDir = "../outside/content"\nstaticDir = "../outside/static"'
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.move(str(site / "content"), outside / "content")
    shutil.move(str(site / "static"), outside / "static")
    check = Differential(site, tmp_path / "builds")
    check.build()
    post = outside / "content/posts/post-1/index.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace("Text of post 1.", "Edited outside."),
        encoding="utf-8",
    )
    (outside / "static/extra.txt").write_text("an outside static file\n", encoding="utf-8")
    tree = check.build()
    assert b"Edited outside." in tree["posts/post-1/index.html"]
    assert tree["extra.txt"] == b"an outside static file\n"


@pytest.mark.parametrize(
    "rel",
    ["static/logo.png", "content/posts/post-0/photo.jpg", "content/posts/post-2/index.md"],
    ids=["static file", "bundle image", "post"],
)
def test_an_edit_that_keeps_size_and_mtime_is_published(tmp_path, rel):
    site = small_site(tmp_path)
    check = Differential(site, tmp_path)
    check.build()
    path = site / rel
    data = path.read_bytes()
    new = (
        data.replace(b"one", b"two")
        if b"one" in data
        else data.replace(b"Text of post 2.", b"Text of post X.")
    )
    assert new != data
    rewrite_keeping_stamp(path, new)
    tree = check.build()
    published = {
        "static/logo.png": "logo.png",
        "content/posts/post-0/photo.jpg": "posts/post-0/photo.jpg",
    }
    if rel in published:
        assert tree[published[rel]] == new
    else:
        assert b"Text of post X." in tree["posts/post-2/index.html"]


def test_a_second_edit_in_the_same_tick_is_seen_by_a_builder_that_keeps_its_stamps(tmp_path):
    """`sitegen serve` and other long-lived builders remember files by their stamps."""
    from sitegen.build.builder import Builder, BuildOptions, build_site

    site = small_site(tmp_path)
    builder = Builder(
        BuildOptions(source=site, destination=tmp_path / "out", cache_dir=tmp_path / "cache")
    )
    builder.build()
    post = site / "content/posts/post-1/index.md"
    rewrite_keeping_stamp(post, post.read_bytes().replace(b"Text of post 1.", b"Text of post Y."))
    result, changed = builder.rebuild([])
    cold = build_site(BuildOptions(source=site, destination=tmp_path / "cold", ignore_cache=True))
    assert "posts/post-1/index.html" in changed
    assert b"Text of post Y." in result.outputs["posts/post-1/index.html"]
    assert dict(result.outputs) == dict(cold.outputs)


# --- pages that show other pages -------------------------------------------------------------

CROSS_PAGE_LAYOUT = """{% extends "_default/baseof.html" %}
{% block main %}{{ page.content }}
<aside>newest: {{ site.regular_pages[0].summary }}
bundle of the first post: {% for r in site.regular_pages[-1].resources %}{{ r.name }} {% endfor %}</aside>
{% endblock %}
"""


def test_pages_that_show_other_pages_follow_those_pages(tmp_path):
    site = small_site(tmp_path)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(CROSS_PAGE_LAYOUT, encoding="utf-8")
    (site / "layouts/shortcodes").mkdir(parents=True)
    (site / "layouts/shortcodes/first-author.html").write_text(
        "<em>{{ site.regular_pages[-1].params.author }}</em>", encoding="utf-8"
    )
    write_post(
        site,
        "posts/post-1/index.md",
        "---\ntitle: Post 1\ndate: 2024-02-01T10:00:00Z\n---\n"
        "Summary of post 1.\n\nBy {{< first-author >}}.\n",
    )
    check = Differential(site, tmp_path)
    check.build()

    newest = site / "content/posts/post-2/index.md"
    newest.write_text(
        newest.read_text(encoding="utf-8").replace("Summary of post 2.", "A new summary."),
        encoding="utf-8",
    )
    first = site / "content/posts/post-0/index.md"
    first.write_text(
        first.read_text(encoding="utf-8").replace("author: Author 0", "author: Someone Else"),
        encoding="utf-8",
    )
    (site / "content/posts/post-0/diagram.svg").write_text("<svg/>", encoding="utf-8")
    tree = check.build()
    page = tree["posts/post-1/index.html"].decode()
    assert "A new summary." in page
    assert "<em>Someone Else</em>" in page
    assert "diagram.svg photo.jpg" in page


# --- what the keys are made of ---------------------------------------------------------------


def test_a_cache_from_another_sitegen_version_is_not_used(tmp_path, monkeypatch):
    import sitegen.build.cache
    from sitegen.build.builder import Builder, BuildOptions

    site = small_site(tmp_path)
    options = BuildOptions(
        source=site, destination=tmp_path / "out", cache_dir=tmp_path / "cache", workers=1
    )
    Builder(options).build(reuse_output=False)
    again = Builder(options)
    again.build(reuse_output=False)
    assert again.cache.hits > 10 and again.cache.misses == 0
    monkeypatch.setattr(sitegen.build.cache, "__version__", "99.0.0")
    other = Builder(options)
    other.build(reuse_output=False)
    assert other.cache.hits == 0


def test_url_filters_are_not_folded_into_compiled_templates(tmp_path):
    from sitegen.build.bytecode import environment_fingerprint
    from sitegen.errors import Diagnostics
    from sitegen.load.config import load_config
    from sitegen.render.templates import create_environment, resolve_themes

    site = small_site(tmp_path, base="https://example.org/blog/")
    config = load_config(site, Diagnostics())
    env = create_environment(config, resolve_themes(config, None, Diagnostics()))
    code = env.compile(
        '{{ "/logo.png"|absurl }} {{ "/logo.png"|relurl }} {{ "x"|upper }}', raw=True
    )
    assert "example.org" not in code and "/blog/" not in code
    assert "yield ' X'" in code  # pure filters still fold

    set_config(site, 'baseURL = "https://example.org/blog/"', 'baseURL = "http://127.0.0.1:1313/"')
    preview = create_environment(
        load_config(site, Diagnostics()), resolve_themes(config, None, Diagnostics())
    )
    assert environment_fingerprint(preview) == environment_fingerprint(
        env
    )  # nothing folded differs
    preview.filters["shout"] = lambda text, suffix=config.base_url: (
        f"{text}{suffix}"
    )  # folds what it holds
    env.filters["shout"] = lambda text, suffix="other": f"{text}{suffix}"
    assert environment_fingerprint(preview) != environment_fingerprint(env)


def test_nothing_changed_holds_while_the_date_parts_pages_show_are_the_same(tmp_path):
    site = small_site(tmp_path, posts=30)  # enough pages for the render to fork its workers
    (site / "layouts/_default").mkdir(parents=True)
    (site / "layouts/_default/single.html").write_text(
        '{% extends "_default/baseof.html" %}{% block main %}<p class="built">{{ site.build_date.month }}</p>'
        "{% endblock %}",
        encoding="utf-8",
    )
    out, hour, later = tmp_path / "out", str(int(NEW_YEAR) + 3600), str(int(NEW_YEAR) + 40 * 86400)
    assert (
        sitegen(
            "build", "-s", site, "-d", out, "--workers", "2", env={"SOURCE_DATE_EPOCH": NEW_YEAR}
        ).returncode
        == 0
    )
    same_month = sitegen("build", "-s", site, "-d", out, env={"SOURCE_DATE_EPOCH": hour})
    assert "nothing changed" in same_month.stdout
    next_month = sitegen("build", "-s", site, "-d", out, env={"SOURCE_DATE_EPOCH": later})
    assert "nothing changed" not in next_month.stdout
    assert b'<p class="built">2</p>' in (out / "posts/post-0/index.html").read_bytes()
