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
