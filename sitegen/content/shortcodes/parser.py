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

from dataclasses import dataclass, field
from pathlib import Path

from sitegen.content.shortcodes.lexer import LexedTag, Locator, Text, Value, lex
from sitegen.errors import BuildFailed, SiteError


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


def parse_shortcodes(
    body: str, *, path: Path | str, first_line: int = 1
) -> list[Text | ShortcodeNode]:
    """Parse a page body into text and shortcode nodes; raise BuildFailed listing every error."""
    nodes, errors = parse_with_errors(body, path=path, first_line=first_line)
    if errors:
        raise BuildFailed(sort_errors(errors))
    return nodes


def parse_with_errors(
    body: str, *, path: Path | str, first_line: int = 1
) -> tuple[list[Text | ShortcodeNode], list[SiteError]]:
    """Parse as far as possible: the nodes found and the syntax errors met on the way."""
    locator = Locator(body, path, first_line)
    errors: list[SiteError] = []
    items = lex(body, locator, errors)
    nodes = _build_tree(items, 0, len(items), body, locator, errors)
    return nodes, errors


def sort_errors(errors: list[SiteError]) -> list[SiteError]:
    return sorted(errors, key=lambda error: (error.line or 0, error.column or 0))


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
    items: list[Text | LexedTag],
    start: int,
    stop: int,
    body: str,
    locator: Locator,
    errors: list[SiteError],
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
                locator.error(
                    item.start,
                    f"closing tag {{{{{item.markup} /{item.name} {_right(item)} has no opening tag",
                    f"remove it, or add {{{{{item.markup} {item.name} {_right(item)} before the content it closes",
                )
            )
            continue
        line, column = locator.line_col(item.start)
        node = ShortcodeNode(
            item.name, item.params, item.markup, line, column, self_closing=item.self_closing
        )
        close = closes.get(index - 1) if not item.self_closing else None
        if close is not None and close < level.stop:
            if level.depth > MAX_DEPTH:
                errors.append(
                    locator.error(
                        item.start,
                        f"shortcodes nest deeper than {MAX_DEPTH} levels here",
                        "flatten the nesting",
                    )
                )
                index = close + 1
                continue
            node.closed = True
            node.body, node.inner_start, node.inner_end = body, item.end, items[close].start  # type: ignore[union-attr]
            levels.append(_Level(node.children, close, level.depth + 1))
        level.children.append(node)
    return top.children


def _right(tag: LexedTag) -> str:
    return ">}}" if tag.markup == "<" else "%}}"


def _closing_tags(items: list[Text | LexedTag]) -> dict[int, int]:
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
