"""`{% partial_cached "partials/NAME.html", key, … %}`: a partial rendered once per render pass
for each distinct tuple of keys, as Hugo's `partialCached "NAME.html" . key …`.

A theme's header, menu and footer look the same on every page of a language, or differ only
in which menu entry is current; rendered as includes they are made again on every page (the
menu of a 15-entry site is about 120 attribute reads a page). The tag renders the partial as
`{% include %}` would (with the page's context), keeps its text under the partial's name and
the keys, and gives that text to every later page with the same keys. The keys are the
template author's statement of everything the partial's output depends on, as in Hugo: the
built-in theme passes the page's language, for the menu the URL of the current entry, and
for a list's summary card the listed post (shown on every list and pager it is on).

What the first render read (pages, the build date's year, …, sitegen.render.recording) is
replayed into each page that takes the kept text, so the build cache knows a page depends
on it as if the page had rendered the partial itself.

Overrides stay safe: a partial is kept only when it and every template its render loads
(the partials it includes) are the tag's own author's, from the tag's layout folder or one
below it (a theme under the site). A site that overrides `partials/menu.html`, or the
`partials/social.html` the footer includes, over the built-in theme gets its own partial
rendered on every page, since it may look at more of the page than the built-in keys say.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

import jinja2
from jinja2.runtime import Context
from markupsafe import Markup

from sitegen.load.gotemplates import PartialCachedTag
from sitegen.render.recording import recording, replay


class CachedPartials(PartialCachedTag):
    """The `partial_cached` tag (its grammar: PartialCachedTag); its kept outputs belong to
    one render pass (`new_pass`)."""

    def __init__(self, environment: jinja2.Environment):
        super().__init__(environment)
        # (partial, keys) -> (text, what rendering it read, the highest layer a tag may have
        # to take it: the lowest of the templates it loaded); None: keep nothing
        self.outputs: dict[tuple, tuple[_Kept, set, int]] | None = None
        self.never: set[tuple[int, str]] = set()  # (tag's layer, partial): pulls in overrides
        self.layers: dict[str, int] = {}  # template file -> its layer

    def new_pass(self) -> None:
        """Forget the outputs of the last pass: its site (menus, titles, pages) may have changed."""
        self.outputs, self.never, self.layers = {}, set(), {}

    def _lookup(self, name: str, keys: tuple, caller_file: str) -> _Kept | None:
        """The text kept for these keys where this tag may take it, else None."""
        if self.outputs is None:
            return None
        try:
            kept = self.outputs.get((name, keys))
        except TypeError:  # a list or dict among the keys
            raise jinja2.TemplateRuntimeError(
                f"partial_cached {name!r}: keys must be strings, numbers or None "
                f"(got {', '.join(type(k).__name__ for k in keys)})"
            ) from None
        if kept is None or kept[2] < self._layer_of(caller_file):
            return None
        replay(kept[1])
        return kept[0]

    def _render(self, context: Context, name: str, keys: tuple, caller_file: str) -> Markup:
        template = self.environment.get_template(name)
        layer = self._layer_of(caller_file)
        if self.outputs is None or (layer, name) in self.never:
            return _render_partial(template, context)
        with recording() as reads, noting_loads() as loaded:
            text = _render_partial(template, context)
        replay(reads)
        lowest = min(self._layer_of(t.filename) for t in (template, *loaded))
        if lowest < layer:
            self.never.add((layer, name))  # an override above the tag's layer took part
        else:
            self.outputs[(name, keys)] = (_Kept(text), reads, lowest)
        return text

    def _layer_of(self, filename: str | None) -> int:
        """_layer, asked once per file and pass (it resolves paths: system calls)."""
        layer = self.layers.get(filename or "")
        if layer is None:
            layer = self.layers[filename or ""] = _layer(self.environment, filename)
        return layer


class _Kept:
    """A kept text as the tag's output: true even when empty (a search box a site turned
    off), so `_lookup(…) or _render(…)` renders only what was not kept."""

    __slots__ = ("text",)

    def __init__(self, text: Markup):
        self.text = text

    def __html__(self) -> Markup:
        return self.text

    def __str__(self) -> str:
        return self.text


_loads: ContextVar[set | None] = ContextVar("sitegen_partial_loads", default=None)


@contextmanager
def noting_loads() -> Iterator[set]:
    """Collect the templates loaded inside (sitegen.render.templates' environment notes each
    with `note_load`); an outer collection gets them too."""
    loaded: set = set()
    token = _loads.set(loaded)
    try:
        yield loaded
    finally:
        _loads.reset(token)
        outer = _loads.get()
        if outer is not None:
            outer.update(loaded)


def note_load(template: jinja2.Template) -> None:
    loaded = _loads.get()
    if loaded is not None:
        loaded.add(template)


def _render_partial(template: jinja2.Template, context: Context) -> Markup:
    """The partial as `{% include %}` renders it: in the caller's context, with its local
    variables (the loop's `page` of a list of summaries)."""
    return Markup("".join(template.root_render_func(template.new_context(context.get_all(), True))))


def _layer(environment: jinja2.Environment, filename: str | None) -> int:
    """The position of the layout folder holding `filename` (0: the site's own); a file
    from no folder (a template made from a string) counts as the site's."""
    if not filename:
        return 0
    path = os.path.realpath(filename)
    folders = getattr(environment.loader, "searchpath", [])
    for position, folder in enumerate(folders):
        if path.startswith(os.path.realpath(folder) + os.sep):
            return position
    return 0


def cached_partials(environment: jinja2.Environment) -> CachedPartials | None:
    return environment.extensions.get(CachedPartials.identifier)  # type: ignore[return-value]


def new_render_pass(environment: jinja2.Environment) -> None:
    """Start keeping cached partials afresh (each build, or each serve re-render)."""
    extension = cached_partials(environment)
    if extension is not None:
        extension.new_pass()
