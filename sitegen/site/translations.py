"""Translations: which pages of the site's languages are the same page in another language."""

from __future__ import annotations

from sitegen.models import Page
from sitegen.site.urls import term_slug


def link_translations(pages: list[Page]) -> None:
    """Give each page the pages that translate it: the same translation key, another language."""
    groups: dict[tuple[str, str], list[Page]] = {}
    for page in pages:
        key = _translation_key(page)
        if key:
            groups.setdefault(key, []).append(page)
    for members in groups.values():
        for page in members:
            page.translations = [p for p in members if p is not page and p.lang != page.lang]


def _translation_key(page: Page) -> tuple[str, str] | None:
    """What pages of different languages share when they translate each other, as Hugo
    pairs them: a `translationKey`, else the kind and the path (a term by its URL part)."""
    explicit = page.params.get("translationkey")
    if explicit:
        return ("key", str(explicit))
    if page.kind in ("home", "404"):
        return (page.kind, "")
    if page.kind in ("taxonomy", "term"):
        return (page.kind, f"{page.taxonomy}/{term_slug(page.term)}")
    if page.source is None:
        return ("section", page.section_path or page.section)
    return ("path", page.source.translation_key)
