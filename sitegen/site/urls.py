"""Hugo's URL rules: path sanitising, permalinks, term URLs, base URL handling."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from urllib.parse import quote, urlsplit

from sitegen.models import Page

_ALLOWED_PUNCTUATION = set("./\\_#+~-@")


@lru_cache(maxsize=65536)
def sanitize_path(text: str) -> str:
    """Hugo's UnicodeSanitize + lowercase: letters, digits and marks stay, spaces become
    one hyphen, other punctuation goes ("What's up?" -> "whats-up", "25.x" stays)."""
    target: list[str] = []
    prepend_hyphen = was_hyphen = False
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        allowed = (
            char in _ALLOWED_PUNCTUATION
            or category[0] in "LM"
            or category == "Nd"
            or (char == "%" and _is_hex(text[index + 1 : index + 3]))
        )
        if allowed:
            was_hyphen = char == "-"
            if prepend_hyphen:
                if not was_hyphen:
                    target.append("-")
                prepend_hyphen = False
            target.append(char)
        elif target and not was_hyphen and char.isspace():
            prepend_hyphen = True
    return "".join(target).lower()


@lru_cache(maxsize=65536)
def path_segment(text: str) -> str:
    """A file, folder or taxonomy term name as a URL path, as Hugo 0.168 makes it: each
    space becomes a hyphen first (not collapsed), then sanitize_path ("my  file" -> "my--file",
    "A & B" -> "a--b"); slugs and titles go through sanitize_path alone ("Foo & Bar" -> "foo-bar")."""
    return sanitize_path(text.replace(" ", "-"))


def _is_hex(pair: str) -> bool:
    return len(pair) == 2 and all(c in "0123456789abcdefABCDEF" for c in pair)


def term_slug(term: str) -> str:
    """A term's URL part: terms that differ only in case or punctuation share it (Hugo
    folds `Drivers` and `drivers`, `A & B` and `a & b` into one term)."""
    return path_segment(term)


def join_url(*parts: str) -> str:
    """Join URL path parts into an absolute path with a trailing slash: ('de','posts') -> /de/posts/."""
    segments = [segment for part in parts for segment in part.split("/") if segment]
    return "/" + "/".join(segments) + "/" if segments else "/"


def base_path(base_url: str) -> str:
    """The path part of baseURL ("https://x.org/blog/" -> "/blog"), prefixed to every URL."""
    return urlsplit(base_url).path.rstrip("/")


def output_path(url: str, root: str = "") -> str:
    """The file a site URL is published as, relative to the output folder, which stands for
    `root` (the base URL's path, `base_path`): ("/blog/posts/x/", "/blog") -> posts/x/index.html,
    "/de/index.xml" -> de/index.xml: a URL ending in a slash names a folder (its index.html),
    any other a file. A `%23` in the URL is the `#` of the folder's name."""
    path = url.replace("%23", "#")
    if root and (path == root or path.startswith(root + "/")):
        path = path[len(root) :]
    path = path.lstrip("/")
    return path if path and not path.endswith("/") else path + "index.html"


def absolute_url(base_url: str, rel_permalink: str) -> str:
    """Permalink from baseURL's scheme and host plus an already prefixed relative URL."""
    parts = urlsplit(base_url)
    if not parts.scheme:
        return rel_permalink
    return f"{parts.scheme}://{parts.netloc}{rel_permalink}"


def encode_url(url: str) -> str:
    """Percent-encode non-ASCII path characters for href attributes, as Hugo links terms."""
    return quote(url, safe="/:#?&=%@+~.,;!$'()*-_")


def expand_permalink(pattern: str, page: Page) -> str:
    """Expand a Hugo permalink pattern such as /:year/:month/:slug/ for a page."""
    date = page.date
    name = _content_basename(page)
    values = {
        ":year": f"{date.year:04d}" if date else "",
        ":month": f"{date.month:02d}" if date else "",
        ":monthname": date.strftime("%B").lower() if date else "",
        ":day": f"{date.day:02d}" if date else "",
        ":weekday": str(date.isoweekday() % 7) if date else "",
        ":yearday": str(date.timetuple().tm_yday) if date else "",
        ":section": page.section,
        ":sections": "/".join(
            path_segment(part) for part in (page.section_path or page.section).split("/")
        ),
        ":title": sanitize_path(page.title),
        ":slug": sanitize_path(page.slug) if page.slug else sanitize_path(page.title),
        ":filename": name,
        ":contentbasename": name,
        ":slugorfilename": sanitize_path(page.slug) if page.slug else name,
        ":slugorcontentbasename": sanitize_path(page.slug) if page.slug else name,
    }
    result = pattern
    for token in sorted(values, key=len, reverse=True):
        result = result.replace(token, values[token])
    return result


def _content_basename(page: Page) -> str:
    source = page.source
    if source is None:
        return ""
    if source.bundle:
        return path_segment(source.rel.parent.name)
    return path_segment(source.stem or source.rel.name.split(".", 1)[0])


def content_path(page: Page, folder_slugs: dict[str, str] | None = None) -> str:
    """The path Hugo derives from the file's place: the bundle folder, or folder + file stem;
    a front matter slug replaces the last element, and a section's slug (`folder_slugs`,
    by folder) its folder's element in its own path and in every path below it."""
    source = page.source
    assert source is not None
    folders = source.rel.parent.parts
    slugs = folder_slugs or {}
    parts = [
        slugs.get("/".join(folders[: n + 1])) or path_segment(part)
        for n, part in enumerate(folders)
    ]
    if source.bundle == "":
        parts.append(path_segment(source.stem or source.rel.name.split(".", 1)[0]))
    if page.slug and parts and source.bundle != "branch":
        parts[-1] = sanitize_path(page.slug)
    return "/".join(parts)
