"""Render pages through templates into output files, with pagination, feeds, sitemaps and aliases."""

from __future__ import annotations

from collections import Counter
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any, Callable

import jinja2

from sitegen.load.claims import OutputClaims
from sitegen.safe.paths import clean_url
from sitegen.errors import Diagnostics, SiteError
from sitegen.render.feeds import alias_page, feed_items, robots_txt, rss_feed, sitemap, sitemap_index
from sitegen.models import Page, Pager
from sitegen.write.output import Receipt, StagedOutputs
from sitegen.site.assemble import LanguageSite, Site
from sitegen.build.parallel import map_pages
from sitegen.build.reads import as_refs, note_moment_reads, recording, replay
from sitegen.render.templates import BUILTIN_THEMES, render_with, select_template
from sitegen.site.urls import absolute_url, base_path, join_url, output_path
from sitegen.render.views import SiteView

PAGINATED_KINDS = ("home", "section", "term")
FEED_KINDS = ("home", "section", "taxonomy", "term")
SUMMARY_PARTIAL = "partials/summary.html"
LIST_PARTIALS = ("_default/baseof.html", "partials/post-list.html", SUMMARY_PARTIAL, "partials/pagination.html")


def main_sections(site: Site) -> tuple[str, ...]:
    """Hugo's default mainSections: the section with the most pages."""
    if site.config.main_sections:
        return site.config.main_sections
    counts = Counter(p.section for lang in site.languages for p in lang.regular_pages if p.section)
    return (counts.most_common(1)[0][0],) if counts else ()


def list_members(page: Page, lang: LanguageSite, sections: tuple[str, ...]) -> list[Page]:
    if page.kind == "home":
        return [p for p in lang.regular_pages if p.section in sections] if sections else lang.regular_pages
    return page.pages


def paginate(page: Page, members: list[Page], size: int) -> list[Pager]:
    total = max(1, -(-len(members) // size))
    urls = [page.rel_permalink] + [f"{page.rel_permalink}page/{n}/" for n in range(2, total + 1)]
    return [
        Pager(number=n, total_pages=total, pages=members[(n - 1) * size:n * size], url=urls[n - 1],
              first_url=urls[0], last_url=urls[-1], prev_url=urls[n - 2] if n > 1 else None,
              next_url=urls[n] if n < total else None)
        for n in range(1, total + 1)
    ]


Unit = tuple[Page, "Pager | None"]  # a page, or one pager of a list page (None: the whole page)


def render_site(site: Site, env: jinja2.Environment, views: dict[str, SiteView],
                translate: Callable[..., str], diagnostics: Diagnostics,
                extra_context: Callable[[Page], dict[str, Any]] | None = None, workers: int = 1,
                reuse: Callable[[Page, Pager | None], dict[str, bytes] | None] | None = None,
                rendered: Callable[[Page, Pager | None, dict[str, bytes]], None] | None = None,
                outputs: MutableMapping[str, bytes] | None = None,
                claims: OutputClaims | None = None) -> MutableMapping[str, bytes]:
    """Every output file of the site, as relpath -> bytes. Errors are collected, not raised.

    Pages render over `workers` forked processes. With the built-in theme's list templates
    each pager of a list page is a unit of its own (it shows only its own posts), else the
    whole page is; `reuse(page, pager)` may hand back a unit's outputs from a cache (None:
    render it), and `rendered(page, pager, outputs, reads)` hears of each unit rendered anew,
    with what its render read (sitegen.build.reads).
    Files go into `outputs` (default: a new dict) as they are made; each claims its path in
    `claims`, where two outputs meeting at one path are an error naming both.
    """
    config = site.config
    claims = claims if claims is not None else OutputClaims(diagnostics, config.source)
    root = base_path(config.base_url)
    outputs = {} if outputs is None else outputs
    render_one = _unit_renderer(site, env, views, translate, extra_context, record_reads=rendered is not None)
    units = [unit for page in site.pages for unit in page_units(site, env, page)]
    cached = [reuse(*unit) if reuse else None for unit in units]
    todo = [unit for unit, files in zip(units, cached) if files is None]
    # Where the outputs are a staging folder, workers write their files themselves (and
    # cache them), so writing is not left to the parent after the rendering.
    apart = isinstance(outputs, StagedOutputs) and workers > 1

    def render_and_write(unit: Unit):
        files, warnings, errors, reads = render_one(unit)
        if rendered and not errors:
            rendered(*unit, files, reads)
        return [outputs.write_apart(rel, data) for rel, data in files.items()], warnings, errors, reads

    if apart:
        _load_all_templates(env)
    results = iter(_heaviest_first(render_and_write if apart else render_one, todo, workers))
    receipts: list[Receipt] = []  # with `apart`: every unit's files, in unit order
    for unit, files in zip(units, cached):
        if files is None:
            files, warnings, errors, reads = next(results)
            _report(diagnostics, warnings, errors)
            if apart:
                claims.claim_page_files(unit[0], [receipt.rel for receipt in files])
                receipts += files
                note_moment_reads(views[unit[0].lang].build_date, reads)  # noted in the worker, lost there
                continue
            if rendered and not errors:
                rendered(*unit, files, reads)
        claims.claim_page_files(unit[0], list(files))
        if apart:  # cached files join the workers' in unit order
            receipts += [Receipt(rel, len(data), b"", 0, data) for rel, data in files.items()]
        else:
            outputs.update(files)
    if apart:
        outputs.adopt(receipts)
    _render_site_files(site, views, outputs, root, claims)
    return outputs


def _render_site_files(site: Site, views: dict[str, SiteView], outputs: MutableMapping[str, bytes], root: str,
                       claims: OutputClaims) -> None:
    """What is not a page: feeds, the language redirects, sitemaps, robots.txt (each unless disabled)."""
    config = site.config
    for lang in site.languages:
        _render_feeds(lang, site, views[lang.language.code], outputs, root, claims)
    _render_language_redirects(site, views, outputs, root, claims)
    if "sitemap" not in config.disabled_kinds:
        _render_sitemaps(site, outputs, root, claims)
    if config.enable_robots and "robotstxt" not in config.disabled_kinds:
        claims.claim("robots.txt", "sitegen's robots.txt")
        outputs["robots.txt"] = robots_txt(config)


def _render_language_redirects(site: Site, views: dict[str, SiteView], outputs: MutableMapping[str, bytes],
                               root: str, claims: OutputClaims) -> None:
    """Hugo answers /en/ for a default language at the root, and the root for one in its
    folder, with a redirect; a page the site publishes there wins."""
    config = site.config
    if not config.is_multilingual and not config.default_in_subdir:
        return
    home = views[config.default_language].home
    rel = output_path(f"{root}/{config.default_language}/" if not config.default_in_subdir else f"{root}/", root)
    if rel not in claims and rel != home.output_path:
        claims.claim(rel, "the redirect to the default language")
        outputs[rel] = alias_page(home.permalink)


def _heaviest_first(function: Callable[[Unit], Any], todo: list[Unit], workers: int) -> list[Any]:
    """map_pages over the units, the ones that list the most pages first (the release index,
    taxonomy lists, pagers), so that none of them is left to one worker at the end while the
    other idles. The results come back in the units' order."""
    order = sorted(range(len(todo)), key=lambda index: -_listed(todo[index]))
    results: list[Any] = [None] * len(todo)
    for index, result in zip(order, map_pages(function, [todo[index] for index in order], workers)):
        results[index] = result
    return results


def _listed(unit: Unit) -> int:
    page, pager = unit
    if pager is not None:
        return len(pager.pages)
    return len(page.releases) if page.kind == "releases" else len(page.pages)


def render_units(site: Site, env: jinja2.Environment, views: dict[str, SiteView], translate: Callable[..., str],
                 diagnostics: Diagnostics, units: list[Unit],
                 extra_context: Callable[[Page], dict[str, Any]] | None = None) -> dict[str, bytes]:
    """The files of some units only, in this process (for a rebuild after one page changed)."""
    render_one = _unit_renderer(site, env, views, translate, extra_context)
    outputs: dict[str, bytes] = {}
    for unit in units:
        files, warnings, errors, _ = render_one(unit)
        _report(diagnostics, warnings, errors)
        outputs.update(files)
    return outputs


def page_units(site: Site, env: jinja2.Environment, page: Page) -> list[Unit]:
    """What render_site renders of `page`: each of its pagers, or the whole page."""
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


def _unit_renderer(site: Site, env: jinja2.Environment, views: dict[str, SiteView], translate: Callable[..., str],
                   extra_context: Callable[[Page], dict[str, Any]] | None, record_reads: bool = False):
    """render_one(unit) -> (files, warnings, errors, reads); with `record_reads`, reads are
    what the render looked at of the site's pages and the build date (sitegen.build.reads), for
    the output cache, else None."""
    config = site.config
    root = base_path(config.base_url)
    sections = main_sections(site)
    env.auto_reload = False  # templates do not change during a build: no stat() per include
    _memoize_summaries(env)
    languages = {lang.language.code: lang for lang in site.languages}

    def render_unit(unit: Unit) -> tuple[dict[str, bytes], list[SiteError], list[SiteError]]:
        page, pager = unit
        local = Diagnostics()
        files: dict[str, bytes] = {}
        try:
            template = select_template(env, page, local)
            lang = languages[page.lang]
            _render_page(page, pager, template, lang, views[page.lang], env, translate, sections, config.pager_size,
                         root, files, extra_context)
        except SiteError as error:
            local.error(error)
        return files, local.warnings, local.errors

    def render_one(unit: Unit):
        if not record_reads:
            return *render_unit(unit), None
        with recording() as reads:
            result = render_unit(unit)
        return *result, as_refs(reads)

    return render_one


def _load_all_templates(env: jinja2.Environment) -> None:
    """Compile every template here, before the workers fork, so that they inherit them
    instead of each compiling its own. A template that does not compile is left to fail,
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


def _report(diagnostics: Diagnostics, warnings: list[SiteError], errors: list[SiteError]) -> None:
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
    known = env.__dict__.setdefault("sitegen_builtin", {})  # per environment: its templates do not change
    if name not in known:
        try:
            filename = env.get_template(name).filename
            known[name] = bool(filename) and Path(filename).resolve().is_relative_to(BUILTIN_THEMES.resolve())
        except jinja2.TemplateNotFound:
            known[name] = True  # not used at all
        except jinja2.TemplateError:
            known[name] = False  # a site's template that does not compile: reported where a page uses it
    return known[name]


def _memoize_summaries(env: jinja2.Environment) -> None:
    """List pages show each post's summary card on every list and pager it is on; render
    the card once per post and build. Only for the built-in theme's summary partial, whose
    output depends on the listed post and the language alone (a site's own partial might
    look at the list it is on, so it renders every time)."""
    try:
        template = env.get_template(SUMMARY_PARTIAL)
    except jinja2.TemplateError:  # not there, or a site's that does not compile (reported where used)
        return
    if not template.filename or not Path(template.filename).resolve().is_relative_to(BUILTIN_THEMES.resolve()):
        return
    render = getattr(template.root_render_func, "sitegen_original", template.root_render_func)
    memo: dict[tuple[int, Any], tuple[str, set]] = {}

    def memoized(context):
        page = context.get("page")
        key = (id(page), context.get("locale"), context.get("lang_prefix"))
        if key not in memo:
            with recording() as reads:
                text = "".join(render(context))
            memo[key] = (text, reads)
        text, reads = memo[key]
        replay(reads)  # every render that shows the card read what making it read
        yield text

    memoized.sitegen_original = render
    template.root_render_func = memoized


def _render_page(page: Page, pager: Pager | None, template: jinja2.Template, lang: LanguageSite, view: SiteView,
                 env: jinja2.Environment, translate: Callable[..., str], sections: tuple[str, ...], size: int,
                 root: str, outputs: dict[str, bytes], extra_context) -> None:
    """The page's files, or with `pager` the files of that one pager of a list page."""
    context = {
        "page": page, "site": view, "locale": view.language.locale, "lang_prefix": lang.prefix,
        "T": lambda key, count=None, **values: translate(page.lang, key, count, **values),
        "paginator": None,
    }
    if extra_context:
        context.update(extra_context(page))
    if page.kind in PAGINATED_KINDS:
        pagers = [pager] if pager else paginate(page, list_members(page, lang, sections), size)
        for each in pagers:
            context["paginator"] = each
            outputs[output_path(each.url, root)] = render_with(env, template, context, page).encode()
        if pagers[0].number == 1:
            outputs[output_path(page.rel_permalink + "page/1/", root)] = alias_page(page.permalink)
    else:
        outputs[output_path(page.rel_permalink, root)] = render_with(env, template, context, page).encode()
    if pager is not None and pager.number != 1:
        return
    for alias in page.aliases:
        target = clean_url(alias_target(alias, page.rel_permalink, lang.prefix))
        path = target if target.endswith(".html") else join_url(target)
        outputs[output_path(path, root)] = alias_page(page.permalink)


def alias_target(alias: str, rel_permalink: str, prefix: str) -> str:
    """Where Hugo publishes an alias: an absolute one under the page's language prefix, a
    relative one beside the page (`old` on /posts/new/ -> /posts/old/)."""
    base = prefix if alias.startswith("/") else rel_permalink.rstrip("/").rpartition("/")[0]
    target = join_url(base, alias)
    return target.rstrip("/") if alias.endswith(".html") else target


def _render_feeds(lang: LanguageSite, site: Site, view: SiteView, outputs: dict[str, bytes], root: str,
                  claims: OutputClaims) -> None:
    config = site.config
    if "rss" in config.disabled_kinds:
        return
    lists = [lang.home, *lang.sections]
    for taxonomy in lang.taxonomies.values():
        lists += [taxonomy, *taxonomy.pages]
    for page in lists:
        if page.kind in config.disabled_kinds:
            continue
        items = feed_items(page, lang.regular_pages)
        title = view.title if page.kind == "home" else f"{page.title} on {view.title}"
        rel = output_path(page.rel_permalink + "index.xml", root)
        claims.claim(rel, f"the RSS feed of {claims.describe(page)}", page.source.path if page.source else None)
        outputs[rel] = rss_feed(
            page, items, config, title=title, language_code=lang.language.locale, limit=config.rss_limit)


def _render_sitemaps(site: Site, outputs: dict[str, bytes], root: str, claims: OutputClaims) -> None:
    config = site.config
    claims.claim("sitemap.xml", "sitegen's sitemap")
    if not config.is_multilingual and not config.default_in_subdir:  # else an index of per-language ones
        outputs["sitemap.xml"] = sitemap(site.pages, config)
        return
    urls = []
    for lang in site.languages:
        code = lang.language.code
        claims.claim(f"{code}/sitemap.xml", "sitegen's sitemap")
        outputs[f"{code}/sitemap.xml"] = sitemap(lang.pages, config)
        urls.append(absolute_url(config.base_url, f"{root}/{code}/sitemap.xml"))
    newest = max((p.lastmod for p in site.pages if p.lastmod), default=None)
    outputs["sitemap.xml"] = sitemap_index(urls, newest)
