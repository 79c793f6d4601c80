"""Parse YAML, TOML and JSON from strangers with bounded cost.

YAML anchors and aliases let 400 bytes stand for ten billion values (a "billion laughs"):
PyYAML builds them as shared references, cheaply, but everything after it (cache keys,
templates, pickling) walks the values out in full. `check_bounds` walks them once with a
budget linear in the text's length, and a nesting limit, and fails with the file and line.
Parsers that recurse (tomllib, json) hit Python's recursion limit on deep nesting, which
`parse_bounded` turns into the same kind of error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import yaml

from sitegen.errors import SiteError

MAX_DEPTH = 100  # nesting levels of lists and mappings; Hugo sites use fewer than ten
VALUES_PER_CHAR = 4  # values a text may expand to, per character, beyond a small floor
_FLOOR = 10_000
_ALIAS = re.compile(r"(?<![\w*])\*[^\s,\[\]{}]+")

# libyaml's C loader when PyYAML has it: the pure-Python one dominates the time front matter takes.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DatesAsTextLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """YAML with dates left as text, so that a bad date (2024-01-01T25:61:00) is reported with
    its key and line instead of failing inside the YAML parser, and every format reads dates
    one way."""


DatesAsTextLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=DatesAsTextLoader)  # noqa: S506 - a SafeLoader subclass


def parse_bounded(
    parse: Callable[[str], Any], text: str, path: Path | str, what: str, first_line: int = 1
) -> Any:
    """`parse(text)`, checked by `check_bounds`; deep nesting that breaks the parser is a SiteError."""
    try:
        data = parse(text)
    except RecursionError:
        raise SiteError(
            f"{what} nests lists or tables too deeply to read",
            path,
            first_line,
            hint=f"keep nesting under {MAX_DEPTH} levels",
        ) from None
    check_bounds(data, text, path, what, first_line)
    return data


def check_bounds(data: Any, text: str, path: Path | str, what: str, first_line: int = 1) -> None:
    """Raise a SiteError if `data` holds far more values than `text` could spell out (aliases
    to aliases), or nests deeper than MAX_DEPTH (a mapping can even contain itself)."""
    budget = _FLOOR + VALUES_PER_CHAR * len(text)
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        budget -= 1
        if budget < 0:
            match = _ALIAS.search(text)
            line = first_line + text.count("\n", 0, match.start()) if match else first_line
            raise SiteError(
                f"{what} expands to far more values than it spells out (YAML aliases of aliases)",
                path,
                line,
                hint="write the values out instead of repeating anchors (&name) "
                "and aliases (*name)",
            )
        if depth > MAX_DEPTH:
            raise SiteError(
                f"{what} nests lists or mappings deeper than {MAX_DEPTH} levels (or contains itself)",
                path,
                first_line,
                hint="flatten the structure",
            )
        if isinstance(value, dict):
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend((child, depth + 1) for child in value)
