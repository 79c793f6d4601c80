"""A Hugo site's own Go templates: recognised, never compiled as Jinja2.

A site (or theme) written for Hugo carries Go templates in `layouts/`. sitegen cannot run
them, so the Jinja loader passes over each such file (the next layout folder, in the end the
built-in theme, serves that name instead), and a Go shortcode is rendered as a visible
placeholder that carries its inner content. Both are listed in the build's report of Hugo
features sitegen does not support (sitegen.load.hugo_features), with how to port each.
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension

# A Go action Jinja never writes: `{{ .Title }}`, `{{ $x := … }}`, `{{/* … */}}`, `{{- if … }}`,
# `{{ partial "x" . }}`, `{{ T "key" }}` (a function applied to space-separated arguments).
_GO_ACTION = re.compile(
    r"\{\{-?\s*(?:\.|\$|/\*|(?:define|partial|partialCached|block|range|end|with|template|if|else|return|try)\b"
    r"|[A-Za-z_]\w*(?:\.\w+)*\s+[\"$.(])"
)
_GO_KEYWORD = re.compile(
    r"\{\{-?\s*(?:define|block|range|end|with|template|else|return|try)\b(?!\s*\()"
)
_JINJA_STATEMENT = re.compile(r"\{%-?\s*\w|\{#")
_SHORTCODE_FOLDERS = ("shortcodes", "_shortcodes")  # Hugo ≥ 0.146 also reads layouts/_shortcodes/


class PartialCachedTag(Extension):
    """The grammar of sitegen's own tag `{% partial_cached "partials/NAME.html", key, … %}`,
    so that a layout using it parses as Jinja here too; what it does is
    sitegen.render.cached_partials' (`_render`)."""

    tags = {"partial_cached"}

    def parse(self, parser: jinja2.parser.Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        name = parser.parse_expression()
        keys = []
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        where = nodes.Const(parser.filename or "", lineno=lineno)  # whose tag: may it keep
        # `_lookup(…) or _render(…)`: the text kept for these keys, else the partial rendered
        # (only then with a context of its own, the caller's locals in it, as include's).
        lookup = [name, nodes.Tuple(keys, "load", lineno=lineno), where]
        render = [nodes.DerivedContextReference(lineno=lineno), *copy.deepcopy(lookup)]
        call = nodes.Or(
            self.call_method("_lookup", lookup, lineno=lineno),
            self.call_method("_render", render, lineno=lineno),
            lineno=lineno,
        )
        return nodes.Output([call], lineno=lineno)


def is_go_template(text: str) -> bool:
    """Whether a layout file is a Go template: it has Go actions and Jinja2 cannot parse it,
    or it parses (`{{ end }}` does) but has Go's keywords and no Jinja statement."""
    if not _GO_ACTION.search(text):
        return False
    try:
        jinja2.Environment(extensions=[PartialCachedTag]).parse(text)
    except jinja2.TemplateSyntaxError:
        return True
    return not _JINJA_STATEMENT.search(text) and bool(_GO_KEYWORD.search(text))


def first_go_line(text: str) -> int:
    """1-based line of the first Go action, for reports."""
    match = _GO_ACTION.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


@lru_cache(maxsize=4096)
def _go_file(path: str, mtime_ns: int, size: int) -> bool:
    return is_go_template(Path(path).read_text(encoding="utf-8", errors="replace"))


def is_go_file(path: Path) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return _go_file(str(path), stat.st_mtime_ns, stat.st_size)


class JinjaLayoutsLoader(jinja2.FileSystemLoader):
    """Layout folders in order, as FileSystemLoader, passing over Go templates: a site's Go
    `layouts/_default/single.html` leaves that name to the theme's Jinja template."""

    def get_source(self, environment: jinja2.Environment, template: str):
        for folder in self.searchpath:
            try:
                source, filename, uptodate = jinja2.FileSystemLoader(
                    folder, self.encoding
                ).get_source(environment, template)
            except jinja2.TemplateNotFound:
                continue
            if not is_go_template(source):
                return source, filename, uptodate
        raise jinja2.TemplateNotFound(template)


@dataclass(frozen=True)
class GoLayout:
    path: Path  # the template file
    line: int  # its first Go action


def go_layouts(layouts: Path) -> list[GoLayout]:
    """Every Go template under a `layouts/` folder, in path order."""
    found = []
    for path in sorted(layouts.rglob("*")) if layouts.is_dir() else ():
        if not path.is_file() or path.suffix.lower() not in (
            ".html",
            ".xml",
            ".json",
            ".txt",
            ".rss",
            ".ics",
        ):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if is_go_template(text):
            found.append(GoLayout(path, first_go_line(text)))
    return found


def go_shortcodes(layout_folders: list[Path]) -> dict[str, str]:
    """name → file of every shortcode in these `layouts/` folders that Jinja2 will not serve
    (first wins): Go templates, and snippets of other formats (`icon.svg`) whose text is the
    output as it stands. A `.html` file that is not a Go template is a Jinja2 shortcode."""
    found: dict[str, str] = {}
    for layouts in layout_folders:
        for folder in _SHORTCODE_FOLDERS:
            root = layouts / folder
            files = (
                sorted(root.rglob("*"), key=lambda p: (p.suffix != ".html", p))
                if root.is_dir()
                else []
            )
            for path in files:
                name = path.relative_to(root).as_posix().split(".", 1)[0]
                if name in found or not path.is_file():
                    continue
                if is_go_file(path) or path.suffix.lower() != ".html":
                    found[name] = str(path)
    return found


def snippet_text(path: str) -> str | None:
    """The text of a shortcode file without template actions (its output), else None."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return _snippet(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1024)
def _snippet(path: str, mtime_ns: int, size: int) -> str | None:
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    return None if _GO_ACTION.search(text) or _JINJA_STATEMENT.search(text) else text.strip("\n")


class GoPlaceholder(str):
    """A placeholder's HTML; inside an HTML attribute (`[x]({{< baseurl >}}/a)`) it gives
    nothing, so the attribute stays whole."""

    inert_in_attributes = True


def shortcode_tag(name: str, params: Any, markup: str) -> str:
    """The call as written, for the placeholder: {{< name a="b" >}}."""
    right = ">}}" if markup == "<" else "%}}"
    if isinstance(params, dict):
        args = [f"{key}={_quote(value)}" for key, value in params.items()]
    else:
        args = [_quote(value) for value in params]
    return f"{{{{{markup} {' '.join([name, *args])} {right}"


def _quote(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return '"' + str(value).replace('"', '\\"') + '"'


_BLOCK = re.compile(r"<(?:p|div|ul|ol|pre|table|h[1-6]|blockquote|figure|details|dl|hr)\b", re.I)


def placeholder_html(name: str, params: Any, markup: str, inner_html: str) -> str:
    """A visible stand-in for a Go shortcode sitegen cannot run, with its inner content. The
    call itself is shown by the theme's CSS (`data-tag`), so it stays out of summaries,
    descriptions and the search index."""
    tag = html.escape(shortcode_tag(name, params, markup))
    title = html.escape(
        f"Hugo shortcode {name!r} is a Go template; port it as layouts/shortcodes/{name}.html in Jinja2"
    )
    element = "div" if _BLOCK.search(inner_html) else "span"
    joiner = "\n" if element == "div" else ""
    return GoPlaceholder(
        f'<{element} class="hugo-shortcode" data-shortcode="{html.escape(name)}" data-tag="{tag}" title="{title}">'
        f"{joiner}{inner_html}{joiner}</{element}>"
    )
