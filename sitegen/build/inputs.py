"""What a build starts from, settled before any page is read: the config, themes and cache,
the stamps of every input (the record the next build compares against), and the digest of
code, config, theme and templates every stage's cache key starts from; and the Jinja
environment, kept while that digest stays the same."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sitegen.build.bytecode import bytecode_cache
from sitegen.build.cache import BuildCache, code_fingerprint, digest, files_digest
from sitegen.build.options import BuildOptions
from sitegen.build.reads import build_moment
from sitegen.build.site_setup import hugo_features, i18n_dirs, site_config
from sitegen.build.uptodate import CODE_ROOT, BuildRecord, now_utc, stamp_inputs
from sitegen.errors import Diagnostics
from sitegen.load.config import SiteConfig, without_titles
from sitegen.render.templates import (
    BUILTIN_THEMES,
    Theme,
    create_environment,
    layout_dirs,
    resolve_themes,
    theme_roots,
)


@dataclass
class SetUp:
    """What a build settles before reading any page."""

    config: SiteConfig
    themes: list[Theme]
    go_shortcodes: dict[str, str]
    cache: BuildCache
    now: datetime
    record: BuildRecord
    inputs: str  # the digest of code, config, theme and templates every stage's key starts from
    # What the key of a body with shortcodes or alerts starts from: the same without the
    # site's and languages' titles, which its templates see only through the site view,
    # whose reads are recorded (sitegen.render.views.recorded_views).
    body_inputs: str


def set_up(
    options: BuildOptions,
    diagnostics: Diagnostics,
    last_cache: BuildCache | None,
    keep_in_memory: bool,
) -> SetUp:
    """The config, themes and cache (the last build's while its folder is the same), the
    stamps of every input (taken before anything is read: a later edit is seen next time),
    and the digest every stage's key starts from."""
    source = options.source.resolve()
    config = site_config(
        source,
        diagnostics,
        given_source=options.source,
        base_url=options.base_url,
        config_file=options.config_file,
        output_dir=options.output_dir,
    )
    themes = resolve_themes(config, options.theme, diagnostics)
    go_shortcodes = hugo_features(config, options.theme, diagnostics)
    cache = last_cache
    if cache is None or cache.folder != options.cache_folder:
        cache = BuildCache(options.cache_folder, keep_in_memory=keep_in_memory)
    now = now_utc()
    record = build_record(options, config, themes, now, cache)
    templates = files_digest(
        layout_dirs(config, themes)
        + i18n_dirs(config, themes)
        + [root / "layouts" for root in theme_roots(config, options.theme)]
    )  # Go themes' shortcodes too
    inputs, body_inputs = (
        digest(code_fingerprint(), repr(shown), options.theme, options.minify, templates)
        for shown in (config, without_titles(config))
    )
    return SetUp(config, themes, go_shortcodes, cache, now, record, inputs, body_inputs)


def build_record(
    options: BuildOptions, config: SiteConfig, themes: list[Theme], now: datetime, cache: BuildCache
) -> BuildRecord:
    """What the next build compares against to see that nothing changed."""
    roots = input_roots(config, themes)
    skip = [options.output_dir] + ([cache.folder.resolve()] if cache.folder else [])
    inputs, racy = stamp_inputs(roots, skip)
    return BuildRecord(
        options=options.identity(),
        roots=roots,
        skip=skip,
        inputs=inputs,
        destination=options.output_dir,
        due=None,
        year=now.year,
        folder=cache.folder,
        racy=racy,
    )


def input_roots(config: SiteConfig, themes: list[Theme]) -> list[Path]:
    """Every folder the build reads, wherever it lives: the site's, each folder the config
    names (every `*_dir` setting and the languages' contentDirs, found from the config's
    fields, so that a new one is never forgotten), the themes, and sitegen's own code."""
    source = config.source.resolve()
    named = [getattr(config, f.name) for f in dataclasses.fields(config) if f.name.endswith("_dir")]
    named += [lang.content_dir for lang in config.languages if lang.content_dir]
    folders = [
        (source / folder).resolve() for folder in named if isinstance(folder, str) and folder
    ]
    folders += [theme.path.resolve() for theme in themes]
    roots = [source]
    for folder in folders:
        if not any(folder.is_relative_to(root) for root in roots + [CODE_ROOT]):
            roots.append(folder)
    return roots + [CODE_ROOT]


class KeptEnvironment:
    """The Jinja environment, kept while config, templates and code stay the same, so a
    rebuild does not compile every template again."""

    def __init__(self) -> None:
        self._kept: tuple[str, Any] | None = None  # (inputs digest, Jinja environment)

    def environment(self, setup: SetUp) -> Any:
        if self._kept is None or self._kept[0] != setup.inputs:
            cache = setup.cache
            env = create_environment(
                setup.config,
                setup.themes,
                clock=build_moment,
                bytecode_cache=lambda env: bytecode_cache(
                    env, BUILTIN_THEMES, cache.jinja_folder()
                ),
            )
            env.auto_reload = False
            self._kept = (setup.inputs, env)
        return self._kept[1]
