"""Sub-releases as first-class content: detection, dates, compare links, outputs.

Pure functions over rendered pages; the build calls them in this order:
`ReleaseConfig.from_params` → `infer_repo` (if no repo) → `detect_releases` per page →
`add_post_releases` (titles.py: posts that are one release) → `link_releases` over all →
`decorate_release_headings` per page → outputs.
"""

from sitegen.releases.check import check_releases
from sitegen.releases.compare import infer_repo, inferred_repo_message, link_releases
from sitegen.releases.config import ReleaseConfig
from sitegen.releases.dates import find_date, format_release_date, month_number
from sitegen.releases.decorate import compare_label, decorate_release_headings, release_meta
from sitegen.releases.detect import detect_releases, release_heading
from sitegen.releases.outputs import (
    newest_first, newest_release, release_guid, release_lastmod, release_url, releases_feed, releases_json,
)
from sitegen.releases.refs import link_github_refs
from sitegen.releases.versions import version_key

__all__ = [
    "ReleaseConfig", "check_releases", "compare_label", "decorate_release_headings", "detect_releases",
    "find_date", "format_release_date", "infer_repo", "inferred_repo_message", "link_github_refs",
    "link_releases", "month_number", "newest_first", "newest_release", "release_guid", "release_heading",
    "release_lastmod", "release_meta", "release_url", "releases_feed", "releases_json", "version_key",
]
