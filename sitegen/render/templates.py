"""The Jinja2 environment: layouts of the site over the theme's, Hugo-like lookup, filters.

A theme is Jinja2 when its layouts use Jinja syntax; a Hugo theme of Go templates cannot be
used, so sitegen says so once and falls back to its built-in default theme.
"""

from __future__ import annotations

import json
import re
import sqlite3
import types
from collections import ChainMap
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from sitegen import __version__
from sitegen.build.bytecode import bytecode_cache
from sitegen.load.config import SiteConfig, lower_keys
from sitegen.errors import Diagnostics, SiteError, Unsupported
from sitegen.load.gotemplates import is_go_file
from sitegen.content.html_repair import clean_config_html
from sitegen.content.html_text import strip_html, truncate_words
from sitegen.render.i18n import format_date_for, format_number, format_relative
from sitegen.models import Page
from sitegen.render.qr import qr_image
from sitegen.build.reads import RecordingReads, build_moment
from sitegen.releases.outputs import newest_release
from sitegen.render.theme_partials import PartialsInliningLoader, add_macro_libraries
from sitegen.safe.urls import safe_url
from sitegen.site.urls import absolute_url, base_path, encode_url, join_url

BUILTIN_THEMES = Path(__file__).parents[1] / "themes"
DEFAULT_THEME = "default"


@dataclass(frozen=True)
class Theme:
    name: str
    path: Path  # the theme's root folder (layouts/, static/, i18n/)


def resolve_themes(config: SiteConfig, override: str | None, diagnostics: Diagnostics) -> list[Theme]:
    """The themes to use, most important first, ending with the built-in default theme."""
    names = [override] if override else list(config.themes)
    themes: list[Theme] = []
    for name in names:
        for root in (config.source / config.themes_dir / name, BUILTIN_THEMES / name):
            if root.is_dir():
                if _is_jinja_theme(root):
                    themes.append(Theme(name, root))
                else:  # a Hugo theme of Go templates: named in the report of unsupported features
                    diagnostics.unsupported.append(Unsupported("go-theme", name, config.config_file,
                                                               _theme_line(config, name)))
                break
        else:
            diagnostics.warn(f"theme {name!r} not found in {config.themes_dir}/; using sitegen's default theme",
                             config.config_file, hint=f"install the theme under {config.themes_dir}/{name} or remove 'theme'")
    if not any(t.name == DEFAULT_THEME and t.path == BUILTIN_THEMES / DEFAULT_THEME for t in themes):
        themes.append(Theme(DEFAULT_THEME, BUILTIN_THEMES / DEFAULT_THEME))
    return themes


def theme_roots(config: SiteConfig, override: str | None) -> list[Path]:
    """The folders of every theme the site names, Jinja2 or Go, that exist."""
    names = [override] if override else list(config.themes)
    roots = [next((r for r in (config.source / config.themes_dir / n, BUILTIN_THEMES / n) if r.is_dir()), None)
             for n in names]
    return [root for root in roots if root is not None]


def _theme_line(config: SiteConfig, name: str) -> int | None:
    try:
        lines = config.config_file.read_text(encoding="utf-8-sig").splitlines() if config.config_file else []
    except OSError:
        return None
    return next((n for n, line in enumerate(lines, 1) if re.match(r"\s*theme\b", line, re.I) and name in line), None)


def _is_jinja_theme(root: Path) -> bool:
    """More of the theme's layouts are Jinja2 than Go templates (the loader passes over the rest)."""
    layouts = root / "layouts"
    go = jinja = 0
    for path in layouts.rglob("*.html") if layouts.is_dir() else ():
        if is_go_file(path):
            go += 1
        elif "{%" in path.read_text(encoding="utf-8", errors="replace"):
            jinja += 1
    return jinja > 0 and jinja >= go


def layout_dirs(config: SiteConfig, themes: list[Theme]) -> list[Path]:
    return [config.source / config.layout_dir] + [theme.path / "layouts" for theme in themes]


class _TemplateGlobals(ChainMap):
    """A template's globals over the environment's, as Jinja makes them, with keys() as a
    plain dict view: Jinja takes a set difference with them at every {% import %} (about
    eleven a page), which over a ChainMap's view is a Python-level lookup per key."""

    def keys(self):
        merged: dict[str, Any] = {}
        for mapping in reversed(self.maps):
            merged.update(mapping)
        return merged.keys()


_PATH_ATTRIBUTES = frozenset({"name", "stem", "suffix", "suffixes", "parts", "parent", "as_posix"})
_UNREACHABLE = (jinja2.Environment, jinja2.BaseLoader, jinja2.BytecodeCache, types.ModuleType, sqlite3.Connection)


class _Environment(RecordingReads, SandboxedEnvironment):
    """Jinja's sandbox (its reads of pages recorded, sitegen.build.reads), as Hugo's templates have no way to run commands or read files: no
    attribute starting with "_" (so no `cycler.__init__.__globals__.os`), no unsafe callables
    (`str.format` of an object's internals, a function's code), no access to Python builtins.
    Templates get the site's data, the filters and globals below, and nothing else: the
    environment, its loader and caches, modules and file system paths' methods stay out of
    reach too (a path's name and parts are fine), so a template cannot widen where templates
    are read from or open a file."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath):
            return attr in _PATH_ATTRIBUTES
        if isinstance(obj, _UNREACHABLE) or isinstance(value, _UNREACHABLE):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return _TemplateGlobals({} if d is None else d, self.globals)


def create_environment(config: SiteConfig, themes: list[Theme], cache_dir: Path | None = None) -> jinja2.Environment:
    # A site's own Go templates are passed over: the theme's (in the end the built-in) serve instead.
    loader = _layouts_loader(config, themes)
    env = _Environment(
        loader=loader,
        autoescape=True,  # always: templates and shortcodes alike
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.loopcontrols", "jinja2.ext.do"],
    )
    base_url = config.base_url
    env.filters.update(
        iso8601=lambda dt: dt.isoformat() if dt else "",
        rfc822=lambda dt: dt.strftime("%a, %d %b %Y %H:%M:%S %z") if dt else "",
        absurl=build_dependent(lambda path: _absolute(base_url, path)),
        relurl=build_dependent(lambda path: _under_base(base_path(base_url), path)),
        plainify=lambda html: strip_html(str(html)),
        truncate_words=lambda html, count=30: truncate_words(str(html), count),
        jsonify=lambda value: Markup(json.dumps(value, ensure_ascii=False, default=str).replace("</", "<\\/")),
        urlencode_term=encode_url,
        safe_url=safe_url,
        config_html=clean_config_html,
        newest_release=newest_release,
        **LANGUAGE_FILTERS,
    )
    root = base_path(base_url)
    env.globals.update(sitegen_version=__version__, now=_now, css_rules=css_rules, qr_image=qr_image,
                       static_url=lambda path: f"{root}/{str(path).lstrip('/')}",
                       privacy_disabled=lambda service: _privacy_disabled(config, service))
    add_macro_libraries(env)
    env.bytecode_cache = bytecode_cache(env, BUILTIN_THEMES, cache_dir)  # last: it keys on the filters
    return env


def _privacy_disabled(config: SiteConfig, service: str) -> bool:
    """Hugo's `privacy.SERVICE.disable = true`: the service's shortcode renders nothing."""
    privacy = lower_keys(config.raw).get("privacy")
    settings = lower_keys(privacy).get(service.lower()) if isinstance(privacy, dict) else None
    return isinstance(settings, dict) and lower_keys(settings).get("disable") is True


def build_dependent(function):
    """A filter whose result depends on the build (base URL, date, language), as one Jinja
    never runs at compile time: with constant arguments it would fold the result into the
    compiled template, which is kept across builds (sitegen.build.bytecode)."""
    @jinja2.pass_context
    def filter_(_context, *args, **kwargs):
        return function(*args, **kwargs)
    return filter_


@jinja2.pass_context
def _now(context) -> datetime:
    """The build's moment (the one `site.build_date` holds: SOURCE_DATE_EPOCH when set)."""
    moment = getattr(context.get("site"), "build_date", None)
    return moment if isinstance(moment, datetime) else build_moment()


def _layouts_loader(config: SiteConfig, themes: list[Theme]) -> jinja2.BaseLoader:
    """The site's layouts over the themes'; the built-in theme's partials compiled into its templates."""
    return PartialsInliningLoader([str(d) for d in layout_dirs(config, themes) if d.is_dir()],
                                  BUILTIN_THEMES / DEFAULT_THEME / "layouts")


def _under_base(root: str, path: Any) -> str:
    """A site path under baseURL's own path ("/img/a.png" -> "/blog/img/a.png"), once."""
    text = str(path)
    if not root or not text.startswith("/") or text.startswith("//") or text == root or text.startswith(root + "/"):
        return text
    return root + text


def _absolute(base_url: str, path: Any) -> str:
    text = str(path)
    if "://" in text or text.startswith("//"):
        return text
    if not text.startswith("/"):
        text = "/" + text
    return absolute_url(base_url, _under_base(base_path(base_url), text))


@dataclass(frozen=True)
class CssRules:
    declarations: str  # top-level `prop: value;` text, for a style attribute (escaped there)
    nested: list[tuple[Markup, Markup]]  # (selector, body) of each `selector{body}`, safe in <style>


def css_rules(css: Any) -> CssRules:
    """Split LoveIt/FixIt's `style` shortcode argument into its plain declarations and its
    nested rules; `<` is dropped from the rules, so they cannot end the <style> element."""
    text, declarations, nested, pos = str(css or ""), [], [], 0
    while pos < len(text):
        brace = text.find("{", pos)
        if brace < 0:
            declarations.append(text[pos:])
            break
        head = text[pos:brace]
        cut = max(head.rfind(";"), head.rfind("}"))
        declarations.append(head[:cut + 1])
        depth, end = 1, brace + 1
        while end < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        body = text[brace + 1:end - 1] if depth == 0 else text[brace + 1:]
        nested.append((Markup(head[cut + 1:].strip().replace("<", "")), Markup(body.strip().replace("<", ""))))
        pos = end
    return CssRules(" ".join(part.strip() for part in declarations if part.strip()), nested)


def page_template_names(page: Page) -> list[str]:
    """Hugo's lookup order, reduced to the kinds a blog uses."""
    if page.kind == "home":
        return ["index.html", "_default/list.html"]
    if page.kind == "section":
        return [f"{page.section}/list.html", "_default/section.html", "_default/list.html"]
    if page.kind == "taxonomy":
        return ["_default/taxonomy.html", "_default/terms.html", "_default/list.html"]
    if page.kind == "term":
        return ["_default/term.html", "_default/list.html"]
    if page.kind == "404":
        return ["404.html"]
    if page.kind == "releases":
        return ["_default/releases.html"]
    kind_type = page.type or page.section or "_default"
    names = []
    if page.layout:
        names += [f"{kind_type}/{page.layout}.html", f"_default/{page.layout}.html"]
    return names + [f"{kind_type}/single.html", "_default/single.html"]


def select_template(env: jinja2.Environment, page: Page, diagnostics: Diagnostics | None = None) -> jinja2.Template:
    names = page_template_names(page)
    try:
        template = env.select_template(names)
        if page.layout and diagnostics is not None and not template.name.endswith(f"/{page.layout}.html"):
            diagnostics.warn(f"layout {page.layout!r} not found; using {template.name}",
                             page.source.path if page.source else None,
                             hint=f"add layouts/{names[0]} or remove 'layout' from the front matter")
        return template
    except jinja2.TemplatesNotFound:
        raise SiteError(f"no template for this {page.kind} page (looked for {', '.join(names)})",
                        page.source.path if page.source else None, 1 if page.source else None,
                        hint=f"add layouts/{names[-1]} or remove the 'layout'/'type' front matter") from None
    except jinja2.TemplateSyntaxError as exc:  # a site's own layout: the author's to fix, with its line
        raise template_error(exc, page) from None


def template_error(exc: Exception, page: Page) -> SiteError:
    """Turn a Jinja error into a SiteError naming the template's file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return SiteError(f"template syntax error: {exc.message}", exc.filename or exc.name, exc.lineno)
    frame_file, frame_line = _template_frame(exc)
    where = f" while rendering {page.source.path if page.source else page.rel_permalink}"
    return SiteError(f"template error: {exc}{where}", frame_file, frame_line,
                     hint="fix the template at that line")


def _template_frame(exc: Exception) -> tuple[str | None, int | None]:
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html") or "/layouts/" in filename:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_with(env: jinja2.Environment, template: jinja2.Template, context: dict[str, Any], page: Page) -> str:
    try:
        return template.render(context)
    except SiteError:
        raise
    except jinja2.TemplateError as exc:
        raise template_error(exc, page) from None
    except Exception as exc:  # a template calling a filter with bad input is the author's to fix
        raise template_error(exc, page) from None


@jinja2.pass_context
def _date_format(ctx, value, style: str | None = None) -> str:
    """Without a style: the language's `dateFormat` (a CLDR pattern, short/medium/long/full,
    Hugo's :date_long names or a Go layout), then the site params' `dateFormat`, then long."""
    if style is None:
        site = ctx.get("site")
        language = getattr(site, "language", None)
        params = getattr(site, "params", None) or {}
        style = getattr(language, "date_format", "") or params.get("dateFormat") or "long"
    return format_date_for(value, ctx.get("locale", "en"), style)


@jinja2.pass_context
def _number(ctx, value) -> str:
    return format_number(value, ctx.get("locale", "en"))


@jinja2.pass_context
def _rel_date(ctx, value) -> str:
    return format_relative(value, ctx.get("locale", "en"))


@jinja2.pass_context
def _lang_url(ctx, path) -> str:
    prefix = ctx.get("lang_prefix", "")
    text = str(path)
    return text if "://" in text or text.startswith(prefix + "/") and prefix else join_url(prefix, text)


LANGUAGE_FILTERS = {"date_format": _date_format, "number": _number, "rel_date": _rel_date, "lang_url": _lang_url}
