"""How link-dense a set of Markdown posts is: features per KB of Markdown body.

The benchmark corpus is generated to match a real release blog's densities; `run.py`
measures the real blog with `folder_densities` at run time and prints both beside every
table. Fenced code is left out of the counts (a `#` or URL in a shell snippet is not a
reference) but its bytes count towards the size, as they do for a generator.

    python benchmarks/densities.py ../shared/corpus/mailcow-blog/content [more folders]
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

FEATURES = ("links", "bare_urls", "github_refs", "list_items", "headings")

_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\([^)\s]+[^)\n]*\)")
_BARE_URL = re.compile(r"(?<![(\"'=\[])\bhttps?://[^\s)>\]]+")
_GITHUB_REF = re.compile(
    r"(?<![\w/&#-])#\d+(?![\w-])"
    r"|(?<![\w/`@.-])@[A-Za-z0-9][A-Za-z0-9-]{0,38}(?![\w/@-]|\.\w)"
    r"|(?<![\w/])[\w.-]+/[\w.-]+#\d+\b"
)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1", re.MULTILINE | re.DOTALL)
_PATTERNS = dict(zip(FEATURES, (_LINK, _BARE_URL, _GITHUB_REF, _LIST_ITEM, _HEADING)))


@dataclass(frozen=True)
class Densities:
    """Counts of each feature and the Markdown bytes they were counted in."""

    counts: dict[str, int]
    size_bytes: int
    posts: int

    def per_kb(self) -> dict[str, float]:
        kb = max(self.size_bytes, 1) / 1024
        return {name: self.counts[name] / kb for name in FEATURES}

    def line(self, label: str) -> str:
        figures = ", ".join(
            f"{name.replace('_', ' ')} {value:.2f}" for name, value in self.per_kb().items()
        )
        return f"{label}: {self.posts} posts, {self.size_bytes / 1024:,.0f} KB of Markdown; per KB: {figures}"


def markdown_body(text: str) -> str:
    """`text` without its YAML (---) or TOML (+++) front matter."""
    for fence in ("---", "+++"):
        if text.startswith(fence):
            end = text.find("\n" + fence, len(fence))
            if end >= 0:
                return text[end + len(fence) + 1 :].lstrip("\n")
    return text


def count_features(body: str) -> dict[str, int]:
    prose = _FENCE.sub("", body)
    return {name: len(pattern.findall(prose)) for name, pattern in _PATTERNS.items()}


def text_densities(bodies: list[str]) -> Densities:
    counts = dict.fromkeys(FEATURES, 0)
    size = 0
    for body in bodies:
        size += len(body.encode("utf-8"))
        for name, count in count_features(body).items():
            counts[name] += count
    return Densities(counts, size, len(bodies))


def folder_densities(folder: Path) -> Densities:
    """The densities of every `*.md` file under `folder` (read in place)."""
    paths = sorted(folder.rglob("*.md"))
    return text_densities(
        [markdown_body(path.read_text(encoding="utf-8", errors="replace")) for path in paths]
    )


def main(argv: list[str]) -> int:
    for folder in argv or ["../shared/corpus/mailcow-blog/content"]:
        print(folder_densities(Path(folder)).line(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
