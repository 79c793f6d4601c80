"""The one warning that names every Hugo feature a site uses and sitegen does not support.

Each use is an `Unsupported` (sitegen.errors) with its file and line, gathered as the build
meets it: config keys and values, `module` imports and mounts, output formats, Go templates
in `layouts/` and the Hugo functions they call, Go shortcodes shown as placeholders. At the
end of the build (failed or not) they become one warning, grouped, so a user sees at once
what will differ from Hugo's output and how to port it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable

from sitegen.errors import Diagnostics, SiteError, Unsupported
from sitegen.load.gotemplates import go_layouts

# Output formats sitegen writes (sitemaps and robots.txt come from their own keys).
SUPPORTED_OUTPUTS = {"html", "rss"}
SUPPORTED_EXTENSIONS = {
    "table",
    "strikethrough",
    "linkify",
    "linkifyprotocol",
    "tasklist",
    "definitionlist",
    "footnote",
    "typographer",
}
SUPPORTED_RENDERER = {"unsafe", "hardwraps", "xhtml"}
SUPPORTED_PARSER = {
    "autoheadingid",
    "autoheadingidtype",
    "attribute",
    "wrapstandaloneimagewithinparagraph",
}
OTHER_MARKUP = (".adoc", ".asciidoc", ".ad", ".org", ".rst", ".pandoc", ".pdc")
SUPPORTED_MARKUP = {"goldmark", "highlight", "tableofcontents", "defaultmarkdownhandler"}
# Hugo functions in a site's Go layouts that make files or fetch data sitegen does not.
FEATURE_FUNCTIONS = {
    r"resources\.(?:Get|GetMatch|Match|GetRemote|FromString|ExecuteAsTemplate|Concat|Fingerprint|Minify|"
    r"PostCSS|PostProcess|ToCSS|Babel|Copy)": "Hugo Pipes (asset processing)",
    r"(?:css\.(?:Sass|PostCSS|TailwindCSS)|js\.(?:Build|Babel)|babel)\b": "Hugo Pipes (CSS/JS building)",
    r"\.(?:Resize|Fill|Fit|Crop|Filter|Process)\s+\"": "image processing",
    r"images\.\w+": "image processing",
    r"(?:getJSON|getCSV)\b": "remote data",
    r"transform\.Unmarshal\b": "data unmarshalling",
    r"\b(?:site|\.Site|hugo)\.Data\b": "data files in templates",
    r"\bopenapi3\.\w+": "OpenAPI documents",
}
KINDS = {  # kind -> heading, hint
    "config": (
        "config keys sitegen does not read",
        "remove them, or expect Hugo's behaviour for them to be missing",
    ),
    "config-value": ("config settings sitegen does not honour", ""),
    "config-dir": (
        "files of Hugo's configuration directory (config/), which sitegen does not read",
        "merge the settings into hugo.toml (or config.toml) at the site's root",
    ),
    "module": (
        "Hugo modules (`module` imports and mounts are not fetched or mounted)",
        "vendor the module's files into the site (themes/, layouts/, content/) instead",
    ),
    "output": (
        "output formats sitegen does not write",
        "sitegen writes HTML and RSS (plus sitemaps and robots.txt)",
    ),
    "go-theme": (
        "Hugo themes of Go templates (sitegen's built-in theme is used instead)",
        "remove 'theme', or give the theme Jinja2 layouts",
    ),
    "go-layout": (
        "Go templates in layouts/ (not run; sitegen's built-in theme renders these instead)",
        "port a layout by rewriting it in Jinja2 under the same name in layouts/",
    ),
    "go-function": (
        "Hugo functions the site's layouts call",
        "these outputs are missing from sitegen's build",
    ),
    "go-shortcode": (
        "Go shortcodes (shown as placeholders that carry their inner content)",
        "port each as a Jinja2 template layouts/shortcodes/NAME.html: .Get 0 → shortcode.get(0), "
        '.Get "x" → shortcode.get("x"), .Inner → shortcode.inner, .Inner | markdownify → shortcode.inner_html',
    ),
    "content": ("content files in formats sitegen does not read", "convert them to Markdown"),
}


def scan_config(raw: dict[str, Any], known: set[str], path: Path | None) -> list[Unsupported]:
    """Config keys sitegen does not read, `module`, `outputs` and `markup` settings it ignores."""
    lines = _ConfigLines(path)
    found = [
        Unsupported("config", key, path, lines.find(key))
        for key in sorted(raw, key=str.lower)
        if key.lower() not in known and key.lower() != "module"
    ]
    table = {str(k).lower(): v for k, v in raw.items()}
    for key in ("uglyurls", "canonifyurls"):
        if table.get(key) is True:
            found.append(
                Unsupported(
                    "config-value",
                    f"{_spelling(raw, key)} = true",
                    path,
                    lines.find(_spelling(raw, key)),
                )
            )
    found += _modules(table.get("module"), path, lines)
    found += _outputs(table.get("outputs"), path, lines)
    found += _markup(table.get("markup"), path, lines)
    return found


def scan_config_folder(source: Path) -> list[Unsupported]:
    """Hugo's configuration directory (`config/_default/*.toml`, per environment) is not read."""
    folder = source / "config"
    files = (
        sorted(
            p for p in folder.rglob("*") if p.suffix.lower() in (".toml", ".yaml", ".yml", ".json")
        )
        if folder.is_dir()
        else []
    )
    return [
        Unsupported("config-dir", _relative(path, source), _relative(path, source), None)
        for path in files
    ]


def _spelling(raw: dict[str, Any], lowered: str) -> str:
    return next((key for key in raw if key.lower() == lowered), lowered)


def _modules(module: Any, path: Path | None, lines: _ConfigLines) -> list[Unsupported]:
    if not isinstance(module, dict):
        return []
    found = []
    for entry in _entries(module.get("imports")):
        found.append(
            Unsupported(
                "module",
                f"import {entry.get('path', '?')}",
                path,
                lines.find("path", str(entry.get("path", ""))),
            )
        )
    for entry in _entries(module.get("mounts")):
        found.append(
            Unsupported(
                "module",
                f"mount {entry.get('source', '?')} → {entry.get('target', '?')}",
                path,
                lines.find("source", str(entry.get("source", ""))),
            )
        )
    if not found:
        found.append(Unsupported("module", "module", path, lines.find("module")))
    return found


def _entries(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    return (
        [entry for entry in value or [] if isinstance(entry, dict)]
        if isinstance(value, list)
        else []
    )


def _outputs(outputs: Any, path: Path | None, lines: _ConfigLines) -> list[Unsupported]:
    found = []
    for kind, formats in (outputs or {}).items() if isinstance(outputs, dict) else ():
        for name in [formats] if isinstance(formats, str) else formats or []:
            if str(name).lower() not in SUPPORTED_OUTPUTS:
                found.append(
                    Unsupported("output", f"{name} for {kind}", path, lines.find(str(kind)))
                )
    return found


def _markup(markup: Any, path: Path | None, lines: _ConfigLines) -> list[Unsupported]:
    if not isinstance(markup, dict):
        return []
    found = []

    def report(prefix: str, table: Any, supported: set[str]) -> None:
        for key, value in (table or {}).items() if isinstance(table, dict) else ():
            if key.lower() not in supported and _enabled(value):
                found.append(Unsupported("config-value", f"{prefix}.{key}", path, lines.find(key)))

    lowered = {k.lower(): v for k, v in markup.items()}
    report("markup", markup, SUPPORTED_MARKUP)
    handler = str(lowered.get("defaultmarkdownhandler", "goldmark")).lower()
    if handler != "goldmark":
        found.append(
            Unsupported(
                "config-value",
                f"markup.defaultMarkdownHandler = {handler!r}",
                path,
                lines.find("defaultMarkdownHandler"),
            )
        )
    goldmark = {k.lower(): v for k, v in (lowered.get("goldmark") or {}).items()}
    report("markup.goldmark.extensions", goldmark.get("extensions"), SUPPORTED_EXTENSIONS)
    report("markup.goldmark.renderer", goldmark.get("renderer"), SUPPORTED_RENDERER)
    report("markup.goldmark.parser", goldmark.get("parser"), SUPPORTED_PARSER)
    report(
        "markup.goldmark", goldmark, {"extensions", "renderer", "parser", "duplicateresourcefiles"}
    )
    return found


def _enabled(value: Any) -> bool:
    """A setting that changes output: not false, and a table not switched off."""
    if isinstance(value, dict):
        lowered = {str(k).lower(): v for k, v in value.items()}
        return (
            lowered.get("enable", True) is not False
            and lowered.get("disable", False) is not True
            and bool(value)
        )
    return value not in (False, None, "", [], 0)


class _ConfigLines:
    """The line a key stands on in the config file (tomllib and PyYAML give no positions)."""

    def __init__(self, path: Path | None):
        try:
            self.lines = path.read_text(encoding="utf-8-sig").splitlines() if path else []
        except OSError:
            self.lines = []

    def find(self, key: str, value: str = "") -> int | None:
        pattern = re.compile(
            rf"^\s*(?:\[+\s*(?:[\w.\"-]+\.)?\"?{re.escape(key)}\"?[\].]|\"?{re.escape(key)}\"?\s*[=:])",
            re.I,
        )
        for number, line in enumerate(self.lines, 1):
            if pattern.search(line) and (not value or value in line):
                return number
        return None


def scan_layouts(layouts: Path, site_root: Path) -> list[Unsupported]:
    """Go templates in the site's `layouts/`, and the Hugo feature functions they call."""
    found = []
    for layout in go_layouts(layouts):
        rel = _relative(layout.path, site_root)
        found.append(Unsupported("go-layout", rel, rel, layout.line))
        text = layout.path.read_text(encoding="utf-8", errors="replace")
        for pattern, feature in FEATURE_FUNCTIONS.items():
            for match in re.finditer(pattern, text):
                name = match.group().rstrip(' "')
                found.append(
                    Unsupported(
                        "go-function",
                        f"{name} ({feature})",
                        rel,
                        text.count("\n", 0, match.start()) + 1,
                    )
                )
    return found


def scan_content_formats(loose_files: list[tuple[Path, str]], site_root: Path) -> list[Unsupported]:
    """Content files in markup formats sitegen does not render (they are copied as they are)."""
    return [
        Unsupported("content", _relative(path, site_root), _relative(path, site_root), None)
        for path, _ in loose_files
        if path.suffix.lower() in OTHER_MARKUP
    ]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def report_unsupported(diagnostics: Diagnostics, site_root: Path | None = None) -> None:
    """Turn every collected use into one warning, last (once: a second call adds nothing);
    paths under the site's folder are shown relative to it."""
    items = _dedupe(diagnostics.unsupported)
    if site_root is not None:
        items = [
            replace(item, path=_relative(Path(item.path), site_root)) if item.path else item
            for item in items
        ]
    diagnostics.unsupported = []
    if not items:
        return
    grouped: dict[str, list[Unsupported]] = defaultdict(list)
    for item in items:
        grouped[item.kind].append(item)
    lines = [
        "this site uses Hugo features sitegen does not support; these parts differ from Hugo's output:"
    ]
    for kind, (heading, hint) in KINDS.items():
        if kind in grouped:
            lines.append(f"  {heading}:")
            lines += _group_lines(kind, grouped[kind])
            if hint:
                lines.append(f"    → {hint}")
    diagnostics.warnings.append(SiteError("\n".join(lines)))


def _group_lines(kind: str, items: list[Unsupported]) -> list[str]:
    if kind == "go-shortcode":  # one line per shortcode, its uses after it
        uses: dict[str, list[str]] = defaultdict(list)
        for item in items:
            uses[item.name].append(_where(item))
        return [
            f"    {name}: {', '.join(places[:5])}"
            + (f" and {len(places) - 5} more" if len(places) > 5 else "")
            for name, places in sorted(uses.items())
        ]
    shown = [
        f"    {_where(item)}"
        + ("" if kind in ("go-layout", "content", "config-dir") else f"  {item.name}")
        for item in items[:40]
    ]
    return shown + ([f"    … and {len(items) - 40} more"] if len(items) > 40 else [])


def _where(item: Unsupported) -> str:
    return str(SiteError("", item.path, item.line).location() or item.name)


def _dedupe(items: Iterable[Unsupported]) -> list[Unsupported]:
    seen, kept = set(), []
    for item in items:
        key = (item.kind, item.name, str(item.path), item.line)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept
