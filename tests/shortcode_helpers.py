"""Shared set-up for the shortcode tests: the default theme's templates plus test templates,
a real CommonMark renderer and the theme's i18n strings. (A helper module, not a test file.)"""

from __future__ import annotations

import tomllib
from pathlib import Path
from types import SimpleNamespace

import jinja2
from markdown_it import MarkdownIt

from sitegen.content.shortcodes import (
    JinjaShortcodeRenderer,
    expand_shortcodes,
    restore_placeholders,
)
from sitegen.render.filters import css_rules
from sitegen.safe.urls import safe_url

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures" / "shortcodes"
THEME = TESTS.parent / "sitegen" / "themes" / "default"
SHARED = TESTS.parents[1] / "shared"


def make_env() -> jinja2.Environment:
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(FIXTURES / "layouts"), jinja2.FileSystemLoader(THEME / "layouts")]
    )
    env = jinja2.Environment(loader=loader, autoescape=True)
    env.filters["typename"] = lambda value: type(value).__name__
    env.filters["safe_url"] = safe_url  # the build's, as the default theme's shortcodes use it
    env.globals["css_rules"] = css_rules
    return env


def make_translate(lang: str):
    strings = tomllib.loads((THEME / "i18n" / f"{lang}.toml").read_text(encoding="utf-8"))
    return lambda key, *args, **kwargs: strings.get(key, {}).get("other", key)


def make_renderer(
    lang: str = "en", pages: dict | None = None, page_params: dict | None = None
) -> JinjaShortcodeRenderer:
    md = MarkdownIt("commonmark")
    page = SimpleNamespace(
        lang=lang,
        params=page_params or {},
        permalink="https://example.org/here/",
        rel_permalink="/here/",
    )
    site = SimpleNamespace(params={"version": "0.2.X", "nested": {"key": "deep"}})
    return JinjaShortcodeRenderer(
        make_env(),
        page=page,
        site=site,
        render_markdown=md.render,
        render_inline=md.renderInline,
        translate=make_translate(lang),
        get_page=(pages or {}).get,
    )


def render_page(
    body: str,
    renderer: JinjaShortcodeRenderer | None = None,
    *,
    path: str = "page.md",
    first_line: int = 1,
) -> str:
    """Body → HTML the way the build does it: expand, render Markdown, restore placeholders."""
    expanded = expand_shortcodes(
        body, renderer or make_renderer(), path=path, first_line=first_line
    )
    return restore_placeholders(
        MarkdownIt("commonmark").render(expanded.markdown), expanded.placeholders
    )
