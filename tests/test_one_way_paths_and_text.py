"""One URL → output path (sitegen.site.urls.output_path) and one HTML → text
(sitegen.content.html_text), used by every stage: what a page's URL says is where its file is,
under a base URL with a path too, and the template filters strip HTML as `.Plain` does."""

from __future__ import annotations

import json

from conftest import run_sitegen, write_site
from sitegen.content.html_text import NO_END_TAG, reader_text, strip_html, truncate_words
from sitegen.site.urls import output_path


def test_output_paths_of_folders_files_and_a_base_path():
    assert output_path("/posts/x/") == "posts/x/index.html"
    assert output_path("/") == "index.html"
    assert output_path("/blog/posts/x/", "/blog") == "posts/x/index.html"
    assert output_path("/blog/", "/blog") == "index.html"
    assert output_path("/blog/de/index.xml", "/blog") == "de/index.xml"
    assert output_path("/blogger/x/", "/blog") == "blogger/x/index.html"  # not a prefix by letters
    assert output_path("/tags/c%23/") == "tags/c#/index.html"
    assert output_path("/notes/humans.txt") == "notes/humans.txt"


def test_pages_and_release_outputs_are_written_under_the_base_paths_folder(tmp_path):
    site = write_site(
        tmp_path / "site",
        {
            "config.toml": 'baseURL = "https://example.org/blog/"\ntitle = "T"\n',
            "content/posts/r/index.md": "---\ntitle: Release 2024-01a\ndate: 2024-01-05\n---\n## 2024-01a\n\nText.\n",
        },
    )
    result = run_sitegen("build", "-s", site, "-d", site / "public", "--quiet")
    assert result.returncode == 0, result.stderr
    public = site / "public"
    assert (public / "posts" / "r" / "index.html").is_file()
    assert not (public / "blog").exists()
    releases = json.loads((public / "releases" / "releases.json").read_text(encoding="utf-8"))
    assert [r["version"] for r in releases] == ["2024-01a"]
    assert (public / "releases" / "index.xml").is_file() and (
        public / "releases" / "index.html"
    ).is_file()


def test_html_to_text_is_hugos_strip_html_everywhere(tmp_path):
    html = "<p>One <b>two</b>\nthree</p>\n<p>four &amp; five<br>six</p>"
    assert strip_html(html) == "One two three\nfour &amp; five\nsix\n"
    assert reader_text(html) == "One two three four & five six"
    assert truncate_words(html, 3) == "One two three …"
    assert {"br", "img", "path"} <= NO_END_TAG and "p" not in NO_END_TAG
    site = write_site(
        tmp_path / "site",
        {
            "config.toml": 'baseURL = "https://example.org/"\ntitle = "T"\n',
            "content/a.md": "---\ntitle: A\n---\nOne **two**\nthree\n\nfour & five\n",
            "layouts/_default/single.html": "<plain>{{ page.content|plainify }}</plain><short>{{ page.content|truncate_words(2) }}</short>",
        },
    )
    result = run_sitegen("build", "-s", site, "-d", site / "public", "--quiet")
    assert result.returncode == 0, result.stderr
    page = (site / "public" / "a" / "index.html").read_text(encoding="utf-8")
    assert "<plain>One two three\nfour &amp;amp; five\n</plain>" in page
    assert "<short>One two …</short>" in page
