"""`{% partial_cached %}`: the built-in theme's menu, search box and footer are rendered once
per language (the menu once per current entry) and still mark the current entry on each
page; a site's own override of one of them is rendered on every page; a site's own template
may cache a partial of its own by the keys it names, as Hugo's `partialCached`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.build.builder import BuildOptions, build_site
from sitegen.errors import BuildFailed

CONFIG = """baseURL = "https://example.org/"
title = "Blog"
[[menu.main]]
identifier = "posts"
name = "Posts"
url = "/posts/"
weight = 1
[[menu.main]]
identifier = "tags"
name = "Tags"
url = "/tags/"
weight = 2
"""


def build(root: Path, files: dict[str, str], workers: int = 1) -> dict[str, bytes]:
    """The built site's files (in memory, as build_site leaves them), relpath -> bytes."""
    site = root / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "config.toml").write_text(CONFIG, encoding="utf-8")
    for n in (1, 2, 3):
        (site / "content" / "posts" / f"post-{n}.md").write_text(
            f"---\ntitle: Post {n}\ndate: 2024-01-0{n}\ntags: [t{n}]\n---\nText {n}.\n",
            encoding="utf-8",
        )
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    options = BuildOptions(source=site, ignore_cache=True, workers=workers)
    return dict(build_site(options).outputs)


def current_links(html: str) -> list[str]:
    nav = html[html.index('<nav class="site-nav"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'<a href="([^"]+)"[^>]*aria-current="page"', nav)


def test_each_page_marks_its_own_menu_entry(tmp_path):
    out = build(tmp_path, {})
    assert current_links(out["posts/index.html"].decode()) == ["/posts/"]
    assert current_links(out["tags/index.html"].decode()) == ["/tags/"]
    for page in ("index.html", "posts/post-1/index.html", "tags/t2/index.html"):
        assert current_links(out[page].decode()) == [], page


def test_a_sites_own_menu_and_footer_render_on_every_page(tmp_path):
    out = build(
        tmp_path,
        {
            "layouts/partials/menu.html": '<nav class="site-nav"><b>{{ page.title }}</b></nav>',
            "layouts/partials/footer.html": "<footer>end of {{ page.title }}</footer>",
        },
    )
    for n in (1, 2, 3):
        html = out[f"posts/post-{n}/index.html"].decode()
        assert f"<b>Post {n}</b>" in html and f"<footer>end of Post {n}</footer>" in html


def test_a_sites_own_partial_inside_a_cached_one_renders_on_every_page(tmp_path):
    # The built-in footer (kept per language) includes partials/social.html: the site's own.
    out = build(tmp_path, {"layouts/partials/social.html": "<p>links of {{ page.title }}</p>"})
    for n in (1, 2, 3):
        assert f"<p>links of Post {n}</p>" in out[f"posts/post-{n}/index.html"].decode()


def test_a_sites_template_keeps_its_partial_per_key(tmp_path):
    # The keys are the template's word for what the partial depends on: the page's language
    # here, so every post shows the first render's text, as with Hugo's partialCached.
    single = (
        '{% extends "_default/baseof.html" %}{% block main %}'
        '{% partial_cached "partials/stamp.html", page.lang %}'
        '<p class="own">{{ page.title }}</p>{% endblock %}'
    )
    out = build(
        tmp_path,
        {
            "layouts/_default/single.html": single,
            "layouts/partials/stamp.html": '<p class="stamp">{{ page.title }}</p>',
        },
    )
    stamps = {
        re.search(r'<p class="stamp">([^<]*)</p>', html).group(1)
        for html in (out[f"posts/post-{n}/index.html"].decode() for n in (1, 2, 3))
    }
    assert len(stamps) == 1 and stamps <= {"Post 1", "Post 2", "Post 3"}
    assert '<p class="own">Post 2</p>' in out["posts/post-2/index.html"].decode()


def test_a_key_that_is_a_list_is_an_error_naming_the_template(tmp_path):
    single = (
        '{% extends "_default/baseof.html" %}{% block main %}\n'
        '{% partial_cached "partials/stamp.html", page.tags %}{% endblock %}'
    )
    with pytest.raises(BuildFailed) as failed:
        build(
            tmp_path,
            {"layouts/_default/single.html": single, "layouts/partials/stamp.html": "<p>x</p>"},
        )
    error = failed.value.errors[0]
    assert "keys must be strings, numbers or None (got list)" in error.message
    assert (Path(error.path), error.line) == (tmp_path / "site/layouts/_default/single.html", 2)
