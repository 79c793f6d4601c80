"""Expanding shortcode calls in a page body, before and after Markdown rendering.

As in Hugo: the output of a `{{% %}}` call becomes part of the Markdown (so its headings
reach the TOC); a `{{< >}}` call is replaced by a placeholder token that survives Markdown
and is swapped for the call's HTML afterwards (`restore_placeholders`). A placeholder that
stands alone in a paragraph loses the `<p>` around it, so block output is not wrapped in a
paragraph; a placeholder indented under a list item or inside a block quote stays there.

Nested calls are rendered first and their output is inlined into the parent's inner text,
which is what the parent's template sees as `shortcode.inner` (Hugo's `.Inner`). They are
rendered innermost first from a stack of open calls, not by recursion, so nesting as deep as
the parser allows never meets Python's recursion limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from sitegen.content.shortcodes.lexer import Text, Value
from sitegen.content.shortcodes.parser import ShortcodeNode, parse_with_errors, sort_errors
from sitegen.errors import BuildFailed, SiteError

# One word to every lexer, so a placeholder in highlighted code stays one token, as in Hugo.
_PLACEHOLDER = "HAHAHUGOSHORTCODE{}HBHB"
_PLACEHOLDER_RE = re.compile(r"<p>(HAHAHUGOSHORTCODE\d+HBHB)</p>|HAHAHUGOSHORTCODE\d+HBHB")


@dataclass(frozen=True)
class ShortcodeCall:
    """One call as a renderer sees it."""

    name: str
    params: dict[str, Value] | list[Value]
    markup: str  # "<" or "%"
    # Text between the tags, nested calls already rendered; None if standalone. An enclosing
    # call still being rendered holds its node instead, read as raw source only when asked:
    # copies for every open level would make deep nesting quadratic in memory.
    inner_text: str | ShortcodeNode | None
    path: Path | str
    line: int
    column: int
    ordinal: int  # position among the calls of the same parent (or the page), from 0
    parent: ShortcodeCall | None = None  # enclosing call; its `inner` is still the raw source

    @property
    def inner(self) -> str | None:
        text = self.inner_text
        return text.inner_source if isinstance(text, ShortcodeNode) else text

    @property
    def is_named_params(self) -> bool:
        return isinstance(self.params, dict)

    @property
    def position(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class ExpandedBody:
    markdown: str  # body with {{% %}} output inlined and {{< >}} calls replaced by placeholders
    placeholders: dict[str, str]  # placeholder -> rendered HTML


class ShortcodeRenderError(Exception):
    """Raised by a renderer for a call it cannot render; expand adds the call's location."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


class ShortcodeRenderer(Protocol):
    def exists(self, name: str) -> bool: ...

    def render(self, call: ShortcodeCall) -> str: ...


def has_shortcodes(body: str) -> bool:
    """Cheap pre-check so pages without shortcodes skip the parser."""
    return "{{<" in body or "{{%" in body


def expand_shortcodes(
    body: str, renderer: ShortcodeRenderer, *, path: Path | str, first_line: int = 1
) -> ExpandedBody:
    """Render every call of the body; raise BuildFailed listing every error with path:line."""
    if not has_shortcodes(body):
        return ExpandedBody(body, {})
    nodes, syntax_errors = parse_with_errors(body, path=path, first_line=first_line)
    expander = _Expander(renderer, path)
    if syntax_errors:
        # Still name every unknown or badly paired call, but render nothing.
        expander.check_tree(nodes)
        raise BuildFailed(sort_errors(syntax_errors + expander.errors))
    markdown = expander.expand_top_level(nodes)
    if expander.errors:
        raise BuildFailed(sort_errors(expander.errors))
    return ExpandedBody(markdown, expander.placeholders)


def restore_placeholders(html: str, placeholders: dict[str, str]) -> str:
    """Put each call's HTML where its placeholder ended up, dropping a `<p>` around a lone one."""
    if not placeholders:
        return html

    def replace(match: re.Match[str]) -> str:
        token = match.group(1) or match.group(0)
        if token not in placeholders:
            return match.group(0)
        output = placeholders[token]
        if getattr(output, "inert_in_attributes", False) and _inside_tag(html, match.start()):
            return ""
        return output

    return _PLACEHOLDER_RE.sub(replace, html)


def _inside_tag(html: str, offset: int) -> bool:
    """Whether `offset` stands inside an HTML tag (in an attribute), not in text."""
    return html.rfind("<", 0, offset) > html.rfind(">", 0, offset)


class _Expander:
    def __init__(self, renderer: ShortcodeRenderer, path: Path | str):
        self.renderer = renderer
        self.path = path
        self.errors: list[SiteError] = []
        self.placeholders: dict[str, str] = {}

    def expand_top_level(self, nodes: list[Text | ShortcodeNode]) -> str:
        parts: list[str] = []
        ordinal = 0
        for node in nodes:
            if isinstance(node, Text):
                parts.append(node.text)
                continue
            output = self.render_node(node, None, ordinal)
            ordinal += 1
            # A placeholder's HTML must survive Markdown whatever `unsafe` says: never inlined.
            if node.markup == "%" and not getattr(
                self.renderer, "is_placeholder", lambda name: False
            )(node.name):
                parts.append(output)
            else:
                token = _PLACEHOLDER.format(len(self.placeholders))
                self.placeholders[token] = output
                parts.append(token)
        return "".join(parts)

    def render_node(self, node: ShortcodeNode, parent: ShortcodeCall | None, ordinal: int) -> str:
        """The call's HTML, its nested calls rendered innermost first from a stack of open calls."""
        stack = [_OpenCall.of(node, parent, ordinal, self.path)]
        while True:
            open_call = stack[-1]
            child = open_call.next_child()
            if child is not None:
                stack.append(
                    _OpenCall.of(child, open_call.call, open_call.take_ordinal(), self.path)
                )
                continue
            stack.pop()
            output = self.render_call(open_call)
            if not stack:
                return output
            stack[-1].parts.append(output)

    def render_call(self, open_call: _OpenCall) -> str:
        node, call = open_call.node, open_call.call
        if node.closed:
            call = replace(call, inner_text="".join(open_call.parts))
        if not self.check_call(node):
            return ""
        try:
            return self.renderer.render(call)
        except (ShortcodeRenderError, SiteError) as error:  # both carry message and hint
            self.errors.append(
                SiteError(
                    f"shortcode {node.name!r}: {error.message}",
                    self.path,
                    node.line,
                    node.column,
                    error.hint,
                )
            )
        return ""

    def check_tree(self, nodes: list[Text | ShortcodeNode]) -> None:
        pending = [node for node in reversed(nodes) if isinstance(node, ShortcodeNode)]
        while pending:
            node = pending.pop()
            self.check_call(node)
            pending.extend(
                child for child in reversed(node.children) if isinstance(child, ShortcodeNode)
            )

    def check_call(self, node: ShortcodeNode) -> bool:
        """Report an unknown name or a pairing the template does not expect."""
        tag = _tag(node)
        if not self.renderer.exists(node.name):
            self.error(
                node,
                f"unknown shortcode {node.name!r}: no template shortcodes/{node.name}.html in the site's or the theme's layouts/",
                "check the name, or add the template",
            )
            return False
        uses_inner = getattr(self.renderer, "uses_inner", lambda name: None)(node.name)
        if uses_inner and not node.closed and not node.self_closing:
            hint = f"add {_tag(node, prefix='/')} after the content, or self-close it: {_tag(node, suffix='/')}"
            self.error(node, f"{tag} is never closed: its template uses the inner content", hint)
            return False
        if uses_inner is False and node.closed:
            self.error(
                node,
                f"{tag} has a closing tag, but its template does not use inner content",
                "remove the closing tag, or use shortcode.inner in the template",
            )
            return False
        return True

    def error(self, node: ShortcodeNode, message: str, hint: str) -> None:
        self.errors.append(SiteError(message, self.path, node.line, node.column, hint))


@dataclass
class _OpenCall:
    """A call whose nested calls are being rendered: its output so far and the next child."""

    node: ShortcodeNode
    call: ShortcodeCall  # inner still the raw source: what nested calls see as their parent
    parts: list[str]
    next_index: int = 0
    ordinal: int = 0

    @classmethod
    def of(
        cls, node: ShortcodeNode, parent: ShortcodeCall | None, ordinal: int, path: Path | str
    ) -> _OpenCall:
        call = ShortcodeCall(
            node.name,
            node.params,
            node.markup,
            node if node.closed else None,
            path,
            node.line,
            node.column,
            ordinal,
            parent,
        )
        return cls(node, call, [])

    def next_child(self) -> ShortcodeNode | None:
        """Collect text up to the next nested call and return it (None when all are done)."""
        children = self.node.children if self.node.closed else ()
        while self.next_index < len(children):
            child = children[self.next_index]
            self.next_index += 1
            if isinstance(child, Text):
                self.parts.append(child.text)
            else:
                return child
        return None

    def take_ordinal(self) -> int:
        self.ordinal += 1
        return self.ordinal - 1


def _tag(node: ShortcodeNode, *, prefix: str = "", suffix: str = "") -> str:
    right = ">}}" if node.markup == "<" else "%}}"
    return f"{{{{{node.markup} {prefix}{node.name} {suffix}{right}"


__all__ = [
    "ExpandedBody",
    "ShortcodeCall",
    "ShortcodeRenderError",
    "ShortcodeRenderer",
    "expand_shortcodes",
    "has_shortcodes",
    "restore_placeholders",
]
