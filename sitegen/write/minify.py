"""`--minify` / `minify = true`: smaller HTML, CSS, JS, XML, JSON and PNG, the page looking the same.

HTML goes through minify-html (spec-compliant settings: `<pre>`, `<textarea>` and code keep
their whitespace, inline scripts and styles are minified by its JS and CSS minifiers; JSON-LD
is re-serialised without spaces). Stand-alone .css and .js files go through the same
minifiers, inside a `<style>` or `<script>` element. XML (feeds, sitemaps) loses the
indentation between elements, and the HTML a feed carries (escaped or in CDATA) becomes
minified HTML in CDATA, with the same settings as pages. JSON is re-serialised without
spaces. PNG images are recompressed losslessly by oxipng: the same pixels, colour chunks
kept, with its quickest settings (see minify_png). Whatever cannot be minified safely is
left as it was.

Rendered files are minified as they are staged (`write.output.StagedOutputs` with
`minify=True`: in the render workers of a parallel build); `minify_rendered` does whatever
was rendered into memory, and `minify_files` the static copies (sitegen.build.minify_stage
minifies them beside the render and keeps their results in the build cache).
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

import minify_html
import oxipng

HTML_SUFFIXES = (".html", ".htm")
MINIFIED_NAMES = (".min.js", ".min.css")
_CDATA = re.compile(r"(<!\[CDATA\[.*?\]\]>|<!--.*?-->)", re.S)
_BETWEEN_TAGS = re.compile(r">\s+<")
_ESCAPED_HTML = re.compile(r"(<description>)([^<]*&lt;[^<]*)(</description>)")


# minify-html drops whitespace-only text between the children of block elements (div, li,
# td, ...). Between two inline elements (images in a row, links) that space is visible, so
# it is kept: marked with a template placeholder the minifier leaves alone, then restored.
_SPACE_MARK = "{#sitegen-space#}"
_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
_INLINE = frozenset(
    "a abbr b bdi bdo button cite code data del dfn em i img input ins kbd label mark meter output "
    "picture q s samp select small span strong sub sup svg time u var video audio iframe object embed "
    "canvas".split()
)
# Any tag followed by white space and another tag; whether both are inline is checked after
# (one pattern with every inline name in it tries each name at every "<": slower).
_TAG_GAP = re.compile(
    r"(<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|</([a-zA-Z][a-zA-Z0-9]*)\s*>)[ \t\r\n]+"
    r"(?=</?([a-zA-Z][a-zA-Z0-9]*)\b)"
)


def _mark_inline_gap(match: re.Match) -> str:
    if (match[2] or match[3]).lower() in _INLINE and match[4].lower() in _INLINE:
        return match[1] + _SPACE_MARK
    return match[0]


# minify-html leaves JSON-LD as written; json re-serialises it without spaces, and "<" stays
# escaped so no string can close the script element.
_JSON_LD = re.compile(
    r'(<script\s+type="?application/ld\+json"?\s*>)(.*?)(</script\s*>)', re.S | re.I
)


def _compact_json_ld(match: re.Match) -> str:
    try:
        value = json.loads(match[2])
    except ValueError:
        return match[0]
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return match[1] + compact + match[3]


def minify_html_text(text: str) -> str:
    text = _JSON_LD.sub(_compact_json_ld, text)
    if _SPACE_MARK in text:
        return minify_html.minify(text, minify_css=True, minify_js=True)
    pieces = _VERBATIM.split(text)
    marked = "".join(
        piece if index % 3 else _TAG_GAP.sub(_mark_inline_gap, piece)
        for index, piece in enumerate(pieces)
        if index % 3 != 2
    )
    minified = minify_html.minify(
        marked, minify_css=True, minify_js=True, preserve_brace_template_syntax=True
    )
    return minified.replace(_SPACE_MARK, " ")


def minify_css(text: str) -> str:
    if "</style" in text.lower():
        return text
    wrapped = minify_html.minify(f"<style>{text}</style>", minify_css=True)
    return _unwrap(wrapped, "<style>", "</style>", text)


def minify_js(text: str) -> str:
    if "</script" in text.lower() or re.search(r"^\s*(import|export)\b", text, re.M):
        return text  # modules and scripts mentioning </script stay as written
    wrapped = minify_html.minify(f"<script>{text}</script>", minify_js=True)
    return _unwrap(wrapped, "<script>", "</script>", text)


def _unwrap(wrapped: str, start: str, end: str, original: str) -> str:
    if wrapped.startswith(start) and wrapped.endswith(end):
        return wrapped[len(start) : -len(end)]
    return original


def minify_xml(text: str) -> str:
    """Drop whitespace between elements outside CDATA and comments; minify CDATA HTML."""
    parts = []
    for index, piece in enumerate(_CDATA.split(text)):
        if index % 2:  # a CDATA section or comment
            if piece.startswith("<![CDATA["):
                inner = piece[9:-3].replace("]]]]><![CDATA[>", "]]>")
                piece = "<![CDATA[" + _feed_html(inner).replace("]]>", "]]]]><![CDATA[>") + "]]>"
            parts.append(piece)
        else:
            parts.append(_ESCAPED_HTML.sub(_description_as_cdata, _BETWEEN_TAGS.sub("><", piece)))
    return "".join(parts).strip() + "\n"


@lru_cache(maxsize=256)
def _feed_html(text: str) -> str:
    """minify_html_text of an item's HTML, once per build: a post's content or summary is an
    item of the home feed, its section's and every term's it has."""
    return minify_html_text(text)


def _description_as_cdata(match: re.Match) -> str:
    """An RSS <description> holding escaped HTML, as minified HTML in CDATA: the same text
    for every XML parser, without four bytes per escaped angle bracket."""
    inner = _unescape(match[2])
    if "]]>" in inner:
        return match[0]
    minified = _feed_html(inner)
    if "]]>" in minified:
        return match[0]
    return f"{match[1]}<![CDATA[{minified}]]>{match[3]}"


def _unescape(text: str) -> str:
    """html.unescape of a feed's escaped HTML. Where every "&" starts "&lt;", "&gt;" or "&amp;"
    (sitegen's feeds escape exactly those three), replacing them, "&amp;" last, gives the same
    text without a Python call per entity, which is most of minifying a release feed."""
    ampersands = text.count("&")
    if ampersands != text.count("&lt;") + text.count("&gt;") + text.count("&amp;"):
        return html.unescape(text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def minify_json(text: str) -> str:
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def minify_png(data: bytes) -> bytes:
    """The same image, recompressed losslessly (pixels and colour chunks as they were).

    oxipng's quickest preset, rows left unfiltered and libdeflate at level 8: the savings
    come mostly from its colour-type, palette and bit-depth reductions, which it still
    makes, while its default preset's filter and compression trials cost many times the
    CPU for a few per cent more (benchmarks/README.md has the figures)."""
    try:
        return oxipng.optimize_from_memory(
            data, level=0, filter=[oxipng.RowFilter.NoOp], deflate=oxipng.Deflaters.libdeflater(8)
        )
    except oxipng.PngError:
        return data


MINIFIERS = {
    ".css": minify_css,
    ".js": minify_js,
    ".mjs": None,
    ".xml": minify_xml,
    ".json": minify_json,
    **{suffix: minify_html_text for suffix in HTML_SUFFIXES},
}


BINARY_MINIFIERS = {".png": minify_png}
MINIFIED_COPIES = (".css", ".js", *BINARY_MINIFIERS)


def minify_file(rel: str, data: bytes) -> bytes:
    """One output file, chosen by its name; files of other kinds come back unchanged."""
    suffix = Path(rel).suffix.lower()
    if suffix in BINARY_MINIFIERS:
        smaller = BINARY_MINIFIERS[suffix](data)
        return smaller if len(smaller) < len(data) else data
    minifier = MINIFIERS.get(suffix)
    if minifier is None or rel.endswith(MINIFIED_NAMES):
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    smaller = minifier(text).encode("utf-8")
    return smaller if len(smaller) < len(data) else data


def minify_rendered(outputs: dict[str, bytes]) -> Callable[[str, bytes], None]:
    """Minify rendered outputs in place (unless they were minified as they were staged);
    returns how to put a file that is minified already."""
    if getattr(outputs, "minified", False):  # sitegen.write.output.StagedOutputs(minify=True)
        for rel in sorted(outputs.unminified):
            outputs[rel] = outputs[rel]  # setting a file minifies it
        outputs.unminified.clear()
        return outputs.put_prepared
    for rel, data in outputs.items():
        outputs[rel] = minify_file(rel, data)
    return outputs.__setitem__


def copy_to_minify(rel: str) -> bool:
    """Whether a static copy is minified: .css, .js or .png, not minified already."""
    return Path(rel).suffix.lower() in MINIFIED_COPIES and not rel.endswith(MINIFIED_NAMES)


def copies_to_minify(
    copies: list[tuple[Path, str]], outputs: dict[str, bytes]
) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
    """The static copies to minify (copy_to_minify, and not rendered over), and those to
    copy as they are."""
    chosen, remaining = [], []
    for source, rel in copies:
        if copy_to_minify(rel) and rel not in outputs:
            chosen.append((source, rel))
        else:
            remaining.append((source, rel))
    return chosen, remaining


def minify_files(files: list[tuple[str, bytes]]) -> list[bytes]:
    """minify_file of each (relpath, bytes). In one thread: neither oxipng nor minify-html lets
    go of the interpreter, so threads took as long (0.143 s against 0.147 s for the mailcow
    blog's PNGs)."""
    return [minify_file(rel, data) for rel, data in files]
