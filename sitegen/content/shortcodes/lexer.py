"""The first half of reading shortcodes: a page body → text and tags, each tag lexed as
Hugo's `parser/pageparser` lexes it (names, positional or named arguments, bare, quoted and
raw values, the escaped `{{</* name */>}}` form); sitegen.content.shortcodes.parser pairs them."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from sitegen.errors import SiteError

_OPENERS = re.compile(r"\{\{[<%]")
_NAME = re.compile(r"\w[\w-]*(?:/\w[\w-]*)*")
_BARE_POSITIONAL = re.compile(r"[\w.-]+")
_BARE_NAMED_VALUE = re.compile(r"[^\s]+?(?=\s|/?[>%]\}\}|$)")
_KEY = re.compile(r"([\w-]+)\s*=\s*")
_INT = re.compile(r"[-+]?\d+")
_FLOAT = re.compile(r"[-+]?\d+\.\d+")
_ESCAPED_TAG = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.DOTALL)

Value = Union[str, int, float, bool]


@dataclass(frozen=True, slots=True)
class Text:
    """Body text between shortcodes, passed on unchanged (escaped tags already unescaped)."""

    text: str


@dataclass(frozen=True, slots=True)
class LexedTag:
    """A lexed tag, before pairing."""

    name: str
    params: dict[str, Value] | list[Value]
    markup: str
    start: int
    end: int
    closing: bool
    self_closing: bool


class Locator:
    """Turns offsets in the body into 1-based file lines and columns."""

    def __init__(self, body: str, path: Path | str, first_line: int):
        self.path = path
        self.first_line = first_line
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", body)]

    def line_col(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return self.first_line + index, offset - self.line_starts[index] + 1

    def error(self, offset: int, message: str, hint: str = "") -> SiteError:
        line, column = self.line_col(offset)
        return SiteError(message, self.path, line, column, hint)


class TagError(Exception):
    def __init__(self, offset: int, message: str, hint: str = ""):
        super().__init__(message)
        self.offset, self.message, self.hint = offset, message, hint


def unescape_tags(text: str) -> str:
    """`{{</* name */>}}` → `{{< name >}}`: the way to show a shortcode literally."""
    return _ESCAPED_TAG.sub(r"{{\1\2\3}}", text)


def type_bare_value(text: str) -> Value:
    """Type an unquoted argument as Hugo does: booleans and decimal numbers, else text."""
    if text in ("true", "false"):
        return text == "true"
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def lex(body: str, locator: Locator, errors: list[SiteError]) -> list[Text | LexedTag]:
    """Split the body into text and tags (code blocks and spans included, as Hugo does)."""
    items: list[Text | LexedTag] = []
    text_start = pos = 0
    while (match := _OPENERS.search(body, pos)) is not None:
        start = match.start()
        if body.startswith("/*", match.end()):
            pos = _skip_escaped_tag(body, match, locator, errors)
            continue
        try:
            tag = _lex_tag(body, start)
        except TagError as error:
            errors.append(locator.error(error.offset, error.message, error.hint))
            pos = match.end()
            continue
        _append_text(items, body[text_start:start])
        items.append(tag)
        text_start = pos = tag.end
    _append_text(items, body[text_start:])
    return items


def _append_text(items: list[Text | LexedTag], text: str) -> None:
    if text:
        items.append(Text(unescape_tags(text)))


def _skip_escaped_tag(
    body: str, opener: re.Match[str], locator: Locator, errors: list[SiteError]
) -> int:
    right = "*/>}}" if opener.group() == "{{<" else "*/%}}"
    end = body.find(right, opener.end())
    if end < 0:
        errors.append(
            locator.error(
                opener.start(),
                f"escaped shortcode {opener.group()}/* is never closed",
                f"end it with {right}, e.g. {opener.group()}/* name */{right[2:]}",
            )
        )
        return opener.end()
    return end + len(right)


def _lex_tag(body: str, start: int) -> LexedTag:
    """Read one tag starting at `{{<` or `{{%`; raise TagError at the offending character."""
    markup = body[start + 2]
    right = ">}}" if markup == "<" else "%}}"
    pos = _skip_space(body, start + 3)
    closing = body.startswith("/", pos)
    if closing:
        pos = _skip_space(body, pos + 1)
    name_match = _NAME.match(body, pos)
    if name_match is None:
        raise TagError(
            pos,
            f"a shortcode name must follow {{{{{markup}",
            "write e.g. {{< admonition >}}; to show the tag literally write {{</* name */>}}",
        )
    name = name_match.group()
    if body.startswith(".", name_match.end()):
        raise TagError(
            name_match.end(),
            f"inline shortcode {name!r}: inline shortcodes (name.inline) are not supported",
            "put the template in layouts/shortcodes/ instead",
        )
    pos = name_match.end()
    if closing:
        pos = _skip_space(body, pos)
        if not body.startswith(right, pos):
            raise TagError(
                pos,
                f"closing tag {{{{{markup} /{name} takes no arguments and must end with {right}",
            )
        return LexedTag(name, [], markup, start, pos + len(right), True, False)
    params, pos, self_closing = _lex_params(body, pos, right, name)
    return LexedTag(name, params, markup, start, pos, False, self_closing)


def _skip_space(body: str, pos: int) -> int:
    while pos < len(body) and body[pos].isspace():
        pos += 1
    return pos


def _lex_params(
    body: str, pos: int, right: str, name: str
) -> tuple[dict[str, Value] | list[Value], int, bool]:
    positional: list[Value] = []
    named: dict[str, Value] = {}
    first_kind = ""
    while True:
        pos = _skip_space(body, pos)
        if body.startswith(right, pos):
            return (named if first_kind == "named" else positional), pos + len(right), False
        if body.startswith("/", pos) and body.startswith(right, _skip_space(body, pos + 1)):
            end = _skip_space(body, pos + 1) + len(right)
            return (named if first_kind == "named" else positional), end, True
        if pos >= len(body):
            raise TagError(
                pos,
                f"shortcode {name!r} is never closed: {right} is missing",
                f"end the tag with {right}",
            )
        arg_start = pos
        key, pos = _lex_key(body, pos)
        kind = "named" if key is not None else "positional"
        if first_kind and kind != first_kind:
            raise TagError(
                arg_start,
                f"shortcode {name!r} mixes named and positional arguments",
                "use either name=value for all arguments or none",
            )
        first_kind = first_kind or kind
        value, pos = _lex_value(body, pos, right, named=key is not None)
        if key is None:
            positional.append(value)
        else:
            named[key] = value


def _lex_key(body: str, pos: int) -> tuple[str | None, int]:
    """A `name=` prefix if there is one (blanks allowed around `=`)."""
    match = _KEY.match(body, pos)
    if match is None:
        return None, pos
    return match.group(1), match.end()


def _lex_value(body: str, pos: int, right: str, *, named: bool) -> tuple[Value, int]:
    if body.startswith('"', pos):
        return _lex_quoted(body, pos)
    if body.startswith("`", pos):
        end = body.find("`", pos + 1)
        if end < 0:
            raise TagError(pos, "unterminated raw string: the closing ` is missing")
        return body[pos + 1 : end], end + 1
    bare = (_BARE_NAMED_VALUE if named else _BARE_POSITIONAL).match(body, pos)
    if bare is None or not bare.group():
        char = body[pos] if pos < len(body) else "end of file"
        raise TagError(
            pos,
            f"unexpected {char!r} in shortcode arguments",
            f'quote values with other characters: "…", or end the tag with {right}',
        )
    return type_bare_value(bare.group()), bare.end()


def _lex_quoted(body: str, pos: int) -> tuple[str, int]:
    chars: list[str] = []
    index = pos + 1
    while index < len(body):
        char = body[index]
        if char == "\\" and body.startswith('"', index + 1):
            chars.append('"')
            index += 2
            continue
        if char == '"':
            return "".join(chars), index + 1
        if char == "\n":
            break
        chars.append(char)
        index += 1
    raise TagError(
        pos,
        "unterminated quoted string in shortcode arguments",
        'close it with " on the same line, or use `raw` quotes for text across lines',
    )
