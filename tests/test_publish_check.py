"""`sitegen check`: clean on the example site and the corpus, and it finds each of a set of
deliberately broken links, fragments, images, scripts, titles, langs and ids, with file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from publish_helpers import build
from sitegen.commands.check import check_site

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "mailcow-blog"


def run_check(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "check", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_example_site_passes_building_into_a_temp_folder_first():
    run = run_check("--quiet", cwd=REPO)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no problems" in run.stdout


def test_the_built_corpus_passes_minified_too(tmp_path: Path):
    # The corpus's own sources link nothing that the build does not make, so nothing is excused.
    for minify in (False, True):
        out = tmp_path / f"public-{minify}"
        build(CORPUS, out, minify=minify)
        report = check_site(out)
        assert report.problems == [], "\n".join(map(str, report.problems))
        assert report.pages > 300 and report.links > 10_000
        assert (
            "https://github.com/mailcow/mailcow-dockerized" in report.external
        )  # listed, not fetched


BROKEN_POST = """---
title: Broken
date: 2024-05-01
---

Intro line.

A [missing page](/nowhere/) link.

A [missing fragment](/posts/fine/#no-such-heading) and a [good one](/posts/fine/#a-heading).

![a missing image](/images/missing.png)

A [same-page fragment](#nothing-here).

[External](https://example.com/page) stays unfetched.
"""


def test_a_site_with_broken_links_fragments_and_images_reports_each_with_page_and_line(
    tmp_path: Path,
):
    site = tmp_path / "site"
    posts = site / "content" / "posts"
    posts.mkdir(parents=True)
    (site / "config.toml").write_text('baseURL = "https://example.org/"\ntitle = "Check"\n')
    (posts / "fine.md").write_text(
        "---\ntitle: Fine\ndate: 2024-04-01\n---\n\n## A heading\n\nText.\n"
    )
    (posts / "broken.md").write_text(BROKEN_POST)
    out = tmp_path / "public"
    build(site, out)
    run = run_check(out)
    assert run.returncode == 1
    problems = [
        line for line in run.stdout.splitlines() if line.startswith("posts/broken/index.html:")
    ]
    page = (out / "posts" / "broken" / "index.html").read_text(encoding="utf-8").splitlines()

    def reported(needle: str, message: str) -> None:
        line = next(number for number, text in enumerate(page, 1) if needle in text)
        assert any(
            p.startswith(f"posts/broken/index.html:{line}:") and message in p for p in problems
        ), (needle, message, problems)

    reported('href="/nowhere/"', "no page at /nowhere/")
    reported('href="/posts/fine/#no-such-heading"', "no id 'no-such-heading'")
    reported('src="/images/missing.png"', "no image at /images/missing.png")
    reported('href="#nothing-here"', "no id 'nothing-here'")
    assert len(problems) == 4, problems
    assert "https://example.com/page" in run.stdout and "not fetched" in run.stdout


def test_missing_title_lang_script_stylesheet_and_duplicate_ids(tmp_path: Path):
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head><title>Home</title>\n'
        '<link rel="canonical" href="https://example.org/">\n'
        '<link rel="stylesheet" href="/css/gone.css">\n</head>\n<body>\n'
        '<h2 id="twice">A</h2>\n<h2 id="twice">B</h2>\n'
        '<a href="https://example.org/about/#team">absolute, own host</a>\n'
        '<script src="/js/gone.js"></script>\n</body>\n</html>\n'
    )
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "index.html").write_text(
        "<!DOCTYPE html>\n<html>\n<head>\n</head>\n<body><p id=team>x</p></body></html>\n"
    )
    found = {str(problem) for problem in check_site(tmp_path).problems}
    assert found == {
        'index.html:5: <link href="/css/gone.css">: no file at /css/gone.css',
        "index.html:9: duplicate id 'twice' (first on line 8)",
        'index.html:11: <script src="/js/gone.js">: no file at /js/gone.js',
        "about/index.html:1: page without a <title> (or with an empty one)",
        "about/index.html:2: page without a lang attribute on <html>",
    }
