"""The files a build publishes as they are: static files, bundle resources and asset images,
each claiming its output path."""

from __future__ import annotations

from pathlib import Path

from sitegen.build.inputs import SetUp
from sitegen.build.site_setup import asset_dirs
from sitegen.errors import Diagnostics
from sitegen.load.claims import OutputClaims
from sitegen.load.discover import ContentTree, published_copies
from sitegen.models import Page, Rendered
from sitegen.site.assemble import Site
from sitegen.site.urls import base_path


def copied_files(
    setup: SetUp,
    theme: str | None,
    tree: ContentTree,
    site: Site,
    claims: OutputClaims,
    diagnostics: Diagnostics,
) -> tuple[list[tuple[Path, str]], dict[int, Rendered]]:
    """(source file, output relpath) of every file published as it is, and the new bodies (by
    page id) of the pages whose image references now point at the asset images among them;
    `theme` is the --theme option, whose assets/ count too."""
    from sitegen.site.assets import publish_asset_images

    config = setup.config
    copies = published_copies(
        config, [theme.path for theme in setup.themes], tree, site.pages, claims
    )
    for link in tree.outside:
        diagnostics.warn(
            "skipped: a symlink to a place outside the site is never read or published",
            link,
            hint="copy the file into the site instead of linking to it",
        )
    images, bodies = publish_asset_images(
        site.pages,
        asset_dirs(config, theme),
        _taken(copies, site.pages),
        base_path(config.base_url),
    )
    for path, rel in images:
        claims.claim(rel, f"the asset image {claims.describe_file(path)}", path)
    return copies + images, bodies


def _taken(copies: list[tuple[Path, str]], pages: list[Page]) -> set[str]:
    return {rel for _, rel in copies} | {page.output_path for page in pages}
