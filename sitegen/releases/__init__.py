"""Sub-releases as first-class content: detection, dates, compare links, outputs.

Pure functions over rendered pages; the build calls them in this order:
`ReleaseConfig.from_params` → `infer_repo` (if no repo) → `detect_releases` per page →
`find_post_releases` (titles.py: posts that are one release) → `link_releases` over all →
`decorate_release_headings` per page → outputs.
"""

from importlib import import_module

# Each name loads its module on first use (PEP 562), so a module that needs one of them
# (the templates need newest_release) does not load Markdown, Babel and the rest at start-up.
_MODULE_OF = {
    "check_releases": "check",
    "infer_repo": "compare",
    "inferred_repo_message": "compare",
    "link_releases": "compare",
    "ReleaseConfig": "config",
    "find_date": "dates",
    "format_release_date": "dates",
    "month_number": "dates",
    "compare_label": "decorate",
    "decorate_release_headings": "decorate",
    "release_meta": "decorate",
    "detect_releases": "detect",
    "release_heading": "detect",
    "newest_first": "outputs",
    "newest_release": "outputs",
    "release_guid": "outputs",
    "release_lastmod": "outputs",
    "release_url": "outputs",
    "releases_json": "outputs",
    "link_github_refs": "refs",
    "version_key": "versions",
}


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF))


__all__ = [
    "ReleaseConfig",
    "check_releases",
    "compare_label",
    "decorate_release_headings",
    "detect_releases",
    "find_date",
    "format_release_date",
    "infer_repo",
    "inferred_repo_message",
    "link_github_refs",
    "link_releases",
    "month_number",
    "newest_first",
    "newest_release",
    "release_guid",
    "release_heading",
    "release_lastmod",
    "release_meta",
    "release_url",
    "releases_json",
    "version_key",
]
