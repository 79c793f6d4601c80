"""What templates see as `site`: one read-only view per language."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sitegen import __version__
from sitegen.load.config import SiteConfig
from sitegen.load.config_values import LanguageConfig
from sitegen.models import MenuEntry, Page
from sitegen.render.recording import SITE, as_moment, note_view_read
from sitegen.site.assemble import LanguageSite, Site


def merge_params(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Language params over site params, merged table by table as Hugo does."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_params(merged[key], value)
        else:
            merged[key] = value
    return merged


@dataclass
class SiteView:
    title: str
    base_url: str
    params: dict[str, Any]
    language: LanguageConfig
    languages: list[LanguageConfig]
    is_multilingual: bool
    home: Page
    home_url: str
    menus: dict[str, list[MenuEntry]]
    taxonomies: dict[str, list[Page]]
    regular_pages: list[Page]
    sections: list[Page]
    author: dict[str, Any]
    copyright: str
    rss_url: str
    build_date: datetime
    default_language: str = "en"
    generator: str = f"sitegen {__version__}"
    homes: dict[str, Page] = field(default_factory=dict)  # language code -> home, for switchers
    term_urls: dict[str, dict[str, str]] = field(
        default_factory=dict
    )  # taxonomy -> term name -> URL

    @property
    def lang(self) -> str:
        return self.language.code


class RecordedSiteView(SiteView):
    """A site view whose every field read is recorded while a recording is in progress
    (sitegen.render.recording), by templates and Python code alike: what a page's shortcodes
    and alerts read of the site, so that a body is rendered again only when that changed.
    The build date's parts are recorded by the moment itself."""

    def __getattribute__(self, name: str) -> Any:
        if name[0] != "_" and name != "build_date":
            note_view_read(SITE + object.__getattribute__(self, "language").code, name)
        return object.__getattribute__(self, name)


def recorded_views(views: dict[str, SiteView]) -> dict[str, SiteView]:
    """The views as RecordedSiteViews, for the renders that record what they read of them."""
    return {
        code: RecordedSiteView(**{f.name: getattr(view, f.name) for f in fields(view)})
        for code, view in views.items()
    }


def site_views(site: Site, build_date: datetime) -> dict[str, SiteView]:
    config = site.config
    build_date = as_moment(
        build_date
    )  # templates' reads of it are recorded (sitegen.render.recording)
    homes = {lang.language.code: lang.home for lang in site.languages}
    return {lang.language.code: _view(config, lang, build_date, homes) for lang in site.languages}


def _view(
    config: SiteConfig, lang: LanguageSite, build_date: datetime, homes: dict[str, Page]
) -> SiteView:
    return SiteView(
        title=lang.language.title or config.title,
        base_url=config.base_url,
        params=merge_params(config.params, lang.language.params),
        language=lang.language,
        languages=list(config.languages),
        is_multilingual=config.is_multilingual,
        home=lang.home,
        home_url=lang.home.rel_permalink,
        menus=lang.menus,
        taxonomies={plural: page.pages for plural, page in lang.taxonomies.items()},
        regular_pages=lang.regular_pages,
        sections=[
            section for section in lang.sections if section.parent is lang.home
        ],  # top-level, as Hugo's
        author=config.author,
        copyright=config.copyright,
        rss_url=lang.home.rel_permalink + "index.xml",
        build_date=build_date,
        homes=homes,
        default_language=config.default_language,
        term_urls={plural: _first_urls(page.pages) for plural, page in lang.taxonomies.items()},
    )


def _first_urls(terms: list[Page]) -> dict[str, str]:
    """Term name -> its page's URL (the first page, where two share a name)."""
    urls: dict[str, str] = {}
    for term in terms:
        urls.setdefault(term.term, term.rel_permalink)
    return urls
