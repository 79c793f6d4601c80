"""Hugo's shortcode syntax: a page body → a tree of text and shortcode calls.

Reads tags as Hugo's `parser/pageparser` lexer does (checked against Hugo 0.168):
- `{{< name args >}}` and `{{% name args %}}`, closing `{{< /name >}}`, self-closing
  `{{< name args />}}`; a tag may span lines.
- Arguments are all positional or all named. A value is bare, `"double-quoted"` (only `\\"`
  is an escape, other backslashes stay) or `` `raw` `` (may span lines, no escapes). Bare
  `true`/`false` become booleans, `42`/`-3` integers, `1.5` floats; quoted values stay text.
  A bare positional value may hold letters, digits, `_`, `-` and `.`; a bare named value runs
  to the next blank.
- `{{</* name */>}}` and `{{%/* name */%}}` print the tag literally.
- As in Hugo, shortcodes are found in the raw body before Markdown, so they run inside code
  spans and fenced or indented code too; the escaped form is how to show one literally there.

Whether an opening tag takes a closing tag is decided from the text, not from the template:
an opening tag is paired when a closing tag of the same name follows within the same parent,
with nested openings of that name balanced by their own closings; otherwise it stands alone.
(`expand` then checks the pairing against whether the template uses the inner content.)
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from sitegen.errors import BuildFailed, SiteError

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


@dataclass(slots=True)
class ShortcodeNode:
    """One shortcode call as written: a standalone tag or an opening/closing pair."""

    name: str
    params: dict[str, Value] | list[Value]
    markup: str  # "<" for {{< >}} (HTML inserted after Markdown), "%" for {{% %}} (Markdown)
    line: int  # 1-based line of the opening tag in the source file
    column: int  # 1-based column of the opening `{{`
    self_closing: bool = False
    closed: bool = False  # has a closing tag
    children: list[Text | ShortcodeNode] = field(default_factory=list)
    # Where the raw text between the tags lies in the body: one shared body rather than a copy
    # per level, which deep nesting would make quadratic in memory.
    body: str = field(default="", repr=False)
    inner_start: int = 0
    inner_end: int = 0

    @property
    def inner_source(self) -> str:
        """The raw text between the tags."""
        return self.body[self.inner_start : self.inner_end]

    @property
    def is_named_params(self) -> bool:
        return isinstance(self.params, dict)


@dataclass(frozen=True, slots=True)
class _Tag:
    """A lexed tag, before pairing."""

    name: str
    params: dict[str, Value] | list[Value]
    markup: str
    start: int
    end: int
    closing: bool
    self_closing: bool


class _Locator:
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


class _TagError(Exception):
    def __init__(self, offset: int, message: str, hint: str = ""):
        super().__init__(message)
        self.offset, self.message, self.hint = offset, message, hint


def parse_shortcodes(body: str, *, path: Path | str, first_line: int = 1) -> list[Text | ShortcodeNode]:
    """Parse a page body into text and shortcode nodes; raise BuildFailed listing every error."""
    nodes, errors = parse_with_errors(body, path=path, first_line=first_line)
    if errors:
        raise BuildFailed(sort_errors(errors))
    return nodes


def parse_with_errors(body: str, *, path: Path | str, first_line: int = 1) -> tuple[list[Text | ShortcodeNode], list[SiteError]]:
    """Parse as far as possible: the nodes found and the syntax errors met on the way."""
    locator = _Locator(body, path, first_line)
    errors: list[SiteError] = []
    items = _lex(body, locator, errors)
    nodes = _build_tree(items, 0, len(items), body, locator, errors)
    return nodes, errors


def sort_errors(errors: list[SiteError]) -> list[SiteError]:
    return sorted(errors, key=lambda error: (error.line or 0, error.column or 0))


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


# --- lexing ---------------------------------------------------------------------------


def _lex(body: str, locator: _Locator, errors: list[SiteError]) -> list[Text | _Tag]:
    """Split the body into text and tags (code blocks and spans included, as Hugo does)."""
    items: list[Text | _Tag] = []
    text_start = pos = 0
    while (match := _OPENERS.search(body, pos)) is not None:
        start = match.start()
        if body.startswith("/*", match.end()):
            pos = _skip_escaped_tag(body, match, locator, errors)
            continue
        try:
            tag = _lex_tag(body, start)
        except _TagError as error:
            errors.append(locator.error(error.offset, error.message, error.hint))
            pos = match.end()
            continue
        _append_text(items, body[text_start:start])
        items.append(tag)
        text_start = pos = tag.end
    _append_text(items, body[text_start:])
    return items


def _append_text(items: list[Text | _Tag], text: str) -> None:
    if text:
        items.append(Text(unescape_tags(text)))


def _skip_escaped_tag(body: str, opener: re.Match[str], locator: _Locator, errors: list[SiteError]) -> int:
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


def _lex_tag(body: str, start: int) -> _Tag:
    """Read one tag starting at `{{<` or `{{%`; raise _TagError at the offending character."""
    markup = body[start + 2]
    right = ">}}" if markup == "<" else "%}}"
    pos = _skip_space(body, start + 3)
    closing = body.startswith("/", pos)
    if closing:
        pos = _skip_space(body, pos + 1)
    name_match = _NAME.match(body, pos)
    if name_match is None:
        raise _TagError(pos, f"a shortcode name must follow {{{{{markup}", "write e.g. {{< admonition >}}; to show the tag literally write {{</* name */>}}")
    name = name_match.group()
    if body.startswith(".", name_match.end()):
        raise _TagError(name_match.end(), f"inline shortcode {name!r}: inline shortcodes (name.inline) are not supported", "put the template in layouts/shortcodes/ instead")
    pos = name_match.end()
    if closing:
        pos = _skip_space(body, pos)
        if not body.startswith(right, pos):
            raise _TagError(pos, f"closing tag {{{{{markup} /{name} takes no arguments and must end with {right}")
        return _Tag(name, [], markup, start, pos + len(right), True, False)
    params, pos, self_closing = _lex_params(body, pos, right, name)
    return _Tag(name, params, markup, start, pos, False, self_closing)


def _skip_space(body: str, pos: int) -> int:
    while pos < len(body) and body[pos].isspace():
        pos += 1
    return pos


def _lex_params(body: str, pos: int, right: str, name: str) -> tuple[dict[str, Value] | list[Value], int, bool]:
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
            raise _TagError(pos, f"shortcode {name!r} is never closed: {right} is missing", f"end the tag with {right}")
        arg_start = pos
        key, pos = _lex_key(body, pos)
        kind = "named" if key is not None else "positional"
        if first_kind and kind != first_kind:
            raise _TagError(arg_start, f"shortcode {name!r} mixes named and positional arguments", "use either name=value for all arguments or none")
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
            raise _TagError(pos, "unterminated raw string: the closing ` is missing")
        return body[pos + 1 : end], end + 1
    bare = (_BARE_NAMED_VALUE if named else _BARE_POSITIONAL).match(body, pos)
    if bare is None or not bare.group():
        char = body[pos] if pos < len(body) else "end of file"
        raise _TagError(pos, f"unexpected {char!r} in shortcode arguments", f'quote values with other characters: "…", or end the tag with {right}')
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
    raise _TagError(pos, "unterminated quoted string in shortcode arguments", 'close it with " on the same line, or use `raw` quotes for text across lines')


# --- pairing ---------------------------------------------------------------------------


# Shortcodes inside shortcodes. Hugo 0.168 has no limit of its own (it renders 100,000 levels);
# sitegen pairs and renders them without recursion, so this only bounds the work (the raw inner
# text of every open level is kept). Deeper is an error at the call's line.
MAX_DEPTH = 10_000


@dataclass(slots=True)
class _Level:
    """One open pair while building the tree: where its children go and where it ends."""

    children: list[Text | ShortcodeNode]
    stop: int  # index of its closing tag (or of the end, for the top level)
    depth: int


def _build_tree(
    items: list[Text | _Tag], start: int, stop: int, body: str, locator: _Locator, errors: list[SiteError],
) -> list[Text | ShortcodeNode]:
    """Pair opening and closing tags within items[start:stop] into nested nodes, with a stack of
    open levels rather than recursion, so nesting depth never meets Python's recursion limit."""
    closes = _closing_tags(items)
    top = _Level([], stop, 1)
    levels = [top]
    index = start
    while index < stop:
        level = levels[-1]
        if index == level.stop:  # the closing tag of the innermost open pair
            levels.pop()
            index += 1
            continue
        item = items[index]
        index += 1
        if isinstance(item, Text):
            level.children.append(item)
            continue
        if item.closing:
            errors.append(
                locator.error(item.start, f"closing tag {{{{{item.markup} /{item.name} {_right(item)} has no opening tag", f"remove it, or add {{{{{item.markup} {item.name} {_right(item)} before the content it closes")
            )
            continue
        line, column = locator.line_col(item.start)
        node = ShortcodeNode(item.name, item.params, item.markup, line, column, self_closing=item.self_closing)
        close = closes.get(index - 1) if not item.self_closing else None
        if close is not None and close < level.stop:
            if level.depth > MAX_DEPTH:
                errors.append(locator.error(item.start, f"shortcodes nest deeper than {MAX_DEPTH} levels here",
                                            "flatten the nesting"))
                index = close + 1
                continue
            node.closed = True
            node.body, node.inner_start, node.inner_end = body, item.end, items[close].start  # type: ignore[union-attr]
            levels.append(_Level(node.children, close, level.depth + 1))
        level.children.append(node)
    return top.children


def _right(tag: _Tag) -> str:
    return ">}}" if tag.markup == "<" else "%}}"


def _closing_tags(items: list[Text | _Tag]) -> dict[int, int]:
    """Index of each opening tag -> index of the closing tag of the same name that pairs with
    it, in one pass (a scan forward from every opening tag was quadratic in unclosed tags)."""
    closes: dict[int, int] = {}
    open_tags: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        if isinstance(item, Text) or item.self_closing:
            continue
        stack = open_tags.setdefault(item.name, [])
        if not item.closing:
            stack.append(index)
        elif stack:
            closes[stack.pop()] = index
    return closes
