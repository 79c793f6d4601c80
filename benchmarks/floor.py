"""The least a cold build of a corpus can cost with markdown-it-py, sitegen's Markdown engine.

    python benchmarks/floor.py SITE OUT

Every post of the Hugo site SITE is read, its front matter cut off, its Markdown rendered
by markdown-it-py (CommonMark and tables, the two features the corpus uses) over every
core, and written to OUT as one HTML file. No templates, no list pages, no feeds, no
heading ids, no highlighting, no releases: a generator built on markdown-it-py does all of
this and more, so its cold build cannot be faster than this one. run.py times it as the
tool `floor`, beside sitegen, Hugo and Pelican.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark").enable("table")


def render_post(paths: tuple[Path, Path]) -> int:
    """Render one post's Markdown to its HTML file; the HTML's size in bytes."""
    source, target = paths
    text = source.read_text(encoding="utf-8")
    if text.startswith(("---", "+++")):  # YAML or TOML front matter: up to the closing fence
        fence = text[:3]
        text = text[text.index("\n" + fence, 3) + 4 :]
    html = _markdown.render(text).encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(html)
    return len(html)


def main(argv: list[str] | None = None) -> int:
    site, out = (Path(arg) for arg in (argv if argv is not None else sys.argv[1:]))
    content = site / "content"
    jobs = [
        (source, out / source.relative_to(content).with_suffix(".html"))
        for source in sorted(content.rglob("*.md"))
    ]
    cores = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        pool.map(render_post, jobs, chunksize=max(1, len(jobs) // (cores * 16)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
