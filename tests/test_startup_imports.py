"""Until the first page is read, a build imports only what reading needs: a build that stops
at an error in its content has not loaded Markdown, Babel, Pygments, minify or the server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LATER = (
    "markdown_it",
    "mdit_py_plugins",
    "babel",
    "pygments",
    "minify_html",
    "watchfiles",
    "sitegen.content.markdown.parser",
    "sitegen.render.renderer",
    "sitegen.content.body",
    "sitegen.releases.detect",
    "sitegen.serve",
)

RUN = """
import sys
from sitegen.cli import main
code = main(sys.argv[1:])
print("LOADED", *sorted(m for m in {later!r} if m in sys.modules))
sys.exit(code)
"""


def test_a_build_that_fails_reading_its_content_loads_no_markdown_babel_or_server(tmp_path: Path):
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "config.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Blog"\n', encoding="utf-8"
    )
    (site / "content" / "posts" / "bad.md").write_text(
        "---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-c", RUN.format(later=LATER), "build", "-s", str(site), "--ignoreCache"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "bad.md" in result.stderr
    loaded = next(line for line in result.stdout.splitlines() if line.startswith("LOADED")).split()[
        1:
    ]
    assert loaded == [], loaded
