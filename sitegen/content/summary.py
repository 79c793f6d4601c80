"""Summaries, plain text, word counts and reading time, as Hugo computes them.

Manual: everything before `<!--more-->` (the divider is removed from the content; Hugo
splits the Markdown there, so a divider inside a paragraph ends that paragraph).
Automatic (resources/page/page_markup.go, ExtractSummaryFromHTML): count words through
the HTML up to each `</p>`, and cut after the first `</p>` at which `summary_length`
words are reached, so the summary is always a prefix of the content.
"""

from __future__ import annotations

import re
import unicodedata

from sitegen.content.html_text import NO_END_TAG, strip_html

MORE_MARKER = "<!--more-->"

_HTML_TAG_TOKEN = re.compile(r"^</?[A-Za-z]+>?$")
_HTML_ATTR_TOKEN = re.compile(r"""^[A-Za-z]+=["']""")


def isolate_divider(markdown: str) -> str:
    """Put a `<!--more-->` that shares its line with text on a line of its own, as Hugo's
    page parser does (it splits the content there); a divider alone on its line stays put,
    so source lines keep their numbers."""
    index = markdown.find(MORE_MARKER)
    if index < 0:
        return markdown
    line_start = markdown.rfind("\n", 0, index) + 1
    line_end = markdown.find("\n", index)
    line_end = len(markdown) if line_end < 0 else line_end
    if markdown[line_start:line_end].strip() == MORE_MARKER:
        return markdown
    end = index + len(MORE_MARKER)
    return markdown[:index].rstrip(" ") + "\n" + MORE_MARKER + "\n" + markdown[end:].lstrip(" ")


def split_divider(html: str) -> tuple[str, str] | None:
    """(summary, content without the divider) if the HTML holds `<!--more-->`, else None."""
    index = html.find(MORE_MARKER)
    if index < 0:
        return None
    end = index + len(MORE_MARKER)
    if html.startswith("\n", end):
        end += 1
    return html[:index].strip(), (html[:index] + html[end:]).strip()


def content_without_divider(html: str) -> str:
    parts = split_divider(html)
    return parts[1] if parts else html


def _is_cjk(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(("CJK ", "HIRAGANA", "KATAKANA", "HANGUL"))


def _count_words_cjk(text: str) -> int:
    """Each CJK character is a word; the other characters of a space-separated word count once."""
    count = 0
    for word in text.split():
        cjk = sum(1 for c in word if _is_cjk(c))
        count += cjk + (1 if cjk < len(word) else 0)
    return count


def _count_summary_word(word: str, cjk: bool) -> int:
    """Hugo counts raw HTML chunks as words, skipping what looks like a tag or attribute."""
    word = word.strip()
    if not word or word == ">" or _HTML_TAG_TOKEN.match(word) or _HTML_ATTR_TOKEN.match(word):
        return 0
    return _count_words_cjk(strip_html(word)) if cjk else 1


_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")


def _end_of_top_level_block(html: str, position: int) -> int:
    """The end of the top-level element that contains `position` (Hugo 0.168 never cuts
    a summary inside a list or blockquote); `position` itself when already at the top."""
    depth, end = 0, position
    for match in _TAG_RE.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in NO_END_TAG or self_closing:
            continue
        depth += -1 if closing else 1
        if match.end() >= position and depth <= 0:
            return max(match.end(), position)
        end = match.end()
    return len(html) if depth > 0 else max(end, position)


def split_summary(html: str, summary_length: int = 70, cjk: bool = False) -> tuple[str, bool]:
    """(summary_html, truncated): the manual summary if the HTML holds `<!--more-->`,
    else Hugo's automatic one."""
    manual = split_divider(html)
    if manual is not None:
        return manual[0], True
    if summary_length <= 0:
        return html.strip(), False
    count, start = 0, 0
    while start < len(html):
        closing = html.find("</p>", start)
        if closing < 0:
            break
        chunk = html[start:closing]
        word_start = 0
        for i, char in enumerate(chunk):
            # Hugo's loop: a word ends at a space, or one rune before the chunk's end.
            if char.isspace() or i + 1 == len(chunk):
                count += _count_summary_word(chunk[word_start:i], cjk)
                word_start = i
                if count >= summary_length:
                    break
        if count >= summary_length:
            end = _end_of_top_level_block(html, closing + len("</p>"))
            return html[:end].strip(), end < len(html.rstrip())
        start = closing + len("</p>") - 1
    return html.strip(), False


def plain_text(html: str) -> str:
    """Hugo's `.Plain`: the content without tags (entities stay as written)."""
    return strip_html(content_without_divider(html))


def count_words(html_or_plain: str, cjk: bool = False) -> int:
    """Hugo's `.WordCount`: whitespace-separated words of the plain text (CJK: per char)."""
    plain = strip_html(html_or_plain)
    return _count_words_cjk(plain) if cjk else len(plain.split())


def reading_time(words: int) -> int:
    """Hugo's `.ReadingTime` in minutes: 213 words a minute, rounded up."""
    return (words + 212) // 213
