"""The build, top to bottom: load, parse, render, then (only if all went well) write.

Everything is read and rendered in memory before anything is written, so a failed
build leaves the previous output untouched.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sitegen.config import SiteConfig, load_config
from sitegen.content import ContentContext, mark_safe, render_page_content
from sitegen.discover import ContentTree, discover_content
from sitegen.encoding import decode_source
from sitegen.errors import BuildFailed, Diagnostics, SiteError
from sitegen.i18n import Translations, load_translations
from sitegen.markdown import MarkdownOptions
from sitegen.models import Page
from sitegen.output import check_destination, write_site as write_output
from sitegen.pages import is_published, load_page
from sitegen.releases.stage import apply_releases, release_config, release_outputs
from sitegen.render import render_site
from sitegen.site import Site, assemble_site
from sitegen.urls import base_path
from sitegen.templates import Theme, create_environment, resolve_themes
from sitegen.views import site_views


@dataclass
class BuildOptions:
    source: Path = Path(".")
    destination: Path | None = None  # default: SOURCE/public
    theme: str | None = None
    build_drafts: bool = False
    build_future: bool = False
    build_expired: bool = False
    base_url: str | None = None
    strict_encoding: bool = False
    minify: bool = False
    ignore_cache: bool = False

    @property
    def output_dir(self) -> Path:
        return (self.destination or self.source / "public").resolve()


@dataclass
class BuildResult:
    site: Site
    outputs: dict[str, bytes]
    copies: list[tuple[Path, str]]
    diagnostics: Diagnostics
    destination: Path
    seconds: float = 0.0
    written: int = 0
    themes: list[Theme] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        lines = []
        for lang in self.site.languages:
            kinds = Counter(p.kind for p in lang.pages)
            described = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
            lines.append(f"{lang.language.code}: {len(lang.pages)} pages ({described})")
        aliases = sum(1 for data in self.outputs.values() if data.startswith(b"<!DOCTYPE html><html lang=\"en\"><head><title>"))
        lines.append(f"{len(self.copies)} static files, {aliases} aliases, {len(self.outputs)} files rendered")
        lines.append(f"built in {self.seconds:.2f} s")
        return lines


def build_site(options: BuildOptions) -> BuildResult:
    """Read and render the whole site in memory. Raises BuildFailed listing every error."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    source = options.source.resolve()
    overrides: dict[str, Any] = {"baseURL": options.base_url} if options.base_url else {}
    try:
        config = load_config(source, diagnostics, overrides)
        check_destination(source, options.output_dir, config.content_dir)
    except SiteError as error:
        raise BuildFailed([error]) from None
    themes = resolve_themes(config, options.theme, diagnostics)
    tree = discover_content(config)
    pages = _load_pages(tree, config, options, diagnostics)
    diagnostics.raise_if_failed()

    site = assemble_site(config, pages, tree.resources, diagnostics)
    diagnostics.raise_if_failed()
    env = create_environment(config, themes)
    translations = _translations(config, themes, diagnostics)
    views = site_views(site, datetime.now(timezone.utc))
    context = ContentContext(
        env=env,
        options={lang.code: MarkdownOptions.from_markup(config.markup, lang.code) for lang in config.languages},
        summary_length=config.summary_length,
        site_view=views.__getitem__,
        translate=translations.translate,
        get_page=site.get_page,
        warn=diagnostics.warn,
    )
    for page in site.pages:
        if page.source is not None:
            _collect(diagnostics, render_page_content, page, context)
    diagnostics.raise_if_failed()

    releases = release_config(site, diagnostics)
    apply_releases(site, releases, translations.get, diagnostics)
    diagnostics.raise_if_failed()
    for page in site.pages:
        mark_safe(page)

    outputs = render_site(site, env, views, translations.translate, diagnostics, _extra_context)
    outputs.update(release_outputs(site, base_path(config.base_url)))
    diagnostics.raise_if_failed()
    copies = _copies(config, themes, tree, site)
    result = BuildResult(site, outputs, copies, diagnostics, options.output_dir, themes=themes)
    result.seconds = time.perf_counter() - started
    return result


def write_site(result: BuildResult) -> BuildResult:
    started = time.perf_counter()
    result.written = write_output(result.outputs, result.copies, result.destination)
    result.seconds += time.perf_counter() - started
    return result


def _extra_context(page: Page) -> dict[str, Any]:
    return {"releases": page.releases} if page.kind == "releases" else {}


def _collect(diagnostics: Diagnostics, function, *args) -> Any:
    try:
        return function(*args)
    except BuildFailed as failed:
        diagnostics.errors.extend(failed.errors)
    except SiteError as error:
        diagnostics.error(error)
    return None


def _load_pages(tree: ContentTree, config: SiteConfig, options: BuildOptions, diagnostics: Diagnostics) -> list[Page]:
    now = datetime.now(timezone.utc)
    strict = options.strict_encoding or config.strict_encoding
    pages = []
    for source in tree.sources:
        try:
            decoded = decode_source(source.path.read_bytes(), source.path)
            if decoded.changed:
                message = f"repaired encoding: {decoded.describe()}"
                hint = "run 'sitegen fix-encoding' to fix the file for good"
                if strict:
                    raise SiteError(f"damaged encoding: {decoded.describe()}", source.path, hint=hint)
                diagnostics.warn(message, source.path, hint=hint)
            page = load_page(source, decoded.text, config)
        except SiteError as error:
            diagnostics.error(error)
            continue
        if is_published(page, now, options.build_drafts, options.build_future, options.build_expired):
            pages.append(page)
    return pages


def _translations(config: SiteConfig, themes: list[Theme], diagnostics: Diagnostics) -> Translations:
    dirs = [theme.path / "i18n" for theme in reversed(themes)] + [config.source / config.i18n_dir]

    def read_text(path: Path) -> str:
        return decode_source(path.read_bytes(), path).text

    return load_translations(dirs, [lang.code for lang in config.languages], config.default_language,
                             diagnostics, read_text)


def _copies(config: SiteConfig, themes: list[Theme], tree: ContentTree, site: Site) -> list[tuple[Path, str]]:
    """Static files (site over theme), loose content files, and bundle resources for every language."""
    chosen: dict[str, Path] = {}
    for root in [theme.path / "static" for theme in reversed(themes)] + [config.source / config.static_dir]:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    chosen[path.relative_to(root).as_posix()] = path
    for path, rel in tree.loose_files:
        chosen.setdefault(rel, path)
    for page in site.pages:
        for resource in page.resources:
            chosen.setdefault(page.output_path.removesuffix("index.html") + resource.name, resource.path)
    return [(path, rel) for rel, path in sorted(chosen.items())]
