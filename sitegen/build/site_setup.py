"""What a build sets up before its stages run: the config with its checks, the Hugo features
the site uses that sitegen does not, the i18n tables and the content stage's context."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from sitegen.build.cache import BuildCache, code_fingerprint, digest, files_digest
from sitegen.errors import BuildFailed, Diagnostics, SiteError
from sitegen.load.config import KNOWN_KEYS, SiteConfig, load_config
from sitegen.load.config_values import lower_keys
from sitegen.load.encoding import decode_source, repair_enabled
from sitegen.load.gotemplates import go_shortcodes
from sitegen.load.hugo_features import scan_config, scan_config_folder, scan_layouts
from sitegen.load.preflight import check_site_config, refuse_destination, require_site_folder
from sitegen.locale import ANSWERS
from sitegen.render.i18n import Translations, read_tables, translations_from
from sitegen.render.templates import Theme, theme_roots
from sitegen.site.assemble import Site
from sitegen.write.output import check_destination

if TYPE_CHECKING:
    from sitegen.content.body import ContentContext


def site_config(
    source: Path,
    diagnostics: Diagnostics,
    *,
    given_source: Path | None,
    base_url: str | None,
    config_file: Path | None,
    output_dir: Path,
) -> SiteConfig:
    """The config of the site in `source` (the folder `-s` gave: `given_source`), checked
    with the destination it is built into; every mistake as BuildFailed."""
    overrides: dict[str, Any] = {"baseURL": base_url} if base_url else {}
    try:
        require_site_folder(given_source)
        config = load_config(source, diagnostics, overrides, config_file)
        check_site_config(config, base_url)
        check_destination(source, output_dir, config.content_dir)
        refuse_destination(config, output_dir)
    except SiteError as error:
        raise BuildFailed([error]) from None
    return config


def asset_dirs(config: SiteConfig, override: str | None) -> list[Path]:
    folder = str(lower_keys(config.raw).get("assetdir", "assets"))
    return [config.source / folder] + [root / "assets" for root in theme_roots(config, override)]


def hugo_features(
    config: SiteConfig, theme: str | None, diagnostics: Diagnostics
) -> dict[str, str]:
    """Note the Hugo features the site uses that sitegen does not support; return its Go
    shortcodes (site and themes), which render as placeholders."""
    layouts = config.source / config.layout_dir
    diagnostics.unsupported += scan_config(
        config.raw, KNOWN_KEYS, config.config_file
    ) + scan_config_folder(config.source)
    diagnostics.unsupported += scan_layouts(layouts, config.source)
    return go_shortcodes([layouts] + [root / "layouts" for root in theme_roots(config, theme)])


def content_context(
    config: SiteConfig, site: Site, env, views, translations: Translations, diagnostics: Diagnostics
) -> ContentContext:
    from sitegen.content.body import ContentContext
    from sitegen.content.markdown.parser import MarkdownOptions
    from sitegen.render.views import recorded_views

    return ContentContext(
        env=env,
        options={
            lang.code: MarkdownOptions.from_markup(config.markup, lang.code, config.enable_emoji)
            for lang in config.languages
        },
        summary_length=config.summary_length,
        site_view=recorded_views(views).__getitem__,  # what bodies read of it is recorded
        translate=translations.translate,
        get_page=site.get_page,
        warn=diagnostics.warn,
    )


def translations_of(
    config: SiteConfig, themes: list[Theme], diagnostics: Diagnostics, cache: BuildCache
) -> Translations:
    """The i18n tables, parsed again only when a table's bytes (or the languages) changed:
    the built-in theme's sixteen TOML tables took tomllib about 20 ms every build."""
    dirs = i18n_dirs(config, themes)
    languages = [lang.code for lang in config.languages]
    repair = repair_enabled(config.raw)

    def read_text(path: Path) -> str:
        return decode_source(path.read_bytes(), path, repair).text

    key = digest(code_fingerprint(), files_digest(dirs), languages, repair) if cache.enabled else ""
    tables = cache.get("i18n", key, expect=_tables_shape) if key else None
    if tables is None:
        tables = read_tables(dirs, languages, read_text)
        if key:
            cache.put("i18n", key, tables)
    return translations_from(*tables, languages, config.default_language, diagnostics)


def locale_answers(cache: BuildCache) -> Callable[[], None]:
    """Start from the answers Babel gave the last build with this cache (sitegen.locale.ANSWERS:
    its dates, numbers and plurals); returns how to keep this build's for the next, which
    writes only when it asked Babel something new. Answers worked out in forked workers stay
    there: a parallel build keeps what it asked in this process."""
    if not cache.enabled:
        return lambda: None
    key = digest(code_fingerprint(), _babel_stamp())
    kept = cache.get("locale", key, expect=dict)
    ANSWERS.update(kept or {})
    known = len(ANSWERS) if kept is not None else -1  # none kept: keep these, even if none

    def keep() -> None:
        if len(ANSWERS) > known:
            cache.put("locale", key, dict(ANSWERS))

    return keep


def _babel_stamp() -> tuple[str, int, int] | None:
    """Which Babel is installed (its package's path, size and time), without importing it."""
    spec = importlib.util.find_spec("babel")
    if spec is None or spec.origin is None:
        return None
    status = os.stat(spec.origin)
    return spec.origin, status.st_size, status.st_mtime_ns


def _tables_shape(value: Any) -> bool:
    """The shape of an "i18n" cache entry: (tables, sources), two dicts (read_tables)."""
    return isinstance(value, tuple) and len(value) == 2 and all(isinstance(d, dict) for d in value)


def i18n_dirs(config: SiteConfig, themes: list[Theme]) -> list[Path]:
    return [theme.path / "i18n" for theme in reversed(themes)] + [config.source / config.i18n_dir]
