"""Shortcode templates rendered with Jinja2: `shortcodes/NAME.html` sees `shortcode`,
`page`, `site` and `T`.

`shortcode` is a `ShortcodeContext`, the Jinja counterpart of Hugo's shortcode object:
`.get(name_or_index, default)`, `.params`, `.is_named_params`, `.inner` (Hugo's `.Inner`),
`.inner_html` (`.Inner | .Page.RenderString`), `.parent`, `.position`, `.ordinal`, plus
helpers Hugo offers as template functions (`markdownify`, `render_inline`, `ref`, `relref`,
`param`, `highlight`, `error`).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Callable, Mapping

import jinja2
from jinja2 import nodes as jnodes
from markupsafe import Markup

from sitegen.content.markdown.highlight import HighlightOptions, highlight_shortcode
from sitegen.content.shortcodes.expand import ShortcodeCall, ShortcodeRenderError
from sitegen.load.gotemplates import placeholder_html, snippet_text

_INNER_ATTRIBUTES = {"inner", "inner_html"}


def trim_short_html(html: str) -> str:
    """Hugo's RenderString "inline" display: HTML that is exactly one paragraph loses its `<p>`."""
    stripped = html.strip()
    if stripped.count("<p>") == 1 and stripped.startswith("<p>") and stripped.endswith("</p>"):
        return stripped[3:-4].strip()
    return html


class JinjaShortcodeRenderer:
    """Renders calls with `shortcodes/NAME.html` from a Jinja2 environment (site layouts first)."""

    def __init__(
        self,
        env: jinja2.Environment,
        *,
        page: Any,
        site: Any,
        render_markdown: Callable[[str], str],
        render_inline: Callable[[str], str],
        translate: Callable[..., str],
        get_page: Callable[[str], Any] | None = None,
        highlight: HighlightOptions | None = None,
        go_shortcodes: Mapping[str, str] | None = None,
    ):
        self.env = env
        self.page = page
        self.site = site
        self.render_markdown = render_markdown
        self.render_inline = render_inline
        self.translate = translate
        self.get_page = get_page
        self.highlight = highlight or HighlightOptions()  # the site's markup.highlight
        self.go_shortcodes = go_shortcodes or {}  # name -> Go template sitegen cannot run
        self.go_calls: list[
            tuple[str, int]
        ] = []  # (name, line) of each call rendered as a placeholder

    def exists(self, name: str) -> bool:
        return name in self.go_shortcodes or self._jinja_exists(name)

    def is_placeholder(self, name: str) -> bool:
        """A Go shortcode with no Jinja2 template anywhere: rendered as a visible placeholder."""
        return name in self.go_shortcodes and not self._jinja_exists(name)

    def _jinja_exists(self, name: str) -> bool:
        try:
            self.env.get_template(_template_name(name))
        except jinja2.TemplateNotFound:
            return False
        except jinja2.TemplateSyntaxError:
            return True  # render() reports it with the template's file:line
        return True

    def uses_inner(self, name: str) -> bool | None:
        """Whether the template reads the inner content (Hugo's rule for needing a closing tag);
        None when it cannot be told because the template includes or extends others."""
        if self.is_placeholder(name):
            return False if snippet_text(self.go_shortcodes[name]) is not None else None
        try:
            source = self.env.loader.get_source(self.env, _template_name(name))[0]  # type: ignore[union-attr]
        except (jinja2.TemplateError, AttributeError):
            return None
        return _source_uses_inner(self.env, source)

    def render(self, call: ShortcodeCall) -> str:
        if self.is_placeholder(call.name):
            snippet = snippet_text(self.go_shortcodes[call.name])
            if snippet is not None:
                return snippet
            self.go_calls.append((call.name, call.line))
            inner = ShortcodeContext(call, self).inner_html if call.inner else ""
            return placeholder_html(call.name, call.params, call.markup, str(inner))
        return self._render_template(_template_name(call.name), ShortcodeContext(call, self))

    def render_admonition(self, kind: str, title: str | None, body_html: str) -> str:
        """Render a GitHub/Obsidian alert through the admonition shortcode's template."""
        params: dict[str, Any] = {"type": kind}
        if title:
            params["title"] = title
        call = ShortcodeCall("admonition", params, "<", body_html, "", 0, 0, 0)
        return self._render_template(
            _template_name("admonition"),
            ShortcodeContext(call, self, rendered_inner=trim_short_html(body_html)),
        )

    def _render_template(self, name: str, context: ShortcodeContext) -> str:
        try:
            template = self.env.get_template(name)
            return template.render(
                shortcode=context, page=self.page, site=self.site, T=self.translate
            )
        except ShortcodeRenderError:
            raise
        except jinja2.TemplateSyntaxError as error:
            raise ShortcodeRenderError(
                f"template syntax error at {error.filename or error.name}:{error.lineno}: {error.message}",
                "fix the template",
            ) from error
        except Exception as error:  # a template bug must not crash the build: report where it is
            where = _template_location(error, name)
            raise ShortcodeRenderError(
                f"template error at {where}: {type(error).__name__}: {error}",
                "fix the template or the shortcode's arguments",
            ) from error


@lru_cache(maxsize=256)
def _source_uses_inner(env: jinja2.Environment, source: str) -> bool | None:
    # Cached by source text: parsing a template costs far more than expanding a call.
    try:
        tree = env.parse(source)
    except jinja2.TemplateError:
        return None
    for node in tree.find_all((jnodes.Getattr, jnodes.Getitem)):
        key = node.attr if isinstance(node, jnodes.Getattr) else getattr(node.arg, "value", None)
        if key in _INNER_ATTRIBUTES:
            return True
    if any(
        True
        for _ in tree.find_all((jnodes.Include, jnodes.Import, jnodes.FromImport, jnodes.Extends))
    ):
        return None
    return False


def _template_name(name: str) -> str:
    return f"shortcodes/{name}.html"


def _template_location(error: BaseException, name: str) -> str:
    """The innermost template frame of a traceback: Jinja maps it to the template's file:line."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if not frame.filename.endswith(".py") and frame.lineno:
            return f"{frame.filename}:{frame.lineno}"
    return name


@dataclass
class ShortcodeContext:
    """What a shortcode template sees as `shortcode`."""

    call: ShortcodeCall
    renderer: JinjaShortcodeRenderer
    rendered_inner: str | None = None  # inner HTML given ready-made (alerts)
    _parent: ShortcodeContext | None = field(default=None, repr=False)

    name = property(lambda self: self.call.name)
    params = property(lambda self: self.call.params)
    is_named_params = property(lambda self: self.call.is_named_params)
    position = property(lambda self: self.call.position)
    ordinal = property(lambda self: self.call.ordinal)
    page = property(lambda self: self.renderer.page)
    site = property(lambda self: self.renderer.site)

    def get(self, key: str | int, default: Any = None) -> Any:
        """An argument by name or by position (Hugo's `.Get`); `default` when absent."""
        params = self.call.params
        if isinstance(key, int):
            return params[key] if isinstance(params, list) and 0 <= key < len(params) else default
        return params.get(key, default) if isinstance(params, dict) else default

    @property
    def inner(self) -> Markup:
        return Markup(self.call.inner or "")

    @cached_property
    def inner_html(self) -> Markup:
        if self.rendered_inner is not None:
            return Markup(self.rendered_inner)
        if not self.call.inner or not self.call.inner.strip():
            return Markup("")
        return Markup(trim_short_html(self.renderer.render_markdown(self.call.inner)))

    @property
    def parent(self) -> ShortcodeContext | None:
        if self.call.parent is None:
            return None
        return ShortcodeContext(self.call.parent, self.renderer)

    def markdownify(self, text: Any) -> Markup:
        return Markup(trim_short_html(self.renderer.render_markdown(str(text))))

    def render_block(self, text: Any) -> Markup:
        """Markdown as blocks, paragraphs kept (RenderString with display "block")."""
        return Markup(self.renderer.render_markdown(str(text))) if text else Markup("")

    def render_inline(self, text: Any) -> Markup:
        return Markup(self.renderer.render_inline(str(text)))

    def error(self, message: str, hint: str = "") -> None:
        raise ShortcodeRenderError(message, hint)

    def ref(self, target: str) -> str:
        return self._resolve(target, "permalink")

    def relref(self, target: str) -> str:
        return self._resolve(target, "rel_permalink")

    def _resolve(self, target: Any, attribute: str) -> str:
        target = str(target or "")
        path, _, fragment = target.partition("#")
        anchor = f"#{fragment}" if fragment else ""
        if not path:
            return getattr(self.page, attribute, "") + anchor if self.page is not None else anchor
        page = self.renderer.get_page(path) if self.renderer.get_page else None
        if page is None:
            raise ShortcodeRenderError(
                f"no page {path!r} found",
                "give the target's path under content/, e.g. posts/2023/x.md or /posts/2023/x",
            )
        return str(getattr(page, attribute, "")) + anchor

    def param(self, key: Any) -> Any:
        """A page parameter, else a site parameter (dotted keys reach into tables)."""
        for source in (self.page, self.site):
            value = _lookup(getattr(source, "params", None) or {}, str(key))
            if value is not None:
                return value
        raise ShortcodeRenderError(
            f"param {key!r} not found in the page's or the site's params",
            "set it in the front matter or under [params] in config.toml",
        )

    def highlight(self, code: str, lang: str = "", options: str | Mapping[str, Any] = "") -> Markup:
        """Hugo's `highlight CODE LANG OPTIONS`, through the code fences' highlighter."""
        options = options if isinstance(options, Mapping) else str(options or "")
        return Markup(
            highlight_shortcode(str(code), str(lang or ""), options, self.renderer.highlight)
        )


def _lookup(params: Any, dotted: str) -> Any:
    value = params
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part, value.get(part.lower()))
    return value
