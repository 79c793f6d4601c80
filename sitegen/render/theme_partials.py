"""The built-in theme's partials, compiled into the templates that include them.

Rendered as written, a page of the built-in theme loads about twenty templates: every
`{% include %}` and `{% import %}` looks its template up again, and every include renders in
a context of its own. Here, each `{% include "partials/NAME.html" %}` of a built-in template
is replaced by that partial's source inside a `{% with %}` block (its `{% set %}`s stay
inside, as in an include) when the partial a page would get is the built-in one. A site's
own partial (`layouts/partials/NAME.html`, or a Jinja theme's) wins the same lookup and stays
a real include, so overriding a partial works as before and its errors name its own file.
The theme's macro libraries are environment globals (`helpers`, `icons`), imported once per
environment from whichever file the lookup finds, so an override of them counts too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import jinja2

from sitegen.load.gotemplates import JinjaLayoutsLoader

MACRO_LIBRARIES = {"helpers": "partials/helpers.html", "icons": "partials/icons.html"}
# The built-in libraries' macros whose output depends only on their arguments and the globals.
PURE_MACROS = {"icons": frozenset({"svg"})}

# Comments and raw blocks are passed over, so an include written inside them stays text.
_TAGS = re.compile(
    r"""(?P<skip>\{\#.*?\#\}|\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\})"""
    r"""|\{%(?P<left>-?)\s*include\s+(?P<quote>["'])(?P<name>partials/[^"'\s]+)(?P=quote)"""
    r"""(?:\s+with\s+context)?\s*(?P<right>-?)%\}""",
    re.S,
)
_NOT_INLINED = re.compile(r"\{%-?\s*(?:block|extends)\b")
# A partial a built-in template renders with `{% partial_cached %}` (sitegen.render.cached_partials).
_CACHED = re.compile(r"""\{%-?\s*partial_cached\s+(["'])(?P<name>partials/[^"'\s]+)\1""")


class PartialsInliningLoader(JinjaLayoutsLoader):
    """JinjaLayoutsLoader whose built-in templates carry their built-in partials inline."""

    def __init__(self, searchpath: list[str], builtin_root: Path):
        super().__init__(searchpath)
        self.builtin_root = str(builtin_root.resolve())
        self._cached: frozenset[str] | None = None

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        if not self.is_builtin(filename):
            return source, filename, uptodate
        inlined: dict[str, tuple[str, Callable[[], bool]]] = {}
        source = self._inline(environment, source, (template,), inlined)
        if not inlined:
            return source, filename, uptodate

        def all_uptodate() -> (
            bool
        ):  # a partial edited, or one the site now overrides, compiles again
            return (uptodate is None or uptodate()) and all(
                check() and (self._builtin_source(environment, name) or (None, None))[1] == path
                for name, (path, check) in inlined.items()
            )

        return source, filename, all_uptodate

    def carries_inline(self, environment: jinja2.Environment, name: str) -> bool:
        """A built-in partial that the built-in templates carry inline: compiled on its own
        only if some other template includes it."""
        if not name.startswith("partials/") or name in MACRO_LIBRARIES.values():
            return False
        if name in self._cached_names():
            return False
        found = self._builtin_source(environment, name)
        return found is not None and _inlinable(found[0]) is not None

    def _cached_names(self) -> frozenset[str]:
        """The partials the built-in templates render with `partial_cached` (as templates of
        their own), read from the theme's files once."""
        if self._cached is None:
            self._cached = frozenset(
                match.group("name")
                for path in Path(self.builtin_root).rglob("*.html")
                for match in _CACHED.finditer(path.read_text(encoding="utf-8"))
            )
        return self._cached

    def is_builtin(self, filename: str | None) -> bool:
        return bool(filename) and str(Path(filename).resolve()).startswith(self.builtin_root + "/")

    def _builtin_source(self, environment: jinja2.Environment, name: str):
        """(source, filename, uptodate) of the partial a page gets, if it is a built-in one."""
        try:
            found = super().get_source(environment, name)
        except jinja2.TemplateNotFound:
            return None
        return found if self.is_builtin(found[1]) else None

    def _inline(
        self,
        environment: jinja2.Environment,
        source: str,
        stack: tuple[str, ...],
        inlined: dict[str, tuple[str, Callable[[], bool]]],
    ) -> str:
        def replace(match: re.Match) -> str:
            name = match.group("name")
            if match.group("skip") or name in stack:
                return match.group(0)
            found = self._builtin_source(environment, name)
            body = _inlinable(found[0]) if found else None
            if body is None:
                return match.group(0)
            inlined[name] = (found[1], found[2] or (lambda: True))
            body = self._inline(environment, body, stack + (name,), inlined)
            return f"{{%{match.group('left')} with %}}{body}{{% endwith {match.group('right')}%}}"

        return _TAGS.sub(replace, source)


def _inlinable(source: str) -> str | None:
    """The partial's text as its own template renders it (Jinja drops one trailing newline),
    or None when inlining could change its output: text that starts or ends with whitespace
    (lstrip_blocks would see it beside the surrounding tags), blocks or extends."""
    body = source[:-1] if source.endswith("\n") else source
    if not body or body[0].isspace() or body[-1].isspace() or _NOT_INLINED.search(body):
        return None
    return body


class MacroLibrary:
    """A template's macros, imported on first use and then shared by every page (what
    `{% import NAME as alias %}` without context gives, minus a lookup per page). The macros
    named in `pure`, when the built-in theme's file is the one found, return what they
    returned before for the same plain-string arguments: their output depends on nothing else
    (the environment's globals are fixed for its life), and a theme calls them many times a
    page (`icons.svg`). A site's own library is called every time."""

    def __init__(
        self, environment: jinja2.Environment, name: str, pure: frozenset[str] = frozenset()
    ):
        self._environment = environment
        self._name = name
        self._pure = pure
        self._module: Any = None
        self._builtin = False

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        if self._module is None:
            template = self._environment.get_template(self._name)
            self._module = template.module
            loader = self._environment.loader
            self._builtin = isinstance(loader, PartialsInliningLoader) and loader.is_builtin(
                template.filename
            )
        macro = getattr(self._module, attribute)
        if attribute in self._pure and self._builtin:
            macro = _memoized(macro)
        setattr(self, attribute, macro)  # the module is imported once, so is each of its names
        return macro


_MEMO_KEPT = 1024  # outputs kept per macro (a theme's icons are a few dozen)


def _memoized(macro: Callable[..., Any]) -> Callable[..., Any]:
    """`macro`, its output kept per tuple of exact-`str` positional arguments (a Markup
    argument is not escaped where a str is, so other types are passed through uncached)."""
    outputs: dict[tuple[str, ...], Any] = {}

    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs or any(type(arg) is not str for arg in args):
            return macro(*args, **kwargs)
        try:
            return outputs[args]
        except KeyError:
            output = macro(*args)
            if len(outputs) < _MEMO_KEPT:
                outputs[args] = output
            return output

    return call


def add_macro_libraries(environment: jinja2.Environment) -> None:
    for alias, name in MACRO_LIBRARIES.items():
        environment.globals[alias] = MacroLibrary(
            environment, name, PURE_MACROS.get(alias, frozenset())
        )
