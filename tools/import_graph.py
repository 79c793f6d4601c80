"""The import graph of the `sitegen` package: cycles and imports that go up the pipeline.

Read from the source with `ast`, never by importing it. Each edge is one `import` statement,
told apart by where it stands:

- `top`: at module level, run when the module is imported;
- `function`: inside a function, run when the function is called (a deferred import);
- `types`: under `if TYPE_CHECKING:`, never run.

An import of `sitegen.a.b` is an edge to the module `sitegen.a.b` (or to the package
`sitegen.a` when `b` is a name inside it); the package `__init__`s that Python runs on the way
are not counted as edges of their own.

Cycles are the strongly connected components (Tarjan) of the graph of all edges. An upward
import is an edge from a module to one in a later layer of `LAYERS` (edges within a layer are
fine). Run `python tools/import_graph.py` to print both with file:line; it exits 1 when it
finds any, or a module `LAYERS` does not place. `--edges` prints every import instead.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "sitegen"

# The pipeline's layers, earliest first: a module may import from its own layer and earlier
# ones, never from a later one. An entry names a module, or a package and so all its modules
# (the top package "sitegen" only its own __init__); the longest matching entry places a
# module. This table is the one place to edit when modules move. Entries for modules that do
# not exist are allowed, so one table serves branches that add modules.
LAYERS: list[tuple[str, list[str]]] = [
    ("base", ["sitegen", "sitegen.errors", "sitegen.models", "sitegen.safe", "sitegen.locale"]),
    ("load", ["sitegen.load"]),
    ("assemble", ["sitegen.site"]),
    ("content", ["sitegen.content"]),
    ("releases", ["sitegen.releases"]),
    ("render", ["sitegen.render"]),
    ("write", ["sitegen.write"]),
    ("build", ["sitegen.build"]),
    ("commands", ["sitegen.__main__", "sitegen.cli", "sitegen.serve", "sitegen.commands"]),
]


@dataclass(frozen=True)
class Edge:
    source: str  # importing module, e.g. sitegen.render.renderer
    target: str  # imported module, e.g. sitegen.write.output
    kind: str  # "top", "function" or "types"
    path: str  # file of the import, relative to the repository
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source} -> {self.target} ({self.kind})"


def module_files(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module):
    """(node, kind) for every import statement, with the kind its position gives it."""

    def visit(node: ast.AST, kind: str):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, kind
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                yield from visit(child, "types" if kind == "types" else "function")
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    yield from visit(ast.Module(body=[stmt], type_ignores=[]), "types")
                for stmt in child.orelse:
                    yield from visit(ast.Module(body=[stmt], type_ignores=[]), kind)
            else:
                yield from visit(child, kind)

    yield from visit(tree, "top")


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_edges(modules: dict[str, Path] | None = None) -> list[Edge]:
    """Every import of a sitegen module by a sitegen module."""
    modules = module_files() if modules is None else modules
    edges = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        rel = path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else str(path)
        for node, kind in _imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _resolve(module, path.name == "__init__.py", node)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            for target in dict.fromkeys(targets):
                while target and target not in modules and "." in target:
                    target = target.rsplit(".", 1)[
                        0
                    ]  # `import sitegen.a.b` names a module or its package
                if target in modules and target != module:
                    edges.append(Edge(module, target, kind, rel, node.lineno))
    return edges


def strongly_connected(nodes: list[str], edges: list[Edge]) -> list[list[str]]:
    """Tarjan's algorithm: the components of more than one module, or of one that imports itself."""
    successors: dict[str, list[str]] = {node: [] for node in nodes}
    for edge in edges:
        successors.setdefault(edge.source, []).append(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def connect(node: str) -> None:  # recursion depth is bounded by the package's module count
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in successors.get(node, []):
            if successor not in index:
                connect(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in successors.get(node, []):
                components.append(sorted(component))

    for node in successors:
        if node not in index:
            connect(node)
    return sorted(components)


def cycles(edges: list[Edge], modules: list[str]) -> list[tuple[frozenset[str], list[Edge]]]:
    """Each import cycle: its modules and the edges that close it."""
    found = []
    for component in strongly_connected(modules, edges):
        members = set(component)
        found.append(
            (frozenset(members), [e for e in edges if e.source in members and e.target in members])
        )
    return found


def layer_of(module: str) -> int | None:
    """The index in `LAYERS` of the longest entry that is the module or a package holding it."""
    best: tuple[int, int] | None = None
    for position, (_name, entries) in enumerate(LAYERS):
        for entry in entries:
            covers = module == entry or ("." in entry and module.startswith(entry + "."))
            if covers and (best is None or len(entry) > best[0]):
                best = (len(entry), position)
    return None if best is None else best[1]


def unplaced(modules: list[str]) -> list[str]:
    return [module for module in modules if layer_of(module) is None]


def upward(edges: list[Edge]) -> list[Edge]:
    """Imports from an earlier layer into a later one."""
    return [
        edge
        for edge in edges
        if (src := layer_of(edge.source)) is not None
        and (dst := layer_of(edge.target)) is not None
        and dst > src
    ]


def layer_name(module: str) -> str:
    position = layer_of(module)
    return "?" if position is None else LAYERS[position][0]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    modules = module_files()
    edges = import_edges(modules)
    if "--edges" in argv:  # the whole graph, for planning moves
        for edge in sorted(edges, key=lambda e: (e.source, e.target, e.line)):
            print(f"{edge}  [{layer_name(edge.source)} -> {layer_name(edge.target)}]")
        return 0
    found = cycles(edges, list(modules))
    rising = upward(edges)
    missing = unplaced(list(modules))
    print(f"{len(modules)} modules, {len(edges)} imports between them")
    for module in missing:
        print(f"not in LAYERS (tools/import_graph.py): {module}")
    print(f"{len(found)} cycle(s)")
    for members, closing in found:
        print("  cycle: " + " <-> ".join(sorted(members)))
        for edge in closing:
            print(f"    {edge}")
    print(f"{len(rising)} upward import(s)")
    for edge in rising:
        print(f"  {edge}  [{layer_name(edge.source)} -> {layer_name(edge.target)}]")
    return 1 if found or rising or missing else 0


if __name__ == "__main__":
    sys.exit(main())
