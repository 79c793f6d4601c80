"""Checks before a build reads or writes anything: the site folder, the configured folders,
the base URL and the destination, each a clear error instead of a surprising build."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from sitegen.errors import SiteError
from sitegen.load.config import CONFIG_NAMES, SiteConfig, find_config_file


def require_site_folder(source: Path) -> Path:
    """`source` resolved, if it is a folder with a config file or a content/ folder."""
    folder = source.expanduser().resolve()
    if not folder.exists():
        raise SiteError("the site folder does not exist", source, hint="check the -s/--source path")
    if not folder.is_dir():
        raise SiteError(
            "the site folder is not a folder", source, hint="-s names the site's folder, not a file"
        )
    if find_config_file(folder) is None and not (folder / "content").is_dir():
        raise SiteError(
            f"this is not a site: no config file ({', '.join(CONFIG_NAMES[:2])}, …) and no content/ "
            "folder",
            source,
            hint="run sitegen in the site's folder or name it with -s",
        )
    return folder


def check_site_config(config: SiteConfig, base_url_given: str | None = None) -> None:
    """A configured contentDir must exist, and the base URL must be an absolute http(s) URL."""
    where = config.config_file
    explicit = {"contentdir"} & {key.lower() for key in config.raw}
    dirs = [config.content_dir] if explicit else []
    dirs += [lang.content_dir for lang in config.languages if lang.content_dir]
    for name in dirs:
        if not (config.source / name).is_dir():
            raise SiteError(
                f"contentDir {name!r} does not exist",
                where,
                hint=f"create {config.source / name} or correct contentDir",
            )
    if base_url_given is None and not _base_url_configured(config):
        return  # no baseURL: pages are linked from the root, as Hugo does without one
    parts = urlsplit(config.base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        source = "-b/--baseURL" if base_url_given else "baseURL"
        raise SiteError(
            f"{source} {config.base_url!r} is not an absolute http(s) URL",
            None if base_url_given else where,
            hint='write it in full, e.g. baseURL = "https://example.org/"',
        )


def _base_url_configured(config: SiteConfig) -> bool:
    return any(key.lower() == "baseurl" for key in config.raw)


SOURCE_FOLDERS = (
    "content_dir",
    "layout_dir",
    "static_dir",
    "i18n_dir",
    "data_dir",
    "archetype_dir",
    "themes_dir",
)


def refuse_destination(config: SiteConfig, destination: Path) -> None:
    """The destination must not be a file, nor be, hold or lie inside one of the site's
    source folders (a build replaces its destination; output inside content/ would be read
    back as content)."""
    destination = destination.resolve()
    if destination.exists() and not destination.is_dir():
        raise SiteError(
            "the destination is a file, not a folder",
            destination,
            hint="choose a folder, e.g. -d public",
        )
    folders = [config.source / getattr(config, name) for name in SOURCE_FOLDERS]
    folders += [config.source / lang.content_dir for lang in config.languages if lang.content_dir]
    folders += [config.source / ".git", config.source]
    for folder in folders:
        folder = folder.resolve()
        inside = destination.is_relative_to(folder) and folder != config.source.resolve()
        if destination == folder or folder.is_relative_to(destination) or inside:
            what = (
                "the site's own folder"
                if folder == config.source.resolve()
                else f"the site's {folder.name}/"
            )
            relation = "is" if destination == folder else "lies inside" if inside else "holds"
            raise SiteError(
                f"the destination {relation} {what}; a build would replace or read back its files",
                destination,
                hint="choose a folder of its own, e.g. -d public",
            )
