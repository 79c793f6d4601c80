"""One highlighter: the `highlight` shortcode and code fences both go through
sitegen.content.markdown.highlight with the site's `markup.highlight`, so the same code
renders the same either way, in the markup the real Hugo writes, with classes
(noClasses = false) or inline styles (noClasses = true, Hugo's default).

Deliberate differences from Hugo (sitegen highlights with Pygments, Hugo with Chroma):
- token classes come from Pygments' lexers, which split and name some tokens differently
  from Chroma's (`main` in `func main()` is `nx` for Pygments, `nf` for Chroma), so the
  comparison with Hugo drops the token spans and keeps their text;
- with inline styles the colours are Pygments' version of the style (monokai's keywords,
  comments and highlighted lines differ a little from Chroma's), so colours are compared
  as "a colour".
Hugo's own difference is kept: its shortcode trims the code of newlines at both ends
(`trim .Inner "\n\r"`), so the shortcode's last line has no newline where a fence's has one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_sitegen, write_site
from hugo_reference import run_hugo

CODE = "package main\nfunc main() {}\nvar x = 1\n"

# (fence attributes, shortcode arguments) that ask for the same thing.
CASES = [
    ("", ""),
    ("{linenos=table,hl_lines=2}", '"linenos=table,hl_lines=2"'),
    (
        '{linenos=inline,hl_lines=[1,"2-3"],linenostart=7}',
        '"linenos=inline,hl_lines=1 2-3,linenostart=7"',
    ),
    (
        "{linenos=table,anchorlinenos=true,lineanchors=code}",
        '"linenos=table,anchorlinenos=true,lineanchors=code"',
    ),
    (
        "{linenos=inline,anchorlinenos=true,lineanchors=mine}",
        '"linenos=inline, anchorlinenos=true, lineanchors=mine"',
    ),
]

_BLOCK = re.compile(
    r'<div class="highlight"><div[^>]*>\n<table.*?</table>\n</div>\n</div>'
    r'|<div class="highlight"><pre.*?</pre></div>'
    r'|<pre tabindex="0"><code.*?</code></pre>',
    re.S,
)
_STRUCTURE = {"line", "line hl", "cl", "ln", "lnt", "hl"}
_TOKEN_SPAN = re.compile(r'<span (?:class|style)="([^"]*)">([^<]*)</span>')
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b")


def _page(lang: str = "go") -> str:
    parts = ["---\ntitle: Code\n---\n"]
    for attrs, _ in CASES:
        parts.append(f"```{lang} {attrs}\n{CODE}```\n")
    for _, arguments in CASES:
        parts.append(f"{{{{< highlight {lang} {arguments} >}}}}\n{CODE}{{{{< /highlight >}}}}\n")
    return "\n".join(parts)


def _site(root: Path, highlight: str, lang: str = "go") -> Path:
    return write_site(
        root,
        {
            "config.toml": f'baseURL = "https://example.org/"\ntitle = "T"\n[markup.highlight]\n{highlight}\n',
            "content/code.md": _page(lang),
        },
    )


def _sitegen_blocks(site: Path) -> list[str]:
    result = run_sitegen("build", "-s", site, "-d", site / "public", "--quiet")
    assert result.returncode == 0, result.stderr
    blocks = _BLOCK.findall((site / "public" / "code" / "index.html").read_text(encoding="utf-8"))
    assert len(blocks) == 2 * len(CASES)
    return blocks


def _without_last_newline(block: str) -> str:
    """A fence's block as Hugo's shortcode writes it: the last line without its newline (and
    without the whitespace token that held only that newline)."""
    end = block.rindex("</code></pre>")
    cut = block.rindex("\n", 0, end)
    block = block[:cut] + block[cut + 1 :]
    return re.sub(
        r"<span [^>]*></span>(?=</span></span></code></pre>(?!.*</code></pre>))",
        "",
        block,
        flags=re.S,
    )


def _without_tokens(block: str) -> str:
    """The block with its token spans reduced to their text and its colours to "a colour"."""

    def keep(match: re.Match) -> str:
        structural = match.group(1) in _STRUCTURE or match.group(1).startswith("white-space:pre")
        return match.group(0) if structural else match.group(2)

    return _COLOUR.sub("#colour", _TOKEN_SPAN.sub(keep, block))


@pytest.mark.parametrize(
    "highlight", ["noClasses = false", "noClasses = true", 'noClasses = true\nstyle = "friendly"']
)
def test_a_fence_and_the_highlight_shortcode_render_the_same(tmp_path, highlight):
    blocks = _sitegen_blocks(_site(tmp_path / "site", highlight))
    fences, shortcodes = blocks[: len(CASES)], blocks[len(CASES) :]
    for (attrs, _), fence, shortcode in zip(CASES, fences, shortcodes, strict=True):
        assert shortcode == _without_last_newline(fence), attrs
        assert fence != shortcode  # the one difference is really there: Hugo's trimmed last newline


def test_the_shortcode_honours_the_sites_markup_highlight(tmp_path):
    inline = _sitegen_blocks(_site(tmp_path / "inline", "noClasses = true"))[len(CASES)]
    assert (
        'style="color:' in inline and 'class="chroma"' not in inline and 'class="nx"' not in inline
    )
    classes = _sitegen_blocks(_site(tmp_path / "classes", "noClasses = false\nlineNos = true"))[
        len(CASES)
    ]
    assert classes.startswith(
        '<div class="highlight"><div class="chroma">\n<table class="lntable">'
    )
    assert '<span class="kn">package</span>' in classes
    styled = _sitegen_blocks(_site(tmp_path / "styled", 'style = "friendly"'))[len(CASES)]
    assert styled != inline  # the site's style, not the default


def test_unknown_languages_are_left_plain_by_both(tmp_path):
    blocks = _sitegen_blocks(_site(tmp_path / "site", "noClasses = false", lang="nosuchlang"))
    assert (
        blocks[0]
        == f'<pre tabindex="0"><code class="language-nosuchlang" data-lang="nosuchlang">{CODE}</code></pre>'
    )
    assert blocks[len(CASES)] == blocks[0].replace("\n</code>", "</code>")


@pytest.mark.parametrize("highlight", ["noClasses = false", "noClasses = true"])
def test_the_markup_is_hugos_but_for_the_lexers_tokens_and_colours(tmp_path, highlight):
    site = _site(tmp_path / "site", highlight)
    ours = _sitegen_blocks(site)
    hugo_out = run_hugo(site, tmp_path / "hugo")
    theirs = _BLOCK.findall((hugo_out / "code" / "index.html").read_text(encoding="utf-8"))
    assert len(theirs) == len(ours)
    for index, (mine, hugo) in enumerate(zip(ours, theirs, strict=True)):
        assert _without_tokens(mine) == _without_tokens(hugo), (index, CASES[index % len(CASES)])
    if highlight == "noClasses = false":  # where the lexers agree, so do the classes
        for block in (theirs[0], ours[0]):
            assert (
                '<span class="kn">package</span><span class="w"> </span><span class="nx">main</span>'
                in block
            )
