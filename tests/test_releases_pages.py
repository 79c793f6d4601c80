"""Pages for the release tests, rendered by sitegen's Markdown stage alone.

The release functions take rendered pages (headings + HTML); this module makes such pages
from Markdown files without the rest of the build, and checks its ids against Hugo's rules.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path, PurePosixPath

import frontmatter

from sitegen.content.markdown.parser import MarkdownOptions, render_markdown
from sitegen.models import Heading, Page, Rendered, SourceFile, pack_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "mailcow-blog"
SEED = SHARED / "seed" / "000_7e6f5bbde1a89b62.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "releases"
BASE_URL = "https://mailcow.email"

# The real Markdown stage, as the corpus configures it (Hugo's ids, raw HTML, linkify).
_OPTIONS = MarkdownOptions(unsafe=True)


def render(body: str, body_line: int = 1) -> tuple[str, list[Heading]]:
    """HTML with `<hN id>` headings, and the headings, as the markdown stage delivers them."""
    rendered = render_markdown(body, _OPTIONS, first_line=body_line)
    return rendered.html, list(rendered.headings)


def page_from_text(text: str, rel: str, lang: str, path: Path | None = None) -> Page:
    """A rendered page from a Markdown file's text (front matter included)."""
    post = frontmatter.loads(text)
    body_line = text[: len(text) - len(post.content)].count("\n") + 1 if post.metadata else 1
    content, headings = render(post.content, body_line)
    rel_path = PurePosixPath(rel)
    url_dir = str(rel_path.parent).lower()
    prefix = "" if lang == "en" else f"/{lang}"
    date = post.metadata.get("date")
    page = Page(
        kind="page",
        lang=lang,
        title=str(post.metadata.get("title", "")),
        source=SourceFile(path or Path(rel), rel_path, lang, "leaf"),
        date=date if isinstance(date, datetime) else None,
        front_matter=dict(post.metadata),
        body=post.content,
        body_line=body_line,
        rendered=Rendered(packed_content=pack_text(content), headings=tuple(headings)),
    )
    page.rel_permalink = f"{prefix}/{url_dir}/"
    page.permalink = BASE_URL + page.rel_permalink
    return page


def corpus_pages(lang: str) -> list[Page]:
    pages = []
    for path in sorted((CORPUS / "content" / "posts").rglob(f"index.{lang}.md")):
        rel = path.relative_to(CORPUS / "content").as_posix()
        pages.append(page_from_text(path.read_text("utf-8"), rel, lang, path))
    return pages


def seed_page() -> Page:
    """The seed post (German, saved as mojibake), repaired by sitegen's decoder."""
    from sitegen.load.encoding.decode import decode_source

    text = decode_source(SEED.read_bytes(), SEED).text
    return page_from_text(text, "posts/2024/release-2024-01/index.de.md", "de", SEED)


def test_heading_ids_follow_hugo() -> None:
    _, headings = render(
        "## 2024-01e (Release vom 08.02.2024)\n\n## CORS - Warum wird es benötigt?\n\n"
        "## ⚠️ Kritische Änderungen\n\n## A & B\n\n## A & B\n"
    )
    assert [h.id for h in headings] == [
        "2024-01e-release-vom-08022024",
        "cors---warum-wird-es-benötigt",
        "-kritische-änderungen",
        "a--b",
        "a--b-1",
    ]


def test_seed_is_read_as_clean_text() -> None:
    page = seed_page()
    assert page.title.endswith("Revision E")
    assert "Änderungen" in page.body and "Ã" not in page.body
    assert re.search(r"^## 2024-01e", page.body, re.M)
