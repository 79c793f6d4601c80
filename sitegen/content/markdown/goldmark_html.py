"""Renderer rules that write the HTML Hugo's Goldmark writes: code fences through Pygments,
raw HTML only when allowed, Goldmark's table and footnote markup."""

from __future__ import annotations

from html import escape, unescape

from markdown_it import MarkdownIt

from sitegen.content.markdown.highlight import highlight_code, parse_fence_info, with_options
from sitegen.content.markdown.options import MarkdownOptions
from sitegen.content.summary import MORE_MARKER

RAW_HTML_OMITTED = "<!-- raw HTML omitted -->"
CODE_ORDINAL = "sitegen_code_ordinal"  # env key: code fences rendered so far


def install_renderers(md: MarkdownIt, options: MarkdownOptions) -> None:
    """Renderer rules that write what Goldmark (as configured by Hugo) writes."""
    rules = md.add_render_rule
    close = " />" if options.xhtml else ">"

    def html_block(self, tokens, idx, opts, env):
        content = tokens[idx].content
        if options.unsafe or content.strip() == MORE_MARKER:  # Hugo keeps its summary divider
            return content
        return "" if content.lstrip().startswith("<!--") else RAW_HTML_OMITTED + "\n"

    def html_inline(self, tokens, idx, opts, env):
        content = tokens[idx].content
        if options.unsafe:
            return content
        return "" if content.startswith("<!--") else RAW_HTML_OMITTED

    def fence(self, tokens, idx, opts, env):
        token = tokens[idx]
        lang, attrs = parse_fence_info(unescape(token.info))
        if not options.highlight.code_fences:
            cls = f' class="language-{escape(lang)}"' if lang else ""
            return f"<pre><code{cls}>{escape(token.content, quote=False)}</code></pre>\n"
        ordinal = env.get(CODE_ORDINAL, 0)  # names the block's line anchors, as Hugo's ordinal does
        env[CODE_ORDINAL] = ordinal + 1
        return highlight_code(token.content, lang, with_options(options.highlight, attrs), ordinal)

    def link_open(self, tokens, idx, opts, env):
        token = tokens[idx]
        href = str(token.attrs.get("href", ""))
        if (
            token.info == "auto"
            and href.startswith("http://www.")
            and tokens[idx + 1].content.startswith("www.")
        ):
            token.attrs["href"] = "https://" + href[len("http://") :]
        return self.renderToken(tokens, idx, opts, env)

    def task_checkbox(self, tokens, idx, opts, env):
        checked = 'checked="" ' if tokens[idx].meta["checked"] else ""
        return f'<input {checked}disabled="" type="checkbox"{close}'

    for name, func in (
        ("html_block", html_block),
        ("html_inline", html_inline),
        ("fence", fence),
        ("link_open", link_open),
        ("task_checkbox", task_checkbox),
    ):
        rules(name, func)
    rules("s_open", lambda self, tokens, idx, opts, env: "<del>")
    rules("s_close", lambda self, tokens, idx, opts, env: "</del>")
    _install_table_renderers(md)
    _install_footnote_renderers(md, close)


# Hugo's own table renderer indents with tabs (its table render hook's default output).
_TABLE_MARKUP = {
    "table_open": "<table>\n",
    "table_close": "</table>\n",
    "thead_open": "\t<thead>\n",
    "thead_close": "\t</thead>\n",
    "tbody_open": "\t<tbody>\n",
    "tbody_close": "\t</tbody>\n",
    "tr_open": "\t\t\t<tr>\n",
    "tr_close": "\t\t\t</tr>\n",
    "th_close": "</th>\n",
    "td_close": "</td>\n",
}


def _install_table_renderers(md: MarkdownIt) -> None:
    def fixed(self, tokens, idx, opts, env):
        token = tokens[idx]
        text = _TABLE_MARKUP[token.type]
        if (
            token.type == "thead_close"
            and idx + 1 < len(tokens)
            and tokens[idx + 1].type == "table_close"
        ):
            text += _TABLE_MARKUP["tbody_open"] + _TABLE_MARKUP["tbody_close"]
        return text

    def cell_open(self, tokens, idx, opts, env):
        token = tokens[idx]
        style = str(token.attrs.get("style", ""))
        align = f' style="text-align: {style.split(":", 1)[1]}"' if style else ""
        return f"\t\t\t\t\t<{token.tag}{align}>"

    for name in _TABLE_MARKUP:
        md.add_render_rule(name, fixed)
    md.add_render_rule("th_open", cell_open)
    md.add_render_rule("td_open", cell_open)


def _install_footnote_renderers(md: MarkdownIt, close: str) -> None:
    """Goldmark's footnotes: numbered ids `fn:1`, `fnref:1`, `fnref1:1` for repeats."""

    def ref_id(meta) -> str:
        sub = meta.get("subId", 0)
        return f"fnref{sub or ''}:{meta['id'] + 1}"

    def ref(self, tokens, idx, opts, env):
        meta = tokens[idx].meta
        number = meta["id"] + 1
        return (
            f'<sup id="{ref_id(meta)}"><a href="#fn:{number}" class="footnote-ref" '
            f'role="doc-noteref">{number}</a></sup>'
        )

    def anchor(self, tokens, idx, opts, env):
        meta = tokens[idx].meta
        return (
            f'&#160;<a href="#{ref_id(meta)}" class="footnote-backref" '
            f'role="doc-backlink">&#x21a9;&#xfe0e;</a>'
        )

    rules = {
        "footnote_ref": ref,
        "footnote_anchor": anchor,
        "footnote_block_open": lambda *a: (
            f'<div class="footnotes" role="doc-endnotes">\n<hr{close}\n<ol>\n'
        ),
        "footnote_block_close": lambda *a: "</ol>\n</div>\n",
        "footnote_open": lambda self, tokens, idx, o, e: (
            f'<li id="fn:{tokens[idx].meta["id"] + 1}">\n'
        ),
        "footnote_close": lambda *a: "</li>\n",
    }
    for name, func in rules.items():
        md.add_render_rule(name, func)
