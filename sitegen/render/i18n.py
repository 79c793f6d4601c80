"""UI strings from Hugo-format i18n tables, with CLDR plurals, dates and numbers from Babel."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sitegen.errors import Diagnostics
from sitegen.load.config import parse_config_text
from sitegen.locale import babel_locale, known_answer


def format_number(value: float | int, locale: str) -> str:
    return known_answer("number", value, locale)


def format_relative(value: datetime | None, locale: str, now: datetime | None = None) -> str:
    if value is None:
        return ""
    from babel.dates import format_timedelta

    now = now or datetime.now(timezone.utc)
    return format_timedelta(value - now, add_direction=True, locale=babel_locale(locale))


def plural_form(count: float | int, locale: str) -> str:
    return known_answer("plural", count, locale)


@dataclass
class Translations:
    """Merged i18n tables: the site's own i18n/ over the theme's, per language."""

    tables: dict[str, dict[str, dict[str, str]]]  # lang -> key -> {form: text}
    default_language: str
    diagnostics: Diagnostics | None = None
    sources: dict[str, Path] = field(default_factory=dict)

    def translate(self, lang: str, key: str, count: Any = None, **values: Any) -> str:
        entry = self._lookup(lang, key)
        if entry is None:
            return key
        form = plural_form(count, lang) if isinstance(count, (int, float)) else "other"
        text = entry.get(form) or entry.get("other") or next(iter(entry.values()), key)
        if isinstance(count, (int, float)):
            values.setdefault("count", format_number(count, lang))
        return _fill(text, values)

    def get(self, lang: str, key: str) -> str | None:
        """The text for `key` in `lang` (or its base language), None when the table lacks it."""
        for code in (lang, lang.split("-")[0]):
            entry = self.tables.get(code, {}).get(key)
            if entry is not None:
                return entry.get("other") or next(iter(entry.values()), None)
        return None

    def _lookup(self, lang: str, key: str) -> dict[str, str] | None:
        own = [code for code in (lang, lang.split("-")[0]) if code in self.tables]
        for code in own:
            if key in self.tables[code]:
                return self.tables[code][key]
        if own:
            self._warn(
                f"missing translation {key!r} for language {lang!r}",
                self.sources.get(own[0]),
                f'add [{key}] with other = "…" to i18n/{own[0]}.toml',
            )
        for code in (self.default_language, "en"):
            entry = self.tables.get(code, {}).get(key)
            if entry is not None:
                return entry
        return None

    def _warn(self, message: str, source: Path | str | None, hint: str) -> None:
        if self.diagnostics is not None:
            self.diagnostics.warn(message, source, hint=hint)


def _fill(text: str, values: dict[str, Any]) -> str:
    if "{" not in text:  # most texts: templates ask for them on every page
        return text
    # Hugo tables write {{ .Count }}; ours write {count}. Both work.
    text = re.sub(r"\{\{\s*\.(\w+)\s*\}\}", lambda m: "{" + m[1].lower() + "}", text)
    try:
        return text.format(**{k.lower(): v for k, v in values.items()})
    except (KeyError, IndexError, ValueError):
        return text


def load_translations(
    dirs: list[Path],
    languages: list[str],
    default_language: str,
    diagnostics: Diagnostics | None,
    read_text=None,
) -> Translations:
    """Read i18n tables from each dir (lowest priority first); later dirs override earlier ones."""
    tables, sources = read_tables(dirs, languages, read_text)
    return translations_from(tables, sources, languages, default_language, diagnostics)


def read_tables(
    dirs: list[Path], languages: list[str], read_text=None
) -> tuple[dict[str, dict[str, dict[str, str]]], dict[str, Path]]:
    """(lang -> key -> {form: text}, lang -> the file its table came from last), the tables
    of `dirs` merged, later dirs over earlier ones: plain values, which a build can keep."""
    tables: dict[str, dict[str, dict[str, str]]] = {}
    sources: dict[str, Path] = {}
    for directory in dirs:
        if not directory.is_dir():
            continue
        found: dict[str, dict[str, dict[str, str]]] = {}
        for path in sorted(directory.iterdir()):
            if path.suffix not in (".toml", ".yaml", ".yml", ".json"):
                continue
            lang = path.stem.lower()
            text = read_text(path) if read_text else path.read_text(encoding="utf-8-sig")
            data = parse_config_text(text, path, allow_list=True)  # go-i18n's list form too
            found[lang] = _normalise(data)
            tables.setdefault(lang, {}).update(found[lang])
            sources[lang] = path
        _override_regions(tables, found, languages)
    return tables, sources


def translations_from(
    tables: dict[str, dict[str, dict[str, str]]],
    sources: dict[str, Path],
    languages: list[str],
    default_language: str,
    diagnostics: Diagnostics | None,
) -> Translations:
    """The Translations of tables `read_tables` gave, warning of each language without one."""
    translations = Translations(tables, default_language, diagnostics, sources)
    for lang in languages:  # said once, at load time, wherever the pages are rendered later
        if lang not in tables and lang.split("-")[0] not in tables:
            translations._warn(
                f"no i18n table for language {lang!r}; using {default_language!r} strings",
                f"i18n/{lang}.toml",
                f"add i18n/{lang}.toml to translate the theme's strings",
            )
    return translations


def _override_regions(
    tables: dict[str, dict[str, dict[str, str]]],
    found: dict[str, dict[str, dict[str, str]]],
    languages: list[str],
) -> None:
    """A folder's `pt.toml` speaks for a configured `pt-br` that the folder has no table of: a
    site's own words must beat a lower folder's (a theme's) `pt-br.toml`, not only fill its gaps."""
    for lang in languages:
        base = lang.split("-")[0]
        if lang != base and base in found and lang not in found and lang in tables:
            tables[lang].update(found[base])


def _normalise(data: Any) -> dict[str, dict[str, str]]:
    """Accept `[key] other = "…"`, `key = "…"` and the list form `[{id, translation}]`."""
    if isinstance(data, list):
        data = {item.get("id"): item.get("translation") for item in data if isinstance(item, dict)}
    table = {}
    for key, value in (data or {}).items():
        if isinstance(value, dict):
            table[str(key)] = {str(k): str(v) for k, v in value.items()}
        elif value is not None:
            table[str(key)] = {"other": str(value)}
    return table
