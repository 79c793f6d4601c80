"""`{% partial_cached "partials/NAME.html", key, … %}`: a partial rendered once per render pass
for each distinct tuple of keys, as Hugo's `partialCached "NAME.html" . key …`.

A theme's header, menu and footer look the same on every page of a language, or differ only
in which menu entry is current; rendered as includes they are made again on every page (the
menu of a 15-entry site is about 120 attribute reads a page). The tag renders the partial as
`{% include %}` would (with the page's context), keeps its text under the partial's name and
the keys, and gives that text to every later page with the same keys. The keys are the
template author's statement of everything the partial's output depends on, as in Hugo: the
built-in theme passes the page's language, and for the menu the URL of the current entry.

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
        self.outputs: dict[tuple, tuple[Markup, set]] | None = None  # None: keep nothing
        self.never: set[tuple[str, str]] = set()  # (tag's file, partial) that pull in overrides

    def new_pass(self) -> None:
        """Forget the outputs of the last pass: its site (menus, titles, pages) may have changed."""
        self.outputs = {}
        self.never = set()

    def _render(self, context: Context, name: str, keys: tuple, caller_file: str) -> Markup:
        outputs = self.outputs
        key = (caller_file, name, keys)  # two tags may differ in whether they may keep
        try:
            kept = outputs.get(key) if outputs is not None else None
        except TypeError:  # a list or dict among the keys
            raise jinja2.TemplateRuntimeError(
                f"partial_cached {name!r}: keys must be strings, numbers or None "
                f"(got {', '.join(type(k).__name__ for k in keys)})"
            ) from None
        if kept is None:  # not rendered yet in this pass (or never kept)
            template = self.environment.get_template(name)
            if outputs is None or (caller_file, name) in self.never:
                return _render_partial(template, context)
            with recording() as reads, noting_loads() as loaded:
                text = _render_partial(template, context)
            layer = _layer(self.environment, caller_file)
            if any(_layer(self.environment, t.filename) < layer for t in (template, *loaded)):
                self.never.add((caller_file, name))  # an override above the tag's layer
                replay(reads)
                return text
            kept = outputs[key] = (text, reads)
        replay(kept[1])
        return kept[0]


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
    """The partial as `{% include %}` renders it: in the page's context (not the caller's
    local `set`s inside blocks and loops; a cached partial has no business with those)."""
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
