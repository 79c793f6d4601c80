"""Hugo sites with their own Go templates (issue 16, part B): built by real Hugo and by
sitegen, which never compiles them as Jinja, shows Go shortcodes as placeholders with their
inner content and names every Hugo feature it does not support in one warning."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from conftest import run_sitegen, write_site
from hugo_reference import hugo_executable

REPORT = "Hugo features sitegen does not support"

GO_SITE = {
    "hugo.toml": """baseURL = "https://example.org/"
title = "A Hugo site"
theme = "gotheme"
enableInlineShortcodes = true

[outputs]
  home = ["HTML", "RSS", "JSON"]

[module]
  [[module.imports]]
    path = "github.com/hugo-fixit/component-projects"
""",
    "layouts/_default/baseof.html": '<!DOCTYPE html><html><body>{{ block "main" . }}{{ end }}</body></html>\n',
    "layouts/_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n'
    '{{ $style := resources.Get "css/site.scss" }}{{ .Content }}{{ end }}\n',
    "layouts/_default/list.html": '{{ define "main" }}{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}\n',
    "layouts/index.json": '{{ jsonify (dict "title" .Title) }}\n',
    "layouts/shortcodes/gallery.html": '<div class="gallery">{{ .Inner | markdownify }}</div>',
    "themes/gotheme/layouts/shortcodes/mermaid.html": '<pre class="mermaid">{{ .Inner }}</pre>',
    "themes/gotheme/layouts/partials/x.html": "{{ with .Params.x }}{{ . }}{{ end }}\n",
    "themes/gotheme/layouts/_shortcodes/tabs.html": '<div class="tabs">{{ .Inner }}</div>',
    "content/posts/first.md": """---
title: First
---
Intro.

{{< gallery >}}
Some **bold** text.
{{< /gallery >}}

{{< mermaid >}}graph TD{{< /mermaid >}}

{{< tabs >}}Tab text{{< /tabs >}}

{{% gallery %}}
## A heading *inside*
{{% /gallery %}}
""",
}


def hugo_build(site: Path, out: Path) -> Path:
    result = subprocess.run(
        [
            hugo_executable(),
            "--source",
            str(site),
            "--destination",
            str(out),
            "--quiet",
            "--noBuildLock",
            "--cacheDir",
            str(out.parent / "hugo-cache"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def sitegen_build(site: Path, out: Path) -> subprocess.CompletedProcess:
    return run_sitegen("build", "-s", site, "-d", out, "--ignoreCache", "--workers", "1")


class _Text(HTMLParser):
    """The text of the elements with a given tag (e.g. every <code>), entities decoded."""

    def __init__(self, tag: str):
        super().__init__()
        self.tag, self.depth, self.found = tag, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == self.tag:
            self.depth += 1
            if self.depth == 1:
                self.found.append("")

    def handle_endtag(self, tag):
        if tag == self.tag and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.found[-1] += data


def texts(html: str, tag: str) -> list[str]:
    parser = _Text(tag)
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.found]


def report_of(stderr: str) -> str:
    """The one warning of unsupported features, to the next warning or error."""
    assert stderr.count(REPORT) == 1, stderr
    return re.split(r"\n(?:warning|error): ", stderr.split(REPORT, 1)[1])[0]


def test_a_go_template_site_builds_with_placeholders_and_one_report(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", GO_SITE)
    offline = write_site(
        tmp_path / "hugo-site", {**GO_SITE, "hugo.toml": GO_SITE["hugo.toml"].split("[module]")[0]}
    )
    hugo = hugo_build(offline, tmp_path / "hugo")  # Hugo would fetch the module
    result = sitegen_build(site, tmp_path / "sitegen")
    assert result.returncode == 0, result.stderr
    hugo_page = (hugo / "posts/first/index.html").read_text(encoding="utf-8")
    page = (tmp_path / "sitegen/posts/first/index.html").read_text(encoding="utf-8")
    # The inner content is there, rendered as Hugo's own template renders it.
    assert (
        "Some <strong>bold</strong> text." in hugo_page
        and "Some <strong>bold</strong> text." in page
    )
    assert 'class="hugo-shortcode" data-shortcode="gallery"' in page
    assert 'data-shortcode="mermaid"' in page and "graph TD" in page
    assert "{{" not in page.replace('data-tag="{{', ""), "no Go template text leaks into the page"
    assert '<link rel="stylesheet"' in page, "the built-in theme renders the page"
    report = report_of(result.stderr)
    assert (
        "gallery: content/posts/first.md:6" in report
        and "mermaid: content/posts/first.md:10" in report
    )
    assert "tabs: content/posts/first.md:12" in report and "Tab text" in page, (
        "Hugo ≥ 0.146's _shortcodes/ too"
    )
    # {{% %}}: the placeholder survives Markdown although raw HTML is not allowed here
    assert re.search(
        r'<div class="hugo-shortcode" data-shortcode="gallery"[^>]*>\s*<h2 id="a-heading-inside">'
        r"A heading <em>inside</em></h2>",
        page,
    ), page
    assert "gallery: content/posts/first.md:6, content/posts/first.md:14" in report
    assert "layouts/shortcodes/NAME.html" in report
    for where in (
        "layouts/_default/single.html:1",
        "layouts/_default/list.html:1",
        "layouts/index.json:1",
        "layouts/shortcodes/gallery.html:1",
    ):
        assert where in report
    assert "layouts/_default/single.html:2  resources.Get" in report
    assert "hugo.toml:4  enableInlineShortcodes" in report
    assert "hugo.toml:7  JSON for home" in report
    assert "hugo.toml:11  import github.com/hugo-fixit/component-projects" in report
    assert "hugo.toml:3  gotheme" in report
    assert "unknown shortcode" not in result.stderr


def test_a_go_layout_overriding_a_theme_template_leaves_it_to_the_theme(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "T"\n',
            "layouts/partials/footer.html": "<footer>{{ .Site.Copyright | safeHTML }}</footer>\n",
            "layouts/shortcodes/admonition.html": '<div class="my-admonition">{{ .Inner }}</div>\n',
            "content/a.md": "---\ntitle: A\n---\n{{< admonition tip >}}\nA tip.\n{{< /admonition >}}\n",
        },
    )
    result = sitegen_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out/a/index.html").read_text(encoding="utf-8")
    assert '<details class="admonition tip"' in page, "the built-in admonition renders it"
    assert "Site.Copyright" not in page
    report = report_of(result.stderr)
    assert (
        "layouts/partials/footer.html:1" in report
        and "layouts/shortcodes/admonition.html:1" in report
    )


def test_a_failed_build_still_prints_its_warnings(tmp_path: Path) -> None:
    files = dict(GO_SITE)
    files["content/posts/second.md"] = "---\ntitle: Second\n---\n{{< nowhere >}}\n"
    site = write_site(tmp_path / "site", files)
    previous = tmp_path / "out"
    previous.mkdir()
    (previous / "index.html").write_text("old", encoding="utf-8")
    result = sitegen_build(site, previous)
    assert result.returncode == 1, result.stderr
    assert "content/posts/second.md:4:1: unknown shortcode 'nowhere'" in result.stderr
    report = report_of(result.stderr)
    assert "enableInlineShortcodes" in report and "gallery: content/posts/first.md:6" in report
    assert (previous / "index.html").read_text(encoding="utf-8") == "old"


def test_quiet_prints_no_report(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", GO_SITE)
    result = run_sitegen("build", "-s", site, "-d", tmp_path / "out", "--quiet")
    assert result.returncode == 0 and result.stderr == ""


def test_config_keys_and_settings_are_named_with_their_lines_in_yaml(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "config.yaml": "baseURL: https://example.org/\ntitle: T\nfooBar: 1\nuglyURLs: true\n"
            "markup:\n  goldmark:\n    parser:\n      attribute:\n        block: true\n"
            "    extensions:\n      extras:\n        insert:\n          enable: true\n"
            "outputs:\n  page: [HTML, AMP]\n",
            "content/a.md": "---\ntitle: A\n---\nText.\n",
            "content/notes.adoc": "= Notes\n",
        },
    )
    result = sitegen_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    report = report_of(result.stderr)
    assert "content files in formats sitegen does not read:\n    content/notes.adoc" in report
    assert "config.yaml:3  fooBar" in report and "config.yaml:4  uglyURLs = true" in report
    assert "config.yaml:11  markup.goldmark.extensions.extras" in report
    assert "config.yaml:15  AMP for page" in report
    assert "attribute" not in report, "block attributes on headings are read"


def test_a_site_without_hugo_only_features_gets_no_report(example_site: Path) -> None:
    result = run_sitegen("build", "-s", example_site)
    assert result.returncode == 0, result.stderr
    assert REPORT not in result.stderr


CODE_BODY = """---
title: Code
---
A `{{< echo a >}}` and `{{% md b %}}` and `{{</* echo c */>}}` and {{%/* md d */%}}.

```
{{< echo a >}} x {{% md b %}} {{</* echo c */>}} {{%/* echo d */%}}
```

    {{< echo i >}}

~~~text
{{</* shown literally */>}}
~~~
"""


def test_shortcodes_in_code_expand_as_hugo_expands_them(tmp_path: Path) -> None:
    config = (
        'baseURL = "https://example.org/"\ntitle = "T"\n[markup.highlight]\ncodeFences = false\n'
    )
    hugo_site = write_site(
        tmp_path / "hugo-site",
        {
            "hugo.toml": config,
            "content/code.md": CODE_BODY,
            "layouts/_default/single.html": "{{ .Content }}",
            "layouts/shortcodes/echo.html": '<span class="e">{{ .Get 0 }}</span>',
            "layouts/shortcodes/md.html": "**{{ .Get 0 }}** & <b>x</b>",
        },
    )
    ours = write_site(
        tmp_path / "site",
        {
            "hugo.toml": config,
            "content/code.md": CODE_BODY,
            "layouts/shortcodes/echo.html": '<span class="e">{{ shortcode.get(0) }}</span>',
            "layouts/shortcodes/md.html": "**{{ shortcode.get(0) }}** & <b>x</b>",
        },
    )
    hugo_html = (hugo_build(hugo_site, tmp_path / "hugo") / "code/index.html").read_text(
        encoding="utf-8"
    )
    result = sitegen_build(ours, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out/code/index.html").read_text(encoding="utf-8")
    html = html.split('<div class="content">', 1)[1].split("</article>", 1)[0]
    assert texts(html, "code") == texts(hugo_html, "code")
    assert texts(html, "code")[:3] == ["a", "**b** & <b>x</b>", "{{< echo c >}}"]
    assert "{{% md d %}}" in texts(html, "p")[0] and "{{% md d %}}" in texts(hugo_html, "p")[0]
    assert html.count('<span class="e">') == hugo_html.count('<span class="e">') == 3


def test_snippet_shortcodes_and_go_placeholders_in_attributes(tmp_path: Path) -> None:
    svg = '<svg class="icon" viewBox="0 0 1 1"><path d="M0 0h1v1z"/></svg>'
    files = {
        "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "T"\n[markup.goldmark.renderer]\nunsafe = true\n',
        "layouts/shortcodes/icon.svg": svg + "\n",
        "layouts/shortcodes/baseurl.html": "{{ .Page.Site.BaseURL }}",
        "layouts/_default/single.html": "{{ .Content }}",
        "content/a.md": "---\ntitle: A\n---\nGet it {{< icon >}} [here]({{< baseurl >}}download/) or "
        '<a href="{{< baseurl >}}x/">there</a>.\n',
    }
    hugo_html = (
        hugo_build(write_site(tmp_path / "hugo-site", files), tmp_path / "hugo") / "a/index.html"
    ).read_text(encoding="utf-8")
    assert svg in hugo_html
    result = sitegen_build(write_site(tmp_path / "site", files), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out/a/index.html").read_text(encoding="utf-8")
    assert svg in page, "a shortcode file without template actions is its own output"
    assert '<a href="download/">here</a>' in page and '<a href="x/">there</a>' in page
    report = report_of(result.stderr)
    assert "baseurl: content/a.md:4" in report and "icon" not in report.split("Go shortcodes")[1]


def test_hugos_configuration_directory_is_named(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "T"\n',
            "config/_default/params.toml": 'description = "x"\n',
            "config/production/hugo.toml": 'baseURL = "https://example.com/"\n',
            "content/a.md": "---\ntitle: A\n---\nText.\n",
        },
    )
    result = sitegen_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    report = report_of(result.stderr)
    assert "configuration directory (config/)" in report
    assert "config/_default/params.toml" in report and "config/production/hugo.toml" in report
