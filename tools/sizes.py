"""Modules over 400 lines and functions over 60, as the configured formatter lays them out.

The package is copied to a temporary folder and formatted there by `ruff format` with the
repository's `pyproject.toml` (line length 100); lengths are read from the formatted copy, so
dense one-liners do not hide a long function. The checkout itself is never rewritten. Run
`python tools/sizes.py` to print what is over the limits.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def formatted_package(package: Path = REPO / "sitegen") -> dict[str, str]:
    """Each module's text as `ruff format` writes it, by path from the package's parent."""
    with tempfile.TemporaryDirectory() as temp:
        copy = Path(temp) / package.name
        shutil.copytree(
            package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "themes")
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "ruff",
                "format",
                "--quiet",
                "--config",
                str(REPO / "pyproject.toml"),
                str(copy),
            ],
            check=True,
        )
        return {
            (Path(package.name) / path.relative_to(copy)).as_posix(): path.read_text(
                encoding="utf-8"
            )
            for path in sorted(copy.rglob("*.py"))
        }


def function_lengths(text: str) -> dict[str, int]:
    """Lines from `def` to the function's last line, by qualified name (Class.method, outer.inner)."""
    lengths: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                lengths[name] = max(lengths.get(name, 0), child.end_lineno - child.lineno + 1)
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(text), "")
    return lengths


def oversize(texts: dict[str, str] | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """({module path: lines}, {"path:function": lines}) over the limits."""
    texts = formatted_package() if texts is None else texts
    modules = {
        path: len(text.splitlines())
        for path, text in texts.items()
        if len(text.splitlines()) > MAX_MODULE_LINES
    }
    functions = {
        f"{path}:{name}": lines
        for path, text in texts.items()
        for name, lines in function_lengths(text).items()
        if lines > MAX_FUNCTION_LINES
    }
    return modules, functions


def main() -> int:
    modules, functions = oversize()
    print(
        f"{len(modules)} module(s) over {MAX_MODULE_LINES} lines (as `ruff format` lays them out)"
    )
    for path, lines in sorted(modules.items()):
        print(f"  {path}: {lines}")
    print(f"{len(functions)} function(s) over {MAX_FUNCTION_LINES} lines")
    for name, lines in sorted(functions.items()):
        print(f"  {name}: {lines}")
    return 1 if modules or functions else 0


if __name__ == "__main__":
    sys.exit(main())
