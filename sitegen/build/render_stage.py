"""The render stage: every page's and pager's files (sitegen.render.renderer), from the output
cache or rendered over the workers, written into the outputs as they come, then the files
that are not pages (sitegen.render.site_files)."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, Callable

import jinja2

from sitegen.build.stage_map import Made, Store, stage_map
from sitegen.errors import Diagnostics
from sitegen.load.claims import OutputClaims
from sitegen.models import Page
from sitegen.render.renderer import (
    Unit,
    load_all_templates,
    page_units,
    report,
    unit_renderer,
    unit_weight,
)
from sitegen.render.site_files import render_site_files
from sitegen.render.views import SiteView
from sitegen.site.assemble import Site
from sitegen.site.urls import base_path
from sitegen.write.output import Receipt, StagedOutputs


def render_site(
    site: Site,
    env: jinja2.Environment,
    views: dict[str, SiteView],
    translate: Callable[..., str],
    diagnostics: Diagnostics,
    extra_context: Callable[[Page], dict[str, Any]] | None = None,
    workers: int = 1,
    store: Store | None = None,
    outputs: MutableMapping[str, bytes] | None = None,
    claims: OutputClaims | None = None,
) -> MutableMapping[str, bytes]:
    """Every output file of the site, as relpath -> bytes. Errors are collected, not raised.

    Pages render over `workers` forked processes. With the built-in theme's list templates
    each pager of a list page is a unit of its own (it shows only its own posts), else the
    whole page is; a `store` (sitegen.build.output_cache.OutputStore) hands back a unit's
    files from the cache and keeps each unit rendered anew, with what its render read
    (sitegen.build.reads).
    Files go into `outputs` (default: a new dict) as they are made; each claims its path in
    `claims`, where two outputs meeting at one path are an error naming both.
    """
    claims = claims if claims is not None else OutputClaims(diagnostics, site.config.source)
    outputs = {} if outputs is None else outputs
    render_one = unit_renderer(site, env, views, translate, extra_context)
    units = [unit for page in site.pages for unit in page_units(site, env, page)]
    # Where the outputs are a staging folder, workers write their files themselves (and
    # cache them), so writing is not left to this process after the rendering.
    apart = isinstance(outputs, StagedOutputs) and workers > 1
    if apart:
        load_all_templates(env)
    made = stage_map(
        units,
        _work(render_one),
        workers,
        store,
        put_in_worker=apart,
        then=_written_apart(outputs) if apart else None,
        order=lambda unit: -unit_weight(unit),
    )
    receipts: list[Receipt] = []  # with `apart`: every unit's files, in unit order
    for unit, result in zip(units, made, strict=True):
        report(diagnostics, result.warnings, result.errors)
        _take(unit[0], result, claims, outputs, receipts if apart else None)
    if apart:
        outputs.adopt(receipts)
    render_site_files(site, views, outputs, base_path(site.config.base_url), claims)
    return outputs


def _take(
    page: Page,
    result: Made,
    claims: OutputClaims,
    outputs: MutableMapping[str, bytes],
    receipts: list[Receipt] | None,
) -> None:
    """A unit's files into the outputs, each path claimed; with `receipts`, what the workers
    wrote (and the cached files to join them, in unit order) is adopted after the stage."""
    if receipts is None:
        claims.claim_page_files(page, list(result.value))
        outputs.update(result.value)
    elif result.cached:
        claims.claim_page_files(page, list(result.value))
        receipts += [Receipt(rel, len(data), b"", 0, data) for rel, data in result.value.items()]
    else:
        claims.claim_page_files(page, [receipt.rel for receipt in result.value])
        receipts += result.value


def _work(render_one: Callable[[Unit], tuple]) -> Callable[[Unit], Made]:
    def work(unit: Unit) -> Made:
        files, warnings, errors = render_one(unit)
        return Made(files, errors=errors, warnings=warnings)

    return work


def _written_apart(outputs: StagedOutputs) -> Callable[[Unit, Made], Made]:
    """In a worker: write the unit's files to the staging folder; their receipts go back."""

    def write(unit: Unit, made: Made) -> Made:
        made.value = [outputs.write_apart(rel, data) for rel, data in made.value.items()]
        return made

    return write
