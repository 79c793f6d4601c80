"""GitHub references in release text (#5579, @user, owner/repo#12, commit SHAs) as links."""

from __future__ import annotations

import re
from html import escape

from sitegen.content.markdown.rules.github_refs import REFERENCE, looks_like_sha
from sitegen.releases.markup import rewrite_text


def link_github_refs(html: str, repo: str, host: str = "https://github.com") -> str:
    """Turn references in the text of `html` into links, as GitHub shows them.

    Text inside code, pre, existing links and headings is left alone.
    """
    if not repo:
        return html
    return rewrite_text(html, lambda text: REFERENCE.sub(lambda m: _link(m, repo, host), text))


def _link(match: re.Match[str], repo: str, host: str) -> str:
    groups = match.groupdict()
    if groups["qualified"]:
        url = f"{host}/{groups['q_repo']}/issues/{groups['q_number']}"
        return _anchor(url, match.group(0), "issue-link")
    if groups["repo_sha"]:
        sha = groups["s_sha"]
        if not looks_like_sha(sha):
            return match.group(0)
        url = f"{host}/{groups['s_repo']}/commit/{sha}"
        return _anchor(url, f"{groups['s_repo']}@<code>{sha[:7]}</code>", "commit-link")
    if groups["number"]:
        return _anchor(f"{host}/{repo}/issues/{groups['number']}", match.group(0), "issue-link")
    if groups["user"]:
        return _anchor(f"{host}/{groups['user']}", match.group(0), "user-mention")
    sha = groups["sha"]
    if looks_like_sha(sha):
        return _anchor(f"{host}/{repo}/commit/{sha}", f"<code>{sha[:7]}</code>", "commit-link")
    return match.group(0)


def _anchor(url: str, label: str, css_class: str) -> str:
    # `label` comes from a text run that is already HTML-escaped.
    return f'<a href="{escape(url)}" class="{css_class}">{label}</a>'
