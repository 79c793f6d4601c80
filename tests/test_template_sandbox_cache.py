"""The sandbox keeps its answer per (type of object, attribute name, type of value): the
answer kept must be the same as the one asked afresh, whichever comes first, on every page."""

from __future__ import annotations

from pathlib import Path

from conftest import run_sitegen, write_post

# The same name is refused on a path (its method reads a file) and allowed on a namespace.
SAFE_THEN_UNSAFE = (
    "{% set ns = namespace(read_text='ok', name='ns') %}"
    "{% for _ in range(3) %}[{{ ns.read_text }}|{{ page.source.path.read_text }}|"
    "{{ page.source.path.name }}|{{ ns.name }}]{% endfor %}"
)
UNSAFE_THEN_SAFE = (
    "{% set ns = namespace(read_text='ok', name='ns') %}"
    "{% for _ in range(3) %}[{{ page.source.path.read_text }}|{{ ns.read_text }}|"
    "{{ ns.name }}|{{ page.source.path.name }}]{% endfor %}"
)


def _site(tmp_path: Path, template: str) -> Path:
    site = tmp_path / "site"
    site.mkdir(parents=True)
    (site / "config.toml").write_text('title = "t"\n', encoding="utf-8")
    for name in ("one", "two", "three"):
        write_post(site, f"posts/{name}.md", f"---\ntitle: {name}\n---\nbody\n")
    layout = site / "layouts" / "_default" / "single.html"
    layout.parent.mkdir(parents=True)
    layout.write_text(template, encoding="utf-8")
    return site


def test_kept_answers_refuse_and_allow_as_the_first_ones_did(tmp_path):
    for order, template in (("safe-first", SAFE_THEN_UNSAFE), ("unsafe-first", UNSAFE_THEN_SAFE)):
        site = _site(tmp_path / order, template)
        for workers in ("1", "2"):
            result = run_sitegen(
                "build", "-s", site, "--quiet", "--ignoreCache", "--workers", workers
            )
            assert result.returncode == 0, result.stderr
            for name in ("one", "two", "three"):
                html = (
                    (site / f"public/posts/{name}/index.html").read_text(encoding="utf-8").strip()
                )
                cell = f"[ok||{name}.md|ns]" if order == "safe-first" else f"[|ok|ns|{name}.md]"
                assert html == cell * 3, (order, workers, html)


def test_a_refused_attribute_stays_refused_when_its_answer_is_kept(tmp_path):
    """Read many times over many pages, a method that writes files is never reached."""
    marker = tmp_path / "MARKER"
    site = _site(
        tmp_path,
        "{% for _ in range(5) %}{{ page.source.path.name }}"
        "{{ page.source.path.with_name('MARKER').touch() }}{% endfor %}",
    )
    result = run_sitegen("build", "-s", site, "--quiet", "--ignoreCache")
    assert not marker.exists() and not (site / "content/posts/MARKER").exists()
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr


# Attribute reads and calls sitegen's environment answers on a shorter path than Jinja's
# sandbox (plain dicts, builtin methods, macros, plain functions), and their neighbours.
SHORT_PATHS = (
    "{{ d.title }}|{{ d.items is callable }}|{{ d.missing }}|{{ d.missing.deeper }}|"
    "{{ d.get('title') }}|{{ d['items'] }}|{{ d.__class__ }}|{{ d.copy is defined }}",
    "{{ '{0.__class__}'.format(d) }}|{{ '{x}'.format_map(d) }}|{{ d.keys()|list }}",
    "{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m('<b>') }}|{{ m(x=1) }}|{{ m() }}",
    # a macro's result is Markup or not by the autoescaping where it is called
    "{% macro m(x) %}<{{ x }}>{% endmacro %}{% autoescape false %}{{ m('<b>')|e }}{% endautoescape %}",
    "{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}<i>{{ d.title }}</i>{% endcall %}",
    "{{ plain('<a>') }}|{{ marked('x') }}|{{ with_context() }}",
    "{{ stop() }}|{{ d.values() | list | length }}|{{ d.update is defined }}|{{ d.pop }}",
)


def test_the_short_paths_answer_as_jinjas_sandbox(tmp_path):
    """Each template renders to the same text (or fails with the same error) in sitegen's
    environment as in Jinja's own ImmutableSandboxedEnvironment."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment, unsafe

    from sitegen.errors import Diagnostics
    from sitegen.load.config import load_config
    from sitegen.render.templates import create_environment, resolve_themes

    site = _site(tmp_path, "x")
    config = load_config(site, Diagnostics())
    ours = create_environment(config, resolve_themes(config, None, Diagnostics()))
    jinjas = ImmutableSandboxedEnvironment(undefined=jinja2.ChainableUndefined, autoescape=True)

    def stop():
        raise StopIteration

    functions = {
        "plain": lambda text: f"[{text}]",
        "marked": unsafe(lambda text: text),
        "with_context": jinja2.pass_context(lambda context: context["d"]["title"]),
        "stop": stop,
    }
    data = {"d": {"title": "<T>", "items": "own", "x": "X"}}

    def outcome(env, source):
        try:
            return env.from_string(source).render(**data, **functions)
        except Exception as error:
            return f"{type(error).__name__}: {error}"

    for source in SHORT_PATHS:
        assert outcome(ours, source) == outcome(jinjas, source), source
    assert outcome(ours, "{{ marked('x') }}").startswith("SecurityError")
