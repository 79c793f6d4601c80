"""GitHub references in release text become links, as GitHub shows them."""

import pytest

from sitegen.releases import link_github_refs

REPO = "mailcow/mailcow-dockerized"
GH = "https://github.com"

CASES = [
    # (title, html in, html out)
    (
        "pull request number",
        "<li>Update actions by @renovate in #5579</li>",
        f'<li>Update actions by <a href="{GH}/renovate" class="user-mention">@renovate</a> in '
        f'<a href="{GH}/{REPO}/issues/5579" class="issue-link">#5579</a></li>',
    ),
    (
        "qualified reference",
        "<p>see Alinto/sogo#12.</p>",
        f'<p>see <a href="{GH}/Alinto/sogo/issues/12" class="issue-link">Alinto/sogo#12</a>.</p>',
    ),
    (
        "full commit sha shown short",
        "<p>fixed in 5a9702771cba4fedbc79331e92ff757f734df58e</p>",
        f'<p>fixed in <a href="{GH}/{REPO}/commit/5a9702771cba4fedbc79331e92ff757f734df58e" '
        'class="commit-link"><code>5a97027</code></a></p>',
    ),
    (
        "short commit sha",
        "<p>(d08ccbc)</p>",
        f'<p>(<a href="{GH}/{REPO}/commit/d08ccbc" class="commit-link"><code>d08ccbc</code></a>)</p>',
    ),
    (
        "mention at the end of a sentence",
        "<p>Danke an @DerLinkman.</p>",
        f'<p>Danke an <a href="{GH}/DerLinkman" class="user-mention">@DerLinkman</a>.</p>',
    ),
]

UNTOUCHED = [
    ("inside code", "<p><code>#5579 @user 5a97027</code></p>"),
    ("inside pre", "<pre><code>git show d08ccbc # @x #12\n</code></pre>"),
    ("inside an existing link", '<p><a href="https://github.com/x/y/pull/5700">PR #5700</a></p>'),
    ("inside a heading", '<h2 id="x">Fixes #12</h2>'),
    ("e-mail addresses and fediverse handles", "<p>me@example.com, @doncow@mailcow.social</p>"),
    ("hex words and plain numbers", "<p>a decade of added facades, 1234567 users</p>"),
    ("entities", "<p>&#123; &amp; &#x41;</p>"),
    ("anchors in URLs", "<p>https://example.org/page#12 and foo/bar/baz#3</p>"),
]


@pytest.mark.parametrize(("title", "html", "expected"), CASES, ids=[c[0] for c in CASES])
def test_references_become_links(title: str, html: str, expected: str) -> None:
    assert link_github_refs(html, REPO) == expected


@pytest.mark.parametrize(("title", "html"), UNTOUCHED, ids=[c[0] for c in UNTOUCHED])
def test_references_left_alone(title: str, html: str) -> None:
    assert link_github_refs(html, REPO) == html


def test_no_repository_no_links() -> None:
    assert link_github_refs("<p>#12</p>", "") == "<p>#12</p>"
