"""The types of the config keys sitegen reads, checked before anything uses them.

A wrongly typed value (`params = true`, `paginate = ["a"]`, `[sitemap] priority = 'high'`)
is the author's mistake: each one is an error with the key's line, all reported together.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sitegen.errors import SiteError

TEXT, FLAG, TABLE, LIST = "text", "true or false", "table", "list"
WHOLE, NUMBER = "whole number", "number"
ANY = "any value"  # a key sitegen knows whose value it does not check (Hugo takes several shapes)

_LANGUAGE = {
    "weight": WHOLE,
    "params": TABLE,
    "title": TEXT,
    "contentdir": TEXT,
    "languagecode": TEXT,
    "locale": TEXT,
    "languagename": TEXT,
    "label": TEXT,
    "dateformat": TEXT,
    "menu": TABLE,
    "menus": TABLE,
    "disabled": FLAG,
}

KEY_TYPES: dict[str, tuple[str, ...]] = {
    **{
        key: (TEXT,)
        for key in (
            "baseurl",
            "title",
            "languagecode",
            "defaultcontentlanguage",
            "themesdir",
            "copyright",
            "contentdir",
            "staticdir",
            "layoutdir",
            "i18ndir",
            "datadir",
            "archetypedir",
            "publishdir",
            "timezone",
        )
    },
    **{
        key: (FLAG,)
        for key in (
            "defaultcontentlanguageinsubdir",
            "enablerobotstxt",
            "enablegitinfo",
            "strictencoding",
            "builddrafts",
            "buildfuture",
            "buildexpired",
        )
    },
    **{
        key: (TABLE,)
        for key in (
            "pagination",
            "taxonomies",
            "permalinks",
            "params",
            "menu",
            "menus",
            "markup",
            "sitemap",
            "languages",
            "services",
            "services.rss",
            "markup.goldmark",
            "markup.goldmark.renderer",
            "markup.goldmark.extensions",
            "markup.highlight",
            "markup.tableofcontents",
        )
    },
    **{
        key: (WHOLE,)
        for key in (
            "paginate",
            "pagination.pagersize",
            "summarylength",
            "services.rss.limit",
            "rsslimit",
            "largepostsize",
            "markup.tableofcontents.startlevel",
            "markup.tableofcontents.endlevel",
        )
    },
    **{
        key: (ANY,)
        for key in (
            "disablekinds",  # its values are checked by config_values.disabled_kinds
            "fixencoding",
            "outputs",
            "privacy",
            "enableemoji",
            "hascjklanguage",
            "releases",
            "cachedir",
            "uglyurls",
            "canonifyurls",
            "assetdir",
            "security",
        )
    },
    "theme": (TEXT, LIST),
    "mainsections": (TEXT, LIST),
    "author": (TEXT, TABLE),
    "minify": (FLAG, TABLE),
    "sitemap.priority": (NUMBER,),
    "sitemap.changefreq": (TEXT,),
    "sitemap.filename": (TEXT,),
    "markup.goldmark.renderer.unsafe": (FLAG,),
    "markup.tableofcontents.ordered": (FLAG,),
    "params.mainsections": (TEXT, LIST),
    "taxonomies.*": (TEXT,),
    "permalinks.*": (TEXT, TABLE),
    "languages.*": (TABLE,),
    **{f"languages.*.{key}": (kind,) for key, kind in _LANGUAGE.items()},
}


_MENU_ENTRY = {
    "name": (TEXT,),
    "identifier": (TEXT,),
    "url": (TEXT,),
    "pageref": (TEXT,),
    "pre": (TEXT,),
    "post": (TEXT,),
    "title": (TEXT,),
    "parent": (TEXT,),
    "weight": (WHOLE,),
    "params": (TABLE,),
}
_MENUS = ("menu.*", "menus.*", "languages.*.menu.*", "languages.*.menus.*")


def check_config_types(raw: dict[str, Any], text: str, path: Path | None) -> list[SiteError]:
    """Every value of a known key whose type is not one sitegen (and Hugo) accepts."""
    errors: list[SiteError] = []
    _check_table(raw, (), text, path, errors)
    return errors


def _check_table(
    table: dict[str, Any],
    keys: tuple[str, ...],
    text: str,
    path: Path | None,
    errors: list[SiteError],
) -> None:
    for key, value in table.items():
        here = (*keys, str(key))
        if _pattern(here) in _MENUS:
            _check_menu(value, here, text, path, errors)
            continue
        wanted = KEY_TYPES.get(_pattern(here))
        if wanted is None:
            continue
        if not any(_fits(value, kind) for kind in wanted):
            dotted = ".".join(here)
            errors.append(
                SiteError(
                    f"config key '{dotted}' must be a {' or a '.join(wanted)}, not {_shown(value)}",
                    path,
                    key_line(text, here),
                    hint=f"write it as {_example(wanted[0])}, or remove the key",
                )
            )
        elif isinstance(value, dict):
            _check_table(value, here, text, path, errors)


def _check_menu(
    entries: Any, keys: tuple[str, ...], text: str, path: Path | None, errors: list[SiteError]
) -> None:
    """A menu is a list of entries (or one entry), each a table of known keys."""
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict):
            errors.append(
                SiteError(
                    f"menu '{'.'.join(keys)}' must hold entries (tables), not {_shown(entry)}",
                    path,
                    key_line(text, keys),
                    hint='write [[menu.main]] with name = "…", url = "…"',
                )
            )
            continue
        for key, value in entry.items():
            wanted = _MENU_ENTRY.get(str(key).lower())
            if wanted and not any(_fits(value, kind) for kind in wanted):
                errors.append(
                    SiteError(
                        f"menu entry key '{key}' must be a {' or a '.join(wanted)}, not {_shown(value)}",
                        path,
                        key_line(text, (*keys, str(key))),
                        hint=f"write it as {_example(wanted[0])}",
                    )
                )


def _pattern(keys: tuple[str, ...]) -> str:
    lowered = [key.lower() for key in keys]
    for index, key in enumerate(lowered[:-1]):
        if key in ("languages", "taxonomies", "permalinks", "menu", "menus") and (
            index == 0 or lowered[0] == "languages"
        ):
            lowered[index + 1] = "*"
    return ".".join(lowered)


def _fits(value: Any, kind: str) -> bool:
    if kind == ANY:
        return True
    if kind == TEXT:
        return isinstance(value, str)
    if kind == FLAG:
        return isinstance(value, bool)
    if kind == TABLE:
        return isinstance(value, dict)
    if kind == LIST:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if isinstance(value, bool):
        return False
    if kind == WHOLE:
        return isinstance(value, int) or (
            isinstance(value, str) and value.strip().lstrip("-").isdigit()
        )
    return isinstance(value, (int, float)) or (isinstance(value, str) and _is_number(value))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _shown(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _example(kind: str) -> str:
    return {
        TEXT: '"text"',
        FLAG: "true",
        TABLE: "a table ([name] in TOML)",
        LIST: '["a", "b"]',
        WHOLE: "10",
        NUMBER: "0.5",
    }[kind]


def key_line(text: str, keys: tuple[str, ...]) -> int | None:
    """Best-effort line of a nested key in a TOML, YAML or JSON file: each key searched for
    after the line of the one above it (as a `[table]` header or a `key =`/`key:` line)."""
    lines = text.splitlines()
    start, found = 0, None
    for key in keys:
        name = re.escape(key)
        pattern = re.compile(
            rf'^[\s{{,]*(\[+\s*([\w."-]+\.)?"?{name}"?\s*[\].]|"?{name}"?\s*[:=])', re.IGNORECASE
        )
        hit = next((n for n in range(start, len(lines)) if pattern.search(lines[n])), None)
        if hit is None:
            return found
        start, found = hit, hit + 1  # a [a.b] header holds the next key on the same line
    return found
