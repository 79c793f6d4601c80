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

from sitegen.config import toml_error
from sitegen.errors import SiteError


# libyaml's C loader when PyYAML has it: the pure-Python one was 15% of a cold build.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DatesAsTextLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """YAML with dates left as text, so that a bad date is reported by `pages` with its line
    instead of failing inside the YAML parser, and every format reads dates one way."""


_DatesAsTextLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


class YamlHandler(YAMLHandler):
    # python-frontmatter's `^-{3,}\s*$` also swallows the blank line after the block,
    # which shifts every body line number by one.
    FM_BOUNDARY = re.compile(r"^-{3,}[ \t]*\r?$", re.MULTILINE)

    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_DatesAsTextLoader)  # noqa: S506 - a SafeLoader subclass


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
    handler = next((h for h in HANDLERS if h.detect(text)), None)
    if handler is None:
        return {}, text, 1, ""
    fmt = FORMAT_NAMES[type(handler)]
    try:
        block, body = handler.split(text)
    except ValueError:
        raise SiteError(f"the {fmt} front matter is not closed", path, 1,
                        hint=f"end the front matter block with a line '{_closing(fmt)}'") from None
    # The block starts on the opening line, so its line N is the file's line N.
    body_line = 1 + block.count("\n")
    if body.startswith(("\n", "\r\n")):  # the end of the closing delimiter's line
        body, body_line = body.split("\n", 1)[1], body_line + 1
    meta = _parse_block(handler, fmt, block, path)
    return meta, body, body_line, fmt


def _closing(fmt: str) -> str:
    return {"YAML": "---", "TOML": "+++", "JSON": "}"}[fmt]


def _parse_block(handler: BaseHandler, fmt: str, block: str, path: Path | str) -> dict[str, Any]:
    try:
        meta = handler.load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 1 + mark.line if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise SiteError(f"invalid YAML front matter: {problem}", path, line,
                        hint="check indentation and quoting; values with ': ' or '#' need quotes") from None
    except tomllib.TOMLDecodeError as exc:
        message, line, _column = toml_error(exc)
        if line is None:  # "at end of document": the value left open reaches the closing line
            message, line = message.replace(" (at end of document)", ""), block.rstrip("\n").count("\n") + 2
        raise SiteError(f"invalid TOML front matter: {message}", path, line,
                        hint="TOML wants key = value, with strings in quotes") from None
    except ValueError as exc:  # json.JSONDecodeError
        line = getattr(exc, "lineno", 1)
        raise SiteError(f"invalid JSON front matter: {getattr(exc, 'msg', exc)}", path, line,
                        hint="JSON wants double-quoted keys and strings and no trailing commas") from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise SiteError(f"the {fmt} front matter must be a mapping of keys to values", path, 1,
                        hint="write it as 'key: value' lines")
    return meta


def key_line(text: str, key: str, body_line: int) -> int | None:
    """Best-effort line of `key` in the front matter, so errors about a value point at it."""
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*[:=]', re.IGNORECASE)
    for number, line in enumerate(text.splitlines()[: max(body_line - 1, 0)], start=1):
        if pattern.match(line):
            return number
    return None
