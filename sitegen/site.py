"""Assemble loaded pages into a site: URLs, homes, sections, taxonomies, translations, menus.

Pure: takes pages and config, returns the Site. Rendering of content happens elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sitegen.config import LanguageConfig, SiteConfig
from sitegen.confine import clean_url
from sitegen.errors import Diagnostics, SiteError
from sitegen.menus import build_menus
from sitegen.models import MenuEntry, Page, Resource
from sitegen.urls import absolute_url, base_path, content_path, expand_permalink, join_url, term_slug

EPOCH = datetime(1, 1, 1, tzinfo=timezone.utc)


@dataclass
class LanguageSite:
    """Everything of one language: what templates see as `site`."""

    language: LanguageConfig
    prefix: str  # "" or "/de" (after the base path)
    home: Page
    regular_pages: list[Page] = field(default_factory=list)
    sections: list[Page] = field(default_factory=list)
    taxonomies: dict[str, Page] = field(default_factory=dict)  # plural -> taxonomy list page
    menus: dict[str, list[MenuEntry]] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)  # every page of the language, lists included


@dataclass
class Site:
    config: SiteConfig
    languages: list[LanguageSite]
    # published once, under the default language's path: (source path, output relpath)
    static_files: list[tuple[Any, str]] = field(default_factory=list)

    @property
    def pages(self) -> list[Page]:
        return [page for language in self.languages for page in language.pages]

    def language(self, code: str) -> LanguageSite:
        return next(lang for lang in self.languages if lang.language.code == code)

    def get_page(self, ref: str, lang: str) -> Page | None:
        """Find a page by content path ("posts/x", "/posts/x/index.md") or URL, preferring `lang`."""
        wanted = ref.strip().strip("/").removesuffix(".md").removesuffix(".markdown")
        candidates = []
        for page in self.pages:
            keys = {page.rel_permalink.strip("/")}
            if page.source:
                rel = str(page.source.rel).rsplit(".", 1)[0]
                keys |= {rel, page.source.translation_key, str(page.source.rel.parent)}
                keys |= {k.removesuffix(f".{page.lang}") for k in list(keys)}
            if wanted in keys or wanted.lower() in keys:
                candidates.append(page)
        candidates.sort(key=lambda p: (p.lang != lang, p.kind != "page"))
        return candidates[0] if candidates else None


def sort_pages(pages: list[Page]) -> list[Page]:
    """Hugo's default order: weight (0 last), date newest first, title, path."""
    return sorted(pages, key=lambda p: (p.weight == 0, p.weight, -(p.date or EPOCH).timestamp(),
                                        p.title.lower(), str(p.source.rel) if p.source else ""))


def assemble_site(config: SiteConfig, pages: list[Page], resources: dict[str, list], diagnostics: Diagnostics) -> Site:
    root = base_path(config.base_url)
    languages = []
    for language in config.languages:
        own = [p for p in pages if p.lang == language.code]
        languages.append(_assemble_language(config, language, root, own, resources, diagnostics))
    site = Site(config, languages)
    _link_translations(site)
    _check_duplicate_paths(site, diagnostics)
    return site


def _assemble_language(config: SiteConfig, language: LanguageConfig, root: str, pages: list[Page],
                       resources: dict[str, list], diagnostics: Diagnostics) -> LanguageSite:
    prefix = root + config.language_prefix(language.code)
    home = next((p for p in pages if p.kind == "section" and p.source and str(p.source.rel.parent) == "."), None)
    if home is None:
        home = Page(kind="home", lang=language.code, title=language.title or config.title)
    home.kind, home.section = "home", ""
    home.title = home.title or language.title or config.title
    _set_url(home, join_url(prefix), config)
    lang_site = LanguageSite(language, prefix, home)

    regular = [p for p in pages if p.kind == "page"]
    for page in regular:
        _set_url(page, _page_url(page, config, prefix), config)
        page.resources = _resources(page, resources, config)
    branches = {str(p.source.rel.parent): p for p in pages if p.kind == "section" and p is not home and p.source}
    lang_site.sections = _sections(config, language, prefix, regular, branches)
    lang_site.regular_pages = sort_pages(regular)
    home.pages = sort_pages([p for p in regular if not p.section] + lang_site.sections)
    _link_neighbours(lang_site.sections)
    lang_site.taxonomies = _taxonomies(config, language, prefix, regular)
    lang_site.pages = [home, *lang_site.sections, *lang_site.regular_pages]
    for taxonomy in lang_site.taxonomies.values():
        lang_site.pages += [taxonomy, *taxonomy.pages]
    lang_site.pages.append(_not_found_page(config, language, prefix))
    lang_site.menus = build_menus({**config.menus, **language.menus}, lang_site.pages, prefix)
    return lang_site


def _set_url(page: Page, rel_permalink: str, config: SiteConfig) -> None:
    rel_permalink = clean_url(rel_permalink)  # url, slug, permalinks tokens and terms may hold ".."
    page.rel_permalink = rel_permalink
    page.permalink = absolute_url(config.base_url, rel_permalink)
    path = rel_permalink.lstrip("/")
    root = base_path(config.base_url).lstrip("/")
    if root:
        path = path.removeprefix(root).lstrip("/")
    page.output_path = path if path.endswith(".html") else path + "index.html"


def _page_url(page: Page, config: SiteConfig, prefix: str) -> str:
    if page.url:
        url = page.url if page.url.startswith("/") else "/" + page.url
        return url if url.endswith((".html", "/")) else url + "/"
    pattern = config.permalinks.get(page.section) or config.permalinks.get(page.type)
    if pattern:
        return join_url(prefix, expand_permalink(pattern, page))
    return join_url(prefix, content_path(page))


def _resources(page: Page, resources: dict[str, list], config: SiteConfig) -> list[Resource]:
    if page.source is None or page.source.bundle != "leaf":
        return []
    found = []
    for path, name in resources.get(str(page.source.rel.parent), []):
        rel = page.rel_permalink + name
        found.append(Resource(path, name, rel, absolute_url(config.base_url, rel)))
    return found


def _sections(config: SiteConfig, language: LanguageConfig, prefix: str, regular: list[Page],
              branches: dict[str, Page]) -> list[Page]:
    names = sorted({p.section for p in regular if p.section} | {d for d in branches if "/" not in d})
    sections = []
    for name in names:
        page = branches.get(name) or Page(kind="section", lang=language.code, title=name.capitalize())
        page.section = name
        page.title = page.title or name.capitalize()
        _set_url(page, join_url(prefix, content_path(page) if page.source else term_slug(name)), config)
        page.pages = sort_pages([p for p in regular if p.section == name])
        for member in page.pages:
            member.parent = page
        sections.append(page)
    return sections


def _link_neighbours(sections: list[Page]) -> None:
    for section in sections:
        members = sorted(section.pages, key=lambda p: (p.date or EPOCH), reverse=True)
        for newer, older in zip(members, members[1:]):
            older.prev, newer.next = newer, older


def _taxonomies(config: SiteConfig, language: LanguageConfig, prefix: str, regular: list[Page]) -> dict[str, Page]:
    taxonomies = {}
    for plural in config.taxonomies.values():
        taxonomy = Page(kind="taxonomy", lang=language.code, title=plural.capitalize(), taxonomy=plural, section=plural)
        _set_url(taxonomy, join_url(prefix, plural), config)
        terms: dict[str, Page] = {}
        for page in regular:
            for name in page.taxonomies.get(plural, []):
                slug = term_slug(name)
                term = terms.get(slug)
                if term is None:
                    term = Page(kind="term", lang=language.code, title=term_title(name), term=name,
                                taxonomy=plural, section=plural)
                    _set_url(term, join_url(prefix, plural, slug), config)
                    terms[slug] = term
                if page not in term.pages:
                    term.pages.append(page)
        for term in terms.values():
            term.pages = sort_pages(term.pages)
        taxonomy.pages = sorted(terms.values(), key=lambda t: t.term.lower())
        taxonomies[plural] = taxonomy
    return taxonomies


def term_title(term: str) -> str:
    """Hugo title-cases a term written in lower case; a term with capitals stays as written."""
    if any(c.isupper() for c in term):
        return term
    return " ".join(word[:1].upper() + word[1:] for word in term.split(" "))


def _not_found_page(config: SiteConfig, language: LanguageConfig, prefix: str) -> Page:
    page = Page(kind="404", lang=language.code, title="404")
    _set_url(page, join_url(prefix) + "404.html", config)
    return page


def _link_translations(site: Site) -> None:
    groups: dict[tuple[str, str], list[Page]] = {}
    for page in site.pages:
        key = _translation_key(page)
        if key:
            groups.setdefault(key, []).append(page)
    for members in groups.values():
        for page in members:
            page.translations = [p for p in members if p is not page and p.lang != page.lang]


def _translation_key(page: Page) -> tuple[str, str] | None:
    explicit = page.params.get("translationkey")
    if explicit:
        return ("key", str(explicit))
    if page.kind in ("home", "404"):
        return (page.kind, "")
    if page.kind in ("taxonomy", "term"):
        return (page.kind, f"{page.taxonomy}/{term_slug(page.term)}")
    if page.source is None:
        return ("section", page.section)
    return ("path", page.source.translation_key)


def _check_duplicate_paths(site: Site, diagnostics: Diagnostics) -> None:
    seen: dict[str, Page] = {}
    for page in site.pages:
        other = seen.get(page.output_path)
        if other is not None and page.source is not None:
            first = other.source.path if other.source else other.rel_permalink
            diagnostics.error(SiteError(
                f"two pages publish to /{page.output_path} (the other is {first})", page.source.path, 1,
                hint="give one of them another 'slug' or 'url' in its front matter"))
        seen[page.output_path] = page
