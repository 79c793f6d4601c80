"""How each Hugo config key is read: languages, menus, permalinks, disableKinds, timeZone,
security.allowContent; the pieces sitegen.load.config assembles into a SiteConfig."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.errors import Diagnostics, SiteError

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


def lower_keys(mapping: dict[str, Any]) -> dict[str, Any]:
    """Hugo reads config keys case-insensitively; lowercase one level of keys."""
    return {str(k).lower(): v for k, v in mapping.items()}


# Hugo's page and output kinds that disableKinds can name.
DISABLEABLE_KINDS = (
    "page",
    "home",
    "section",
    "taxonomy",
    "term",
    "rss",
    "sitemap",
    "robotstxt",
    "404",
)


def time_zone(value: Any, config_file: Path | None) -> str:
    if not value:
        return ""
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise SiteError(
            f"timeZone {value!r} is not a time zone name",
            config_file,
            hint='use an IANA name such as "Europe/Berlin" or "America/New_York"',
        ) from None
    return str(value)


def permalinks(table: Any, kind: str) -> dict[str, str]:
    """Hugo's `permalinks`: `posts = "/:year/:slug/"` for pages, or per kind in
    `[permalinks.page]`, `[permalinks.section]`, `[permalinks.term]` tables."""
    table = table if isinstance(table, dict) else {}
    found = (
        {str(k): str(v) for k, v in table.items() if isinstance(v, str)} if kind == "page" else {}
    )
    own = next((v for k, v in table.items() if str(k).lower() == kind), None)
    if isinstance(own, dict):
        found.update({str(k): str(v) for k, v in own.items() if isinstance(v, str)})
    return found


def allows_content(patterns: Any, media_type: str) -> bool:
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


def disabled_kinds(
    value: Any, config_file: Path | None, diagnostics: Diagnostics
) -> frozenset[str]:
    kinds = [value] if isinstance(value, str) else list(value or [])
    known = {str(kind).lower() for kind in kinds if str(kind).lower() in DISABLEABLE_KINDS}
    unknown = [str(kind) for kind in kinds if str(kind).lower() not in DISABLEABLE_KINDS]
    if unknown:
        diagnostics.warn(
            f"disableKinds: unknown kinds {', '.join(unknown)} (known: {', '.join(DISABLEABLE_KINDS)})",
            config_file,
        )
    return frozenset(known)


def menus(table: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """`menu` and `menus` both name the menus table: {name: [entry, ...]}."""
    merged: dict[str, list[dict[str, Any]]] = {}
    for key in ("menu", "menus"):
        for name, entries in (table.get(key) or {}).items():
            if isinstance(entries, dict):
                entries = [entries]
            merged.setdefault(str(name), []).extend(e for e in entries if isinstance(e, dict))
    return merged


def load_languages(
    cfg: dict[str, Any], default_language: str, config_file: Path | None
) -> tuple[LanguageConfig, ...]:
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
        languages.append(
            LanguageConfig(
                code=code,
                name=str(spec.get("languagename") or spec.get("label") or code),
                locale=str(spec.get("locale") or spec.get("languagecode") or code),
                title=str(spec.get("title") or cfg.get("title", "")),
                weight=int(spec.get("weight", 0)),
                params=params,
                menus=menus(spec),
                content_dir=spec.get("contentdir"),
                date_format=str(spec.get("dateformat") or lower_keys(params).get("dateformat", "")),
            )
        )
    if default_language not in {lang.code for lang in languages}:
        raise SiteError(
            f"defaultContentLanguage {default_language!r} is not one of the languages "
            f"({', '.join(lang.code for lang in languages)})",
            config_file,
            hint="add it under [languages] or change defaultContentLanguage",
        )
    return tuple(sorted(languages, key=lambda lang: (lang.weight or 1_000_000, lang.code)))
