"""Render pages through templates into their output files: each page, or each pager of a
list page (a unit), with its aliases; `render_site_files` (site_files.py) makes the rest.

A unit renders to its files, as relpath -> bytes, in this process: where they are written
and which are taken from the cache is the build's business (sitegen.build.render_stage)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Callable

import jinja2

from sitegen.errors import Diagnostics, SiteError
from sitegen.models import Page, Pager
from sitegen.render.cached_partials import new_render_pass
from sitegen.render.feeds import alias_page
from sitegen.render.layouts import select_template
from sitegen.render.templates import BUILTIN_THEMES, render_with
from sitegen.render.views import SiteView
from sitegen.safe.paths import clean_url
from sitegen.site.assemble import LanguageSite, Site
from sitegen.site.urls import base_path, join_url, output_path

PAGINATED_KINDS = ("home", "section", "term")
FEED_KINDS = ("home", "section", "taxonomy", "term")
LIST_PARTIALS = (
    "_default/baseof.html",
    "partials/post-list.html",
    "partials/summary.html",
    "partials/pagination.html",
)


def main_sections(site: Site) -> tuple[str, ...]:
    """Hugo's default mainSections: the section with the most pages."""
    if site.config.main_sections:
        return site.config.main_sections
    counts = Counter(p.section for lang in site.languages for p in lang.regular_pages if p.section)
    return (counts.most_common(1)[0][0],) if counts else ()


def list_members(page: Page, lang: LanguageSite, sections: tuple[str, ...]) -> list[Page]:
    if page.kind == "home":
        return (
            [p for p in lang.regular_pages if p.section in sections]
            if sections
            else lang.regular_pages
        )
    return page.pages


def paginate(page: Page, members: list[Page], size: int) -> list[Pager]:
    total = max(1, -(-len(members) // size))
    urls = [page.rel_permalink] + [f"{page.rel_permalink}page/{n}/" for n in range(2, total + 1)]
    return [
        Pager(
            number=n,
            total_pages=total,
            pages=members[(n - 1) * size : n * size],
            url=urls[n - 1],
            first_url=urls[0],
            last_url=urls[-1],
            prev_url=urls[n - 2] if n > 1 else None,
            next_url=urls[n] if n < total else None,
        )
        for n in range(1, total + 1)
    ]


Unit = tuple[Page, "Pager | None"]  # a page, or one pager of a list page (None: the whole page)


def unit_weight(unit: Unit) -> int:
    """How many pages a unit lists (the release index, taxonomy lists and pagers weigh most)."""
    page, pager = unit
    if pager is not None:
        return len(pager.pages)
    return len(page.releases) if page.kind == "releases" else len(page.pages)


def render_units(
    site: Site,
    env: jinja2.Environment,
    views: dict[str, SiteView],
    translate: Callable[..., str],
    diagnostics: Diagnostics,
    units: list[Unit],
    extra_context: Callable[[Page], dict[str, Any]] | None = None,
) -> dict[str, bytes]:
    """The files of some units only, in this process (for a rebuild after one page changed)."""
    render_one = unit_renderer(site, env, views, translate, extra_context)
    outputs: dict[str, bytes] = {}
    for unit in units:
        files, warnings, errors = render_one(unit)
        report(diagnostics, warnings, errors)
        outputs.update(files)
    return outputs


def page_units(site: Site, env: jinja2.Environment, page: Page) -> list[Unit]:
    """What the build renders of `page`: each of its pagers, or the whole page."""
    if page.kind in PAGINATED_KINDS and _shows_only_its_pager(env, page):
        members = list_members(page, site.language(page.lang), main_sections(site))
        return [(page, pager) for pager in paginate(page, members, site.config.pager_size)]
    return [(page, None)]


def units_listing(site: Site, env: jinja2.Environment, page: Page) -> list[Unit]:
    """The units of list pages whose posts include `page` (where its summary card shows)."""
    lang = site.language(page.lang)
    sections, size = main_sections(site), site.config.pager_size
    units: list[Unit] = []
    for lister in lang.pages:
        if lister.kind not in PAGINATED_KINDS:
            continue
        members = list_members(lister, lang, sections)
        index = next((n for n, member in enumerate(members) if member is page), None)
        if index is None:
            continue
        if _shows_only_its_pager(env, lister):
            units.append((lister, paginate(lister, members, size)[index // size]))
        else:
            units.append((lister, None))
    return units


def unit_renderer(
    site: Site,
    env: jinja2.Environment,
    views: dict[str, SiteView],
    translate: Callable[..., str],
    extra_context: Callable[[Page], dict[str, Any]] | None = None,
):
    """render_one(unit) -> (files, warnings, errors), the files as relpath -> bytes."""
    config = site.config
    root = base_path(config.base_url)
    sections = main_sections(site)
    env.auto_reload = False  # templates do not change during a build: no stat() per include
    new_render_pass(env)  # partials kept by `partial_cached` are this pass's own
    languages = {lang.language.code: lang for lang in site.languages}
    translators = {code: language_translator(translate, code) for code in languages}

    def render_unit(unit: Unit) -> tuple[dict[str, bytes], list[SiteError], list[SiteError]]:
        page, pager = unit
        local = Diagnostics()
        files: dict[str, bytes] = {}
        try:
            template = select_template(env, page, local)
            lang = languages[page.lang]
            _render_page(
                page,
                pager,
                template,
                lang,
                views[page.lang],
                env,
                translators[page.lang],
                sections,
                config.pager_size,
                root,
                files,
                extra_context,
            )
        except SiteError as error:
            local.error(error)
        return files, local.warnings, local.errors

    return render_unit


def language_translator(translate: Callable[..., str], lang: str) -> Callable[..., str]:
    """The theme's `T(key, count=None, **values)` for one language. A text without a count or
    values is the same on every page (`T("tags")`, about twenty a post), so it is looked up
    once per render pass; a missing one still warns, on its first use."""
    plain: dict[str, str] = {}

    def T(key: Any, count: Any = None, **values: Any) -> str:
        if count is None and not values and type(key) is str:
            text = plain.get(key)
            if text is None:
                text = plain[key] = translate(lang, key)
            return text
        return translate(lang, key, count, **values)

    return T


def load_all_templates(env: jinja2.Environment) -> None:
    """Compile every template now (before the build's workers fork, so that they inherit them
    instead of each compiling its own). A template that does not compile is left to fail,
    with its file and line, where a page uses it. The built-in theme's partials that its
    templates carry inline compile only where a site's own template includes them."""
    carried = getattr(env.loader, "carries_inline", lambda env, name: False)
    for name in env.list_templates(extensions=["html", "xml", "json", "txt"]):
        if carried(env, name):
            continue
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass


def report(diagnostics: Diagnostics, warnings: list[SiteError], errors: list[SiteError]) -> None:
    for warning in warnings:
        diagnostics.warn(warning.message, warning.path, warning.line, warning.hint)
    diagnostics.errors.extend(errors)


def _shows_only_its_pager(env: jinja2.Environment, page: Page) -> bool:
    """Whether a list page comes from the built-in theme's templates, which show the posts
    of the current pager only (a site's own list template may show any of the list's posts)."""
    if not all(_is_builtin(env, name) for name in LIST_PARTIALS):
        return False
    try:
        template = select_template(env, page)
    except SiteError:
        return False
    return _is_builtin(env, template.name)


def _is_builtin(env: jinja2.Environment, name: str) -> bool:
    known = env.__dict__.setdefault(
        "sitegen_builtin", {}
    )  # per environment: its templates do not change
    if name not in known:
        try:
            filename = env.get_template(name).filename
            known[name] = bool(filename) and Path(filename).resolve().is_relative_to(
                BUILTIN_THEMES.resolve()
            )
        except jinja2.TemplateNotFound:
            known[name] = True  # not used at all
        except jinja2.TemplateError:
            known[name] = (
                False  # a site's template that does not compile: reported where a page uses it
            )
    return known[name]


def _render_page(
    page: Page,
    pager: Pager | None,
    template: jinja2.Template,
    lang: LanguageSite,
    view: SiteView,
    env: jinja2.Environment,
    translate: Callable[..., str],
    sections: tuple[str, ...],
    size: int,
    root: str,
    outputs: dict[str, bytes],
    extra_context,
) -> None:
    """The page's files, or with `pager` the files of that one pager of a list page."""
    context = {
        "page": page,
        "site": view,
        "locale": view.language.locale,
        "lang_prefix": lang.prefix,
        "T": translate,
        "paginator": None,
    }
    if extra_context:
        context.update(extra_context(page))
    if page.kind in PAGINATED_KINDS:
        pagers = [pager] if pager else paginate(page, list_members(page, lang, sections), size)
        for each in pagers:
            context["paginator"] = each
            outputs[output_path(each.url, root)] = render_with(
                env, template, context, page
            ).encode()
        if pagers[0].number == 1:
            outputs[output_path(page.rel_permalink + "page/1/", root)] = alias_page(page.permalink)
    else:
        outputs[output_path(page.rel_permalink, root)] = render_with(
            env, template, context, page
        ).encode()
    if pager is not None and pager.number != 1:
        return
    for alias in page.aliases:
        target = clean_url(alias_target(alias, page.rel_permalink, lang.prefix))
        outputs[output_path(target, root)] = alias_page(page.permalink)


def alias_target(alias: str, rel_permalink: str, prefix: str) -> str:
    """Where Hugo publishes an alias: an absolute one under the page's language prefix, a
    relative one beside the page (`old` on /posts/new/ -> /posts/old/). As Hugo's, one ending
    in .html or .htm is a file, any other a folder (`/p.txt` -> /p.txt/)."""
    base = prefix if alias.startswith("/") else rel_permalink.rstrip("/").rpartition("/")[0]
    target = join_url(base, alias)
    return target.rstrip("/") if alias.endswith((".html", ".htm")) else target
