"""Code fences highlighted by Pygments in the markup Hugo's Chroma writes.

Hugo (`markup.highlight`) wraps code in `<div class="highlight"><pre tabindex="0"
class="chroma"><code class="language-go" data-lang="go">`, one
`<span class="line"><span class="cl">…</span></span>` per line, and with `lineNos` +
`lineNumbersInTable` a two-cell `lntable`. Pygments' short token class names are the
ones Chroma uses, so a Chroma stylesheet (and `highlight_css`) styles both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from html import escape

from typing import TYPE_CHECKING

# Pygments loads when the first code block is highlighted: a build of posts without code
# does not pay for its lexers, formatters and plugin lookup at start-up.
if TYPE_CHECKING:
    from pygments.lexer import Lexer


@dataclass(frozen=True)
class HighlightOptions:
    """Hugo's `markup.highlight`, with Hugo's defaults."""

    code_fences: bool = True
    guess_syntax: bool = False
    line_nos: bool = False
    line_numbers_in_table: bool = True
    no_classes: bool = True
    style: str = "monokai"
    tab_width: int = 4
    anchor_line_nos: bool = False
    line_no_start: int = 1
    hl_lines: tuple[int, ...] = ()


def escape_code(text: str) -> str:
    """Escape as Go's html.EscapeString does (Chroma's escaping): `"` → `&#34;`, `'` → `&#39;`."""
    return escape(text, quote=True).replace("&quot;", "&#34;").replace("&#x27;", "&#39;")


@lru_cache(maxsize=256)
def find_lexer(lang: str) -> Lexer | None:
    """The Pygments lexer for a fence language, or None when Pygments has none."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return None


def token_class(ttype) -> str:
    """Chroma-compatible class: the short name of the type or its nearest parent."""
    from pygments.token import STANDARD_TYPES

    while ttype not in STANDARD_TYPES:
        ttype = ttype.parent
    return STANDARD_TYPES[ttype]


@lru_cache(maxsize=16)
def _inline_styles(style_name: str) -> tuple[dict, str]:
    """Per-class inline CSS and the `pre` style, for noClasses=true."""
    from pygments.token import STANDARD_TYPES, Token

    style = _style(style_name)
    styles: dict[str, str] = {}
    for ttype, spec in style:
        parts = []
        if spec["color"]:
            parts.append(f"color:#{spec['color']}")
        if spec["bgcolor"]:
            parts.append(f"background-color:#{spec['bgcolor']}")
        if spec["bold"]:
            parts.append("font-weight:bold")
        if spec["italic"]:
            parts.append("font-style:italic")
        if spec["underline"]:
            parts.append("text-decoration:underline")
        if parts and ttype in STANDARD_TYPES:
            styles[STANDARD_TYPES[ttype]] = ";".join(parts)
    text_color = style.style_for_token(Token.Text)["color"]
    pre = f"color:#{text_color};" if text_color else ""
    pre += f"background-color:{style.background_color};-moz-tab-size:4;-o-tab-size:4;tab-size:4;"
    return styles, pre


def _style(name: str):
    from pygments.styles import get_style_by_name
    from pygments.util import ClassNotFound

    try:
        return get_style_by_name(name)
    except ClassNotFound:
        return get_style_by_name("monokai")


def _split_lines(lexer: Lexer | None, code: str, tab_width: int) -> list[list[tuple[str, str]]]:
    """(class, text) runs per line; each line keeps its trailing newline as Chroma does."""
    from pygments.token import Token

    code = code.expandtabs(tab_width) if tab_width and "\t" in code and lexer is None else code
    runs = lexer.get_tokens(code) if lexer is not None else [(Token.Text, code)]
    lines: list[list[tuple[str, str]]] = [[]]
    for ttype, value in runs:
        cls = token_class(ttype)
        pieces = value.split("\n")
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            text = piece if last else piece + "\n"
            if text and lines[-1] and lines[-1][-1][0] == cls:
                lines[-1][-1] = (cls, lines[-1][-1][1] + text)  # Chroma coalesces runs
            elif text:
                lines[-1].append((cls, text))
            if not last:
                lines.append([])
    if not lines[-1]:
        lines.pop()
    return lines


def _render_runs(runs: list[tuple[str, str]], inline: dict | None) -> str:
    out = []
    for cls, text in runs:
        if not cls:
            out.append(escape_code(text))
        elif inline is not None:
            style = inline.get(cls)
            out.append(f'<span style="{style}">{escape_code(text)}</span>' if style else escape_code(text))
        else:
            out.append(f'<span class="{cls}">{escape_code(text)}</span>')
    return "".join(out)


def parse_fence_info(info: str) -> tuple[str, dict[str, str]]:
    """`go {linenos=table, hl_lines=[2,"4-5"]}` → ("go", {"linenos": "table", ...})."""
    info = info.strip()
    attrs: dict[str, str] = {}
    match = re.search(r"\{(.*)\}\s*$", info)
    if match:
        info = info[: match.start()].strip()
        for key, value in re.findall(r'([\w-]+)\s*=\s*("[^"]*"|\[[^\]]*\]|[^\s,]+)', match.group(1)):
            attrs[key.lower()] = value.strip('"')
    lang = info.split()[0] if info else ""
    return lang, attrs


def _parse_hl_lines(spec: str) -> tuple[int, ...]:
    lines: list[int] = []
    for part in re.findall(r"\d+(?:-\d+)?", spec):
        low, _, high = part.partition("-")
        lines.extend(range(int(low), int(high or low) + 1))
    return tuple(lines)


def fence_options(base: HighlightOptions, attrs: dict[str, str]) -> HighlightOptions:
    """Apply a fence's `{linenos=… hl_lines=… linenostart=… style=…}` attributes."""
    if not attrs:
        return base
    changes: dict = {}
    if "linenos" in attrs:
        value = attrs["linenos"].lower()
        changes["line_nos"] = value not in ("false", "")
        if value in ("table", "inline"):
            changes["line_numbers_in_table"] = value == "table"
    if "hl_lines" in attrs:
        changes["hl_lines"] = _parse_hl_lines(attrs["hl_lines"])
    if attrs.get("linenostart", "").isdigit():
        changes["line_no_start"] = int(attrs["linenostart"])
    if "style" in attrs:
        changes["style"] = attrs["style"]
    return replace(base, **changes)


def highlight_code(code: str, lang: str, options: HighlightOptions) -> str:
    """Hugo's highlighted HTML for a fenced block (its `lang` may be empty)."""
    lexer = find_lexer(lang) if lang else None
    code = code.rstrip("\n") + "\n"  # Chroma shows no empty last lines
    if lexer is None:
        if not options.guess_syntax:
            data = f' class="language-{escape(lang)}" data-lang="{escape(lang)}"' if lang else ""
            return f'<pre tabindex="0"><code{data}>{escape_code(code)}</code></pre>'
        # Hugo's guessSyntax does not guess: it falls back to plain text, named "fallback".
        lang = "fallback"
    lines = _split_lines(lexer, code, options.tab_width)
    inline = _inline_styles(options.style)[0] if options.no_classes else None
    pre = f'style="{_inline_styles(options.style)[1]}"' if options.no_classes else 'class="chroma"'
    code_attr = f' class="language-{escape(lang)}" data-lang="{escape(lang)}"'
    numbers = range(options.line_no_start, options.line_no_start + len(lines))
    width = len(str(numbers[-1])) if lines else 1
    hl = {options.line_no_start + i - 1 for i in options.hl_lines}
    body = []
    for number, runs in zip(numbers, lines):
        hl_class = " hl" if number in hl else ""
        gutter = ""
        if options.line_nos and not options.line_numbers_in_table:
            gutter = f'<span class="ln">{number:>{width}}</span>'
        body.append(f'<span class="line{hl_class}">{gutter}<span class="cl">{_render_runs(runs, inline)}</span></span>')
    code_html = f"<pre tabindex=\"0\" {pre}><code{code_attr}>{''.join(body)}</code></pre>"
    if not (options.line_nos and options.line_numbers_in_table):
        return f'<div class="highlight">{code_html}</div>'
    gutter = "".join(
        f'<span class="hl"><span class="lnt">{n:>{width}}\n</span></span>' if n in hl
        else f'<span class="lnt">{n:>{width}}\n</span>'
        for n in numbers
    )
    return (
        f'<div class="highlight"><div class="chroma">\n<table class="lntable"><tr><td class="lntd">\n'
        f'<pre tabindex="0" class="chroma"><code>{gutter}</code></pre></td>\n<td class="lntd">\n'
        f"{code_html}</td></tr></table>\n</div>\n</div>"
    )


def highlight_css(style: str = "monokai", dark_style: str | None = None) -> str:
    """Stylesheet for `.chroma` markup; with `dark_style`, a dark variant under prefers-color-scheme."""
    from pygments.formatters import HtmlFormatter

    css = HtmlFormatter(style=_style(style)).get_style_defs(".chroma")
    css += "\n.chroma .lntable{border-spacing:0;padding:0;margin:0;border:0}"
    css += "\n.chroma .lntd{vertical-align:top;padding:0;margin:0;border:0}"
    css += "\n.chroma .lnt,.chroma .ln{white-space:pre;user-select:none;margin-right:.4em;padding:0 .4em;color:#7f7f7f}"
    css += "\n.chroma .line{display:flex}"
    if dark_style:
        dark = HtmlFormatter(style=_style(dark_style)).get_style_defs(".chroma")
        css += "\n@media (prefers-color-scheme: dark) {\n" + dark + "\n}"
    return css + "\n"
