"""Core rule (last): mark each release heading's anchor place, meta line and section end
(`sitegen.content.markdown.release_marks`), so the release stage fills them in without
reading the page's HTML again.

A heading is a release heading when the ReleaseRefs under ENV_RELEASE_REFS says so (its
text announces a release, or the front matter declares one under it); its section runs to the next heading of the same or a higher level.
Headings without an id (empty ones) are not marked: no release can point at them.
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from sitegen.content.markdown.release_marks import anchor_mark, end_mark, meta_mark
from sitegen.content.markdown.rules.github_refs import (
    ENV_HEADING_TEXT,
    ENV_RELEASE_REFS,
    ReleaseRefs,
)

MARK_TOKEN = "release_mark"  # rendered as its content (see render_mark)


def release_headings(state: StateCore) -> None:
    refs: ReleaseRefs | None = state.env.get(ENV_RELEASE_REFS)
    if refs is None or not refs.marks:
        return
    heading_text = state.env[ENV_HEADING_TEXT]
    tokens, out = state.tokens, []
    open_sections: list[tuple[int, str]] = []  # (level, heading id), innermost last
    heading_open = ""  # the id of the release heading whose tokens come now
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            level = int(token.tag[1])
            while open_sections and open_sections[-1][0] >= level:
                out.append(_mark(end_mark(open_sections.pop()[1])))
            heading_id = str(token.attrs.get("id", ""))
            children = tokens[index + 1].children or []
            if heading_id and refs.is_release_heading(heading_id, lambda: heading_text(children)):
                open_sections.append((level, heading_id))
                out += [token, _mark(anchor_mark(heading_id), hidden=True)]
                heading_open = heading_id
                continue
        out.append(token)
        if token.type == "heading_close" and heading_open:
            out.append(_mark(meta_mark(heading_open)))
            heading_open = ""
    state.tokens = (
        out  # sections still open end with the document: no mark (it would keep a final newline)
    )


def _mark(content: str, hidden: bool = False) -> Token:
    """A mark token; `hidden` after an opening tag, which then writes no line break (as
    before the inline content it stands before)."""
    token = Token(MARK_TOKEN, "", 0)
    token.content, token.hidden = content, hidden
    return token


def render_mark(self, tokens, idx, options, env) -> str:
    return tokens[idx].content
