"""The `[params.releases]` settings, validated once into a typed object."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from sitegen.errors import SiteError

# `YYYY-MM` plus an optional revision letter (mailcow's 2024-01e), or a semantic version
# (v1.2.3, 1.2.3-rc.1). The look-arounds keep `CVE-2023-34108` and `1.2.3.4` out.
DEFAULT_PATTERN = (
    r"(?<![\w.-])(?P<version>"
    r"\d{4}-(?:0[1-9]|1[0-2])[a-z]?"
    r"|v?\d+\.\d+\.\d+(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?(?:\+[0-9A-Za-z.]+)?"
    r")(?![\w-])(?!\.\d)"
)

GITHUB_COMPARE = "https://github.com/{repo}/compare/{previous}...{version}"
GITHUB_TAG = "https://github.com/{repo}/releases/tag/{version}"

# Forms a site can name instead of spelling out the URL templates.
FORGES = {
    "github": (GITHUB_COMPARE, GITHUB_TAG),
    "gitlab": (
        "https://gitlab.com/{repo}/-/compare/{previous}...{version}",
        "https://gitlab.com/{repo}/-/tags/{version}",
    ),
    "codeberg": (
        "https://codeberg.org/{repo}/compare/{previous}...{version}",
        "https://codeberg.org/{repo}/releases/tag/{version}",
    ),
}

FORGE_NAMES = {"github.com": "GitHub", "gitlab.com": "GitLab", "codeberg.org": "Codeberg"}

KNOWN_KEYS = {
    "pattern",
    "repo",
    "compare_url",
    "tag_url",
    "link_refs",
    "forge",
    "forge_name",
    "enable",
}


@dataclass(frozen=True)
class ReleaseConfig:
    """How releases are found and linked; built from `[params.releases]`."""

    pattern: re.Pattern[str]
    repo: str | None = None  # "owner/name"; None until configured or inferred
    compare_url: str = GITHUB_COMPARE
    tag_url: str = GITHUB_TAG
    link_refs: bool = True  # turn #123, @user, SHAs into forge links
    enabled: bool = True
    forge_name: str = ""  # shown in "Changes on GitHub"; derived from compare_url if empty

    @classmethod
    def default(cls) -> "ReleaseConfig":
        return cls(pattern=re.compile(DEFAULT_PATTERN))

    @classmethod
    def from_params(
        cls, params: dict[str, Any] | None, path: str = "config.toml"
    ) -> "ReleaseConfig":
        """Read `params["releases"]` (a table, or `false` to turn the feature off)."""
        table = (params or {}).get("releases", {})
        if table is False:
            return replace(cls.default(), enabled=False)
        if not isinstance(table, dict):
            raise SiteError(
                "[params.releases] must be a table",
                path,
                hint='e.g. [params.releases] repo = "owner/name"',
            )
        forge = str(table.get("forge", "github")).lower()
        if forge not in FORGES:
            raise SiteError(
                f"[params.releases] forge = {forge!r} is unknown",
                path,
                hint=f"use one of {', '.join(sorted(FORGES))}, or set compare_url and tag_url",
            )
        compare_url, tag_url = FORGES[forge]
        return cls(
            pattern=_compile_pattern(table.get("pattern"), path),
            repo=_check_repo(table.get("repo"), path),
            compare_url=str(table.get("compare_url", compare_url)),
            tag_url=str(table.get("tag_url", tag_url)),
            link_refs=bool(table.get("link_refs", True)),
            enabled=bool(table.get("enable", True)),
            forge_name=str(table.get("forge_name", "")),
        )

    def with_repo(self, repo: str | None) -> "ReleaseConfig":
        return replace(self, repo=repo)

    @property
    def forge(self) -> str:
        """The forge's display name: GitHub, GitLab, Codeberg, or the compare URL's host."""
        if self.forge_name:
            return self.forge_name
        host = urlsplit(self.compare_url).hostname or ""
        return FORGE_NAMES.get(host, host or "GitHub")

    @property
    def forge_host(self) -> str:
        return urlsplit(self.compare_url).hostname or "github.com"

    def compare_link(self, previous: str, version: str) -> str:
        if not self.repo:
            return ""
        return self.compare_url.format(repo=self.repo, previous=previous, version=version)

    def tag_link(self, version: str) -> str:
        if not self.repo:
            return ""
        return self.tag_url.format(repo=self.repo, version=version)


def _compile_pattern(source: Any, path: str) -> re.Pattern[str]:
    if source is None:
        return re.compile(DEFAULT_PATTERN)
    try:
        return re.compile(str(source))
    except re.error as error:
        raise SiteError(
            f"[params.releases] pattern is not a valid regular expression: {error}",
            path,
            hint="name the version part (?P<version>...) if the pattern matches more than the version",
        ) from None


def _check_repo(repo: Any, path: str) -> str | None:
    if repo in (None, ""):
        return None
    if not re.fullmatch(r"[\w.-]+(/[\w.-]+)+", str(repo)):
        raise SiteError(
            f"[params.releases] repo = {repo!r} is not of the form owner/name",
            path,
            hint='e.g. repo = "mailcow/mailcow-dockerized"',
        )
    return str(repo)
