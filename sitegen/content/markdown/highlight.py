"""Code highlighted by Pygments in the markup Hugo's Chroma writes, for code fences and the
`highlight` shortcode alike (one highlighter, one reading of `markup.highlight`).

Hugo (`markup.highlight`) wraps code in `<div class="highlight"><pre tabindex="0"
class="chroma"><code class="language-go" data-lang="go">`, one
`<span class="line"><span class="cl">…</span></span>` per line, and with `lineNos` +
`lineNumbersInTable` a two-cell `lntable`. Pygments' short token class names are the
ones Chroma uses, so a Chroma stylesheet styles both; with `noClasses` (Hugo's default) every
part carries Chroma's inline styles instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING, Any, Mapping

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
    anchor_line_nos: bool = False  # line numbers are links to themselves
    line_anchors: str = ""  # the prefix of those links' ids (Hugo's default: hl-ORDINAL for fences)
    line_no_start: int = 1
    hl_lines: tuple[int, ...] = ()

    @classmethod
    def from_config(cls, table: Mapping[str, Any]) -> HighlightOptions:
        """The config's `[markup.highlight]` table (Hugo's key names, in any case)."""
        return with_options(cls(), table)


# Option names as Hugo spells them anywhere (config keys, fence attributes, the highlight
# shortcode's "k=v,…" string), lowercased without underscores, and what each sets.
_FLAGS = {
    "codefences": "code_fences",
    "guesssyntax": "guess_syntax",
    "noclasses": "no_classes",
    "linenumbersintable": "line_numbers_in_table",
    "anchorlinenos": "anchor_line_nos",
}
_NUMBERS = {"tabwidth": "tab_width", "linenostart": "line_no_start"}
_TEXTS = {"style": "style", "lineanchors": "line_anchors"}


def with_options(base: HighlightOptions, options: Mapping[str, Any]) -> HighlightOptions:
    """`base` with Hugo's highlight options applied: `linenos` (true, false, table, inline),
    `hl_lines` ("2 4-5", [2, "4-5"]), `linenostart`, `anchorlinenos`, `lineanchors`, `style`,
    `noclasses`, `tabwidth`, `linenumbersintable`. Unknown names are ignored, as in Hugo."""
    changes: dict[str, Any] = {}
    for key, value in options.items():
        name = str(key).lower().replace("_", "")
        if name == "linenos":
            text = str(value).strip().lower()
            changes["line_nos"] = _flag(value)
            if text in ("table", "inline"):
                changes["line_numbers_in_table"] = text == "table"
        elif name == "hllines":
            changes["hl_lines"] = parse_line_ranges(value)
        elif name in _FLAGS:
            changes[_FLAGS[name]] = _flag(value)
        elif name in _NUMBERS and str(value).strip().isdigit():
            changes[_NUMBERS[name]] = int(str(value).strip())
        elif name in _TEXTS:
            changes[_TEXTS[name]] = str(value).strip()
    return replace(base, **changes) if changes else base


def _flag(value: Any) -> bool:
    return (
        value
        if isinstance(value, bool)
        else str(value).strip().lower() not in ("false", "", "0", "no")
    )


def parse_line_ranges(value: Any) -> tuple[int, ...]:
    """Line numbers from Hugo's `hl_lines`: "2 4-5", "[2,\"4-5\"]" or a list [2, "4-5"]."""
    spec = " ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    lines: list[int] = []
    for part in re.findall(r"\d+(?:-\d+)?", spec):
        low, _, high = part.partition("-")
        lines.extend(range(int(low), int(high or low) + 1))
    return tuple(lines)


def parse_option_string(spec: str) -> dict[str, str]:
    """The highlight shortcode's options, `linenos=table,hl_lines=2 4-5` (commas between
    options, spaces inside a value), as Hugo splits them."""
    options = {}
    for item in spec.split(","):
        key, sep, value = item.partition("=")
        if sep and key.strip():
            options[key.strip().lower()] = value.strip()
    return options


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
def _inline_styles(style_name: str) -> tuple[dict[str, str], str, str]:
    """For noClasses=true: each token class's inline CSS (none where it looks like plain
    text, as Chroma leaves such tokens unwrapped), the code's colours, the highlight colour."""
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
    plain = styles.get("", "")
    styles = {cls: css for cls, css in styles.items() if css != plain}
    text_color = style.style_for_token(Token.Text)["color"]
    colours = (
        f"color:#{text_color};" if text_color else ""
    ) + f"background-color:{style.background_color};"
    return styles, colours, style.highlight_color


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
            out.append(
                f'<span style="{style}">{escape_code(text)}</span>' if style else escape_code(text)
            )
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
        for key, value in re.findall(
            r'([\w-]+)\s*=\s*("[^"]*"|\[[^\]]*\]|[^\s,]+)', match.group(1)
        ):
            attrs[key.lower()] = value.strip('"')
    lang = info.split()[0] if info else ""
    return lang, attrs


def highlight_code(
    code: str, lang: str, options: HighlightOptions, ordinal: int | None = None
) -> str:
    """Hugo's highlighted HTML for a block of code (its `lang` may be empty). `ordinal` is the
    block's number among the page's code fences, which names its line anchors as Hugo does
    (`hl-0-1`); code from the highlight shortcode has none. Code that does not end in a
    newline (the shortcode's inner text, trimmed by its template as Hugo's is) ends without."""
    ends_in_newline = code.endswith("\n")
    code = code.rstrip("\n") + "\n"  # Chroma shows no empty last lines
    lexer = find_lexer(lang) if lang else None
    if lexer is None:
        if not options.guess_syntax:
            data = f' class="language-{escape(lang)}" data-lang="{escape(lang)}"' if lang else ""
            text = code if ends_in_newline else code[:-1]
            return f'<pre tabindex="0"><code{data}>{escape_code(text)}</code></pre>'
        # Hugo's guessSyntax does not guess: it falls back to plain text, named "fallback".
        lang = "fallback"
    lines = _split_lines(lexer, code, options.tab_width)
    if not ends_in_newline:
        _drop_last_newline(lines)
    look = _look(options.no_classes, options.style, options.tab_width, bool(options.hl_lines))
    numbers = range(options.line_no_start, options.line_no_start + len(lines))
    width = len(str(numbers[-1])) if lines else 1
    hl = {options.line_no_start + i - 1 for i in options.hl_lines}
    anchors = _anchor_prefix(options, ordinal)
    in_table = options.line_nos and options.line_numbers_in_table
    body = []
    for number, runs in zip(numbers, lines):
        gutter = (
            _line_number(look, f"{number:>{width}}", number, anchors)
            if options.line_nos and not in_table
            else ""
        )
        body.append(
            f"<span{look.hl_line if number in hl else look.line}>{gutter}"
            f"<span{look.cell}>{_render_runs(runs, look.tokens)}</span></span>"
        )
    code_attr = f' class="language-{escape(lang)}" data-lang="{escape(lang)}"'
    code_html = f'<pre tabindex="0"{look.pre}><code{code_attr}>{"".join(body)}</code></pre>'
    if not in_table:
        return f'<div class="highlight">{code_html}</div>'
    gutter = "".join(
        f"<span{look.hl_number}>{_line_number(look, f'{n:>{width}}', n, anchors, True)}</span>"
        if n in hl
        else _line_number(look, f"{n:>{width}}", n, anchors, True)
        for n in numbers
    )
    return (
        f'<div class="highlight"><div{look.wrapper}>\n<table{look.table}><tr><td{look.td}>\n'
        f'<pre tabindex="0"{look.pre}><code>{gutter}</code></pre></td>\n<td{look.code_td}>\n'
        f"{code_html}</td></tr></table>\n</div>\n</div>"
    )


@dataclass(frozen=True)
class _Look:
    """The attributes that mark each part of a block: classes a stylesheet styles
    (noClasses=false), or Chroma's inline styles."""

    pre: str
    line: str
    hl_line: str
    cell: str
    inline_number: str
    table_number: str
    link: str
    hl_number: str
    wrapper: str
    table: str
    td: str
    code_td: str
    tokens: dict[str, str] | None  # inline CSS per token class; None: classes


_NUMBER_STYLE = "white-space:pre;-webkit-user-select:none;user-select:none;margin-right:0.4em;padding:0 0.4em 0 0.4em;color:#7f7f7f"
_CELL_STYLE = "vertical-align:top;padding:0;margin:0;border:0;"


@lru_cache(maxsize=32)
def _look(no_classes: bool, style: str, tab_width: int, grid: bool) -> _Look:
    if not no_classes:
        return _Look(
            ' class="chroma"',
            ' class="line"',
            ' class="line hl"',
            ' class="cl"',
            ' class="ln"',
            ' class="lnt"',
            ' class="lnlinks"',
            ' class="hl"',
            ' class="chroma"',
            ' class="lntable"',
            ' class="lntd"',
            ' class="lntd"',
            None,
        )
    tokens, colours, highlight = _inline_styles(style)
    tabs = f"-moz-tab-size:{tab_width};-o-tab-size:{tab_width};tab-size:{tab_width};-webkit-text-size-adjust:none;"
    block = (
        colours + tabs + ("display:grid;" if grid else "")
    )  # highlighted lines span the whole width
    return _Look(
        f' style="{block}"',
        ' style="display:flex;"',
        f' style="display:flex; background-color:{highlight}"',
        "",
        f' style="{_NUMBER_STYLE}"',
        f' style="{_NUMBER_STYLE}"',
        ' style="outline:none;text-decoration:none;color:inherit"',
        f' style="background-color:{highlight}"',
        f' style="{block}"',
        ' style="border-spacing:0;padding:0;margin:0;border:0;"',
        f' style="{_CELL_STYLE}"',
        f' style="{_CELL_STYLE};width:100%"',
        tokens,
    )


def highlight_shortcode(
    code: str, lang: str, options: str | Mapping[str, Any], base: HighlightOptions
) -> str:
    """Hugo's `highlight` shortcode and function: `base` (the site's `markup.highlight`) with
    the call's options, a `linenos=table,hl_lines=2 4-5` string or a mapping."""
    given = parse_option_string(options) if isinstance(options, str) else options
    return highlight_code(code, lang, with_options(base, given))


def _anchor_prefix(options: HighlightOptions, ordinal: int | None) -> str | None:
    """The id prefix of linked line numbers (None: not linked)."""
    if not (options.line_nos and options.anchor_line_nos):
        return None
    return options.line_anchors or (f"hl-{ordinal}" if ordinal is not None else "")


def _line_number(
    look: _Look, shown: str, number: int, anchors: str | None, in_table: bool = False
) -> str:
    """One line number, a link to itself when anchored; in the table's gutter with its newline."""
    marks, newline = (look.table_number, "\n") if in_table else (look.inline_number, "")
    if anchors is None:
        return f"<span{marks}>{shown}{newline}</span>"
    anchor = f"{anchors}-{number}" if anchors else str(number)
    return f'<span{marks} id="{anchor}"><a{look.link} href="#{anchor}">{shown}</a>{newline}</span>'


def _drop_last_newline(lines: list[list[tuple[str, str]]]) -> None:
    """Remove the newline the lexer ends the last line with (and a run it leaves empty)."""
    if not lines or not lines[-1]:
        return
    cls, text = lines[-1][-1]
    if text.endswith("\n"):
        if text == "\n":
            lines[-1].pop()
        else:
            lines[-1][-1] = (cls, text[:-1])
