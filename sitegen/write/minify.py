"""`--minify` / `minify = true`: smaller HTML, CSS, JS, XML, JSON and PNG, the page looking the same.

HTML goes through minify-html (spec-compliant settings: `<pre>`, `<textarea>` and code keep
their whitespace, inline scripts and styles are minified by its JS and CSS minifiers; JSON-LD
is re-serialised without spaces). Stand-alone .css and .js files go through the same
minifiers, inside a `<style>` or `<script>` element. XML (feeds, sitemaps) loses the
indentation between elements, and the HTML a feed carries (escaped or in CDATA) becomes
minified HTML in CDATA, with the same settings as pages. JSON is re-serialised without
spaces. PNG images are recompressed losslessly by oxipng: the same pixels, colour chunks
kept. Whatever cannot be minified safely is left as it was.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import minify_html
import oxipng

from sitegen.build.cache import code_fingerprint, digest

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
_INLINE = ("a|abbr|b|bdi|bdo|button|cite|code|data|del|dfn|em|i|img|input|ins|kbd|label|mark|meter|output|"
           "picture|q|s|samp|select|small|span|strong|sub|sup|svg|time|u|var|video|audio|iframe|object|embed|canvas")
_INLINE_GAP = re.compile(rf"(<(?:{_INLINE})\b[^>]*>|</(?:{_INLINE})\s*>)[ \t\r\n]+(?=</?(?:{_INLINE})\b)", re.I)


# minify-html leaves JSON-LD as written; json re-serialises it without spaces, and "<" stays
# escaped so no string can close the script element.
_JSON_LD = re.compile(r'(<script\s+type="?application/ld\+json"?\s*>)(.*?)(</script\s*>)', re.S | re.I)


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
    marked = "".join(piece if index % 3 else _INLINE_GAP.sub(lambda m: m[1] + _SPACE_MARK, piece)
                     for index, piece in enumerate(pieces) if index % 3 != 2)
    minified = minify_html.minify(marked, minify_css=True, minify_js=True, preserve_brace_template_syntax=True)
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
        return wrapped[len(start):-len(end)]
    return original


def minify_xml(text: str) -> str:
    """Drop whitespace between elements outside CDATA and comments; minify CDATA HTML."""
    parts = []
    for index, piece in enumerate(_CDATA.split(text)):
        if index % 2:  # a CDATA section or comment
            if piece.startswith("<![CDATA["):
                inner = piece[9:-3].replace("]]]]><![CDATA[>", "]]>")
                piece = "<![CDATA[" + minify_html_text(inner).replace("]]>", "]]]]><![CDATA[>") + "]]>"
            parts.append(piece)
        else:
            parts.append(_ESCAPED_HTML.sub(_description_as_cdata, _BETWEEN_TAGS.sub("><", piece)))
    return "".join(parts).strip() + "\n"


def _description_as_cdata(match: re.Match) -> str:
    """An RSS <description> holding escaped HTML, as minified HTML in CDATA: the same text
    for every XML parser, without four bytes per escaped angle bracket."""
    inner = html.unescape(match[2])
    if "]]>" in inner:
        return match[0]
    minified = minify_html_text(inner)
    if "]]>" in minified:
        return match[0]
    return f"{match[1]}<![CDATA[{minified}]]>{match[3]}"


def minify_json(text: str) -> str:
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def minify_png(data: bytes) -> bytes:
    """The same image, recompressed losslessly (pixels and colour chunks as they were)."""
    try:
        return oxipng.optimize_from_memory(data)
    except oxipng.PngError:
        return data


MINIFIERS = {".css": minify_css, ".js": minify_js, ".mjs": None, ".xml": minify_xml, ".json": minify_json,
             **{suffix: minify_html_text for suffix in HTML_SUFFIXES}}


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


def minify_site(outputs: dict[str, bytes], copies: list[tuple[Path, str]], cache=None) -> list[tuple[Path, str]]:
    """Minify rendered outputs in place; static .css/.js/.png copies are read, minified and
    moved into `outputs`. Returns the copies left to copy as they are. With a `cache`
    (sitegen.build.cache.BuildCache), a static file is minified once per content, not per build
    (recompressing images is the slow part)."""
    for rel, data in outputs.items():
        outputs[rel] = minify_file(rel, data)
    remaining = []
    done: dict[tuple[str, bytes], bytes] = {}  # a bundle's image published per language is minified once
    settings = code_fingerprint() if cache else ""  # the minifiers' settings live in the code
    for source, rel in copies:
        if Path(rel).suffix.lower() in MINIFIED_COPIES and not rel.endswith(MINIFIED_NAMES) and rel not in outputs:
            data = source.read_bytes()
            key = (Path(rel).suffix.lower(), hashlib.sha256(data).digest())
            if key not in done:
                cache_key = digest(settings, *key)
                done[key] = (cache.get("minified", cache_key, expect=bytes) if cache else None) or minify_file(rel, data)
                if cache:
                    cache.put("minified", cache_key, done[key])
            outputs[rel] = done[key]
        else:
            remaining.append((source, rel))
    return remaining
