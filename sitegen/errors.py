"""User-facing errors and warnings, each located at a file and line.

Every stage reports problems a user can fix as `SiteError`s; the build collects them
all and fails once, so the author sees every problem of a run, not only the first.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SiteError(Exception):
    """A problem in the site's input, with where it is and what to do about it."""

    message: str
    path: Path | str | None = None
    line: int | None = None
    column: int | None = None
    hint: str = ""

    def location(self) -> str:
        if self.path is None:
            return ""
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def os_failure(error: OSError, doing: str = "writing the site") -> SiteError:
    """A full disk or another OS error while building: the user's to fix, not a bug."""
    where = error.filename or ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return SiteError(
            f"the disk is full while {doing}" + (f" ({where})" if where else ""),
            None,
            hint="free some space (or choose another destination with -d) and build again",
        )
    return SiteError(
        f"{error.strerror or error} while {doing}" + (f" ({where})" if where else ""),
        None,
        hint="check the permissions and the free space of the destination",
    )


class BuildFailed(Exception):
    """Raised once at the end of a stage when any `SiteError` was collected; carries the
    warnings met on the way, so a failed build still shows them."""

    def __init__(self, errors: list[SiteError], warnings: list[SiteError] | None = None):
        self.errors = errors
        self.warnings = list(warnings or [])
        super().__init__("\n".join(str(e) for e in errors))


@dataclass(frozen=True)
class Unsupported:
    """One use of a Hugo feature sitegen does not support, for the build's one report of
    them (sitegen.load.hugo_features): `kind` groups them ("config", "go-shortcode", …)."""

    kind: str
    name: str
    path: Path | str | None = None
    line: int | None = None


@dataclass
class Diagnostics:
    """Collects errors and warnings of one build; warnings are reported once each."""

    errors: list[SiteError] = field(default_factory=list)
    warnings: list[SiteError] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)  # reported together, once
    _seen: set[str] = field(default_factory=set, repr=False)

    def error(self, error: SiteError) -> None:
        self.errors.append(error)

    def warn(
        self, message: str, path: Path | str | None = None, line: int | None = None, hint: str = ""
    ) -> None:
        warning = SiteError(message, path, line, hint=hint)
        key = str(warning)
        if key not in self._seen:
            self._seen.add(key)
            self.warnings.append(warning)

    def raise_if_failed(self) -> None:
        if self.errors:
            raise BuildFailed(self.errors, self.warnings)
