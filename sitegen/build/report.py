"""How a build's warnings are printed: repeated warnings of one kind fold into one line.

A kind is the warning's message up to its first ": " ("image without alt text" for
"image without alt text: images/a.png"). Three or more of a kind print as one line with
the count, the first of them and the files; `--verbose` prints every one.
"""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.errors import SiteError

FOLD_FROM = 3  # fewer of a kind are printed as they are


def warning_kind(warning: SiteError) -> str:
    return warning.message.split(": ", 1)[0]


def warning_lines(warnings: Iterable[SiteError], verbose: bool = False) -> list[str]:
    """The `warning: …` lines to print, in the order each kind first appeared."""
    warnings = list(warnings)
    if verbose:
        return [f"warning: {w}" for w in warnings]
    kinds: dict[str, list[SiteError]] = {}
    for warning in warnings:
        kinds.setdefault(warning_kind(warning), []).append(warning)
    lines = []
    for kind, group in kinds.items():
        if len(group) < FOLD_FROM:
            lines += [f"warning: {w}" for w in group]
            continue
        files = list(dict.fromkeys(str(w.path) for w in group if w.path))
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        where = f" in {len(files)} file{'s' if len(files) != 1 else ''} ({shown})" if files else ""
        lines.append(
            f"warning: {kind}: {len(group)} times{where}; --verbose lists every one\n"
            f"  first: {group[0]}"
        )
    return lines
