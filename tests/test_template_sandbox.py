"""Templates cannot run commands, read files or reach the environment (issue 19): layouts
and shortcodes run in Jinja's sandbox, as Hugo's templates have no `exec` either."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_sitegen, write_post

ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ joiner.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ namespace.__init__.__globals__['__builtins__']['open']('MARKER', 'w').write('x') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER') }}",
    "{{ page.source.path.parent.joinpath('MARKER').write_text('x') }}",
    "{{ page.source.path.read_text() }}",
    "{% for p in page.source.path.parents %}{% endfor %}{{ page.source.path.with_name('MARKER').touch() }}",
    "{{ ''.__class__.__base__.__subclasses__()[0] }}",
]
PEEKS = [
    "{{ self._TemplateReference__context }}",
    "{{ 'x'.format.__globals__ }}",
    "{{ cycler.__init__ }}",
    "{{ page.source.path.read_text }}",
    "{{ shortcode.renderer.env }}",
]


def site_with_layout(tmp_path: Path, template: str, where: str) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "config.toml").write_text('title = "t"\n', encoding="utf-8")
    write_post(
        site,
        "posts/one.md",
        "---\ntitle: one\n---\n{{< evil >}}\n"
        if where == "shortcode"
        else "---\ntitle: one\n---\nbody\n",
    )
    name = "shortcodes/evil.html" if where == "shortcode" else "_default/single.html"
    path = site / "layouts" / name
    path.parent.mkdir(parents=True)
    path.write_text(template.replace("MARKER", str(tmp_path / "MARKER")), encoding="utf-8")
    return site


@pytest.mark.parametrize("where", ["layout", "shortcode"])
@pytest.mark.parametrize("template", ESCAPES)
def test_templates_cannot_run_commands_or_touch_files(tmp_path, template, where):
    site = site_with_layout(tmp_path, template, where)
    result = run_sitegen("build", "-s", site, "--quiet")
    assert not (tmp_path / "MARKER").exists()
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr
    assert "evil.html" in result.stderr or "single.html" in result.stderr


@pytest.mark.parametrize("template", PEEKS)
def test_templates_see_nothing_of_python_internals(tmp_path, template):
    """An attribute the sandbox refuses is undefined: it renders as nothing, as in Jinja."""
    site = site_with_layout(tmp_path, "[" + template + "]", "layout")
    result = run_sitegen("build", "-s", site, "--quiet")
    assert result.returncode in (0, 1), result.stderr
    if result.returncode == 0:
        assert (site / "public/posts/one/index.html").read_text(encoding="utf-8").strip() == "[]"


def test_a_shortcode_cannot_widen_where_templates_are_read_from(tmp_path):
    secret = tmp_path / "secret.html"
    secret.write_text("SECRET", encoding="utf-8")
    site = site_with_layout(
        tmp_path,
        "{% do shortcode.renderer.env.loader.searchpath.append('"
        + str(tmp_path)
        + "') %}{% include 'secret.html' %}",
        "shortcode",
    )
    result = run_sitegen("build", "-s", site, "--quiet")
    assert result.returncode == 1, result.stderr
    assert (
        not any(b"SECRET" in p.read_bytes() for p in (site / "public").rglob("*") if p.is_file())
        if (site / "public").exists()
        else True
    )


def test_what_a_theme_needs_still_works_in_the_sandbox(tmp_path):
    site = site_with_layout(
        tmp_path,
        "{% set items = [] %}{% set items = items + [page.title] %}"
        "{% set seen = namespace(titles=[]) %}{% for p in site.regular_pages %}"
        "{% set seen.titles = seen.titles + [p.title] %}{% endfor %}"
        "{{ items|join(',') }} {{ seen.titles|join(',') }} {{ page.source.path.name }} {{ site.title }} "
        "{{ page.params.get('title')|upper }} {{ now().year > 2000 }}",
        "layout",
    )
    result = run_sitegen("build", "-s", site, "--quiet")
    assert result.returncode == 0, result.stderr
    assert (site / "public/posts/one/index.html").read_text(
        encoding="utf-8"
    ).strip() == "one one one.md t ONE True"


MUTATIONS = [
    "{% do page.pages.append(page) %}",
    "{% do site.params.update({'title': 'changed'}) %}",
    "{% if page.params.setdefault('x', 1) %}{% endif %}",
    "{% do site.regular_pages.clear() %}",
    "{% do page.taxonomies.pop('tags', None) %}",
]


@pytest.mark.parametrize("where", ["layout", "shortcode"])
@pytest.mark.parametrize("mutation", MUTATIONS)
def test_templates_see_the_site_read_only(tmp_path, mutation, where):
    """A template changing a list or dict of the site (which other pages' renders would then
    see) fails the build, naming the template and its line."""
    site = site_with_layout(tmp_path, "first line\n" + mutation + "\n", where)
    result = run_sitegen("build", "-s", site, "--quiet")
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr
    name = "evil.html" if where == "shortcode" else "single.html"
    assert f"{name}:2:" in result.stderr, result.stderr
    assert "is unsafe" in result.stderr
    assert not (site / "public").exists()
