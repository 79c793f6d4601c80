"""The build's stages, top to bottom: set up (sitegen.build.inputs), read, render content,
render outputs, in memory (sitegen.build.builder writes).

Kept apart from the builder so that finding the last output still current costs no imports
of Markdown, Jinja or Pygments.
"""

from __future__ import annotations

import time
from collections.abc import Collection, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.build.cache import BuildCache, code_fingerprint, digest
from sitegen.build.collector import fewer_collections
from sitegen.build.copies import copied_files
from sitegen.build.destination import load_published, spare_folder
from sitegen.build.inputs import KeptEnvironment, SetUp, set_up
from sitegen.build.loading import PageReader, git_dates
from sitegen.build.options import BUILD_STAGES, BuildOptions, BuildResult
from sitegen.build.parallel import workers_asked_for, workers_for_work
from sitegen.build.plan import Plan, plan_after_reading
from sitegen.build.reads import as_moment, moment_parts_read
from sitegen.build.site_setup import content_context, locale_answers, translations_of
from sitegen.errors import BuildFailed, Diagnostics, SiteError, os_failure
from sitegen.load.claims import OutputClaims
from sitegen.load.discover import ContentTree, discover_content
from sitegen.load.gitinfo import apply_git_lastmod
from sitegen.load.hugo_features import report_unsupported, scan_content_formats
from sitegen.models import Page
from sitegen.render.i18n import Translations
from sitegen.site.assemble import Site, assemble_site
from sitegen.write.output import StagedOutputs

if TYPE_CHECKING:
    from sitegen.build.patch import LastBuild
    from sitegen.build.releases_stage import AppliedReleases
    from sitegen.content.body import ContentContext
    from sitegen.releases.config import ReleaseConfig


@dataclass
class _Rendering:
    """What rendering the outputs takes from the stages before it."""

    site: Site
    env: Any
    views: dict[str, Any]
    translations: Translations
    applied: AppliedReleases
    moment: Any  # the build date as templates see it (sitegen.build.reads)
    workers: int


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
        self._env = KeptEnvironment()
        self._last: tuple[BuildResult, LastBuild] | None = (
            None  # kept for patches, with keep_in_memory
        )
        self._by_source: dict[Path, Page] = {}
        self._reader = PageReader(options)
        self.minified = False  # the last build's output was minified
        self.units: dict | None = None  # what the last build's render publishes, by unit key

    def forget(self, path: Path) -> None:
        """`path` is known to have changed: read it again even if its stamp looks the same."""
        self._reader.forget(path)

    def build(self) -> BuildResult:
        """The whole build; its report of unsupported Hugo features comes last, and a
        failed build carries its warnings too."""
        diagnostics = Diagnostics()
        try:
            with fewer_collections():
                result = self._build(diagnostics)
        except BuildFailed as failed:
            report_unsupported(diagnostics, self.options.source)
            failed.warnings = diagnostics.warnings + [
                w for w in failed.warnings if w not in diagnostics.warnings
            ]
            raise
        report_unsupported(diagnostics, self.options.source)
        return result

    def _build(self, diagnostics: Diagnostics) -> BuildResult:
        started = time.perf_counter()
        self._last = None
        setup = set_up(self.options, diagnostics, self._cache, self.keep_in_memory)
        self._cache = setup.cache
        tree, site = self._read(setup, diagnostics)
        # The stages after reading load here, not at start-up: until the first page is read
        # a build imports only what reading needs (Markdown, releases and rendering wait).
        from sitegen.build.patch import LastBuild
        from sitegen.releases.markdown_pass import release_refs
        from sitegen.releases.stage import release_config
        from sitegen.render.views import site_views

        workers = self._workers_for(site)
        config, cache = setup.config, setup.cache
        env = self._env.environment(setup)
        translations = translations_of(config, setup.themes, diagnostics, setup.cache)
        keep_answers = locale_answers(cache)  # Babel's answers, kept between builds
        moment = as_moment(setup.now)  # the build date templates see; it notes what they read
        views = site_views(site, moment)
        context = content_context(config, site, env, views, translations, diagnostics)
        context.go_shortcodes = setup.go_shortcodes
        releases = release_config(site, diagnostics)
        context.release_refs = lambda page: release_refs(page, releases)
        applied = self._render_content(
            site, context, releases, translations, cache, setup.body_inputs, diagnostics, workers
        )
        self._progress("applying templates", 4)
        stage = _Rendering(site, env, views, translations, applied, moment, workers)
        outputs, copies = self._render_outputs(setup, tree, stage, diagnostics)
        keep_answers()
        result = BuildResult(
            site,
            outputs,
            copies,
            diagnostics,
            self.options.output_dir,
            themes=setup.themes,
            record=setup.record,
            units=self.units,
        )
        result.seconds = time.perf_counter() - started
        self.minified = self.options.minify or config.minify
        if self.keep_in_memory:  # the base a body patch starts from
            self._keep(
                result,
                LastBuild(
                    site,
                    outputs,
                    env,
                    views,
                    translations,
                    context,
                    releases,
                    _extra_context,
                    list(diagnostics.warnings),
                ),
            )
        return result

    def _keep(self, result: BuildResult, last: LastBuild) -> None:
        self._last = (result, last)
        self._by_source = {
            page.source.path.resolve(): page for page in last.site.pages if page.kind == "page"
        }

    def _read(self, setup: SetUp, diagnostics: Diagnostics) -> tuple[ContentTree, Site]:
        """Every source read and published page loaded, assembled into the site."""
        config = setup.config
        self._progress("reading content", 1)
        tree = discover_content(config)
        diagnostics.unsupported += scan_content_formats(tree.loose_files, config.source)
        pages = self._reader.load_pages(
            tree, config, setup.cache, diagnostics, setup.now, setup.record
        )
        if config.enable_git_info:
            apply_git_lastmod(pages, config.source, diagnostics, git_dates(setup.cache))
        diagnostics.raise_if_failed()
        site = assemble_site(config, pages, tree.resources, diagnostics)
        diagnostics.raise_if_failed()
        return tree, site

    def _render_outputs(
        self, setup: SetUp, tree: ContentTree, stage: _Rendering, diagnostics: Diagnostics
    ) -> tuple[MutableMapping[str, bytes], list[tuple[Path, str]]]:
        """Every output file and the files copied as they are; staged files are discarded
        if anything fails."""
        from sitegen.build.content_stage import hand_on
        from sitegen.build.releases_stage import release_outputs
        from sitegen.build.render_stage import render_site
        from sitegen.render.search import search_outputs

        config, cache, site = setup.config, setup.cache, stage.site
        store = self._output_store(setup, stage)
        minify = self.options.minify or config.minify
        outputs = self._outputs(minify)
        claims = OutputClaims(diagnostics, config.source)
        try:
            copies, bodies = copied_files(
                setup, self.options.theme, tree, site, claims, diagnostics
            )
            if minify:  # the static copies minify beside the render (minify-html, oxipng load now)
                from sitegen.build.minify_stage import MinifiedCopies, minify_site

                minified = MinifiedCopies(copies, cache if cache.enabled else None)
            hand_on(site.pages, lambda page: bodies.pop(id(page), None))
            # The release feed and JSON first: their items can go before the render's workers fork.
            release_outputs(site, outputs, stage.applied.items)
            for rel in outputs:
                claims.claim(rel, "sitegen's release outputs")
            stage.applied.items.clear()
            render_site(
                site,
                stage.env,
                stage.views,
                stage.translations.translate,
                diagnostics,
                _extra_context,
                workers=stage.workers,
                store=store,
                outputs=outputs,
                claims=claims,
            )
            searched = search_outputs(
                site, {code: view.params for code, view in stage.views.items()}
            )
            for rel in searched:
                claims.claim(rel, "sitegen's search index")
            outputs.update(searched)
            diagnostics.raise_if_failed()
            setup.record.date_parts = moment_parts_read(stage.moment)
            if minify:
                copies = minify_site(outputs, copies, minified)
        except BaseException as error:
            if isinstance(outputs, StagedOutputs):
                outputs.discard()
            if isinstance(error, OSError):  # a full disk while the files were staged
                raise BuildFailed([os_failure(error)]) from None
            raise
        return outputs, copies

    def _output_store(self, setup: SetUp, stage: _Rendering) -> Any:
        """The render stage's store (sitegen.build.output_cache), None without a cache."""
        from sitegen.build.output_cache import output_store

        # Files the last build published are linked as they are where the outputs are staged;
        # in memory, cached bytes count (they are minified with the rest).
        published = (
            None
            if self.keep_in_memory
            else load_published(self.options.cache_folder, self.options.output_dir)
        )
        store = output_store(
            stage.site, setup.cache, setup.inputs, stage.applied.keys, stage.moment, published
        )
        self.units = store.units if store is not None else None
        return store

    def _render_content(
        self,
        site: Site,
        context: ContentContext,
        releases: ReleaseConfig,
        translations: Translations,
        cache: BuildCache,
        body_inputs: str,
        diagnostics: Diagnostics,
        workers: int,
    ) -> AppliedReleases:
        """Every page's HTML body, its releases found (in the same pass), linked and decorated;
        each stage's bodies handed on to the pages whole, once per stage (`hand_on`)."""
        from sitegen.build.content_stage import hand_on, render_contents
        from sitegen.build.releases_stage import apply_releases
        from sitegen.content.body import marked_safe
        from sitegen.releases.stage import add_index_pages, detect_states

        self._progress(f"rendering {sum(page.source is not None for page in site.pages)} pages", 2)
        # What Markdown alone depends on: the code, each language's [markup] options, the
        # summary length and the release settings (references are linked in the same pass).
        markdown_inputs = digest(
            code_fingerprint(),
            sorted(map(repr, context.options.items())),
            context.summary_length,
            repr(releases),
        )
        contents = render_contents(
            site,
            context,
            cache,
            digest(body_inputs, repr(releases)),
            workers,
            diagnostics,
            then=lambda page: detect_states(page, releases) if page.kind == "page" else None,
            markdown_inputs=markdown_inputs,
        )
        hand_on(site.pages, lambda page: contents.bodies.pop(id(page), None))
        detected = contents.followed
        diagnostics.raise_if_failed()
        if not self.keep_in_memory:  # nothing reads the Markdown again: free it for the render
            for page in site.pages:
                page.body = ""

        self._progress("finding releases", 3)
        applied = apply_releases(
            site,
            releases,
            translations.get,
            diagnostics,
            cache if cache.enabled else None,
            digest(repr(translations.tables)),
            workers,
            detected,
            take_body=lambda page, body: hand_on((page,), lambda _: body),
        )
        diagnostics.raise_if_failed()
        add_index_pages(site, releases)
        hand_on(site.pages, marked_safe)
        return applied

    def _workers_for(self, site: Site) -> int:
        """The workers asked for, or as many as this much work pays for (parallel.workers_for_work)."""
        if workers_asked_for(self.options.workers):
            return self.workers
        markdown = sum(len(page.body) for page in site.pages if page.source is not None)
        return workers_for_work(self.workers, markdown, len(site.pages))

    def patchable_sources(self) -> Collection[Path]:
        """The page sources (resolved) whose new body can be patched into the last build."""
        return self._by_source.keys() if self._last is not None else ()

    def forget_all(self) -> None:
        """Read every source again, and patch nothing into the last build."""
        self._reader.forget_all()
        self._last = None

    def patch_body(self, plan: Plan) -> BuildResult | Plan:
        """The last build with one page's new body (sitegen.build.patch), or the plan to
        follow instead when more than its body changed."""
        from sitegen.build.patch import front_matter_difference, patch_body

        started = time.perf_counter()
        path = plan.paths[0]
        page = self._by_source.get(path)
        old = self._reader.last_reading(path, self._cache) if page and self._last else None
        if old is None:
            return plan_after_reading(
                plan, "its last reading is not at hand", self.options.source.resolve()
            )
        last_result, last = self._last
        self._last = None  # until the patch is through, the last build is not a base for another
        loaded = self._reader.read_again(page.source)
        if isinstance(loaded, SiteError):
            raise BuildFailed([loaded])
        new, warnings = loaded
        patched = front_matter_difference(new, old[0]) or patch_body(
            last, page, new.body, [SiteError(m, p, hint=h) for m, p, h in warnings]
        )
        if isinstance(patched, str):
            return plan_after_reading(plan, patched, self.options.source.resolve())
        outputs, diagnostics = patched
        result = BuildResult(
            last.site,
            outputs,
            last_result.copies,
            diagnostics,
            self.options.output_dir,
            themes=last_result.themes,
        )
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
            return StagedOutputs(
                self.options.output_dir,
                minify=minify,
                spare=spare_folder(self.options.cache_folder, self.options.output_dir),
            )
        except OSError:
            return {}

    def _progress(self, stage: str, number: int) -> None:
        if self.options.progress is not None:
            self.options.progress(stage, number, BUILD_STAGES)


def _extra_context(page: Page) -> dict[str, Any]:
    return {"releases": page.releases} if page.kind == "releases" else {}
