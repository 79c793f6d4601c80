"""Release headings in a page's HTML: a short anchor, the date and the compare link beside them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from sitegen.content.markdown.release_marks import anchor_mark, fill_marks, has_marks, meta_mark
from sitegen.models import Release
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.dates import format_release_date
from sitegen.releases.detect import links_refs
from sitegen.releases.markup import heading_spans, section_end
from sitegen.releases.refs import link_github_refs

# Fallback wording; a theme's i18n (ids release_changes, release_tag) takes precedence.
DEFAULT_TEXTS = {
    "en": {"release_changes": "Changes on {forge}", "release_tag": "Release on {forge}"},
    "de": {"release_changes": "Änderungen auf {forge}", "release_tag": "Release auf {forge}"},
}

Translate = Callable[[str], "str | None"]


def decorate_release_headings(
    html: str,
    releases: Iterable[Release],
    lang: str,
    translate: Translate | None = None,
    config: ReleaseConfig | None = None,
    refs_linked: bool = False,
) -> str:
    """Add to each release heading its version anchor, a `<time>` and the compare link.

    Hugo's heading id stays on the heading; the short anchor is an empty span inside it,
    added only when that id is free. With `config.link_refs` and a repository, GitHub
    references in each release section become links; with `refs_linked`, those under
    headings that announce a release are links already (the Markdown pass, release_refs).
    """
    by_heading = {r.heading_id: r for r in releases if r.heading_id}
    if has_marks(html):  # the Markdown pass marked where the decorations go
        return fill_marks(html, _fills(by_heading.values(), lang, translate, config))
    if not by_heading:
        return html
    if config and config.link_refs and config.repo:
        unlinked = {
            key: r
            for key, r in by_heading.items()
            if not (refs_linked and links_refs(r.title, config, lang))
        }
        if unlinked:
            html = _link_refs_in_sections(html, unlinked, config)
    insertions: list[tuple[int, str]] = []
    seen: set[str] = set()
    for span in heading_spans(html):
        release = by_heading.get(span.id)
        if release is None or span.id in seen:
            continue
        seen.add(span.id)
        if release.anchor and release.anchor != span.id:
            insertions.append(
                (
                    span.open_end,
                    f'<span class="release-anchor" id="{escape(release.anchor)}"></span>',
                )
            )
        insertions.append((span.end, release_meta(release, lang, translate, config)))
    for offset, text in sorted(insertions, key=lambda item: item[0], reverse=True):
        html = html[:offset] + text + html[offset:]
    return html


def _fills(
    releases: Iterable[Release],
    lang: str,
    translate: Translate | None,
    config: ReleaseConfig | None,
) -> dict[str, str]:
    """What goes in each release heading's marks: its short anchor (where the heading's id
    is not it) and its meta line, after the line break that ends the heading."""
    fills = {}
    for release in releases:
        if release.anchor and release.anchor != release.heading_id:
            fills[anchor_mark(release.heading_id)] = (
                f'<span class="release-anchor" id="{escape(release.anchor)}"></span>'
            )
        meta = release_meta(release, lang, translate, config)
        if meta:
            fills[meta_mark(release.heading_id)] = meta.removeprefix("\n") + "\n"
    return fills


def _link_refs_in_sections(html: str, by_heading: dict[str, Release], config: ReleaseConfig) -> str:
    """Link references in release sections; nested sections are merged so each text is linked once."""
    spans = heading_spans(html)
    ranges: list[list[int]] = []
    for index, span in enumerate(spans):
        if span.id in by_heading:
            start, end = span.end, section_end(spans, index, len(html))
            if ranges and start <= ranges[-1][1]:
                ranges[-1][1] = max(ranges[-1][1], end)
            else:
                ranges.append([start, end])
    host = f"https://{config.forge_host}"
    for start, end in reversed(ranges):
        html = (
            html[:start] + link_github_refs(html[start:end], config.repo or "", host) + html[end:]
        )
    return html


def release_meta(
    release: Release,
    lang: str,
    translate: Translate | None = None,
    config: ReleaseConfig | None = None,
) -> str:
    """The line under a release heading: date and compare link ("" when there is neither)."""
    parts = []
    if release.date:
        day = release.date.date()
        parts.append(
            f'<time datetime="{day.isoformat()}">{escape(format_release_date(day, lang))}</time>'
        )
    if release.compare_url:
        parts.append(
            f'<a class="release-compare" href="{escape(release.compare_url)}">{escape(compare_label(release, lang, translate, config))}</a>'
        )
    if not parts:
        return ""
    return '\n<p class="release-meta">' + ' <span aria-hidden="true">·</span> '.join(parts) + "</p>"


def compare_label(
    release: Release,
    lang: str,
    translate: Translate | None = None,
    config: ReleaseConfig | None = None,
) -> str:
    """ "Änderungen auf GitHub: 2024-01d…2024-01e", or "Release on GitHub: 2024-01" for a tag page."""
    key = "release_changes" if release.previous else "release_tag"
    text = (translate(key) if translate else None) or _default_text(key, lang)
    forge = config.forge if config else "GitHub"
    versions = f"{release.previous}…{release.version}" if release.previous else release.version
    return f"{text.replace('{forge}', forge)}: {versions}"


def _default_text(key: str, lang: str) -> str:
    base = (lang or "en").split("-")[0].lower()
    return DEFAULT_TEXTS.get(base, DEFAULT_TEXTS["en"])[key]
