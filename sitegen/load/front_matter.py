"""Split a content file into front matter (YAML `---`, TOML `+++`, JSON `{`) and body.

python-frontmatter finds and splits the block; we add a TOML handler on the standard
library's tomllib, strip a BOM that would hide the block, and turn parse errors into
errors located in the content file (the block's own line numbers shifted by its start).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from sitegen.errors import SiteError
from sitegen.load.bounded import load_yaml, parse_bounded
from sitegen.load.config import toml_error


class YamlHandler(YAMLHandler):
    # python-frontmatter's `^-{3,}\s*$` also swallows the blank line after the block,
    # which shifts every body line number by one.
    FM_BOUNDARY = re.compile(r"^-{3,}[ \t]*\r?$", re.MULTILINE)

    def load(self, fm: str, **kwargs: object) -> Any:
        return load_yaml(fm)


class TomlHandler(BaseHandler):
    FM_BOUNDARY = re.compile(r"^\+{3,}[ \t]*\r?$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


HANDLERS = (YamlHandler(), TomlHandler(), JSONHandler())
FORMAT_NAMES = {YamlHandler: "YAML", TomlHandler: "TOML", JSONHandler: "JSON"}


def split_front_matter(text: str, path: Path | str) -> tuple[dict[str, Any], str, int, str]:
    """Return (meta, body, body_line, format). A file without front matter has empty meta."""
    text = text.removeprefix("\ufeff")
    # Hugo's parser skips blank lines and spaces before the opening delimiter.
    rest = text.lstrip(" \t\r\n")
    skipped = text[: len(text) - len(rest)].count("\n")
    handler = next((h for h in HANDLERS if h.detect(rest)), None)
    if handler is None:
        return {}, text, 1, ""
    fmt = FORMAT_NAMES[type(handler)]
    try:
        block, body = handler.split(rest)
    except ValueError:
        raise SiteError(
            f"the {fmt} front matter is not closed",
            path,
            1 + skipped,
            hint=f"end the front matter block with a line '{_closing(fmt)}'",
        ) from None
    # The block starts on the opening line, so its line N is the file's line N + skipped.
    body_line = 1 + skipped + block.count("\n")
    if body.startswith(("\n", "\r\n")):  # the end of the closing delimiter's line
        body, body_line = body.split("\n", 1)[1], body_line + 1
    meta = _parse_block(handler, fmt, block, path, skipped)
    return meta, body, body_line, fmt


def _closing(fmt: str) -> str:
    return {"YAML": "---", "TOML": "+++", "JSON": "}"}[fmt]


def _parse_block(
    handler: BaseHandler, fmt: str, block: str, path: Path | str, skipped: int = 0
) -> dict[str, Any]:
    try:
        meta = parse_bounded(handler.load, block, path, f"the {fmt} front matter")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 1 + skipped + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SiteError(
            f"invalid YAML front matter: {problem}",
            path,
            line,
            hint="check indentation and quoting; values with ': ' or '#' need quotes",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        message, line, _column = toml_error(exc)
        if line is None:  # "at end of document": the value left open reaches the closing line
            message, line = (
                message.replace(" (at end of document)", ""),
                block.rstrip("\n").count("\n") + 2,
            )
        raise SiteError(
            f"invalid TOML front matter: {message}",
            path,
            line + skipped,
            hint="TOML wants key = value, with strings in quotes",
        ) from None
    except ValueError as exc:  # json.JSONDecodeError
        line = getattr(exc, "lineno", 1) + skipped
        raise SiteError(
            f"invalid JSON front matter: {getattr(exc, 'msg', exc)}",
            path,
            line,
            hint="JSON wants double-quoted keys and strings and no trailing commas",
        ) from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise SiteError(
            f"the {fmt} front matter must be a mapping of keys to values",
            path,
            1 + skipped,
            hint="write it as 'key: value' lines",
        )
    return meta


def key_line(text: str, key: str, body_line: int) -> int | None:
    """Best-effort line of `key` in the front matter, so errors about a value point at it."""
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*[:=]', re.IGNORECASE)
    for number, line in enumerate(text.splitlines()[: max(body_line - 1, 0)], start=1):
        if pattern.match(line):
            return number
    return None
