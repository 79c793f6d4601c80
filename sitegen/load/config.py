"""Load a Hugo site configuration into typed, validated objects.

Hugo's keys are case-insensitive and sites carry many a generator does not use: we keep
`params` free-form, read the keys we understand (KNOWN_KEYS); the build names the others in
its one warning of unsupported Hugo features (sitegen.load.hugo_features).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from sitegen.load.bounded import load_yaml, parse_bounded
from sitegen.load.config_types import check_config_types
from sitegen.errors import BuildFailed, Diagnostics, SiteError

CONFIG_NAMES = ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.yml", "config.yml", "hugo.json", "config.json")

# Keys sitegen reads (lowercased). Anything else at the top level is reported once.
KNOWN_KEYS = {
    "baseurl", "title", "languagecode", "defaultcontentlanguage", "defaultcontentlanguageinsubdir",
    "theme", "themesdir", "paginate", "pagination", "summarylength", "taxonomies", "permalinks", "params",
    "menu", "menus", "markup", "enablerobotstxt", "sitemap", "author", "copyright", "languages",
    "contentdir", "staticdir", "layoutdir", "i18ndir", "datadir", "archetypedir", "publishdir",
    "enablegitinfo", "minify", "strictencoding", "fixencoding", "builddrafts", "buildfuture", "buildexpired",
    "timezone", "mainsections", "services", "rsslimit", "disablekinds", "outputs", "privacy",
    "enableemoji", "hasCJKlanguage".lower(), "releases", "cachedir", "uglyurls", "canonifyurls", "assetdir",
    "security", "largepostsize",
}

DEFAULT_TAXONOMIES = {"tag": "tags", "category": "categories"}


@dataclass(frozen=True)
class LanguageConfig:
    """One of the site's languages, as `[languages.xx]` declares it."""

    code: str
    name: str
    locale: str  # for Babel and <html lang>: languageCode / locale, else the code
    title: str
    weight: int
    params: dict[str, Any]
    menus: dict[str, list[dict[str, Any]]]
    content_dir: str | None = None
    date_format: str = ""

    @property
    def babel_locale(self) -> str:
        return self.locale.replace("-", "_")


@dataclass(frozen=True)
class SiteConfig:
    source: Path
    config_file: Path | None
    base_url: str
    title: str
    default_language: str
    default_in_subdir: bool
    languages: tuple[LanguageConfig, ...]
    themes: tuple[str, ...]
    pager_size: int
    summary_length: int
    taxonomies: dict[str, str]  # singular -> plural
    permalinks: dict[str, str]  # section or type -> pattern, for regular pages
    params: dict[str, Any]
    menus: dict[str, list[dict[str, Any]]]
    markup: dict[str, Any]
    enable_robots: bool
    sitemap: dict[str, Any]
    author: dict[str, Any]
    copyright: str
    content_dir: str = "content"
    static_dir: str = "static"
    layout_dir: str = "layouts"
    i18n_dir: str = "i18n"
    data_dir: str = "data"
    archetype_dir: str = "archetypes"
    themes_dir: str = "themes"
    enable_git_info: bool = False
    minify: bool = False
    strict_encoding: bool = False
    main_sections: tuple[str, ...] = ()
    rss_limit: int = -1
    enable_emoji: bool = False
    section_permalinks: dict[str, str] = field(default_factory=dict)  # [permalinks.section]
    term_permalinks: dict[str, str] = field(default_factory=dict)  # [permalinks.term], by taxonomy
    allow_html_content: bool = False  # security.allowContent accepts text/html
    disabled_kinds: frozenset[str] = frozenset()  # disableKinds, lowercased
    time_zone: str = ""  # timeZone: where dates without an offset are (IANA name), else UTC
    disabled_languages: frozenset[str] = frozenset()  # languages.xx.disabled: their files are skipped
    large_post_size: int = 10_000_000  # bytes; a bigger content file is built, with a warning
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_multilingual(self) -> bool:
        return len(self.languages) > 1

    @property
    def zone(self) -> tzinfo:
        return ZoneInfo(self.time_zone) if self.time_zone else timezone.utc

    def language(self, code: str) -> LanguageConfig:
        for language in self.languages:
            if language.code == code:
                return language
        raise KeyError(code)

    def language_prefix(self, code: str) -> str:
        """URL prefix of a language: "" for the default language at the root, else "/de"."""
        if code == self.default_language and not self.default_in_subdir:
            return ""
        return f"/{code}"

    def path(self, name: str) -> Path:
        return self.source / name


def find_config_file(source: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = source / name
        if candidate.is_file():
            return candidate
    return None


def parse_config_text(text: str, path: Path, allow_list: bool = False) -> Any:
    """Parse TOML, YAML or JSON, turning syntax errors into located SiteErrors."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            data = parse_bounded(tomllib.loads, text, path, "the file")
        elif suffix in (".yaml", ".yml"):
            data = parse_bounded(load_yaml, text, path, "the file") or {}
        else:
            data = parse_bounded(json.loads, text, path, "the file") if text.strip() else {}
    except tomllib.TOMLDecodeError as exc:
        message, line, column = toml_error(exc)
        raise SiteError(f"invalid TOML: {message}", path, line, column,
                        hint="fix the syntax at that place (quotes, brackets, '=' between key and value)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SiteError(f"invalid YAML: {problem}", path, line, column,
                        hint="check the indentation and quoting at that place") from None
    except json.JSONDecodeError as exc:
        raise SiteError(f"invalid JSON: {exc.msg}", path, exc.lineno, exc.colno) from None
    if not isinstance(data, dict) and not (allow_list and isinstance(data, list)):
        raise SiteError("the file must be a mapping of keys to values", path, 1)
    return data


def toml_error(exc: tomllib.TOMLDecodeError) -> tuple[str, int | None, int | None]:
    """tomllib puts the place into its message: (message without it, line, column)."""
    text = str(exc)
    match = re.search(r"line (\d+), column (\d+)", text)
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", text)
    return (message, int(match[1]), int(match[2])) if match else (message, None, None)


def lower_keys(mapping: dict[str, Any]) -> dict[str, Any]:
    """Hugo reads config keys case-insensitively; lowercase one level of keys."""
    return {str(k).lower(): v for k, v in mapping.items()}


def load_config(source: Path, diagnostics: Diagnostics, overrides: dict[str, Any] | None = None,
                config_file: Path | None = None) -> SiteConfig:
    """Read the site's config file (`config_file`, else the one find_config_file finds, else
    defaults) into a SiteConfig."""
    source = source.resolve()
    if config_file is not None and not Path(config_file).is_file():
        raise SiteError("the config file does not exist", config_file, hint="check the --config path")
    config_file = Path(config_file).resolve() if config_file is not None else find_config_file(source)
    raw: dict[str, Any] = {}
    if config_file is not None:
        text = config_file.read_text(encoding="utf-8-sig")
        raw = parse_config_text(text, config_file)
        if errors := check_config_types(raw, text, config_file):
            raise BuildFailed(errors)
    raw.update(overrides or {})
    try:
        return _site_config(source, config_file, raw, diagnostics)
    except (TypeError, ValueError, AttributeError) as exc:  # a type check_config_types does not know yet
        raise SiteError(f"a config value has the wrong type: {exc}", config_file,
                        hint="check the types of the values in the config file") from None


def _site_config(source: Path, config_file: Path | None, raw: dict[str, Any], diagnostics: Diagnostics) -> SiteConfig:
    cfg = lower_keys(raw)  # keys sitegen does not read are reported by sitegen.load.hugo_features

    default_language = str(cfg.get("defaultcontentlanguage", "en")).lower()
    languages = _load_languages(cfg, default_language, config_file)
    theme = cfg.get("theme") or []
    themes = tuple([theme] if isinstance(theme, str) else [str(t) for t in theme])
    pagination = lower_keys(cfg.get("pagination") or {})
    pager_size = int(pagination.get("pagersize") or cfg.get("paginate") or 10)
    taxonomies = cfg.get("taxonomies")
    taxonomies = {str(k): str(v) for k, v in taxonomies.items()} if isinstance(taxonomies, dict) else dict(DEFAULT_TAXONOMIES)
    services = lower_keys(cfg.get("services") or {})
    rss = lower_keys(services.get("rss") or {})
    main_sections = lower_keys(cfg.get("params") or {}).get("mainsections") or cfg.get("mainsections") or ()
    if isinstance(main_sections, str):
        main_sections = (main_sections,)

    return SiteConfig(
        source=source,
        config_file=config_file,
        base_url=str(cfg.get("baseurl", "/")),
        title=str(cfg.get("title", "")),
        default_language=default_language,
        default_in_subdir=bool(cfg.get("defaultcontentlanguageinsubdir", False)),
        languages=languages,
        themes=themes,
        pager_size=max(1, pager_size),
        summary_length=int(cfg.get("summarylength", 70)),
        taxonomies=taxonomies,
        permalinks=_permalinks(cfg.get("permalinks"), "page"),
        section_permalinks=_permalinks(cfg.get("permalinks"), "section"),
        term_permalinks=_permalinks(cfg.get("permalinks"), "term"),
        params=dict(cfg.get("params") or {}),
        menus=_menus(cfg),
        markup=dict(cfg.get("markup") or {}),
        enable_robots=bool(cfg.get("enablerobotstxt", False)),
        sitemap=lower_keys(cfg.get("sitemap") or {}),
        author=dict(cfg.get("author") or {}) if isinstance(cfg.get("author"), dict) else {"name": str(cfg.get("author", ""))},
        copyright=str(cfg.get("copyright", "")),
        content_dir=str(cfg.get("contentdir", "content")),
        static_dir=str(cfg.get("staticdir", "static")),
        layout_dir=str(cfg.get("layoutdir", "layouts")),
        i18n_dir=str(cfg.get("i18ndir", "i18n")),
        data_dir=str(cfg.get("datadir", "data")),
        archetype_dir=str(cfg.get("archetypedir", "archetypes")),
        themes_dir=str(cfg.get("themesdir", "themes")),
        enable_git_info=bool(cfg.get("enablegitinfo", False)),
        minify=bool(cfg.get("minify", False)),
        strict_encoding=bool(cfg.get("strictencoding", False)),
        main_sections=tuple(main_sections),
        rss_limit=int(rss.get("limit", cfg.get("rsslimit", -1))),
        enable_emoji=bool(cfg.get("enableemoji", False)),
        allow_html_content=_allows_content(lower_keys(cfg.get("security") or {}).get("allowcontent"), "text/html"),
        disabled_kinds=_disabled_kinds(cfg.get("disablekinds"), config_file, diagnostics),
        time_zone=_time_zone(cfg.get("timezone"), config_file),
        disabled_languages=frozenset(str(code).lower() for code, spec in (cfg.get("languages") or {}).items()
                                     if isinstance(spec, dict) and lower_keys(spec).get("disabled")),
        large_post_size=int(cfg.get("largepostsize", 10_000_000)),
        raw=raw,
    )


# Hugo's page and output kinds that disableKinds can name.
DISABLEABLE_KINDS = ("page", "home", "section", "taxonomy", "term", "rss", "sitemap", "robotstxt", "404")


def _time_zone(value: Any, config_file: Path | None) -> str:
    if not value:
        return ""
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise SiteError(f"timeZone {value!r} is not a time zone name", config_file,
                        hint="use an IANA name such as \"Europe/Berlin\" or \"America/New_York\"") from None
    return str(value)


def _permalinks(table: Any, kind: str) -> dict[str, str]:
    """Hugo's `permalinks`: `posts = "/:year/:slug/"` for pages, or per kind in
    `[permalinks.page]`, `[permalinks.section]`, `[permalinks.term]` tables."""
    table = table if isinstance(table, dict) else {}
    found = {str(k): str(v) for k, v in table.items() if isinstance(v, str)} if kind == "page" else {}
    own = next((v for k, v in table.items() if str(k).lower() == kind), None)
    if isinstance(own, dict):
        found.update({str(k): str(v) for k, v in own.items() if isinstance(v, str)})
    return found


def _allows_content(patterns: Any, media_type: str) -> bool:
    """Hugo's whitelist: a match of any pattern accepts, `! pattern`s refuse what they match
    and accept the rest, `none` refuses all; the default is `! ^text/html$`."""
    if patterns is None:
        patterns = ["! ^text/html$"]
    patterns = [patterns] if isinstance(patterns, str) else [str(p) for p in patterns]
    if any(p.strip().lower() == "none" for p in patterns):
        return False
    negated = [p.strip()[1:].strip() for p in patterns if p.strip().startswith("!")]
    positive = [p.strip() for p in patterns if p.strip() and not p.strip().startswith("!")]
    if any(re.search(p, media_type) for p in positive):
        return True
    return bool(negated) and not any(re.search(p, media_type) for p in negated)


def _disabled_kinds(value: Any, config_file: Path | None, diagnostics: Diagnostics) -> frozenset[str]:
    kinds = [value] if isinstance(value, str) else list(value or [])
    known = {str(kind).lower() for kind in kinds if str(kind).lower() in DISABLEABLE_KINDS}
    unknown = [str(kind) for kind in kinds if str(kind).lower() not in DISABLEABLE_KINDS]
    if unknown:
        diagnostics.warn(f"disableKinds: unknown kinds {', '.join(unknown)} (known: {', '.join(DISABLEABLE_KINDS)})",
                         config_file)
    return frozenset(known)


def _menus(table: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """`menu` and `menus` both name the menus table: {name: [entry, ...]}."""
    merged: dict[str, list[dict[str, Any]]] = {}
    for key in ("menu", "menus"):
        for name, entries in (table.get(key) or {}).items():
            if isinstance(entries, dict):
                entries = [entries]
            merged.setdefault(str(name), []).extend(e for e in entries if isinstance(e, dict))
    return merged


def _load_languages(cfg: dict[str, Any], default_language: str, config_file: Path | None) -> tuple[LanguageConfig, ...]:
    table = cfg.get("languages") or {}
    if not table:
        code = default_language
        locale = str(cfg.get("languagecode") or code)
        return (LanguageConfig(code, code, locale, str(cfg.get("title", "")), 0, {}, {}),)
    languages = []
    for code, spec in table.items():
        spec = lower_keys(spec or {})
        if spec.get("disabled"):
            continue
        code = str(code).lower()
        params = dict(spec.get("params") or {})
        languages.append(LanguageConfig(
            code=code,
            name=str(spec.get("languagename") or spec.get("label") or code),
            locale=str(spec.get("locale") or spec.get("languagecode") or code),
            title=str(spec.get("title") or cfg.get("title", "")),
            weight=int(spec.get("weight", 0)),
            params=params,
            menus=_menus(spec),
            content_dir=spec.get("contentdir"),
            date_format=str(spec.get("dateformat") or lower_keys(params).get("dateformat", "")),
        ))
    if default_language not in {lang.code for lang in languages}:
        raise SiteError(f"defaultContentLanguage {default_language!r} is not one of the languages "
                        f"({', '.join(lang.code for lang in languages)})", config_file,
                        hint="add it under [languages] or change defaultContentLanguage")
    return tuple(sorted(languages, key=lambda lang: (lang.weight or 1_000_000, lang.code)))
