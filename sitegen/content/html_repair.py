"""Make rendered HTML valid and accessible without changing what a reader sees.

Hugo sites carry Markdown and config written for a theme that never ran the Nu Html
Checker: headings that skip levels, raw `<img>` without `alt`, `mailto:` links with spaces,
unclosed tags in config snippets. These pure functions fix such markup after rendering.

They edit the HTML in place, tag by tag: only the tags that need a fix are rewritten and
every other byte stays as the Markdown renderer wrote it (so comparisons with Hugo keep
working). Python's `html.parser` finds the tags (it knows comments, `<script>` and
attribute quoting); a cheap pre-check skips the parse when there is nothing to fix, as
there is on most pages. Config snippets are balanced and sanitised by `nh3` (ammonia).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import nh3
from markupsafe import Markup

from sitegen.content.html_tags import (
    HEADINGS,
    Tag,
    apply_edits,
    heading_pairs,
    heading_tags,
    retag,
    scan_tags,
    start_tag,
)
from sitegen.content.html_text import NO_END_TAG
from sitegen.safe.urls import allowed_url

__all__ = [
    "clean_config_html",
    "images_without_alt",
    "repair_outline",
    "repair_raw_html",
    "summary_for_list",
]

# Pre-checks: a regex over the raw string, cheaper than parsing, deciding whether to parse.
_HEADING_OPEN = re.compile(r"<h([1-6])[\s>/]", re.IGNORECASE)
_UNSURE_CONTEXT = re.compile(r"<!--|<script|<style|<textarea|<title|<xmp", re.IGNORECASE)
_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\salt\s*=)", re.IGNORECASE)
_LINK_TAG = re.compile(r"<(/?)a[\s>]", re.IGNORECASE)
_NAMED_LINK = re.compile(r"<a\s[^>]*\bname\s*=", re.IGNORECASE)
_BAD_URL_VALUE = re.compile(
    r"""\s(?:href|src)\s*=\s*(?:"[^"]*[\s|^`{}<>][^"]*"|'[^']*[\s|^`{}<>"][^']*')""", re.IGNORECASE
)
_SUMMARY_SUSPECTS = re.compile(
    r"<h[1-6][\s>]|\sid\s*=|<a\s[^>]*\bname\s*=|\s(?:href|src)\s*=\s*[\"']?(?![a-z][a-z0-9+.-]*:|/)",
    re.IGNORECASE,
)
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
# Elements whose end tag the parser implies (closing their parent closes them): like those
# that take none (NO_END_TAG), they need no closing at the end of a summary.
_END_IMPLIED = {
    "p",
    "li",
    "dt",
    "dd",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "tfoot",
    "option",
    "optgroup",
    "rt",
    "rp",
    "colgroup",
}
# Characters a URL may not hold (the checker reports them); percent-encoding them keeps
# the link's meaning. A backslash is left alone: browsers read it as `/`.
_URL_ILLEGAL = re.compile(r"[\s|^`{}<>\"]")
_URL_ATTRS = {"href", "src", "action", "cite", "poster", "formaction"}


# ---------------------------------------------------------------- outline


def outline_levels(levels: list[int], top_level: int = 2) -> list[int]:
    """New heading levels, in order, such that none skips a level.

    The rule: a heading's parent is the nearest earlier heading with a smaller level as
    written. A heading with a parent sits one level below it; one without a parent sits at
    `top_level` (below the page's `<h1>` title), or stays where it is if written higher
    (an `# h1` in the content stays h1). Headings only ever move up, siblings stay
    siblings: `### a, ##### b, #### c, ## d` -> h2, h3, h3, h2.
    """
    result: list[int] = []
    stack: list[tuple[int, int]] = []  # (level as written, new level) of open ancestors
    for level in levels:
        while stack and stack[-1][0] >= level:
            stack.pop()
        new = min(stack[-1][1] + 1, 6) if stack else min(level, top_level)
        stack.append((level, new))
        result.append(new)
    return result


def repair_outline(html: str, top_level: int = 2) -> str:
    """Re-level the headings of post content so that none skips a level (see
    `outline_levels`), keeping each heading's attributes (id, class) and inner HTML, so
    `#id` links and the TOC keep working. Use on a page's content, which sits under the
    page's `<h1>`."""
    found = [int(level) for level in _HEADING_OPEN.findall(html)]
    if not found:
        return html
    if outline_levels(found, top_level) == found and not _UNSURE_CONTEXT.search(html):
        return html
    pairs = heading_pairs(scan_tags(html) if _UNSURE_CONTEXT.search(html) else heading_tags(html))
    written = [int(start.name[1]) for start, _ in pairs]
    edits = []
    for (start, end), old, new in zip(pairs, written, outline_levels(written, top_level)):
        if new != old:
            edits.append((start.start, start.end, retag(start, f"h{new}")))
            if end is not None:
                edits.append((end.start, end.end, retag(end, f"h{new}")))
    return apply_edits(html, edits)


# ---------------------------------------------------------------- summaries on list pages


def summary_for_list(html: str, page_url: str = "") -> str:
    """A post's summary made fit to stand with many others on one list page.

    Headings become `<p><strong>…</strong></p>` (the list's article titles are the
    headings there), every `id` is removed (so summaries repeat no id) and an `<a name>`
    loses its name. Links to a fragment of the post (`#fn:1`, `#setup`) and relative
    URLs (`![](cover.png)` in a bundle) would point into the list page: with `page_url`
    (the post's URL) they point into the post instead.
    """
    if not _SUMMARY_SUSPECTS.search(html) and not _may_be_unbalanced(html):
        return html
    tags = scan_tags(html)
    edits = []
    for tag in tags:
        if tag.name in HEADINGS:
            text = (
                "<p><strong>"
                if tag.kind == "start"
                else "</strong></p>"
                if tag.kind == "end"
                else ""
            )
            edits.append((tag.start, tag.end, text))
            continue
        if tag.kind == "end":
            continue
        attrs = [
            (name, value)
            for name, value in tag.attrs
            if name != "id" and not (tag.name == "a" and name == "name")
        ]
        if page_url:
            attrs = [
                (name, _from_post(page_url, value) if name in _URL_ATTRS and value else value)
                for name, value in attrs
            ]
        if attrs != tag.attrs:
            edits.append((tag.start, tag.end, start_tag(tag, attrs)))
    return apply_edits(html, edits) + _missing_end_tags(tags)


def _from_post(page_url: str, value: str) -> str:
    """A URL written in a post, as seen from another page: `#x` and `cover.png` resolved
    against the post's URL; absolute URLs, `/paths` and `mailto:` stay."""
    if value.startswith(("/", "?")) or urlsplit(value).scheme:
        return value
    return urljoin(page_url, value)


def _may_be_unbalanced(html: str) -> bool:
    """Cheap test: does some element open more often than it closes?"""
    opened: dict[str, int] = {}
    for slash, name in _TAG_NAME.findall(html):
        name = name.lower()
        if name not in NO_END_TAG and name not in _END_IMPLIED:
            opened[name] = opened.get(name, 0) + (-1 if slash else 1)
    return any(count > 0 for count in opened.values())


def _missing_end_tags(tags: list[Tag]) -> str:
    """End tags for the elements still open at the end (a summary cut inside an
    admonition's `<details>`), innermost first."""
    stack: list[str] = []
    for tag in tags:
        if tag.kind == "start" and tag.name not in NO_END_TAG and tag.name not in _END_IMPLIED:
            stack.append(tag.name)
        elif tag.kind == "end" and tag.name in stack:
            while stack.pop() != tag.name:
                pass
    return "".join(
        "</strong></p>" if name in HEADINGS else f"</{name}>" for name in reversed(stack)
    )


# ---------------------------------------------------------------- raw HTML in posts


def images_without_alt(html: str) -> list[str]:
    """The `src` of every `<img>` without `alt`: worth a build warning asking the author
    for real alternative text (call before `repair_raw_html`, which fills it in)."""
    if not re.search(r"<img\b(?![^>]*\salt\s*=)", html, re.IGNORECASE):
        return []
    return [
        dict(tag.attrs).get("src") or ""
        for tag in scan_tags(html)
        if tag.name == "img" and tag.kind != "end" and "alt" not in dict(tag.attrs)
    ]


def alt_text_for(attrs: dict[str, str | None]) -> str:
    """Alternative text for an image whose author gave none.

    The author's own words come first: the `title`. A decorative image (role
    presentation/none, aria-hidden) gets `alt=""`. Else the file name, made readable
    (`images/sso_keycloak13.png` -> "sso keycloak13"): an image in a post almost always
    carries content (screenshots here), and `alt=""` would hide from screen-reader users
    that there is anything to see at all; the readable name tells them an image is there
    and roughly what it is, where assistive technology would otherwise spell out the raw
    file name or say "unlabelled image". It is no real description: sitegen warns about
    these images (`images_without_alt`) so the author can write one.
    """
    title = (attrs.get("title") or "").strip()
    if title:
        return title
    if (attrs.get("role") or "").strip() in ("presentation", "none") or attrs.get(
        "aria-hidden"
    ) == "true":
        return ""
    path = unquote(urlsplit((attrs.get("src") or "").strip()).path)
    stem = PurePosixPath(path).stem
    return re.sub(r"[\s_\-.+]+", " ", stem).strip()


def _fix_url(value: str) -> str:
    value = value.strip()
    return _URL_ILLEGAL.sub(lambda m: "".join(f"%{byte:02X}" for byte in m.group().encode()), value)


def _repaired_attrs(tag: Tag) -> list[tuple[str, str | None]]:
    attrs = list(tag.attrs)
    names = {name for name, _ in attrs}
    if tag.name == "a" and "name" in names:
        # `<a name>` is obsolete: the same anchor as an id, unless the tag has one.
        attrs = [
            ("id", value) if name == "name" and "id" not in names else (name, value)
            for name, value in attrs
            if not (name == "name" and "id" in names)
        ]
    return [
        (
            name,
            _fix_url(value)
            if name in _URL_ATTRS and value and _URL_ILLEGAL.search(value.strip())
            else value,
        )
        for name, value in attrs
    ]


def _raw_html_needs_repair(html: str) -> bool:
    """Cheap pre-check (regexes, no parse) for `repair_raw_html`."""
    if "<img" in html and _IMG_WITHOUT_ALT.search(html):
        return True
    if "<a" in html:
        depth = 0
        for slash in _LINK_TAG.findall(html):
            depth = max(depth - 1, 0) if slash else depth + 1
            if depth > 1:
                return True
        if _NAMED_LINK.search(html):
            return True
    return bool(_BAD_URL_VALUE.search(html))


def repair_raw_html(html: str) -> str:
    """Fix what authors' raw HTML (`unsafe = true`) gets wrong, invisibly to readers:
    `<img>` without `alt` gets one (see `alt_text_for`); an `<a>` inside an `<a>` loses its
    inner tags (the outer, the author's, stays; browsers would close it instead); spaces and
    other illegal characters in `href`/`src` are percent-encoded (`mailto:…?subject=A B`
    works the same as `A%20B`); `<a name="x">` becomes `<a id="x">`."""
    if not _raw_html_needs_repair(html):
        return html
    edits = []
    link_depth, dropped_ends = 0, 0
    for tag in scan_tags(html):
        if tag.name == "a" and tag.kind == "end":
            if dropped_ends:
                dropped_ends -= 1
                edits.append((tag.start, tag.end, ""))
            link_depth = max(link_depth - 1, 0)
            continue
        if tag.kind == "end":
            continue
        if tag.name == "a" and tag.kind == "start":
            link_depth += 1
            if link_depth > 1:
                dropped_ends += 1
                edits.append((tag.start, tag.end, ""))
                continue
        attrs = _repaired_attrs(tag)
        if tag.name == "img" and "alt" not in dict(attrs):
            attrs.insert(0, ("alt", alt_text_for(dict(attrs))))
        if attrs != tag.attrs:
            edits.append((tag.start, tag.end, start_tag(tag, attrs)))
    return apply_edits(html, edits)


# ---------------------------------------------------------------- HTML from the config

_CONFIG_TAGS = nh3.ALLOWED_TAGS | {"i", "span", "small", "img", "abbr", "time", "br", "u", "s"}
_CONFIG_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"class", "title", "lang", "dir", "style", "aria-label", "aria-hidden", "role"},
    "a": {"href", "hreflang", "rel", "target", "title"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "time": {"datetime"},
}


@lru_cache(maxsize=256)
def clean_config_html(snippet: str | None) -> Markup:
    """An HTML snippet from the site config (`params.footer.license`, `icp`, header and
    menu `pre`/`post`) made safe to insert into every page: unclosed tags are closed,
    unknown tags and event-handler attributes dropped, `javascript:` URLs removed. The
    author's `rel` on links is kept as written."""
    if not snippet:
        return Markup("")
    return Markup(
        nh3.clean(
            str(snippet),
            tags=_CONFIG_TAGS,
            attributes=_CONFIG_ATTRIBUTES,
            link_rel=None,
            attribute_filter=_url_attribute,
        )
    )


def _url_attribute(element: str, attribute: str, value: str) -> str | None:
    """Links and images in config HTML pass the check Markdown links pass."""
    return value if attribute not in ("href", "src") or allowed_url(value) else None
