"""Core rule: GitHub references (#5579, @user, owner/repo#12, commit SHAs) in the text of
release sections become links, in the token stream of the pass that renders the Markdown.

A release section runs from a heading that announces a release to the next heading of
the same or a higher level. Text inside links, code, raw-HTML `<a>`/`<code>`/... elements
and headings is left alone, as GitHub does. The rule does nothing unless the parse's env
holds a ReleaseRefs under ENV_RELEASE_REFS with a repository.

Where the whole post may turn out to be one release (`whole_post`: its slug or title
announces a version, or its front matter declares releases), references outside release
sections are written both ways (release_marks: as links and as text); the release stage
picks the links for the release's feed item and the text for the post's page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from sitegen.content.markdown.release_marks import AS_TEXT, LINKED, REF_END

ENV_RELEASE_REFS = "release_refs"
ENV_HEADING_TEXT = (
    "heading_text"  # inline children -> the heading's plain text, as Page.headings has it
)
SKIPPED_HTML = frozenset({"a", "code", "pre", "kbd", "samp", "script", "style", "textarea"})
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_USER = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"
_REPO = rf"{_USER}/[A-Za-z0-9_.-]+"
# One pass over each text run; the alternatives are tried left to right at each position.
REFERENCE = re.compile(
    rf"(?<![\w/&#@.-])(?P<qualified>(?P<q_repo>{_REPO})#(?P<q_number>\d+))(?!\w)"
    rf"|(?<![\w/&#@.-])(?P<repo_sha>(?P<s_repo>{_REPO})@(?P<s_sha>[0-9a-f]{{7,40}}))(?![\w])"
    r"|(?<![\w/&#-])#(?P<number>\d+)(?![\w-])"
    rf"|(?<![\w/`@.-])@(?P<user>{_USER})(?![\w/@-]|\.\w)"
    r"|(?<![\w/@.-])(?P<sha>[0-9a-f]{7,40})(?![\w-])"
)
# Every reference holds "#", "@" or a SHA (seven hex digits in a row, one of them a digit:
# looks_like_sha): text without them is passed over without trying REFERENCE's alternatives
# at each of its characters. `in` finds "#" and "@" far faster than a regex; a text's hex
# run is looked for only where it has a digit, which most prose has not.
_DIGIT = re.compile(r"[0-9]")
_HEX_RUN = re.compile(r"[0-9a-f]{7}")


def _maybe_reference(text: str) -> bool:
    return (
        "#" in text
        or "@" in text
        or (_DIGIT.search(text) is not None and _HEX_RUN.search(text) is not None)
    )


@dataclass(frozen=True)
class ReleaseRefs:
    """Which headings start a release section, and where references point."""

    announces_release: Callable[
        [str], bool
    ]  # a heading's plain text -> does it announce a release?
    repo: str  # "" links no references
    host: str = "https://github.com"
    whole_post: bool = False  # the post may be one release: references outside sections both ways
    marks: bool = True  # mark release headings for the release stage (rules.release_headings)
    heading_ids: frozenset[str] = frozenset()  # headings the front matter declares releases under

    def is_release_heading(self, heading_id: str, text: Callable[[], str]) -> bool:
        return heading_id in self.heading_ids or self.announces_release(text())

    def __repr__(
        self,
    ) -> str:  # what the rendered HTML depends on (the predicate: the build's settings)
        return (
            f"ReleaseRefs({self.repo!r}, {self.host!r}, whole_post={self.whole_post}, marks={self.marks}, "
            f"heading_ids={sorted(self.heading_ids)})"
        )


def github_refs(state: StateCore) -> None:
    refs: ReleaseRefs | None = state.env.get(ENV_RELEASE_REFS)
    if refs is None or not refs.repo:
        return
    tokens, heading_text = state.tokens, state.env[ENV_HEADING_TEXT]
    section_level = 0  # the level of the release heading whose section we are in; 0: none
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            level = int(token.tag[1])
            if section_level and level <= section_level:
                section_level = 0
            children = tokens[index + 1].children or []
            if not section_level and refs.is_release_heading(
                str(token.attrs.get("id", "")), lambda: heading_text(children)
            ):
                section_level = level
        elif token.type == "inline" and token.children and tokens[index - 1].type != "heading_open":
            if section_level or refs.whole_post:
                token.children = _linked(token.children, refs, both_ways=not section_level)


def _linked(children: list[Token], refs: ReleaseRefs, both_ways: bool = False) -> list[Token]:
    out: list[Token] = []
    links = 0  # open Markdown links
    raw: list[str] = []  # open raw-HTML elements that are left alone
    for child in children:
        if child.type == "link_open":
            links += 1
        elif child.type == "link_close":
            links -= 1
        elif child.type == "html_inline":
            _track_html(child.content, raw)
        elif child.type == "text" and not links and not raw and child.content:
            out += _text_with_links(child, refs, both_ways)
            continue
        out.append(child)
    return out


def _track_html(html: str, raw: list[str]) -> None:
    match = _HTML_TAG.match(html)
    if not match:
        return
    closing, tag = match.group(1), match.group(2).lower()
    if closing:
        if tag in raw:  # close up to the matching element; stray end tags are ignored
            while raw and raw.pop() != tag:
                pass
    elif tag in SKIPPED_HTML and not html.rstrip().endswith("/>"):
        raw.append(tag)


def _text_with_links(token: Token, refs: ReleaseRefs, both_ways: bool) -> list[Token]:
    text, pieces, last = token.content, [], 0
    if not _maybe_reference(text):
        return [token]
    for match in REFERENCE.finditer(text):
        link = _link_tokens(match, refs)
        if link is None:
            continue
        if match.start() > last:
            pieces.append(_text(text[last : match.start()]))
        if both_ways:
            link = [_mark(LINKED), *link, _mark(AS_TEXT), _text(match.group(0)), _mark(REF_END)]
        pieces += link
        last = match.end()
    if not pieces:
        return [token]
    if last < len(text):
        pieces.append(_text(text[last:]))
    return pieces


def _link_tokens(match: re.Match[str], refs: ReleaseRefs) -> list[Token] | None:
    groups, host, repo = match.groupdict(), refs.host, refs.repo
    if groups["qualified"]:
        return _anchor(
            f"{host}/{groups['q_repo']}/issues/{groups['q_number']}",
            "issue-link",
            [_text(match.group(0))],
        )
    if groups["repo_sha"]:
        sha = groups["s_sha"]
        if not looks_like_sha(sha):
            return None
        return _anchor(
            f"{host}/{groups['s_repo']}/commit/{sha}",
            "commit-link",
            [_text(f"{groups['s_repo']}@"), _code(sha[:7])],
        )
    if groups["number"]:
        return _anchor(
            f"{host}/{repo}/issues/{groups['number']}", "issue-link", [_text(match.group(0))]
        )
    if groups["user"]:
        return _anchor(f"{host}/{groups['user']}", "user-mention", [_text(match.group(0))])
    sha = groups["sha"]
    if not looks_like_sha(sha):
        return None
    return _anchor(f"{host}/{repo}/commit/{sha}", "commit-link", [_code(sha[:7])])


def looks_like_sha(word: str) -> bool:
    # Hex words ("decade", "added") and plain numbers are not commits: a SHA mixes digits and letters.
    return any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


def _anchor(url: str, css_class: str, label: list[Token]) -> list[Token]:
    opening = Token("link_open", "a", 1)
    opening.attrs = {"href": url, "class": css_class}
    return [opening, *label, Token("link_close", "a", -1)]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _mark(content: str) -> Token:
    token = Token("release_mark", "", 0)  # rendered as its content (rules.release_headings)
    token.content = content
    return token


def _code(content: str) -> Token:
    token = Token("code_inline", "code", 0)
    token.content, token.markup = content, "`"
    return token
