"""The build's stages, top to bottom: load, parse, render, in memory (build.py writes).

Kept apart from build.py so that finding the last output still current costs no imports
of Markdown, Jinja or Pygments.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import MutableMapping
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.load.claims import OutputClaims
from sitegen.load.config import SiteConfig
from sitegen.build.cache import BuildCache, code_fingerprint, digest, files_digest
from sitegen.load.discover import ContentTree, discover_content, published_copies
from sitegen.load.encoding import decode_content, repair_enabled
from sitegen.errors import BuildFailed, Diagnostics, SiteError, os_failure
from sitegen.load.gitinfo import apply_git_lastmod
from sitegen.load.hugo_features import (report_unsupported, scan_content_formats)
from sitegen.render.i18n import Translations
from sitegen.models import Page, SourceFile
from sitegen.build.builder import BUILD_STAGES, BuildOptions, BuildResult
from sitegen.write.output import StagedOutputs
from sitegen.load.pages import is_published, load_page
from sitegen.build.parallel import workers_asked_for, workers_for_work
from sitegen.site.assemble import Site, assemble_site
from sitegen.site.urls import base_path
from sitegen.render.templates import Theme, create_environment, layout_dirs, resolve_themes, theme_roots
from sitegen.build.output_cache import output_cache
from sitegen.build.site_setup import asset_dirs, content_context, hugo_features, i18n_dirs, site_config, translations_of
from sitegen.build.reads import as_moment, moment_parts_read
from sitegen.build.uptodate import CODE_ROOT, RACY_SECONDS, BuildRecord, now_utc, stamp_inputs

if TYPE_CHECKING:
    from sitegen.content.body import ContentContext
    from sitegen.build.patch import LastBuild
    from sitegen.releases.config import ReleaseConfig
    from sitegen.releases.stage import AppliedReleases


class Pipeline:
    """One site's build stages, with what they keep between builds of a Builder.

    Per-page work (loading, content rendering, template rendering) is looked up in the
    build cache by a key over everything it depends on, and what is missing runs over
    worker processes. The pipeline also remembers which source files it has read (by
    size and modification time), so a second build reads only what changed.
    """

    def __init__(self, options: BuildOptions, keep_in_memory: bool, workers: int):
        self.options = options
        self.workers = workers
        self.keep_in_memory = keep_in_memory
        self._cache: BuildCache | None = None
        self._env: tuple[str, Any] | None = None  # (inputs digest, Jinja environment)
        self._last: tuple[BuildResult, LastBuild] | None = None  # kept for patches, with keep_in_memory
        self._by_source: dict[Path, Page] = {}
        self._load_settings: tuple = ()  # (config, settings, strict, cache) of the last build's loading
        self._stamps: dict[Path, tuple[tuple, bool, str]] = {}  # source -> (stamp, trusted, load key)

    def forget(self, path: Path) -> None:
        """`path` is known to have changed: read it again even if its stamp looks the same."""
        self._stamps.pop(Path(path).resolve(), None)

    def build(self) -> BuildResult:
        """The whole build; its report of unsupported Hugo features comes last, and a
        failed build carries its warnings too."""
        diagnostics = Diagnostics()
        try:
            result = self._build(diagnostics)
        except BuildFailed as failed:
            report_unsupported(diagnostics, self.options.source)
            failed.warnings = diagnostics.warnings + [w for w in failed.warnings if w not in diagnostics.warnings]
            raise
        report_unsupported(diagnostics, self.options.source)
        return result

    def _build(self, diagnostics: Diagnostics) -> BuildResult:
        started = time.perf_counter()
        self._last = None
        options = self.options
        source = options.source.resolve()
        config = site_config(source, diagnostics, given_source=options.source, base_url=options.base_url,
                             config_file=options.config_file, output_dir=options.output_dir)
        themes = resolve_themes(config, options.theme, diagnostics)
        go_shortcodes = hugo_features(config, options.theme, diagnostics)
        cache = self._open_cache(source)
        now = now_utc()
        record = self._record(config, themes, now)  # stamps before reading: a later edit is seen next time
        inputs = digest(code_fingerprint(), repr(config), options.theme, options.minify, files_digest(
            layout_dirs(config, themes) + i18n_dirs(config, themes)
            + [root / "layouts" for root in theme_roots(config, options.theme)]))  # Go themes' shortcodes too
        self._progress("reading content", 1)
        tree = discover_content(config)
        diagnostics.unsupported += scan_content_formats(tree.loose_files, config.source)
        pages = self._load_pages(tree, config, cache, diagnostics, now, record)
        if config.enable_git_info:
            apply_git_lastmod(pages, config.source, diagnostics)
        diagnostics.raise_if_failed()

        site = assemble_site(config, pages, tree.resources, diagnostics)
        diagnostics.raise_if_failed()
        # The stages after reading load here, not at start-up: until the first page is read
        # a build imports only what reading needs (Markdown, releases and rendering wait).
        from sitegen.site.assets import publish_asset_images
        from sitegen.build.patch import LastBuild
        from sitegen.releases.detect import release_refs
        from sitegen.releases.stage import release_config, release_outputs
        from sitegen.render.renderer import render_site
        from sitegen.render.search import search_outputs
        from sitegen.render.views import site_views

        workers = self._workers_for(site)
        env = self._environment(config, themes, cache, inputs)
        translations = translations_of(config, themes, diagnostics)
        moment = as_moment(now)  # what templates see as the build date; it notes what they read of it
        views = site_views(site, moment)
        context = content_context(config, site, env, views, translations, diagnostics)
        context.go_shortcodes = go_shortcodes
        releases = release_config(site, diagnostics)
        context.release_refs = lambda page: release_refs(page, releases)
        applied = self._render_content(site, context, releases, translations, cache, inputs, diagnostics, workers)

        self._progress("applying templates", 4)
        reuse, rendered = output_cache(site, cache, inputs, applied.keys, moment)
        outputs = self._outputs(options.minify or config.minify)
        claims = OutputClaims(diagnostics, config.source)
        try:
            copies = published_copies(config, [theme.path for theme in themes], tree, site.pages, claims)
            for link in tree.outside:
                diagnostics.warn("skipped: a symlink to a place outside the site is never read or published",
                                 link, hint="copy the file into the site instead of linking to it")
            images = publish_asset_images(site.pages, asset_dirs(config, options.theme), _taken(copies, site.pages),
                                          base_path(config.base_url))
            for path, rel in images:
                claims.claim(rel, f"the asset image {claims.describe_file(path)}", path)
            copies += images
            # The release feed and JSON first: their items can go before the render's workers fork.
            release_outputs(site, base_path(config.base_url), outputs, applied.items)
            for rel in outputs:
                claims.claim(rel, "sitegen's release outputs")
            applied.items.clear()
            # Serially every entry is put by this process: one transaction. Forked workers put
            # their own, which a transaction held here would make wait.
            with cache.batch() if workers <= 1 else nullcontext():
                render_site(site, env, views, translations.translate, diagnostics, _extra_context,
                            workers=workers, reuse=reuse, rendered=rendered, outputs=outputs, claims=claims)
            searched = search_outputs(site, {code: view.params for code, view in views.items()})
            for rel in searched:
                claims.claim(rel, "sitegen's search index")
            outputs.update(searched)
            diagnostics.raise_if_failed()
            record.date_parts = moment_parts_read(moment)
            if options.minify or config.minify:
                from sitegen.write.minify import minify_site  # minify-html and oxipng load only when asked for

                copies = minify_site(outputs, copies, cache if cache.enabled else None)
        except BaseException as error:
            if isinstance(outputs, StagedOutputs):
                outputs.discard()
            if isinstance(error, OSError):  # a full disk while the files were staged
                raise BuildFailed([os_failure(error)]) from None
            raise
        result = BuildResult(site, outputs, copies, diagnostics, options.output_dir, themes=themes, record=record)
        result.seconds = time.perf_counter() - started
        if self.keep_in_memory and not (options.minify or config.minify):
            self._last = (result, LastBuild(site, outputs, env, views, translations, context, releases, _extra_context,
                                            list(diagnostics.warnings)))
            self._by_source = {page.source.path.resolve(): page for page in site.pages if page.kind == "page"}
        return result

    def _render_content(self, site: Site, context: ContentContext, releases: ReleaseConfig, translations: Translations,
                        cache: BuildCache, inputs: str, diagnostics: Diagnostics, workers: int) -> AppliedReleases:
        """Every page's HTML body, its releases found (in the same pass), linked and decorated."""
        from sitegen.content.body import mark_safe, render_contents
        from sitegen.releases.stage import apply_releases, detect_states

        self._progress(f"rendering {sum(page.source is not None for page in site.pages)} pages", 2)
        # What Markdown alone depends on: the code, each language's [markup] options, the
        # summary length and the release settings (references are linked in the same pass).
        markdown_inputs = digest(code_fingerprint(), sorted(map(repr, context.options.items())), context.summary_length,
                                 repr(releases))
        detected = render_contents(site, context, cache, digest(inputs, repr(releases)), workers, diagnostics,
                                   then=lambda page: detect_states(page, releases) if page.kind == "page" else None,
                                   markdown_inputs=markdown_inputs)
        diagnostics.raise_if_failed()
        if not self.keep_in_memory:  # nothing reads the Markdown again: 70 MB at 10,000 posts
            for page in site.pages:
                page.body = ""

        self._progress("finding releases", 3)
        applied = apply_releases(site, releases, translations.get, diagnostics, cache if cache.enabled else None,
                                 inputs, workers, detected)
        diagnostics.raise_if_failed()
        for page in site.pages:
            mark_safe(page)
        return applied

    def _workers_for(self, site: Site) -> int:
        """The workers asked for, or as many as this much work pays for (parallel.workers_for_work)."""
        if workers_asked_for(self.options.workers):
            return self.workers
        markdown = sum(len(page.body) for page in site.pages if page.source is not None)
        return workers_for_work(self.workers, markdown, len(site.pages))

    def patch(self, paths: list[Path]) -> BuildResult | None:
        """The last build with one post's new body (sitegen.build.patch), or None: build in full."""
        if self._last is None or len(paths) != 1:
            return None
        started = time.perf_counter()
        path = Path(paths[0]).resolve()
        page = self._by_source.get(path)
        stamp = self._stamps.get(path)
        old = self._cache.get("page", stamp[2], expect=_loaded_page) if page is not None and stamp else None
        if old is None:
            return None
        last_result, last = self._last
        self._last = None  # until the patch is through, the last build is not a base for another
        self.forget(path)
        loaded = self._load_page(page.source, *self._load_settings)
        if isinstance(loaded, SiteError):
            raise BuildFailed([loaded])
        new, warnings = loaded
        from sitegen.build.patch import patch_body, same_but_body

        if not same_but_body(new, old[0]):
            return None
        patched = patch_body(last, page, new.body, [SiteError(m, p, hint=h) for m, p, h in warnings])
        if patched is None:
            return None
        outputs, diagnostics = patched
        result = BuildResult(last.site, outputs, last_result.copies, diagnostics,
                             self.options.output_dir, themes=last_result.themes)
        result.seconds = time.perf_counter() - started
        last.outputs, last.warnings = outputs, list(diagnostics.warnings)
        self._last = (result, last)
        return result

    def _outputs(self, minify: bool) -> MutableMapping[str, bytes]:
        """Where rendered files go: straight to the staging folder of the write that follows
        (a large site's files never all sit in memory), or memory when the build is kept there
        or the staging folder cannot be made (a read-only site, e.g. for `sitegen releases`)."""
        if self.keep_in_memory:
            return {}
        try:
            return StagedOutputs(self.options.output_dir, minify=minify)
        except OSError:
            return {}

    def _environment(self, config: SiteConfig, themes: list[Theme], cache: BuildCache, inputs: str):
        """The Jinja environment, kept while config, templates and code stay the same, so a
        rebuild does not compile every template again."""
        if self._env is None or self._env[0] != inputs:
            env = create_environment(config, themes, cache.jinja_folder())
            env.auto_reload = False
            self._env = (inputs, env)
        return self._env[1]

    def _progress(self, stage: str, number: int) -> None:
        if self.options.progress is not None:
            self.options.progress(stage, number, BUILD_STAGES)

    def _open_cache(self, source: Path) -> BuildCache:
        folder = self.options.cache_folder
        if self._cache is None or self._cache.folder != folder:
            self._cache = BuildCache(folder, keep_in_memory=self.keep_in_memory)
        return self._cache

    def _record(self, config: SiteConfig, themes: list[Theme], now: datetime) -> BuildRecord:
        """What the next build compares against to see that nothing changed."""
        roots = input_roots(config, themes)
        skip = [self.options.output_dir] + ([self._cache.folder.resolve()] if self._cache.folder else [])
        inputs, racy = stamp_inputs(roots, skip)
        return BuildRecord(options=self.options.identity(), roots=roots, skip=skip, inputs=inputs,
                           destination=self.options.output_dir, due=None, year=now.year, folder=self._cache.folder,
                           racy=racy)

    def _load_pages(self, tree: ContentTree, config: SiteConfig, cache: BuildCache,
                    diagnostics: Diagnostics, now: datetime, record: BuildRecord) -> list[Page]:
        options = self.options
        strict = options.strict_encoding or config.strict_encoding
        settings = digest(code_fingerprint(), repr(config), strict)
        self._load_settings = (config, settings, strict, cache)
        pages = []
        with cache.batch():
            for source in tree.sources:
                loaded = self._load_page(source, config, settings, strict, cache)
                if isinstance(loaded, SiteError):
                    diagnostics.error(loaded)
                    continue
                page, warnings = loaded
                for message, path, hint in warnings:
                    diagnostics.warn(message, path, hint=hint)
                if is_published(page, now, options.build_drafts, options.build_future, options.build_expired):
                    pages.append(page)
                record.due = _earlier(record.due, _next_change(page, now, options))
        return pages

    def _load_page(self, source: SourceFile, config: SiteConfig, settings: str, strict: bool, cache: BuildCache):
        """(Page, warnings) or the SiteError, from the cache when the file's bytes were seen before."""
        path = source.path.resolve()
        try:
            stat = path.stat()
            stamp = self._stamps.get(path)
            if stamp and stamp[1] and stamp[0] == _file_stamp(stat) and (
                    loaded := cache.get("page", stamp[2], expect=_loaded_page)):
                return loaded
            read_at = time.time_ns()
            data = source.path.read_bytes()
        except OSError as error:
            return SiteError(f"cannot read the file: {error.strerror}", source.path)
        key = digest(settings, repr(source), data)
        loaded = cache.get("page", key, expect=_loaded_page)
        if loaded is None:
            loaded = _read_page(source, data, config, strict)
            if not isinstance(loaded, SiteError):
                cache.put("page", key, loaded)
        # A stamp proves the bytes unchanged only if the file was not written within the
        # timestamp granularity of reading it (a second save in the same tick keeps it).
        trusted = read_at - max(stat.st_mtime_ns, stat.st_ctime_ns) > RACY_SECONDS * 1e9
        self._stamps[path] = (_file_stamp(stat), trusted, key)
        return loaded


def input_roots(config: SiteConfig, themes: list[Theme]) -> list[Path]:
    """Every folder the build reads, wherever it lives: the site's, each folder the config
    names (every `*_dir` setting and the languages' contentDirs, found from the config's
    fields, so that a new one is never forgotten), the themes, and sitegen's own code."""
    source = config.source.resolve()
    named = [getattr(config, f.name) for f in dataclasses.fields(config) if f.name.endswith("_dir")]
    named += [lang.content_dir for lang in config.languages if lang.content_dir]
    folders = [(source / folder).resolve() for folder in named if isinstance(folder, str) and folder]
    folders += [theme.path.resolve() for theme in themes]
    roots = [source]
    for folder in folders:
        if not any(folder.is_relative_to(root) for root in roots + [CODE_ROOT]):
            roots.append(folder)
    return roots + [CODE_ROOT]


def _loaded_page(value: Any) -> bool:
    """The shape of a "page" cache entry: (Page, [(message, path, hint)])."""
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Page) and isinstance(value[1], list)


def _file_stamp(stat) -> tuple[int, int, int, int]:
    """What changes whenever a file's bytes do (its change time even under `cp -p`)."""
    return stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns, stat.st_ino


def _next_change(page: Page, now: datetime, options: BuildOptions) -> datetime | None:
    """When the page's publish date or expiry date next changes whether it is built."""
    publish = page.publish_date or page.date
    moments = [publish if not options.build_future else None, page.expiry_date if not options.build_expired else None]
    return min((moment for moment in moments if moment and moment > now), default=None)


def _earlier(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _read_page(source: SourceFile, data: bytes, config: SiteConfig, strict: bool):
    try:
        decoded = decode_content(data, source.path, repair_enabled(config.raw))
        warnings = []
        if len(data) > config.large_post_size:
            warnings.append((f"a large file ({len(data):,} bytes, over largePostSize): it builds, but slowly "
                             "and with much memory", source.path,
                             "split it into several posts, or raise largePostSize (bytes) in the config"))
        if decoded.changed:
            hint = "run 'sitegen fix-encoding' to fix the file for good"
            if strict:
                raise SiteError(f"damaged encoding: {decoded.describe()}", source.path, hint=hint)
            warnings.append((f"repaired encoding: {decoded.describe()}", source.path, hint))
        return load_page(source, decoded.text, config), warnings
    except SiteError as error:
        return error


def _extra_context(page: Page) -> dict[str, Any]:
    return {"releases": page.releases} if page.kind == "releases" else {}


def _taken(copies: list[tuple[Path, str]], pages: list[Page]) -> set[str]:
    return {rel for _, rel in copies} | {page.output_path for page in pages}
