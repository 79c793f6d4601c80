"""Which template renders a page: Hugo's lookup order, reduced to the kinds a blog uses, and
the environment's choice kept for the build."""

from __future__ import annotations

import jinja2

from sitegen.errors import Diagnostics, SiteError
from sitegen.models import Page
from sitegen.render.templates import template_error


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


def select_template(
    env: jinja2.Environment, page: Page, diagnostics: Diagnostics | None = None
) -> jinja2.Template:
    names = page_template_names(page)
    try:
        template = _chosen(env, names)
        if (
            page.layout
            and diagnostics is not None
            and not template.name.endswith(f"/{page.layout}.html")
        ):
            diagnostics.warn(
                f"layout {page.layout!r} not found; using {template.name}",
                page.source.path if page.source else None,
                hint=f"add layouts/{names[0]} or remove 'layout' from the front matter",
            )
        return template
    except jinja2.TemplatesNotFound:
        raise SiteError(
            f"no template for this {page.kind} page (looked for {', '.join(names)})",
            page.source.path if page.source else None,
            1 if page.source else None,
            hint=f"add layouts/{names[-1]} or remove the 'layout'/'type' front matter",
        ) from None
    except (
        jinja2.TemplateSyntaxError
    ) as exc:  # a site's own layout: the author's to fix, with its line
        raise template_error(exc, page) from None


def _chosen(env: jinja2.Environment, names: list[str]) -> jinja2.Template:
    """env.select_template(names), its answer kept per environment while it does not reload
    templates (a build's: a new layout file makes a new environment, sitegen.build.inputs).
    A name that is not there (`posts/single.html` before `_default/single.html`) is otherwise
    looked for in every layout folder again for every page: Jinja keeps only what it found."""
    if env.auto_reload:
        return env.select_template(names)
    chosen = env.__dict__.setdefault("sitegen_chosen", {})
    key = tuple(names)
    template = chosen.get(key)
    if template is None:
        template = chosen[key] = env.select_template(names)
    return template
