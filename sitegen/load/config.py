"""Load a Hugo site configuration into typed, validated objects.

Hugo's keys are case-insensitive and sites carry many a generator does not use: we keep
`params` free-form, read the keys we understand (KNOWN_KEYS); the build names the others in
its one warning of unsupported Hugo features (sitegen.load.hugo_features).
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from sitegen.errors import BuildFailed, Diagnostics, SiteError
from sitegen.load.bounded import load_yaml, parse_bounded
from sitegen.load.config_types import KEY_TYPES, check_config_types
from sitegen.load.config_values import (
    DEFAULT_TAXONOMIES,
    LanguageConfig,
    allows_content,
    disabled_kinds,
    load_languages,
    lower_keys,
    menus,
    permalinks,
    time_zone,
)

CONFIG_NAMES = (
    "hugo.toml",
    "config.toml",
    "hugo.yaml",
    "config.yaml",
    "hugo.yml",
    "config.yml",
    "hugo.json",
    "config.json",
)

# Keys sitegen reads (lowercased): those config_types knows. Anything else at the top level is
# reported once.
KNOWN_KEYS = frozenset(key for key in KEY_TYPES if "." not in key)


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
    disabled_languages: frozenset[str] = (
        frozenset()
    )  # languages.xx.disabled: their files are skipped
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
        raise SiteError(
            f"invalid TOML: {message}",
            path,
            line,
            column,
            hint="fix the syntax at that place (quotes, brackets, '=' between key and value)",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SiteError(
            f"invalid YAML: {problem}",
            path,
            line,
            column,
            hint="check the indentation and quoting at that place",
        ) from None
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


def load_config(
    source: Path,
    diagnostics: Diagnostics,
    overrides: dict[str, Any] | None = None,
    config_file: Path | None = None,
) -> SiteConfig:
    """Read the site's config file (`config_file`, else the one find_config_file finds, else
    defaults) into a SiteConfig."""
    source = source.resolve()
    if config_file is not None and not Path(config_file).is_file():
        raise SiteError(
            "the config file does not exist", config_file, hint="check the --config path"
        )
    config_file = (
        Path(config_file).resolve() if config_file is not None else find_config_file(source)
    )
    raw: dict[str, Any] = {}
    if config_file is not None:
        text = config_file.read_text(encoding="utf-8-sig")
        raw = parse_config_text(text, config_file)
        if errors := check_config_types(raw, text, config_file):
            raise BuildFailed(errors)
    raw.update(overrides or {})
    try:
        return _site_config(source, config_file, raw, diagnostics)
    except (
        TypeError,
        ValueError,
        AttributeError,
    ) as exc:  # a type check_config_types does not know yet
        raise SiteError(
            f"a config value has the wrong type: {exc}",
            config_file,
            hint="check the types of the values in the config file",
        ) from None


def _site_config(
    source: Path, config_file: Path | None, raw: dict[str, Any], diagnostics: Diagnostics
) -> SiteConfig:
    cfg = lower_keys(raw)  # keys sitegen does not read are reported by sitegen.load.hugo_features
    default_language = str(cfg.get("defaultcontentlanguage", "en")).lower()
    return SiteConfig(
        source=source,
        config_file=config_file,
        default_language=default_language,
        default_in_subdir=bool(cfg.get("defaultcontentlanguageinsubdir", False)),
        languages=load_languages(cfg, default_language, config_file),
        disabled_languages=frozenset(
            str(code).lower()
            for code, spec in (cfg.get("languages") or {}).items()
            if isinstance(spec, dict) and lower_keys(spec).get("disabled")
        ),
        **_identity(cfg),
        **_folders(cfg),
        **_lists(cfg),
        **_publishing(cfg, config_file, diagnostics),
        raw=raw,
    )


def _identity(cfg: dict[str, Any]) -> dict[str, Any]:
    """What the site is called and says about itself, and what its templates read."""
    theme = cfg.get("theme") or []
    author = cfg.get("author")
    return {
        "base_url": str(cfg.get("baseurl", "/")),
        "title": str(cfg.get("title", "")),
        "themes": tuple([theme] if isinstance(theme, str) else [str(t) for t in theme]),
        "params": dict(cfg.get("params") or {}),
        "menus": menus(cfg),
        "markup": dict(cfg.get("markup") or {}),
        "author": dict(author)
        if isinstance(author, dict)
        else {"name": str(cfg.get("author", ""))},
        "copyright": str(cfg.get("copyright", "")),
    }


def _folders(cfg: dict[str, Any]) -> dict[str, str]:
    """Where the site's sources are, relative to its folder."""
    names = {
        "content_dir": "content",
        "static_dir": "static",
        "layout_dir": "layouts",
        "i18n_dir": "i18n",
        "data_dir": "data",
        "archetype_dir": "archetypes",
        "themes_dir": "themes",
    }
    return {name: str(cfg.get(name.replace("_", ""), default)) for name, default in names.items()}


def _lists(cfg: dict[str, Any]) -> dict[str, Any]:
    """How pages are grouped, cut and addressed: pagers, summaries, taxonomies, permalinks, feeds."""
    pagination = lower_keys(cfg.get("pagination") or {})
    taxonomies = cfg.get("taxonomies")
    rss = lower_keys(lower_keys(cfg.get("services") or {}).get("rss") or {})
    main_sections = (
        lower_keys(cfg.get("params") or {}).get("mainsections") or cfg.get("mainsections") or ()
    )
    return {
        "pager_size": max(1, int(pagination.get("pagersize") or cfg.get("paginate") or 10)),
        "summary_length": int(cfg.get("summarylength", 70)),
        "taxonomies": (
            {str(k): str(v) for k, v in taxonomies.items()}
            if isinstance(taxonomies, dict)
            else dict(DEFAULT_TAXONOMIES)
        ),
        "permalinks": permalinks(cfg.get("permalinks"), "page"),
        "section_permalinks": permalinks(cfg.get("permalinks"), "section"),
        "term_permalinks": permalinks(cfg.get("permalinks"), "term"),
        "main_sections": (main_sections,)
        if isinstance(main_sections, str)
        else tuple(main_sections),
        "rss_limit": int(rss.get("limit", cfg.get("rsslimit", -1))),
    }


def _publishing(
    cfg: dict[str, Any], config_file: Path | None, diagnostics: Diagnostics
) -> dict[str, Any]:
    """What the build writes and how strictly it reads: outputs, dates, encoding, safety."""
    return {
        "enable_robots": bool(cfg.get("enablerobotstxt", False)),
        "sitemap": lower_keys(cfg.get("sitemap") or {}),
        "enable_git_info": bool(cfg.get("enablegitinfo", False)),
        "minify": bool(cfg.get("minify", False)),
        "strict_encoding": bool(cfg.get("strictencoding", False)),
        "enable_emoji": bool(cfg.get("enableemoji", False)),
        "allow_html_content": allows_content(
            lower_keys(cfg.get("security") or {}).get("allowcontent"), "text/html"
        ),
        "disabled_kinds": disabled_kinds(cfg.get("disablekinds"), config_file, diagnostics),
        "time_zone": time_zone(cfg.get("timezone"), config_file),
        "large_post_size": int(cfg.get("largepostsize", 10_000_000)),
    }


def without_titles(config: SiteConfig) -> SiteConfig:
    """The config with its title and its languages' titles blank: what the stages that never
    show a title (reading pages, Markdown) or see it only through the recorded site view
    (shortcodes) key their cache by, so a new title redoes none of their work."""
    languages = tuple(dataclasses.replace(lang, title="") for lang in config.languages)
    return dataclasses.replace(config, title="", languages=languages)
