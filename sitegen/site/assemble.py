"""Assemble loaded pages into a site: URLs, homes, sections, taxonomies, translations, menus.

Pure: takes pages and config, returns the Site. Rendering of content happens elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from sitegen.errors import Diagnostics, SiteError
from sitegen.load.config import SiteConfig
from sitegen.load.config_values import LanguageConfig
from sitegen.models import MenuEntry, Page, Resource
from sitegen.safe.paths import clean_url
from sitegen.site.menus import build_menus
from sitegen.site.translations import link_translations
from sitegen.site.urls import (
    absolute_url,
    base_path,
    content_path,
    expand_permalink,
    join_url,
    output_path,
    path_segment,
    sanitize_path,
    term_slug,
)

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
    return sorted(
        pages,
        key=lambda p: (
            p.weight == 0,
            p.weight,
            -(p.date or EPOCH).timestamp(),
            p.title.lower(),
            str(p.source.rel) if p.source else "",
        ),
    )


def assemble_site(
    config: SiteConfig, pages: list[Page], resources: dict[str, list], diagnostics: Diagnostics
) -> Site:
    root = base_path(config.base_url)
    if (
        "page" in config.disabled_kinds
    ):  # disableKinds = ["page"]: no regular page, in lists neither
        pages = [p for p in pages if p.kind != "page"]
    languages = []
    for language in config.languages:
        own = [p for p in pages if p.lang == language.code]
        languages.append(_assemble_language(config, language, root, own, resources, diagnostics))
    site = Site(config, languages)
    link_translations(site.pages)
    _check_duplicate_paths(site, diagnostics)
    return site


def _assemble_language(
    config: SiteConfig,
    language: LanguageConfig,
    root: str,
    pages: list[Page],
    resources: dict[str, list],
    diagnostics: Diagnostics,
) -> LanguageSite:
    prefix = root + config.language_prefix(language.code)
    home = next(
        (p for p in pages if p.kind == "section" and p.source and str(p.source.rel.parent) == "."),
        None,
    )
    if home is None:
        home = Page(kind="home", lang=language.code, title=language.title or config.title)
    home.kind, home.section = "home", ""
    home.title = home.title or language.title or config.title
    _set_url(home, _list_url(home, config, join_url(prefix)), config)
    lang_site = LanguageSite(language, prefix, home)

    regular = [p for p in pages if p.kind == "page"]
    branches = {
        str(p.source.rel.parent): p
        for p in pages
        if p.kind == "section" and p is not home and p.source
    }
    # content/tags/_index.md and content/tags/go/_index.md belong to the taxonomy and its terms.
    plurals = set(config.taxonomies.values())
    own_lists = {
        folder: branches.pop(folder)
        for folder in list(branches)
        if folder.split("/")[0] in plurals and folder.count("/") <= 1
    }
    slugs = {folder: sanitize_path(page.slug) for folder, page in branches.items() if page.slug}
    sections = _sections(config, language, prefix, regular, branches, plurals, slugs)
    for page in regular:
        page.section_path = _nearest_section(_page_dir(page), sections)
        _set_url(page, _page_url(page, config, prefix, slugs), config)
        page.resources = _resources(page, resources, config)
    _nest(home, sections, regular)
    lang_site.sections = sorted(sections.values(), key=lambda s: s.section_path)
    lang_site.regular_pages = sort_pages(regular)
    _link_neighbours(lang_site.sections)
    lang_site.taxonomies = _taxonomies(config, language, prefix, regular, own_lists, diagnostics)
    lang_site.pages = [home, *lang_site.sections, *lang_site.regular_pages]
    for taxonomy in lang_site.taxonomies.values():
        lang_site.pages += [taxonomy, *taxonomy.pages]
    lang_site.pages.append(_not_found_page(config, language, prefix))
    if (
        config.disabled_kinds
    ):  # disableKinds: such pages are neither rendered nor in sitemaps and menus
        lang_site.pages = [p for p in lang_site.pages if p.kind not in config.disabled_kinds]
    lang_site.menus = build_menus({**config.menus, **language.menus}, lang_site.pages, prefix)
    return lang_site


def _set_url(page: Page, rel_permalink: str, config: SiteConfig) -> None:
    rel_permalink = clean_url(rel_permalink)  # url, slug, permalinks tokens and terms may hold ".."
    # A `#` in a path (the term `C#`) is the folder's name, so the URL says %23, as Hugo's.
    page.rel_permalink = rel_permalink.replace("#", "%23")
    page.permalink = absolute_url(config.base_url, page.rel_permalink)
    page.output_path = output_path(page.rel_permalink, base_path(config.base_url))


def _front_matter_url(url: str, config: SiteConfig) -> str:
    """A front matter `url` is the page's URL as written, under the base URL's path, in any
    language. As Hugo's, one with a dot and no closing slash (`/humans.txt`, `/v/1.2`) names a
    file; any other a folder."""
    url = url if url.startswith("/") else "/" + url
    names_file = "." in url and not url.endswith("/")
    return base_path(config.base_url) + (url if names_file else url + "/")


def _page_url(page: Page, config: SiteConfig, prefix: str, folder_slugs: dict[str, str]) -> str:
    if page.url:
        return _front_matter_url(page.url, config)
    pattern = config.permalinks.get(page.section) or config.permalinks.get(page.type)
    if pattern:
        return join_url(prefix, expand_permalink(pattern, page))
    return join_url(prefix, content_path(page, folder_slugs))


def _list_url(page: Page, config: SiteConfig, default: str) -> str:
    """A home or section list: its front matter `url` (`url: "/"` on a section), else `default`."""
    return _front_matter_url(page.url, config) if page.url else default


def _resources(page: Page, resources: dict[str, list], config: SiteConfig) -> list[Resource]:
    if page.source is None or page.source.bundle != "leaf":
        return []
    found = []
    for path, name in resources.get(str(page.source.rel.parent), []):
        rel = page.rel_permalink + name
        found.append(Resource(path, name, rel, absolute_url(config.base_url, rel)))
    return found


def _page_dir(page: Page) -> str:
    """The folder a regular page lives in (a leaf bundle's folder's parent), "" at the root."""
    assert page.source is not None
    folder = page.source.rel.parent
    if page.source.bundle == "leaf":
        folder = folder.parent
    return "" if str(folder) == "." else str(folder)


def _nearest_section(folder: str, sections: dict[str, Page]) -> str:
    """Hugo's section of a folder: the nearest folder up that is a section ("" is the home)."""
    while folder and folder not in sections:
        folder = folder.rpartition("/")[0]
    return folder


def _sections(
    config: SiteConfig,
    language: LanguageConfig,
    prefix: str,
    regular: list[Page],
    branches: dict[str, Page],
    plurals: set[str],
    folder_slugs: dict[str, str],
) -> dict[str, Page]:
    """Every section by its folder: each top folder holding content, and every folder at any
    depth with an `_index.md` (content/blog/AUTHOR/_index.md is a section inside blog); a
    taxonomy's folder (content/tags/) is no section."""
    names = (
        {p.section for p in regular if p.section}
        | {d.split("/")[0] for d in branches}
        | set(branches)
    )
    names = {name for name in names if name.split("/")[0] not in plurals}
    sections = {}
    for name in sorted(names):
        page = branches.get(name) or Page(
            kind="section", lang=language.code, title=name.capitalize()
        )
        page.section = name.split("/")[0]
        page.section_path = name
        page.title = page.title or name.rsplit("/", 1)[-1].capitalize()
        pattern = config.section_permalinks.get(page.section)
        default = join_url(
            prefix,
            expand_permalink(pattern, page)
            if pattern
            else content_path(page, folder_slugs)
            if page.source
            else path_segment(name),
        )
        _set_url(page, _list_url(page, config, default), config)
        sections[name] = page
    return sections


def _nest(home: Page, sections: dict[str, Page], regular: list[Page]) -> None:
    """Each list's pages, as Hugo paginates them: a section lists its own regular pages
    (pages in plain folders below it included), the home its root pages and top sections."""
    members: dict[str, list[Page]] = {"": [], **{name: [] for name in sections}}
    for page in regular:
        members[page.section_path].append(page)
    for name, section in sections.items():
        parent = _nearest_section(name.rpartition("/")[0], sections)
        section.parent = sections[parent] if parent else home
        if not parent:
            members[""].append(section)
    for name, listed in members.items():
        owner = sections[name] if name else home
        owner.pages = sort_pages(listed)
        for member in listed:
            member.parent = owner


def _link_neighbours(sections: list[Page]) -> None:
    for section in sections:
        members = sorted(
            (p for p in section.pages if p.kind == "page"),
            key=lambda p: p.date or EPOCH,
            reverse=True,
        )
        for newer, older in zip(members, members[1:]):
            older.prev, newer.next = newer, older


def _taxonomies(
    config: SiteConfig,
    language: LanguageConfig,
    prefix: str,
    regular: list[Page],
    own: dict[str, Page],
    diagnostics: Diagnostics,
) -> dict[str, Page]:
    """Each taxonomy's list and term pages; `own` are their content files by folder
    (content/tags/_index.md for the list, content/tags/go/_index.md for the term `go`)."""
    taxonomies = {}
    for plural in config.taxonomies.values():
        taxonomy = _list_page(own.get(plural), "taxonomy", language, plural.capitalize())
        taxonomy.taxonomy = taxonomy.section = plural
        _set_url(taxonomy, _list_url(taxonomy, config, join_url(prefix, plural)), config)
        contents = {
            term_slug(folder.split("/", 1)[1]): page
            for folder, page in own.items()
            if folder.startswith(plural + "/")
        }
        terms: dict[str, Page] = {}
        named = [(page, name) for page in regular for name in page.taxonomies.get(plural, [])]
        named += [
            (None, folder.split("/", 1)[1]) for folder in own if folder.startswith(plural + "/")
        ]
        for page, name in named:
            slug = term_slug(name)
            if not slug:  # a term of punctuation only (`{}`): Hugo publishes no page for it
                _warn_term_without_url(diagnostics, plural, name, page)
                continue
            term = terms.get(slug)
            if term is None:
                term = _list_page(contents.get(slug), "term", language, term_title(name))
                term.term, term.taxonomy, term.section = name, plural, plural
                pattern = config.term_permalinks.get(plural)
                default = join_url(
                    prefix, expand_permalink(pattern, term) if pattern else f"{plural}/{slug}"
                )
                _set_url(term, _list_url(term, config, default), config)
                terms[slug] = term
            if page is not None and page not in term.pages:
                term.pages.append(page)
        for term in terms.values():
            term.pages = sort_pages(term.pages)
        taxonomy.pages = sorted(terms.values(), key=lambda t: t.term.lower())
        taxonomies[plural] = taxonomy
    return taxonomies


def _warn_term_without_url(
    diagnostics: Diagnostics, plural: str, name: str, page: Page | None
) -> None:
    # Hugo publishes such a term over the taxonomy's own list page; sitegen keeps the list.
    diagnostics.warn(
        f"the {plural} term {name!r} has no letter or digit to make its URL of: left out",
        page.source.path if page is not None and page.source else None,
        hint=f"give the term a letter or digit, or remove it from '{plural}' in the front matter",
    )


def _list_page(own: Page | None, kind: str, language: LanguageConfig, title: str) -> Page:
    """A taxonomy or term page: its own content file's page when it has one."""
    if own is None:
        return Page(kind=kind, lang=language.code, title=title)
    own.kind, own.title = kind, own.title or title
    return own


def term_title(term: str) -> str:
    """Hugo title-cases a term's words; a word with capitals stays as written (`DNSBL`,
    `SOGo`, `iOS`), so "What's up?" becomes "What's Up?"."""
    return " ".join(
        word if any(c.isupper() for c in word) else word[:1].upper() + word[1:]
        for word in term.split(" ")
    )


def _not_found_page(config: SiteConfig, language: LanguageConfig, prefix: str) -> Page:
    page = Page(kind="404", lang=language.code, title="404")
    _set_url(page, join_url(prefix) + "404.html", config)
    return page


def _check_duplicate_paths(site: Site, diagnostics: Diagnostics) -> None:
    seen: dict[str, Page] = {}
    for page in site.pages:
        other = seen.get(page.output_path)
        if other is not None and page.source is not None:
            first = other.source.path if other.source else other.rel_permalink
            diagnostics.error(
                SiteError(
                    f"two pages publish to /{page.output_path} (the other is {first})",
                    page.source.path,
                    1,
                    hint="give one of them another 'slug' or 'url' in its front matter",
                )
            )
        seen[page.output_path] = page
