"""The filters and globals templates get beyond Jinja's own: URLs under the site's base URL,
dates and numbers in the page's language, the `style` shortcode's CSS, Hugo's privacy switches."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from sitegen import __version__
from sitegen.content.html_repair import clean_config_html
from sitegen.content.html_text import strip_html, truncate_words
from sitegen.load.config import SiteConfig
from sitegen.load.config_values import lower_keys
from sitegen.locale import format_date_for
from sitegen.releases.outputs import newest_release
from sitegen.render.i18n import format_number, format_relative
from sitegen.safe.urls import safe_url
from sitegen.site.urls import absolute_url, base_path, encode_url, join_url


def site_filters(config: SiteConfig) -> dict[str, Any]:
    """The filters of a site's environment (Jinja folds those that take no context into the
    compiled code: sitegen.build.bytecode keys on them)."""
    base_url = config.base_url
    return dict(
        iso8601=lambda dt: dt.isoformat() if dt else "",
        rfc822=lambda dt: dt.strftime("%a, %d %b %Y %H:%M:%S %z") if dt else "",
        absurl=build_dependent(lambda path: _absolute(base_url, path)),
        relurl=build_dependent(lambda path: _under_base(base_path(base_url), path)),
        plainify=lambda html: strip_html(str(html)),
        truncate_words=lambda html, count=30: truncate_words(str(html), count),
        jsonify=lambda value: Markup(
            json.dumps(value, ensure_ascii=False, default=str).replace("</", "<\\/")
        ),
        urlencode_term=encode_url,
        safe_url=safe_url,
        config_html=clean_config_html,
        newest_release=newest_release,
        menu_current=menu_current,
        **LANGUAGE_FILTERS,
    )


def menu_current(entries: Any, url: str) -> str | None:
    """`url` when an entry of the menu (or of its sub-menus) links to it, else None: all that a
    menu shows of the page it is on (`aria-current`), so the key of its cached partial."""
    for entry in entries or ():
        if entry.url == url or menu_current(entry.children, url) is not None:
            return url
    return None


def site_globals(config: SiteConfig, clock: Callable[[], datetime]) -> dict[str, Any]:
    """The globals of a site's environment besides the theme's macro libraries."""
    root = base_path(config.base_url)
    return dict(
        sitegen_version=__version__,
        now=now_global(clock),
        css_rules=css_rules,
        qr_image=qr_image,
        static_url=lambda path: f"{root}/{str(path).lstrip('/')}",
        privacy_disabled=lambda service: _privacy_disabled(config, service),
    )


def qr_image(*args: Any, **kwargs: Any) -> Any:
    """The `qr` shortcode's image (sitegen.render.qr); segno is imported by the first page that has one."""
    from sitegen.render.qr import qr_image as draw

    return draw(*args, **kwargs)


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


def now_global(clock: Callable[[], datetime]):
    """`now()`: the build's moment, the one `site.build_date` holds (SOURCE_DATE_EPOCH when
    set); `clock()` where a template has no `site` (a macro imported without context)."""

    @jinja2.pass_context
    def now(context) -> datetime:
        moment = getattr(context.get("site"), "build_date", None)
        return moment if isinstance(moment, datetime) else clock()

    return now


def _under_base(root: str, path: Any) -> str:
    """A site path under baseURL's own path ("/img/a.png" -> "/blog/img/a.png"), once."""
    text = str(path)
    if (
        not root
        or not text.startswith("/")
        or text.startswith("//")
        or text == root
        or text.startswith(root + "/")
    ):
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
    nested: list[
        tuple[Markup, Markup]
    ]  # (selector, body) of each `selector{body}`, safe in <style>


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
        declarations.append(head[: cut + 1])
        depth, end = 1, brace + 1
        while end < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        body = text[brace + 1 : end - 1] if depth == 0 else text[brace + 1 :]
        nested.append(
            (
                Markup(head[cut + 1 :].strip().replace("<", "")),
                Markup(body.strip().replace("<", "")),
            )
        )
        pos = end
    return CssRules(" ".join(part.strip() for part in declarations if part.strip()), nested)


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
    return (
        text
        if "://" in text or text.startswith(prefix + "/") and prefix
        else join_url(prefix, text)
    )


LANGUAGE_FILTERS = {
    "date_format": _date_format,
    "number": _number,
    "rel_date": _rel_date,
    "lang_url": _lang_url,
}
