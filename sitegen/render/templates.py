"""The Jinja2 environment: layouts of the site over the theme's, Hugo-like lookup, template errors.

A theme is Jinja2 when its layouts use Jinja syntax; a Hugo theme of Go templates cannot be
used, so sitegen says so once and falls back to its built-in default theme.
"""

from __future__ import annotations

import re
import sqlite3
import types
from collections import ChainMap
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePath
from typing import Any, Callable

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from sitegen.errors import Diagnostics, SiteError, Unsupported
from sitegen.load.config import SiteConfig
from sitegen.load.gotemplates import is_go_file
from sitegen.models import Page, Release
from sitegen.render.cached_partials import CachedPartials, note_load
from sitegen.render.filters import site_filters, site_globals
from sitegen.render.recording import current_reads, note_read
from sitegen.render.theme_partials import PartialsInliningLoader, add_macro_libraries

BUILTIN_THEMES = Path(__file__).parents[1] / "themes"
DEFAULT_THEME = "default"


@dataclass(frozen=True)
class Theme:
    name: str
    path: Path  # the theme's root folder (layouts/, static/, i18n/)


def resolve_themes(
    config: SiteConfig, override: str | None, diagnostics: Diagnostics
) -> list[Theme]:
    """The themes to use, most important first, ending with the built-in default theme."""
    names = [override] if override else list(config.themes)
    themes: list[Theme] = []
    for name in names:
        for root in (config.source / config.themes_dir / name, BUILTIN_THEMES / name):
            if root.is_dir():
                if _is_jinja_theme(root):
                    themes.append(Theme(name, root))
                else:  # a Hugo theme of Go templates: named in the report of unsupported features
                    diagnostics.unsupported.append(
                        Unsupported("go-theme", name, config.config_file, _theme_line(config, name))
                    )
                break
        else:
            diagnostics.warn(
                f"theme {name!r} not found in {config.themes_dir}/; using sitegen's default theme",
                config.config_file,
                hint=f"install the theme under {config.themes_dir}/{name} or remove 'theme'",
            )
    if not any(
        t.name == DEFAULT_THEME and t.path == BUILTIN_THEMES / DEFAULT_THEME for t in themes
    ):
        themes.append(Theme(DEFAULT_THEME, BUILTIN_THEMES / DEFAULT_THEME))
    return themes


def theme_roots(config: SiteConfig, override: str | None) -> list[Path]:
    """The folders of every theme the site names, Jinja2 or Go, that exist."""
    names = [override] if override else list(config.themes)
    roots = [
        next(
            (r for r in (config.source / config.themes_dir / n, BUILTIN_THEMES / n) if r.is_dir()),
            None,
        )
        for n in names
    ]
    return [root for root in roots if root is not None]


def _theme_line(config: SiteConfig, name: str) -> int | None:
    try:
        lines = (
            config.config_file.read_text(encoding="utf-8-sig").splitlines()
            if config.config_file
            else []
        )
    except OSError:
        return None
    return next(
        (
            n
            for n, line in enumerate(lines, 1)
            if re.match(r"\s*theme\b", line, re.I) and name in line
        ),
        None,
    )


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
_UNREACHABLE = (
    jinja2.Environment,
    jinja2.BaseLoader,
    jinja2.BytecodeCache,
    types.ModuleType,
    sqlite3.Connection,
)
_DICT_ATTRIBUTES = frozenset(dir(dict))  # what getattr finds on a plain dict: all else is an item
_STR_FORMATS = ("format", "format_map")  # the methods Jinja's wrap_str_format wraps
_MACRO = jinja2.runtime.Macro
_SAFE_ATTRIBUTES_KEPT = 4096  # answers kept per environment (a theme asks a few hundred)


class _KeptAnswers(ImmutableSandboxedEnvironment):
    """Jinja's sandbox with its answer to each attribute check kept. Every check (Jinja's and
    `check_attribute`'s) asks only isinstance of the object and the value and looks at the
    name, so there is one answer per (type of object, name, type of value), and a page reads
    the same few attributes of the same few types over and over."""

    def __init__(self, *args: Any, **kwargs: Any):
        self._safe_attributes: dict[tuple[type, str, type], bool] = {}
        super().__init__(*args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """ImmutableSandboxedEnvironment.getattr, with the read noted where a render records what it
        reads (sitegen.render.recording) in the same call, as every attribute a template reads
        comes here; its checks in their cheapest order: a plain dict's item needs no failed
        attribute lookup first, only a bound or builtin method can be a `str.format`, and a
        kept answer needs no call."""
        kind = type(obj)
        if kind is Page:  # note_read's test for pages, inline
            reads = current_reads()
            if reads is not None and type(attribute) is str:
                reads.add((obj, attribute))
        elif kind is Release:
            note_read(obj, attribute)
        elif kind is dict and type(attribute) is str and attribute not in _DICT_ATTRIBUTES:
            try:  # where Jinja's getattr would end up after dict has no such attribute
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        value_kind = type(value)
        if (
            value_kind is types.MethodType or value_kind is types.BuiltinMethodType
        ) and value.__name__ in _STR_FORMATS:
            wrapped = self.wrap_str_format(value)
            if wrapped is not None:
                return wrapped
        safe = self._safe_attributes.get((kind, attribute, value_kind))
        if safe is None:
            safe = self.is_safe_attribute(obj, attribute, value)
        return value if safe else self.unsafe_undefined(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        kind = type(obj)
        if kind is Page or kind is Release:
            note_read(obj, argument)
        return super().getitem(obj, argument)

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """ImmutableSandboxedEnvironment.call, without the questions that have one answer for most of
        a page's calls: a builtin method (`dict.get`, `str.startswith`) or a macro has no
        attributes of its own to be marked unsafe with, nor has a plain function whose
        `__dict__` is empty (the marks are attributes of the function); of these only a
        macro takes anything of the context (its evaluation context, as Context.call gives)."""
        kind = type(obj)
        if kind is _MACRO:
            args = (context.eval_ctx, *args)
        elif not (
            kind is types.BuiltinMethodType or (kind is types.FunctionType and not obj.__dict__)
        ):
            return super().call(context, obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:  # as Context.call says it
            return self.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr, type(value))
        try:
            return self._safe_attributes[key]
        except KeyError:
            safe = self.check_attribute(obj, attr, value)
            if (
                len(self._safe_attributes) < _SAFE_ATTRIBUTES_KEPT
            ):  # names a template makes up stay unkept
                self._safe_attributes[key] = safe
            return safe
        except TypeError:  # an unhashable name (getitem passes any key): checked, not kept
            return self.check_attribute(obj, attr, value)

    def check_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """The check itself, asked once per key."""
        return super().is_safe_attribute(obj, attr, value)


class _Environment(_KeptAnswers):
    """Jinja's sandbox (its reads of pages recorded: sitegen.render.recording), as Hugo's
    templates have no way to run commands or read files: no attribute starting with "_" (so
    no `cycler.__init__.__globals__.os`), no unsafe callables (`str.format` of an object's
    internals, a function's code), no access to Python builtins. Templates get the site's
    data, the filters and globals of sitegen.render.filters, and nothing else: the
    environment, its loader and caches, modules and file system paths' methods stay out of
    reach too (a path's name and parts are fine), so a template cannot widen where templates
    are read from or open a file."""

    def check_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath):
            return attr in _PATH_ATTRIBUTES
        if isinstance(obj, _UNREACHABLE) or isinstance(value, _UNREACHABLE):
            return False
        return super().check_attribute(obj, attr, value)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return _TemplateGlobals({} if d is None else d, self.globals)

    def _load_template(self, name: str, globals: MutableMapping[str, Any] | None):
        """Jinja's, noting each template a cached partial's render loads (its includes):
        sitegen.render.cached_partials keeps no partial that pulls in an override."""
        template = super()._load_template(name, globals)
        note_load(template)
        return template


def create_environment(
    config: SiteConfig,
    themes: list[Theme],
    bytecode_cache: Callable[[jinja2.Environment], jinja2.BytecodeCache | None] | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> jinja2.Environment:
    """The site's environment. `bytecode_cache(env)`, if given, makes the cache of compiled
    templates once the environment is configured (it may key on the filters, as
    sitegen.build.bytecode does); `clock()` is the build's moment where a template has no
    `site` to ask."""
    # A site's own Go templates are passed over: the theme's (in the end the built-in) serve instead.
    loader = _layouts_loader(config, themes)
    env = _Environment(
        loader=loader,
        autoescape=True,  # always: templates and shortcodes alike
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.loopcontrols", "jinja2.ext.do", CachedPartials],
    )
    env.filters.update(site_filters(config))
    env.globals.update(site_globals(config, clock))
    add_macro_libraries(env)
    if bytecode_cache is not None:
        env.bytecode_cache = bytecode_cache(env)  # last: it may key on the filters
    return env


def _layouts_loader(config: SiteConfig, themes: list[Theme]) -> jinja2.BaseLoader:
    """The site's layouts over the themes'; the built-in theme's partials compiled into its templates."""
    return PartialsInliningLoader(
        [str(d) for d in layout_dirs(config, themes) if d.is_dir()],
        BUILTIN_THEMES / DEFAULT_THEME / "layouts",
    )


def template_error(exc: Exception, page: Page) -> SiteError:
    """Turn a Jinja error into a SiteError naming the template's file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return SiteError(
            f"template syntax error: {exc.message}", exc.filename or exc.name, exc.lineno
        )
    frame_file, frame_line = _template_frame(exc)
    where = f" while rendering {page.source.path if page.source else page.rel_permalink}"
    return SiteError(
        f"template error: {exc}{where}",
        frame_file,
        frame_line,
        hint=_READ_ONLY_HINT
        if isinstance(exc, jinja2.sandbox.SecurityError)
        else "fix the template at that line",
    )


# Templates see the site read-only (ImmutableSandboxedEnvironment): a list or dict is
# extended by making a new one, as Hugo's `append` and `merge` do.
_READ_ONLY_HINT = (
    "templates cannot change lists or dicts: make a new value instead "
    "({% set xs = xs + [x] %}, {% set d = dict(d, key=value) %}, or a namespace() in a loop)"
)


def _template_frame(exc: Exception) -> tuple[str | None, int | None]:
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html") or "/layouts/" in filename:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_with(
    env: jinja2.Environment, template: jinja2.Template, context: dict[str, Any], page: Page
) -> str:
    try:
        return template.render(context)
    except SiteError:
        raise
    except jinja2.TemplateError as exc:
        raise template_error(exc, page) from None
    except Exception as exc:  # a template calling a filter with bad input is the author's to fix
        raise template_error(exc, page) from None
