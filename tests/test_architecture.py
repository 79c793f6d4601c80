"""The layout's rules, checked on every run.

- The import graph (`tools/import_graph.py`, layers in its `LAYERS` table) has no cycle and no
  import from an earlier pipeline layer into a later one.
- No module is over 400 lines and no function over 60. Lengths are measured as the configured
  formatter (`ruff format`, line length 100, `pyproject.toml`) lays the code out, on a
  temporary copy (`tools/sizes.py`), not as the source stands.

The lists below held the exceptions while the layout was being mended; all are gone. A new
violation fails. The lists stay empty: fix the code, not the list.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import import_graph  # noqa: E402
import sizes  # noqa: E402

# Import cycles today, by their modules.
KNOWN_CYCLES: dict = {}

# Imports into a later layer today, as (importer, imported).
KNOWN_UPWARD: dict = {}

# Over 400 lines as formatted, by path.
KNOWN_LONG_MODULES: dict = {}

# Over 60 lines as formatted, by "path:qualified name".
KNOWN_LONG_FUNCTIONS: dict = {}


def _compare(kind: str, found: dict, known: dict) -> list[str]:
    problems = [
        f"new {kind}: {key}\n    {found[key]}"
        for key in sorted(found.keys() - known.keys(), key=str)
    ]
    problems += [
        f"gone, delete it from the list in tests/test_architecture.py: {kind} {key}"
        for key in sorted(known.keys() - found.keys(), key=str)
    ]
    return problems


@pytest.fixture(scope="module")
def graph():
    modules = import_graph.module_files()
    return modules, import_graph.import_edges(modules)


def test_every_module_has_a_layer(graph):
    modules, _edges = graph
    assert import_graph.unplaced(list(modules)) == [], (
        "add these modules to LAYERS in tools/import_graph.py"
    )


def test_no_new_import_cycle(graph):
    modules, edges = graph
    found = {
        members: "\n    ".join(map(str, closing))
        for members, closing in import_graph.cycles(edges, list(modules))
    }
    assert not (problems := _compare("import cycle", found, KNOWN_CYCLES)), "\n".join(problems)


def test_no_new_import_into_a_later_layer(graph):
    _modules, edges = graph
    found: dict[tuple[str, str], str] = {}
    for edge in import_graph.upward(edges):
        key = (edge.source, edge.target)
        found[key] = (found[key] + "\n    " if key in found else "") + (
            f"{edge}  [{import_graph.layer_name(edge.source)} -> {import_graph.layer_name(edge.target)}]"
        )
    assert not (problems := _compare("upward import", found, KNOWN_UPWARD)), "\n".join(problems)


def test_a_module_outside_the_table_has_no_layer():
    assert import_graph.layer_of("sitegen.releases.stage") == import_graph.layer_of(
        "sitegen.releases"
    )
    assert import_graph.layer_of("sitegen") == 0
    assert import_graph.unplaced(["sitegen.brand_new", "sitegen.errors"]) == ["sitegen.brand_new"]


def test_the_graph_sees_every_kind_of_import(graph):
    """The checks above are only as good as the graph: a known import of each kind is in it."""
    _modules, edges = graph
    kinds = {(edge.source, edge.target): edge.kind for edge in edges}
    assert kinds[("sitegen.build.pipeline", "sitegen.build.options")] == "top"
    assert kinds[("sitegen.build.builder", "sitegen.build.pipeline")] == "function"
    assert kinds[("sitegen.build.pipeline", "sitegen.releases.config")] == "types"


def test_an_upward_import_is_caught(tmp_path):
    package = tmp_path / "sitegen"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "errors.py").write_text("def later():\n    from sitegen import cli\n")
    (package / "cli.py").write_text("from sitegen.errors import later\n")
    modules = import_graph.module_files(package)
    edges = import_graph.import_edges(modules)
    assert [(e.source, e.target, e.kind, e.line) for e in import_graph.upward(edges)] == [
        ("sitegen.errors", "sitegen.cli", "function", 2)
    ]
    assert [sorted(members) for members, _ in import_graph.cycles(edges, list(modules))] == [
        ["sitegen.cli", "sitegen.errors"]
    ]


@pytest.fixture(scope="module")
def oversize():
    return sizes.oversize()


def test_no_new_long_module(oversize):
    modules, _functions = oversize
    found = {path: f"{lines} lines as formatted" for path, lines in modules.items()}
    assert not (problems := _compare("module over 400 lines", found, KNOWN_LONG_MODULES)), (
        "\n".join(problems)
    )


def test_no_new_long_function(oversize):
    _modules, functions = oversize
    found = {name: f"{lines} lines as formatted" for name, lines in functions.items()}
    assert not (problems := _compare("function over 60 lines", found, KNOWN_LONG_FUNCTIONS)), (
        "\n".join(problems)
    )


def test_lengths_are_measured_as_formatted(tmp_path):
    """A function that is short only because it is dense counts at its formatted length."""
    package = tmp_path / "sitegen"
    package.mkdir()
    calls = ", ".join(f"argument_{i}=compute(value_{i}, option_{i})" for i in range(30))
    (package / "dense.py").write_text(f"def dense():\n    return build({calls})\n")
    texts = sizes.formatted_package(package)
    assert sizes.function_lengths(texts["sitegen/dense.py"])["dense"] > 30
    with_nested = "class C:\n    def m(self):\n        def inner():\n            pass\n"
    assert sizes.function_lengths(with_nested) == {"C.m": 3, "C.m.inner": 2}
