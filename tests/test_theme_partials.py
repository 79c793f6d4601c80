"""The built-in theme's partials are compiled into its templates, and a site's own partial
still replaces the theme's: in a post page, in its macros, in its error messages, and when
it appears between two builds of one Builder (as under `sitegen serve`) or while an
environment is in use."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

import sitegen.render.renderer
from conftest import run_sitegen
from sitegen.build.builder import Builder, BuildOptions, build_site
from sitegen.errors import Diagnostics
from sitegen.load.config import load_config
from sitegen.render.templates import create_environment, resolve_themes

POST = (
    "---\ntitle: Release 2024-01\ndate: 2024-01-10\ntags: [release]\ncategories: [news]\n---\n"
    "Intro.\n\n<!--more-->\n\n## 2024-01 (Release vom 10.01.2024)\n\n### Fixes\n\n- Fixed #12 by @someone\n"
)


def small_site(root: Path, files: dict[str, str] | None = None) -> Path:
    site = root / "site"
    (site / "content" / "posts" / "release").mkdir(parents=True)
    (site / "config.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Blog"\n[params.social]\ngithub = "example"\n',
        encoding="utf-8",
    )
    (site / "content" / "posts" / "release" / "index.md").write_text(POST, encoding="utf-8")
    for name, text in (files or {}).items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return site


def loads_per_page(site: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """Template lookups (Jinja's _load_template, as benchmarks/stages.py counts them) from
    choosing each page's layout to the next page's, by page kind; one worker."""
    count = [0]
    load = jinja2.Environment._load_template
    choose = sitegen.render.renderer.select_template
    per_kind: dict[str, list[int]] = {}
    current: list = []

    def counting_load(self, name, globals):
        count[0] += 1
        return load(self, name, globals)

    def counting_select(env, page, *args, **kwargs):
        if current:
            per_kind.setdefault(current[0], []).append(count[0] - current[1])
        current[:] = [page.kind, count[0]]
        return choose(env, page, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "_load_template", counting_load)
    monkeypatch.setattr(sitegen.render.renderer, "select_template", counting_select)
    build_site(BuildOptions(source=site, destination=site / "public", ignore_cache=True, workers=1))
    return per_kind


def test_a_post_of_the_default_theme_loads_at_most_five_templates(tmp_path, monkeypatch):
    site = small_site(tmp_path)
    (site / "content" / "posts" / "second.md").write_text(
        "---\ntitle: Second\ndate: 2024-01-11\n---\nText.\n", encoding="utf-8"
    )
    per_kind = loads_per_page(site, monkeypatch)
    assert per_kind["page"] and max(per_kind["page"]) <= 5, per_kind


def test_a_sites_partials_and_macros_replace_the_themes(tmp_path):
    site = small_site(
        tmp_path,
        {
            "layouts/partials/social.html": '<p class="own-social">{{ site.title }} social</p>\n',
            "layouts/partials/toc.html": "{# no table of contents #}\n",
            "layouts/partials/icons.html": '{%- macro svg(name) -%}<i class="own-icon">{{ name }}</i>{%- endmacro -%}\n',
        },
    )
    result = run_sitegen("build", "-s", site)
    assert result.returncode == 0, result.stderr
    html = (site / "public" / "posts" / "release" / "index.html").read_text(encoding="utf-8")
    assert '<p class="own-social">Blog social</p>' in html
    assert 'class="toc"' not in html
    # The theme's own templates (header, post meta, tags) call the site's icon macro.
    assert '<i class="own-icon">calendar</i>' in html and '<i class="own-icon">tag</i>' in html
    assert "<svg" not in html


def test_an_error_in_a_sites_partial_names_its_file_and_line(tmp_path):
    site = small_site(
        tmp_path,
        {"layouts/partials/footer.html": "<footer>\n{{ site.title.split() / 2 }}\n</footer>\n"},
    )
    result = run_sitegen("build", "-s", site)
    assert result.returncode == 1
    assert re.search(r"layouts/partials/footer\.html:2: template error", result.stderr), (
        result.stderr
    )


def test_a_partial_added_between_two_builds_is_used(tmp_path):
    site = small_site(tmp_path)
    builder = Builder(
        BuildOptions(source=site, destination=site / "public", workers=1), keep_in_memory=True
    )
    first = builder.build()
    assert b"own-footer" not in first.outputs["posts/release/index.html"]
    partial = site / "layouts" / "partials" / "footer.html"
    partial.parent.mkdir(parents=True)
    partial.write_text('<footer class="own-footer">{{ T("rss") }}</footer>\n', encoding="utf-8")
    second, _ = builder.rebuild([partial])
    assert (
        b'<footer class="own-footer">RSS feed</footer>'
        in second.outputs["posts/release/index.html"]
    )


def test_a_template_compiles_again_when_the_site_overrides_a_partial_it_carries(tmp_path):
    site = small_site(tmp_path)
    (site / "layouts" / "partials").mkdir(parents=True)
    diagnostics = Diagnostics()
    config = load_config(site, diagnostics)
    env = create_environment(config, resolve_themes(config, None, diagnostics))
    source, _, uptodate = env.loader.get_source(env, "_default/baseof.html")
    assert '{% include "partials/header.html" %}' not in source and 'class="site-header"' in source
    assert uptodate()
    (site / "layouts" / "partials" / "header.html").write_text(
        "<header>own</header>\n", encoding="utf-8"
    )
    assert not uptodate()
    source, _, _ = env.loader.get_source(env, "_default/baseof.html")
    assert '{% include "partials/header.html" %}' in source and 'class="site-header"' not in source
